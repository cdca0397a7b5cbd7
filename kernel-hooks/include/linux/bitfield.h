/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: FIELD_PREP()/FIELD_GET() for constant masks */
#pragma once
#include <linux/bits.h>

#define __bf_shf(x) __builtin_ctzll(x)
#define FIELD_PREP(mask, val) \
	((typeof(mask))(((typeof(mask))(val) << __bf_shf(mask)) & (mask)))
#define FIELD_GET(mask, reg) \
	((typeof(mask))(((reg) & (mask)) >> __bf_shf(mask)))
