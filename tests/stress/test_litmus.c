// SPDX-License-Identifier: GPL-2.0
/*
 * Memory-ordering litmus test of the walker's smp_mb() against the attach
 * path's (the pair documented at arm_smmu_install_new_domain_invs() and
 * arm_smmu_domain_inv_range()), on the real functions, store-buffering:
 *
 *   attach (A)                         unmap (B)
 *   install_new_domain_invs():         WRITE_ONCE(iopte, 0)
 *     publish the array with the       arm_smmu_domain_inv_range():
 *     new ATS master; smp_mb()           smp_mb(); load the array
 *   r_a = READ_ONCE(iopte)             r_b = it sent the ATC_INV
 *   (the device, through the new STE,
 *    walks the page table)
 *
 * Forbidden: r_a == 1 (the device cached the old IOPTE) and !r_b (the
 * unmap missed the device's ATC): a stale ATC entry.  Either barrier
 * removed, x86's store buffer allows it: without the walker's, about 4
 * times per 10^6 rounds on two idle CPUs (none in 1 run of 4); without
 * the attach path's, never on x86 (liburcu's call_rcu() after it is an
 * xchg).  Built as test_litmus_wmm, on the weakly ordered CPU of
 * <khooks/wmm.h>, both show: about 17,000 and 70,000 times per 10^6
 * rounds.  With both barriers it cannot happen: the test cannot fail by
 * timing or load; on one CPU it just observes nothing.  A's start is moved by a
 * seeded random spin each round, to sweep the two threads' alignment.
 * A and B are pinned to two CPUs and wait for each other by spinning,
 * then yielding: on a loaded machine a round costs a context switch, not
 * a time slice (10^6 rounds: 5-7 s beside a CPU-bound process, where the
 * barrier's removal showed in 1 run of 3; unpinned, pure spinning took
 * 105 s and showed nothing).
 *
 * ATCBENCH_LITMUS_ROUNDS sets the rounds (default 10^6; 2·10^5 under a
 * sanitizer, which slows each round).
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "unit/khooks_test.h"
#ifdef KHOOKS_WMM
#include <khooks/wmm.h>
#endif

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LITMUS_ROUNDS_DEFAULT 200000UL
#else
#define LITMUS_ROUNDS_DEFAULT 1000000UL
#endif
#define LITMUS_IOVA 0x100000

struct litmus {
	struct test_world w;
	struct arm_smmu_domain domain;
	struct arm_smmu_attach_state state;
	unsigned long go, done; /* round numbers: B starts, B finished */
	unsigned long iopte;
	bool saw_atc; /* B's walk sent the new master's ATC_INV */
	bool stop;
	u64 seed;
};

/*
 * Wait until *@p is (@eq) or is not (!@eq) @val: spin, so that on two free
 * CPUs the two sides stay as close as the pattern needs; past
 * LITMUS_SPINS, yield, so that when the other side shares this CPU (a
 * loaded machine) a round costs a context switch, not a time slice.
 * Returns false when @stop is set first (NULL: never).
 */
#define LITMUS_SPINS 65536
static bool litmus_wait(const unsigned long *p, unsigned long val, bool eq,
			const bool *stop)
{
	unsigned int spins = 0;

	while ((smp_load_acquire(p) == val) != eq) {
		if (stop && smp_load_acquire(stop))
			return false;
		if (++spins < LITMUS_SPINS)
			cpu_relax();
		else
			sched_yield();
	}
	return true;
}

/* B: the unmap, each round once A's side may run */
static void *litmus_unmap(void *arg)
{
	struct litmus *l = arg;
	unsigned long round = 0;

	rcu_register_thread();
#ifdef KHOOKS_WMM
	khooks_wmm_thread_start(l->seed + 1);
#endif
	for (;;) {
		if (!litmus_wait(&l->go, round, false, &l->stop))
			break;
		round++;
		WRITE_ONCE(l->iopte, 0);
		arm_smmu_domain_inv_range(&l->domain, LITMUS_IOVA, SZ_4K, SZ_4K,
					  true);
		smp_store_release(&l->done, round);
	}
#ifdef KHOOKS_WMM
	khooks_wmm_thread_stop();
#endif
	rcu_unregister_thread();
	return NULL;
}

static void test_walker_mb_vs_attach(void **state)
{
	const char *env = getenv("ATCBENCH_LITMUS_ROUNDS");
	unsigned long rounds = env ? strtoul(env, NULL, 10) :
				     LITMUS_ROUNDS_DEFAULT;
	u64 rng = test_seed("test_walker_mb_vs_attach");
	unsigned long round, forbidden = 0, seen[2][2] = {};
	struct litmus *l = calloc(1, sizeof(*l));
	pthread_t unmap;

	assert_non_null(l);
	test_litmus_saw_atc = &l->saw_atc;
	l->seed = rng;
	test_world_init(&l->w, 1, 16, false);
	l->w.world.smmu[0].impl_ops = &test_litmus_ops;
	assert_int_equal(pthread_create(&unmap, NULL, litmus_unmap, l), 0);
	/* Two CPUs: on one, no reordering can show */
	test_pin((pthread_t[]){ pthread_self(), unmap }, 2);
#ifdef KHOOKS_WMM
	khooks_wmm_thread_start(l->seed);
#endif

	for (round = 1; round <= rounds; round++) {
		unsigned int spin = test_rand(&rng) % 64;
		unsigned long r_a;
		bool r_b;

		/* Before the round: the old array, the page mapped */
		WRITE_ONCE(l->domain.invs,
			   test_litmus_invs(&l->w.world.smmu[0], false));
		l->state.new_domain_invst = (struct arm_smmu_inv_state){
			.invs_ptr = &l->domain.invs,
			.old_invs = READ_ONCE(l->domain.invs),
			.new_invs = test_litmus_invs(&l->w.world.smmu[0], true),
		};
		WRITE_ONCE(l->iopte, 1);
		WRITE_ONCE(l->saw_atc, false);
		smp_store_release(&l->go, round);

		/* A: the attach publishes, then the device walks */
		while (spin--)
			cpu_relax();
		arm_smmu_install_new_domain_invs(&l->state);
		r_a = READ_ONCE(l->iopte);

		litmus_wait(&l->done, round, true, NULL);
		r_b = READ_ONCE(l->saw_atc);
		seen[r_a][r_b]++;
		forbidden += r_a && !r_b;
		/* the new array: no reader is left */
		kfree(READ_ONCE(l->domain.invs));
		if (!(round % 65536))
			rcu_barrier(); /* the old arrays' kfree_rcu() */
	}
#ifdef KHOOKS_WMM
	khooks_wmm_thread_stop();
#endif
	smp_store_release(&l->stop, true);
	pthread_join(unmap, NULL);
	rcu_barrier();
	printf("%lu rounds: old IOPTE and ATC_INV %lu, new IOPTE and ATC_INV "
	       "%lu, new IOPTE and no ATC_INV %lu, old IOPTE and no ATC_INV "
	       "(forbidden) %lu\n",
	       rounds, seen[1][1], seen[0][1], seen[0][0], seen[1][0]);
	assert_int_equal(forbidden, 0);
	test_world_fini(&l->w);
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walker_mb_vs_attach),
	};

	return cmocka_run_group_tests(tests, test_rcu_setup, test_rcu_teardown);
}
