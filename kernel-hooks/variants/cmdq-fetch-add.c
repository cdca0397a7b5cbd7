// SPDX-License-Identifier: GPL-2.0
/*
 * The command queue whose space is taken by one atomic add (see
 * cmdq-fetch-add.h).  The CMD_SYNC completion (MSI or CONS polling) and
 * the ATC timeout result are the lock-free queue's own.
 */
#include <linux/atomic.h>
#include <linux/io.h>
#include <asm/barrier.h>
#include <trace/events/arm_smmu_v3.h>

#include "cmdq-fetch-add.h"

/* Slot count @t as the queue's prod/cons: its index and its wrap bit */
static u32 arm_smmu_fetch_add_pos(struct arm_smmu_cmdq *cmdq, unsigned long t)
{
	return t & ((2UL << cmdq->q.llq.max_n_shift) - 1);
}

/*
 * The slots the SMMU has consumed, as a count: CONS read first, then what
 * is published, which CONS cannot pass and is within a lap of
 */
static unsigned long
arm_smmu_fetch_add_consumed(struct arm_smmu_fetch_add_device *fdev)
{
	struct arm_smmu_cmdq *cmdq = &fdev->smmu.cmdq;
	u32 cons =
		arm_smmu_fetch_add_pos(cmdq, readl_relaxed(cmdq->q.cons_reg));
	unsigned long published = atomic_long_read(&fdev->published);

	return published -
	       arm_smmu_fetch_add_pos(cmdq, published - (unsigned long)cons);
}

static int arm_smmu_cmdq_fetch_add_issue_cmdlist(struct arm_smmu_device *smmu,
						 struct arm_smmu_cmdq *cmdq,
						 u64 *cmds, int n, bool sync)
{
	struct arm_smmu_fetch_add_device *fdev =
		container_of(smmu, struct arm_smmu_fetch_add_device, smmu);
	unsigned long size = 1UL << cmdq->q.llq.max_n_shift;
	struct arm_smmu_ll_queue llq = {
		.max_n_shift = cmdq->q.llq.max_n_shift,
	};
	struct arm_smmu_queue_poll qp;
	unsigned long start, end;
	u64 cmd_sync[CMDQ_ENT_DWORDS];
	int i, ret = 0;

	/* 1. Our slots, whatever the queue holds: the add never fails */
	start = atomic_long_fetch_add_relaxed(n + sync, &fdev->tail);
	end = start + n + sync;

	/*
	 * 2. Wait until the lap before them is free: handed back (acquire:
	 * after its waiter read it), and consumed
	 */
	trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_SPACE, false);
	atomic_long_cond_read_acquire(&fdev->retired,
				      end - (unsigned long)VAL <= size);
	if (end - arm_smmu_fetch_add_consumed(fdev) > size) {
		queue_poll_init(smmu, &qp);
		while (end - arm_smmu_fetch_add_consumed(fdev) > size) {
			if (queue_poll(&qp)) {
				dev_err_ratelimited(smmu->dev,
						    "CMDQ timeout\n");
				queue_poll_init(smmu, &qp);
			}
		}
	}
	trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_SPACE, true);

	/* 3. The commands, and the CMD_SYNC after them */
	for (i = 0; i < n; ++i)
		queue_write(Q_ENT(&cmdq->q,
				  arm_smmu_fetch_add_pos(cmdq, start + i)),
			    &cmds[i * CMDQ_ENT_DWORDS], CMDQ_ENT_DWORDS);
	llq.prod = arm_smmu_fetch_add_pos(cmdq, end - 1);
	if (sync) {
		arm_smmu_cmdq_build_sync_cmd(cmd_sync, smmu, &cmdq->q,
					     llq.prod);
		queue_write(Q_ENT(&cmdq->q, llq.prod), cmd_sync,
			    CMDQ_ENT_DWORDS);
	}

	/*
	 * 4. Our turn: every earlier caller gave the SMMU its PROD (acquire:
	 * ours comes after theirs); the commands are visible before PROD
	 */
	dma_wmb();
	trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_OWNER, false);
	atomic_long_cond_read_acquire(&fdev->published, VAL == (long)start);
	trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_OWNER, true);
	writel_relaxed(arm_smmu_fetch_add_pos(cmdq, end), cmdq->q.prod_reg);
	/* Pairs with the next caller's acquire: our PROD first */
	atomic_long_set_release(&fdev->published, end);

	/* 5. The CMD_SYNC's completion, as the lock-free queue waits */
	if (sync) {
		trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_SYNC, false);
		ret = arm_smmu_cmdq_poll_until_sync(smmu, cmdq, &llq);
		trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_SYNC, true);
		ret = arm_smmu_cmdq_sync_result(smmu, cmdq, llq.prod, ret);
	}

	/* 6. Our slots back, in order: pairs with step 2's acquire */
	trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_OWNER, false);
	atomic_long_cond_read_relaxed(&fdev->retired, VAL == (long)start);
	trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_OWNER, true);
	atomic_long_set_release(&fdev->retired, end);
	return ret;
}

static const struct arm_smmu_impl_ops arm_smmu_cmdq_fetch_add_ops = {
	.issue_cmdlist = arm_smmu_cmdq_fetch_add_issue_cmdlist,
};

/**
 * arm_smmu_cmdq_fetch_add_init() - give an SMMU the fetch-add queue
 * @fdev: the SMMU, before arm_smmu_device_init() (its queue starts empty,
 *        PROD and CONS 0)
 */
void arm_smmu_cmdq_fetch_add_init(struct arm_smmu_fetch_add_device *fdev)
{
	atomic_long_set(&fdev->tail, 0);
	atomic_long_set(&fdev->published, 0);
	atomic_long_set(&fdev->retired, 0);
	fdev->smmu.impl_ops = &arm_smmu_cmdq_fetch_add_ops;
}
