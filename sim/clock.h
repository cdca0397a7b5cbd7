/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_clock: the time the kernel-form code sees through ktime_get(),
 * udelay() and ndelay().  This is the real clock (CLOCK_MONOTONIC); delays
 * spin on it, as the kernel's do.
 */
#ifndef SIM_CLOCK_H
#define SIM_CLOCK_H

#include <linux/types.h>

/* Monotonic nanoseconds */
u64 sim_clock_now_ns(void);

#endif /* SIM_CLOCK_H */
