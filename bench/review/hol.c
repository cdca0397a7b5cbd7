// SPDX-License-Identifier: GPL-2.0
/* review: head-of-line blocking, on scale's hol workload (see review.h) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/kernel.h>

#include "review/review.h"
#include "scale/internal.h"

const char *const review_hol_set_names[] = { "latency", "cpus", "devs",
					     "bystander", NULL };

/* The slow device: healthy (0), these latencies, then no answer */
static const u64 review_hol_slow[] = { 0, 10000, 100000, 1000000 };
/* The CPUs set: 2, 4, ... up to twice the other sets' CPUs */
#define REVIEW_HOL_MAX_CPU_POINTS 7 /* 2 to 128 */
static const unsigned int review_hol_devs[] = { 1, 8, 32 };
#define REVIEW_HOL_WARMUP_NS 1000000
/* The points of review_hol_points(): each set's */
#define REVIEW_HOL_MAX_ROWS                                                    \
	(3 * (ARRAY_SIZE(review_hol_slow) + 1) +                               \
	 2 * 2 * REVIEW_HOL_MAX_CPU_POINTS + 2 * ARRAY_SIZE(review_hol_devs) + \
	 2 * 3)

/* The scale configuration of @w */
static void review_hol_config(const struct review_hol_args *a,
			      const struct review_hol *w,
			      struct scale_config *cfg)
{
	scale_defaults(cfg);
	cfg->workload = SCALE_HOL;
	cfg->cpus.n[0] = w->cpus;
	cfg->cpus.num = 1;
	cfg->cmdq = w->cmdq;
	cfg->devs = w->devs;
	cfg->bystander = w->bystander;
	cfg->slow_ns = w->slow_ns;
	cfg->slow_timeout = w->timeout;
	cfg->warmup_ns = REVIEW_HOL_WARMUP_NS;
	cfg->duration_ns = a->duration_ns;
	cfg->seed = a->seed;
}

void review_hol_reproduce(const struct review_hol_args *a,
			  const struct review_hol *w, char *buf, size_t len)
{
	struct scale_config cfg;
	char slow[48];

	review_hol_config(a, w, &cfg);
	if (cfg.slow_timeout)
		snprintf(slow, sizeof(slow), " --slow-timeout");
	else
		snprintf(slow, sizeof(slow), " --slow-ns %lluns",
			 (unsigned long long)cfg.slow_ns);
	snprintf(buf, len,
		 "atcbench scale --workload hol --cpus %u --cmdq %s --devs %u "
		 "--bystander %s%s --warmup %lluns --duration %lluns "
		 "--seed %llu --out DIR",
		 w->cpus, scale_cmdq_names[w->cmdq], w->devs,
		 scale_bystander_names[w->bystander], slow,
		 (unsigned long long)cfg.warmup_ns,
		 (unsigned long long)cfg.duration_ns,
		 (unsigned long long)cfg.seed);
}

/* Run @w's point: 0 (its failure, if any, in @w->failed) or -errno */
static int review_hol_run(const struct review_hol_args *a, struct review_hol *w)
{
	struct scale_config cfg;
	struct scale_point pt;
	int ret;

	review_hol_config(a, w, &cfg);
	ret = scale_run_point(&cfg, w->cpus, &pt);
	if (ret && ret != -EDEADLK) {
		lat_destroy(pt.lat);
		return ret;
	}
	w->failed = scale_point_failure(&cfg, &pt) != NULL;
	if (pt.livelock) {
		lat_destroy(pt.lat);
		return 0;
	}
	w->ops = pt.ops;
	w->slow_ops = pt.slow_ops;
	w->atc_timeouts = pt.atc_timeouts;
	w->mean_ns = lat_mean(pt.lat);
	w->stddev_ns = lat_stddev(pt.lat);
	w->p50_ns = lat_percentile(pt.lat, 50);
	w->p99_ns = lat_percentile(pt.lat, 99);
	w->max_ns = lat_max(pt.lat);
	lat_destroy(pt.lat);
	return 0;
}

/* Add a point, healthy or slow (REVIEW_HOL_MAX_ROWS counts them) */
static void review_hol_add(struct review_hol *rows, int *n,
			   enum review_hol_set set, unsigned int cmdq,
			   unsigned int cpus, unsigned int devs,
			   unsigned int bystander, u64 slow_ns, bool timeout)
{
	rows[(*n)++] = (struct review_hol){ .set = set,
					    .cmdq = cmdq,
					    .cpus = cpus,
					    .devs = devs,
					    .bystander = bystander,
					    .slow_ns = slow_ns,
					    .timeout = timeout };
}

/* The points: each set's, a healthy one first for each of its cases */
static int review_hol_points(const struct review_hol_args *a,
			     struct review_hol *rows)
{
	static const unsigned int all[] = { SCALE_CMDQ_SINGLE,
					    SCALE_CMDQ_PER_CPU,
					    SCALE_CMDQ_ATS };
	const unsigned int tlbi = SCALE_BYSTANDER_TLBI;
	unsigned int q, i, c;
	int n = 0;

	for (q = 0; q < ARRAY_SIZE(all); q++) {
		for (i = 0; i < ARRAY_SIZE(review_hol_slow); i++)
			review_hol_add(rows, &n, REVIEW_HOL_LATENCY, all[q],
				       a->cpus, 1, tlbi, review_hol_slow[i],
				       false);
		review_hol_add(rows, &n, REVIEW_HOL_LATENCY, all[q], a->cpus, 1,
			       tlbi, 0, true);
	}
	/* The healthy runs first: a curve's points are adjacent rows */
	for (q = 0; q < 2; q++) {
		for (c = 2; c <= 2 * a->cpus; c *= 2)
			review_hol_add(rows, &n, REVIEW_HOL_CPUS, all[q], c, 1,
				       tlbi, 0, false);
		for (c = 2; c <= 2 * a->cpus; c *= 2)
			review_hol_add(rows, &n, REVIEW_HOL_CPUS, all[q], c, 1,
				       tlbi, REVIEW_HOL_SLOW_NS, false);
	}
	for (i = 0; i < ARRAY_SIZE(review_hol_devs); i++) {
		review_hol_add(rows, &n, REVIEW_HOL_DEVS, SCALE_CMDQ_SINGLE,
			       a->cpus, review_hol_devs[i], tlbi, 0, false);
		review_hol_add(rows, &n, REVIEW_HOL_DEVS, SCALE_CMDQ_SINGLE,
			       a->cpus, review_hol_devs[i], tlbi,
			       REVIEW_HOL_SLOW_NS, false);
	}
	for (q = 0; q < ARRAY_SIZE(all); q++) {
		review_hol_add(rows, &n, REVIEW_HOL_BYSTANDER, all[q], a->cpus,
			       1, SCALE_BYSTANDER_ATS, 0, false);
		review_hol_add(rows, &n, REVIEW_HOL_BYSTANDER, all[q], a->cpus,
			       1, SCALE_BYSTANDER_ATS, REVIEW_HOL_SLOW_NS,
			       false);
	}
	return n;
}

/* The healthy run @w is measured against: the last one before it */
static const struct review_hol *review_hol_base(const struct review_hol *rows,
						const struct review_hol *w)
{
	const struct review_hol *b;

	for (b = w; b >= rows; b--)
		if (b->set == w->set && b->cmdq == w->cmdq &&
		    b->cpus == w->cpus && b->devs == w->devs &&
		    b->bystander == w->bystander && !b->slow_ns && !b->timeout)
			return b;
	return NULL;
}

int review_hol(const struct review_hol_args *a, struct review_hol **out)
{
	struct review_hol *rows, *w;
	const struct review_hol *b;
	int n, i, ret;

	rows = calloc(REVIEW_HOL_MAX_ROWS, sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	n = review_hol_points(a, rows);
	for (i = 0; i < n; i++) {
		w = &rows[i];
		ret = review_hol_run(a, w);
		if (ret) {
			free(rows);
			return ret;
		}
		b = review_hol_base(rows, w);
		w->hol_ns = w->mean_ns - b->mean_ns;
		w->hol_p99_ns = (double)w->p99_ns - b->p99_ns;
	}
	*out = rows;
	return n;
}
