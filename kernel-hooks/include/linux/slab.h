/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: kmalloc()/kzalloc()/kfree() and kfree_rcu() with allocation-failure
 * injection and counters.
 *
 * Every object carries a small header (kernel-hooks/shim/slab.c) that holds
 * the rcu_head kfree_rcu() uses, so kfree_rcu() never allocates and never
 * fails; the object's own rcu_head member is type-checked but unused.
 */
#pragma once
#include <linux/overflow.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

#define GFP_KERNEL 0x1u
#define GFP_ATOMIC 0x2u
#define GFP_NOWAIT 0x4u
#define __GFP_NOWARN 0x8u
#define __GFP_ZERO 0x10u

void *kmalloc(size_t size, gfp_t gfp);
void kfree(const void *p);
void __kfree_rcu(const void *p);

static inline void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

static inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kzalloc(size_mul(n, size), gfp);
}

#define kmalloc_array(n, size, gfp) kmalloc(size_mul(n, size), gfp)
#define kfree_rcu(ptr, rhf)              \
	do {                             \
		typeof(ptr) __p = (ptr); \
		(void)&__p->rhf;         \
		__kfree_rcu(__p);        \
	} while (0)

/**
 * struct khooks_slab_stats - allocator counters (all monotonic)
 * @allocs: successful allocations
 * @frees: objects freed (kfree() and completed kfree_rcu())
 * @rcu_queued: objects handed to kfree_rcu()
 * @failed: allocations failed by injection
 */
struct khooks_slab_stats {
	unsigned long allocs;
	unsigned long frees;
	unsigned long rcu_queued;
	unsigned long failed;
};

void khooks_slab_stats(struct khooks_slab_stats *st);
/* Fail the @nth allocation from now (1 = the next one); 0 disarms */
void khooks_slab_fail_nth(unsigned long nth);
