/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The baseline command queue: the same arm_smmu_cmdq_issue_cmdlist()
 * contract as the lock-free queue, behind one spinlock held from the space
 * check to the CMD_SYNC completion.  For side-by-side runs against the
 * lock-free insertion.
 *
 * Use: embed the SMMU in struct arm_smmu_locked_device and call
 * arm_smmu_cmdq_locked_init() before arm_smmu_device_init().
 */
#ifndef _ARM_SMMU_V3_CMDQ_LOCKED_H
#define _ARM_SMMU_V3_CMDQ_LOCKED_H

#include "../arm-smmu-v3/arm-smmu-v3.h"

/**
 * struct arm_smmu_locked_device - an SMMU with a single-lock command queue
 * @smmu: the SMMU
 * @cmdq_lock: serialises insertion and the CMD_SYNC wait
 */
struct arm_smmu_locked_device {
	struct arm_smmu_device smmu;
	spinlock_t cmdq_lock;
};

void arm_smmu_cmdq_locked_init(struct arm_smmu_locked_device *ldev);

#endif /* _ARM_SMMU_V3_CMDQ_LOCKED_H */
