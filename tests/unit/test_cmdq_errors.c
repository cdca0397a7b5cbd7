// SPDX-License-Identifier: GPL-2.0
/*
 * ATC invalidation timeouts through the command queue: the hardware timeout
 * reaches exactly the faulting CMD_SYNC's issuer as -EIO through
 * atc_sync_timeouts; the software poll timeout is -ETIMEDOUT with no bit;
 * illegal commands are skipped; batches split at 64; the virtual clock and
 * its cost model; a CMD_SYNC's MSI written only once CONS is past it; the
 * clock's solo mode.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <sim/clock.h>
#include <sim/irq.h>

#include "unit/khooks_test.h"
#ifdef KHOOKS_WMM
#include <khooks/wmm.h>
#endif

#define SID_OK 2
#define SID_BAD 1
#define SIDS 4

struct err_world {
	struct arm_smmu_device smmu;
	struct sim_smmu *hw;
	struct sim_dev devs[SIDS];
	/* atc_sync_timeouts as the CMD_SYNC that reported it completed */
	unsigned long seen[BITS_TO_LONGS(1 << SIM_SMMU_CMDQ_SHIFT_MIN)];
	bool seen_valid;
};

static void err_trace(void *arg, const u64 *cmd)
{
	struct err_world *w = arg;

	if (FIELD_GET(CMDQ_0_OP, cmd[0]) != CMDQ_OP_CMD_SYNC || w->seen_valid)
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(w->seen); i++)
		w->seen[i] = READ_ONCE(w->smmu.cmdq.atc_sync_timeouts[i]);
	w->seen_valid = !bitmap_empty(w->seen, 1 << SIM_SMMU_CMDQ_SHIFT_MIN);
}

static void err_world_init(struct err_world *w, bool msi, bool threaded,
			   u64 atc_timeout_ns)
{
	const struct sim_smmu_config cfg = {
		.ats = true,
		.msi = msi,
		.threaded = threaded,
		.cmdq_shift = SIM_SMMU_CMDQ_SHIFT_MIN,
		.atc_timeout_ns = atc_timeout_ns,
	};
	unsigned int i;

	memset(w, 0, sizeof(*w));
	/* Real time: a host that preempts the owner must not fail the test */
	arm_smmu_poll_timeout_us = TEST_POLL_TIMEOUT_US;
	assert_int_equal(sim_smmu_probe(&cfg, SIDS, &w->smmu, &w->hw), 0);
	for (i = 0; i < SIDS; i++) {
		sim_dev_init(&w->devs[i], i, 1000);
		assert_int_equal(sim_smmu_add_dev(w->hw, &w->devs[i]), 0);
	}
	sim_dev_set_state(&w->devs[SID_BAD], SIM_DEV_UNRESPONSIVE, 0);
	sim_smmu_set_trace(w->hw, err_trace, w);
}

static void err_world_fini(struct err_world *w)
{
	sim_smmu_remove(&w->smmu, w->hw);
	arm_smmu_poll_timeout_us = ARM_SMMU_POLL_TIMEOUT_US;
}

/* One ATC_INV for @sid and a CMD_SYNC */
static int atc_inv_sync(struct arm_smmu_device *smmu, u32 sid)
{
	struct arm_smmu_cmdq_ent ent;
	u64 cmd[CMDQ_ENT_DWORDS];

	arm_smmu_atc_inv_to_cmd(IOMMU_NO_PASID, 0x1000, 0x1000, &ent);
	ent.atc.sid = sid;
	assert_int_equal(arm_smmu_cmdq_build_cmd(cmd, &ent), 0);
	return arm_smmu_cmdq_issue_cmdlist(smmu, &smmu->cmdq, cmd, 1, true);
}

static void timeout_sets_only_its_bit(bool msi, bool threaded)
{
	struct err_world w;
	struct sim_smmu_stats st;
	u32 sync_slot;

	err_world_init(&w, msi, threaded, 50 * 1000);
	assert_int_equal(atc_inv_sync(&w.smmu, SID_OK), 0);

	/* The ATC_INV goes in the next slot, its CMD_SYNC in the one after */
	sync_slot = Q_IDX(&w.smmu.cmdq.q.llq,
			  READ_ONCE(w.smmu.cmdq.q.llq.prod) + 1);
	assert_int_equal(atc_inv_sync(&w.smmu, SID_BAD), -EIO);

	/* When the failed sync completed, its bit and no other was set */
	assert_true(w.seen_valid);
	assert_int_equal(bitmap_weight(w.seen, 1 << SIM_SMMU_CMDQ_SHIFT_MIN),
			 1);
	assert_true(test_bit(sync_slot, w.seen));
	/* ... and the issuer cleared it */
	assert_true(bitmap_empty(w.smmu.cmdq.atc_sync_timeouts,
				 1 << SIM_SMMU_CMDQ_SHIFT_MIN));

	/* The queue goes on */
	assert_int_equal(atc_inv_sync(&w.smmu, SID_OK), 0);
	sim_smmu_stats(w.hw, &st);
	assert_int_equal(st.atc_timeouts, 1);
	assert_int_equal(st.errors, 1);
	assert_int_equal(sim_irq_count(sim_smmu_irq(w.hw)), 1);
	err_world_fini(&w);
}

static void test_timeout_bit_msi_inline(void **state)
{
	timeout_sets_only_its_bit(true, false);
}

static void test_timeout_bit_poll_threaded(void **state)
{
	timeout_sets_only_its_bit(false, true);
}

struct err_issuer {
	struct err_world *w;
	u32 sid;
	int want;
	unsigned int rounds;
	unsigned int wrong;
	u64 seed;
	pthread_t thread;
};

static void *err_issuer_fn(void *arg)
{
	struct err_issuer *is = arg;
	unsigned int i;

#ifdef KHOOKS_WMM
	khooks_wmm_thread_start(is->seed);
#endif
	for (i = 0; i < is->rounds; i++)
		if (atc_inv_sync(&is->w->smmu, is->sid) != is->want)
			is->wrong++;
#ifdef KHOOKS_WMM
	khooks_wmm_thread_stop();
#endif
	return NULL;
}

/* Concurrently: only the issuer whose batch timed out gets -EIO */
static void only_faulting_issuer_gets_eio(bool msi, bool threaded)
{
	struct err_issuer is[2];
	struct err_world w;
	struct sim_smmu_stats st;
	unsigned int i;

	u64 seed = test_seed("only_faulting_issuer_gets_eio");

	err_world_init(&w, msi, threaded, 20 * 1000);
	sim_smmu_set_trace(w.hw, NULL, NULL);
	is[0] = (struct err_issuer){ .w = &w,
				     .sid = SID_BAD,
				     .want = -EIO,
				     .rounds = 200,
				     .seed = seed };
	is[1] = (struct err_issuer){ .w = &w,
				     .sid = SID_OK,
				     .want = 0,
				     .rounds = 2000,
				     .seed = seed + 1 };
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&is[i].thread, NULL,
						err_issuer_fn, &is[i]),
				 0);
	for (i = 0; i < 2; i++)
		pthread_join(is[i].thread, NULL);

	sim_smmu_stats(w.hw, &st);
	printf("%s/%s: %u timeouts reported, wrong results %u and %u\n",
	       msi ? "MSI" : "polling", threaded ? "threaded" : "inline",
	       (unsigned int)st.atc_timeouts, is[0].wrong, is[1].wrong);
	assert_int_equal(is[0].wrong, 0);
	assert_int_equal(is[1].wrong, 0);
	assert_int_equal(st.atc_timeouts, is[0].rounds);
	assert_true(bitmap_empty(w.smmu.cmdq.atc_sync_timeouts,
				 1 << SIM_SMMU_CMDQ_SHIFT_MIN));
	err_world_fini(&w);
}

static void test_only_faulting_issuer_msi_inline(void **state)
{
	only_faulting_issuer_gets_eio(true, false);
}

static void test_only_faulting_issuer_poll_threaded(void **state)
{
	only_faulting_issuer_gets_eio(false, true);
}

/* The software poll gives up first: -ETIMEDOUT, no bit */
static void test_software_timeout(void **state)
{
	struct err_world w;

	err_world_init(&w, true, false, 10ULL * 1000 * 1000 * 1000);
	arm_smmu_poll_timeout_us = 2000;
	assert_int_equal(atc_inv_sync(&w.smmu, SID_BAD), -ETIMEDOUT);
	assert_true(bitmap_empty(w.smmu.cmdq.atc_sync_timeouts,
				 1 << SIM_SMMU_CMDQ_SHIFT_MIN));
	/* The queue is stuck behind the sync: tear it down as it is */
	err_world_fini(&w);
}

/* An illegal command is turned into a CMD_SYNC by the error handler */
static void test_illegal_command_skipped(void **state)
{
	u64 cmd[CMDQ_ENT_DWORDS] = { 0x7f, 0 };
	struct sim_smmu_stats st;
	struct err_world w;

	err_world_init(&w, false, false, 0);
	assert_int_equal(arm_smmu_cmdq_issue_cmdlist(&w.smmu, &w.smmu.cmdq, cmd,
						     1, true),
			 0);
	sim_smmu_stats(w.hw, &st);
	assert_int_equal(st.errors, 1);
	assert_int_equal(st.illegal, 1);
	assert_int_equal(st.illegal_injected, 0);
	assert_int_equal(st.atc_timeouts, 0);
	assert_int_equal(st.syncs, 2 + 2); /* two at reset, ours, the fix */
	err_world_fini(&w);
}

/* Recording queue: what the batch API hands to the queue */
static struct {
	int n[8];
	bool sync[8];
	int calls;
} rec;

static int rec_issue_cmdlist(struct arm_smmu_device *smmu,
			     struct arm_smmu_cmdq *cmdq, u64 *cmds, int n,
			     bool sync)
{
	if (rec.calls < 8) {
		rec.n[rec.calls] = n;
		rec.sync[rec.calls] = sync;
	}
	rec.calls++;
	return 0;
}

static void test_batches_split_at_64(void **state)
{
	static const struct arm_smmu_impl_ops rec_ops = {
		.issue_cmdlist = rec_issue_cmdlist,
	};
	struct arm_smmu_device smmu = { .impl_ops = &rec_ops };
	struct arm_smmu_cmdq_batch cmds;
	struct arm_smmu_cmdq_ent ent;
	int i;

	memset(&rec, 0, sizeof(rec));
	arm_smmu_atc_inv_to_cmd(IOMMU_NO_PASID, 0, 0, &ent);
	arm_smmu_cmdq_batch_init(&smmu, &cmds, &ent);
	for (i = 0; i < 130; i++) {
		ent.atc.sid = i;
		arm_smmu_cmdq_batch_add(&smmu, &cmds, &ent);
	}
	assert_int_equal(arm_smmu_cmdq_batch_submit(&smmu, &cmds), 0);
	assert_int_equal(rec.calls, 3);
	assert_int_equal(rec.n[0], 64);
	assert_false(rec.sync[0]);
	assert_int_equal(rec.n[1], 64);
	assert_false(rec.sync[1]);
	assert_int_equal(rec.n[2], 2);
	assert_true(rec.sync[2]);
}

/* Virtual time: a slow device delays the sync by its delay, exactly */
static void test_virtual_clock(void **state)
{
	struct err_world w;
	u64 t0;

	assert_int_equal(sim_clock_init(SIM_CLOCK_VIRTUAL), 0);
	err_world_init(&w, true, false, 1000 * 1000);
	sim_dev_set_state(&w.devs[SID_OK], SIM_DEV_SLOW, 300 * 1000);

	t0 = sim_clock_now_ns();
	assert_int_equal(atc_inv_sync(&w.smmu, SID_OK), 0);
	/* Seen when it happens, not at the driver's next back-off poll */
	assert_int_equal(sim_clock_now_ns() - t0, 300 * 1000);

	t0 = sim_clock_now_ns();
	assert_int_equal(atc_inv_sync(&w.smmu, SID_BAD), -EIO);
	assert_true(sim_clock_now_ns() - t0 >= 1000 * 1000);

	/* A threaded SMMU cannot run in virtual time */
	{
		const struct sim_smmu_config cfg = {
			.threaded = true,
			.cmdq_shift = SIM_SMMU_CMDQ_SHIFT_MIN,
		};
		struct sim_smmu *hw;

		assert_int_equal(sim_smmu_create(&cfg, 4, &hw), -EINVAL);
	}
	err_world_fini(&w);
	assert_int_equal(sim_clock_init(SIM_CLOCK_MONOTONIC), 0);
}

/*
 * Virtual time of TLBI_NH_VA, ATC_INV, CMD_SYNC with the given costs: each
 * command starts when the one before it ends, the ATC_INV reaches its
 * device as it starts, the sync waits for the answer and takes its own cost.
 */
static u64 virtual_list_ns(bool msi, u64 sync_ns)
{
	const struct sim_smmu_config cfg = {
		.ats = true,
		.msi = msi,
		.cmdq_shift = SIM_SMMU_CMDQ_SHIFT_MIN,
		.lat = { .cmd_ns = 20, .atc_inv_ns = 30, .sync_ns = sync_ns },
	};
	struct arm_smmu_cmdq_ent tlbi = {
		.opcode = CMDQ_OP_TLBI_NH_VA,
		.tlbi = { .asid = 1, .addr = 0x1000, .leaf = true },
	}, atc;
	struct arm_smmu_device smmu = {};
	u64 cmds[2 * CMDQ_ENT_DWORDS], t0, t1, syncs;
	struct sim_smmu *hw;
	struct sim_dev dev;

	assert_int_equal(sim_clock_init(SIM_CLOCK_VIRTUAL), 0);
	assert_int_equal(sim_smmu_probe(&cfg, SIDS, &smmu, &hw), 0);
	sim_dev_init(&dev, SID_OK, 1000);
	assert_int_equal(sim_smmu_add_dev(hw, &dev), 0);
	arm_smmu_atc_inv_to_cmd(IOMMU_NO_PASID, 0x1000, 0x1000, &atc);
	atc.atc.sid = SID_OK;
	assert_int_equal(arm_smmu_cmdq_build_cmd(cmds, &tlbi), 0);
	assert_int_equal(arm_smmu_cmdq_build_cmd(cmds + CMDQ_ENT_DWORDS, &atc),
			 0);

	syncs = sim_smmu_cmd_count(hw, CMDQ_OP_CMD_SYNC);
	t0 = sim_clock_now_ns();
	assert_int_equal(arm_smmu_cmdq_issue_cmdlist(&smmu, &smmu.cmdq, cmds, 2,
						     true),
			 0);
	t1 = sim_clock_now_ns();
	assert_int_equal(sim_smmu_cmd_count(hw, CMDQ_OP_CMD_SYNC), syncs + 1);
	sim_smmu_remove(&smmu, hw);
	assert_int_equal(sim_clock_init(SIM_CLOCK_MONOTONIC), 0);
	return t1 - t0;
}

/* Virtual latencies are the model's costs, whichever way the driver polls */
static void test_virtual_costs(void **state)
{
	unsigned int msi;

	for (msi = 0; msi < 2; msi++) {
		/* TLBI 0-20, ATC_INV 20-50 (answer at 20 + 1000), sync */
		assert_int_equal(virtual_list_ns(msi, 50), 1020 + 50);
		/* Doubling the CMD_SYNC cost moves it by that cost */
		assert_int_equal(virtual_list_ns(msi, 100), 1020 + 100);
		/* The device's answer still dominates a cheap sync */
		assert_int_equal(virtual_list_ns(msi, 0), 1020);
	}
}

/* Solo mode: time carries over both ways; refused with pollers or real time */
static void test_clock_solo(void **state)
{
	struct err_world w;
	u64 t0;

	assert_int_equal(sim_clock_init(SIM_CLOCK_MONOTONIC), 0);
	assert_int_equal(sim_clock_solo(true), -EBUSY);
	assert_int_equal(sim_clock_init(SIM_CLOCK_VIRTUAL), 0);
	err_world_init(&w, true, false, 0); /* an inline SMMU polls */
	assert_int_equal(sim_clock_solo(true), -EBUSY);
	err_world_fini(&w);

	sim_clock_delay_ns(1000);
	t0 = sim_clock_now_ns();
	assert_int_equal(sim_clock_solo(true), 0);
	assert_int_equal(sim_clock_now_ns(), t0);
	sim_clock_delay_ns(500);
	sim_clock_advance_to(t0 + 200); /* earlier: no effect */
	assert_int_equal(ktime_get(), t0 + 500);
	assert_int_equal(sim_clock_solo(false), 0);
	assert_int_equal(sim_clock_now_ns(), t0 + 500);
	sim_clock_delay_ns(1);
	assert_int_equal(sim_clock_now_ns(), t0 + 501);
	assert_int_equal(sim_clock_init(SIM_CLOCK_MONOTONIC), 0);
}

/* The sync's MSI, seen while the SMMU consumes the sync (CONS still at it) */
static void msi_order_trace(void *arg, const u64 *cmd)
{
	u32 *msi = (u32 *)(uintptr_t)(cmd[1] & CMDQ_SYNC_1_MSIADDR_MASK);
	unsigned int *early = arg;

	if (FIELD_GET(CMDQ_0_OP, cmd[0]) == CMDQ_OP_CMD_SYNC &&
	    !__atomic_load_n(msi, __ATOMIC_ACQUIRE))
		++*early;
}

/*
 * A driver that saw a CMD_SYNC's MSI takes CONS to be past the sync; a CONS
 * read one slot behind after that makes a full queue look empty (the locked
 * queue then overwrote unconsumed commands).  So the MSI comes last.
 */
static void test_msi_after_cons(void **state)
{
	struct err_world w;
	unsigned int early = 0, i;

	err_world_init(&w, true, false, 0);
	sim_smmu_set_trace(w.hw, msi_order_trace, &early);
	for (i = 0; i < 4; i++)
		assert_int_equal(atc_inv_sync(&w.smmu, SID_OK), 0);
	assert_int_equal(early, 0);
	err_world_fini(&w);
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
		cmocka_unit_test(test_timeout_bit_msi_inline),
		cmocka_unit_test(test_timeout_bit_poll_threaded),
		cmocka_unit_test(test_only_faulting_issuer_msi_inline),
		cmocka_unit_test(test_only_faulting_issuer_poll_threaded),
		cmocka_unit_test(test_software_timeout),
		cmocka_unit_test(test_illegal_command_skipped),
		cmocka_unit_test(test_batches_split_at_64),
		cmocka_unit_test(test_virtual_clock),
		cmocka_unit_test(test_virtual_costs),
		cmocka_unit_test(test_msi_after_cons),
		cmocka_unit_test(test_clock_solo),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
