// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What a function's machine code tells: where its body starts after the
 * stack-growth check, and where it returns. Disassembled with capstone.
 *
 * A Go function that may grow its stack starts with
 *
 *	CMPQ SP, 16(R14)          (or LEAQ -N(SP), R12; CMPQ R12, 16(R14))
 *	JLS  morestack_call       (jbe / jb)
 *
 * and morestack re-runs the function from its first instruction once the
 * stack has been copied. A probe on the first instruction would then see
 * one call twice. The instruction after the conditional jump runs exactly
 * once per call, with SP and every argument register as they were at entry
 * (the check touches neither), so that is where the entry probe goes.
 */
#include <capstone/capstone.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "symbols/symbols.h"

#define PROLOGUE_INSNS 4
#define MAX_CODE (1 << 20)

static bool is_stack_check_cmp(const cs_insn *insn)
{
	const cs_x86 *x = &insn->detail->x86;

	/* cmp rsp|reg, qword ptr [g + 0x10]: g.stackguard0, with g in R14
	 * (register ABI) or loaded from TLS into another register (stack ABI) */
	if (insn->id != X86_INS_CMP || x->op_count != 2)
		return false;
	return x->operands[0].type == X86_OP_REG && x->operands[1].type == X86_OP_MEM &&
	       x->operands[1].mem.disp == 0x10 && x->operands[1].mem.index == X86_REG_INVALID;
}

static bool is_unsigned_below_jump(const cs_insn *insn)
{
	return insn->id == X86_INS_JBE || insn->id == X86_INS_JB;
}

/* What a signal frame right after the entry instruction can tell: where
 * the instruction leaves rip, and which X registers it has overwritten. */
static void describe_entry(csh handle, const cs_insn *insn, struct go_func_code *code)
{
	cs_regs read, written;
	uint8_t n_read = 0, n_written = 0;
	int i;

	const cs_x86 *x = &insn->detail->x86;

	code->entry_size = insn->size;
	code->entry_writes_x = 0;
	code->entry_sp_delta = 0;
	code->entry_sp_known = true;
	if (cs_insn_group(handle, insn, CS_GRP_JUMP) || cs_insn_group(handle, insn, CS_GRP_CALL) ||
	    cs_insn_group(handle, insn, CS_GRP_RET) || cs_insn_group(handle, insn, CS_GRP_INT))
		code->entry_size = 0;
	if (cs_regs_access(handle, insn, read, &n_read, written, &n_written) != CS_ERR_OK) {
		code->entry_writes_x = 0xffff; /* unknown: trust none */
		code->entry_sp_known = false;
		return;
	}
	for (i = 0; i < n_written; i++) {
		unsigned r = written[i];

		if (r == X86_REG_RSP) {
			if (insn->id == X86_INS_PUSH)
				code->entry_sp_delta = -8;
			else if (insn->id == X86_INS_SUB && x->op_count == 2 &&
				 x->operands[0].type == X86_OP_REG &&
				 x->operands[0].reg == X86_REG_RSP &&
				 x->operands[1].type == X86_OP_IMM)
				code->entry_sp_delta = -(int32_t)x->operands[1].imm;
			else
				code->entry_sp_known = false;
		}

		if (r >= X86_REG_XMM0 && r <= X86_REG_XMM15)
			code->entry_writes_x |= 1u << (r - X86_REG_XMM0);
		else if (r >= X86_REG_YMM0 && r <= X86_REG_YMM15)
			code->entry_writes_x |= 1u << (r - X86_REG_YMM0);
		else if (r >= X86_REG_ZMM0 && r <= X86_REG_ZMM15)
			code->entry_writes_x |= 1u << (r - X86_REG_ZMM0);
	}
}

int gobin__func_code(const struct gobin *bin, const struct go_func *func, struct go_func_code *code)
{
	uint64_t size = func->high_pc - func->low_pc, addr;
	const uint8_t *p;
	uint8_t *buf = NULL;
	size_t left;
	csh handle;
	cs_insn *insn = NULL;
	int err = 0, n = 0, cap = 0;

	memset(code, 0, sizeof(*code));
	code->entry = func->low_pc;
	if (func->high_pc <= func->low_pc || size > MAX_CODE)
		return -EINVAL;
	buf = malloc(size);
	if (!buf)
		return -ENOMEM;
	err = gobin__read_code(bin, func->low_pc, buf, size);
	if (err < 0)
		goto cleanup;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) {
		err = -EINVAL;
		goto cleanup;
	}
	cs_option(handle, CS_OPT_DETAIL, CS_OPT_ON);
	insn = cs_malloc(handle);
	if (!insn) {
		err = -ENOMEM;
		goto close;
	}
	p = buf;
	left = size;
	addr = func->low_pc;
	/* Go pads functions with INT3, and data never sits in text, so a
	 * linear sweep sees every instruction. */
	while (left && cs_disasm_iter(handle, &p, &left, &addr, insn)) {
		if (n < PROLOGUE_INSNS && is_stack_check_cmp(insn)) {
			code->stack_check = true;
		} else if (code->stack_check && !code->entry_adjusted && n < PROLOGUE_INSNS &&
			   is_unsigned_below_jump(insn)) {
			code->entry = addr; /* the instruction after the jump */
			code->entry_adjusted = true;
		}
		if (insn->address == code->entry)
			describe_entry(handle, insn, code);
		if (insn->id == X86_INS_RET) {
			if (code->n_rets == cap) {
				uint64_t *r;

				cap = cap ? cap * 2 : 4;
				r = realloc(code->rets, cap * sizeof(*r));
				if (!r) {
					err = -ENOMEM;
					goto free_insn;
				}
				code->rets = r;
			}
			code->rets[code->n_rets++] = insn->address;
		}
		n++;
	}
free_insn:
	cs_free(insn, 1);
close:
	cs_close(&handle);
cleanup:
	free(buf);
	if (err) {
		free(code->rets);
		memset(code, 0, sizeof(*code));
	}
	return err;
}

void go_func_code__clear(struct go_func_code *code)
{
	free(code->rets);
	memset(code, 0, sizeof(*code));
}
