// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: fault plans (sim/fault.c) */
#include "fuzz/fuzz.h"
#include "sim/fault.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_fault_plan *plan = NULL;
	char *text = fuzz_text(data, size), err[256];

	if (!text)
		return 0;
	if (!sim_fault_parse(text, 1, &plan, err, sizeof(err)))
		sim_fault_free(plan);
	free(text);
	return 0;
}
