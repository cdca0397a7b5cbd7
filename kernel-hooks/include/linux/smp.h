/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: the running CPU.  On a virtual CPU of <khooks/vcpu.h> its number;
 * on a host thread, the host CPU it runs on now (sched_getcpu()), which may
 * change at once, as raw_smp_processor_id()'s answer may with preemption
 * enabled: a caller must be correct on any CPU's resources.
 */
#pragma once
#include <sched.h>
#include <khooks/vcpu.h>

static inline unsigned int raw_smp_processor_id(void)
{
	unsigned int cpu = khooks_vcpu_self();
	int host;

	if (cpu != KHOOKS_VCPU_NONE)
		return cpu;
	host = sched_getcpu();
	return host < 0 ? 0 : host;
}
