/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: MMIO accessors.  They are the seam to the simulated hardware: the
 * shim only declares them and sim/mmio.c implements them, dispatching each
 * access to the simulated device that owns the address.
 *
 * Ordering: the _relaxed forms are relaxed against normal memory except that
 * writes are release stores (see asm/barrier.h: the dma_wmb() that precedes
 * a PROD write in the driver is then visible to ThreadSanitizer).  readl()
 * is an acquire load, writel() a release store after a full barrier.
 */
#pragma once
#include <linux/types.h>

u32 readl_relaxed(const volatile void __iomem *addr);
void writel_relaxed(u32 val, volatile void __iomem *addr);
u64 readq_relaxed(const volatile void __iomem *addr);
void writeq_relaxed(u64 val, volatile void __iomem *addr);
u32 readl(const volatile void __iomem *addr);
void writel(u32 val, volatile void __iomem *addr);
