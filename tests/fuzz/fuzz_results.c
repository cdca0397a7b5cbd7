// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the results reader (bench/lib/json.c on json-c, strict) and
 * the lookups compare and report make on what it returns
 */
#include <math.h>

#include "fuzz/fuzz.h"
#include "lib/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_walk(const struct json *j, unsigned int depth)
{
	const struct json *c;

	if (depth > 64)
		return;
	for (c = j->child; c; c = c->next) {
		if (c->key) {
			json_num(j, c->key, NAN);
			json_u64(j, c->key, 0);
			json_str(j, c->key, NULL);
		}
		fuzz_walk(c, depth + 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), err[256];
	struct json *j;

	if (!text)
		return 0;
	if (!json_parse(text, &j, err, sizeof(err))) {
		fuzz_walk(j, 0);
		json_free(j);
	}
	free(text);
	return 0;
}
