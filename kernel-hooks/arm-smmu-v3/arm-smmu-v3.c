// SPDX-License-Identifier: GPL-2.0
/*
 * The SMMUv3 device, masters, domains and the attach path: the part of the
 * driver around the invalidation hot path that the hot path needs.
 *
 * Written for atcbench from the semantics of the upstream driver
 * (drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c); the names are the kernel's.
 */
#include <linux/bitops.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/iommu.h>
#include <linux/pci.h>
#include <linux/io.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <asm/barrier.h>
#include <khooks/switches.h>
#include <trace/events/arm_smmu_v3.h>

#include "arm-smmu-v3.h"

/* Serialises every change of an invalidation array, as in the driver */
DEFINE_MUTEX(arm_smmu_asid_lock);

/**
 * arm_smmu_device_hw_probe() - read the SMMU's ID registers
 * @smmu: the SMMU, with @smmu->base mapped
 *
 * Return: 0, or -ENXIO when the command queue is too small to hold one batch
 * and its CMD_SYNC.
 */
int arm_smmu_device_hw_probe(struct arm_smmu_device *smmu)
{
	u32 reg;

	reg = readl_relaxed(smmu->base + ARM_SMMU_IDR0);
	if (reg & IDR0_ATS)
		smmu->features |= ARM_SMMU_FEAT_ATS;
	if (reg & IDR0_SEV)
		smmu->features |= ARM_SMMU_FEAT_SEV;
	if (reg & IDR0_MSI)
		smmu->features |= ARM_SMMU_FEAT_MSI;
	if (reg & IDR0_COHACC)
		smmu->features |= ARM_SMMU_FEAT_COHERENCY;
	if ((smmu->features & ARM_SMMU_FEAT_MSI) &&
	    (smmu->features & ARM_SMMU_FEAT_COHERENCY))
		smmu->options |= ARM_SMMU_OPT_MSIPOLL;

	reg = readl_relaxed(smmu->base + ARM_SMMU_IDR1);
	smmu->cmdq.q.llq.max_n_shift =
		min_t(u32, CMDQ_MAX_SZ_SHIFT, FIELD_GET(IDR1_CMDQS, reg));
	if (smmu->cmdq.q.llq.max_n_shift <= ilog2(CMDQ_BATCH_ENTRIES)) {
		/*
		 * One batch plus its CMD_SYNC must fit in the queue, and the
		 * queue must be a multiple of BITS_PER_LONG entries.
		 */
		dev_err(smmu->dev,
			"command queue size <= %d entries not supported\n",
			CMDQ_BATCH_ENTRIES);
		return -ENXIO;
	}

	reg = readl_relaxed(smmu->base + ARM_SMMU_IDR3);
	if (reg & IDR3_RIL)
		smmu->features |= ARM_SMMU_FEAT_RANGE_INV;

	return 0;
}

static int arm_smmu_device_reset(struct arm_smmu_device *smmu)
{
	struct arm_smmu_cmdq_ent cmd = {};
	int ret;

	if (smmu->gerr_irq > 0) {
		ret = request_irq(smmu->gerr_irq, arm_smmu_gerror_handler, 0,
				  "arm-smmu-v3-gerror", smmu);
		if (ret) {
			dev_err(smmu->dev, "failed to enable gerror irq\n");
			return ret;
		}
	}

	writeq_relaxed(smmu->cmdq.q.q_base, smmu->base + ARM_SMMU_CMDQ_BASE);
	writel_relaxed(smmu->cmdq.q.llq.prod, smmu->base + ARM_SMMU_CMDQ_PROD);
	writel_relaxed(smmu->cmdq.q.llq.cons, smmu->base + ARM_SMMU_CMDQ_CONS);
	writel(CR0_CMDQEN, smmu->base + ARM_SMMU_CR0);

	/* Invalidate any cached configuration and the whole TLB */
	cmd.opcode = CMDQ_OP_CFGI_ALL;
	ret = arm_smmu_cmdq_issue_cmd_with_sync(smmu, &cmd);
	if (ret)
		return ret;
	cmd.opcode = CMDQ_OP_TLBI_NSNH_ALL;
	ret = arm_smmu_cmdq_issue_cmd_with_sync(smmu, &cmd);
	if (ret)
		return ret;

	if (smmu->impl_ops && smmu->impl_ops->device_reset) {
		ret = smmu->impl_ops->device_reset(smmu);
		if (ret) {
			dev_err(smmu->dev, "failed to reset impl\n");
			return ret;
		}
	}
	return 0;
}

/**
 * arm_smmu_device_init() - probe and bring up an SMMU
 * @smmu: the SMMU, zeroed except for @smmu->dev, @smmu->base, @smmu->gerr_irq
 *        (0: none) and @smmu->impl_ops
 * @num_sids: size of the (linear) stream table
 *
 * Return: 0 or a negative errno.
 */
int arm_smmu_device_init(struct arm_smmu_device *smmu, unsigned int num_sids)
{
	unsigned int sid;
	int ret;

	ret = arm_smmu_device_hw_probe(smmu);
	if (ret)
		return ret;

	ret = arm_smmu_cmdq_init(smmu, &smmu->cmdq);
	if (ret)
		return ret;

	smmu->strtab = kcalloc(num_sids, sizeof(*smmu->strtab), GFP_KERNEL);
	smmu->sid_masters =
		kcalloc(num_sids, sizeof(*smmu->sid_masters), GFP_KERNEL);
	if (!smmu->strtab || !smmu->sid_masters) {
		ret = -ENOMEM;
		goto err_free;
	}
	if (smmu->impl_ops && smmu->impl_ops->init_structures) {
		ret = smmu->impl_ops->init_structures(smmu);
		if (ret)
			goto err_free;
	}
	spin_lock_init(&smmu->ste_lock);
	if (!smmu->atc_isolate_ops)
		smmu->atc_isolate_ops = &arm_smmu_atc_isolate_ops[0];
	smmu->num_sids = num_sids;
	for (sid = 0; sid < num_sids; sid++)
		arm_smmu_make_abort_ste(&smmu->strtab[sid]);

	ret = arm_smmu_device_reset(smmu);
	if (ret)
		arm_smmu_device_free(smmu);
	return ret;

err_free:
	kfree(smmu->strtab);
	kfree(smmu->sid_masters);
	arm_smmu_cmdq_free(smmu, &smmu->cmdq);
	return ret;
}

/**
 * arm_smmu_device_free() - release what arm_smmu_device_init() allocated
 * @smmu: the SMMU; no master may be left
 */
void arm_smmu_device_free(struct arm_smmu_device *smmu)
{
	if (smmu->impl_ops && smmu->impl_ops->device_remove)
		smmu->impl_ops->device_remove(smmu);
	writel(0, smmu->base + ARM_SMMU_CR0);
	if (smmu->gerr_irq > 0)
		free_irq(smmu->gerr_irq, smmu);
	arm_smmu_cmdq_free(smmu, &smmu->cmdq);
	kfree(smmu->strtab);
	smmu->strtab = NULL;
	kfree(smmu->sid_masters);
	smmu->sid_masters = NULL;
}

static int arm_smmu_stream_id_cmp(const void *l, const void *r)
{
	const struct arm_smmu_stream *stream_l = l, *stream_r = r;

	return cmp_int(stream_l->id, stream_r->id);
}

/**
 * arm_smmu_probe_master() - add an endpoint behind an SMMU
 * @smmu: the SMMU
 * @sids: the endpoint's stream IDs, below the SMMU's num_sids
 * @num_sids: number of @sids
 * @ats_supported: the endpoint has an ATS capability
 *
 * The endpoint starts blocked (its STEs abort).
 *
 * Return: the master, or an ERR_PTR().
 */
struct arm_smmu_master *arm_smmu_probe_master(struct arm_smmu_device *smmu,
					      const u32 *sids,
					      unsigned int num_sids,
					      bool ats_supported)
{
	struct arm_smmu_master *master;
	unsigned int i;

	if (!num_sids)
		return ERR_PTR(-EINVAL);
	for (i = 0; i < num_sids; i++)
		if (sids[i] >= smmu->num_sids)
			return ERR_PTR(-ERANGE);

	master = kzalloc(sizeof(*master), GFP_KERNEL);
	if (!master)
		return ERR_PTR(-ENOMEM);

	master->smmu = smmu;
	master->ssid = IOMMU_NO_PASID;
	master->ats_supported = ats_supported &&
				(smmu->features & ARM_SMMU_FEAT_ATS);
	master->streams =
		kcalloc(num_sids, sizeof(*master->streams), GFP_KERNEL);
	if (!master->streams)
		goto err_free_master;
	master->num_streams = num_sids;
	for (i = 0; i < num_sids; i++) {
		master->streams[i].id = sids[i];
		master->streams[i].master = master;
	}
	for (i = 0; i < num_sids; i++)
		WRITE_ONCE(smmu->sid_masters[sids[i]], master);
	/* Sorted, so that the build_invs arrays come out sorted */
	sort(master->streams, num_sids, sizeof(*master->streams),
	     arm_smmu_stream_id_cmp, NULL);

	/*
	 * Base case has 1 ASID entry or at most 2 VMID entries; ATS adds one
	 * entry per stream ID.  Allocated here, so that detach cannot fail.
	 */
	master->build_invs =
		arm_smmu_invs_alloc(2 + (master->ats_supported ? num_sids : 0));
	if (!master->build_invs)
		goto err_free_streams;
	return master;

err_free_streams:
	kfree(master->streams);
err_free_master:
	kfree(master);
	return ERR_PTR(-ENOMEM);
}

/**
 * arm_smmu_release_master() - detach and free an endpoint
 * @master: the master
 */
void arm_smmu_release_master(struct arm_smmu_master *master)
{
	unsigned int i;

	arm_smmu_attach_dev_blocked(master);
	for (i = 0; i < master->num_streams; i++)
		WRITE_ONCE(master->smmu->sid_masters[master->streams[i].id],
			   NULL);
	kfree(master->build_invs);
	kfree(master->streams);
	kfree(master);
}

/**
 * arm_smmu_domain_alloc() - allocate a paging domain
 * @smmu: the SMMU it is finalised on
 * @stage: stage 1 (@id is an ASID) or stage 2 (@id is a VMID)
 * @id: the ASID or VMID
 * @nest_parent: a stage-2 domain that stage-1 domains nest on
 *
 * Return: the domain, or an ERR_PTR().
 */
struct arm_smmu_domain *arm_smmu_domain_alloc(struct arm_smmu_device *smmu,
					      enum arm_smmu_domain_stage stage,
					      u16 id, bool nest_parent)
{
	struct arm_smmu_domain *smmu_domain;
	struct arm_smmu_invs *invs;

	if (nest_parent && stage != ARM_SMMU_DOMAIN_S2)
		return ERR_PTR(-EINVAL);

	smmu_domain = kzalloc(sizeof(*smmu_domain), GFP_KERNEL);
	if (!smmu_domain)
		return ERR_PTR(-ENOMEM);

	invs = arm_smmu_invs_alloc(0);
	if (!invs) {
		kfree(smmu_domain);
		return ERR_PTR(-ENOMEM);
	}

	smmu_domain->domain.type = IOMMU_DOMAIN_PAGING;
	smmu_domain->domain.ops = &arm_smmu_domain_ops;
	smmu_domain->smmu = smmu;
	smmu_domain->stage = stage;
	if (stage == ARM_SMMU_DOMAIN_S1)
		smmu_domain->asid = id;
	else
		smmu_domain->vmid = id;
	smmu_domain->nest_parent = nest_parent;
	smmu_domain->pgsize = SZ_4K;
	rcu_assign_pointer(smmu_domain->invs, invs);
	return smmu_domain;
}

/**
 * arm_smmu_domain_free() - free a domain no master is attached to
 * @smmu_domain: the domain
 */
void arm_smmu_domain_free(struct arm_smmu_domain *smmu_domain)
{
	/* No concurrency with invalidation is possible at this point */
	kfree(rcu_dereference_protected(smmu_domain->invs, true));
	kfree(smmu_domain);
}

/**
 * arm_smmu_make_ste() - build the STE of an attachment
 * @target: the STE to fill
 * @stage: the domain's stage
 * @id: the domain's ASID (stage 1) or VMID (stage 2)
 * @ats_enabled: set EATS
 *
 * The simulation has no CD tables: a stage-1 STE carries the ASID of the
 * master's one attachment, at the RID or at a PASID alike.
 */
void arm_smmu_make_ste(struct arm_smmu_ste *target,
		       enum arm_smmu_domain_stage stage, u16 id,
		       bool ats_enabled)
{
	memset(target, 0, sizeof(*target));
	target->data[0] = cpu_to_le64(STRTAB_STE_0_V);

	if (stage == ARM_SMMU_DOMAIN_S1) {
		target->data[0] |=
			cpu_to_le64(FIELD_PREP(STRTAB_STE_0_CFG,
					       STRTAB_STE_0_CFG_S1_TRANS) |
				    FIELD_PREP(STRTAB_STE_0_S1CTXPTR_ASID, id));
		/* The table walk attributes of the CD fetch */
		target->data[1] = cpu_to_le64(
			FIELD_PREP(STRTAB_STE_1_S1CIR,
				   STRTAB_STE_1_S1C_CACHE_WBRA) |
			FIELD_PREP(STRTAB_STE_1_S1COR,
				   STRTAB_STE_1_S1C_CACHE_WBRA) |
			FIELD_PREP(STRTAB_STE_1_S1CSH, ARM_SMMU_SH_ISH));
	} else {
		target->data[0] |= cpu_to_le64(FIELD_PREP(
			STRTAB_STE_0_CFG, STRTAB_STE_0_CFG_S2_TRANS));
		target->data[1] = cpu_to_le64(FIELD_PREP(
			STRTAB_STE_1_SHCFG, STRTAB_STE_1_SHCFG_INCOMING));
		target->data[2] =
			cpu_to_le64(FIELD_PREP(STRTAB_STE_2_S2VMID, id));
	}
	if (ats_enabled)
		target->data[1] |= cpu_to_le64(
			FIELD_PREP(STRTAB_STE_1_EATS, STRTAB_STE_1_EATS_TRANS));
}

/**
 * arm_smmu_make_abort_ste() - build an STE that blocks all traffic
 * @target: the STE to fill
 */
void arm_smmu_make_abort_ste(struct arm_smmu_ste *target)
{
	memset(target, 0, sizeof(*target));
	target->data[0] = cpu_to_le64(
		STRTAB_STE_0_V |
		FIELD_PREP(STRTAB_STE_0_CFG, STRTAB_STE_0_CFG_ABORT));
}

/**
 * arm_smmu_get_ste_used() - the bits of an STE the SMMU uses
 * @ent: the STE's words
 * @used_bits: zeroed by the caller; the used bits are set in it
 *
 * Which bits the SMMU reads depends on V and CFG: a stage-1 STE uses its
 * context (the ASID here, where the CD pointer would be), the attributes of
 * the CD fetch, EATS and the VMID that tags its TLB entries; a stage-2 STE
 * EATS, SHCFG and the VMID; a bypass STE SHCFG.
 */
void arm_smmu_get_ste_used(const __le64 *ent, __le64 *used_bits)
{
	unsigned int cfg = FIELD_GET(STRTAB_STE_0_CFG, le64_to_cpu(ent[0]));

	used_bits[0] = cpu_to_le64(STRTAB_STE_0_V);
	if (!(ent[0] & cpu_to_le64(STRTAB_STE_0_V)))
		return;

	used_bits[0] |= cpu_to_le64(STRTAB_STE_0_CFG);

	/* S1 translates */
	if (cfg & BIT(0)) {
		used_bits[0] |= cpu_to_le64(STRTAB_STE_0_S1CTXPTR_ASID);
		used_bits[1] |=
			cpu_to_le64(STRTAB_STE_1_S1CIR | STRTAB_STE_1_S1COR |
				    STRTAB_STE_1_S1CSH | STRTAB_STE_1_EATS);
		used_bits[2] |= cpu_to_le64(STRTAB_STE_2_S2VMID);
	}

	/* S2 translates */
	if (cfg & BIT(1)) {
		used_bits[1] |=
			cpu_to_le64(STRTAB_STE_1_EATS | STRTAB_STE_1_SHCFG);
		used_bits[2] |= cpu_to_le64(STRTAB_STE_2_S2VMID);
	}

	if (cfg == STRTAB_STE_0_CFG_BYPASS)
		used_bits[1] |= cpu_to_le64(STRTAB_STE_1_SHCFG);
}

/**
 * arm_smmu_get_ste_update_safe() - bits that may change in any order
 * @cur: the STE's words now
 * @target: the words it goes to
 * @safe_bits: zeroed by the caller; the safe bits are set in it
 *
 * EATS: the attach sequence has the device's ATS disabled whenever an STE
 * changes EATS_TRANS, so the device sends no translated request that an
 * intermediate STE could judge.  (This model has no S2S and no EATS_S1CHK,
 * which would make the transition unsafe.)
 */
void arm_smmu_get_ste_update_safe(const __le64 *cur, const __le64 *target,
				  __le64 *safe_bits)
{
	safe_bits[1] |= cpu_to_le64(
		FIELD_PREP(STRTAB_STE_1_EATS, STRTAB_STE_1_EATS_TRANS));
}

/*
 * Which qwords must change their used bits once every bit the current
 * entry ignores has its new value (@unused_update): a bit per qword
 */
static u8 arm_smmu_entry_qword_diff(struct arm_smmu_entry_writer *writer,
				    const __le64 *entry, const __le64 *target,
				    __le64 *unused_update)
{
	__le64 target_used[NUM_ENTRY_QWORDS] = {};
	__le64 cur_used[NUM_ENTRY_QWORDS] = {};
	__le64 safe[NUM_ENTRY_QWORDS] = {};
	u8 used_qword_diff = 0;
	unsigned int i;

	writer->ops->get_used(entry, cur_used);
	writer->ops->get_used(target, target_used);
	if (writer->ops->get_update_safe)
		writer->ops->get_update_safe(entry, target, safe);

	for (i = 0; i != NUM_ENTRY_QWORDS; i++) {
		/* Safe only where both use the bits; else by the unused rule */
		safe[i] &= target_used[i] & cur_used[i];

		/* A make function sets no bit its used function ignores */
		WARN_ON_ONCE(target[i] & ~target_used[i]);

		/* Bits the current entry ignores may change now */
		cur_used[i] &= ~safe[i];
		unused_update[i] = (entry[i] & cur_used[i]) |
				   (target[i] & ~cur_used[i]);
		if ((unused_update[i] & target_used[i]) != target[i])
			used_qword_diff |= 1 << i;
	}
	return used_qword_diff;
}

/* Write qwords [@start, @start + @len) of @target that differ; sync if any */
static void entry_set(struct arm_smmu_entry_writer *writer, __le64 *entry,
		      const __le64 *target, unsigned int start,
		      unsigned int len)
{
	bool changed = false;
	unsigned int i;

	for (i = start; len != 0; len--, i++) {
		if (entry[i] != target[i]) {
			WRITE_ONCE(entry[i], target[i]);
			changed = true;
		}
	}

	if (changed)
		writer->ops->sync(writer);
}

/**
 * arm_smmu_write_entry() - move an entry to @target without the SMMU ever
 * fetching a torn one
 * @writer: the kind of entry and its sync
 * @entry: the entry, in memory the SMMU reads
 * @target: its new words
 *
 * The SMMU reads an entry with 64-bit single-copy atomicity only, and may
 * fetch it between any two of these writes, so each step is synced and
 * leaves an entry that behaves as the old one, as the new one, or is not
 * valid:
 *  - hitless, when after setting the bits the old entry ignores only one
 *    qword has used bits to change: those ignored bits, then that
 *    "critical" qword, then the bits the new entry ignores;
 *  - breaking, when two or more do: V=0, the qwords other than the first,
 *    then the first (V=1) in one store;
 *  - otherwise only safe or ignored bits change: all in one step.
 */
void arm_smmu_write_entry(struct arm_smmu_entry_writer *writer, __le64 *entry,
			  const __le64 *target)
{
	__le64 unused_update[NUM_ENTRY_QWORDS];
	u8 used_qword_diff;

	/* What the entry points to is visible before the entry changes */
	dma_wmb();

	used_qword_diff =
		arm_smmu_entry_qword_diff(writer, entry, target, unused_update);
	if (hweight8(used_qword_diff) == 1) {
		unsigned int critical_qword_index = ffs(used_qword_diff) - 1;

		/* The critical qword is written whole in the next step */
		unused_update[critical_qword_index] =
			entry[critical_qword_index];
		entry_set(writer, entry, unused_update, 0, NUM_ENTRY_QWORDS);
		entry_set(writer, entry, target, critical_qword_index, 1);
		entry_set(writer, entry, target, 0, NUM_ENTRY_QWORDS);
	} else if (used_qword_diff) {
		unused_update[0] = 0;
		entry_set(writer, entry, unused_update, 0, 1);
		entry_set(writer, entry, target, 1, NUM_ENTRY_QWORDS - 1);
		entry_set(writer, entry, target, 0, 1);
	} else {
		entry_set(writer, entry, target, 0, NUM_ENTRY_QWORDS);
	}
}

/* An STE update of one stream: its writer and its SID */
struct arm_smmu_ste_writer {
	struct arm_smmu_entry_writer writer;
	u32 sid;
};

static void arm_smmu_ste_writer_sync_entry(struct arm_smmu_entry_writer *writer)
{
	struct arm_smmu_ste_writer *ste_writer =
		container_of(writer, struct arm_smmu_ste_writer, writer);
	struct arm_smmu_cmdq_ent cmd = {
		.opcode = CMDQ_OP_CFGI_STE,
		.cfgi = { .sid = ste_writer->sid, .leaf = true },
	};

	arm_smmu_cmdq_issue_cmd_with_sync(writer->master->smmu, &cmd);
}

static const struct arm_smmu_entry_writer_ops arm_smmu_ste_writer_ops = {
	.sync = arm_smmu_ste_writer_sync_entry,
	.get_used = arm_smmu_get_ste_used,
	.get_update_safe = arm_smmu_get_ste_update_safe,
};

static void arm_smmu_write_ste(struct arm_smmu_master *master, u32 sid,
			       struct arm_smmu_ste *ste,
			       const struct arm_smmu_ste *target)
{
	struct arm_smmu_ste_writer ste_writer = {
		.writer = {
			.ops = &arm_smmu_ste_writer_ops,
			.master = master,
		},
		.sid = sid,
	};

	arm_smmu_write_entry(&ste_writer.writer, ste->data, target->data);
}

/*
 * STE writes and the surgical EATS clear serialise on @smmu->ste_lock; with
 * the ste-rmw-race bug injected they do not, as in the v2 series.  Returns
 * whether the lock was taken, for arm_smmu_ste_unlock().
 */
static bool arm_smmu_ste_lock(struct arm_smmu_device *smmu,
			      unsigned long *flags)
{
	if (khooks_switch(KHOOKS_BUG_STE_RMW_RACE))
		return false;
	spin_lock_irqsave(&smmu->ste_lock, *flags);
	return true;
}

static void arm_smmu_ste_unlock(struct arm_smmu_device *smmu, bool locked,
				unsigned long flags)
{
	if (locked)
		spin_unlock_irqrestore(&smmu->ste_lock, flags);
}

/**
 * arm_smmu_install_ste_for_dev() - write the STE of every stream of a master
 * @master: the master
 * @target: the STE to install
 *
 * Each stream's STE moves by arm_smmu_write_entry(), so the SMMU never
 * fetches a torn configuration.  Under @smmu->ste_lock, so that a quarantine
 * clearing EATS either sees this STE or is seen by it: a master found
 * ats_broken gets no EATS.
 */
void arm_smmu_install_ste_for_dev(struct arm_smmu_master *master,
				  const struct arm_smmu_ste *target)
{
	struct arm_smmu_device *smmu = master->smmu;
	struct arm_smmu_ste masked = *target;
	unsigned long flags = 0;
	unsigned int i;
	bool locked;

	locked = arm_smmu_ste_lock(smmu, &flags);
	if (locked && READ_ONCE(master->ats_broken))
		masked.data[1] &= cpu_to_le64(~STRTAB_STE_1_EATS);
	target = &masked;

	for (i = 0; i < master->num_streams; i++) {
		u32 sid = master->streams[i].id;

		arm_smmu_write_ste(master, sid, &smmu->strtab[sid], target);
	}
	arm_smmu_ste_unlock(smmu, locked, flags);
}

/**
 * arm_smmu_atc_inv_master() - invalidate the whole ATC of a master
 * @master: the master
 * @ssid: the PASID to invalidate, or IOMMU_NO_PASID for all of them
 *
 * Return: 0 or as arm_smmu_cmdq_batch_submit().
 */
int arm_smmu_atc_inv_master(struct arm_smmu_master *master, ioasid_t ssid)
{
	struct arm_smmu_cmdq_ent cmd;
	struct arm_smmu_cmdq_batch cmds;
	unsigned int i;

	arm_smmu_atc_inv_to_cmd(ssid, 0, 0, &cmd);
	arm_smmu_cmdq_batch_init(master->smmu, &cmds, &cmd);
	for (i = 0; i < master->num_streams; i++) {
		cmd.atc.sid = master->streams[i].id;
		arm_smmu_cmdq_batch_add(master->smmu, &cmds, &cmd);
	}

	return arm_smmu_cmdq_batch_submit(master->smmu, &cmds);
}

/*
 * A flush of the master's own ATC that timed out: the device still holds
 * the old domain's translations, and no later invalidation of that domain
 * reaches it.  It is the only device of the batch, so no isolation is
 * needed: quarantine it as the invalidation path would.
 */
static void arm_smmu_atc_flush_master(struct arm_smmu_master *master,
				      ioasid_t ssid)
{
	/* A broken device does not answer: no ATC_INV to it (spam) */
	if (READ_ONCE(master->ats_broken))
		return;
	if (arm_smmu_atc_inv_master(master, ssid) == -EIO)
		arm_smmu_master_disable_ats(master);
}

/*
 * After the STE switch: bring the ATC in line with the new translation, then
 * let the old domain forget the master.
 */
static void arm_smmu_attach_commit(struct arm_smmu_attach_state *state)
{
	struct arm_smmu_master *master = state->master;

	if (state->ats_enabled && master->ats_enabled) {
		/* The translation has changed: flush the ATC */
		arm_smmu_atc_flush_master(master, state->ssid);
		/* This attachment replaced one at another PASID: flush its */
		if (master->ssid != state->ssid)
			arm_smmu_atc_flush_master(master, master->ssid);
	} else if (!state->ats_enabled && master->ats_enabled) {
		/* ATS is being switched off: invalidate the entire ATC */
		arm_smmu_atc_flush_master(master, IOMMU_NO_PASID);
		if (master->dev)
			pci_disable_ats(to_pci_dev(master->dev));
	}

	arm_smmu_install_old_domain_invs(state);
	master->ats_enabled = state->ats_enabled;
	master->domain = state->new_domain;
	master->ssid = state->ssid;
}

/**
 * arm_smmu_attach_dev() - attach a master to a paging domain
 * @master: the master
 * @smmu_domain: the domain
 * @ssid: the PASID of the attachment (IOMMU_NO_PASID for the RID)
 *
 * The five steps of the driver: the new domain's array gains the master,
 * then the STE switches, then the old domain's array loses it.
 *
 * Return: 0, -EINVAL for a domain of another SMMU, or -ENOMEM.
 */
int arm_smmu_attach_dev(struct arm_smmu_master *master,
			struct arm_smmu_domain *smmu_domain, ioasid_t ssid)
{
	struct arm_smmu_attach_state state = {
		.master = master,
		.old_domain = master->domain,
		.new_domain = smmu_domain,
		.ssid = ssid,
		.ats_enabled = master->ats_supported &&
			       !READ_ONCE(master->ats_broken),
	};
	struct arm_smmu_ste target;
	bool bug;
	int ret;

	if (smmu_domain->smmu != master->smmu)
		return -EINVAL;

	mutex_lock(&arm_smmu_asid_lock);
	/*
	 * Enable ATS in the device before anything is published, so that a
	 * failure (seed 004) leaves neither an ATS entry in the array nor EATS
	 * in the STE behind, and nothing for detach to disable.  The device
	 * cannot use ATS before EATS is set: the SMMU rejects its translation
	 * requests until then.
	 */
	if (state.ats_enabled && !master->ats_enabled && master->dev &&
	    pci_enable_ats(to_pci_dev(master->dev), PAGE_SHIFT)) {
		dev_info(master->dev, "ATS not enabled, going without\n");
		state.ats_enabled = false;
	}
	ret = arm_smmu_attach_prepare_invs(&state, smmu_domain);
	if (ret) {
		if (state.ats_enabled && !master->ats_enabled && master->dev)
			pci_disable_ats(to_pci_dev(master->dev));
		mutex_unlock(&arm_smmu_asid_lock);
		return ret;
	}

	bug = khooks_switch(KHOOKS_BUG_INSTALL_INVS_AFTER_STE);
	if (!bug)
		arm_smmu_install_new_domain_invs(&state);
	arm_smmu_make_ste(&target, smmu_domain->stage,
			  smmu_domain->stage == ARM_SMMU_DOMAIN_S1 ?
				  smmu_domain->asid :
				  smmu_domain->vmid,
			  state.ats_enabled);
	arm_smmu_install_ste_for_dev(master, &target);
	if (bug) {
		/* Translations of the new domain are cached, not invalidated */
		khooks_race_window(KHOOKS_BUG_INSTALL_INVS_AFTER_STE, 20);
		arm_smmu_install_new_domain_invs(&state);
	}
	arm_smmu_attach_commit(&state);
	mutex_unlock(&arm_smmu_asid_lock);
	return 0;
}

/**
 * arm_smmu_attach_dev_blocked() - block all DMA of a master
 * @master: the master
 *
 * Cannot fail: the old domain only unrefs the master's build array, which
 * was allocated at probe.
 */
void arm_smmu_attach_dev_blocked(struct arm_smmu_master *master)
{
	struct arm_smmu_attach_state state = {
		.master = master,
		.old_domain = master->domain,
		.ssid = IOMMU_NO_PASID,
	};
	struct arm_smmu_ste target;

	mutex_lock(&arm_smmu_asid_lock);
	WARN_ON(arm_smmu_attach_prepare_invs(&state, NULL));
	arm_smmu_make_abort_ste(&target);
	arm_smmu_install_ste_for_dev(master, &target);
	arm_smmu_attach_commit(&state);
	mutex_unlock(&arm_smmu_asid_lock);
}

/**
 * arm_smmu_master_set_dev() - tie a master to its device
 * @master: the master
 * @dev: a PCI function, registered with the IOMMU core by the caller
 */
void arm_smmu_master_set_dev(struct arm_smmu_master *master, struct device *dev)
{
	master->dev = dev;
}

/*
 * The surgical STE update of the v2 series: clear EATS in qword 1 so that
 * the SMMU rejects the device's translated requests.  Caller holds
 * @smmu->ste_lock, unless the ste-rmw-race bug is injected, where this is
 * the series' lockless read-modify-write: an STE written between the read
 * and the write is lost (the window is widened to 50 us here, to make it
 * reproducible).
 */
static void arm_smmu_disable_eats_for_sid(struct arm_smmu_device *smmu, u32 sid)
{
	struct arm_smmu_ste *step = &smmu->strtab[sid];
	struct arm_smmu_cmdq_ent cmd = {
		.opcode = CMDQ_OP_CFGI_STE,
		.cfgi = { .sid = sid, .leaf = true },
	};
	__le64 val = READ_ONCE(step->data[1]);

	khooks_race_window(KHOOKS_BUG_STE_RMW_RACE, 50);
	WRITE_ONCE(step->data[1], val & cpu_to_le64(~STRTAB_STE_1_EATS));
	arm_smmu_cmdq_issue_cmd_with_sync(smmu, &cmd);
}

/* Turn the master's ATS entries in its domain's array into broken ones */
static void arm_smmu_master_break_invs(struct arm_smmu_master *master)
{
	struct arm_smmu_domain *smmu_domain = READ_ONCE(master->domain);
	struct arm_smmu_invs *invs;
	struct arm_smmu_inv *cur;
	unsigned int i;
	size_t idx;

	if (!smmu_domain)
		return;
	rcu_read_lock();
	invs = rcu_dereference(smmu_domain->invs);
	arm_smmu_invs_for_each_entry(invs, idx, cur) {
		if (cur->smmu != master->smmu || !arm_smmu_inv_is_ats(cur))
			continue;
		for (i = 0; i < master->num_streams; i++)
			if (cur->id == master->streams[i].id)
				WRITE_ONCE(cur->type, INV_TYPE_ATS_BROKEN);
	}
	rcu_read_unlock();
}

/**
 * arm_smmu_master_disable_ats() - quarantine a master whose ATC timed out
 * @master: the master
 *
 * Clears EATS in its STEs (further translated requests are rejected), then
 * sets @master->ats_broken (no more ATC invalidations to it), and reports it
 * to the core, which blocks it asynchronously.  Callable from the invalidation
 * path: takes no mutex.  Concurrent reports of the same master are
 * tolerated: the first one does the work.
 *
 * Return: true if this call quarantined the master.
 */
bool arm_smmu_master_disable_ats(struct arm_smmu_master *master)
{
	struct arm_smmu_device *smmu = master->smmu;
	unsigned long flags = 0;
	unsigned int i;
	bool locked;

	locked = arm_smmu_ste_lock(smmu, &flags);
	if (READ_ONCE(master->ats_broken)) {
		arm_smmu_ste_unlock(smmu, locked, flags);
		return false;
	}
	for (i = 0; i < master->num_streams; i++)
		arm_smmu_disable_eats_for_sid(smmu, master->streams[i].id);
	/*
	 * Only now may walkers skip the master: until the CFGI_STE above has
	 * completed, the SMMU may still serve translated requests through an
	 * STE with EATS set, so an ATC_INV skipped earlier would leave an
	 * entry the device can use after its unmap returned.
	 */
	WRITE_ONCE(master->ats_broken, true);
	arm_smmu_ste_unlock(smmu, locked, flags);
	for (i = 0; i < master->num_streams; i++)
		trace_arm_smmu_master_quarantine(master->streams[i].id);

	if (khooks_switch(KHOOKS_QUARANTINE_INV_TYPE))
		arm_smmu_master_break_invs(master);
	dev_err(master->dev, "ATC invalidation timed out: ATS blocked\n");
	if (master->dev)
		iommu_report_device_broken(master->dev);
	return true;
}

/**
 * arm_smmu_reset_device_done() - the device was reset: lift ats_broken
 * @dev: the device
 *
 * Called by the core before it re-attaches the device's domain, which sets
 * EATS again.
 */
void arm_smmu_reset_device_done(struct device *dev)
{
	struct arm_smmu_master *master = dev_iommu_priv_get(dev);
	unsigned long flags = 0;
	bool locked;

	locked = arm_smmu_ste_lock(master->smmu, &flags);
	WRITE_ONCE(master->ats_broken, false);
	arm_smmu_ste_unlock(master->smmu, locked, flags);
}

static int arm_smmu_attach_dev_paging(struct iommu_domain *domain,
				      struct device *dev)
{
	return arm_smmu_attach_dev(dev_iommu_priv_get(dev),
				   container_of(domain, struct arm_smmu_domain,
						domain),
				   IOMMU_NO_PASID);
}

/*
 * One attachment per master here: a PASID attachment replaces the RID's,
 * and only stage-1 domains take PASIDs, as upstream.
 */
static int arm_smmu_s1_set_dev_pasid(struct iommu_domain *domain,
				     struct device *dev, ioasid_t id)
{
	struct arm_smmu_domain *smmu_domain =
		container_of(domain, struct arm_smmu_domain, domain);

	if (smmu_domain->stage != ARM_SMMU_DOMAIN_S1)
		return -EINVAL;
	return arm_smmu_attach_dev(dev_iommu_priv_get(dev), smmu_domain, id);
}

static int arm_smmu_attach_dev_blocked_domain(struct iommu_domain *domain,
					      struct device *dev)
{
	arm_smmu_attach_dev_blocked(dev_iommu_priv_get(dev));
	return 0;
}

const struct iommu_domain_ops arm_smmu_domain_ops = {
	.attach_dev = arm_smmu_attach_dev_paging,
	.set_dev_pasid = arm_smmu_s1_set_dev_pasid,
};

static struct iommu_domain arm_smmu_blocked_domain = {
	.type = IOMMU_DOMAIN_BLOCKED,
	.ops =
		&(const struct iommu_domain_ops){
			.attach_dev = arm_smmu_attach_dev_blocked_domain,
		},
};

const struct iommu_ops arm_smmu_ops = {
	.blocked_domain = &arm_smmu_blocked_domain,
	.reset_device_done = arm_smmu_reset_device_done,
};
