/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pre-series design of domain invalidation, for side-by-side runs: a
 * domain keeps the list of its attached masters under a spinlock, and every
 * invalidation sends one TLBI batch for the domain's tag, then walks the
 * list under the lock to send ATC invalidations for the ATS-enabled masters.
 *
 * Synchronisation: devices_lock serialises list changes against the ATC
 * walk; nr_ats_masters lets an invalidation skip the lock when no attached
 * master uses ATS.  Its read follows an smp_mb() that pairs with the
 * increment in arm_smmu_devlist_attach() (an IOPTE change against a
 * concurrent attach, the store-buffering pattern).
 */
#ifndef _ARM_SMMU_V3_DEVLIST_H
#define _ARM_SMMU_V3_DEVLIST_H

#include <linux/list.h>

#include "../arm-smmu-v3/arm-smmu-v3.h"

/* The kernel's column-aligned defines and members: */
/* clang-format off */

/**
 * struct arm_smmu_devlist_domain - a paging domain with a device list
 * @smmu: the SMMU the domain was finalised on
 * @stage: stage 1 (ASID) or stage 2 (VMID)
 * @asid: for stage 1
 * @vmid: for stage 2
 * @pgsize: smallest page size, for the TLBI range encoding
 * @devices_lock: protects @devices
 * @devices: list of struct arm_smmu_master_domain
 * @nr_ats_masters: attached masters with ATS enabled
 */
struct arm_smmu_devlist_domain {
	struct arm_smmu_device		*smmu;
	enum arm_smmu_domain_stage	stage;
	u16				asid;
	u16				vmid;
	u32				pgsize;
	spinlock_t			devices_lock;
	struct list_head		devices;
	atomic_t			nr_ats_masters;
};

/**
 * struct arm_smmu_master_domain - one attachment of a master to a domain
 * @devices_elm: entry in the domain's @devices
 * @master: the master
 * @ssid: the PASID of the attachment
 */
struct arm_smmu_master_domain {
	struct list_head		devices_elm;
	struct arm_smmu_master		*master;
	ioasid_t			ssid;
};

struct arm_smmu_devlist_domain *
arm_smmu_devlist_domain_alloc(struct arm_smmu_device *smmu,
			      enum arm_smmu_domain_stage stage, u16 id);
void arm_smmu_devlist_domain_free(struct arm_smmu_devlist_domain *smmu_domain);
int arm_smmu_devlist_attach(struct arm_smmu_devlist_domain *smmu_domain,
			    struct arm_smmu_master *master, ioasid_t ssid);
void arm_smmu_devlist_detach(struct arm_smmu_devlist_domain *smmu_domain,
			     struct arm_smmu_master *master, ioasid_t ssid);
void arm_smmu_devlist_domain_inv_range(struct arm_smmu_devlist_domain *smmu_domain,
				       unsigned long iova, size_t size,
				       unsigned int granule, bool leaf);

/* clang-format on */

#endif /* _ARM_SMMU_V3_DEVLIST_H */
