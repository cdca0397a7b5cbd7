/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IOMMU core, the part the quarantine and reset paths go through: the
 * group of a device, its domain, blocking across resets (seeds 000-002) and
 * iommu_report_device_broken().  Implemented in kernel-hooks/iommu/iommu.c.
 * Groups hold one device, as the quarantine series supports.
 */
#ifndef _LINUX_IOMMU_H
#define _LINUX_IOMMU_H

#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct iommu_domain;

/* The RID's "PASID": an attachment without a PASID */
#define IOMMU_NO_PASID 0

struct iommu_domain_ops {
	int (*attach_dev)(struct iommu_domain *domain, struct device *dev);
	/* Upstream also passes the old domain: the driver knows it here */
	int (*set_dev_pasid)(struct iommu_domain *domain, struct device *dev,
			     ioasid_t pasid);
};

#define IOMMU_DOMAIN_BLOCKED 0
#define IOMMU_DOMAIN_PAGING 1

struct iommu_domain {
	unsigned int type;
	const struct iommu_domain_ops *ops;
};

/**
 * struct iommu_ops - what the core needs of a driver
 * @blocked_domain: attaching it blocks all DMA and ATS of a device
 * @reset_device_done: the device was reset successfully: its ATC is empty
 *                     and a quarantine may be lifted (v2 2/7)
 */
struct iommu_ops {
	struct iommu_domain *blocked_domain;
	void (*reset_device_done)(struct device *dev);
};

/**
 * struct group_device - a device of a group
 * @group: stable back pointer for the broken worker
 * @dev: the device
 * @blocked: attached to the blocking domain while its group->domain is
 *           retained: during a reset, after a failed reset, or quarantined
 * @reset_depth: nesting of pci_dev_reset_iommu_prepare()
 * @broken_work: iommu_report_device_broken()'s worker
 */
struct group_device {
	struct iommu_group *group;
	struct device *dev;
	bool blocked;
	unsigned int reset_depth;
	struct work_struct broken_work;
};

/**
 * struct iommu_group - a group of one device
 * @mutex: serialises attach, reset and quarantine
 * @ops: the driver
 * @domain: the domain the group is attached to, or retained for while
 *          blocked (a deferred attach lands here)
 * @pasid: the PASID @domain is attached at, IOMMU_NO_PASID for the RID (one
 *         attachment per device: a PASID attachment stands for the RID's)
 * @recovery_cnt: devices of the group blocked for a recovery
 * @gdev: the device
 */
struct iommu_group {
	struct mutex mutex;
	const struct iommu_ops *ops;
	struct iommu_domain *domain;
	ioasid_t pasid;
	unsigned int recovery_cnt;
	struct group_device gdev;
};

int iommu_probe_device(struct device *dev, const struct iommu_ops *ops,
		       void *priv);
void iommu_release_device(struct device *dev);
int iommu_attach_device(struct iommu_domain *domain, struct device *dev);
int iommu_attach_device_pasid(struct iommu_domain *domain, struct device *dev,
			      ioasid_t pasid);
void iommu_detach_device(struct iommu_domain *domain, struct device *dev);
int pci_dev_reset_iommu_prepare(struct pci_dev *pdev);
void pci_dev_reset_iommu_done(struct pci_dev *pdev, bool reset_succeeds);
void iommu_report_device_broken(struct device *dev);
/* atcbench: the core's view of a device, for tests and the harness */
bool iommu_device_blocked(struct device *dev);

#endif /* _LINUX_IOMMU_H */
