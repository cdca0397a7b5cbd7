/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: memory barriers on __atomic fences.
 *
 * dma_wmb()/dma_rmb() order normal memory against memory the simulated SMMU
 * reads; the simulated SMMU runs on CPU threads, so they are release/acquire
 * fences.  ThreadSanitizer does not model stand-alone fences: everywhere a
 * fence publishes data to another thread, the shims also make the publishing
 * store a release (writel(), rcu_assign_pointer(), smp_store_release()), so
 * TSan sees the same happens-before edge the fence provides.
 */
#pragma once
#include <linux/compiler.h>

#define mb() (__wmm_fence(), __atomic_thread_fence(__ATOMIC_SEQ_CST))
#define rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define wmb() (__wmm_fence(), __atomic_thread_fence(__ATOMIC_RELEASE))
#define smp_mb() mb()
#define smp_rmb() rmb()
#define smp_wmb() wmb()
#define dma_wmb() wmb()
#define dma_rmb() rmb()
#define smp_mb__before_atomic() smp_mb()
#define smp_mb__after_atomic() smp_mb()

#define smp_store_release(p, v) __store_release(p, v)
#define smp_load_acquire(p)                 \
	(__wmm_access(p, __ATOMIC_ACQUIRE), \
	 __atomic_load_n(p, __ATOMIC_ACQUIRE))

static inline void cpu_relax(void)
{
	__wmm_wait();
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}
