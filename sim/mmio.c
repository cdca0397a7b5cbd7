// SPDX-License-Identifier: GPL-2.0
/* sim_mmio: the address map of simulated devices (see mmio.h) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/kernel.h>

#include "mmio.h"

struct sim_mmio_region *sim_mmio_regions[SIM_MMIO_MAX_REGIONS];

int sim_mmio_register(void *base, size_t size, const struct sim_mmio_ops *ops,
		      void *opaque)
{
	struct sim_mmio_region *r;
	unsigned int i;

	for (i = 0; i < SIM_MMIO_MAX_REGIONS; i++)
		if (!READ_ONCE(sim_mmio_regions[i]))
			break;
	if (i == SIM_MMIO_MAX_REGIONS)
		return -ENOSPC;

	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->base = (uintptr_t)base;
	r->size = size;
	r->ops = ops;
	r->opaque = opaque;
	__atomic_store_n(&sim_mmio_regions[i], r, __ATOMIC_RELEASE);
	return 0;
}

void sim_mmio_unregister(void *base)
{
	unsigned int i;

	for (i = 0; i < SIM_MMIO_MAX_REGIONS; i++) {
		struct sim_mmio_region *r = READ_ONCE(sim_mmio_regions[i]);

		if (r && r->base == (uintptr_t)base) {
			WRITE_ONCE(sim_mmio_regions[i], NULL);
			free(r);
			return;
		}
	}
}

void sim_mmio_unmapped(const volatile void *addr)
{
	/* An access to no device is a bug in the caller: stop here */
	fprintf(stderr, "sim_mmio: access to unmapped address %p\n",
		(const void *)addr);
	abort();
}
