// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Values as JSON (docs/json.md, "Values"): everything that was captured,
 * and a mark where a limit cut something, at that very value: a cut value
 * is {"value":…,"truncated":true,"reason":…}, an address that was not
 * followed is {"addr":"0x…","reason":…}. The writer owns commas and
 * escaping (json_writer.h).
 */
#include <inttypes.h>
#include "output/internal.h"

static bool is_float32(const struct go_type *t)
{
	return t && (t->kind == GO_FLOAT32 || t->kind == GO_COMPLEX64);
}

/* Addresses are strings: JSON numbers lose precision past 2^53. */
static void json_address(struct json_writer *jw, const char *prefix, uint64_t addr)
{
	char buf[48];

	snprintf(buf, sizeof(buf), "%s0x%" PRIx64, prefix, addr);
	jw_cstring(jw, buf);
}

/* {"addr":"0x…"} for an address shown as such; with "reason" when it was
 * a pointer that a limit or a cycle kept gotrace from following. */
static void json_addr_object(struct json_writer *jw, const struct value *v)
{
	const char *why = v->kind == VAL_POINTER_UNFOLLOWED ? reason_limit(v) : NULL;

	jw_start_object(jw);
	jw_name(jw, "addr");
	json_address(jw, "", v->u);
	if (!why && v->kind == VAL_POINTER_UNFOLLOWED)
		why = reason_words(v);
	if (why)
		jw_string_field(jw, "reason", why);
	jw_end_object(jw);
}

static void json_plain(struct json_writer *jw, const struct value *v);

void json_value(struct json_writer *jw, const struct value *v)
{
	if (v->cut == LIMIT_NONE) {
		json_plain(jw, v);
		return;
	}
	/* cut right here: the value, wrapped with the limit and its length */
	jw_start_object(jw);
	jw_name(jw, "value");
	json_plain(jw, v);
	jw_name(jw, "truncated");
	jw_bool(jw, true);
	jw_string_field(jw, "reason", limit_name(v->cut));
	if (v->kind == VAL_STRING || v->kind == VAL_ARRAY)
		jw_uint_field(jw, "len", v->count);
	jw_end_object(jw);
}

static void json_complex(struct json_writer *jw, const struct value *v)
{
	jw_start_object(jw);
	jw_name(jw, "real");
	jw_float(jw, v->f[0], is_float32(v->type));
	jw_name(jw, "imag");
	jw_float(jw, v->f[1], is_float32(v->type));
	jw_end_object(jw);
}

static void json_struct(struct json_writer *jw, const struct value *v)
{
	int i;

	jw_start_object(jw);
	for (i = 0; i < v->n_children; i++) {
		jw_name(jw, v->type->fields[i].name ? v->type->fields[i].name : "");
		json_value(jw, &v->children[i]);
	}
	jw_end_object(jw);
}

static void json_array(struct json_writer *jw, const struct value *v)
{
	int i;

	jw_start_array(jw);
	for (i = 0; i < v->n_children; i++)
		json_value(jw, &v->children[i]);
	jw_end_array(jw);
}

/* {"type":"main.T","value":…}: the dynamic type by name, or by its
 * descriptor's address when no type is known there */
static void json_interface(struct json_writer *jw, const struct value *v)
{
	jw_start_object(jw);
	jw_name(jw, "type");
	if (v->dynamic && v->dynamic->name)
		jw_cstring(jw, v->dynamic->name);
	else
		json_address(jw, "type@", v->u);
	jw_name(jw, "value");
	json_value(jw, v->children);
	jw_end_object(jw);
}

/* {"len":N,"entries":[[key,value],…]}: entries as pairs, as a Go map's
 * keys need not be strings */
static void json_map(struct json_writer *jw, const struct value *v)
{
	int i;

	jw_start_object(jw);
	jw_uint_field(jw, "len", v->u);
	if (v->has_entries) {
		jw_name(jw, "entries");
		jw_start_array(jw);
		for (i = 0; i + 1 < v->n_children; i += 2) {
			jw_start_array(jw);
			json_value(jw, &v->children[i]);
			json_value(jw, &v->children[i + 1]);
			jw_end_array(jw);
		}
		jw_end_array(jw);
	}
	jw_end_object(jw);
}

static void json_chan(struct json_writer *jw, const struct value *v)
{
	jw_start_object(jw);
	jw_uint_field(jw, "len", v->u);
	jw_uint_field(jw, "cap", v->len);
	jw_end_object(jw);
}

static void json_unavailable(struct json_writer *jw, const struct value *v)
{
	jw_start_object(jw);
	jw_string_field(jw, "unavailable", unavailable_words(v));
	jw_end_object(jw);
}

static void json_plain(struct json_writer *jw, const struct value *v)
{
	char buf[WELLKNOWN_MAX];

	if (wellknown_string(v, buf)) {
		jw_cstring(jw, buf);
		return;
	}
	switch (v->kind) {
	case VAL_UNAVAILABLE:
		json_unavailable(jw, v);
		break;
	case VAL_NIL:
		jw_null(jw);
		break;
	case VAL_BOOL:
		jw_bool(jw, v->b);
		break;
	case VAL_INT:
		jw_int(jw, v->i);
		break;
	case VAL_UINT:
		jw_uint(jw, v->u);
		break;
	case VAL_FLOAT:
		jw_float(jw, v->f[0], is_float32(v->type));
		break;
	case VAL_COMPLEX:
		json_complex(jw, v);
		break;
	case VAL_STRING:
		jw_string(jw, v->bytes ? v->bytes : "", v->len);
		break;
	case VAL_POINTER:
		json_value(jw, &v->children[0]);
		break;
	case VAL_POINTER_UNFOLLOWED:
		json_addr_object(jw, v);
		break;
	case VAL_STRUCT:
		json_struct(jw, v);
		break;
	case VAL_ARRAY:
		json_array(jw, v);
		break;
	case VAL_INTERFACE:
		json_interface(jw, v);
		break;
	case VAL_MAP:
		json_map(jw, v);
		break;
	case VAL_CHAN:
		json_chan(jw, v);
		break;
	case VAL_FUNC:
		if (v->bytes)
			jw_string(jw, v->bytes, v->len);
		else
			json_addr_object(jw, v);
		break;
	}
}
