/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: min()/max()/min3()/max3()/clamp()/cmp_int() */
#pragma once

#define min(a, b)                   \
	({                          \
		typeof(a) _a = (a); \
		typeof(b) _b = (b); \
		_a < _b ? _a : _b;  \
	})
#define max(a, b)                   \
	({                          \
		typeof(a) _a = (a); \
		typeof(b) _b = (b); \
		_a > _b ? _a : _b;  \
	})
#define min3(a, b, c) min(min(a, b), c)
#define max3(a, b, c) max(max(a, b), c)
#define min_t(t, a, b) min((t)(a), (t)(b))
#define max_t(t, a, b) max((t)(a), (t)(b))
#define clamp(v, lo, hi) min(max(v, lo), hi)
#define cmp_int(l, r) (((l) > (r)) - ((l) < (r)))
#define clamp_t(t, val, lo, hi) min_t(t, max_t(t, val, lo), hi)
