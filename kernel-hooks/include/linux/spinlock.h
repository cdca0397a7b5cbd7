/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: spinlock_t and rwlock_t as spinning locks on __atomic operations.
 *
 * Userspace cannot disable preemption, so a waiter yields the CPU after a
 * bounded number of spins (khooks_spin_backoff()): on an oversubscribed
 * machine a preempted holder then costs a time slice, not a livelock.
 *
 * rwlock_t: bit 31 = writer holds, bit 30 = writer waiting (stops new
 * readers, as the kernel's queued rwlock does), bits 29..0 = readers.
 * Acquisitions are acquire operations, releases are release operations.
 */
#pragma once
#include <linux/atomic.h>
#include <linux/irqflags.h>

typedef struct {
	u32 locked;
} spinlock_t;

typedef struct {
	u32 cnts;
} rwlock_t;

#define __SPIN_LOCK_UNLOCKED(name) \
	{                          \
		0                  \
	}
#define DEFINE_SPINLOCK(x) spinlock_t x = __SPIN_LOCK_UNLOCKED(x)
#define _QW_LOCKED (1U << 31)
#define _QW_WAITING (1U << 30)

#ifdef KHOOKS_VCPU
#include <khooks/vcpu.h>
/*
 * On a time-ordered virtual CPU (atcbench scale) a spinlock's word is a
 * cache line like any other: each access is an interleaving point the cost
 * model charges, and a waiter wakes when the word is written.  Elsewhere
 * (the race finder, stress on virtual CPUs) a spinlock's accesses are no
 * points and only its waits are, as every recorded seed was found so.
 */
static inline void __spin_access(enum khooks_vcpu_op op, const u32 *p)
{
	if (khooks_vcpu_timed())
		khooks_vcpu_access(op, p, sizeof(*p));
}
#else
#define __spin_access(op, p) ((void)0)
#endif

static inline void spin_lock_init(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELAXED);
}

static inline bool spin_trylock(spinlock_t *lock)
{
	__spin_access(KHOOKS_VCPU_RMW, &lock->locked);
	return !__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_lock(spinlock_t *lock)
{
	unsigned int spins = 0;

	while (!spin_trylock(lock)) {
		for (;;) {
			__spin_access(KHOOKS_VCPU_LOAD, &lock->locked);
			if (!__atomic_load_n(&lock->locked, __ATOMIC_RELAXED))
				break;
			khooks_spin_backoff(&spins);
		}
	}
}

static inline void spin_unlock(spinlock_t *lock)
{
	__wmm_fence();
	__spin_access(KHOOKS_VCPU_STORE, &lock->locked);
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

#define spin_lock_irqsave(l, flags)    \
	do {                           \
		local_irq_save(flags); \
		spin_lock(l);          \
	} while (0)
#define spin_unlock_irqrestore(l, flags)  \
	do {                              \
		spin_unlock(l);           \
		local_irq_restore(flags); \
	} while (0)

static inline void rwlock_init(rwlock_t *lock)
{
	__atomic_store_n(&lock->cnts, 0, __ATOMIC_RELAXED);
}

static inline void read_lock(rwlock_t *lock)
{
	unsigned int spins = 0;
	u32 v = __atomic_load_n(&lock->cnts, __ATOMIC_RELAXED);

	for (;;) {
		if (!(v & (_QW_LOCKED | _QW_WAITING))) {
			if (__atomic_compare_exchange_n(&lock->cnts, &v, v + 1,
							true, __ATOMIC_ACQUIRE,
							__ATOMIC_RELAXED))
				return;
			continue;
		}
		khooks_spin_backoff(&spins);
		v = __atomic_load_n(&lock->cnts, __ATOMIC_RELAXED);
	}
}

static inline void read_unlock(rwlock_t *lock)
{
	__wmm_fence();
	__atomic_fetch_sub(&lock->cnts, 1, __ATOMIC_RELEASE);
}

static inline void write_lock(rwlock_t *lock)
{
	unsigned int spins = 0;
	u32 v = __atomic_load_n(&lock->cnts, __ATOMIC_RELAXED);

	for (;;) {
		if ((v & ~_QW_WAITING) == 0) {
			if (__atomic_compare_exchange_n(
				    &lock->cnts, &v, _QW_LOCKED, true,
				    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
				return;
			continue;
		}
		if (!(v & _QW_WAITING))
			__atomic_fetch_or(&lock->cnts, _QW_WAITING,
					  __ATOMIC_RELAXED);
		khooks_spin_backoff(&spins);
		v = __atomic_load_n(&lock->cnts, __ATOMIC_RELAXED);
	}
}

static inline void write_unlock(rwlock_t *lock)
{
	__wmm_fence();
	__atomic_store_n(&lock->cnts, 0, __ATOMIC_RELEASE);
}

#define read_lock_irqsave(l, flags)    \
	do {                           \
		local_irq_save(flags); \
		read_lock(l);          \
	} while (0)
#define read_unlock_irqrestore(l, flags)  \
	do {                              \
		read_unlock(l);           \
		local_irq_restore(flags); \
	} while (0)
#define write_lock_irqsave(l, flags)   \
	do {                           \
		local_irq_save(flags); \
		write_lock(l);         \
	} while (0)
#define write_unlock_irqrestore(l, flags) \
	do {                              \
		write_unlock(l);          \
		local_irq_restore(flags); \
	} while (0)
