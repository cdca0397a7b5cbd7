// SPDX-License-Identifier: GPL-2.0
/*
 * compare: the exact evidence: virtual-time stress runs, real-kernel runs
 * and the isolation sweep
 */

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compare/internal.h"
#include "lib/results.h"

#define KERNEL_COMPARE_MAX_SIDS 64 /* SIDs of a run given rows */
#define KERNEL_COMPARE_MAX_SIZES 53 /* ATC_INV range sizes: 2^0 .. 2^52 */

/*
 * Virtual-time stress runs, real-kernel runs and the isolation sweep:
 * exact, each row by its class (internal.h); @what says what a count or a
 * violation count counts
 */
static struct compare_row *
compare_exact(struct compare *c, enum compare_kind kind, enum compare_unit unit,
	      enum compare_class cls, const char *what, double base,
	      double head, const char *name, const char *label)
{
	struct compare_row *r;

	r = compare_add(c, kind, unit, base, head, "%s %s", name, label);
	if (!r)
		return NULL;
	r->cls = cls;
	snprintf(r->what, sizeof(r->what), "%s", what ? what : "");
	compare_judge(r, 0, 1);
	return r;
}

static double compare_pct(const struct json *run, const char *metric,
			  const char *p)
{
	const struct json *m = json_get(json_get(run, "metrics"), metric);

	return json_num(m, "count", 0) ? json_num(m, p, NAN) : NAN;
}

static void compare_stress_run(struct compare *c, const struct json *b,
			       const struct json *h)
{
	static const struct {
		const char *metric, *p, *label;
	} pcts[] = {
		{ "inv_ns", "p50", "inv p50" },
		{ "inv_ns", "p99", "inv p99" },
		{ "inv_ns", "p99_9", "inv p99.9" },
		{ "time_to_quarantine_ns", "p50", "ttq p50" },
		{ "time_to_quarantine_ns", "p99", "ttq p99" },
	};
	static const struct {
		const char *key, *label;
		enum compare_class cls;
		const char *what;
	} counts[] = {
		{ "timeouts", "timeouts", CR_COUNT, "ATC timeouts" },
		{ "innocent_quarantines", "innocent", CR_COST, NULL },
		{ "atc_invs_to_broken", "spam", CR_COUNT,
		  "ATC_INVs to quarantined devices" },
		{ "oracle_violations", "violations", CR_ZERO,
		  "oracle violations" },
		{ "warns", "warns", CR_ZERO, "WARN_ON()s" },
	};
	const char *name = json_str(b, "name", "?");
	unsigned int i;

	for (i = 0; i < sizeof(pcts) / sizeof(pcts[0]); i++) {
		double vb = compare_pct(b, pcts[i].metric, pcts[i].p);
		double vh = compare_pct(h, pcts[i].metric, pcts[i].p);

		if (isnan(vb) && isnan(vh))
			continue;
		compare_exact(c, CK_STRESS, CU_NS, CR_COST, NULL, vb, vh, name,
			      pcts[i].label);
	}
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		compare_exact(c, CK_STRESS, CU_COUNT, counts[i].cls,
			      counts[i].what, json_num(b, counts[i].key, NAN),
			      json_num(h, counts[i].key, NAN), name,
			      counts[i].label);
	compare_exact(c, CK_STRESS, CU_COUNT, CR_COUNT,
		      "SMMU commands per operation",
		      json_num(b, "smmu_commands", NAN) / json_num(b, "ops", 1),
		      json_num(h, "smmu_commands", NAN) / json_num(h, "ops", 1),
		      name, "cmds/op");
}

/*
 * Each PREFIX*.json of base with head's file of that name, through @run;
 * with @virtual_only, stress runs in real time are left alone (they feed
 * the plots, not the verdicts)
 */
static int compare_pairs(struct compare *c, const char *prefix,
			 bool virtual_only,
			 void (*run)(struct compare *c, const struct json *b,
				     const struct json *h))
{
	char **names = NULL;
	int n, i, ret = 0;

	n = results_files(c->o->dir[0], prefix, ".json", &names);
	if (n < 0)
		return compare_fail(c, "%s: %s", c->o->dir[0], strerror(-n));
	for (i = 0; i < n; i++) {
		struct json *j[2] = {};
		bool both;

		if (!ret)
			ret = compare_load(c, c->o->dir[0], names[i], &j[0]);
		if (!ret && virtual_only &&
		    strcmp(json_str(j[0], "clock", ""), "virtual"))
			goto next;
		if (!ret)
			ret = compare_both(c, names[i], &both);
		if (!ret)
			ret = compare_load(c, c->o->dir[1], names[i], &j[1]);
		if (!ret)
			run(c, j[0], j[1]);
next:
		json_free(j[0]);
		json_free(j[1]);
		free(names[i]);
	}
	free(names);
	return ret;
}

int compare_stress(struct compare *c)
{
	return compare_pairs(c, "stress-", true, compare_stress_run);
}

/*
 * Real-kernel runs (kernel-NAME.json): what the driver sent per domain
 * invalidation, exact; every one a count (CR_COUNT), and what the ATC
 * oracle found, violations (CR_ZERO).  Their latencies are not judged:
 * under QEMU's TCG they time the emulator.
 */

/*
 * The ATC_INVs @run's SMMU executed to @sid covering 2^@size pages (the
 * command's encoding; 52: all), of any size when @size is negative
 */
static double compare_atc_invs(const struct json *run, long sid, long size)
{
	const struct json *a = json_get(run, "atc_inv");
	double n = 0;

	for (a = a ? a->child : NULL; a; a = a->next)
		if (json_num(a, "sid", -1) == sid &&
		    (size < 0 || json_num(a, "size", -1) == size))
			n += json_num(a, "count", 0);
	return n;
}

/* Adds @v to the @n distinct values of @set (at most @max) */
static void compare_add_distinct(long *set, unsigned int *n, unsigned int max,
				 long v)
{
	unsigned int i;

	for (i = 0; i < *n && set[i] != v; i++)
		;
	if (i == *n && *n < max && v >= 0)
		set[(*n)++] = v;
}

/* The SIDs either side's SMMU saw as ATS devices or sent an ATC_INV to */
static unsigned int compare_atc_sids(const struct json *const side[2],
				     long *sids, unsigned int max)
{
	const struct json *a;
	unsigned int n = 0, k;

	for (k = 0; k < 2; k++) {
		a = json_get(side[k], "atc_inv");
		for (a = a ? a->child : NULL; a; a = a->next)
			compare_add_distinct(sids, &n, max,
					     json_num(a, "sid", -1));
		a = json_get(side[k], "ats_sids");
		for (a = a ? a->child : NULL; a; a = a->next)
			compare_add_distinct(sids, &n, max, a->num);
	}
	return n;
}

/*
 * Per range size (the command's encoding) of @sid's ATC_INVs: a change of
 * the ranges is a changed count even where the number of ATC_INVs is the
 * same (a range one page short of the unmap)
 */
static void compare_kernel_atc_sizes(struct compare *c,
				     const struct json *const side[2],
				     const double ops[2], const char *name,
				     long sid)
{
	long sizes[KERNEL_COMPARE_MAX_SIZES];
	unsigned int n = 0, k, i;

	for (k = 0; k < 2; k++) {
		const struct json *a = json_get(side[k], "atc_inv");

		for (a = a ? a->child : NULL; a; a = a->next)
			if (json_num(a, "sid", -1) == sid)
				compare_add_distinct(sizes, &n,
						     KERNEL_COMPARE_MAX_SIZES,
						     json_num(a, "size", -1));
	}
	for (i = 0; i < n; i++) {
		char label[48], what[COMPARE_WHAT_MAX];

		snprintf(label, sizeof(label),
			 "ATC_INV/op sid %#lx 2^%ld pages", sid, sizes[i]);
		snprintf(what, sizeof(what),
			 "ATC_INV of 2^%ld pages to SID %#lx", sizes[i], sid);
		compare_exact(c, CK_KERNEL, CU_COUNT, CR_COUNT, what,
			      compare_atc_invs(side[0], sid, sizes[i]) / ops[0],
			      compare_atc_invs(side[1], sid, sizes[i]) / ops[1],
			      name, label);
	}
}

/* Per SID: ATC_INVs per operation, and what a fall means to a reviewer */
static void compare_kernel_atc(struct compare *c,
			       const struct json *const side[2],
			       const double ops[2], const char *name)
{
	long sids[KERNEL_COMPARE_MAX_SIDS];
	unsigned int n, i;

	n = compare_atc_sids(side, sids, KERNEL_COMPARE_MAX_SIDS);
	for (i = 0; i < n; i++) {
		double inv[2] = { compare_atc_invs(side[0], sids[i], -1),
				  compare_atc_invs(side[1], sids[i], -1) };
		struct compare_row *r;
		char label[48], what[COMPARE_WHAT_MAX];

		snprintf(label, sizeof(label), "ATC_INV/op sid %#lx", sids[i]);
		snprintf(what, sizeof(what), "ATC_INV to SID %#lx", sids[i]);
		r = compare_exact(c, CK_KERNEL, CU_COUNT, CR_COUNT, what,
				  inv[0] / ops[0], inv[1] / ops[1], name,
				  label);
		compare_kernel_atc_sizes(c, side, ops, name, sids[i]);
		if (!r || r->verdict != CV_CHANGED || !r->fewer)
			continue;
		if (!inv[1])
			snprintf(r->note, sizeof(r->note),
				 "ATS device %#lx received no ATC invalidation "
				 "for %.0f unmaps",
				 sids[i], ops[1]);
		else
			snprintf(r->note, sizeof(r->note),
				 "ATS device %#lx received %.0f ATC "
				 "invalidations for %.0f unmaps",
				 sids[i], inv[1], ops[1]);
	}
}

static bool compare_shape_sync(const struct json *shape)
{
	const struct json *y = json_get(shape, "sync");

	return y && y->type == JSON_BOOL && y->num;
}

/* Each command-list shape either side issued, per operation */
static void compare_kernel_shapes(struct compare *c,
				  const struct json *const side[2],
				  const double ops[2], const char *name)
{
	unsigned int k;

	for (k = 0; k < 2; k++) {
		const struct json *s = json_get(side[k], "list_sizes");

		for (s = s ? s->child : NULL; s; s = s->next) {
			double cmds = json_num(s, "cmds", 0), v[2] = { 0, 0 };
			bool sync = compare_shape_sync(s);
			char label[48], what[COMPARE_WHAT_MAX];
			struct compare_row *r;
			unsigned int j;

			for (j = 0; j < 2; j++) {
				const struct json *o =
					json_get(side[j], "list_sizes");

				for (o = o ? o->child : NULL; o; o = o->next)
					if (json_num(o, "cmds", -1) == cmds &&
					    compare_shape_sync(o) == sync)
						v[j] = json_num(o, "lists", 0);
			}
			if (k == 1 && v[0])
				continue; /* done from base's side */
			snprintf(label, sizeof(label), "lists %.0f%s/op", cmds,
				 sync ? "+sync" : "");
			if (!cmds && sync)
				snprintf(what, sizeof(what), "sync-only lists");
			else
				snprintf(what, sizeof(what),
					 "lists of %.0f command%s%s", cmds,
					 cmds == 1 ? "" : "s",
					 sync ? " and a CMD_SYNC" : "");
			r = compare_exact(c, CK_KERNEL, CU_COUNT, CR_COUNT,
					  what, v[0] / ops[0], v[1] / ops[1],
					  name, label);
			if (r && r->verdict == CV_CHANGED && !v[0])
				snprintf(r->note, sizeof(r->note),
					 "%.0f %s appeared", v[1], what);
			else if (r && r->verdict == CV_CHANGED)
				snprintf(r->note, sizeof(r->note),
					 "%.0f %s in base, %.0f in head", v[0],
					 what, v[1]);
		}
	}
}

static void compare_kernel_run(struct compare *c, const struct json *b,
			       const struct json *h)
{
	static const struct {
		const char *key, *label, *what;
	} per_op[] = {
		{ "cmds_per_op", "cmds/op", "commands" },
		{ "syncs_per_op", "syncs/op", "CMD_SYNC" },
		{ "lists_per_op", "lists/op", "command lists" },
	};
	static const struct {
		const char *key, *label, *what;
	} oracle[] = {
		{ "stale_hits", "stale ATC hits", "stale ATC hits" },
		{ "order_violations", "ATC_INV before TLBI sync",
		  "ATC_INVs before their TLBI's CMD_SYNC" },
		{ "ats_without_inv", "ATS devices w/o ATC_INV",
		  "ATS devices that received no ATC_INV" },
	};
	const struct json *const side[2] = { b, h };
	const struct json *op;
	const char *name = json_str(b, "name", "?");
	double ops[2], calls[2];
	unsigned int i, k;

	/* The oracle's findings first: they are the verdict */
	for (i = 0; i < sizeof(oracle) / sizeof(oracle[0]); i++) {
		double v[2];

		for (k = 0; k < 2; k++)
			v[k] = json_num(json_get(side[k], "atc_oracle"),
					oracle[i].key, NAN);
		if (!isnan(v[0]) || !isnan(v[1]))
			compare_exact(c, CK_KERNEL, CU_COUNT, CR_ZERO,
				      oracle[i].what, v[0], v[1], name,
				      oracle[i].label);
	}
	for (i = 0; i < sizeof(per_op) / sizeof(per_op[0]); i++)
		compare_exact(c, CK_KERNEL, CU_COUNT, CR_COUNT, per_op[i].what,
			      json_num(b, per_op[i].key, NAN),
			      json_num(h, per_op[i].key, NAN), name,
			      per_op[i].label);
	for (k = 0; k < 2; k++) {
		ops[k] = json_num(side[k], "ops", NAN);
		calls[k] = json_num(side[k], "atc_inv_domain_calls", NAN);
	}
	if (!isnan(calls[0]) || !isnan(calls[1]))
		compare_exact(c, CK_KERNEL, CU_COUNT, CR_COUNT,
			      "arm_smmu_atc_inv_domain() calls",
			      calls[0] / ops[0], calls[1] / ops[1], name,
			      "atc_inv_domain/op");
	/* Every opcode either side's SMMU executed, per operation */
	for (k = 0; k < 2; k++) {
		op = json_get(side[k], "smmu_opcodes");
		for (op = op ? op->child : NULL; op; op = op->next) {
			const struct json *o =
				json_get(side[!k], "smmu_opcodes");
			const char *opcode = strncmp(op->key, "CMD_", 4) ?
						     op->key :
						     op->key + 4;
			double v[2];
			char label[48];

			if (k == 1 && json_get(o, op->key))
				continue; /* done from base's side */
			v[k] = op->num / ops[k];
			v[!k] = json_num(o, op->key, 0) / ops[!k];
			snprintf(label, sizeof(label), "%s/op", opcode);
			compare_exact(c, CK_KERNEL, CU_COUNT, CR_COUNT,
				      strcmp(opcode, "SYNC") ? opcode :
							       "CMD_SYNC",
				      v[0], v[1], name, label);
		}
	}
	/*
	 * Lazy: which domain's flush queue flushed how often is timing, so
	 * ATC_INVs per SID are not facts; per flush, the totals are
	 */
	if (strcmp(json_str(b, "dma_mode", ""), "lazy") &&
	    strcmp(json_str(h, "dma_mode", ""), "lazy"))
		compare_kernel_atc(c, side, ops, name);
	compare_kernel_shapes(c, side, ops, name);
}

int compare_kernel(struct compare *c)
{
	return compare_pairs(c, "kernel-", false, compare_kernel_run);
}

#define COMPARE_MAX_STRATEGIES 16

/* Per strategy: syncs, timeouts, innocent devices, time, over all cells */
struct compare_sweep {
	char strategy[32];
	double sum[4];
};

static const char *const compare_sweep_keys[] = { "syncs", "timeouts",
						  "innocent_broken",
						  "time_ns" };

static int compare_sweep_load(struct compare *c, const char *dir,
			      struct compare_sweep *v, unsigned int *n)
{
	const struct json *cell;
	struct json *j;
	int ret;

	ret = compare_load(c, dir, "isolate.json", &j);
	if (ret)
		return ret;
	*n = 0;
	for (cell = json_get(j, "cells") ? json_get(j, "cells")->child : NULL;
	     cell; cell = cell->next) {
		const char *s = json_str(cell, "strategy", "?");
		unsigned int i, k;

		for (i = 0; i < *n && strcmp(v[i].strategy, s); i++)
			;
		if (i == *n) {
			if (*n == COMPARE_MAX_STRATEGIES)
				continue;
			memset(&v[i], 0, sizeof(v[i]));
			snprintf(v[(*n)++].strategy, sizeof(v[i].strategy),
				 "%s", s);
		}
		for (k = 0; k < 4; k++)
			v[i].sum[k] += json_num(cell, compare_sweep_keys[k], 0);
	}
	json_free(j);
	return 0;
}

int compare_sweep(struct compare *c)
{
	static const char *const labels[] = { "syncs", "timeouts", "innocent",
					      "time" };
	/* syncs and timeouts are what the strategy sent and met: counts */
	static const enum compare_class classes[] = { CR_COUNT, CR_COUNT,
						      CR_COST, CR_COST };
	static const char *const whats[] = { "CMD_SYNCs", "ATC timeouts", NULL,
					     NULL };
	struct compare_sweep v[2][COMPARE_MAX_STRATEGIES];
	unsigned int n[2], i, k;
	bool both;
	int ret;

	ret = compare_both(c, "isolate.json", &both);
	if (ret || !both)
		return ret;
	for (k = 0; k < 2 && !ret; k++)
		ret = compare_sweep_load(c, c->o->dir[k], v[k], &n[k]);
	for (i = 0; !ret && i < n[0]; i++) {
		int j = compare_find(v[1], sizeof(v[1][0]), n[1],
				     v[0][i].strategy);

		for (k = 0; k < 4; k++)
			compare_exact(c, CK_SWEEP, k == 3 ? CU_NS : CU_COUNT,
				      classes[k], whats[k], v[0][i].sum[k],
				      j >= 0 ? v[1][j].sum[k] : NAN,
				      v[0][i].strategy, labels[k]);
	}
	return ret;
}
