/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_mmio: the address map of simulated devices.  The platform's readl()/
 * writel() and the other accessors (sim/platform.c) look the address up here
 * and call the owning device's handlers with the offset into its register
 * window.  An access to an address no device owns aborts.
 *
 * Synchronisation: regions are added and removed while no accessor runs on
 * them (set-up and tear-down); lookups are lock-free (acquire loads of the
 * slot pointers, paired with the release store in sim_mmio_register()).
 */
#ifndef SIM_MMIO_H
#define SIM_MMIO_H

#include <linux/types.h>

#define SIM_MMIO_MAX_REGIONS 64

struct sim_mmio_ops {
	u64 (*read)(void *opaque, size_t offset, unsigned int width);
	void (*write)(void *opaque, size_t offset, u64 val, unsigned int width);
};

int sim_mmio_register(void *base, size_t size, const struct sim_mmio_ops *ops,
		      void *opaque);
void sim_mmio_unregister(void *base);
/* One access of @width bytes (4 or 8) to @addr */
u64 sim_mmio_read(const volatile void *addr, unsigned int width);
void sim_mmio_write(volatile void *addr, u64 val, unsigned int width);

#endif /* SIM_MMIO_H */
