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

/* Virtual-time stress runs and the isolation sweep: exact */

static void compare_exact(struct compare *c, enum compare_kind kind,
			  enum compare_unit unit, double base, double head,
			  const char *what, const char *name)
{
	struct compare_row *r;

	r = compare_add(c, kind, unit, base, head, "%s %s", what, name);
	if (r)
		compare_judge(r, 0, 1);
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
	} counts[] = {
		{ "timeouts", "timeouts" },
		{ "innocent_quarantines", "innocent" },
		{ "atc_invs_to_broken", "spam" },
		{ "oracle_violations", "violations" },
	};
	const char *name = json_str(b, "name", "?");
	unsigned int i;

	for (i = 0; i < sizeof(pcts) / sizeof(pcts[0]); i++) {
		double vb = compare_pct(b, pcts[i].metric, pcts[i].p);
		double vh = compare_pct(h, pcts[i].metric, pcts[i].p);

		if (isnan(vb) && isnan(vh))
			continue;
		compare_exact(c, CK_STRESS, CU_NS, vb, vh, name, pcts[i].label);
	}
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		compare_exact(c, CK_STRESS, CU_COUNT,
			      json_num(b, counts[i].key, NAN),
			      json_num(h, counts[i].key, NAN), name,
			      counts[i].label);
	compare_exact(c, CK_STRESS, CU_COUNT,
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
 * invalidation, exact.  Their latencies are not judged: under QEMU's TCG
 * they time the emulator.
 */
static void compare_kernel_run(struct compare *c, const struct json *b,
			       const struct json *h)
{
	static const struct {
		const char *key, *label;
	} per_op[] = {
		{ "cmds_per_op", "cmds/op" },
		{ "syncs_per_op", "syncs/op" },
		{ "lists_per_op", "lists/op" },
	};
	const struct json *side[2] = { b, h }, *op;
	const char *name = json_str(b, "name", "?");
	double ops[2], calls[2];
	unsigned int i, k;

	for (i = 0; i < sizeof(per_op) / sizeof(per_op[0]); i++)
		compare_exact(c, CK_KERNEL, CU_COUNT,
			      json_num(b, per_op[i].key, NAN),
			      json_num(h, per_op[i].key, NAN), name,
			      per_op[i].label);
	for (k = 0; k < 2; k++) {
		ops[k] = json_num(side[k], "ops", NAN);
		calls[k] = json_num(side[k], "atc_inv_domain_calls", NAN);
	}
	if (!isnan(calls[0]) || !isnan(calls[1]))
		compare_exact(c, CK_KERNEL, CU_COUNT, calls[0] / ops[0],
			      calls[1] / ops[1], name, "atc_inv_domain/op");
	/* Every opcode either side's SMMU executed, per operation */
	for (k = 0; k < 2; k++) {
		op = json_get(side[k], "smmu_opcodes");
		for (op = op ? op->child : NULL; op; op = op->next) {
			const struct json *o =
				json_get(side[!k], "smmu_opcodes");
			double v[2];
			char label[48];

			if (k == 1 && json_get(o, op->key))
				continue; /* done from base's side */
			v[k] = op->num / ops[k];
			v[!k] = json_num(o, op->key, 0) / ops[!k];
			snprintf(label, sizeof(label), "%s/op",
				 strncmp(op->key, "CMD_", 4) ? op->key :
							       op->key + 4);
			compare_exact(c, CK_KERNEL, CU_COUNT, v[0], v[1], name,
				      label);
		}
	}
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
				      v[0][i].sum[k],
				      j >= 0 ? v[1][j].sum[k] : NAN,
				      v[0][i].strategy, labels[k]);
	}
	return ret;
}
