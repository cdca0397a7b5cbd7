// SPDX-License-Identifier: GPL-2.0
/*
 * Several command queues per SMMU (variants/cmdq-multi.h) on the simulated
 * SMMU's queues: which queue each command goes on, seen in the queues'
 * PROD registers; a batch of TLBIs and ATC_INVs split at the switch, each
 * part with its CMD_SYNC; an ATC timeout and an illegal command on a queue
 * of its own, reported and acknowledged there, and the queue going on; the
 * limits of both sides.
 */
#include <sched.h>
#include <string.h>
#include <linux/io.h>
#include <sim/irq.h>
#include <variants/cmdq-multi.h>

#include "unit/khooks_test.h"

#define SID_OK 2
#define SID_BAD 1
#define SIDS 4

struct mq_world {
	struct arm_smmu_device smmu;
	struct arm_smmu_mq mq;
	struct sim_smmu *hw;
	struct sim_dev devs[SIDS];
};

static void mq_world_init(struct mq_world *w, enum arm_smmu_mq_mode mode,
			  unsigned int num_queues)
{
	const struct sim_smmu_config cfg = {
		.ats = true,
		.msi = true,
		.cmdq_shift = SIM_SMMU_CMDQ_SHIFT_MIN,
		.atc_timeout_ns = 50 * 1000,
		.num_queues = num_queues,
	};
	unsigned int i;

	memset(w, 0, sizeof(*w));
	arm_smmu_poll_timeout_us = TEST_POLL_TIMEOUT_US;
	assert_int_equal(arm_smmu_mq_init(&w->mq, mode, num_queues), 0);
	w->smmu.impl_ops = &w->mq.ops;
	assert_int_equal(sim_smmu_probe(&cfg, SIDS, &w->smmu, &w->hw), 0);
	for (i = 0; i < SIDS; i++) {
		sim_dev_init(&w->devs[i], i, 1000);
		assert_int_equal(sim_smmu_add_dev(w->hw, &w->devs[i]), 0);
	}
	sim_dev_set_state(&w->devs[SID_BAD], SIM_DEV_UNRESPONSIVE, 0);
}

static void mq_world_fini(struct mq_world *w)
{
	sim_smmu_remove(&w->smmu, w->hw);
	arm_smmu_poll_timeout_us = ARM_SMMU_POLL_TIMEOUT_US;
}

/* PROD of queue @q (-1: the SMMU's own), as the SMMU sees it */
static u32 mq_prod(struct mq_world *w, int q)
{
	return readl(w->smmu.base +
		     (q < 0 ? ARM_SMMU_CMDQ_PROD :
			      ARM_SMMU_MQ(q) + ARM_SMMU_MQ_PROD));
}

/* Commands put on queue @q since @before (no lap: a few commands) */
static u32 mq_added(struct mq_world *w, int q, u32 before)
{
	return (mq_prod(w, q) - before) & ((2u << SIM_SMMU_CMDQ_SHIFT_MIN) - 1);
}

/* A batch: a TLBI if @tlbi, then an ATC_INV for each of @sids; its result */
static int mq_batch(struct mq_world *w, bool tlbi, const u32 *sids,
		    unsigned int n)
{
	struct arm_smmu_cmdq_ent t = {
		.opcode = CMDQ_OP_TLBI_NH_VA,
		.tlbi = { .asid = 1, .leaf = true, .addr = 0x1000 },
	};
	struct arm_smmu_cmdq_ent atc;
	struct arm_smmu_cmdq_batch cmds;
	unsigned int i;

	arm_smmu_atc_inv_to_cmd(IOMMU_NO_PASID, 0x1000, 0x1000, &atc);
	atc.atc.sid = n ? sids[0] : 0;
	arm_smmu_cmdq_batch_init(&w->smmu, &cmds, tlbi ? &t : &atc);
	if (tlbi)
		arm_smmu_cmdq_batch_add(&w->smmu, &cmds, &t);
	for (i = 0; i < n; i++) {
		atc.atc.sid = sids[i];
		arm_smmu_cmdq_batch_add(&w->smmu, &cmds, &atc);
	}
	return arm_smmu_cmdq_batch_submit(&w->smmu, &cmds);
}

static void test_ats_queue_routing(void **state)
{
	const u32 ok[] = { SID_OK, SID_OK + 1 };
	struct mq_world w;
	u32 main0, ats0;

	mq_world_init(&w, ARM_SMMU_MQ_ATS, 1);
	main0 = mq_prod(&w, -1);
	ats0 = mq_prod(&w, 0);

	/* TLBIs only: the SMMU's queue */
	assert_int_equal(mq_batch(&w, true, NULL, 0), 0);
	assert_int_equal(mq_added(&w, -1, main0), 2);
	assert_int_equal(mq_added(&w, 0, ats0), 0);

	/* A TLBI, then two ATC_INVs: the TLBI and a sync, then the others */
	main0 = mq_prod(&w, -1);
	assert_int_equal(mq_batch(&w, true, ok, 2), 0);
	assert_int_equal(mq_added(&w, -1, main0), 2);
	assert_int_equal(mq_added(&w, 0, ats0), 3);

	/* ATC_INVs only: the ATS queue */
	main0 = mq_prod(&w, -1);
	ats0 = mq_prod(&w, 0);
	assert_int_equal(mq_batch(&w, false, ok, 2), 0);
	assert_int_equal(mq_added(&w, -1, main0), 0);
	assert_int_equal(mq_added(&w, 0, ats0), 3);
	mq_world_fini(&w);
}

static void test_ats_queue_timeout(void **state)
{
	const u32 bad[] = { SID_OK, SID_BAD }, ok[] = { SID_OK };
	void __iomem *page;
	struct sim_smmu_stats st;
	struct mq_world w;

	mq_world_init(&w, ARM_SMMU_MQ_ATS, 1);
	page = w.smmu.base + ARM_SMMU_MQ(0);
	/* The ATS queue's sync reports the timeout: -EIO to its issuer */
	assert_int_equal(mq_batch(&w, true, bad, 2), -EIO);
	sim_smmu_stats(w.hw, &st);
	assert_int_equal(st.atc_timeouts, 1);
	assert_int_equal(st.errors, 1);
	/* Raised once, acknowledged on that queue; the SMMU's own untouched */
	assert_int_equal(sim_irq_count(sim_smmu_irq(w.hw)), 1);
	assert_int_equal(readl(page + ARM_SMMU_MQ_GERROR), GERROR_CMDQ_ERR);
	assert_int_equal(readl(page + ARM_SMMU_MQ_GERRORN), GERROR_CMDQ_ERR);
	assert_int_equal(readl(w.smmu.base + ARM_SMMU_GERROR), 0);
	/* Both queues go on */
	assert_int_equal(mq_batch(&w, true, ok, 1), 0);
	assert_int_equal(mq_batch(&w, true, NULL, 0), 0);
	sim_smmu_stats(w.hw, &st);
	assert_int_equal(st.atc_timeouts, 1);
	mq_world_fini(&w);
}

static void test_per_cpu_queue(void **state)
{
	cpu_set_t old, one;
	struct sim_smmu_stats st;
	struct mq_world w;
	u32 prod[3];
	int cpu, q;

	/* On one CPU, raw_smp_processor_id() stays what it was */
	assert_int_equal(sched_getaffinity(0, sizeof(old), &old), 0);
	cpu = sched_getcpu();
	assert_true(cpu >= 0);
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	assert_int_equal(sched_setaffinity(0, sizeof(one), &one), 0);

	mq_world_init(&w, ARM_SMMU_MQ_PER_CPU, 2);
	for (q = -1; q < 2; q++)
		prod[q + 1] = mq_prod(&w, q);
	assert_int_equal(mq_batch(&w, true, NULL, 0), 0);
	for (q = -1; q < 2; q++)
		assert_int_equal(mq_added(&w, q, prod[q + 1]),
				 q == cpu % 2 ? 2 : 0);

	/* An illegal command there: replaced by a sync, the queue goes on */
	prod[cpu % 2 + 1] = mq_prod(&w, cpu % 2);
	sim_smmu_inject_illegal(w.hw);
	assert_int_equal(mq_batch(&w, true, NULL, 0), 0);
	assert_int_equal(mq_added(&w, cpu % 2, prod[cpu % 2 + 1]), 2);
	sim_smmu_stats(w.hw, &st);
	assert_int_equal(st.illegal_injected, 1);
	assert_int_equal(st.errors, 1);
	assert_int_equal(mq_batch(&w, true, NULL, 0), 0);
	mq_world_fini(&w);
	assert_int_equal(sched_setaffinity(0, sizeof(old), &old), 0);
}

static void test_limits(void **state)
{
	const struct sim_smmu_config tlb = {
		.cmdq_shift = SIM_SMMU_CMDQ_SHIFT_MIN,
		.tlb_pages = 16,
		.num_queues = 1,
	};
	struct sim_smmu_config over = tlb;
	struct arm_smmu_mq mq;
	struct sim_smmu *hw;

	assert_int_equal(arm_smmu_mq_init(&mq, ARM_SMMU_MQ_PER_CPU, 0),
			 -EINVAL);
	assert_int_equal(arm_smmu_mq_init(&mq, ARM_SMMU_MQ_PER_CPU,
					  ARM_SMMU_MQ_MAX + 1),
			 -EINVAL);
	assert_int_equal(arm_smmu_mq_init(&mq, ARM_SMMU_MQ_ATS, 2), -EINVAL);
	assert_int_equal(
		arm_smmu_mq_init(&mq, ARM_SMMU_MQ_PER_CPU, ARM_SMMU_MQ_MAX), 0);
	/* The queues are a timing model: not beside a TLB the oracle reads */
	assert_int_equal(sim_smmu_create(&tlb, 1, &hw), -EINVAL);
	over.tlb_pages = 0;
	over.num_queues = ARM_SMMU_MQ_MAX + 1;
	assert_int_equal(sim_smmu_create(&over, 1, &hw), -EINVAL);
}

static int setup(void **state)
{
	/* The kernel's CMDQ error messages are expected here */
	khooks_printk_level(LOGLEVEL_ERR - 1);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ats_queue_routing),
		cmocka_unit_test(test_ats_queue_timeout),
		cmocka_unit_test(test_per_cpu_queue),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
