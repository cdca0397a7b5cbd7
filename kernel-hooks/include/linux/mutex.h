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

static inline void mutex_lock(struct mutex *lock)
{
	pthread_mutex_lock(&lock->m);
}

static inline void mutex_unlock(struct mutex *lock)
{
	__wmm_fence();
	pthread_mutex_unlock(&lock->m);
}
