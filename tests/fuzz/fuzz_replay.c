// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: atcbench replay's input (bench/replay), with and without RIL,
 * with and without the command trace
 */
#include <stdio.h>
#include <linux/rcupdate.h>

#include "fuzz/fuzz.h"
#include "replay/replay.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *fuzz_null;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	rcu_register_thread();
	fuzz_null = fopen("/dev/null", "w");
	return fuzz_null ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/*
	 * Formatting the trace is half of an input's time; every other
	 * input still sends its commands through sim_cmd_format().
	 */
	const struct replay_opts opts = {
		.range_inv = size & 1,
		.no_trace = size & 2,
	};
	FILE *in;

	if (!size)
		return 0;
	in = fmemopen((void *)data, size, "r");
	if (!in)
		return 0;
	replay_run(in, fuzz_null, fuzz_null, &opts);
	fclose(in);
	/* the arrays the operations retired: freed before the next input */
	rcu_barrier();
	return 0;
}
