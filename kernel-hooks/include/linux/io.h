/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: MMIO accessors, supplied by the platform (see <khooks/platform.h>
 * for their ordering).
 */
#pragma once
#include <khooks/platform.h>

#ifdef KHOOKS_WMM /* the store buffer of <khooks/wmm.h> */
#include <khooks/wmm.h>
#define writel_relaxed(v, a) khooks_wmm_mmio_write((a), (u32)(v), 4)
#define writeq_relaxed(v, a) khooks_wmm_mmio_write((a), (u64)(v), 8)
#define writel(v, a) (khooks_wmm_fence(), writel(v, a))
#define readl_relaxed(a) (khooks_wmm_mmio_read(), readl_relaxed(a))
#define readq_relaxed(a) (khooks_wmm_mmio_read(), readq_relaxed(a))
#define readl(a) (khooks_wmm_mmio_read(), readl(a))
#endif
