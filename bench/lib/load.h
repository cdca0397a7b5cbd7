/* SPDX-License-Identifier: GPL-2.0 */
/*
 * load: what else the machine did while a figure was measured.  Two samples
 * of /proc/stat (every CPU's ticks: busy, stolen, in all), of this process's
 * CPU time and of the monotonic clock give, for the span between them:
 *
 *   others  CPUs' worth of work that was not this process's (the machine's
 *           busy ticks less our CPU time, over the span): another benchmark,
 *           a build, a test run beside it
 *   steal   the share of the CPUs' time the hypervisor gave to someone else
 *           (a VM's steal column): time the measured thread may have lost
 *           without being descheduled by the guest at all
 *
 * A wall-clock figure measured with others above LOAD_OTHERS_MAX or steal
 * above LOAD_STEAL_MAX is "under load": printed and written with the
 * figure, so that nobody reads it as the machine's.  /proc/stat counts in
 * USER_HZ ticks (10 ms): a span of a second resolves 1 % of a CPU.
 */
#ifndef LOAD_H
#define LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Another process busy for a quarter of a CPU over the span: loaded */
#define LOAD_OTHERS_MAX 0.25
/*
 * 2 % of the CPUs' time stolen by the hypervisor: loaded, once it is more
 * than one tick (a VM here steals a tick every few seconds when idle, and
 * one tick is 3 % of a 0.15 s span on 2 CPUs)
 */
#define LOAD_STEAL_MAX 0.02
#define LOAD_STEAL_MIN_TICKS 2

struct load_sample {
	unsigned long long busy, steal, total; /* ticks, every CPU */
	double hz; /* ticks per second */
	double self_s; /* this process's CPU time, every thread */
	double wall_s; /* CLOCK_MONOTONIC */
};

struct load {
	double others; /* CPUs */
	double steal; /* 0..1 */
	double avg1; /* the 1-minute load average at the end; -1: none */
	bool under; /* above LOAD_OTHERS_MAX, or LOAD_STEAL_MAX */
};

/* load_fmt()'s longest */
#define LOAD_FMT_MAX 64

/* Sample now; -errno when /proc/stat cannot be read (no figures then) */
int load_sample(struct load_sample *s);
/* The span from @a to @b (@a taken first) */
void load_between(const struct load_sample *a, const struct load_sample *b,
		  struct load *out);
/* The span from @a to now; -errno when now cannot be sampled */
int load_since(const struct load_sample *a, struct load *out);
/*
 * "others 0.03 CPUs, steal 0.0 %" (with ", UNDER LOAD" when it is) into
 * @buf of @len bytes; returns @buf
 */
const char *load_fmt(const struct load *l, char *buf, size_t len);
/*
 * The JSON object {"others_cpus": ..., "steal": ..., "load_avg_1m": ...,
 * "under_load": ...} on @f
 */
void load_json(FILE *f, const struct load *l);

#endif /* LOAD_H */
