/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: fls(), __ffs(), ilog2() and friends */
#pragma once
#include <linux/types.h>

static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

static inline unsigned int fls_long(unsigned long x)
{
	return fls64(x);
}

/* Undefined for 0, as in the kernel */
static inline unsigned long __ffs(unsigned long x)
{
	return __builtin_ctzl(x);
}

static inline unsigned long __fls(unsigned long x)
{
	return 63 - __builtin_clzl(x);
}

#define ilog2(n) ((int)__fls((unsigned long)(n)))
#define is_power_of_2(n) ((n) != 0 && (((n) & ((n)-1)) == 0))
#define roundup_pow_of_two(n) \
	((n) <= 1 ? 1UL : 1UL << fls_long((unsigned long)(n)-1))
