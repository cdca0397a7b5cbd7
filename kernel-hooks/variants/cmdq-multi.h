/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Several command queues per SMMU, each with its own PROD, CONS, errors
 * and CMD_SYNC: a model of NVIDIA's CMDQV (tegra241-cmdqv.c, a virtual
 * command queue per CPU through impl_ops->get_secondary_cmdq) and of
 * SMMUv3.3's ECMDQ, for the head-of-line question (issue 30): does one
 * slow ATC_INV hold up invalidations that have nothing to do with it?
 *
 *   ARM_SMMU_MQ_PER_CPU  @num_queues queues; CPU c issues every command
 *                        on queue c % @num_queues (raw_smp_processor_id():
 *                        any queue takes any CPU's commands, so a CPU
 *                        moved mid-batch is only on another queue)
 *   ARM_SMMU_MQ_ATS      one queue for the ATC invalidations; everything
 *                        else stays on the SMMU's own (a batch of TLBIs
 *                        and ATC_INVs is two lists, a CMD_SYNC each:
 *                        arm_smmu_cmdq_batch_add() on the switch)
 *
 * Each queue is the lock-free queue of arm-smmu-v3-cmdq.c, its own struct
 * arm_smmu_cmdq; only which queue a batch goes on changes.  The SMMU's own
 * queue carries what the device reset issues before the others are on.
 *
 * Registers (atcbench's model, not an architected layout): queue n has a
 * block of ARM_SMMU_MQ_SZ bytes at ARM_SMMU_MQ(n), after the SMMU's
 * registers, with CONS and PROD as the SMMU's CMDQ_CONS and CMDQ_PROD, its
 * own GERROR/GERRORN pair (CMDQ_ERR only, as tegra241-cmdqv's VCMDQ_GERROR)
 * and BASE as CMDQ_BASE; CONFIG.EN enables it.  The SMMU signals a queue's
 * error on its GERROR line, whose handler this variant wraps (CMDQV has a
 * line of its own).
 *
 * Use: fill a struct arm_smmu_mq with arm_smmu_mq_init() and point the
 * SMMU's impl_ops at @ops before arm_smmu_device_init(); one SMMU per
 * struct arm_smmu_mq.  Its state rides with its ops (container_of() on
 * impl_ops), not around the SMMU: the SMMU can be a sim_world's own.
 */
#ifndef _ARM_SMMU_V3_CMDQ_MULTI_H
#define _ARM_SMMU_V3_CMDQ_MULTI_H

#include "../arm-smmu-v3/arm-smmu-v3.h"

#define ARM_SMMU_MQ_MAX 128
#define ARM_SMMU_MQ_SZ 0x40
#define ARM_SMMU_MQ(n) (ARM_SMMU_REG_SZ + (n)*ARM_SMMU_MQ_SZ)
#define ARM_SMMU_MQ_CONS 0x00
#define ARM_SMMU_MQ_PROD 0x04
#define ARM_SMMU_MQ_GERROR 0x08
#define ARM_SMMU_MQ_GERRORN 0x0c
#define ARM_SMMU_MQ_BASE 0x10
#define ARM_SMMU_MQ_CONFIG 0x18
#define MQ_CONFIG_EN (1 << 0)

enum arm_smmu_mq_mode {
	ARM_SMMU_MQ_PER_CPU,
	ARM_SMMU_MQ_ATS,
};

/**
 * struct arm_smmu_mq_queue - one of the queues
 * @cmdq: the queue
 * @page: its registers
 */
struct arm_smmu_mq_queue {
	struct arm_smmu_cmdq cmdq;
	void __iomem *page;
};

/**
 * struct arm_smmu_mq - the queues of one SMMU
 * @ops: the SMMU's impl_ops
 * @mode: which command goes on which queue
 * @num_queues: queues besides the SMMU's own (ARM_SMMU_MQ_ATS: 1)
 * @smmu: the SMMU they belong to, from init_structures
 * @queues: @num_queues of them
 * @enabled: the queues take commands (after the device reset)
 */
struct arm_smmu_mq {
	struct arm_smmu_impl_ops ops;
	enum arm_smmu_mq_mode mode;
	unsigned int num_queues;
	struct arm_smmu_device *smmu;
	struct arm_smmu_mq_queue *queues;
	bool enabled;
};

/*
 * Set @mq up for @mode with @num_queues queues (1..ARM_SMMU_MQ_MAX;
 * ARM_SMMU_MQ_ATS: 1): 0 or -EINVAL
 */
int arm_smmu_mq_init(struct arm_smmu_mq *mq, enum arm_smmu_mq_mode mode,
		     unsigned int num_queues);

#endif /* _ARM_SMMU_V3_CMDQ_MULTI_H */
