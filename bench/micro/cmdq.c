// SPDX-License-Identifier: GPL-2.0
/*
 * micro_cmdq: benchmarks of the command queue against an inline simulated
 * SMMU with zero command latency (the software cost of the queue):
 *
 * cmdq/{lockfree,locked}/cmds:N/sync:S/real_time/threads:T
 *     one arm_smmu_cmdq_issue_cmdlist() of N TLBIs, with (S=1) or without
 *     a CMD_SYNC, by T threads at once; the lock-free shared-ownership
 *     queue against the single-spinlock baseline (variants/cmdq-locked.c)
 * cmdq/atc_batch/sids:N
 *     one batch of ATC_INVs for N stream IDs plus its CMD_SYNC, through
 *     the batch API (64 commands per chunk, one sync at the end)
 * cmdq/sync_bitmap/{test_and_clear_bit,test_bit,none}
 *     the ATC timeout check every CMD_SYNC issuer makes on its slot:
 *     the kernel's atomic test_and_clear_bit(), a plain test_bit() that
 *     would skip the atomic when the bit is clear, and the same loop with
 *     no check (its instruction count against the others' is the check's)
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <linux/bitops.h>
#include <linux/slab.h>
#include <variants/cmdq-locked.h>
#include <sim/smmu.h>

#include "gbench/gbench.h"
#include "micro/micro.h"

#define MICRO_CMDQ_SIDS 512

struct micro_cmdq_world {
	struct arm_smmu_locked_device ldev;
	struct sim_smmu *hw;
};

/* cmdq/sync_bitmap/: the check a CMD_SYNC issuer makes on its slot */
enum micro_bitop {
	MICRO_BITOP_NONE, /* the loop alone: the others' baseline */
	MICRO_BITOP_TEST, /* test_bit() */
	MICRO_BITOP_TEST_AND_CLEAR, /* test_and_clear_bit(), the kernel's */
};

struct micro_cmdq_arg {
	bool locked; /* the world of the locked queue */
	int cmds;
	bool sync;
	enum micro_bitop bitop;
};

/*
 * Built on first use, as the walker's worlds are: each SMMU is a poller of
 * the clock and a region of the MMIO map, which every other benchmark's
 * clock reads and register accesses would otherwise walk past
 */
static pthread_mutex_t micro_cmdq_worlds_lock = PTHREAD_MUTEX_INITIALIZER;
static struct micro_cmdq_world *micro_cmdq_worlds[2];
static struct micro_cmdq_arg micro_cmdq_args[16];
static unsigned int micro_cmdq_num_args;

static int micro_cmdq_world_alloc(bool locked, struct micro_cmdq_world **out)
{
	const struct sim_smmu_config cfg = {
		.ats = true,
		.msi = true,
		.cmdq_shift = 8,
	};
	struct micro_cmdq_world *w;
	int ret;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	if (locked)
		arm_smmu_cmdq_locked_init(&w->ldev);
	ret = sim_smmu_probe(&cfg, MICRO_CMDQ_SIDS, &w->ldev.smmu, &w->hw);
	if (ret) {
		kfree(w);
		return ret;
	}
	*out = w;
	return 0;
}

/* @a's world, built on first use; NULL (the benchmark skipped) on error */
static struct micro_cmdq_world *micro_cmdq_world(struct gbench_state *st,
						 const struct micro_cmdq_arg *a)
{
	struct micro_cmdq_world **w = &micro_cmdq_worlds[a->locked];
	int ret = 0;

	pthread_mutex_lock(&micro_cmdq_worlds_lock);
	if (!*w)
		ret = micro_cmdq_world_alloc(a->locked, w);
	pthread_mutex_unlock(&micro_cmdq_worlds_lock);
	if (ret) {
		gbench_skip_with_error(st, "cannot build the world");
		return NULL;
	}
	return *w;
}

static void micro_cmdq_issue(struct gbench_state *st, void *arg)
{
	struct micro_cmdq_arg *a = arg;
	struct micro_cmdq_world *w = micro_cmdq_world(st, a);
	struct arm_smmu_device *smmu;
	struct arm_smmu_cmdq_ent ent = {
		.opcode = CMDQ_OP_TLBI_NH_ASID,
		.tlbi.asid = 1 + gbench_thread_index(st),
	};
	u64 cmds[16 * CMDQ_ENT_DWORDS];
	int64_t iters = 0;
	int i;

	if (!w)
		return;
	smmu = &w->ldev.smmu;
	for (i = 0; i < a->cmds; i++)
		arm_smmu_cmdq_build_cmd(&cmds[i * CMDQ_ENT_DWORDS], &ent);
	while (gbench_keep_running(st)) {
		if (arm_smmu_cmdq_issue_cmdlist(smmu, &smmu->cmdq, cmds,
						a->cmds, a->sync)) {
			gbench_skip_with_error(st, "issue failed");
			break;
		}
		iters++;
	}
	gbench_counter(st, "cmds", (double)iters * a->cmds,
		       GBENCH_COUNTER_RATE);
}

static void micro_cmdq_atc_batch(struct gbench_state *st, void *arg)
{
	struct micro_cmdq_arg *a = arg;
	struct micro_cmdq_world *w = micro_cmdq_world(st, a);
	struct arm_smmu_cmdq_batch cmds;
	struct arm_smmu_cmdq_ent ent;
	int i;

	if (!w)
		return;
	arm_smmu_atc_inv_to_cmd(IOMMU_NO_PASID, 0x100000, SZ_4K, &ent);
	while (gbench_keep_running(st)) {
		arm_smmu_cmdq_batch_init(&w->ldev.smmu, &cmds, &ent);
		for (i = 0; i < a->cmds; i++) {
			ent.atc.sid = i;
			arm_smmu_cmdq_batch_add(&w->ldev.smmu, &cmds, &ent);
		}
		if (arm_smmu_cmdq_batch_submit(&w->ldev.smmu, &cmds)) {
			gbench_skip_with_error(st, "batch failed");
			break;
		}
	}
}

static void micro_cmdq_bitmap(struct gbench_state *st, void *arg)
{
	struct micro_cmdq_arg *a = arg;
	struct micro_cmdq_world *w = micro_cmdq_world(st, a);
	unsigned int slot = 0;
	unsigned long hits = 0;
	unsigned long *map;

	if (!w)
		return;
	map = w->ldev.smmu.cmdq.atc_sync_timeouts;
	/* The bit is clear, as it is for every sync that did not time out */
	while (gbench_keep_running(st)) {
		if (a->bitop == MICRO_BITOP_TEST_AND_CLEAR)
			hits += test_and_clear_bit(slot, map);
		else if (a->bitop == MICRO_BITOP_TEST)
			hits += test_bit(slot, map);
		slot = (slot + 1) & 255; /* MICRO_BITOP_NONE: this alone */
	}
	gbench_counter(st, "hits", hits, GBENCH_COUNTER_DEFAULT);
}

static struct micro_cmdq_arg *micro_cmdq_arg_new(bool locked, int cmds,
						 bool sync)
{
	struct micro_cmdq_arg *a;

	if (micro_cmdq_num_args == ARRAY_SIZE(micro_cmdq_args))
		return NULL;
	a = &micro_cmdq_args[micro_cmdq_num_args++];
	*a = (struct micro_cmdq_arg){ .locked = locked,
				      .cmds = cmds,
				      .sync = sync };
	return a;
}

static int micro_cmdq_add(const char *name, gbench_fn fn,
			  struct micro_cmdq_arg *a, int threads)
{
	struct gbench *b;

	if (!a)
		return -ENOSPC;
	if (threads > 1 && gbench_icount_mode())
		return 0; /* several threads: no repeatable count */
	b = gbench_register(name, fn, a);
	if (!b)
		return -ENOMEM;
	if (threads) {
		gbench_use_real_time(b);
		gbench_threads(b, threads);
	}
	return 0;
}

int micro_cmdq_register(void)
{
	static const char *const designs[] = { "lockfree", "locked" };
	static const int sizes[] = { 1, 16 };
	static const int sids[] = { 1, 8, 64, 512 };
	static const struct {
		const char *name;
		enum micro_bitop op;
	} bitops[] = {
		{ "cmdq/sync_bitmap/test_and_clear_bit",
		  MICRO_BITOP_TEST_AND_CLEAR },
		{ "cmdq/sync_bitmap/test_bit", MICRO_BITOP_TEST },
		{ "cmdq/sync_bitmap/none", MICRO_BITOP_NONE },
	};
	char name[128];
	unsigned int d, i, s, t;
	int ret;

	for (d = 0; d < ARRAY_SIZE(designs); d++) {
		for (i = 0; i < ARRAY_SIZE(sizes); i++) {
			for (s = 0; s < 2; s++) {
				struct micro_cmdq_arg *a =
					micro_cmdq_arg_new(d == 1, sizes[i], s);

				snprintf(name, sizeof(name),
					 "cmdq/%s/cmds:%d/sync:%u", designs[d],
					 sizes[i], s);
				for (t = 1; t <= 2; t++) {
					ret = micro_cmdq_add(
						name, micro_cmdq_issue, a, t);
					if (ret)
						return ret;
				}
			}
		}
	}

	for (i = 0; i < ARRAY_SIZE(sids); i++) {
		snprintf(name, sizeof(name), "cmdq/atc_batch/sids:%d", sids[i]);
		ret = micro_cmdq_add(name, micro_cmdq_atc_batch,
				     micro_cmdq_arg_new(false, sids[i], true),
				     0);
		if (ret)
			return ret;
	}

	for (i = 0; i < ARRAY_SIZE(bitops); i++) {
		struct micro_cmdq_arg *a = micro_cmdq_arg_new(false, 0, false);

		if (a)
			a->bitop = bitops[i].op;
		ret = micro_cmdq_add(bitops[i].name, micro_cmdq_bitmap, a, 0);
		if (ret)
			return ret;
	}
	return 0;
}

void micro_cmdq_unregister(void)
{
	unsigned int d;

	for (d = 0; d < ARRAY_SIZE(micro_cmdq_worlds); d++) {
		struct micro_cmdq_world *w = micro_cmdq_worlds[d];

		if (!w)
			continue;
		sim_smmu_remove(&w->ldev.smmu, w->hw);
		kfree(w);
		micro_cmdq_worlds[d] = NULL;
	}
	micro_cmdq_num_args = 0;
}
