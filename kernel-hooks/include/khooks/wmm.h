/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A weakly ordered CPU for the message-passing litmus tests.
 *
 * x86 never reorders two stores, nor two loads, so a missing wmb() or
 * release between a queue entry and the flag that publishes it cannot fail
 * a test there, however often it runs.  The khooks_wmm build of the
 * kernel-form files (KHOOKS_WMM; tests only) routes the shims' memory
 * accesses through a store buffer per thread, so that a thread which called
 * khooks_wmm_thread_start() behaves as an arm64 CPU may:
 *
 *  - Plain and release stores (WRITE_ONCE(), atomic_set(),
 *    smp_store_release(), rcu_assign_pointer()), the RMW operations that
 *    return nothing (set_bit(), atomic_inc(), atomic_long_xor(): unordered)
 *    and relaxed MMIO writes (writel_relaxed()) wait in the buffer; a load
 *    or a value-returning RMW (cmpxchg_relaxed()) goes to memory at once.
 *    So a later load, or a later store that leaves the buffer first, is
 *    seen by other threads before an earlier store.
 *  - A buffered store leaves the buffer, in an order of the model's choice,
 *    at a barrier that orders it (mb(), wmb(), dma_wmb(), a release or
 *    fully ordered operation, writel(), a lock release), or at random while
 *    its thread waits (cpu_relax(), udelay(), a smp_cond_load_*() spin) or
 *    loads (a loop that only loads still sees its stores leave), and all
 *    of them once the thread has waited long enough to yield its CPU.
 *  - Coherence holds: stores to overlapping bytes leave in program order,
 *    as do MMIO writes (a device sees its registers written in order); a
 *    thread's access to bytes it has buffered first empties those entries;
 *    an MMIO read first empties the MMIO writes.
 *
 * Loads are not reordered (rmb() is a no-op here): the model exposes
 * missing store-side ordering only.  The model's choices come from the
 * seed given to khooks_wmm_thread_start(); which thread runs when does not.
 * Code that is correctly ordered stays correct under it: every store
 * another thread waits for leaves the buffer at a barrier or while its
 * thread waits.
 */
#ifndef KHOOKS_WMM_H
#define KHOOKS_WMM_H

#include <stddef.h>
#include <stdint.h>

void khooks_wmm_thread_start(uint64_t seed);
void khooks_wmm_thread_stop(void);

enum khooks_wmm_op {
	KHOOKS_WMM_STORE,
	KHOOKS_WMM_ADD,
	KHOOKS_WMM_SUB,
	KHOOKS_WMM_OR,
	KHOOKS_WMM_AND,
	KHOOKS_WMM_XOR,
};

/* Or'ed into khooks_wmm_access()'s order: a value-returning RMW */
#define KHOOKS_WMM_RMW 0x100

void khooks_wmm_store(void *p, const void *val, size_t size);
void khooks_wmm_rmw(void *p, size_t size, enum khooks_wmm_op op, uint64_t val);
void khooks_wmm_access(const void *p, size_t size, int order);
void khooks_wmm_fence(void);
void khooks_wmm_wait(void);
void khooks_wmm_mmio_write(volatile void *addr, uint64_t val, size_t size);
void khooks_wmm_mmio_read(void);

/*
 * The khooks_vcpu build: how many stores virtual CPU @cpu of <khooks/vcpu.h>
 * holds in its buffer (not yet seen by the others)
 */
unsigned int khooks_wmm_buffered(unsigned int cpu);
/*
 * The khooks_vcpu build: the running virtual CPU stops for a while (it is
 * preempted); meanwhile each of its buffered stores leaves with odds of 1
 * in 2, in an order the model picks within what ordering allows, the rest
 * stay (the architecture bounds neither)
 */
void khooks_wmm_interrupted(void);

/*
 * Call @fn(@arg) once every store this thread has buffered now has left
 * the buffer: at once when it has none (and outside the model).  What RCU
 * needs of an updater: the stores that unpublished an object are visible
 * before the grace period its kfree_rcu() waits for begins, while its later
 * loads may still pass them (the kernel's call_rcu() is no full barrier).
 */
void khooks_wmm_after_stores(void (*fn)(void *arg), void *arg);

#endif
