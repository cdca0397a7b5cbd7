/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_irq: interrupt lines between simulated devices and the kernel-form
 * handlers registered with request_irq().
 *
 * sim_irq_raise() runs the handler in the raising thread, as an interrupt
 * taken on that CPU would.  A raise while the handler runs (on any thread,
 * including from inside the handler) is latched and the handler runs again
 * once it returns; the handler never runs concurrently with itself.
 */
#ifndef SIM_IRQ_H
#define SIM_IRQ_H

#include <linux/interrupt.h>

#define SIM_IRQ_MAX 64

/* A free line number (1..SIM_IRQ_MAX-1), or -ENOSPC */
int sim_irq_alloc(void);
void sim_irq_release(int irq);
void sim_irq_raise(int irq);
/* request_irq()/free_irq() of the platform: -EINVAL, -EBUSY or 0 */
int sim_irq_request(unsigned int irq, irq_handler_t handler, void *dev_id);
void sim_irq_free(unsigned int irq, void *dev_id);
/* Handler runs so far on @irq */
unsigned long sim_irq_count(int irq);

#endif /* SIM_IRQ_H */
