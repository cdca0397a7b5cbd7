// SPDX-License-Identifier: GPL-2.0
/*
 * The IOMMU core's reset and quarantine paths (drivers/iommu/iommu.c), with
 * the semantics of the seeds: pci_dev_reset_iommu_prepare()/done() with
 * reset_depth nesting and a reset result (v3 02/11), attach requests
 * deferred during a reset and refused after a failed one, and
 * iommu_report_device_broken() (v3 07/11).  Written for atcbench.
 */
#include <linux/err.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <khooks/switches.h>

static void iommu_group_broken_worker(struct work_struct *work);

/**
 * iommu_probe_device() - give a device an IOMMU group
 * @dev: the device
 * @ops: its IOMMU driver
 * @priv: the driver's per-device data (dev_iommu_priv_get())
 *
 * Return: 0 or -ENOMEM.
 */
int iommu_probe_device(struct device *dev, const struct iommu_ops *ops,
		       void *priv)
{
	struct iommu_group *group;

	group = kzalloc(sizeof(*group), GFP_KERNEL);
	dev->iommu = kzalloc(sizeof(*dev->iommu), GFP_KERNEL);
	if (!group || !dev->iommu) {
		kfree(group);
		kfree(dev->iommu);
		dev->iommu = NULL;
		return -ENOMEM;
	}
	mutex_init(&group->mutex);
	group->ops = ops;
	group->gdev.group = group;
	group->gdev.dev = dev;
	INIT_WORK(&group->gdev.broken_work, iommu_group_broken_worker);
	dev->iommu->priv = priv;
	dev->iommu_group = group;
	return 0;
}

/**
 * iommu_release_device() - undo iommu_probe_device()
 * @dev: the device, blocked or attached to nothing the caller still uses
 */
void iommu_release_device(struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;

	if (!group)
		return;
	mutex_lock(&group->mutex);
	kfree(dev->iommu);
	dev->iommu = NULL;
	mutex_unlock(&group->mutex);
	/* Must wait for broken_work to prevent UAF */
	cancel_work_sync(&group->gdev.broken_work);
	dev->iommu_group = NULL;
	mutex_destroy(&group->mutex);
	kfree(group);
}

static int __iommu_group_block_device(struct iommu_group *group,
				      struct group_device *gdev)
{
	struct iommu_domain *blocked = group->ops->blocked_domain;
	int ret;

	ret = blocked->ops->attach_dev(blocked, gdev->dev);
	if (ret)
		return ret;
	gdev->blocked = true;
	group->recovery_cnt++;
	return 0;
}

/* Attach @domain at @pasid (IOMMU_NO_PASID: the RID) */
static int __iommu_attach(struct iommu_domain *domain, struct device *dev,
			  ioasid_t pasid)
{
	if (pasid == IOMMU_NO_PASID)
		return domain->ops->attach_dev(domain, dev);
	if (!domain->ops->set_dev_pasid)
		return -EOPNOTSUPP;
	return domain->ops->set_dev_pasid(domain, dev, pasid);
}

static int __iommu_attach_device(struct iommu_domain *domain,
				 struct device *dev, ioasid_t pasid)
{
	struct iommu_group *group = dev->iommu_group;
	struct group_device *gdev = &group->gdev;
	int ret = 0;

	mutex_lock(&group->mutex);
	if (gdev->blocked) {
		if (gdev->reset_depth) {
			group->domain = domain;
			group->pasid = pasid;
		} else {
			ret = -EBUSY;
		}
		goto out_unlock;
	}
	ret = __iommu_attach(domain, dev, pasid);
	if (!ret) {
		group->domain = domain;
		group->pasid = pasid;
	}
out_unlock:
	mutex_unlock(&group->mutex);
	return ret;
}

/**
 * iommu_attach_device() - attach a device to a domain
 * @domain: the domain
 * @dev: the device
 *
 * While the device is being reset the attach is deferred: the domain is
 * retained and attached by pci_dev_reset_iommu_done().  After a failed reset
 * or a quarantine, the attach is refused until a successful reset.
 *
 * Return: 0, -EBUSY when refused, or the driver's error.
 */
int iommu_attach_device(struct iommu_domain *domain, struct device *dev)
{
	return __iommu_attach_device(domain, dev, IOMMU_NO_PASID);
}

/**
 * iommu_attach_device_pasid() - attach a device's PASID to a domain
 * @domain: the domain
 * @dev: the device
 * @pasid: the PASID, not IOMMU_NO_PASID
 *
 * As iommu_attach_device(), for the traffic that carries @pasid.  A device
 * has one attachment here: this one replaces its RID's.
 *
 * Return: 0, -EINVAL for IOMMU_NO_PASID, -EBUSY when refused, or the
 * driver's error.
 */
int iommu_attach_device_pasid(struct iommu_domain *domain, struct device *dev,
			      ioasid_t pasid)
{
	if (pasid == IOMMU_NO_PASID)
		return -EINVAL;
	return __iommu_attach_device(domain, dev, pasid);
}

/**
 * iommu_detach_device() - attach the device to the blocking domain
 * @domain: the domain it was attached to
 * @dev: the device
 */
void iommu_detach_device(struct iommu_domain *domain, struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;
	struct iommu_domain *blocked = group->ops->blocked_domain;

	mutex_lock(&group->mutex);
	if (group->domain == domain) {
		group->domain = NULL;
		group->pasid = IOMMU_NO_PASID;
		if (!group->gdev.blocked)
			WARN_ON(blocked->ops->attach_dev(blocked, dev));
	}
	mutex_unlock(&group->mutex);
}

/**
 * pci_dev_reset_iommu_prepare() - block a device before a PCI reset
 * @pdev: the PCI device about to be reset
 *
 * Attaches the blocking domain, so that ATS is disabled and no ATC
 * invalidation reaches the device while it may ignore them; its domain is
 * retained.  Nested calls only count.
 *
 * Return: 0 or the driver's error.
 */
int pci_dev_reset_iommu_prepare(struct pci_dev *pdev)
{
	struct iommu_group *group = pdev->dev.iommu_group;
	struct group_device *gdev;
	int ret = 0;

	if (!group)
		return 0;
	gdev = &group->gdev;

	mutex_lock(&group->mutex);
	if (gdev->reset_depth++)
		goto out_unlock;
	/* Device might be already blocked for a quarantine */
	if (gdev->blocked)
		goto out_unlock;
	ret = __iommu_group_block_device(group, gdev);
	if (ret)
		gdev->reset_depth--;
out_unlock:
	mutex_unlock(&group->mutex);
	return ret;
}

/**
 * pci_dev_reset_iommu_done() - restore a device after a PCI reset
 * @pdev: the PCI device that finished a reset
 * @reset_succeeds: whether the reset succeeded
 *
 * The outermost call of a successful reset lifts the block: the driver is
 * told the device is clean (its ATS may come back) and the retained domain
 * is attached again.  On a failed reset the device stays blocked: its ATC
 * may still hold stale entries.
 */
void pci_dev_reset_iommu_done(struct pci_dev *pdev, bool reset_succeeds)
{
	struct iommu_group *group = pdev->dev.iommu_group;
	struct group_device *gdev;

	if (!group)
		return;
	gdev = &group->gdev;

	mutex_lock(&group->mutex);
	if (WARN_ON(!gdev->reset_depth))
		goto out_unlock;
	if (--gdev->reset_depth)
		goto out_unlock;
	if (WARN_ON(!gdev->blocked))
		goto out_unlock;

	/*
	 * A reset failure implies that the device might be unreliable: its
	 * device cache might retain stale entries.  Do not unblock it until a
	 * successful reset.
	 */
	if (!reset_succeeds &&
	    !khooks_switch(KHOOKS_BUG_LIFT_ON_FAILED_RESET)) {
		pci_err(pdev,
			"Reset failed. Keep it blocked to protect memory\n");
		goto out_unlock;
	}

	if (group->ops->reset_device_done)
		group->ops->reset_device_done(&pdev->dev);
	gdev->blocked = false;
	group->recovery_cnt--;
	/* Re-attach the retained domain, at its PASID */
	if (group->domain)
		WARN_ON(__iommu_attach(group->domain, &pdev->dev,
				       group->pasid));
out_unlock:
	mutex_unlock(&group->mutex);
}

static void iommu_group_broken_worker(struct work_struct *work)
{
	struct group_device *gdev =
		container_of(work, struct group_device, broken_work);
	struct iommu_group *group = gdev->group;
	struct device *dev = gdev->dev;

	mutex_lock(&group->mutex);
	/* The device may have been removed from IOMMU handling */
	if (!dev_has_iommu(dev))
		goto out_unlock;
	if (gdev->blocked) {
		pr_debug("%s: IOMMU has already quarantined the device\n",
			 dev_name(dev));
		goto out_unlock;
	}
	/*
	 * Quarantine the device completely; a successful reset
	 * (pci_dev_reset_iommu_done(pdev, true)) lifts it.
	 */
	if (!WARN_ON(__iommu_group_block_device(group, gdev)))
		pr_warn("%s: IOMMU has quarantined the device\n",
			dev_name(dev));
out_unlock:
	mutex_unlock(&group->mutex);
}

/**
 * iommu_report_device_broken() - report a broken device to quarantine it
 * @dev: a device that hit an unrecoverable IOMMU error (an ATC invalidation
 *       timeout)
 *
 * Safe from any context: the quarantine (moving the device to the blocking
 * domain) is done by a worker.  The driver must already have contained the
 * fault (disabled ATS in its STEs).
 */
void iommu_report_device_broken(struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;

	if (!group || !dev_has_iommu(dev))
		return;
	schedule_work(&group->gdev.broken_work);
}

bool iommu_device_blocked(struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;
	bool blocked;

	if (!group)
		return false;
	mutex_lock(&group->mutex);
	blocked = group->gdev.blocked;
	mutex_unlock(&group->mutex);
	return blocked;
}
