// SPDX-License-Identifier: GPL-2.0
/*
 * The option tables (bench/lib/opt): both spellings of a key and of a
 * value, decimal numbers only, limits, durations, enums, the errors'
 * wording, positional arguments in order with argv left as it was, the
 * help's defaults and width, and the "key = value" round trip.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/opt.h"

#include "unit/khooks_test.h"

struct topts {
	unsigned int count;
	u64 big, ns;
	double band;
	unsigned int mode;
	bool flag;
	const char *path;
	char text[8];
};

static const char *const tmodes[] = { "one", "two", NULL };

#define T(n, t, f, lo, hi, h)                                                 \
	{                                                                     \
		.name = n, .type = t, .off = offsetof(struct topts, f),       \
		.size = sizeof(((struct topts *)0)->f), .min = lo, .max = hi, \
		.names = tmodes, .arg = "X", .help = h                        \
	}

static const struct opt topt_table[] = {
	T("op_count", OPT_UINT, count, 1, 64, "a count"),
	T("big", OPT_U64, big, 0, U64_MAX, "a big one"),
	T("wait", OPT_NS, ns, 1000, 3600000000000ULL, "a duration"),
	T("band", OPT_REAL, band, 0, 100, "a percentage"),
	T("mode", OPT_ENUM, mode, 0, 0, "one or two"),
	T("flag", OPT_FLAG, flag, 0, 0, "a flag"),
	T("text", OPT_TEXT, text, 0, 0, "at most 7 characters"),
	{ .name = "path",
	  .type = OPT_STR,
	  .off = offsetof(struct topts, path),
	  .size = 10,
	  .arg = "P",
	  .help = "a path of at most 10 characters" },
};

/* Parse @args (NULL-terminated, after "cmd") into @o: opt_parse()'s return */
static int parse(struct topts *o, const char **pos, int max_pos, int *npos,
		 const char *const *args)
{
	const struct opt_group g = OPT_GROUP(topt_table, o);
	char *argv[32] = { "cmd" };
	char *copy[32];
	int argc = 1, i, ret;

	for (; args[argc - 1]; argc++)
		argv[argc] = (char *)args[argc - 1];
	memcpy(copy, argv, sizeof(copy));
	ret = opt_parse("cmd", &g, 1, argc, argv, pos, max_pos, npos);
	/* argv is left as it was: the command line stays recordable */
	for (i = 0; i < argc; i++)
		assert_ptr_equal(argv[i], copy[i]);
	return ret;
}

static void test_spellings(void **state)
{
	struct topts o = { .count = 2 };
	const char *pos[2];
	int npos;

	assert_int_equal(parse(&o, pos, 2, &npos,
			       (const char *[]){ "a", "--op-count", "010",
						 "--op_count=12", "b",
						 "--wait=3", "--flag", NULL }),
			 0);
	/* decimal: 010 is ten, and the last one given wins */
	assert_int_equal(o.count, 12);
	assert_true(o.flag);
	/* a bare duration is seconds */
	assert_int_equal(o.ns, 3000000000ULL);
	assert_int_equal(npos, 2);
	assert_string_equal(pos[0], "a");
	assert_string_equal(pos[1], "b");
}

static void test_numbers(void **state)
{
	static const char *const bad[][3] = {
		{ "--op-count", "0x10" },
		{ "--op-count", "-1" },
		{ "--op-count", "+1" },
		{ "--op-count", "1e3" },
		{ "--op-count", " 1" },
		{ "--op-count", "" },
		{ "--op-count", "0" },
		{ "--op-count", "65" },
		{ "--big", "18446744073709551616" },
		{ "--band", "nan" },
		{ "--band", "1.2.3" },
		{ "--band", "101" },
		{ "--wait", "1e3" },
		{ "--wait", "999ns" },
		{ "--wait", "2h" },
		{ "--mode", "three" },
		{ "--text", "12345678" },
		{ "--path", "12345678901" },
	};
	struct topts o = {};
	unsigned int i;
	int npos;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(
			parse(&o, NULL, 0, &npos,
			      (const char *[]){ bad[i][0], bad[i][1], NULL }),
			-EINVAL);
	assert_int_equal(parse(&o, NULL, 0, &npos,
			       (const char *[]){ "--big",
						 "18446744073709551615",
						 "--band", "2.5", "--mode",
						 "two", NULL }),
			 0);
	assert_true(o.big == U64_MAX);
	assert_true(o.band == 2.5);
	assert_int_equal(o.mode, 1);
}

static void test_errors(void **state)
{
	static const char *const cases[][3] = {
		{ "--nope", NULL },
		{ "--op-count", NULL },
		{ "x", NULL },
	};
	struct topts o = {};
	unsigned int i;
	int npos;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		assert_int_equal(parse(&o, NULL, 0, &npos, cases[i]), -EINVAL);
	assert_int_equal(
		parse(&o, NULL, 0, &npos,
		      (const char *[]){ "--op-count", "3", "-h", NULL }),
		1);
	assert_int_equal(parse(&o, NULL, 0, &npos,
			       (const char *[]){ "--help", NULL }),
			 1);
	/* after "--", everything is an argument */
	{
		const char *pos[1];

		assert_int_equal(
			parse(&o, pos, 1, &npos,
			      (const char *[]){ "--", "--flag", NULL }),
			0);
		assert_string_equal(pos[0], "--flag");
	}
}

static void test_help(void **state)
{
	struct topts o = { .count = 4, .ns = 1500000 };
	const struct opt_group g = OPT_GROUP(topt_table, &o);
	char *buf = NULL, *line, *save;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	opt_help(f, &g, 1, true);
	fclose(f);
	printf("%s", buf);
	assert_non_null(strstr(buf, "--op-count X"));
	assert_non_null(strstr(buf, "(default 4; 1..64)"));
	assert_non_null(strstr(buf, "(default 1500us; 1us..1h)"));
	assert_non_null(strstr(buf, "(default 0; 0..2^64-1)"));
	assert_non_null(strstr(buf, "--flag  "));
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		assert_true(strlen(line) <= 80);
	free(buf);
}

/* What opt_print_values() writes, opt_set() reads back to the same values */
static void test_round_trip(void **state)
{
	struct topts a = { .count = 7,
			   .big = 123456789012345ULL,
			   .ns = 1234,
			   .band = 0.25,
			   .mode = 1 };
	struct topts b = {};
	const struct opt_group ga = OPT_GROUP(topt_table, &a);
	const struct opt_group gb = OPT_GROUP(topt_table, &b);
	char *buf = NULL, *line, *save, err[256];
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	strcpy(a.text, "abc");
	a.path = "p";
	assert_non_null(f);
	opt_print_values(f, &ga, 1);
	fclose(f);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *eq = strstr(line, " = ");

		assert_non_null(eq);
		*eq = '\0';
		assert_int_equal(
			opt_set(&gb, 1, line, eq + 3, err, sizeof(err)), 0);
	}
	assert_int_equal(b.count, a.count);
	assert_true(b.big == a.big && b.ns == a.ns && b.band == a.band);
	assert_int_equal(b.mode, a.mode);
	assert_string_equal(b.text, a.text);
	assert_int_equal(opt_set(&gb, 1, "nope", "1", err, sizeof(err)),
			 -ENOENT);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spellings),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
