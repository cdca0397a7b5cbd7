/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: struct mutex on pthread_mutex_t */
#pragma once
#include <pthread.h>
#include <linux/compiler.h>

struct mutex {
	pthread_mutex_t m;
};

#define DEFINE_MUTEX(name) struct mutex name = { PTHREAD_MUTEX_INITIALIZER }

static inline void mutex_init(struct mutex *lock)
{
	pthread_mutex_init(&lock->m, NULL);
}

static inline void mutex_destroy(struct mutex *lock)
{
	pthread_mutex_destroy(&lock->m);
}

/*
 * The virtual CPUs of <khooks/vcpu.h> share one thread, which a blocking
 * lock would stop: there a CPU that finds the mutex held waits for its turn
 * until the holder releases it.
 */
static inline void mutex_lock(struct mutex *lock)
{
#ifdef KHOOKS_VCPU
	while (pthread_mutex_trylock(&lock->m))
		__wmm_wait();
#else
	pthread_mutex_lock(&lock->m);
#endif
}

static inline void mutex_unlock(struct mutex *lock)
{
	__wmm_fence();
	pthread_mutex_unlock(&lock->m);
}
