// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The command of -c: plain words are exec'd as they are; shell syntax goes
 * to /bin/sh with "exec " before the program, found past assignments and
 * redirections; what would start other processes is refused.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "cmd/command.h"

static void parses(const char *line, const char *program, bool shell, const char *script)
{
	struct command cmd;
	char errbuf[256] = "";

	assert_int_equal(command__parse(line, &cmd, errbuf, sizeof(errbuf)), 0);
	assert_string_equal(cmd.program, program);
	assert_int_equal(cmd.shell, shell);
	if (shell) {
		assert_int_equal(cmd.argc, 3);
		assert_string_equal(cmd.argv[0], "sh");
		assert_string_equal(cmd.argv[1], "-c");
		assert_string_equal(cmd.argv[2], script);
	}
	assert_null(cmd.argv[cmd.argc]);
	command__free(&cmd);
}

static void refuses(const char *line, const char *why)
{
	struct command cmd;
	char errbuf[256] = "";

	assert_int_equal(command__parse(line, &cmd, errbuf, sizeof(errbuf)), -EINVAL);
	if (!strstr(errbuf, why))
		fail_msg("'%s': '%s' does not say '%s'", line, errbuf, why);
	assert_null(cmd.argv);
	assert_null(cmd.program);
}

static void test_plain_words(void **state)
{
	struct command cmd;
	char errbuf[256];

	assert_int_equal(command__parse("  ./app -v 'a b' \"c\"  ", &cmd, errbuf, sizeof(errbuf)),
			 0);
	assert_false(cmd.shell);
	assert_int_equal(cmd.argc, 4);
	assert_string_equal(cmd.argv[0], "./app");
	assert_string_equal(cmd.argv[1], "-v");
	assert_string_equal(cmd.argv[2], "a b");
	assert_string_equal(cmd.argv[3], "c");
	assert_null(cmd.argv[4]);
	assert_string_equal(cmd.program, "./app");
	command__free(&cmd);
	parses("'./my app' x", "./my app", false, NULL);
}

static void test_shell_syntax(void **state)
{
	parses("./app > /tmp/out", "./app", true, "exec ./app > /tmp/out");
	parses("./app >/tmp/out 2>&1", "./app", true, "exec ./app >/tmp/out 2>&1");
	parses("FOO=1 ./app", "./app", true, "FOO=1 exec ./app");
	parses("FOO='a b' BAR=2 ./app -x", "./app", true, "FOO='a b' BAR=2 exec ./app -x");
	parses("</dev/null ./app", "./app", true, "</dev/null exec ./app");
	parses("2>/dev/null ./app", "./app", true, "2>/dev/null exec ./app");
	parses("./app $(echo -v)", "./app", true, "exec ./app $(echo -v)");
	parses("./app `echo -v` \"$(echo 'x)')\"", "./app", true,
	       "exec ./app `echo -v` \"$(echo 'x)')\"");
	parses("./app '>' x", "./app", false, NULL); /* quoted: a word */
	parses("./app a=b", "./app", false, NULL);   /* after the program: an argument */
	parses("'FOO=1' x", "FOO=1", false, NULL);   /* quoted: a program's name */
}

static void test_refused(void **state)
{
	refuses("./app | grep x", "'|': one program only");
	refuses("./app && ./other", "'&&'");
	refuses("./app &", "'&'");
	refuses("./app; ./other", "';'");
	refuses("(./app)", "'('");
	refuses("./app <<EOF", "here-documents");
	refuses("./app 'unterminated", "unterminated quote");
	refuses("./app $(echo", "unbalanced");
	refuses("FOO=1 > out", "no program");
	refuses("   ", "no program");
	refuses("./app >", "'>' redirects to nothing");
	refuses("$(which app) -v", "must be one word");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_words),
	    cmocka_unit_test(test_shell_syntax),
	    cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
