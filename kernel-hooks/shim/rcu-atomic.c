// SPDX-License-Identifier: GPL-2.0
/*
 * RCU on __atomic operations, for the ThreadSanitizer build
 * (KHOOKS_RCU_ATOMIC; see <linux/rcupdate.h>).
 *
 * Each registered thread owns a reader record whose @ctr is 0 outside a
 * read-side critical section and, inside, the grace-period sequence number
 * it saw on entry.  synchronize_rcu() bumps the sequence and waits until
 * every record is 0 or holds the new sequence.
 *
 *   reader                            updater
 *   ctr = gp_seq (SC store)            rcu_assign_pointer(p, new)
 *   smp_mb()                           seq = ++gp_seq (SC RMW)
 *   ... rcu_dereference(p) ...         wait: each ctr == 0 or >= seq
 *   ctr = 0 (release)  --------------> (acquire load of ctr)
 *
 * The release/acquire pair on @ctr orders every access of the critical
 * section before whatever the updater does after the grace period (the
 * free): TSan sees that edge.  The SC store + fence against the SC RMW is the
 * store-buffering pattern: either the updater sees the reader's ctr and
 * waits, or the reader sees the new pointer.
 *
 * call_rcu() callbacks are queued, as liburcu's call_rcu thread queues them:
 * the caller does not wait for readers.  Once KHOOKS_RCU_BATCH are queued, a
 * caller outside a read-side critical section runs one grace period and
 * invokes everything queued before it; rcu_barrier() does the same at any
 * count.  (Waiting in every call_rcu() would block an updater behind a reader
 * that waits for the updater: a deadlock liburcu's deferred callbacks do not
 * have.)
 */
#include <pthread.h>
#include <stdlib.h>
#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/rcupdate.h>

struct khooks_rcu_reader {
	unsigned long ctr;
	unsigned int nesting;
	struct khooks_rcu_reader *next;
};

static unsigned long khooks_gp_seq = 1;
static pthread_mutex_t khooks_rcu_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct khooks_rcu_reader *khooks_readers;
static struct rcu_head *khooks_cb_head, **khooks_cb_tail = &khooks_cb_head;
static unsigned int khooks_cb_count;
static __thread struct khooks_rcu_reader *khooks_self;

void rcu_register_thread(void)
{
	struct khooks_rcu_reader *r = calloc(1, sizeof(*r));

	BUG_ON(!r || khooks_self);
	pthread_mutex_lock(&khooks_rcu_mutex);
	r->next = khooks_readers;
	khooks_readers = r;
	pthread_mutex_unlock(&khooks_rcu_mutex);
	khooks_self = r;
}

void rcu_unregister_thread(void)
{
	struct khooks_rcu_reader **pp, *r = khooks_self;

	BUG_ON(!r || r->nesting);
	pthread_mutex_lock(&khooks_rcu_mutex);
	for (pp = &khooks_readers; *pp != r; pp = &(*pp)->next)
		;
	*pp = r->next;
	pthread_mutex_unlock(&khooks_rcu_mutex);
	khooks_self = NULL;
	free(r);
}

void rcu_read_lock(void)
{
	struct khooks_rcu_reader *r = khooks_self;

	BUG_ON(!r);
	if (r->nesting++)
		return;
	__atomic_store_n(&r->ctr,
			 __atomic_load_n(&khooks_gp_seq, __ATOMIC_SEQ_CST),
			 __ATOMIC_SEQ_CST);
	smp_mb(); /* pairs with the RMW of khooks_gp_seq in synchronize_rcu() */
}

void rcu_read_unlock(void)
{
	struct khooks_rcu_reader *r = khooks_self;

	BUG_ON(!r || !r->nesting);
	if (--r->nesting)
		return;
	/* pairs with the acquire load in synchronize_rcu() */
	__atomic_store_n(&r->ctr, 0, __ATOMIC_RELEASE);
}

void synchronize_rcu(void)
{
	struct khooks_rcu_reader *r;
	unsigned long seq;

	BUG_ON(khooks_self && khooks_self->nesting);
	smp_mb(); /* the updater's stores, before the grace period begins */
	pthread_mutex_lock(&khooks_rcu_mutex);
	seq = __atomic_add_fetch(&khooks_gp_seq, 1, __ATOMIC_SEQ_CST);
	for (r = khooks_readers; r; r = r->next) {
		unsigned int spins = 0;
		unsigned long c;

		for (;;) {
			c = __atomic_load_n(&r->ctr, __ATOMIC_ACQUIRE);
			if (!c || c >= seq)
				break;
			khooks_spin_backoff(&spins);
		}
	}
	pthread_mutex_unlock(&khooks_rcu_mutex);
}

static void khooks_rcu_run_callbacks(void)
{
	struct rcu_head *list, *next;

	pthread_mutex_lock(&khooks_rcu_mutex);
	list = khooks_cb_head;
	khooks_cb_head = NULL;
	khooks_cb_tail = &khooks_cb_head;
	khooks_cb_count = 0;
	pthread_mutex_unlock(&khooks_rcu_mutex);
	if (!list)
		return;
	synchronize_rcu();
	for (; list; list = next) {
		next = list->next;
		list->func(list);
	}
}

#define KHOOKS_RCU_BATCH 16

void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head))
{
	bool full;

	head->func = func;
	head->next = NULL;
	pthread_mutex_lock(&khooks_rcu_mutex);
	*khooks_cb_tail = head;
	khooks_cb_tail = &head->next;
	full = ++khooks_cb_count >= KHOOKS_RCU_BATCH;
	pthread_mutex_unlock(&khooks_rcu_mutex);
	if (full && (!khooks_self || !khooks_self->nesting))
		khooks_rcu_run_callbacks();
}

void rcu_barrier(void)
{
	khooks_rcu_run_callbacks();
}
