// SPDX-License-Identifier: GPL-2.0
/*
 * The baseline command queue: one spinlock around insertion and the
 * CMD_SYNC wait (see cmdq-locked.h).  The CMD_SYNC completion (MSI or CONS
 * polling) and the ATC timeout result are the lock-free queue's own.
 */
#include <linux/io.h>
#include <linux/spinlock.h>
#include <asm/barrier.h>
#include <trace/events/arm_smmu_v3.h>

#include "cmdq-locked.h"

static int arm_smmu_cmdq_locked_issue_cmdlist(struct arm_smmu_device *smmu,
					      struct arm_smmu_cmdq *cmdq,
					      u64 *cmds, int n, bool sync)
{
	struct arm_smmu_locked_device *ldev =
		container_of(smmu, struct arm_smmu_locked_device, smmu);
	struct arm_smmu_ll_queue llq = {
		.max_n_shift = cmdq->q.llq.max_n_shift,
	};
	struct arm_smmu_queue_poll qp;
	u64 cmd_sync[CMDQ_ENT_DWORDS];
	unsigned long flags;
	u32 sync_prod;
	int i, ret = 0;

	trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_LOCK, false);
	spin_lock_irqsave(&ldev->cmdq_lock, flags);
	trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_LOCK, true);
	llq.val = READ_ONCE(cmdq->q.llq.val);

	/*
	 * Wait for space, refreshing cons from the register.  The shadow cons
	 * is refreshed too: it must stay within a lap of every prod, or a
	 * CMD_SYNC waiter starting from it would see its sync as consumed.
	 */
	if (!queue_has_space(&llq, n + sync)) {
		trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_SPACE, false);
		queue_poll_init(smmu, &qp);
		for (;;) {
			llq.cons = readl_relaxed(cmdq->q.cons_reg);
			WRITE_ONCE(cmdq->q.llq.cons, llq.cons);
			if (queue_has_space(&llq, n + sync))
				break;
			if (queue_poll(&qp)) {
				dev_err_ratelimited(smmu->dev,
						    "CMDQ timeout\n");
				queue_poll_init(smmu, &qp);
			}
		}
		trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_SPACE, true);
	}

	for (i = 0; i < n; ++i)
		queue_write(Q_ENT(&cmdq->q, queue_inc_prod_n(&llq, i)),
			    &cmds[i * CMDQ_ENT_DWORDS], CMDQ_ENT_DWORDS);
	sync_prod = queue_inc_prod_n(&llq, n);
	if (sync) {
		arm_smmu_cmdq_build_sync_cmd(cmd_sync, smmu, &cmdq->q,
					     sync_prod);
		queue_write(Q_ENT(&cmdq->q, sync_prod), cmd_sync,
			    CMDQ_ENT_DWORDS);
	}

	/* The commands are visible to the SMMU before the new PROD */
	llq.prod = queue_inc_prod_n(&llq, n + sync);
	dma_wmb();
	writel_relaxed(llq.prod, cmdq->q.prod_reg);
	WRITE_ONCE(cmdq->q.llq.prod, llq.prod);

	if (sync) {
		llq.prod = sync_prod;
		trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_SYNC, false);
		ret = arm_smmu_cmdq_poll_until_sync(smmu, cmdq, &llq);
		trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_SYNC, true);
		ret = arm_smmu_cmdq_sync_result(smmu, cmdq, sync_prod, ret);
		WRITE_ONCE(cmdq->q.llq.cons, llq.cons);
	}

	spin_unlock_irqrestore(&ldev->cmdq_lock, flags);
	return ret;
}

static const struct arm_smmu_impl_ops arm_smmu_cmdq_locked_ops = {
	.issue_cmdlist = arm_smmu_cmdq_locked_issue_cmdlist,
};

/**
 * arm_smmu_cmdq_locked_init() - give an SMMU the single-lock queue
 * @ldev: the SMMU, before arm_smmu_device_init()
 */
void arm_smmu_cmdq_locked_init(struct arm_smmu_locked_device *ldev)
{
	spin_lock_init(&ldev->cmdq_lock);
	ldev->smmu.impl_ops = &arm_smmu_cmdq_locked_ops;
}
