// SPDX-License-Identifier: GPL-2.0
/*
 * kmalloc()/kfree()/kfree_rcu() with failure injection (see <linux/slab.h>).
 *
 * Layout: [struct khooks_obj header][object].  The header keeps the size, a
 * magic word that catches frees of foreign pointers, and the rcu_head that
 * kfree_rcu() queues, so kfree_rcu() cannot fail.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/dma-mapping.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <khooks/wmm.h>

#define KHOOKS_OBJ_MAGIC 0x6b6d6f62u /* "kmob" */
#define KHOOKS_OBJ_FREED 0x64656164u /* "dead" */

struct khooks_obj {
	struct rcu_head rcu;
	size_t size;
	u32 magic;
	u32 pad;
} ____cacheline_aligned; /* objects are cache-line aligned, as kmalloc's */

static struct khooks_slab_stats khooks_stats;
static unsigned long khooks_fail_countdown;

static struct khooks_obj *khooks_obj_of(const void *p)
{
	struct khooks_obj *obj = (struct khooks_obj *)p - 1;

	BUG_ON(obj->magic != KHOOKS_OBJ_MAGIC);
	return obj;
}

void khooks_slab_fail_nth(unsigned long nth)
{
	__atomic_store_n(&khooks_fail_countdown, nth, __ATOMIC_RELAXED);
}

static bool khooks_should_fail(void)
{
	unsigned long c =
		__atomic_load_n(&khooks_fail_countdown, __ATOMIC_RELAXED);

	while (c) {
		if (__atomic_compare_exchange_n(&khooks_fail_countdown, &c,
						c - 1, false, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			return c == 1;
	}
	return false;
}

void *kmalloc(size_t size, gfp_t gfp)
{
	struct khooks_obj *obj;

	if (khooks_should_fail()) {
		__atomic_fetch_add(&khooks_stats.failed, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	if (size > SIZE_MAX - sizeof(*obj))
		return NULL;
	if (posix_memalign((void **)&obj, SMP_CACHE_BYTES, sizeof(*obj) + size))
		return NULL;
	if (gfp & __GFP_ZERO)
		memset(obj + 1, 0, size);
	obj->size = size;
	obj->magic = KHOOKS_OBJ_MAGIC;
	__atomic_fetch_add(&khooks_stats.allocs, 1, __ATOMIC_RELAXED);
	return obj + 1;
}

static void khooks_obj_free(struct khooks_obj *obj)
{
	obj->magic = KHOOKS_OBJ_FREED;
	free(obj);
	__atomic_fetch_add(&khooks_stats.frees, 1, __ATOMIC_RELAXED);
}

void kfree(const void *p)
{
	if (p)
		khooks_obj_free(khooks_obj_of(p));
}

static void khooks_kfree_rcu_cb(struct rcu_head *head)
{
	khooks_obj_free(container_of(head, struct khooks_obj, rcu));
}

static void khooks_kfree_rcu_queue(void *arg)
{
	struct khooks_obj *obj = arg;

	call_rcu(&obj->rcu, khooks_kfree_rcu_cb);
}

void __kfree_rcu(const void *p)
{
	if (!p)
		return;
	__atomic_fetch_add(&khooks_stats.rcu_queued, 1, __ATOMIC_RELAXED);
	/*
	 * The grace period must begin after the caller's stores (the
	 * rcu_assign_pointer() that unpublished @p first) are visible, or a
	 * reader that starts after it began could still read the old pointer,
	 * then the freed object.  In the khooks_wmm build they may still wait
	 * in the caller's store buffer, which the RCU library does not drain:
	 * the object is queued once they have left it.  Not a fence: the
	 * caller's later loads may still pass them, as on arm64.
	 */
	khooks_wmm_after_stores(khooks_kfree_rcu_queue, khooks_obj_of(p));
}

void khooks_slab_stats(struct khooks_slab_stats *st)
{
	st->allocs = __atomic_load_n(&khooks_stats.allocs, __ATOMIC_RELAXED);
	st->frees = __atomic_load_n(&khooks_stats.frees, __ATOMIC_RELAXED);
	st->rcu_queued =
		__atomic_load_n(&khooks_stats.rcu_queued, __ATOMIC_RELAXED);
	st->failed = __atomic_load_n(&khooks_stats.failed, __ATOMIC_RELAXED);
}

void *dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t *handle,
			 gfp_t gfp)
{
	size_t align = roundup_pow_of_two(size);
	void *p;

	(void)dev;
	if (khooks_should_fail() || posix_memalign(&p, max(align, 64UL), size))
		return NULL;
	memset(p, 0, size);
	*handle = (dma_addr_t)(uintptr_t)p;
	(void)gfp;
	return p;
}

void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr,
		       dma_addr_t handle)
{
	(void)dev;
	(void)size;
	(void)handle;
	free(cpu_addr);
}
