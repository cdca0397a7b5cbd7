/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: 64-bit arithmetic helpers, on the compiler's 128-bit integers */
#pragma once
#include <linux/types.h>

static inline u64 mul_u64_u64_shr(u64 a, u64 mul, unsigned int shift)
{
	return (u64)(((unsigned __int128)a * mul) >> shift);
}

static inline u64 div64_u64(u64 dividend, u64 divisor)
{
	return dividend / divisor;
}
