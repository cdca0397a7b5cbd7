/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The platform seam: everything the kernel-form code needs from the
 * machine under it, in one list.  kernel-hooks/ only declares these; a
 * platform defines every one of them, and is linked into executables only
 * (never into the khooks library), so that ring 1 depends on no ring above
 * it.  atcbench's platform is the simulator's: sim/platform.c.
 *
 * The shim headers of the kernel's API (<linux/io.h>, <linux/ktime.h>,
 * <linux/delay.h>, <linux/interrupt.h>, <linux/sched/clock.h>) include this
 * header for their part of it.
 */
#ifndef KHOOKS_PLATFORM_H
#define KHOOKS_PLATFORM_H

#include <linux/types.h>

/*
 * MMIO.  The _relaxed forms are relaxed against normal memory except that
 * writes are release stores (see asm/barrier.h: the dma_wmb() that precedes
 * a PROD write in the driver is then visible to ThreadSanitizer).  readl()
 * orders after it everything that follows; writel() orders before it
 * everything that precedes it, as the kernel's do.
 */
u32 readl_relaxed(const volatile void __iomem *addr);
void writel_relaxed(u32 val, volatile void __iomem *addr);
u64 readq_relaxed(const volatile void __iomem *addr);
void writeq_relaxed(u64 val, volatile void __iomem *addr);
u32 readl(const volatile void __iomem *addr);
void writel(u32 val, volatile void __iomem *addr);

/*
 * Time.  ktime_get() is the clock of timeouts: it may also let time-driven
 * hardware make progress.  local_clock() is the cheap clock of tracing and
 * moves nothing.  The delays may end early where time is simulated and an
 * event is due (the delay is then spent waiting for it).
 */
typedef s64 ktime_t;

ktime_t ktime_get(void);
u64 local_clock(void);
void ndelay(unsigned long nsecs);
void udelay(unsigned long usecs);

/*
 * Interrupt lines.  The platform calls a registered handler when its device
 * raises the line, never concurrently with itself.
 */
typedef enum irqreturn {
	IRQ_NONE = 0,
	IRQ_HANDLED = 1,
	IRQ_WAKE_THREAD = 2,
} irqreturn_t;

typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
		const char *name, void *dev_id);
void free_irq(unsigned int irq, void *dev_id);

/*
 * Waiting.  Where time is simulated, the platform sets khooks_wait_event
 * (see khooks_cond_wait() in <linux/atomic.h>): it moves the clock on to the
 * next event, at most one event-stream period, and returns true, as a WFE
 * on arm64 ends at an event or the stream's tick.  NULL in real time.
 * khooks_wait_event is defined by kernel-hooks (the platform assigns it).
 */
extern bool (*khooks_wait_event)(void);

#endif /* KHOOKS_PLATFORM_H */
