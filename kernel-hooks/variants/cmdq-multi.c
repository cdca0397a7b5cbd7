// SPDX-License-Identifier: GPL-2.0
/*
 * Several command queues per SMMU (see cmdq-multi.h): which queue a command
 * goes on, the queues' set-up and their errors.  Issuing on a queue is the
 * lock-free queue's own (arm_smmu_cmdq_issue_cmdlist()).
 */
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>

#include "cmdq-multi.h"

static struct arm_smmu_mq *to_arm_smmu_mq(struct arm_smmu_device *smmu)
{
	return container_of(smmu->impl_ops, struct arm_smmu_mq, ops);
}

/* ARM_SMMU_MQ_ATS: the ATC invalidations' queue, and the others' */
static bool arm_smmu_mq_ats_supports_cmd(struct arm_smmu_cmdq_ent *ent)
{
	return ent->opcode == CMDQ_OP_ATC_INV;
}

static bool arm_smmu_mq_main_supports_cmd(struct arm_smmu_cmdq_ent *ent)
{
	return ent->opcode != CMDQ_OP_ATC_INV;
}

static struct arm_smmu_cmdq *
arm_smmu_mq_get_secondary_cmdq(struct arm_smmu_device *smmu,
			       struct arm_smmu_cmdq_ent *ent)
{
	struct arm_smmu_mq *mq = to_arm_smmu_mq(smmu);
	struct arm_smmu_cmdq *cmdq;

	if (!READ_ONCE(mq->enabled))
		return NULL;

	if (mq->mode == ARM_SMMU_MQ_ATS)
		cmdq = &mq->queues[0].cmdq;
	else
		cmdq = &mq->queues[raw_smp_processor_id() % mq->num_queues].cmdq;

	return arm_smmu_cmdq_supports_cmd(cmdq, ent) ? cmdq : NULL;
}

/*
 * The SMMU's GERROR line: its own errors, then each queue's (GERROR.CMDQ_ERR
 * of the queue's pair), handled as the SMMU's command queue error is:
 * __arm_smmu_cmdq_skip_err() on that queue, then the acknowledgement.
 */
static irqreturn_t arm_smmu_mq_gerror_handler(int irq, void *dev)
{
	struct arm_smmu_device *smmu = dev;
	struct arm_smmu_mq *mq = to_arm_smmu_mq(smmu);
	irqreturn_t ret = arm_smmu_gerror_handler(irq, dev);
	unsigned int i;

	for (i = 0; i < mq->num_queues; i++) {
		struct arm_smmu_mq_queue *q = &mq->queues[i];
		u32 gerror = readl_relaxed(q->page + ARM_SMMU_MQ_GERROR);
		u32 gerrorn = readl_relaxed(q->page + ARM_SMMU_MQ_GERRORN);

		if (!((gerror ^ gerrorn) & GERROR_CMDQ_ERR))
			continue;
		__arm_smmu_cmdq_skip_err(smmu, &q->cmdq);
		writel(gerror, q->page + ARM_SMMU_MQ_GERRORN);
		ret = IRQ_HANDLED;
	}
	return ret;
}

static void arm_smmu_mq_free_queues(struct arm_smmu_mq *mq, unsigned int n)
{
	while (n--)
		arm_smmu_cmdq_free(mq->smmu, &mq->queues[n].cmdq);
	kfree(mq->queues);
	mq->queues = NULL;
	mq->smmu = NULL;
}

static int arm_smmu_mq_init_structures(struct arm_smmu_device *smmu)
{
	struct arm_smmu_mq *mq = to_arm_smmu_mq(smmu);
	unsigned int i;
	int ret;

	if (mq->smmu)
		return -EBUSY;
	mq->queues = kcalloc(mq->num_queues, sizeof(*mq->queues), GFP_KERNEL);
	if (!mq->queues)
		return -ENOMEM;
	mq->smmu = smmu;

	for (i = 0; i < mq->num_queues; i++) {
		struct arm_smmu_mq_queue *q = &mq->queues[i];

		q->page = smmu->base + ARM_SMMU_MQ(i);
		q->cmdq.q.llq.max_n_shift = smmu->cmdq.q.llq.max_n_shift;
		ret = arm_smmu_cmdq_init(smmu, &q->cmdq);
		if (ret) {
			arm_smmu_mq_free_queues(mq, i);
			return ret;
		}
		q->cmdq.q.prod_reg = q->page + ARM_SMMU_MQ_PROD;
		q->cmdq.q.cons_reg = q->page + ARM_SMMU_MQ_CONS;
		if (mq->mode == ARM_SMMU_MQ_ATS)
			q->cmdq.supports_cmd = arm_smmu_mq_ats_supports_cmd;
	}
	return 0;
}

static int arm_smmu_mq_device_reset(struct arm_smmu_device *smmu)
{
	struct arm_smmu_mq *mq = to_arm_smmu_mq(smmu);
	unsigned int i;
	int ret;

	if (smmu->gerr_irq > 0) {
		free_irq(smmu->gerr_irq, smmu);
		ret = request_irq(smmu->gerr_irq, arm_smmu_mq_gerror_handler, 0,
				  "arm-smmu-v3-mq", smmu);
		if (ret)
			return ret;
	}

	for (i = 0; i < mq->num_queues; i++) {
		struct arm_smmu_mq_queue *q = &mq->queues[i];

		writeq_relaxed(q->cmdq.q.q_base, q->page + ARM_SMMU_MQ_BASE);
		writel_relaxed(q->cmdq.q.llq.prod, q->cmdq.q.prod_reg);
		writel_relaxed(q->cmdq.q.llq.cons, q->cmdq.q.cons_reg);
		writel(MQ_CONFIG_EN, q->page + ARM_SMMU_MQ_CONFIG);
	}
	if (mq->mode == ARM_SMMU_MQ_ATS)
		smmu->cmdq.supports_cmd = arm_smmu_mq_main_supports_cmd;
	WRITE_ONCE(mq->enabled, true);
	return 0;
}

static void arm_smmu_mq_device_remove(struct arm_smmu_device *smmu)
{
	struct arm_smmu_mq *mq = to_arm_smmu_mq(smmu);
	unsigned int i;

	WRITE_ONCE(mq->enabled, false);
	smmu->cmdq.supports_cmd = NULL;
	for (i = 0; i < mq->num_queues; i++)
		writel(0, mq->queues[i].page + ARM_SMMU_MQ_CONFIG);
	arm_smmu_mq_free_queues(mq, mq->num_queues);
}

/**
 * arm_smmu_mq_init() - give an SMMU several command queues
 * @mq: the queues' state, its @ops for the SMMU's impl_ops
 * @mode: which command goes on which queue
 * @num_queues: queues besides the SMMU's own (ARM_SMMU_MQ_ATS: 1)
 *
 * Return: 0, or -EINVAL for a count out of range.
 */
int arm_smmu_mq_init(struct arm_smmu_mq *mq, enum arm_smmu_mq_mode mode,
		     unsigned int num_queues)
{
	if (!num_queues || num_queues > ARM_SMMU_MQ_MAX ||
	    (mode == ARM_SMMU_MQ_ATS && num_queues != 1))
		return -EINVAL;

	memset(mq, 0, sizeof(*mq));
	mq->mode = mode;
	mq->num_queues = num_queues;
	mq->ops.init_structures = arm_smmu_mq_init_structures;
	mq->ops.device_reset = arm_smmu_mq_device_reset;
	mq->ops.device_remove = arm_smmu_mq_device_remove;
	mq->ops.get_secondary_cmdq = arm_smmu_mq_get_secondary_cmdq;
	return 0;
}
