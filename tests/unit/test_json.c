// SPDX-License-Identifier: GPL-2.0
/*
 * The results reader (bench/lib/json.c): what RFC 8259 forbids is refused
 * with an offset, input cut anywhere is refused without reading past it
 * (ASan watches), escapes become UTF-8, integers stay exact to 2^64 - 1,
 * nesting deeper than JSON_MAX_DEPTH is refused, and a file with a NUL
 * byte is refused rather than cut.  No randomness.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/json.h"
#include "unit/khooks_test.h"

static int parse(const char *text, struct json **j, char *err, size_t len)
{
	*j = NULL;
	return json_parse(text, j, err, len);
}

static void refused(const char *text)
{
	struct json *j;
	char err[128] = "";

	assert_int_equal(parse(text, &j, err, sizeof(err)), -EINVAL);
	assert_null(j);
	assert_true(strlen(err) > 0);
}

static void test_forbidden(void **state)
{
	(void)state;
	refused("{\"a\": NaN}");
	refused("{\"a\": [1, Infinity]}");
	refused("{\"a\": -Infinity}");
	refused("{\"a\": 0x1F}");
	refused("{\"a\": 01}");
	refused("{\"a\": 1,}");
	refused("{'a': 1}");
	refused("{\"a\": ['x']}");
	refused("{\"a\": 1} trailing");
	refused("");
}

/* Every prefix of a valid document is refused; ASan sees any over-read */
static void test_every_prefix(void **state)
{
	static const char doc[] =
		"{\"s\": \"caf\\u00e9 \\u4e2d \\\"q\\\" \\\\ \\n\", "
		"\"n\": [1, -2.5e3, 18446744073709551615, true, null], "
		"\"o\": {\"k\": \"\\u0041\"}}";
	size_t len = strlen(doc), i;
	struct json *j;
	char err[128];

	(void)state;
	for (i = 0; i < len; i++) {
		char *cut = strndup(doc, i);

		assert_non_null(cut);
		assert_int_equal(parse(cut, &j, err, sizeof(err)), -EINVAL);
		free(cut);
	}
	assert_int_equal(parse(doc, &j, err, sizeof(err)), 0);
	json_free(j);
}

static void test_values(void **state)
{
	const char *text = "{\"s\": \"caf\\u00e9 \\u4e2d\", \"seed\": "
			   "18446744073709551615, \"big\": 9007199254740993, "
			   "\"neg\": -5, \"d\": 1.5, \"b\": true}";
	struct json *j;
	char err[128];

	(void)state;
	assert_int_equal(parse(text, &j, err, sizeof(err)), 0);
	assert_string_equal(json_str(j, "s", ""), "caf\xc3\xa9 \xe4\xb8\xad");
	assert_true(json_u64(j, "seed", 0) == 18446744073709551615ULL);
	/* 2^53 + 1: a double would make it 2^53 */
	assert_true(json_u64(j, "big", 0) == 9007199254740993ULL);
	assert_true(json_u64(j, "neg", 7) == 7);
	assert_true(json_num(j, "neg", 0) == -5);
	assert_true(json_u64(j, "d", 7) == 7);
	assert_true(json_num(j, "d", 0) == 1.5);
	assert_true(json_num(j, "b", 0) == 1);
	assert_true(json_num(j, "missing", 3) == 3);
	json_free(j);
}

static void test_depth(void **state)
{
	char deep[2 * (JSON_MAX_DEPTH + 2) + 1];
	struct json *j;
	char err[128];
	int n;

	(void)state;
	for (n = JSON_MAX_DEPTH - 1; n <= JSON_MAX_DEPTH + 1; n++) {
		memset(deep, '[', n);
		memset(deep + n, ']', n);
		deep[2 * n] = '\0';
		if (n <= JSON_MAX_DEPTH) {
			assert_int_equal(parse(deep, &j, err, sizeof(err)), 0);
			json_free(j);
		} else {
			assert_int_equal(parse(deep, &j, err, sizeof(err)),
					 -EINVAL);
		}
	}
}

static void test_file_with_nul(void **state)
{
	static const char body[] = "{\"a\": 1}\0{\"b\": 2}";
	char path[] = "/tmp/test_json.XXXXXX", err[128];
	char nan_path[] = "/tmp/test_json.XXXXXX";
	const char *nan_doc = "{\"hits\": NaN, \"t\": 2}";
	struct json *j = NULL;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, body, sizeof(body) - 1),
			 (ssize_t)sizeof(body) - 1);
	close(fd);
	assert_int_equal(json_parse_file(path, &j, err, sizeof(err)), -EINVAL);
	assert_null(j);
	assert_non_null(strstr(err, "NUL"));
	unlink(path);

	/* Google Benchmark's NaN: refused, but read where the caller allows */
	fd = mkstemp(nan_path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, nan_doc, strlen(nan_doc)),
			 (ssize_t)strlen(nan_doc));
	close(fd);
	assert_int_equal(json_parse_file(nan_path, &j, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(json_parse_file_flags(nan_path, JSON_NONFINITE, &j,
					       err, sizeof(err)),
			 0);
	assert_true(isnan(json_num(j, "hits", 0)));
	assert_true(json_num(j, "t", 0) == 2);
	json_free(j);
	unlink(nan_path);
	assert_int_equal(json_parse_file("/nonexistent/x.json", &j, err,
					 sizeof(err)),
			 -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forbidden),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_file_with_nul),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
