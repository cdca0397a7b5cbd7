/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: kernel time.  ktime_get() is supplied by the platform (see
 * <khooks/platform.h>); the arithmetic is here.
 */
#pragma once
#include <khooks/platform.h>

#define NSEC_PER_USEC 1000L
#define NSEC_PER_MSEC 1000000L
#define NSEC_PER_SEC 1000000000L
#define USEC_PER_SEC 1000000L

ktime_t ktime_get(void);

static inline ktime_t ktime_add_us(ktime_t kt, u64 usec)
{
	return kt + (ktime_t)(usec * NSEC_PER_USEC);
}

static inline ktime_t ktime_add_ns(ktime_t kt, u64 nsec)
{
	return kt + (ktime_t)nsec;
}

static inline int ktime_compare(ktime_t a, ktime_t b)
{
	return (a > b) - (a < b);
}

static inline bool ktime_after(ktime_t a, ktime_t b)
{
	return a > b;
}

static inline s64 ktime_to_ns(ktime_t kt)
{
	return kt;
}
