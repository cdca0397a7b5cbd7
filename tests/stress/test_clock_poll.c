// SPDX-License-Identifier: GPL-2.0
/*
 * The clock's poll shortcut (sim/clock.h) under concurrent polls: a kick is
 * never lost.  Each thread queues work on a model consumer (PROD up, then
 * sim_clock_kick(), as an SMMU's PROD write does) and polls until its work
 * is consumed.  A poll that says nothing is to come (SIM_CLOCK_NEVER) while
 * that work is still queued is a lost kick: every waiter would spin until
 * somebody kicked again (a real-time stress run saw a mapper wait 1.05 s).
 * The check is exact, whatever the schedule: a correct clock cannot fail
 * it, and the schedule only decides whether a broken one is caught; the
 * threads are pinned to separate CPUs so that their polls overlap.
 */
#include <sim/clock.h>
#include "unit/khooks_test.h"

#define TEST_THREADS 3
#define TEST_ITERATIONS 200000
#define TEST_WINDOW 32 /* pauses between the consumer's PROD read and CONS store */

/* A consumer that takes everything queued when it runs, one at a time */
struct test_queue {
	u64 prod;
	u64 cons;
	int lock;
	u64 lost; /* polls that said NEVER with the poller's own work queued */
};

static u64 test_queue_poll(void *arg)
{
	struct test_queue *q = arg;
	u64 prod;
	int i;

	/* Another poll consumes: its next event is now (the SMMU's rule) */
	if (__atomic_exchange_n(&q->lock, 1, __ATOMIC_ACQUIRE))
		return sim_clock_now_ns();
	prod = __atomic_load_n(&q->prod, __ATOMIC_ACQUIRE);
	/* PROD may move meanwhile: its kick is what makes the next poll run */
	for (i = 0; i < TEST_WINDOW; i++)
		cpu_relax();
	__atomic_store_n(&q->cons, prod, __ATOMIC_RELEASE);
	__atomic_store_n(&q->lock, 0, __ATOMIC_RELEASE);
	return SIM_CLOCK_NEVER;
}

static void *test_producer(void *arg)
{
	struct test_queue *q = arg;
	unsigned int i;

	for (i = 0; i < TEST_ITERATIONS; i++) {
		u64 target = __atomic_add_fetch(&q->prod, 1, __ATOMIC_RELEASE);

		sim_clock_kick();
		for (;;) {
			u64 next = sim_clock_poll();

			if (__atomic_load_n(&q->cons, __ATOMIC_ACQUIRE) >=
			    target)
				break;
			if (next == SIM_CLOCK_NEVER) {
				__atomic_fetch_add(&q->lost, 1,
						   __ATOMIC_RELAXED);
				break;
			}
		}
	}
	return NULL;
}

static void test_kick_not_lost(void **state)
{
	struct test_queue q = { 0 };
	pthread_t threads[TEST_THREADS];
	unsigned int i;

	(void)state;
	assert_int_equal(sim_clock_init(SIM_CLOCK_MONOTONIC), 0);
	assert_int_equal(sim_clock_add_poller(test_queue_poll, &q), 0);
	for (i = 0; i < TEST_THREADS; i++)
		assert_int_equal(pthread_create(&threads[i], NULL,
						test_producer, &q),
				 0);
	test_pin(threads, TEST_THREADS);
	for (i = 0; i < TEST_THREADS; i++)
		pthread_join(threads[i], NULL);
	sim_clock_del_poller(test_queue_poll, &q);
	print_message("%llu items queued, %llu kicks lost\n",
		      (unsigned long long)TEST_THREADS * TEST_ITERATIONS,
		      (unsigned long long)q.lost);
	assert_int_equal(q.lost, 0);
	assert_int_equal(q.cons, q.prod);
}

/* The shortcut itself, on one thread: a poll runs the poller only if due */
static u64 test_calls;

static u64 test_count_poll(void *arg)
{
	(void)arg;
	test_calls++;
	return SIM_CLOCK_NEVER;
}

static void test_shortcut(void **state)
{
	(void)state;
	assert_int_equal(sim_clock_init(SIM_CLOCK_MONOTONIC), 0);
	assert_int_equal(sim_clock_add_poller(test_count_poll, NULL), 0);
	test_calls = 0;
	/* Added: kicked, so the first poll runs it; the second has nothing */
	assert_true(sim_clock_poll() == SIM_CLOCK_NEVER);
	assert_true(sim_clock_poll() == SIM_CLOCK_NEVER);
	assert_int_equal(test_calls, 1);
	sim_clock_kick();
	assert_true(sim_clock_poll() == SIM_CLOCK_NEVER);
	assert_true(sim_clock_poll() == SIM_CLOCK_NEVER);
	assert_int_equal(test_calls, 2);
	sim_clock_del_poller(test_count_poll, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shortcut),
		cmocka_unit_test(test_kick_not_lost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
