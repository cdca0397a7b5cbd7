// SPDX-License-Identifier: GPL-2.0
/* sim_smmu: the hardware side of a simulated SMMUv3 (see smmu.h) */
#include <errno.h>
#include <linux/bitfield.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include <arm-smmu-v3/arm-smmu-v3.h>
#include "mmio.h"
#include "smmu.h"

struct sim_smmu {
	/* The register window the driver maps; only its address is used */
	u8 window[ARM_SMMU_REG_SZ];
	u32 idr0, idr1, idr3;
	u32 cr0;
	u64 cmdq_base;
	u32 cmdq_prod;
	u32 cmdq_cons;
	spinlock_t lock;
	sim_smmu_trace_fn trace;
	void *trace_arg;
	u64 cmd_count[256];
};

static void sim_smmu_exec(struct sim_smmu *smmu, const u64 *cmd)
{
	u8 opcode = FIELD_GET(CMDQ_0_OP, cmd[0]);

	if (smmu->trace)
		smmu->trace(smmu->trace_arg, cmd);
	WRITE_ONCE(smmu->cmd_count[opcode], smmu->cmd_count[opcode] + 1);
}

/* Consume the queue from CONS up to @prod; the caller holds smmu->lock */
static void sim_smmu_cmdq_consume(struct sim_smmu *smmu, u32 prod)
{
	u32 shift = FIELD_GET(Q_BASE_LOG2SIZE, smmu->cmdq_base);
	u32 mask = (1U << (shift + 1)) - 1; /* index and wrap bit */
	u64 *base = (u64 *)(uintptr_t)(smmu->cmdq_base & Q_BASE_ADDR_MASK);
	u32 cons = smmu->cmdq_cons & mask;

	if (!(smmu->cr0 & CR0_CMDQEN) || !base)
		return;

	prod &= mask;
	while (cons != prod) {
		u32 idx = cons & ((1U << shift) - 1);

		sim_smmu_exec(smmu, &base[idx * CMDQ_ENT_DWORDS]);
		cons = (cons + 1) & mask;
	}
	__atomic_store_n(&smmu->cmdq_cons, cons, __ATOMIC_RELEASE);
}

static u64 sim_smmu_read(void *opaque, size_t offset, unsigned int width)
{
	struct sim_smmu *smmu = opaque;

	switch (offset) {
	case ARM_SMMU_IDR0:
		return smmu->idr0;
	case ARM_SMMU_IDR1:
		return smmu->idr1;
	case ARM_SMMU_IDR3:
		return smmu->idr3;
	case ARM_SMMU_CR0:
		return __atomic_load_n(&smmu->cr0, __ATOMIC_ACQUIRE);
	case ARM_SMMU_CMDQ_BASE:
		return __atomic_load_n(&smmu->cmdq_base, __ATOMIC_ACQUIRE);
	case ARM_SMMU_CMDQ_PROD:
		return __atomic_load_n(&smmu->cmdq_prod, __ATOMIC_ACQUIRE);
	case ARM_SMMU_CMDQ_CONS:
		return __atomic_load_n(&smmu->cmdq_cons, __ATOMIC_ACQUIRE);
	default:
		return 0;
	}
}

static void sim_smmu_write(void *opaque, size_t offset, u64 val,
			   unsigned int width)
{
	struct sim_smmu *smmu = opaque;
	unsigned long flags;

	spin_lock_irqsave(&smmu->lock, flags);
	switch (offset) {
	case ARM_SMMU_CR0:
		__atomic_store_n(&smmu->cr0, (u32)val, __ATOMIC_RELEASE);
		break;
	case ARM_SMMU_CMDQ_BASE:
		__atomic_store_n(&smmu->cmdq_base, val, __ATOMIC_RELEASE);
		break;
	case ARM_SMMU_CMDQ_CONS:
		__atomic_store_n(&smmu->cmdq_cons, (u32)val, __ATOMIC_RELEASE);
		break;
	case ARM_SMMU_CMDQ_PROD:
		__atomic_store_n(&smmu->cmdq_prod, (u32)val, __ATOMIC_RELEASE);
		sim_smmu_cmdq_consume(smmu, (u32)val);
		break;
	default:
		break;
	}
	spin_unlock_irqrestore(&smmu->lock, flags);
}

static const struct sim_mmio_ops sim_smmu_mmio_ops = {
	.read = sim_smmu_read,
	.write = sim_smmu_write,
};

int sim_smmu_create(const struct sim_smmu_config *cfg, struct sim_smmu **out)
{
	struct sim_smmu *smmu;
	int ret;

	if (cfg->cmdq_shift < SIM_SMMU_CMDQ_SHIFT_MIN ||
	    cfg->cmdq_shift > SIM_SMMU_CMDQ_SHIFT_MAX)
		return -EINVAL;

	smmu = kzalloc(sizeof(*smmu), GFP_KERNEL);
	if (!smmu)
		return -ENOMEM;

	smmu->idr0 = IDR0_COHACC;
	if (cfg->ats)
		smmu->idr0 |= IDR0_ATS;
	if (cfg->msi)
		smmu->idr0 |= IDR0_MSI;
	if (cfg->sev)
		smmu->idr0 |= IDR0_SEV;
	smmu->idr1 = FIELD_PREP(IDR1_CMDQS, cfg->cmdq_shift);
	smmu->idr3 = cfg->range_inv ? IDR3_RIL : 0;
	spin_lock_init(&smmu->lock);

	ret = sim_mmio_register(smmu->window, sizeof(smmu->window),
				&sim_smmu_mmio_ops, smmu);
	if (ret) {
		kfree(smmu);
		return ret;
	}
	*out = smmu;
	return 0;
}

void sim_smmu_destroy(struct sim_smmu *smmu)
{
	if (!smmu)
		return;
	sim_mmio_unregister(smmu->window);
	kfree(smmu);
}

void __iomem *sim_smmu_base(struct sim_smmu *smmu)
{
	return smmu->window;
}

void sim_smmu_set_trace(struct sim_smmu *smmu, sim_smmu_trace_fn fn, void *arg)
{
	unsigned long flags;

	spin_lock_irqsave(&smmu->lock, flags);
	smmu->trace = fn;
	smmu->trace_arg = arg;
	spin_unlock_irqrestore(&smmu->lock, flags);
}

u64 sim_smmu_cmd_count(struct sim_smmu *smmu, u8 opcode)
{
	return READ_ONCE(smmu->cmd_count[opcode]);
}

int sim_smmu_probe(const struct sim_smmu_config *cfg, unsigned int num_sids,
		   struct arm_smmu_device *smmu, struct sim_smmu **hw)
{
	int ret;

	ret = sim_smmu_create(cfg, hw);
	if (ret)
		return ret;

	smmu->base = sim_smmu_base(*hw);
	ret = arm_smmu_device_init(smmu, num_sids);
	if (ret) {
		sim_smmu_destroy(*hw);
		*hw = NULL;
	}
	return ret;
}

void sim_smmu_remove(struct arm_smmu_device *smmu, struct sim_smmu *hw)
{
	arm_smmu_device_free(smmu);
	sim_smmu_destroy(hw);
}
