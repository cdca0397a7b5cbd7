// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: stress scenario files (bench/stress/config.c) */
#include "fuzz/fuzz.h"
#include "stress/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stress_config cfg;
	char *text = fuzz_text(data, size), err[512];

	if (!text)
		return 0;
	stress_config_defaults(&cfg);
	if (!stress_config_apply(&cfg, text, "fuzz", err, sizeof(err)))
		stress_config_check(&cfg, err, sizeof(err));
	free(text);
	return 0;
}
