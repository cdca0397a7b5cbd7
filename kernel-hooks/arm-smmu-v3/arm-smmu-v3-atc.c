// SPDX-License-Identifier: GPL-2.0
/*
 * Finding the device behind an ATC invalidation timeout.
 *
 * A batch of ATC_INV commands for several stream IDs, ended by one CMD_SYNC,
 * came back with -EIO: at least one device did not answer, and the SMMU
 * cannot say which.  The batch is sorted by SID (it comes from the sorted
 * invalidation array), so every subset tried here is a contiguous run of it.
 * A *test* re-issues the ATC_INVs of a run and one CMD_SYNC; it times out iff
 * the run holds a device that still does not answer.
 *
 * The strategies are an ops table, selectable per SMMU:
 *   linear        every SID alone, in order (the per-SID retry of the v2
 *                 series)
 *   bisect        test both halves of a failing run, recurse into each half
 *                 that fails
 *   bisect-infer  as bisect, but when the left half passes the right half
 *                 is taken as failing without a test
 *   adaptive      picks one of linear, bisect and a bisect-infer that
 *                 confirms every inferred culprit, by expected cost, from
 *                 the costs and fault counts it has measured
 *   whole-batch   no test: every SID of the batch is broken
 *
 * Written for atcbench; the kernel series has only the linear retry
 * (arm_smmu_cmdq_batch_retry()).  The rest is what this harness measures.
 */
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <trace/events/arm_smmu_v3.h>

#include "arm-smmu-v3.h"

/* What adaptive assumes before it has measured anything */
#define ARM_SMMU_ATC_DEFAULT_SYNC_NS 1000
#define ARM_SMMU_ATC_DEFAULT_CMD_NS 100
#define ARM_SMMU_ATC_DEFAULT_TIMEOUT_NS (1000 * 1000)
/* Fault counts above this are modelled as this many */
#define ARM_SMMU_ATC_MODEL_MAX_FAULTS 16
/* Weight of a new sample in the running averages: 1/4 */
#define ARM_SMMU_ATC_EWMA_SHIFT 2

#define Q32_ONE (1ULL << 32)
#define Q16_ONE (1U << 16)

static s64 arm_smmu_atc_ewma(s64 avg, s64 sample, bool first)
{
	if (first)
		return sample;
	return avg + ((sample - avg) >> ARM_SMMU_ATC_EWMA_SHIFT);
}

/* Store only a change: a settled average leaves the line clean (shared) */
static void arm_smmu_atc_update(u64 *avg, s64 sample)
{
	u64 old = READ_ONCE(*avg);
	u64 new = max_t(s64, 1, arm_smmu_atc_ewma(old, sample, !old));

	if (new != old)
		WRITE_ONCE(*avg, new);
}

/*
 * The statistics are updated without a lock by whoever isolates; concurrent
 * updates may lose a sample, which an average can afford.
 */
static __always_inline void
arm_smmu_atc_learn_test(struct arm_smmu_atc_stats *stats, unsigned int num,
			u64 ns, bool timed_out)
{
	s64 cmds = (s64)READ_ONCE(stats->cmd_ns) * num;

	if (!timed_out)
		arm_smmu_atc_update(&stats->sync_ns, ns - cmds);
	else
		arm_smmu_atc_update(&stats->timeout_ns,
				    ns - cmds - READ_ONCE(stats->sync_ns));
}

static void arm_smmu_atc_learn_episode(struct arm_smmu_atc_stats *stats,
				       unsigned int num_sids,
				       unsigned int num_broken)
{
	bool first = !READ_ONCE(stats->episodes);
	bool cleared = !num_broken;

	WRITE_ONCE(stats->clear_q16,
		   arm_smmu_atc_ewma(READ_ONCE(stats->clear_q16),
				     cleared ? Q16_ONE : 0, first));
	if (!cleared)
		WRITE_ONCE(stats->rate_q32,
			   arm_smmu_atc_ewma(READ_ONCE(stats->rate_q32),
					     div64_u64((u64)num_broken << 32,
						       num_sids),
					     !READ_ONCE(stats->rate_q32)));
	WRITE_ONCE(stats->episodes, READ_ONCE(stats->episodes) + 1);
}

/**
 * arm_smmu_atc_test() - run one test of a strategy
 * @iso: the isolation
 * @first: index of the first SID of the run
 * @num: length of the run
 *
 * The statistics learn from the time since the last test ended: the
 * strategy's own work between two tests is nothing beside a CMD_SYNC.
 *
 * Return: 0 if the run passed, 1 if it timed out, or a negative errno when
 * the test could not be run (the isolation is then abandoned).
 */
static __always_inline int arm_smmu_atc_test(struct arm_smmu_atc_isolation *iso,
					     unsigned int first,
					     unsigned int num)
{
	int ret;

	ret = iso->test(iso, first, num);
	if (ret && ret != -EIO)
		return ret;

	iso->num_tests++;
	if (ret)
		iso->num_timeouts++;
	if (iso->stats) {
		ktime_t now = ktime_get();

		arm_smmu_atc_learn_test(iso->stats, num,
					ktime_to_ns(now - iso->last), ret);
		iso->last = now;
	}
	return ret ? 1 : 0;
}

static int arm_smmu_atc_isolate_linear(struct arm_smmu_atc_isolation *iso)
{
	unsigned int i;
	int ret;

	for (i = 0; i < iso->num_sids; i++) {
		ret = arm_smmu_atc_test(iso, i, 1);
		if (ret < 0)
			return ret;
		if (ret)
			__set_bit(i, iso->broken);
	}
	return 0;
}

static int arm_smmu_atc_bisect(struct arm_smmu_atc_isolation *iso,
			       unsigned int first, unsigned int num, bool infer,
			       bool confirm);

/*
 * The run [first, first + num) failed a test, or was inferred to fail:
 * find what in it is broken.
 */
static int arm_smmu_atc_settle(struct arm_smmu_atc_isolation *iso,
			       unsigned int first, unsigned int num,
			       bool inferred, bool infer, bool confirm)
{
	int ret;

	if (num > 1)
		return arm_smmu_atc_bisect(iso, first, num, infer, confirm);

	/* The fault may have cleared since the batch: test before blaming */
	if (inferred && confirm) {
		ret = arm_smmu_atc_test(iso, first, 1);
		if (ret <= 0)
			return ret;
	}
	__set_bit(first, iso->broken);
	return 0;
}

static int arm_smmu_atc_bisect(struct arm_smmu_atc_isolation *iso,
			       unsigned int first, unsigned int num, bool infer,
			       bool confirm)
{
	unsigned int left = DIV_ROUND_UP(num, 2), right = num - left;
	bool right_inferred = false;
	int lret, rret, ret;

	lret = arm_smmu_atc_test(iso, first, left);
	if (lret < 0)
		return lret;

	if (infer && !lret) {
		/* The whole run failed and its left half did not */
		right_inferred = true;
		rret = 1;
	} else {
		rret = arm_smmu_atc_test(iso, first + left, right);
		if (rret < 0)
			return rret;
	}

	if (lret) {
		ret = arm_smmu_atc_settle(iso, first, left, false, infer,
					  confirm);
		if (ret)
			return ret;
	}
	if (rret)
		return arm_smmu_atc_settle(iso, first + left, right,
					   right_inferred, infer, confirm);
	return 0;
}

static int arm_smmu_atc_isolate_bisect(struct arm_smmu_atc_isolation *iso)
{
	return arm_smmu_atc_bisect(iso, 0, iso->num_sids, false, false);
}

static int arm_smmu_atc_isolate_bisect_infer(struct arm_smmu_atc_isolation *iso)
{
	return arm_smmu_atc_bisect(iso, 0, iso->num_sids, true, false);
}

static int arm_smmu_atc_isolate_whole_batch(struct arm_smmu_atc_isolation *iso)
{
	bitmap_set(iso->broken, 0, iso->num_sids);
	return 0;
}

/*
 * The expected cost of a plan, for a run of m SIDs holding j faulty devices
 * placed uniformly at random (j = 0: the fault cleared before isolation).
 * All counts are Q32 fixed point.
 */
struct arm_smmu_atc_expect {
	u64 tests;
	u64 timeouts;
	u64 cmds;
};

/*
 * Runs at depth d of the halving are floor(n / 2^d) or ceil(n / 2^d) SIDs
 * long, so (depth, which of the two, faults, inferred) indexes the memo: a
 * table of a few hundred entries at most, cleared per model.
 */
struct arm_smmu_atc_memo {
	bool valid;
	struct arm_smmu_atc_expect e;
};

struct arm_smmu_atc_model {
	bool infer;
	bool confirm;
	u32 num_sids;
	u32 max_faults;
	struct arm_smmu_atc_memo *memo;
};

static size_t arm_smmu_atc_memo_entries(u32 num_sids, u32 max_faults)
{
	return (size_t)(fls(num_sids) + 1) * 2 * (max_faults + 1) * 2;
}

static struct arm_smmu_atc_memo *
arm_smmu_atc_memo_slot(struct arm_smmu_atc_model *model, u32 depth, u32 m,
		       u32 j, bool inferred)
{
	u32 hi = m != model->num_sids >> depth;

	return &model->memo[((depth * 2 + hi) * (model->max_faults + 1) + j) * 2 +
			    inferred];
}

/* Probability (Q32) that the left a SIDs of a run of m hold l of its j faults */
static u64 arm_smmu_atc_split_prob(u32 m, u32 j, u32 a, u32 l)
{
	u64 p = Q32_ONE, binom = 1;
	u32 i;

	if (l > a || j - l > m - a)
		return 0;
	for (i = 0; i < j; i++) {
		u32 num = i < l ? a - i : m - a - (i - l);

		p = p * num / (m - i);
	}
	for (i = 0; i < l; i++)
		binom = binom * (j - i) / (i + 1);
	return p * binom;
}

static void arm_smmu_atc_expect_test(struct arm_smmu_atc_expect *e, u32 num,
				     bool fails, u64 p)
{
	e->tests += p;
	e->cmds += p * num;
	if (fails)
		e->timeouts += p;
}

static void arm_smmu_atc_expect_add(struct arm_smmu_atc_expect *e,
				    const struct arm_smmu_atc_expect *sub,
				    u64 p)
{
	e->tests += mul_u64_u64_shr(sub->tests, p, 32);
	e->timeouts += mul_u64_u64_shr(sub->timeouts, p, 32);
	e->cmds += mul_u64_u64_shr(sub->cmds, p, 32);
}

/*
 * Expected cost of settling a failing (or inferred failing) run of @m SIDs
 * at @depth of the halving: see above
 */
static struct arm_smmu_atc_expect
arm_smmu_atc_expect_settle(struct arm_smmu_atc_model *model, u32 depth, u32 m,
			   u32 j, bool inferred)
{
	struct arm_smmu_atc_expect e = {}, sub;
	struct arm_smmu_atc_memo *slot;
	u32 a = DIV_ROUND_UP(m, 2), b = m - a, l;

	if (m == 1) {
		if (inferred && model->confirm)
			arm_smmu_atc_expect_test(&e, 1, j, Q32_ONE);
		return e;
	}

	slot = arm_smmu_atc_memo_slot(model, depth, m, j, inferred);
	if (slot->valid)
		return slot->e;

	for (l = 0; l <= j; l++) {
		u64 p = arm_smmu_atc_split_prob(m, j, a, l);

		if (!p)
			continue;
		arm_smmu_atc_expect_test(&e, a, l, p);
		if (model->infer && !l) {
			sub = arm_smmu_atc_expect_settle(model, depth + 1, b, j,
							 true);
			arm_smmu_atc_expect_add(&e, &sub, p);
			continue;
		}
		arm_smmu_atc_expect_test(&e, b, j - l, p);
		if (l) {
			sub = arm_smmu_atc_expect_settle(model, depth + 1, a, l,
							 false);
			arm_smmu_atc_expect_add(&e, &sub, p);
		}
		if (j - l) {
			sub = arm_smmu_atc_expect_settle(model, depth + 1, b,
							 j - l, false);
			arm_smmu_atc_expect_add(&e, &sub, p);
		}
	}

	*slot = (struct arm_smmu_atc_memo){ .valid = true, .e = e };
	return e;
}

/*
 * arm_smmu_atc_expected() with a @memo of arm_smmu_atc_memo_entries(
 * @num_sids, @max_faults) entries, @max_faults >= @num_faulty
 */
static int __arm_smmu_atc_expected(enum arm_smmu_atc_plan plan,
				   unsigned int num_sids,
				   unsigned int num_faulty,
				   const struct arm_smmu_atc_costs *costs,
				   struct arm_smmu_atc_memo *memo,
				   unsigned int max_faults,
				   struct arm_smmu_atc_estimate *out)
{
	struct arm_smmu_atc_model model = {
		.infer = plan == ARM_SMMU_ATC_PLAN_BISECT_CONFIRM,
		.confirm = true,
		.num_sids = num_sids,
		.max_faults = max_faults,
		.memo = memo,
	};
	struct arm_smmu_atc_expect e = {};

	if (num_sids < 2 || num_faulty > num_sids ||
	    num_faulty > ARM_SMMU_ATC_MODEL_MAX_FAULTS)
		return -EINVAL;

	if (plan == ARM_SMMU_ATC_PLAN_LINEAR) {
		e.tests = (u64)num_sids << 32;
		e.cmds = e.tests;
		e.timeouts = (u64)num_faulty << 32;
	} else {
		memset(memo, 0,
		       arm_smmu_atc_memo_entries(num_sids, max_faults) *
			       sizeof(*memo));
		e = arm_smmu_atc_expect_settle(&model, 0, num_sids, num_faulty,
					       false);
	}

	out->tests_q32 = e.tests;
	out->timeouts_q32 = e.timeouts;
	out->time_ns = mul_u64_u64_shr(e.tests, costs->sync_ns, 32) +
		       mul_u64_u64_shr(e.cmds, costs->cmd_ns, 32) +
		       mul_u64_u64_shr(e.timeouts, costs->timeout_ns, 32);
	return 0;
}

/**
 * arm_smmu_atc_expected() - expected cost of a plan
 * @plan: enum arm_smmu_atc_plan
 * @num_sids: SIDs in the failed batch, at least 2
 * @num_faulty: faulty devices among them, placed uniformly at random; 0 for
 *              a fault that cleared before isolation
 * @costs: the cost of a test
 * @out: the expected numbers of tests and of timeouts (Q32) and the expected
 *       isolation time in ns
 *
 * Return: 0, -EINVAL, or -ENOMEM.
 */
int arm_smmu_atc_expected(enum arm_smmu_atc_plan plan, unsigned int num_sids,
			  unsigned int num_faulty,
			  const struct arm_smmu_atc_costs *costs,
			  struct arm_smmu_atc_estimate *out)
{
	struct arm_smmu_atc_memo *memo;
	int ret;

	if (num_faulty > ARM_SMMU_ATC_MODEL_MAX_FAULTS)
		return -EINVAL;
	memo = kmalloc_array(arm_smmu_atc_memo_entries(num_sids, num_faulty),
			     sizeof(*memo), GFP_ATOMIC);
	if (!memo)
		return -ENOMEM;
	ret = __arm_smmu_atc_expected(plan, num_sids, num_faulty, costs, memo,
				      num_faulty, out);
	kfree(memo);
	return ret;
}

static void arm_smmu_atc_stats_costs(const struct arm_smmu_atc_stats *stats,
				     struct arm_smmu_atc_costs *costs)
{
	*costs = (struct arm_smmu_atc_costs){
		.sync_ns = ARM_SMMU_ATC_DEFAULT_SYNC_NS,
		.cmd_ns = ARM_SMMU_ATC_DEFAULT_CMD_NS,
		.timeout_ns = ARM_SMMU_ATC_DEFAULT_TIMEOUT_NS,
	};
	if (!stats)
		return;
	if (READ_ONCE(stats->sync_ns))
		costs->sync_ns = READ_ONCE(stats->sync_ns);
	if (READ_ONCE(stats->cmd_ns))
		costs->cmd_ns = READ_ONCE(stats->cmd_ns);
	if (READ_ONCE(stats->timeout_ns))
		costs->timeout_ns = READ_ONCE(stats->timeout_ns);
}

/*
 * The plan of least expected time for a batch of @num_sids SIDs: a mixture,
 * with probability @cleared (Q16) of no faulty device and otherwise
 * @faulty of them.  Ties go to the simpler plan.  Return: 0, or -ENOMEM
 * without memory for the model.
 */
static int __arm_smmu_atc_adaptive_plan(const struct arm_smmu_atc_costs *costs,
					unsigned int num_sids, u32 faulty,
					u64 cleared,
					enum arm_smmu_atc_plan *plan)
{
	static const enum arm_smmu_atc_plan plans[] = {
		ARM_SMMU_ATC_PLAN_LINEAR,
		ARM_SMMU_ATC_PLAN_BISECT,
		ARM_SMMU_ATC_PLAN_BISECT_CONFIRM,
	};
	struct arm_smmu_atc_memo *memo;
	u64 best_ns = U64_MAX;
	unsigned int i;

	memo = kmalloc_array(arm_smmu_atc_memo_entries(num_sids, faulty),
			     sizeof(*memo), GFP_ATOMIC);
	if (!memo)
		return -ENOMEM;

	for (i = 0; i < ARRAY_SIZE(plans); i++) {
		struct arm_smmu_atc_estimate with, without = {};
		u64 ns;

		__arm_smmu_atc_expected(plans[i], num_sids, faulty, costs, memo,
					faulty, &with);
		if (cleared)
			__arm_smmu_atc_expected(plans[i], num_sids, 0, costs,
						memo, faulty, &without);
		ns = ((Q16_ONE - cleared) * with.time_ns +
		      cleared * without.time_ns) >>
		     16;
		if (ns < best_ns) {
			best_ns = ns;
			*plan = plans[i];
		}
	}
	kfree(memo);
	return 0;
}

/**
 * arm_smmu_atc_adaptive_plan() - the plan adaptive would run
 * @stats: what it has seen, or NULL for nothing
 * @num_sids: SIDs in the failed batch, at least 2
 *
 * The expected time of each plan is a mixture: with the measured probability
 * that the fault cleared before isolation, no device is faulty; otherwise as
 * many as the measured rate of faulty devices per SID predicts (at least
 * one).  Ties go to the simpler plan.  The model is a pure function of the
 * costs, @num_sids and those two figures, and they settle in a storm, so
 * the decision is kept in @stats and the model rerun only when one of them
 * has changed.
 *
 * Return: enum arm_smmu_atc_plan.
 */
enum arm_smmu_atc_plan
arm_smmu_atc_adaptive_plan(struct arm_smmu_atc_stats *stats,
			   unsigned int num_sids)
{
	/* Without memory for the model, the plan of the v2 series */
	enum arm_smmu_atc_plan plan = ARM_SMMU_ATC_PLAN_LINEAR;
	struct arm_smmu_atc_costs costs;
	u64 cleared = 0;
	u32 faulty = 1;

	arm_smmu_atc_stats_costs(stats, &costs);
	if (stats && READ_ONCE(stats->episodes)) {
		u64 rate = mul_u64_u64_shr(READ_ONCE(stats->rate_q32), num_sids,
					   31);

		cleared = READ_ONCE(stats->clear_q16);
		faulty = clamp_t(u64, (rate + 1) / 2, 1,
				 min(num_sids, ARM_SMMU_ATC_MODEL_MAX_FAULTS));
	}

	if (!stats || !spin_trylock(&stats->plan.lock)) {
		__arm_smmu_atc_adaptive_plan(&costs, num_sids, faulty, cleared,
					     &plan);
		return plan;
	}
	if (stats->plan.valid && stats->plan.num_sids == num_sids &&
	    stats->plan.faulty == faulty && stats->plan.cleared == cleared &&
	    !memcmp(&stats->plan.costs, &costs, sizeof(costs))) {
		plan = stats->plan.plan;
	} else if (!__arm_smmu_atc_adaptive_plan(&costs, num_sids, faulty,
						 cleared, &plan)) {
		stats->plan.valid = true;
		stats->plan.plan = plan;
		stats->plan.num_sids = num_sids;
		stats->plan.faulty = faulty;
		stats->plan.cleared = cleared;
		stats->plan.costs = costs;
	}
	spin_unlock(&stats->plan.lock);
	return plan;
}

static int arm_smmu_atc_isolate_adaptive(struct arm_smmu_atc_isolation *iso)
{
	enum arm_smmu_atc_plan plan;

	plan = arm_smmu_atc_adaptive_plan(iso->stats, iso->num_sids);
	/* Planning is not part of the first test */
	if (iso->stats)
		iso->last = ktime_get();
	switch (plan) {
	case ARM_SMMU_ATC_PLAN_BISECT:
		return arm_smmu_atc_bisect(iso, 0, iso->num_sids, false, false);
	case ARM_SMMU_ATC_PLAN_BISECT_CONFIRM:
		return arm_smmu_atc_bisect(iso, 0, iso->num_sids, true, true);
	default:
		return arm_smmu_atc_isolate_linear(iso);
	}
}

const struct arm_smmu_atc_isolate_ops arm_smmu_atc_isolate_ops[] = {
	{ .name = "linear", .isolate = arm_smmu_atc_isolate_linear },
	{ .name = "bisect", .isolate = arm_smmu_atc_isolate_bisect },
	{ .name = "bisect-infer",
	  .isolate = arm_smmu_atc_isolate_bisect_infer },
	{ .name = "adaptive", .isolate = arm_smmu_atc_isolate_adaptive },
	{ .name = "whole-batch", .isolate = arm_smmu_atc_isolate_whole_batch },
	{}
};

/**
 * arm_smmu_atc_isolate_ops_find() - look a strategy up by name
 * @name: its name
 *
 * Return: the strategy, or NULL.
 */
const struct arm_smmu_atc_isolate_ops *
arm_smmu_atc_isolate_ops_find(const char *name)
{
	const struct arm_smmu_atc_isolate_ops *ops;

	for (ops = arm_smmu_atc_isolate_ops; ops->name; ops++)
		if (!strcmp(ops->name, name))
			return ops;
	return NULL;
}

/**
 * arm_smmu_atc_isolate() - find the broken devices of a timed-out batch
 * @ops: the strategy
 * @iso: the batch's sorted, distinct SIDs, the test, a zeroed @iso->broken
 *       bitmap of @iso->num_sids bits, and the statistics to learn into
 *       (may be NULL)
 *
 * A batch of one SID needs no test: its own timeout identified it.
 *
 * Return: 0 with @iso->broken, @iso->num_tests and @iso->num_timeouts set,
 * or the negative errno of a test that could not be run.
 */
int arm_smmu_atc_isolate(const struct arm_smmu_atc_isolate_ops *ops,
			 struct arm_smmu_atc_isolation *iso)
{
	int ret;

	iso->num_tests = 0;
	iso->num_timeouts = 0;
	if (iso->stats)
		iso->last = ktime_get();
	if (iso->num_sids == 1) {
		__set_bit(0, iso->broken);
		return 0;
	}

	ret = ops->isolate(iso);
	if (ret)
		return ret;
	if (iso->stats)
		arm_smmu_atc_learn_episode(iso->stats, iso->num_sids,
					   bitmap_weight(iso->broken,
							 iso->num_sids));
	return 0;
}

struct arm_smmu_atc_retry {
	struct arm_smmu_device *smmu;
	struct arm_smmu_cmdq_batch *cmds;
	u64 cmdlist[CMDQ_BATCH_ENTRIES * CMDQ_ENT_DWORDS];
};

static bool arm_smmu_atc_cmd_sid(const u64 *cmd, u32 *sid)
{
	if (FIELD_GET(CMDQ_0_OP, cmd[0]) != CMDQ_OP_ATC_INV)
		return false;
	*sid = FIELD_GET(CMDQ_ATC_0_SID, cmd[0]);
	return true;
}

/* Re-issue the batch's ATC_INVs of the SIDs [first, first + num), and sync */
static int arm_smmu_atc_retry_test(struct arm_smmu_atc_isolation *iso,
				   unsigned int first, unsigned int num)
{
	struct arm_smmu_atc_retry *retry = iso->priv;
	struct arm_smmu_cmdq_batch *cmds = retry->cmds;
	u32 lo = iso->sids[first], hi = iso->sids[first + num - 1], sid;
	int i, n = 0;

	for (i = 0; i < cmds->num; i++) {
		const u64 *cmd = &cmds->cmds[i * CMDQ_ENT_DWORDS];

		if (!arm_smmu_atc_cmd_sid(cmd, &sid) || sid < lo || sid > hi)
			continue;
		memcpy(&retry->cmdlist[n * CMDQ_ENT_DWORDS], cmd,
		       CMDQ_ENT_DWORDS * sizeof(*cmd));
		n++;
	}
	return arm_smmu_cmdq_issue_cmdlist(retry->smmu, &retry->smmu->cmdq,
					   retry->cmdlist, n, true);
}

/**
 * arm_smmu_cmdq_batch_retry() - find and quarantine the culprits of a batch
 * @smmu: the SMMU
 * @cmds: a batch of ATC_INVs, sorted by SID, whose CMD_SYNC returned -EIO
 *
 * Runs the SMMU's isolation strategy over the batch's distinct SIDs and
 * quarantines the master of every SID found broken.  Should a test fail to
 * run, every SID of the batch is treated as broken: an ATC that may be stale
 * must not stay usable.
 */
void arm_smmu_cmdq_batch_retry(struct arm_smmu_device *smmu,
			       struct arm_smmu_cmdq_batch *cmds)
{
	DECLARE_BITMAP(broken, CMDQ_BATCH_ENTRIES) = {};
	u32 sids[CMDQ_BATCH_ENTRIES], sid;
	struct arm_smmu_atc_retry *retry;
	struct arm_smmu_atc_isolation iso = {
		.sids = sids,
		.broken = broken,
		.test = arm_smmu_atc_retry_test,
		.stats = &smmu->atc_stats,
	};
	struct arm_smmu_master *master;
	unsigned int i;

	for (i = 0; i < cmds->num; i++) {
		if (!arm_smmu_atc_cmd_sid(&cmds->cmds[i * CMDQ_ENT_DWORDS],
					  &sid))
			continue;
		if (!iso.num_sids || sids[iso.num_sids - 1] != sid)
			sids[iso.num_sids++] = sid;
	}
	if (!iso.num_sids)
		return;

	trace_arm_smmu_atc_isolate_start();
	retry = kmalloc(sizeof(*retry), GFP_ATOMIC);
	if (retry) {
		retry->smmu = smmu;
		retry->cmds = cmds;
		iso.priv = retry;
	}
	if (!retry || arm_smmu_atc_isolate(smmu->atc_isolate_ops, &iso))
		bitmap_set(broken, 0, iso.num_sids);
	kfree(retry);

	atomic_long_inc(&smmu->atc_isolations);
	atomic_long_add(iso.num_tests, &smmu->atc_isolation_tests);
	trace_arm_smmu_atc_isolate(iso.num_sids, iso.num_tests,
				   bitmap_weight(broken, iso.num_sids));
	for (i = 0; i < iso.num_sids; i++) {
		master = arm_smmu_find_master(smmu, sids[i]);
		if (test_bit(i, broken) && master)
			arm_smmu_master_disable_ats(master);
	}
}
