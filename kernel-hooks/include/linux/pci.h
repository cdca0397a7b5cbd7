/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: a PCI function with an ATS capability.  The ATS enable bit is state
 * of the simulated device; enabling can be made to fail (seed 004: the
 * PCI core refusing pci_enable_ats()).
 */
#pragma once
#include <linux/bug.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/kernel.h>

struct pci_dev {
	struct device dev;
	bool ats_cap;
	bool ats_enabled;
	/* atcbench: make the next pci_enable_ats() calls fail */
	bool ats_enable_fails;
};

#define to_pci_dev(d) container_of(d, struct pci_dev, dev)

static inline int pci_enable_ats(struct pci_dev *pdev, int ps)
{
	if (!pdev->ats_cap || pdev->ats_enable_fails)
		return -EINVAL;
	if (WARN_ON(pdev->ats_enabled))
		return -EBUSY;
	pdev->ats_enabled = true;
	return 0;
}

static inline void pci_disable_ats(struct pci_dev *pdev)
{
	if (WARN_ON(!pdev->ats_enabled))
		return;
	pdev->ats_enabled = false;
}
