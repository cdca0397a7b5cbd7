/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: RCU.
 *
 * Grace periods come from liburcu's default flavour (memb, sys_membarrier())
 * through <urcu.h>, as the kernel's tools/testing does.  ThreadSanitizer
 * cannot see liburcu's grace periods, so the tsan build (KHOOKS_RCU_ATOMIC)
 * maps the same names onto a small implementation on __atomic operations
 * (kernel-hooks/shim/rcu-atomic.c) whose grace period TSan does see.
 *
 * Pointer publication is the shim's own in both builds: rcu_assign_pointer()
 * is a release store, rcu_dereference() an acquire load (a consume in the
 * kernel; the acquire is what TSan models).
 *
 * Threads that enter read-side critical sections must call
 * rcu_register_thread() first and rcu_unregister_thread() before they exit
 * (liburcu's rule; kernel threads need no such call).
 */
#pragma once
#include <linux/compiler.h>

#ifdef KHOOKS_RCU_ATOMIC
struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
};

void rcu_register_thread(void);
void rcu_unregister_thread(void);
void rcu_read_lock(void);
void rcu_read_unlock(void);
void synchronize_rcu(void);
void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head));
void rcu_barrier(void);
#else
#ifndef _LGPL_SOURCE
#define _LGPL_SOURCE
#endif
#include <urcu.h>
#undef rcu_dereference
#undef rcu_assign_pointer
#endif

#define rcu_dereference(p)                     \
	(__wmm_access(&(p), __ATOMIC_ACQUIRE), \
	 __atomic_load_n(&(p), __ATOMIC_ACQUIRE))
#define rcu_dereference_raw(p) rcu_dereference(p)
#define rcu_dereference_check(p, c) rcu_dereference(p)
#define rcu_dereference_protected(p, c) READ_ONCE(p)
#define rcu_access_pointer(p) READ_ONCE(p)
#define rcu_assign_pointer(p, v) __store_release(&(p), (v))
#define RCU_INIT_POINTER(p, v) WRITE_ONCE(p, v)
#define rcu_replace_pointer(p, v, c)        \
	(__wmm_rmw(&(p), __ATOMIC_ACQ_REL), \
	 __atomic_exchange_n(&(p), (v), __ATOMIC_ACQ_REL))
