/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Proposed code, not upstream: finding the device behind an ATC
 * invalidation timeout (arm-smmu-v3-atc.c).  The isolation strategies, the
 * cost model adaptive plans with, and what it learns, are atcbench's
 * proposal for the series that records ATC timeouts and quarantines the
 * device (UPSTREAM.md); arm-smmu-v3.h keeps to upstream's shapes and
 * includes this for the members struct arm_smmu_device gains.
 */
#ifndef _ARM_SMMU_V3_ATC_H
#define _ARM_SMMU_V3_ATC_H

#include <linux/ktime.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/* The kernel's column-aligned members: */
/* clang-format off */

/**
 * struct arm_smmu_atc_costs - the cost of one isolation test, in ns
 * @sync_ns: a CMD_SYNC that completes
 * @cmd_ns: each ATC_INV re-issued
 * @timeout_ns: what a test that times out costs on top
 */
struct arm_smmu_atc_costs {
	u64				sync_ns;
	u64				cmd_ns;
	u64				timeout_ns;
};

/* The plans adaptive chooses from */
enum arm_smmu_atc_plan {
	ARM_SMMU_ATC_PLAN_LINEAR,
	ARM_SMMU_ATC_PLAN_BISECT,
	/* bisect-infer, confirming an inferred culprit with a test */
	ARM_SMMU_ATC_PLAN_BISECT_CONFIRM,
};

/**
 * struct arm_smmu_atc_stats - what the adaptive strategy has seen
 * @sync_ns: running average of a passing test's CMD_SYNC (0: none yet)
 * @cmd_ns: per-ATC_INV cost (set by the owner; 0: a default)
 * @timeout_ns: running average of a timeout's extra cost (0: none yet)
 * @episodes: isolations of batches of more than one SID
 * @clear_q16: running fraction (Q16) of isolations that found nothing: the
 *             fault had cleared
 * @rate_q32: running average (Q32) of broken devices per SID of a batch,
 *            over the isolations that found some
 * @plan: adaptive's last decision and what it was taken from
 *
 * Updated with READ_ONCE()/WRITE_ONCE() and no lock by concurrent
 * isolations: a lost sample only slows the averages down.  @plan is read
 * and written under its lock, taken with spin_trylock() only: an isolation
 * that finds it held plans without the cache.
 */
struct arm_smmu_atc_stats {
	u64				sync_ns;
	u64				cmd_ns;
	u64				timeout_ns;
	u32				episodes;
	u32				clear_q16;
	u64				rate_q32;
	struct {
		spinlock_t			lock;
		bool				valid;
		enum arm_smmu_atc_plan		plan;
		u32				num_sids;
		u32				faulty;
		u64				cleared;
		struct arm_smmu_atc_costs	costs;
	} plan;
};

/**
 * struct arm_smmu_atc_isolation - one search for the culprits of a batch
 * @sids: the batch's distinct stream IDs, sorted
 * @num_sids: number of @sids
 * @broken: out: bitmap of the indices into @sids found broken (zeroed by the
 *          caller)
 * @test: re-issue the ATC_INVs of @sids[@first, @first + @num) and one
 *        CMD_SYNC; return 0, -EIO on an ATC timeout, or another negative
 *        errno when the test could not be run
 * @priv: for @test
 * @stats: the statistics adaptive learns into and decides from; NULL for
 *         none
 * @num_tests: out: tests run (each one CMD_SYNC)
 * @num_timeouts: out: tests that timed out
 * @last: with @stats, when the last test ended (at first, the isolation
 *        began): tests run back to back, so one clock read times each
 */
struct arm_smmu_atc_isolation {
	const u32			*sids;
	unsigned int			num_sids;
	unsigned long			*broken;
	int (*test)(struct arm_smmu_atc_isolation *iso, unsigned int first,
		    unsigned int num);
	void				*priv;
	struct arm_smmu_atc_stats	*stats;
	unsigned int			num_tests;
	unsigned int			num_timeouts;
	ktime_t				last;
};

/**
 * struct arm_smmu_atc_isolate_ops - an isolation strategy
 * @name: as stress and isolate name it (linear, bisect, ...)
 * @isolate: fill @iso->broken, testing through @iso->test; 0 or a negative
 *           errno when the search could not be run
 */
struct arm_smmu_atc_isolate_ops {
	const char			*name;
	int (*isolate)(struct arm_smmu_atc_isolation *iso);
};

/**
 * struct arm_smmu_atc_estimate - what a plan is expected to cost
 * @tests_q32: tests (CMD_SYNCs), Q32
 * @timeouts_q32: of which time out, Q32
 * @time_ns: the time they take, by struct arm_smmu_atc_costs
 */
struct arm_smmu_atc_estimate {
	u64				tests_q32;
	u64				timeouts_q32;
	u64				time_ns;
};

/* Terminated by an entry with a NULL name */
extern const struct arm_smmu_atc_isolate_ops arm_smmu_atc_isolate_ops[];

const struct arm_smmu_atc_isolate_ops *
arm_smmu_atc_isolate_ops_find(const char *name);
int arm_smmu_atc_isolate(const struct arm_smmu_atc_isolate_ops *ops,
			 struct arm_smmu_atc_isolation *iso);
int arm_smmu_atc_expected(enum arm_smmu_atc_plan plan, unsigned int num_sids,
			  unsigned int num_faulty,
			  const struct arm_smmu_atc_costs *costs,
			  struct arm_smmu_atc_estimate *out);
enum arm_smmu_atc_plan
arm_smmu_atc_adaptive_plan(struct arm_smmu_atc_stats *stats,
			   unsigned int num_sids);

/* clang-format on */

#endif /* _ARM_SMMU_V3_ATC_H */
