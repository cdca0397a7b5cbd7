/* SPDX-License-Identifier: GPL-2.0 */
/*
 * replay: apply a text list of invalidation-array operations to an array
 * and print the array (or the commands of a walk) after each; the format is
 * in README.md ("atcbench replay").
 */
#ifndef REPLAY_H
#define REPLAY_H

#include <stdbool.h>
#include <stdio.h>

#define REPLAY_MAX_SMMUS 8 /* @SMMU indices 0..7 */
#define REPLAY_LINE_MAX 65536 /* bytes per input line */
#define REPLAY_MAX_SSID ((1u << 20) - 1) /* 20-bit PASID */
#define REPLAY_MAX_TAG 0xffffu /* 16-bit ASID and VMID */

struct replay_opts {
	/* The SMMUs advertise range invalidation (IDR3.RIL) */
	bool range_inv;
	/* Print no command trace (the fuzz target, on half of its inputs) */
	bool no_trace;
};

/*
 * Run the operations of @in, printing to @out; errors go to @err as
 * "line N: reason".  Returns 0, -EINVAL for bad input (exit status 2), or
 * another negative errno.
 */
int replay_run(FILE *in, FILE *out, FILE *err, const struct replay_opts *opts);
/* "atcbench replay [--range-inv] [FILE|-]" */
int replay_cmd(int argc, char **argv);

#endif /* REPLAY_H */
