/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: struct mutex on pthread_mutex_t */
#pragma once
#include <pthread.h>
#include <stdbool.h>
#include <linux/compiler.h>
#include <khooks/vcpu.h>

struct mutex {
	pthread_mutex_t m;
	bool contended; /* virtual CPUs: a CPU waits for it */
};

#define DEFINE_MUTEX(name) struct mutex name = { PTHREAD_MUTEX_INITIALIZER }

static inline void mutex_init(struct mutex *lock)
{
	pthread_mutex_init(&lock->m, NULL);
	lock->contended = false;
}

static inline void mutex_destroy(struct mutex *lock)
{
	pthread_mutex_destroy(&lock->m);
}

/*
 * The virtual CPUs of <khooks/vcpu.h> share one thread, which a blocking
 * lock would stop: there a CPU that finds the mutex held waits for its turn
 * until the holder releases it.  A holder that releases it while another
 * waits then waits once itself, so the waiter has its turn before the
 * holder can take it again (the kernel's mutex hands off to a waiter that
 * spun long enough: no waiter starves).  Threads block as usual.
 */
static inline void mutex_lock(struct mutex *lock)
{
#ifdef KHOOKS_VCPU
	if (khooks_vcpu_self() != KHOOKS_VCPU_NONE) {
		while (pthread_mutex_trylock(&lock->m)) {
			__atomic_store_n(&lock->contended, true,
					 __ATOMIC_RELAXED);
			__wmm_wait();
		}
		return;
	}
#endif
	pthread_mutex_lock(&lock->m);
}

static inline void mutex_unlock(struct mutex *lock)
{
	__wmm_fence();
	pthread_mutex_unlock(&lock->m);
#ifdef KHOOKS_VCPU
	if (__atomic_load_n(&lock->contended, __ATOMIC_RELAXED) &&
	    khooks_vcpu_self() != KHOOKS_VCPU_NONE) {
		__atomic_store_n(&lock->contended, false, __ATOMIC_RELAXED);
		__wmm_wait();
	}
#endif
}
