// SPDX-License-Identifier: GPL-2.0
/* sim_irq: interrupt lines (see irq.h) */
#include <errno.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>

#include "irq.h"

struct sim_irq_line {
	bool used;
	irq_handler_t handler;
	void *dev_id;
	bool pending;
	bool running;
	unsigned long count;
};

static struct sim_irq_line sim_irq_lines[SIM_IRQ_MAX];

int sim_irq_alloc(void)
{
	int irq;

	for (irq = 1; irq < SIM_IRQ_MAX; irq++)
		if (!__atomic_exchange_n(&sim_irq_lines[irq].used, true,
					 __ATOMIC_ACQ_REL)) {
			__atomic_store_n(&sim_irq_lines[irq].count, 0,
					 __ATOMIC_RELAXED);
			return irq;
		}
	return -ENOSPC;
}

void sim_irq_release(int irq)
{
	if (irq > 0 && irq < SIM_IRQ_MAX)
		__atomic_store_n(&sim_irq_lines[irq].used, false,
				 __ATOMIC_RELEASE);
}

int sim_irq_request(unsigned int irq, irq_handler_t handler, void *dev_id)
{
	struct sim_irq_line *line;

	if (!irq || irq >= SIM_IRQ_MAX)
		return -EINVAL;
	line = &sim_irq_lines[irq];
	if (line->handler)
		return -EBUSY;
	line->dev_id = dev_id;
	__atomic_store_n(&line->handler, handler, __ATOMIC_RELEASE);
	return 0;
}

void sim_irq_free(unsigned int irq, void *dev_id)
{
	if (irq && irq < SIM_IRQ_MAX && sim_irq_lines[irq].dev_id == dev_id)
		__atomic_store_n(&sim_irq_lines[irq].handler, NULL,
				 __ATOMIC_RELEASE);
}

void sim_irq_raise(int irq)
{
	struct sim_irq_line *line = &sim_irq_lines[irq];

	__atomic_store_n(&line->pending, true, __ATOMIC_RELEASE);
	/* Whoever holds "running" runs the handler until nothing is pending */
	while (__atomic_load_n(&line->pending, __ATOMIC_ACQUIRE) &&
	       !__atomic_exchange_n(&line->running, true, __ATOMIC_ACQUIRE)) {
		while (__atomic_exchange_n(&line->pending, false,
					   __ATOMIC_ACQ_REL)) {
			irq_handler_t handler = __atomic_load_n(
				&line->handler, __ATOMIC_ACQUIRE);

			if (handler)
				handler(irq, line->dev_id);
			__atomic_store_n(&line->count, line->count + 1,
					 __ATOMIC_RELAXED);
		}
		__atomic_store_n(&line->running, false, __ATOMIC_RELEASE);
	}
}

unsigned long sim_irq_count(int irq)
{
	return __atomic_load_n(&sim_irq_lines[irq].count, __ATOMIC_RELAXED);
}
