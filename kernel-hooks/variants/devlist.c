// SPDX-License-Identifier: GPL-2.0
/*
 * The pre-series design of domain invalidation: a device list walked under a
 * spinlock (see devlist.h).  Written for atcbench from the semantics of the
 * upstream driver before the invalidation-array series; the names are the
 * kernel's, with "devlist" added where both designs need the same name.
 */
#include <linux/err.h>
#include <linux/slab.h>
#include <asm/barrier.h>

#include "devlist.h"

struct arm_smmu_devlist_domain *
arm_smmu_devlist_domain_alloc(struct arm_smmu_device *smmu,
			      enum arm_smmu_domain_stage stage, u16 id)
{
	struct arm_smmu_devlist_domain *smmu_domain;

	smmu_domain = kzalloc(sizeof(*smmu_domain), GFP_KERNEL);
	if (!smmu_domain)
		return ERR_PTR(-ENOMEM);

	smmu_domain->smmu = smmu;
	smmu_domain->stage = stage;
	if (stage == ARM_SMMU_DOMAIN_S1)
		smmu_domain->asid = id;
	else
		smmu_domain->vmid = id;
	smmu_domain->pgsize = SZ_4K;
	spin_lock_init(&smmu_domain->devices_lock);
	INIT_LIST_HEAD(&smmu_domain->devices);
	atomic_set(&smmu_domain->nr_ats_masters, 0);
	return smmu_domain;
}

void arm_smmu_devlist_domain_free(struct arm_smmu_devlist_domain *smmu_domain)
{
	WARN_ON(!list_empty(&smmu_domain->devices));
	kfree(smmu_domain);
}

/**
 * arm_smmu_devlist_attach() - attach a master: list, STE, then ATS
 * @smmu_domain: the domain
 * @master: the master, blocked; ATS is enabled for it if it supports ATS
 * @ssid: the PASID of the attachment
 *
 * As the pre-series driver: the master joins the list, its STE switches to
 * the domain, and before ATS is enabled its ATC is flushed.
 *
 * Return: 0 or -ENOMEM.
 */
int arm_smmu_devlist_attach(struct arm_smmu_devlist_domain *smmu_domain,
			    struct arm_smmu_master *master, ioasid_t ssid)
{
	struct arm_smmu_master_domain *master_domain;
	struct arm_smmu_ste target;
	unsigned long flags;

	master_domain = kzalloc(sizeof(*master_domain), GFP_KERNEL);
	if (!master_domain)
		return -ENOMEM;
	master_domain->master = master;
	master_domain->ssid = ssid;

	/* Counted before the master can use ATS: see devlist.h */
	if (master->ats_supported)
		atomic_inc(&smmu_domain->nr_ats_masters);

	spin_lock_irqsave(&smmu_domain->devices_lock, flags);
	master->ats_enabled = master->ats_supported;
	list_add(&master_domain->devices_elm, &smmu_domain->devices);
	spin_unlock_irqrestore(&smmu_domain->devices_lock, flags);

	arm_smmu_make_ste(&target, smmu_domain->stage,
			  smmu_domain->stage == ARM_SMMU_DOMAIN_S1 ?
				  smmu_domain->asid :
				  smmu_domain->vmid,
			  master->ats_supported);
	arm_smmu_install_ste_for_dev(master, &target);
	if (master->ats_supported)
		arm_smmu_atc_inv_master(master, IOMMU_NO_PASID);
	return 0;
}

/**
 * arm_smmu_devlist_detach() - detach a master: ATS off, list, then STE
 * @smmu_domain: the domain
 * @master: the master
 * @ssid: the PASID of the attachment
 */
void arm_smmu_devlist_detach(struct arm_smmu_devlist_domain *smmu_domain,
			     struct arm_smmu_master *master, ioasid_t ssid)
{
	struct arm_smmu_master_domain *master_domain, *found = NULL;
	struct arm_smmu_ste target;
	unsigned long flags;

	/* ATS is being switched off: invalidate the entire ATC */
	if (master->ats_supported)
		arm_smmu_atc_inv_master(master, IOMMU_NO_PASID);

	spin_lock_irqsave(&smmu_domain->devices_lock, flags);
	list_for_each_entry(master_domain, &smmu_domain->devices, devices_elm) {
		if (master_domain->master == master &&
		    master_domain->ssid == ssid) {
			found = master_domain;
			list_del(&found->devices_elm);
			master->ats_enabled = false;
			break;
		}
	}
	spin_unlock_irqrestore(&smmu_domain->devices_lock, flags);

	if (WARN_ON(!found))
		return;
	if (master->ats_supported)
		atomic_dec(&smmu_domain->nr_ats_masters);
	kfree(found);

	arm_smmu_make_abort_ste(&target);
	arm_smmu_install_ste_for_dev(master, &target);
}

static void
arm_smmu_devlist_tlb_inv_range(struct arm_smmu_devlist_domain *smmu_domain,
			       unsigned long iova, size_t size,
			       unsigned int granule, bool leaf)
{
	struct arm_smmu_device *smmu = smmu_domain->smmu;
	struct arm_smmu_cmdq_ent cmd = {};
	struct arm_smmu_cmdq_batch cmds;
	size_t max_tlbi_ops = 1 << (ilog2(granule ? granule : SZ_4K) - 3);

	if (smmu_domain->stage == ARM_SMMU_DOMAIN_S1) {
		cmd.tlbi.asid = smmu_domain->asid;
		cmd.opcode = CMDQ_OP_TLBI_NH_VA;
	} else {
		cmd.tlbi.vmid = smmu_domain->vmid;
		cmd.opcode = CMDQ_OP_TLBI_S2_IPA;
	}
	cmd.tlbi.leaf = leaf;

	/* The whole tag at once: invalidate-all, or too many TLBI ops */
	if (!size || (!(smmu->features & ARM_SMMU_FEAT_RANGE_INV) &&
		      size >= max_tlbi_ops * granule)) {
		cmd.opcode = smmu_domain->stage == ARM_SMMU_DOMAIN_S1 ?
				     CMDQ_OP_TLBI_NH_ASID :
				     CMDQ_OP_TLBI_S12_VMALL;
		arm_smmu_cmdq_issue_cmd_with_sync(smmu, &cmd);
		return;
	}

	arm_smmu_cmdq_batch_init(smmu, &cmds, &cmd);
	arm_smmu_cmdq_batch_add_range(smmu, &cmds, &cmd, iova, size, granule,
				      smmu_domain->pgsize);
	arm_smmu_cmdq_batch_submit(smmu, &cmds);
}

static void
arm_smmu_devlist_atc_inv_domain(struct arm_smmu_devlist_domain *smmu_domain,
				unsigned long iova, size_t size)
{
	struct arm_smmu_device *smmu = smmu_domain->smmu;
	struct arm_smmu_master_domain *master_domain;
	struct arm_smmu_cmdq_ent cmd;
	struct arm_smmu_cmdq_batch cmds;
	unsigned long flags;
	unsigned int i;

	/*
	 * The IOPTE change must be visible before nr_ats_masters is read;
	 * pairs with the atomic_inc() in arm_smmu_devlist_attach() followed by
	 * the lock that publishes the list entry.
	 */
	smp_mb();
	if (!atomic_read(&smmu_domain->nr_ats_masters))
		return;

	arm_smmu_atc_inv_to_cmd(IOMMU_NO_PASID, iova, size, &cmd);
	arm_smmu_cmdq_batch_init(smmu, &cmds, &cmd);

	spin_lock_irqsave(&smmu_domain->devices_lock, flags);
	list_for_each_entry(master_domain, &smmu_domain->devices, devices_elm) {
		struct arm_smmu_master *master = master_domain->master;

		if (!master->ats_enabled)
			continue;

		arm_smmu_atc_inv_to_cmd(master_domain->ssid, iova, size, &cmd);
		for (i = 0; i < master->num_streams; i++) {
			cmd.atc.sid = master->streams[i].id;
			arm_smmu_cmdq_batch_add(smmu, &cmds, &cmd);
		}
	}
	spin_unlock_irqrestore(&smmu_domain->devices_lock, flags);

	arm_smmu_cmdq_batch_submit(smmu, &cmds);
}

/**
 * arm_smmu_devlist_domain_inv_range() - the pre-series domain invalidation
 * @smmu_domain: the domain whose IOPTEs changed
 * @iova: start of the range
 * @size: length of the range; 0 invalidates everything
 * @granule: the page size of the change
 * @leaf: only leaf entries changed
 *
 * The TLBIs of the domain's tag and a CMD_SYNC, then the ATC invalidations
 * of every ATS-enabled master and a CMD_SYNC.
 */
void arm_smmu_devlist_domain_inv_range(
	struct arm_smmu_devlist_domain *smmu_domain, unsigned long iova,
	size_t size, unsigned int granule, bool leaf)
{
	arm_smmu_devlist_tlb_inv_range(smmu_domain, iova, size, granule, leaf);
	arm_smmu_devlist_atc_inv_domain(smmu_domain, iova, size);
}
