/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: delays, supplied by the platform (see <khooks/platform.h>) */
#pragma once
#include <khooks/platform.h>

#ifdef KHOOKS_WMM /* a delay is a wait for the store buffer of <khooks/wmm.h> */
#include <khooks/wmm.h>
#define ndelay(ns) (khooks_wmm_wait(), ndelay(ns))
#define udelay(us) (khooks_wmm_wait(), udelay(us))
#endif
