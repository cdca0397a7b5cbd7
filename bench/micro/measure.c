// SPDX-License-Identifier: GPL-2.0
/*
 * micro: the measure/ suite: what measuring costs the stress harness (a
 * clock read, a histogram record, both as a mapper does them)
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <arm-smmu-v3/arm-smmu-v3.h>
#include <sim/clock.h>
#include <sim/rng.h>

#include "gbench/gbench.h"
#include "lib/lat.h"
#include "micro/micro.h"

static struct lat_hist *micro_hist;

/*
 * A realistic latency stream for the record benchmark, drawn once: a
 * log-normal body around 2 us (sigma 0.5 in log space: 90 % between 0.9
 * and 4.6 us, straddling the 2,048 ns edge of the exact counters at 3
 * digits) and, one value in 1000, a log-uniform tail from 10 us to 100 ms.
 */
#define MICRO_STREAM_LEN (1u << 16)
static u64 micro_stream[MICRO_STREAM_LEN];

static void micro_stream_init(void)
{
	u64 rng = 1;
	unsigned int i;

	for (i = 0; i < MICRO_STREAM_LEN; i++) {
		double u1 = sim_rng_uniform(&rng), u2 = sim_rng_uniform(&rng);

		if (sim_rng_below(&rng, 1000) == 0) {
			micro_stream[i] = exp(log(1e4) + u1 * log(1e4));
			continue;
		}
		/* Box-Muller: a standard normal from two uniforms */
		micro_stream[i] = 2000.0 * exp(0.5 * sqrt(-2.0 * log1p(-u1)) *
					       cos(2.0 * M_PI * u2));
	}
}

/* The cost of measuring: one histogram record, one clock read */
static void micro_lat_record(struct gbench_state *st, void *arg)
{
	struct lat_hist *h = arg;
	unsigned int i = 0;

	while (gbench_keep_running(st))
		lat_record(h, micro_stream[i++ & (MICRO_STREAM_LEN - 1)]);
	gbench_counter(st, "recorded", lat_count(h), 0);
}

static void micro_clock_read(struct gbench_state *st, void *arg)
{
	u64 sum = 0;

	while (gbench_keep_running(st))
		sum += sim_clock_now_ns();
	gbench_counter(st, "sink", sum & 1, 0);
}

/*
 * The floor of any such measurement: two clock reads and one record in one
 * loop, nothing else.  Measured together, not summed from the benchmarks
 * above: a record that follows a TSC read does not overlap it as freely as
 * back-to-back records overlap each other.
 */
static void micro_measure_floor(struct gbench_state *st, void *arg)
{
	struct lat_hist *h = arg;

	while (gbench_keep_running(st)) {
		u64 t0 = sim_clock_now_ns();

		lat_record(h, sim_clock_now_ns() - t0);
	}
}

/*
 * What the stress harness adds to one mapper operation, as
 * stress_mapper_op() and stress_mapper_progress() do it with the default
 * keys (bench/stress/; keep the two in step): two clock reads from the
 * TSC around the invalidation, the watchdog's completion store, one record,
 * the timeline bin, the bystander check and the ops count; the progress
 * counter only when a progress line is shown (never here: bench.sh and CI
 * run stress with --progress off, so only its test is paid).  The
 * invalidation's own tracepoints are off (cmdq_detail = false) and cost a
 * load each, as in stress.
 */
#define MICRO_TL_BINS 1024
struct micro_measure_state {
	u64 last_done, ops, t_measure;
	u64 tl_count[MICRO_TL_BINS], tl_max[MICRO_TL_BINS];
	u64 progress[64];
	int victim;
	bool show_progress;
};

static void micro_measure_op(struct gbench_state *st, void *arg)
{
	struct lat_hist *h = arg;
	struct micro_measure_state *m = calloc(1, sizeof(*m));
	unsigned int i;

	if (!m) {
		gbench_skip_with_error(st, "out of memory");
		return;
	}
	m->victim = -1;
	m->t_measure = sim_clock_now_ns();
	while (gbench_keep_running(st)) {
		u64 t0 = sim_clock_now_ns(), t1, gap, bin, lat;

		t1 = sim_clock_now_ns();
		gap = t1 - m->last_done;
		__atomic_store_n(&m->last_done, t1, __ATOMIC_RELEASE);
		if (gap > 100 * NSEC_PER_MSEC && m->last_done == 0)
			break; /* the stall path: never taken here */
		lat = t1 - t0;
		lat_record(h, lat);
		bin = min((t1 - m->t_measure) >> 20, (u64)MICRO_TL_BINS - 1);
		m->tl_count[bin]++;
		m->tl_max[bin] = max(m->tl_max[bin], lat);
		if (__atomic_load_n(&m->victim, __ATOMIC_RELAXED) >= 0)
			lat_record(h, lat);
		if (m->show_progress) {
			i = lat_index(h, lat) & 63;
			__atomic_store_n(&m->progress[i], m->progress[i] + 1,
					 __ATOMIC_RELAXED);
		}
		__atomic_store_n(&m->ops, m->ops + 1, __ATOMIC_RELEASE);
	}
	free(m);
}

int micro_register_measure(void)
{
	int ret = lat_create(LAT_DEFAULT_DIGITS, &micro_hist);

	micro_stream_init();
	if (ret)
		return ret;
	if (!gbench_register("measure/lat_record", micro_lat_record,
			     micro_hist))
		return -ENOMEM;
	/* The clock's are not counted: a clock read's path varies */
	if (gbench_icount_mode())
		return 0;
	if (!gbench_register("measure/clock_read", micro_clock_read, NULL) ||
	    !gbench_register("measure/op_floor", micro_measure_floor,
			     micro_hist) ||
	    !gbench_register("measure/mapper_op_overhead", micro_measure_op,
			     micro_hist))
		return -ENOMEM;
	return 0;
}

void micro_measure_unregister(void)
{
	lat_destroy(micro_hist);
	micro_hist = NULL;
}
