/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the libFuzzer targets share: the input as a NUL-terminated string
 * (the parsers read text; a NUL inside ends it, as the commands refuse such
 * files before parsing).
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (text) {
		memcpy(text, data, size);
		text[size] = '\0';
	}
	return text;
}

#endif /* FUZZ_H */
