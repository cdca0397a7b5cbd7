// SPDX-License-Identifier: GPL-2.0
/*
 * The machine's load over a span (lib/load.h): other processes' CPUs from
 * the busy ticks less our own CPU time, steal as a share of every tick, the
 * under-load judgement at its limits (a single stolen tick is not load),
 * the text and JSON forms, and that /proc/stat can be sampled.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "lib/load.h"

#include "unit/khooks_test.h"

/*
 * A span of 1 s at 100 ticks a second: the busy ticks, our CPU time, the
 * stolen ticks and all ticks in it (200: 2 CPUs), and what it must give
 */
static const struct {
	const char *what;
	unsigned long long busy;
	double self_s;
	unsigned long long steal, total;
	double others, steal_share;
	bool under;
} spans[] = {
	{ "another process used one CPU", 150, 0.5, 0, 200, 1.0, 0.0, true },
	{ "all the busy time ours", 150, 1.5, 0, 200, 0.0, 0.0, false },
	/* our CPU time above the ticks (their 10 ms grain): none, not < 0 */
	{ "ours above the ticks", 100, 1.04, 0, 200, 0.0, 0.0, false },
	{ "others at the limit",
	  100 + (unsigned long long)(LOAD_OTHERS_MAX * 100), 1.0, 0, 200,
	  LOAD_OTHERS_MAX, 0.0, false },
	{ "others a tick above it",
	  101 + (unsigned long long)(LOAD_OTHERS_MAX * 100), 1.0, 0, 200,
	  LOAD_OTHERS_MAX + 0.01, 0.0, true },
	{ "10 of 200 ticks stolen", 50, 0.5, 10, 200, 0.0, 0.05, true },
	/* one tick, 2.5 % of a 40-tick span: the sampling's grain */
	{ "one stolen tick", 10, 0.1, 1, 40, 0.0, 0.025, false },
	{ "LOAD_STEAL_MIN_TICKS stolen", 10, 0.1, LOAD_STEAL_MIN_TICKS, 40, 0.0,
	  LOAD_STEAL_MIN_TICKS / 40.0, true },
	{ "many stolen ticks, a small share", 50, 0.5, 3, 1000, 0.0, 0.003,
	  false },
};

static void test_between(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(spans) / sizeof(spans[0]); i++) {
		struct load_sample a = { .busy = 1000,
					 .steal = 10,
					 .total = 5000,
					 .hz = 100,
					 .self_s = 3.0,
					 .wall_s = 50.0 };
		struct load_sample b = a;
		struct load l;

		b.busy += spans[i].busy;
		b.steal += spans[i].steal;
		b.total += spans[i].total;
		b.self_s += spans[i].self_s;
		b.wall_s += 1.0;
		load_between(&a, &b, &l);
		if (fabs(l.others - spans[i].others) > 1e-9 ||
		    fabs(l.steal - spans[i].steal_share) > 1e-9 ||
		    l.under != spans[i].under) {
			fprintf(stderr, "%s: others %g, steal %g, under %d\n",
				spans[i].what, l.others, l.steal, l.under);
			fail();
		}
	}
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
	/* The span from @a to now, as every run's load is taken */
	l.steal = -1;
	assert_int_equal(load_since(&a, &l), 0);
	assert_true(l.others >= 0 && l.steal >= 0 && l.steal <= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_between),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_sample),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
