/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compare: the verdicts of scripts/compare.sh.  Reads two results folders
 * (base and head) and compares three kinds of evidence, each with its own
 * rule:
 *   time     wall-clock micro benchmarks (micro.json: one iteration entry
 *            per run), with compare.py's Mann-Whitney U test: a change
 *            counts when p < alpha and the median moved by more than the
 *            time band;
 *   instr    instructions per operation (icount.tsv, callgrind): a change
 *            counts when it exceeds the instruction band;
 *   stress / sweep
 *            virtual-time stress runs (stress-*.json with clock "virtual")
 *            and the isolation sweep (isolate.json): deterministic, so any
 *            difference counts;
 *   kernel   real-kernel runs (kernel-*.json): exact counts.
 * Each row has a class (compare/internal.h): a cost is lower-is-better; a
 * count (invalidations sent) is a fact, any change "changed" with its
 * direction, never better or worse; a violation count fails whenever head
 * has one.  --gate picks the evidence whose changes and regressions set the
 * exit status; the rest is advisory; violations always set it.  Writes compare.txt (the table, at most 72 columns) and
 * compare.json.
 */
#ifndef COMPARE_H
#define COMPARE_H

/* compare.json's "schema_version" (results/README.md describes the schema) */
#define COMPARE_SCHEMA_VERSION 2

#include <stdbool.h>
#include <stdio.h>

#define COMPARE_DEFAULT_BAND_PCT 5.0
#define COMPARE_DEFAULT_ICOUNT_BAND_PCT 1.0
#define COMPARE_DEFAULT_ALPHA 0.05
#define COMPARE_MAX_BAND_PCT 100.0
#define COMPARE_MAX_ROWS 4096 /* rows of a comparison */
#define COMPARE_NAME_MAX 96 /* a row's name */
/* compare.json's rows' "rank": 0 to this one are what failed, first */
#define COMPARE_RANK_HEADLINE 5

/*
 * The word a headline line of that rank starts with: VIOLATION, CHANGED,
 * REGRESSED, "FIXED (base only)"; @advisory (a change in evidence that
 * does not gate): "changed", "regressed"
 */
const char *compare_rank_label(int rank, bool advisory);

/*
 * "atcbench compare BASE_DIR HEAD_DIR [--utest FILE] [--band PCT]
 * [--icount-band PCT] [--alpha A] [--out DIR]": exit 0 nothing that gates
 * changed, 1 a violation, a changed count or a regression, 2 could not
 * compare
 */
int compare_cmd(int argc, char **argv);

/* A micro benchmark's median time per operation, as compare judges it */
struct compare_median {
	char name[COMPARE_NAME_MAX];
	double ns; /* CPU time for one thread, real time for several */
};

/*
 * The medians of DIR/micro.json's iteration runs, in file order, into a
 * new *@out (the caller frees it): their number, or -errno
 */
int compare_micro_medians(const char *dir, struct compare_median **out);

#endif /* COMPARE_H */
