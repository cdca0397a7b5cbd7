/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_smmu: the hardware side of a simulated SMMUv3.
 *
 * It owns a register window (mapped through sim_mmio) that the kernel-form
 * driver reads and writes with readl()/writel().  A write to CMDQ_PROD makes
 * the SMMU consume the command queue up to PROD, in the writer's thread
 * (inline mode), and then publish the new CMDQ_CONS.
 *
 * Synchronisation: the registers are __atomic variables.  PROD is read with
 * acquire semantics before the queue memory (pairs with the driver's
 * dma_wmb() before its PROD write); CONS is stored with release semantics
 * after the commands are executed (pairs with the driver's readl() of CONS).
 * Consumption is serialised by the SMMU's own lock.
 */
#ifndef SIM_SMMU_H
#define SIM_SMMU_H

#include <linux/types.h>

#define SIM_SMMU_CMDQ_SHIFT_MIN 7 /* above ilog2(CMDQ_BATCH_ENTRIES) */
#define SIM_SMMU_CMDQ_SHIFT_MAX 16 /* CMDQ_MAX_SZ_SHIFT */

struct sim_smmu;

/**
 * struct sim_smmu_config - what the SMMU's ID registers advertise
 * @ats: IDR0.ATS
 * @range_inv: IDR3.RIL (range TLBI)
 * @msi: IDR0.MSI and coherent access (MSI-based CMD_SYNC completion)
 * @sev: IDR0.SEV
 * @cmdq_shift: log2 of the command queue depth (IDR1.CMDQS)
 */
struct sim_smmu_config {
	bool ats;
	bool range_inv;
	bool msi;
	bool sev;
	unsigned int cmdq_shift;
};

/* Called for each command the SMMU executes, in queue order */
typedef void (*sim_smmu_trace_fn)(void *arg, const u64 *cmd);

int sim_smmu_create(const struct sim_smmu_config *cfg, struct sim_smmu **out);
void sim_smmu_destroy(struct sim_smmu *smmu);
void __iomem *sim_smmu_base(struct sim_smmu *smmu);
void sim_smmu_set_trace(struct sim_smmu *smmu, sim_smmu_trace_fn fn, void *arg);
/* Commands executed so far with @opcode (0x00..0xff) */
u64 sim_smmu_cmd_count(struct sim_smmu *smmu, u8 opcode);

struct arm_smmu_device;

/*
 * Create the hardware of @cfg and bring the kernel-form driver up on it:
 * @smmu (zeroed by the caller) is probed with a linear stream table of
 * @num_sids entries.  sim_smmu_remove() undoes both.
 */
int sim_smmu_probe(const struct sim_smmu_config *cfg, unsigned int num_sids,
		   struct arm_smmu_device *smmu, struct sim_smmu **hw);
void sim_smmu_remove(struct arm_smmu_device *smmu, struct sim_smmu *hw);

#endif /* SIM_SMMU_H */
