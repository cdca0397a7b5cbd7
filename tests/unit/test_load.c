// SPDX-License-Identifier: GPL-2.0
/*
 * The machine's load over a span (lib/load.h): other processes' CPUs from
 * the busy ticks less our own CPU time, steal as a share of every tick, the
 * under-load judgement at its limits (a single stolen tick is not load),
 * the text and JSON forms, and that /proc/stat can be sampled.
 */
#include <stdio.h>
#include <string.h>
#include "lib/load.h"

#include "unit/khooks_test.h"

/* Two samples 1 s apart at 100 ticks a second, 200 ticks in all (2 CPUs) */
static void span(struct load_sample *a, struct load_sample *b,
		 unsigned long long busy, double self_s,
		 unsigned long long steal)
{
	*a = (struct load_sample){ .busy = 1000,
				   .steal = 10,
				   .total = 5000,
				   .hz = 100,
				   .self_s = 3.0,
				   .wall_s = 50.0 };
	*b = *a;
	b->busy += busy;
	b->steal += steal;
	b->total += 200;
	b->self_s += self_s;
	b->wall_s += 1.0;
}

static void test_others(void **state)
{
	struct load_sample a, b;
	struct load l;

	(void)state;
	/* 1.5 CPUs busy, 0.5 of them ours: another process used one CPU */
	span(&a, &b, 150, 0.5, 0);
	load_between(&a, &b, &l);
	assert_float_equal(l.others, 1.0, 1e-9);
	assert_float_equal(l.steal, 0.0, 1e-9);
	assert_true(l.under);

	/* All the busy time ours: nobody else */
	span(&a, &b, 150, 1.5, 0);
	load_between(&a, &b, &l);
	assert_float_equal(l.others, 0.0, 1e-9);
	assert_false(l.under);

	/* Our CPU time above the ticks (their 10 ms grain): none, not < 0 */
	span(&a, &b, 100, 1.04, 0);
	load_between(&a, &b, &l);
	assert_float_equal(l.others, 0.0, 1e-9);

	/* At the limit, not above it; just above it */
	span(&a, &b, 100 + (unsigned long long)(LOAD_OTHERS_MAX * 100), 1.0, 0);
	load_between(&a, &b, &l);
	assert_float_equal(l.others, LOAD_OTHERS_MAX, 1e-9);
	assert_false(l.under);
	span(&a, &b, 101 + (unsigned long long)(LOAD_OTHERS_MAX * 100), 1.0, 0);
	load_between(&a, &b, &l);
	assert_true(l.under);
}

static void test_steal(void **state)
{
	struct load_sample a, b;
	struct load l;

	(void)state;
	/* 10 of 200 ticks stolen: 5 %, loaded */
	span(&a, &b, 50, 0.5, 10);
	load_between(&a, &b, &l);
	assert_float_equal(l.steal, 0.05, 1e-9);
	assert_true(l.under);
	/* one tick (2.5 % of a 40-tick span) is the sampling's grain */
	span(&a, &b, 10, 0.1, 1);
	b.total = a.total + 40;
	load_between(&a, &b, &l);
	assert_true(l.steal > LOAD_STEAL_MAX);
	assert_false(l.under);
	/* LOAD_STEAL_MIN_TICKS of them are load */
	span(&a, &b, 10, 0.1, LOAD_STEAL_MIN_TICKS);
	b.total = a.total + 40;
	load_between(&a, &b, &l);
	assert_true(l.under);
	/* many ticks, but a small share: not load */
	span(&a, &b, 50, 0.5, 3);
	b.total = a.total + 1000;
	load_between(&a, &b, &l);
	assert_false(l.under);
}

static void test_text(void **state)
{
	struct load l = {
		.others = 1.234, .steal = 0.051, .avg1 = 2.5, .under = true
	};
	char buf[LOAD_FMT_MAX], json[256];
	FILE *f;

	(void)state;
	assert_string_equal(load_fmt(&l, buf, sizeof(buf)),
			    "others 1.23 CPUs, steal 5.1 %, UNDER LOAD");
	l.under = false;
	assert_string_equal(load_fmt(&l, buf, sizeof(buf)),
			    "others 1.23 CPUs, steal 5.1 %");
	f = fmemopen(json, sizeof(json), "w");
	assert_non_null(f);
	load_json(f, &l);
	fclose(f);
	assert_string_equal(json, "{\"others_cpus\": 1.234, \"steal\": 0.0510, "
				  "\"load_avg_1m\": 2.50, "
				  "\"under_load\": false}");
}

/* This machine's /proc/stat: samples that only move forward */
static void test_sample(void **state)
{
	struct load_sample a, b;
	struct load l;

	(void)state;
	assert_int_equal(load_sample(&a), 0);
	assert_int_equal(load_sample(&b), 0);
	assert_true(a.total > 0 && a.hz > 0);
	assert_true(b.total >= a.total && b.busy >= a.busy &&
		    b.steal >= a.steal);
	assert_true(b.wall_s >= a.wall_s && b.self_s >= a.self_s);
	load_between(&a, &b, &l);
	assert_true(l.others >= 0 && l.steal >= 0 && l.steal <= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_others),
		cmocka_unit_test(test_steal),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_sample),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
