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

/*
 * The accessors' path, inline: every MMIO access of the driver runs it, and
 * the micro benchmarks count its instructions.
 */
struct sim_mmio_region {
	uintptr_t base;
	size_t size;
	const struct sim_mmio_ops *ops;
	void *opaque;
};

extern struct sim_mmio_region *sim_mmio_regions[SIM_MMIO_MAX_REGIONS];
void sim_mmio_unmapped(const volatile void *addr) __attribute__((noreturn));

static inline struct sim_mmio_region *sim_mmio_find(const volatile void *addr,
						    size_t *offset)
{
	uintptr_t a = (uintptr_t)addr;
	unsigned int i;

	for (i = 0; i < SIM_MMIO_MAX_REGIONS; i++) {
		struct sim_mmio_region *r =
			__atomic_load_n(&sim_mmio_regions[i], __ATOMIC_ACQUIRE);

		/*
		 * One unsigned test (below the base wraps around): the same
		 * instructions whatever the order of the regions' addresses,
		 * so instruction counts do not follow the heap's layout
		 */
		if (r && a - r->base < r->size) {
			*offset = a - r->base;
			return r;
		}
	}
	sim_mmio_unmapped(addr);
}

/* One access of @width bytes (4 or 8) to @addr */
static inline u64 sim_mmio_read(const volatile void *addr, unsigned int width)
{
	size_t off;
	struct sim_mmio_region *r = sim_mmio_find(addr, &off);

	return r->ops->read(r->opaque, off, width);
}

static inline void sim_mmio_write(volatile void *addr, u64 val,
				  unsigned int width)
{
	size_t off;
	struct sim_mmio_region *r = sim_mmio_find(addr, &off);

	r->ops->write(r->opaque, off, val, width);
}

#endif /* SIM_MMIO_H */
