// SPDX-License-Identifier: GPL-2.0
/* sim_clock: ktime_get() and the delays on CLOCK_MONOTONIC (see clock.h) */
#include <time.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <asm/barrier.h>

#include "clock.h"

u64 sim_clock_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

ktime_t ktime_get(void)
{
	return (ktime_t)sim_clock_now_ns();
}

void ndelay(unsigned long nsecs)
{
	u64 deadline = sim_clock_now_ns() + nsecs;

	while (sim_clock_now_ns() < deadline)
		cpu_relax();
}

void udelay(unsigned long usecs)
{
	ndelay(usecs * NSEC_PER_USEC);
}
