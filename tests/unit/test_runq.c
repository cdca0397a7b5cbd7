// SPDX-License-Identifier: GPL-2.0
/*
 * stress's run-queue accounting (bench/stress/runq.c): which growth of a
 * thread's run_delay is a wait of the host's long enough to excuse a
 * CMD_SYNC time-out, and which give-ups its windows cover.  Hand-made
 * samples: what the host would do is not up to a test.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "stress/internal.h"
#include "unit/khooks_test.h"

#define MS 1000000ULL

static void test_runq_waits(void **state)
{
	struct stress_runq *q = calloc(1, sizeof(*q));
	struct stress_runq_thread t = { 0 };

	assert_non_null(q);
	/* The first read is a base, whatever it holds */
	stress_runq_step(q, &t, 1000 * MS, 900 * MS);
	assert_int_equal(q->starvations, 0);
	/* Waits that fit in the period: the host's share, not a starvation */
	stress_runq_step(q, &t, 1010 * MS, 909 * MS);
	assert_int_equal(q->starvations, 0);
	/* 59 ms in 10: one wait of 49 ms at least, under STRESS_HOST_GAP_NS */
	stress_runq_step(q, &t, 1020 * MS, 968 * MS);
	assert_int_equal(q->starvations, 0);
	/* 70 ms in 10: a wait of 60 ms at least, within [950, 1030] ms */
	stress_runq_step(q, &t, 1030 * MS, 1038 * MS);
	assert_int_equal(q->starvations, 1);
	assert_int_equal(q->starved_max_ns, 60 * MS);
	assert_int_equal(q->nwin, 1);
	assert_int_equal(q->win[0].from, 950 * MS);
	assert_int_equal(q->win[0].to, 1030 * MS);
	/* A run_delay that went back (another thread took the TID): none */
	stress_runq_step(q, &t, 1040 * MS, 10 * MS);
	assert_int_equal(q->starvations, 1);

	/* Give-ups: one that overlaps the window, one that does not */
	assert_true(stress_runq_starved(q, 1025 * MS, 1100 * MS));
	assert_true(stress_runq_starved(q, 900 * MS, 950 * MS));
	assert_false(stress_runq_starved(q, 1031 * MS, 2000 * MS));
	assert_false(stress_runq_starved(q, 0, 949 * MS));
	free(q);
}

/* More windows than kept: the last widens, so no starvation is lost */
static void test_runq_windows_full(void **state)
{
	struct stress_runq *q = calloc(1, sizeof(*q));
	struct stress_runq_thread t = { 0 };
	u64 now = 1000 * MS, delay = 0;
	unsigned int i;

	assert_non_null(q);
	stress_runq_step(q, &t, now, delay);
	for (i = 0; i < STRESS_RUNQ_MAX_WINDOWS + 5; i++) {
		now += 1000 * MS;
		delay += 1100 * MS;
		stress_runq_step(q, &t, now, delay);
	}
	assert_int_equal(q->starvations, STRESS_RUNQ_MAX_WINDOWS + 5);
	assert_int_equal(q->nwin, STRESS_RUNQ_MAX_WINDOWS);
	assert_int_equal(q->win[q->nwin - 1].to, now);
	assert_true(stress_runq_starved(q, now - 1, now));
	free(q);
}

/*
 * On this host: the process's own threads are read (what they waited is
 * the host's doing, not checked)
 */
static void test_runq_live(void **state)
{
	struct stress_runq *q = calloc(1, sizeof(*q));
	unsigned int i;

	assert_non_null(q);
	stress_runq_init(q);
	if (!q->on) {
		printf("no /proc/self/schedstat: run-queue accounting off\n");
		free(q);
		skip();
	}
	/* This thread among them (a sanitizer may run threads of its own) */
	stress_runq_sample(q, 1000 * MS, false);
	for (i = 0; i < q->n && q->t[i].tid != syscall(SYS_gettid); i++)
		;
	assert_true(i < q->n);
	assert_true(q->t[i].at == 1000 * MS);
	/* within the period: not read again */
	stress_runq_sample(q, 1005 * MS, false);
	assert_true(q->t[i].at == 1000 * MS);
	stress_runq_sample(q, 1005 * MS, true);
	assert_true(q->t[i].at == 1005 * MS);
	stress_runq_fini(q);
	free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runq_waits),
		cmocka_unit_test(test_runq_windows_full),
		cmocka_unit_test(test_runq_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
