// SPDX-License-Identifier: GPL-2.0
/*
 * The simulator as the platform of the kernel-form code: every function
 * <khooks/platform.h> asks for, in one place, each handing over to the part
 * of sim/ that models it.  Linked into executables only (CMake's
 * sim_platform object library), so that the khooks library needs nothing
 * from sim/.
 */
#include <linux/kernel.h>
#include <linux/ktime.h>

#include "clock.h"
#include "irq.h"
#include "mmio.h"

u32 readl_relaxed(const volatile void __iomem *addr)
{
	return sim_mmio_read(addr, 4);
}

void writel_relaxed(u32 val, volatile void __iomem *addr)
{
	sim_mmio_write(addr, val, 4);
}

u64 readq_relaxed(const volatile void __iomem *addr)
{
	return sim_mmio_read(addr, 8);
}

void writeq_relaxed(u64 val, volatile void __iomem *addr)
{
	sim_mmio_write(addr, val, 8);
}

u32 readl(const volatile void __iomem *addr)
{
	u32 val = sim_mmio_read(addr, 4);

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return val;
}

void writel(u32 val, volatile void __iomem *addr)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	sim_mmio_write(addr, val, 4);
}

ktime_t ktime_get(void)
{
	return (ktime_t)sim_clock_ktime_ns();
}

/* The simulation's time, without running the hardware's pollers */
u64 local_clock(void)
{
	return sim_clock_now_ns();
}

void ndelay(unsigned long nsecs)
{
	sim_clock_kernel_delay_ns(nsecs);
}

void udelay(unsigned long usecs)
{
	sim_clock_kernel_delay_ns((u64)usecs * NSEC_PER_USEC);
}

int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
		const char *name, void *dev_id)
{
	return sim_irq_request(irq, handler, dev_id);
}

void free_irq(unsigned int irq, void *dev_id)
{
	sim_irq_free(irq, dev_id);
}
