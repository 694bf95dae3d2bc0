// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The command of -c. Plain words are split by wordexp(3) and exec'd
 * directly, as before. Shell syntax goes to /bin/sh with "exec " put before
 * the program's word: "FOO=1 ./app > out" runs as
 * sh -c 'FOO=1 exec ./app > out', so the shell sets up the redirection and
 * the environment and then becomes the program, under the same pid.
 *
 * gotrace must know the program before it runs, to attach its probes to
 * the file: a small lexer of POSIX shell words (quotes, escapes, $(...),
 * ${...}, backquotes) finds it, past assignments and redirections.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wordexp.h>
#include "cmd/command.h"

#define MAX_TOKENS 256

enum token_kind {
	TOKEN_WORD,
	TOKEN_REDIRECT, /* <, >, >>, >|, <>, <&, >& */
};

struct token {
	enum token_kind kind;
	size_t start, end; /* in the line */
};

struct lexer {
	const char *line;
	size_t pos;
	struct token tokens[MAX_TOKENS];
	int n;
	char *errbuf;
	size_t errlen;
};

static int fail(struct lexer *lx, const char *fmt, const char *what)
{
	snprintf(lx->errbuf, lx->errlen, fmt, what);
	return -EINVAL;
}

/* Past the matching CLOSE of a $( or ${ at P (P at the opening bracket),
 * skipping quoted text; NULL when unbalanced. */
static const char *skip_group(const char *p, char open, char close)
{
	int depth = 0;

	for (; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '\'')
			p = strchr(p + 1, '\'');
		else if (*p == open)
			depth++;
		else if (*p == close && --depth == 0)
			return p + 1;
		if (!p)
			return NULL;
	}
	return NULL;
}

/* Past the closing QUOTE of text opened just before P; NULL when there is
 * none. In double quotes and backquotes, a backslash escapes. */
static const char *skip_quoted(const char *p, char quote)
{
	for (; *p; p++) {
		if (*p == '\\' && quote != '\'' && p[1])
			p++;
		else if (*p == quote)
			return p + 1;
	}
	return NULL;
}

static int lex_word(struct lexer *lx)
{
	const char *line = lx->line, *p = line + lx->pos;

	while (*p && !strchr(" \t\n|&;()<>", *p)) {
		if (*p == '\\') {
			p += p[1] ? 2 : 1;
		} else if (*p == '\'' || *p == '"' || *p == '`') {
			p = skip_quoted(p + 1, *p);
			if (!p)
				return fail(lx, "unterminated %s", "quote");
		} else if (*p == '$' && (p[1] == '(' || p[1] == '{')) {
			p = skip_group(p + 1, p[1], p[1] == '(' ? ')' : '}');
			if (!p)
				return fail(lx, "unbalanced %s", "$( or ${");
		} else {
			p++;
		}
	}
	lx->tokens[lx->n++] = (struct token){TOKEN_WORD, lx->pos, p - line};
	lx->pos = p - line;
	return 0;
}

static int lex(struct lexer *lx)
{
	static const char *const redirects[] = {">>", ">|", ">&", "<>", "<&", ">", "<"};
	const char *line = lx->line;
	size_t i;
	int err;

	for (;;) {
		while (line[lx->pos] == ' ' || line[lx->pos] == '\t')
			lx->pos++;
		if (!line[lx->pos])
			return 0;
		if (lx->n == MAX_TOKENS)
			return fail(lx, "more than %s words", "256");
		if (!strncmp(line + lx->pos, "<<", 2))
			return fail(lx, "'%s': here-documents are not supported", "<<");
		if (strchr("|&;()\n", line[lx->pos])) {
			char what[3] = {line[lx->pos], 0, 0};

			if (line[lx->pos + 1] == what[0] && what[0] != '\n')
				what[1] = what[0];
			if (what[0] == '\n')
				strcpy(what, "\\n");
			return fail(lx,
				    "'%s': one program only, without pipelines, lists or "
				    "subshells (their programs are other processes: trace them by "
				    "BINARY)",
				    what);
		}
		for (i = 0; i < sizeof(redirects) / sizeof(redirects[0]); i++) {
			size_t n = strlen(redirects[i]);

			if (!strncmp(line + lx->pos, redirects[i], n)) {
				lx->tokens[lx->n++] =
				    (struct token){TOKEN_REDIRECT, lx->pos, lx->pos + n};
				lx->pos += n;
				break;
			}
		}
		if (i < sizeof(redirects) / sizeof(redirects[0]))
			continue;
		err = lex_word(lx);
		if (err)
			return err;
	}
}

/* NAME=value, NAME unquoted: an assignment, when before the program. */
static bool is_assignment(const char *s, size_t n)
{
	size_t i;

	if (!n || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (i = 1; i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'); i++)
		;
	return i < n && s[i] == '=';
}

/* Digits right before a redirection ("2>&1"): its file descriptor. */
static bool is_io_number(const struct lexer *lx, int i)
{
	const struct token *t = &lx->tokens[i];
	size_t k;

	if (i + 1 >= lx->n || lx->tokens[i + 1].kind != TOKEN_REDIRECT ||
	    lx->tokens[i + 1].start != t->end)
		return false;
	for (k = t->start; k < t->end; k++)
		if (!isdigit((unsigned char)lx->line[k]))
			return false;
	return true;
}

static char *copy_range(const char *s, size_t start, size_t end)
{
	return strndup(s + start, end - start);
}

/* The words of a command without shell syntax, or 1 when it has some
 * wordexp(3) refuses ($(...), backquotes). */
static int split_words(const char *line, struct command *cmd)
{
	wordexp_t we;
	size_t i;
	int err;

	err = wordexp(line, &we, WRDE_NOCMD);
	if (err == WRDE_NOSPACE)
		return -ENOMEM;
	if (err)
		return 1;
	cmd->argv = calloc(we.we_wordc + 1, sizeof(char *));
	for (i = 0; cmd->argv && i < we.we_wordc; i++) {
		cmd->argv[i] = strdup(we.we_wordv[i]);
		if (!cmd->argv[i])
			break;
		cmd->argc++;
	}
	wordfree(&we);
	return cmd->argv && cmd->argc == (int)we.we_wordc ? 0 : -ENOMEM;
}

static int shell_argv(const char *line, size_t program_start, struct command *cmd)
{
	size_t n = strlen(line);
	char *script = malloc(n + sizeof("exec "));

	cmd->argv = calloc(4, sizeof(char *));
	if (!script || !cmd->argv) {
		free(script);
		return -ENOMEM;
	}
	memcpy(script, line, program_start);
	memcpy(script + program_start, "exec ", 5);
	memcpy(script + program_start + 5, line + program_start, n - program_start + 1);
	cmd->argv[0] = strdup("sh");
	cmd->argv[1] = strdup("-c");
	cmd->argv[2] = script;
	cmd->argc = 3;
	cmd->shell = true;
	return cmd->argv[0] && cmd->argv[1] ? 0 : -ENOMEM;
}

int command__parse(const char *line, struct command *cmd, char *errbuf, size_t errlen)
{
	struct lexer *lx = calloc(1, sizeof(*lx));
	bool shell_syntax = false;
	int i, program = -1, err;
	wordexp_t we;
	char *word;

	memset(cmd, 0, sizeof(*cmd));
	if (!lx)
		return -ENOMEM;
	lx->line = line;
	lx->errbuf = errbuf;
	lx->errlen = errlen;
	err = lex(lx);
	if (err)
		goto cleanup;
	for (i = 0; i < lx->n; i++) {
		const struct token *t = &lx->tokens[i];
		char op[3] = "";

		if (t->kind != TOKEN_REDIRECT)
			continue;
		shell_syntax = true;
		if (i + 1 == lx->n || lx->tokens[i + 1].kind != TOKEN_WORD) {
			memcpy(op, line + t->start, t->end - t->start);
			err = fail(lx, "'%s' redirects to nothing", op);
			goto cleanup;
		}
	}
	/* the program: the first word that is no assignment, no redirection's
	 * file and no redirection's descriptor */
	for (i = 0; i < lx->n && program < 0; i++) {
		const struct token *t = &lx->tokens[i];

		if (t->kind == TOKEN_REDIRECT)
			i++; /* its file */
		else if (is_assignment(line + t->start, t->end - t->start))
			shell_syntax = true;
		else if (!is_io_number(lx, i))
			program = i;
	}
	if (program < 0) {
		err = fail(lx, "%s", "no program to run");
		goto cleanup;
	}

	/* the program's name, as the shell will expand it */
	word = copy_range(line, lx->tokens[program].start, lx->tokens[program].end);
	if (!word) {
		err = -ENOMEM;
		goto cleanup;
	}
	err = wordexp(word, &we, WRDE_NOCMD);
	if (err || we.we_wordc != 1) {
		if (!err)
			wordfree(&we);
		snprintf(errbuf, errlen, "the program's name %s must be one word, without $(...)",
			 word);
		free(word);
		err = err == WRDE_NOSPACE ? -ENOMEM : -EINVAL;
		goto cleanup;
	}
	free(word);
	cmd->program = strdup(we.we_wordv[0]);
	wordfree(&we);
	if (!cmd->program) {
		err = -ENOMEM;
		goto cleanup;
	}

	err = shell_syntax ? 1 : split_words(line, cmd);
	if (err == 1)
		err = shell_argv(line, lx->tokens[program].start, cmd);
	if (err == -ENOMEM)
		snprintf(errbuf, errlen, "out of memory");
cleanup:
	free(lx);
	if (err)
		command__free(cmd);
	return err;
}

void command__free(struct command *cmd)
{
	int i;

	for (i = 0; cmd->argv && i < cmd->argc; i++)
		free(cmd->argv[i]);
	free(cmd->argv);
	free(cmd->program);
	memset(cmd, 0, sizeof(*cmd));
}
