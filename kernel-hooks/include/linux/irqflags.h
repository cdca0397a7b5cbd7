/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: interrupts do not exist in userspace; the flags are kept for form */
#pragma once

#define local_irq_save(flags) \
	do {                  \
		(flags) = 0;  \
	} while (0)
#define local_irq_restore(flags) \
	do {                     \
		(void)(flags);   \
	} while (0)
#define in_interrupt() 0
#define in_atomic() 0
