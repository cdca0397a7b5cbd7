/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: compiler helpers and READ_ONCE()/WRITE_ONCE().
 *
 * READ_ONCE()/WRITE_ONCE() are relaxed __atomic accesses, not volatile ones:
 * they compile to the same single loads and stores, and ThreadSanitizer
 * understands them.  Only scalar objects of 1, 2, 4 or 8 bytes may be used.
 */
#pragma once

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#ifndef __always_inline /* glibc's <sys/cdefs.h> defines it too */
#define __always_inline inline __attribute__((__always_inline__))
#endif
#define noinline __attribute__((__noinline__))
#define __must_check __attribute__((__warn_unused_result__))
#define __maybe_unused __attribute__((__unused__))
#define __aligned(x) __attribute__((__aligned__(x)))
#define __packed __attribute__((__packed__))
#define __counted_by(member)
#define fallthrough __attribute__((__fallthrough__))
#define barrier() __asm__ __volatile__("" ::: "memory")

#define SMP_CACHE_BYTES 64
#define ____cacheline_aligned __aligned(SMP_CACHE_BYTES)
#define ____cacheline_aligned_in_smp ____cacheline_aligned

/*
 * The khooks_wmm build's store buffer (see <khooks/wmm.h>), told of an
 * access of order @order to *@p (a load, or with __wmm_rmw() a
 * read-modify-write that returns the old value), of a barrier, of a wait;
 * nothing otherwise.
 * __store_release(): a release store, which there waits in the buffer too.
 */
#ifdef KHOOKS_WMM
#include <khooks/wmm.h>
#define __wmm_access(p, order) khooks_wmm_access((p), sizeof(*(p)), (order))
#define __wmm_rmw(p, order) \
	khooks_wmm_access((p), sizeof(*(p)), (order) | KHOOKS_WMM_RMW)
#define __wmm_fence() khooks_wmm_fence()
#define __wmm_wait() khooks_wmm_wait()
#define WRITE_ONCE(x, val)                                     \
	({                                                     \
		typeof(x) __wmm_val = (val);                   \
		khooks_wmm_store(&(x), &__wmm_val, sizeof(x)); \
	})
#define __store_release(p, v)                                    \
	({                                                       \
		typeof(*(p)) __wmm_val = (v);                    \
		khooks_wmm_fence();                              \
		khooks_wmm_store((p), &__wmm_val, sizeof(*(p))); \
	})
#else
#define __wmm_access(p, order) ((void)0)
#define __wmm_rmw(p, order) ((void)0)
#define __wmm_fence() ((void)0)
#define __wmm_wait() ((void)0)
#define WRITE_ONCE(x, val) __atomic_store_n(&(x), (val), __ATOMIC_RELAXED)
#define __store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#endif

#define READ_ONCE(x)                           \
	(__wmm_access(&(x), __ATOMIC_RELAXED), \
	 __atomic_load_n(&(x), __ATOMIC_RELAXED))

#define __same_type(a, b) __builtin_types_compatible_p(typeof(a), typeof(b))
#define BUILD_BUG_ON(cond) _Static_assert(!(cond), "BUILD_BUG_ON: " #cond)
