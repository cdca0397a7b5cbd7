/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: coherent DMA memory.  The simulated SMMU shares the address space,
 * so the DMA address is the virtual address, aligned to the allocation's
 * power-of-two size (what the SMMU requires of a queue base).
 */
#pragma once
#include <linux/types.h>

struct device;

void *dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t *handle,
			 gfp_t gfp);
void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr,
		       dma_addr_t handle);
