/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: local_clock(), the cheap per-CPU clock of tracing.  Implemented by
 * sim/clock.c: the simulation's time, without running the hardware pollers
 * that ktime_get() runs.
 */
#pragma once
#include <linux/types.h>

u64 local_clock(void);
