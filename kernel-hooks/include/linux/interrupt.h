/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: interrupt lines.  request_irq()/free_irq() are declared here and
 * implemented by the simulation (sim/irq.c), which calls the handler when a
 * simulated device raises the line; a handler never runs concurrently with
 * itself, as in the kernel.
 */
#pragma once
#include <linux/types.h>

typedef enum irqreturn {
	IRQ_NONE = 0,
	IRQ_HANDLED = 1,
	IRQ_WAKE_THREAD = 2,
} irqreturn_t;

typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

#define IRQF_SHARED 0x00000080
#define IRQF_ONESHOT 0x00002000

int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
		const char *name, void *dev_id);
void free_irq(unsigned int irq, void *dev_id);
