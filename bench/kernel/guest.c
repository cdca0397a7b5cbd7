// SPDX-License-Identifier: GPL-2.0
/*
 * kernel: the guest's PCIe topology and DMA mode, which run.sh builds and
 * the simulated twin copies: each device's requester ID (its SID) and the
 * IOMMU domain it is in.
 *
 * bus: the devices on the root bus (no ATS capability), a domain each.
 * ports: device i behind root port i, on bus i + 1 (SID (i + 1) << 8), a
 * domain each: a root port has ACS, so its device is a group of its own.
 * mf: devices 2k and 2k + 1 are functions 0 and 1 of one multi-function
 * device behind root port k (SIDs (k + 1) << 8 and that + 1): without ACS
 * the functions are one IOMMU group, so they share its default domain.
 * Linux numbers the root ports' buses in slot order, from 1.
 */
#include "kernel/internal.h"

const char *const kernel_topology_names[] = { "auto", "bus", "ports", "mf",
					      NULL };
const char *const kernel_dma_mode_names[] = { "strict", "lazy", NULL };

enum kernel_topology kernel_topology_of(const struct kernel_opts *o)
{
	if (o->topology != KT_AUTO)
		return o->topology;
	return o->ats ? KT_PORTS : KT_BUS;
}

unsigned int kernel_guest_sid(enum kernel_topology t, unsigned int i)
{
	switch (t) {
	case KT_PORTS:
		return (i + 1) << 8;
	case KT_MF:
		return ((i / 2 + 1) << 8) | (i % 2);
	default:
		return i; /* the root bus: no ATS, the SID is not compared */
	}
}

unsigned int kernel_guest_domain(enum kernel_topology t, unsigned int i)
{
	return t == KT_MF ? i / 2 : i;
}
