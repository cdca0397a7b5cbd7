/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compare/internal.h: what the compare command's files share (compare.h is
 * the interface): the evidence kinds, the rows and their verdicts
 */
#ifndef COMPARE_INTERNAL_H
#define COMPARE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "compare/compare.h"
#include "lib/json.h"

#define EXIT_USAGE 2
#define COMPARE_MAX_BENCHMARKS 512 /* micro benchmarks, icount rows */
/* An icount row's twin without the simulation's instructions: its suffix */
#define COMPARE_ICOUNT_NO_SIM "outside sim/"
#define COMPARE_MAX_RUNS 100 /* runs of one micro benchmark */
#define COMPARE_NAME_COLS 28 /* longer names get a line of their own */
#define COMPARE_WHAT_MAX 48 /* what a count counts */
#define COMPARE_NOTE_MAX 128 /* a row's sentence */

enum compare_kind { CK_TIME, CK_INSTR, CK_STRESS, CK_SWEEP, CK_KERNEL, CK_NR };

enum compare_unit { CU_NS, CU_COUNT };

/*
 * What a row's figure is, which decides what a change of it means:
 *   CR_COST   a cost, lower is better: latency, time, instructions, innocent
 *             devices quarantined.  A rise is REGRESSED, a fall improved.
 *   CR_COUNT  a fact: how many invalidations (TLBI, ATC_INV, CFGI,
 *             CMD_SYNC, commands, lists, ATC timeouts) the driver sent.
 *             Fewer is never better by itself (a lost invalidation is
 *             fewer): any change is CV_CHANGED, with its direction.
 *   CR_ZERO   a violation count: head above zero is CV_VIOLATION, whatever
 *             base had.
 */
enum compare_class { CR_COST, CR_COUNT, CR_ZERO };

/*
 * CV_NOISE: a wall-clock change of a benchmark whose instruction count is
 * the same (code layout, the host): reported, never a regression.
 * CV_CHANGED: a count moved (compare_row.fewer says which way).
 */
enum compare_verdict {
	CV_SAME,
	CV_REGRESSED,
	CV_IMPROVED,
	CV_NEW,
	CV_GONE,
	CV_NOISE,
	CV_CHANGED,
	CV_VIOLATION,
	CV_NR,
};

struct compare_row {
	enum compare_kind kind;
	char name[COMPARE_NAME_MAX];
	enum compare_unit unit;
	enum compare_class cls;
	/* what the figure counts, for "fewer ATC_INV": CR_COUNT, CR_ZERO */
	char what[COMPARE_WHAT_MAX];
	/* a reviewer's sentence for a count that fell, or "" */
	char note[COMPARE_NOTE_MAX];
	double base, head; /* NAN when the side lacks it */
	double change_pct; /* NAN when it cannot be computed */
	double p; /* NAN: no test */
	unsigned int runs; /* time: repetitions per side (the fewer) */
	/* time: each side's standard deviation, % of its mean; else NAN */
	double stddev_pct[2];
	/*
	 * time: what else each side's machine did (lib/load.h), the most
	 * over its runs (NAN: not recorded), and how many of its runs were
	 * measured under load
	 */
	double others[2], steal[2];
	unsigned int loaded[2];
	enum compare_verdict verdict;
	bool fewer; /* CV_CHANGED: head counts fewer than base */
};

struct compare_opts {
	const char *dir[2]; /* base, head */
	const char *utest;
	const char *out;
	double band_pct, icount_band_pct, alpha;
	bool gate[CK_NR]; /* the evidence whose regressions set the exit */
};

struct compare {
	const struct compare_opts *o;
	struct compare_row *rows;
	size_t n;
	bool present[CK_NR];
	/* compare_tally(): rows of each verdict, and those that fail */
	unsigned int verdicts[CV_NR], fails[CV_NR], fewer;
	char reason[256]; /* why it could not compare */
};

extern const char *const compare_kind_names[];
/* core.c */
/* Why it could not compare, into c->reason; -EINVAL */
int compare_fail(struct compare *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A row (a cost, CR_COST), named by @fmt; NULL when the table is full */
struct compare_row *compare_add(struct compare *c, enum compare_kind kind,
				enum compare_unit unit, double base,
				double head, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void compare_judge(struct compare_row *r, double band_pct, double alpha);
/* The rows that set the exit status: violations anywhere, gated changes */
bool compare_fails(const struct compare *c, const struct compare_row *r);
/* Count the verdicts into c->verdicts, c->fails, c->fewer; the fails */
unsigned int compare_tally(struct compare *c);
/* "fewer ATC_INV", "more CMD_SYNC", "12 violations": @r's change in words */
const char *compare_words(const struct compare_row *r, char *buf, size_t len);
int compare_both(struct compare *c, const char *name, bool *both);
/* @path read with json_parse_file_flags(): JSON_NONFINITE for others' files */
int compare_load_flags(struct compare *c, const char *path, unsigned int flags,
		       struct json **out);
int compare_load_path(struct compare *c, const char *path, struct json **out);
int compare_load(struct compare *c, const char *dir, const char *name,
		 struct json **out);
int compare_find(const void *items, size_t size, unsigned int n,
		 const char *name);

/* micro.c */
int compare_micro(struct compare *c);
int compare_icount(struct compare *c);
void compare_mark_noise(struct compare *c);

/* exact.c */
int compare_stress(struct compare *c);
int compare_kernel(struct compare *c);
int compare_sweep(struct compare *c);

/* output.c */
void compare_table(const struct compare *c, FILE *f);
/* The changed counts and violations first, in words (compare.txt's head) */
void compare_headline(const struct compare *c, FILE *f);
void compare_json(const struct compare *c, FILE *f);
int compare_write(const char *dir, const char *name, const char *data,
		  size_t len);

/* A time row with a run of either side measured under load (lib/load.h) */
bool compare_under_load(const struct compare_row *r);

#endif /* COMPARE_INTERNAL_H */
