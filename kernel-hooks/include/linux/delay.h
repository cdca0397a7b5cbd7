/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: delays, implemented by the simulation's clock (sim/clock.c) */
#pragma once

void ndelay(unsigned long nsecs);
void udelay(unsigned long usecs);
