// SPDX-License-Identifier: GPL-2.0
/*
 * Readers walk two domains' arrays while a writer attaches and detaches
 * masters between them (seeded).  Run under ASan (use-after-free of a
 * retired array) and TSan (races); afterwards every array the writer
 * retired must have been freed, and only after a grace period.
 */
#include <pthread.h>
#include <sched.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/err.h>
#include <linux/slab.h>

#include "unit/khooks_test.h"

#define CHURN_READERS 2
#define CHURN_MASTERS 6
#define CHURN_ROUNDS_DEFAULT 10000

struct churn {
	struct test_world w;
	struct arm_smmu_domain *domains[2];
	struct arm_smmu_master *masters[CHURN_MASTERS];
	bool stop;
};

struct churn_reader {
	struct churn *c;
	pthread_t thread;
	unsigned long walks;
};

static void *churn_reader_fn(void *arg)
{
	struct churn_reader *r = arg;
	struct churn *c = r->c;

	rcu_register_thread();
	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
		unsigned int d = r->walks & 1;

		/* Alternate a page and a whole-domain invalidation */
		if (r->walks & 2)
			arm_smmu_domain_inv(c->domains[d]);
		else
			arm_smmu_domain_inv_range(c->domains[d], 0x4000, SZ_4K,
						  SZ_4K, true);
		__atomic_store_n(&r->walks, r->walks + 1, __ATOMIC_RELEASE);
	}
	rcu_unregister_thread();
	return NULL;
}

static void test_rcu_readers_vs_attach_churn(void **state)
{
	const char *env = getenv("ATCBENCH_CHURN_ROUNDS");
	unsigned long rounds = env ? strtoul(env, NULL, 0) :
				     CHURN_ROUNDS_DEFAULT;
	u64 rng = test_seed("test_rcu_readers_vs_attach_churn");
	struct churn_reader readers[CHURN_READERS];
	struct khooks_slab_stats before, after;
	struct churn c = { 0 };
	unsigned long round, retired;
	unsigned int i;

	khooks_warn_reset();
	test_world_init(&c.w, 1, CHURN_MASTERS * 2, false);
	/* The SMMU's own commands are not needed: keep the trace cheap */
	sim_smmu_set_trace(c.w.world.hw[0], NULL, NULL);
	khooks_slab_stats(&before);

	c.domains[0] = arm_smmu_domain_alloc(&c.w.world.smmu[0],
					     ARM_SMMU_DOMAIN_S1, 1, false);
	c.domains[1] = arm_smmu_domain_alloc(&c.w.world.smmu[0],
					     ARM_SMMU_DOMAIN_S2, 2, true);
	assert_false(IS_ERR(c.domains[0]));
	assert_false(IS_ERR(c.domains[1]));
	for (i = 0; i < CHURN_MASTERS; i++) {
		u32 sids[2] = { 2 * i + 1, 2 * i };

		/* Every other master without ATS: has_ats flips */
		c.masters[i] = arm_smmu_probe_master(&c.w.world.smmu[0], sids,
						     2, i % 2 == 0);
		assert_false(IS_ERR(c.masters[i]));
	}

	for (i = 0; i < CHURN_READERS; i++) {
		readers[i] = (struct churn_reader){ .c = &c };
		assert_int_equal(pthread_create(&readers[i].thread, NULL,
						churn_reader_fn, &readers[i]),
				 0);
	}

	/*
	 * Churn only once every reader walks: on a loaded host a reader may
	 * not run before the writer's last round, and then it would walk
	 * nothing, and the test failed (one way to the failure seen once at
	 * load 15)
	 */
	for (i = 0; i < CHURN_READERS; i++)
		while (!__atomic_load_n(&readers[i].walks, __ATOMIC_ACQUIRE))
			sched_yield();

	for (round = 0; round < rounds; round++) {
		struct arm_smmu_master *m =
			c.masters[test_rand(&rng) % CHURN_MASTERS];
		unsigned int what = test_rand(&rng) % 3;

		if (what == 2)
			arm_smmu_attach_dev_blocked(m);
		else
			assert_int_equal(
				arm_smmu_attach_dev(m, c.domains[what],
						    test_rand(&rng) % 2),
				0);
	}

	__atomic_store_n(&c.stop, true, __ATOMIC_RELEASE);
	for (i = 0; i < CHURN_READERS; i++) {
		pthread_join(readers[i].thread, NULL);
		printf("reader %u: %lu walks\n", i, readers[i].walks);
		assert_true(readers[i].walks > 0);
	}

	for (i = 0; i < CHURN_MASTERS; i++)
		arm_smmu_release_master(c.masters[i]);
	for (i = 0; i < 2; i++)
		assert_int_equal(rcu_dereference_protected(c.domains[i]->invs,
							   true)
					 ->num_invs,
				 0);

	/* Every retired array goes through kfree_rcu() and is freed by now */
	rcu_barrier();
	arm_smmu_domain_free(c.domains[0]);
	arm_smmu_domain_free(c.domains[1]);
	khooks_slab_stats(&after);
	retired = after.rcu_queued - before.rcu_queued;
	printf("%lu rounds, %lu arrays retired through kfree_rcu()\n", rounds,
	       retired);
	assert_true(retired >= rounds / 2);
	assert_int_equal(after.allocs - before.allocs,
			 after.frees - before.frees);
	assert_int_equal(khooks_warn_count(), 0);
	test_world_fini(&c.w);
}

struct gp_test {
	struct arm_smmu_domain *domain;
	struct arm_smmu_master *master;
	int phase; /* 1: reader holds the array; 2: reader may go */
	size_t seen_num_invs;
};

static void gp_wait_phase(struct gp_test *t, int phase)
{
	while (__atomic_load_n(&t->phase, __ATOMIC_ACQUIRE) < phase)
		sched_yield();
}

static void *gp_reader_fn(void *arg)
{
	struct gp_test *t = arg;
	struct arm_smmu_invs *invs;

	rcu_register_thread();
	rcu_read_lock();
	invs = rcu_dereference(t->domain->invs);
	__atomic_store_n(&t->phase, 1, __ATOMIC_RELEASE);
	gp_wait_phase(t, 2);
	/* A use-after-free here if the array was freed too early */
	t->seen_num_invs = READ_ONCE(invs->num_invs);
	rcu_read_unlock();
	rcu_unregister_thread();
	return NULL;
}

static void *gp_writer_fn(void *arg)
{
	struct gp_test *t = arg;

	rcu_register_thread();
	/* Retires the domain's array with kfree_rcu() */
	assert_int_equal(
		arm_smmu_attach_dev(t->master, t->domain, IOMMU_NO_PASID), 0);
	rcu_unregister_thread();
	return NULL;
}

/* A retired array is not freed while a reader that loaded it runs */
static void test_retired_array_outlives_reader(void **state)
{
	struct khooks_slab_stats before, held, after;
	struct gp_test t = { 0 };
	struct test_world w;
	pthread_t reader, writer;
	const u32 sid = 1;

	test_world_init(&w, 1, 4, false);
	t.domain = arm_smmu_domain_alloc(&w.world.smmu[0], ARM_SMMU_DOMAIN_S1,
					 1, false);
	t.master = arm_smmu_probe_master(&w.world.smmu[0], &sid, 1, true);
	assert_false(IS_ERR(t.domain));
	assert_false(IS_ERR(t.master));
	rcu_barrier();

	assert_int_equal(pthread_create(&reader, NULL, gp_reader_fn, &t), 0);
	gp_wait_phase(&t, 1);
	khooks_slab_stats(&before);
	assert_int_equal(pthread_create(&writer, NULL, gp_writer_fn, &t), 0);
	/* The attach has retired the old array once the writer is back */
	pthread_join(writer, NULL);
	/*
	 * The grace period cannot end while the reader holds its section, so
	 * no wait makes a correct RCU free the array; this one gives a broken
	 * one (a free before the grace period) the time to show.  The check
	 * cannot fail because the machine is slow, only because of a bug.
	 */
	usleep(50 * 1000);
	khooks_slab_stats(&held);
	assert_int_equal(held.rcu_queued - before.rcu_queued, 1);
	assert_int_equal(held.frees, before.frees);

	__atomic_store_n(&t.phase, 2, __ATOMIC_RELEASE);
	pthread_join(reader, NULL);
	rcu_barrier();
	khooks_slab_stats(&after);
	assert_int_equal(t.seen_num_invs, 0);
	assert_int_equal(after.rcu_queued - before.rcu_queued, 1);
	assert_int_equal(after.frees - before.frees, 1);

	arm_smmu_release_master(t.master);
	rcu_barrier();
	arm_smmu_domain_free(t.domain);
	test_world_fini(&w);
}

static int setup(void **state)
{
	rcu_register_thread();
	return 0;
}

static int teardown(void **state)
{
	rcu_unregister_thread();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retired_array_outlives_reader),
		cmocka_unit_test(test_rcu_readers_vs_attach_churn),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
