/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A command queue whose space is taken by one atomic add: the same
 * arm_smmu_cmdq_issue_cmdlist() contract as the lock-free queue, without
 * its cmpxchg loop on prod.  In the spirit of the proposal measured in
 * 2020 ("prod taken by a 64-bit atomic add", issue 29's published row),
 * written here from that description, not from its code:
 *  - @tail counts every slot ever handed out; a caller takes its n + sync
 *    slots with atomic_long_fetch_add_relaxed(), which never fails;
 *  - it then waits until the lap before its slots is free: consumed by
 *    the SMMU (CONS read from the register, as often as it must) and
 *    handed back by its callers (@retired);
 *  - it writes its commands, then waits for its turn to publish: @published
 *    equals its first slot once every earlier caller wrote PROD; it writes
 *    PROD past its slots and hands the turn on;
 *  - a CMD_SYNC waits as the lock-free queue's does (MSI or CONS);
 *  - it hands its slots back in order: @retired equals its first slot once
 *    every earlier caller is done with its own; it moves @retired past
 *    them.  A CMD_SYNC's slot is thus not written again before its waiter
 *    has read the completion there (the lock-free queue's shared lock does
 *    that), at a price: a caller waits for the callers before it to be
 *    done, a list without a CMD_SYNC for the syncs before it.
 * Publication is in order, one caller after another, as the lock-free
 * queue's owner hand-over is.
 *
 * Use: embed the SMMU in struct arm_smmu_fetch_add_device and call
 * arm_smmu_cmdq_fetch_add_init() before arm_smmu_device_init().
 */
#ifndef _ARM_SMMU_V3_CMDQ_FETCH_ADD_H
#define _ARM_SMMU_V3_CMDQ_FETCH_ADD_H

#include <linux/atomic.h>

#include "../arm-smmu-v3/arm-smmu-v3.h"

/**
 * struct arm_smmu_fetch_add_device - an SMMU whose queue space is fetch-added
 * @smmu: the SMMU
 * @tail: slots handed out, since the queue was enabled (never wraps)
 * @published: slots whose PROD the SMMU has been given
 * @retired: slots their callers are done with
 */
struct arm_smmu_fetch_add_device {
	struct arm_smmu_device smmu;
	atomic_long_t tail ____cacheline_aligned;
	atomic_long_t published ____cacheline_aligned;
	atomic_long_t retired ____cacheline_aligned;
};

void arm_smmu_cmdq_fetch_add_init(struct arm_smmu_fetch_add_device *fdev);

#endif /* _ARM_SMMU_V3_CMDQ_FETCH_ADD_H */
