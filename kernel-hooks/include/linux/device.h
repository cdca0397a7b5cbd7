/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: the part of struct device the IOMMU code uses */
#pragma once
#include <linux/types.h>

struct iommu_group;

/* Per-device IOMMU data: the driver's private pointer */
struct dev_iommu {
	void *priv;
};

struct device {
	const char *init_name;
	struct iommu_group *iommu_group;
	struct dev_iommu *iommu;
};

static inline const char *dev_name(const struct device *dev)
{
	return dev->init_name;
}

static inline void *dev_iommu_priv_get(struct device *dev)
{
	return dev->iommu ? dev->iommu->priv : NULL;
}

static inline bool dev_has_iommu(struct device *dev)
{
	return dev->iommu;
}
