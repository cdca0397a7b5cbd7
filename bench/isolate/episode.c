// SPDX-License-Identifier: GPL-2.0
/*
 * isolate: one isolation episode in virtual time: the strategy under test,
 * the tests it makes against a batch of known faulty devices, their modelled
 * cost
 */
#include <errno.h>
#include <stdbool.h>
#include <linux/bitmap.h>
#include <sim/clock.h>

#include "isolate/internal.h"

struct isolate_batch {
	const unsigned long *map; /* the faulty positions, as a bitmap */
	const unsigned int *faulty; /* and in ascending order */
	unsigned int num_faulty;
	const struct arm_smmu_atc_costs *costs;
	u64 cmds; /* the ATC_INVs the tests re-issued */
};

/* Faulty devices among the SIDs below @i: a binary search */
static unsigned int isolate_faulty_below(const struct isolate_batch *b,
					 unsigned int i)
{
	unsigned int lo = 0, hi = b->num_faulty;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (b->faulty[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* What a test costs in the model */
static u64 isolate_test_ns(const struct isolate_batch *b, unsigned int num,
			   bool fails)
{
	return b->costs->sync_ns + b->costs->cmd_ns * num +
	       (fails ? b->costs->timeout_ns : 0);
}

/* A run of several SIDs: out of line (see below) */
static noinline int isolate_test_run(struct arm_smmu_atc_isolation *iso,
				     unsigned int first, unsigned int num)
{
	struct isolate_batch *b = iso->priv;
	bool fails = isolate_faulty_below(b, first + num) !=
		     isolate_faulty_below(b, first);

	b->cmds += num;
	if (iso->stats)
		sim_clock_delay_ns(isolate_test_ns(b, num, fails));
	return fails ? -EIO : 0;
}

/*
 * The test of the cost model: a run fails iff it holds a faulty device.
 * The statistics learn from the clock, so with them the test moves it.  A
 * one-SID test (most of the sweep's) stays a few instructions.
 */
static int isolate_test(struct arm_smmu_atc_isolation *iso, unsigned int first,
			unsigned int num)
{
	struct isolate_batch *b = iso->priv;
	bool fails;

	if (num != 1)
		return isolate_test_run(iso, first, num);
	fails = test_bit(first, b->map);
	b->cmds++;
	if (iso->stats)
		sim_clock_delay_ns(isolate_test_ns(b, 1, fails));
	return fails ? -EIO : 0;
}

int isolate_episode_run(const struct arm_smmu_atc_isolate_ops *ops,
			unsigned int n, const unsigned long *faulty,
			const struct arm_smmu_atc_costs *costs,
			struct arm_smmu_atc_stats *stats,
			struct isolate_episode *res)
{
	/* Not reentrant: the sweep and the command run one episode at a time */
	static u32 sids[ISOLATE_MAX_N];
	static unsigned int positions[ISOLATE_MAX_N];
	struct isolate_batch b = {
		.map = faulty,
		.faulty = positions,
		.costs = costs,
	};
	struct arm_smmu_atc_isolation iso = {
		.sids = sids,
		.num_sids = n,
		.broken = res->broken,
		.test = isolate_test,
		.priv = &b,
		.stats = stats,
	};
	unsigned int i;
	int ret;

	if (!n || n > ISOLATE_MAX_N)
		return -EINVAL;
	if (!sids[ISOLATE_MAX_N - 1])
		for (i = 0; i < ISOLATE_MAX_N; i++)
			sids[i] = i;
	for_each_set_bit(i, faulty, n)
		positions[b.num_faulty++] = i;
	bitmap_zero(res->broken, n);

	ret = arm_smmu_atc_isolate(ops, &iso);
	if (ret)
		return ret;

	/* What the tests took: each a sync and its commands, plus timeouts */
	res->time_ns = iso.num_tests * costs->sync_ns + b.cmds * costs->cmd_ns +
		       iso.num_timeouts * costs->timeout_ns;
	res->syncs = iso.num_tests;
	res->timeouts = iso.num_timeouts;
	res->innocent = bitmap_weight_andnot(res->broken, faulty, n);
	res->missed = bitmap_weight_andnot(faulty, res->broken, n);
	return 0;
}
