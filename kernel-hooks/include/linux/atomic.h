/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: atomic_t, atomic_long_t and the cmpxchg family on __atomic builtins.
 *
 * Ordering follows the kernel: the plain forms of value-returning RMW
 * operations are fully ordered, _relaxed/_acquire/_release are what they say,
 * and non-value-returning operations (atomic_inc()) are relaxed.
 */
#pragma once
#include <asm/barrier.h>
#include <linux/compiler.h>
#include <linux/types.h>
#include <khooks/platform.h>

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	long counter;
} atomic_long_t;

#define ATOMIC_INIT(i) \
	{              \
		(i)    \
	}

#define __A_RELAXED __ATOMIC_RELAXED
#define __A_SC __ATOMIC_SEQ_CST

/* A load (__atomic_op) or a value-returning RMW of order @o on @v */
#define __atomic_op(v, o, op) (__wmm_access(&(v)->counter, (o)), (op))
#define __atomic_rmw(v, o, op) (__wmm_rmw(&(v)->counter, (o)), (op))

#define atomic_read(v) \
	__atomic_op(v, __A_RELAXED, __atomic_load_n(&(v)->counter, __A_RELAXED))
#define atomic_read_acquire(v)           \
	__atomic_op(v, __ATOMIC_ACQUIRE, \
		    __atomic_load_n(&(v)->counter, __ATOMIC_ACQUIRE))
#define atomic_set(v, i) WRITE_ONCE((v)->counter, (i))
#define atomic_set_release(v, i) __store_release(&(v)->counter, (i))
/* The RMW operations that return nothing: unordered */
#ifdef KHOOKS_WMM
#define __atomic_nr(v, op, fetch, i)                                         \
	khooks_wmm_rmw(&(v)->counter, sizeof((v)->counter), KHOOKS_WMM_##op, \
		       (i))
#else
#define __atomic_nr(v, op, fetch, i) \
	((void)fetch(&(v)->counter, (i), __A_RELAXED))
#endif
#define atomic_inc(v) __atomic_nr(v, ADD, __atomic_fetch_add, 1)
#define atomic_dec(v) __atomic_nr(v, SUB, __atomic_fetch_sub, 1)
#define atomic_add(i, v) __atomic_nr(v, ADD, __atomic_fetch_add, (i))
#define atomic_sub(i, v) __atomic_nr(v, SUB, __atomic_fetch_sub, (i))
#define atomic_inc_return(v) \
	__atomic_rmw(v, __A_SC, __atomic_add_fetch(&(v)->counter, 1, __A_SC))
#define atomic_dec_return(v) \
	__atomic_rmw(v, __A_SC, __atomic_sub_fetch(&(v)->counter, 1, __A_SC))
#define atomic_dec_return_release(v)      \
	__atomic_rmw(v, __ATOMIC_RELEASE, \
		     __atomic_sub_fetch(&(v)->counter, 1, __ATOMIC_RELEASE))
#define atomic_fetch_inc_relaxed(v)  \
	__atomic_rmw(v, __A_RELAXED, \
		     __atomic_fetch_add(&(v)->counter, 1, __A_RELAXED))
#define atomic_fetch_andnot_relaxed(i, v) \
	__atomic_rmw(v, __A_RELAXED,      \
		     __atomic_fetch_and(&(v)->counter, ~(i), __A_RELAXED))
#define atomic_fetch_andnot_release(i, v)                    \
	__atomic_rmw(v, __ATOMIC_RELEASE,                    \
		     __atomic_fetch_and(&(v)->counter, ~(i), \
					__ATOMIC_RELEASE))
#define atomic_fetch_or(i, v) \
	__atomic_rmw(v, __A_SC, __atomic_fetch_or(&(v)->counter, (i), __A_SC))
#define atomic_dec_and_test(v) (atomic_dec_return(v) == 0)

#define atomic_long_read(v) atomic_read(v)
#define atomic_long_set(v, i) atomic_set(v, i)
#define atomic_long_xor(i, v) __atomic_nr(v, XOR, __atomic_fetch_xor, (i))
#define atomic_long_inc(v) atomic_inc(v)
#define atomic_long_add(i, v) atomic_add(i, v)
#define atomic_long_add_return(i, v) \
	__atomic_rmw(v, __A_SC, __atomic_add_fetch(&(v)->counter, (i), __A_SC))

#define __cmpxchg_order(ptr, old, new, order)                                 \
	({                                                                    \
		typeof(*(ptr)) __old = (old);                                 \
		__wmm_rmw(ptr, order);                                        \
		__atomic_compare_exchange_n(ptr, &__old, (new), false, order, \
					    __A_RELAXED);                     \
		__old;                                                        \
	})
#define cmpxchg(ptr, old, new) __cmpxchg_order(ptr, old, new, __A_SC)
#define cmpxchg_relaxed(ptr, old, new) \
	__cmpxchg_order(ptr, old, new, __A_RELAXED)
#define xchg(ptr, v) \
	(__wmm_rmw(ptr, __A_SC), __atomic_exchange_n(ptr, v, __A_SC))
#define atomic_cmpxchg(v, old, new) cmpxchg(&(v)->counter, old, new)
#define atomic_cmpxchg_relaxed(v, old, new) \
	cmpxchg_relaxed(&(v)->counter, old, new)

/*
 * smp_cond_load_*() spin until COND (which names the loaded value VAL) holds
 * and return the last value.  Waiting spins with cpu_relax() and, since a
 * userspace thread can be preempted while the one it waits for runs, yields
 * the CPU after a while.
 *
 * Where time is simulated, the platform sets khooks_wait_event (see
 * <khooks/platform.h>).  arm64 waits here with WFE, if the location still
 * holds VAL (__cmpwait_relaxed()), until it changes or the event stream
 * ticks; the platform does the same by moving its clock on to its next event
 * rather than spinning while time stands still.
 */
void khooks_spin_backoff(unsigned int *spins);

static inline void khooks_cond_wait(unsigned int *spins)
{
	bool (*wait)(void) = khooks_wait_event;

	__wmm_wait(); /* a spin is a wait, even where the platform's is not */
	if (!wait || !wait())
		khooks_spin_backoff(spins);
}

#define __smp_cond_load(ptr, cond_expr, order)                        \
	({                                                            \
		typeof(*(ptr)) VAL;                                   \
		unsigned int __spins = 0;                             \
		for (;;) {                                            \
			__wmm_access(ptr, order);                     \
			VAL = __atomic_load_n(ptr, order);            \
			if (cond_expr)                                \
				break;                                \
			if (__atomic_load_n(ptr, __A_RELAXED) == VAL) \
				khooks_cond_wait(&__spins);           \
		}                                                     \
		VAL;                                                  \
	})
#define smp_cond_load_relaxed(ptr, cond_expr) \
	__smp_cond_load(ptr, cond_expr, __A_RELAXED)
#define smp_cond_load_acquire(ptr, cond_expr) \
	__smp_cond_load(ptr, cond_expr, __ATOMIC_ACQUIRE)
#define atomic_cond_read_relaxed(v, c) smp_cond_load_relaxed(&(v)->counter, (c))
#define atomic_cond_read_acquire(v, c) smp_cond_load_acquire(&(v)->counter, (c))
#define atomic_long_cond_read_relaxed(v, c) \
	smp_cond_load_relaxed(&(v)->counter, (c))
#define atomic_long_cond_read_acquire(v, c) \
	smp_cond_load_acquire(&(v)->counter, (c))
#define atomic_long_set_release(v, i) __store_release(&(v)->counter, (i))
#define atomic_long_fetch_add_relaxed(i, v) \
	__atomic_rmw(v, __A_RELAXED,        \
		     __atomic_fetch_add(&(v)->counter, (i), __A_RELAXED))
