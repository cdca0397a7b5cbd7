// SPDX-License-Identifier: GPL-2.0
/*
 * Fault isolation strategies (kernel-hooks/arm-smmu-v3/arm-smmu-v3-atc.c) in virtual
 * time: hand-worked episodes, the exact expectation of adaptive's model
 * against every placement, the optimum, and adaptive against linear and
 * bisect on a reduced sweep grid.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bitmap.h>
#include <sim/clock.h>

#include "isolate/isolate.h"
#include "unit/khooks_test.h"

static const struct arm_smmu_atc_costs costs = {
	.sync_ns = 2000,
	.cmd_ns = 100,
	.timeout_ns = 1000000,
};

static unsigned long faulty[BITS_TO_LONGS(ISOLATE_MAX_N)];
static unsigned long broken[BITS_TO_LONGS(ISOLATE_MAX_N)];

static struct isolate_episode run(const char *strategy, unsigned int n,
				  const unsigned int *bad, unsigned int k)
{
	const struct arm_smmu_atc_isolate_ops *ops =
		arm_smmu_atc_isolate_ops_find(strategy);
	struct isolate_episode res = { .broken = broken };
	unsigned int i;

	assert_non_null(ops);
	bitmap_zero(faulty, n);
	for (i = 0; i < k; i++)
		__set_bit(bad[i], faulty);
	assert_int_equal(
		isolate_episode_run(ops, n, faulty, &costs, NULL, &res), 0);
	return res;
}

struct hand_case {
	const char *strategy;
	unsigned int n, k, bad[8];
	unsigned int syncs, timeouts, innocent;
};

/*
 * Worked by hand from the definitions in arm-smmu-v3-atc.c.  bisect on n=8 {3}: [0-3] F,
 * [4-7] P, [0-1] P, [2-3] F, [2] P, [3] F.  bisect-infer: [0-3] F, [4-7] P,
 * [0-1] P (so [2-3] fails), [2] P (so [3] is broken).
 */
static const struct hand_case hand_cases[] = {
	{ "linear", 8, 1, { 3 }, 8, 1, 0 },
	{ "bisect", 8, 1, { 3 }, 6, 3, 0 },
	{ "bisect-infer", 8, 1, { 3 }, 4, 1, 0 },
	{ "whole-batch", 8, 1, { 3 }, 0, 0, 7 },
	{ "linear", 8, 2, { 0, 7 }, 8, 2, 0 },
	{ "bisect", 8, 2, { 0, 7 }, 10, 6, 0 },
	{ "bisect-infer", 8, 2, { 0, 7 }, 8, 4, 0 },
	{ "whole-batch", 8, 2, { 0, 7 }, 0, 0, 6 },
	{ "linear", 8, 8, { 0, 1, 2, 3, 4, 5, 6, 7 }, 8, 8, 0 },
	{ "bisect", 8, 8, { 0, 1, 2, 3, 4, 5, 6, 7 }, 14, 14, 0 },
	{ "bisect-infer", 8, 8, { 0, 1, 2, 3, 4, 5, 6, 7 }, 14, 14, 0 },
	{ "whole-batch", 8, 8, { 0, 1, 2, 3, 4, 5, 6, 7 }, 0, 0, 0 },
	{ "linear", 1, 1, { 0 }, 0, 0, 0 },
	{ "bisect", 1, 1, { 0 }, 0, 0, 0 },
	{ "adaptive", 1, 1, { 0 }, 0, 0, 0 },
	{ "linear", 5, 1, { 4 }, 5, 1, 0 },
	{ "bisect", 5, 1, { 4 }, 4, 2, 0 },
	{ "bisect-infer", 5, 1, { 4 }, 2, 0, 0 },
	/* The fault cleared: inferring blames an innocent, testing does not */
	{ "bisect-infer", 8, 0, {}, 3, 0, 1 },
	{ "bisect", 8, 0, {}, 2, 0, 0 },
	{ "linear", 8, 0, {}, 8, 0, 0 },
	{ "adaptive", 8, 0, {}, 8, 0, 0 },
};

static void test_hand_worked(void **state)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hand_cases); i++) {
		const struct hand_case *c = &hand_cases[i];
		struct isolate_episode res =
			run(c->strategy, c->n, c->bad, c->k);

		printf("%s n=%u k=%u: syncs=%u timeouts=%u innocent=%u\n",
		       c->strategy, c->n, c->k, res.syncs, res.timeouts,
		       res.innocent);
		assert_int_equal(res.syncs, c->syncs);
		assert_int_equal(res.timeouts, c->timeouts);
		assert_int_equal(res.innocent, c->innocent);
		assert_int_equal(res.missed, 0);
		/* Syncs and timeouts, plus at most n commands per test */
		assert_true(res.time_ns >=
			    c->syncs * costs.sync_ns +
				    c->timeouts * costs.timeout_ns);
		assert_true(res.time_ns <=
			    c->syncs * costs.sync_ns +
				    c->timeouts * costs.timeout_ns +
				    c->syncs * c->n * costs.cmd_ns);
	}
}

/* Time is the cost model exactly: syncs, commands re-issued, timeouts */
static void test_time_is_cost_model(void **state)
{
	static const unsigned int bad[] = { 3 };
	struct isolate_episode res = run("bisect", 8, bad, 1);

	/* Tests of 4, 4, 2, 2, 1, 1 SIDs: 14 ATC_INVs */
	assert_int_equal(res.time_ns, 6 * costs.sync_ns + 14 * costs.cmd_ns +
					      3 * costs.timeout_ns);
}

/* Next k-subset of [0, n) in lexicographic order; false after the last */
static bool next_subset(unsigned int *idx, unsigned int k, unsigned int n)
{
	int i;

	for (i = k - 1; i >= 0; i--) {
		if (idx[i] < n - k + i) {
			idx[i]++;
			while (++i < (int)k)
				idx[i] = idx[i - 1] + 1;
			return true;
		}
	}
	return false;
}

/*
 * The model adaptive decides with must be the mean over every placement of
 * what the strategies really do.
 */
static void test_expected_matches_enumeration(void **state)
{
	static const struct {
		const char *strategy;
		enum arm_smmu_atc_plan plan;
	} plans[] = {
		{ "linear", ARM_SMMU_ATC_PLAN_LINEAR },
		{ "bisect", ARM_SMMU_ATC_PLAN_BISECT },
	};
	unsigned int n, k, p, idx[8], count;

	for (n = 2; n <= 11; n++) {
		for (k = 0; k <= 4 && k <= n; k++) {
			for (p = 0; p < ARRAY_SIZE(plans); p++) {
				struct arm_smmu_atc_estimate est;
				double syncs = 0, timeouts = 0;

				for (count = 0; count < k; count++)
					idx[count] = count;
				count = 0;
				do {
					struct isolate_episode res = run(
						plans[p].strategy, n, idx, k);

					syncs += res.syncs;
					timeouts += res.timeouts;
					count++;
				} while (k && next_subset(idx, k, n));

				assert_int_equal(
					arm_smmu_atc_expected(plans[p].plan, n,
							      k, &costs, &est),
					0);
				assert_true(fabs(syncs / count -
						 est.tests_q32 / 4294967296.0) <
					    1e-6 * n);
				assert_true(
					fabs(timeouts / count -
					     est.timeouts_q32 / 4294967296.0) <
					1e-6 * n);
			}
		}
	}
}

static void test_optimum(void **state)
{
	struct arm_smmu_atc_estimate est;
	double opt;

	/* n=2, k=1: test one SID; half the time it is the culprit */
	opt = isolate_optimum_ns(2, 1, &costs);
	assert_true(fabs(opt - (costs.sync_ns + costs.cmd_ns +
				costs.timeout_ns / 2.0)) < 1e-6);
	/* All faulty: nothing to test */
	assert_true(isolate_optimum_ns(4, 4, &costs) == 0);
	assert_true(isolate_optimum_ns(17, 1, &costs) < 0);

	/* A lower bound for the strategies */
	assert_int_equal(arm_smmu_atc_expected(ARM_SMMU_ATC_PLAN_BISECT, 16, 2,
					       &costs, &est),
			 0);
	assert_true(isolate_optimum_ns(16, 2, &costs) <= est.time_ns);
	assert_int_equal(arm_smmu_atc_expected(ARM_SMMU_ATC_PLAN_LINEAR, 16, 2,
					       &costs, &est),
			 0);
	assert_true(isolate_optimum_ns(16, 2, &costs) <= est.time_ns);
}

static const struct isolate_cell *find(const struct isolate_cell *cells,
				       int count, const struct isolate_cell *c,
				       const char *strategy)
{
	int i;

	for (i = 0; i < count; i++)
		if (cells[i].timeout_ns == c->timeout_ns &&
		    cells[i].n == c->n && cells[i].k == c->k &&
		    !strcmp(cells[i].strategy, strategy))
			return &cells[i];
	fail();
	return NULL;
}

static void reduced_grid(struct isolate_grid *g, u64 seed)
{
	static const unsigned int ns[] = { 1, 2, 3, 5, 8, 16, 64, 256, 1024 };
	static const unsigned int ks[] = { 0, 1, 2, 4, 8 };
	static const u64 timeouts[] = { 20000, 50000, 1000000, 1000000000 };

	isolate_grid_default(g);
	g->seed = seed;
	g->trials = 40;
	memcpy(g->ns, ns, sizeof(ns));
	g->num_ns = ARRAY_SIZE(ns);
	memcpy(g->ks, ks, sizeof(ks));
	g->num_ks = ARRAY_SIZE(ks);
	memcpy(g->timeouts, timeouts, sizeof(timeouts));
	g->num_timeouts = ARRAY_SIZE(timeouts);
}

static void test_adaptive_dominates(void **state)
{
	unsigned long seed = test_seed("adaptive_dominates");
	struct isolate_cell *cells, *again;
	struct isolate_grid g;
	int count, i;

	reduced_grid(&g, seed);
	count = isolate_sweep(&g, &cells);
	assert_true(count > 0);

	for (i = 0; i < count; i++) {
		const struct isolate_cell *c = &cells[i], *lin, *bis;

		if (strcmp(c->strategy, "adaptive"))
			continue;
		/* Every broken device was faulty, and none was missed */
		if (c->n > 1)
			assert_int_equal(c->innocent_max, 0);
		assert_int_equal(c->missed, 0);
		if (c->n < 2)
			continue;

		lin = find(cells, count, c, "linear");
		bis = find(cells, count, c, "bisect");
		if (c->expected_ns > fmin(lin->expected_ns, bis->expected_ns) ||
		    c->time_ns > fmin(lin->time_ns, bis->time_ns))
			printf("timeout=%llu n=%u k=%u: adaptive %.0f (%.0f) "
			       "linear %.0f (%.0f) bisect %.0f (%.0f)\n",
			       (unsigned long long)c->timeout_ns, c->n, c->k,
			       c->time_ns, c->expected_ns, lin->time_ns,
			       lin->expected_ns, bis->time_ns,
			       bis->expected_ns);
		/* Exact expectations: never worse */
		assert_true(c->expected_ns <=
			    fmin(lin->expected_ns, bis->expected_ns));
		/* Means over the same placements: within sampling noise */
		assert_true(c->time_ns <=
			    1.02 * fmin(lin->time_ns, bis->time_ns));
	}

	/* The same grid and seed give the same sweep */
	assert_int_equal(isolate_sweep(&g, &again), count);
	for (i = 0; i < count; i++) {
		assert_true(cells[i].time_ns == again[i].time_ns);
		assert_true(cells[i].syncs == again[i].syncs);
	}
	free(cells);
	free(again);
}

/*
 * adaptive keeps its last decision in the statistics: after a decision,
 * move one input alone (a cost, the cleared fraction, the fault rate, the
 * episode count, the batch) and the decision through the warm cache must be
 * the one a cold cache gives.  Each input must change some decision on this
 * grid, or the comparison would not see it left out of the key.
 */
#define PLAN_INPUTS 6

static const u64 plan_syncs[] = { 1000, 20000 };
static const u64 plan_timeouts[] = { 20000, 2000000 };
static const u32 plan_clears[] = { 0, 32768, 65536 };
static const u64 plan_rates[] = { 1ULL << 25, 1ULL << 30 };
static const unsigned int plan_ns[] = { 2, 8, 64 };

/* Grid point @i, with input @moved (PLAN_INPUTS: none) one step on */
static unsigned int plan_point(unsigned int i, unsigned int moved,
			       struct arm_smmu_atc_stats *s)
{
	unsigned int is = i % 2, it = i / 2 % 2, ic = i / 4 % 3,
		     ir = i / 12 % 2, in = i / 24 % 3;

	memset(s, 0, sizeof(*s));
	s->sync_ns = plan_syncs[moved == 0 ? !is : is];
	s->timeout_ns = plan_timeouts[moved == 1 ? !it : it];
	s->clear_q16 = plan_clears[moved == 2 ? (ic + 1) % 3 : ic];
	s->rate_q32 = plan_rates[moved == 3 ? !ir : ir];
	s->episodes = moved != 4;
	return plan_ns[moved == 5 ? (in + 1) % 3 : in];
}

static void test_plan_cache(void **state)
{
	unsigned int flips[PLAN_INPUTS] = {}, i, f, n;
	struct arm_smmu_atc_stats warm = {}, cold;

	for (i = 0; i < 2 * 2 * 3 * 2 * 3; i++) {
		for (f = 0; f < PLAN_INPUTS; f++) {
			enum arm_smmu_atc_plan before, after;

			n = plan_point(i, PLAN_INPUTS, &cold);
			memcpy(&warm, &cold, offsetof(typeof(warm), plan));
			before = arm_smmu_atc_adaptive_plan(&warm, n);
			assert_int_equal(before,
					 arm_smmu_atc_adaptive_plan(&cold, n));

			n = plan_point(i, f, &cold);
			memcpy(&warm, &cold, offsetof(typeof(warm), plan));
			after = arm_smmu_atc_adaptive_plan(&warm, n);
			assert_int_equal(after,
					 arm_smmu_atc_adaptive_plan(&cold, n));
			flips[f] += after != before;
		}
	}
	for (f = 0; f < PLAN_INPUTS; f++) {
		printf("plan_cache: input %u changed %u decisions\n", f,
		       flips[f]);
		assert_true(flips[f] > 0);
	}
}

static int setup(void **state)
{
	khooks_printk_level(LOGLEVEL_ERR - 1);
	return sim_clock_init(SIM_CLOCK_VIRTUAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_worked),
		cmocka_unit_test(test_time_is_cost_model),
		cmocka_unit_test(test_expected_matches_enumeration),
		cmocka_unit_test(test_optimum),
		cmocka_unit_test(test_adaptive_dominates),
		cmocka_unit_test(test_plan_cache),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
