// SPDX-License-Identifier: GPL-2.0
/* load: the machine's other work and steal over a span (see load.h) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "lib/load.h"

int load_sample(struct load_sample *s)
{
	/* cpu user nice system idle iowait irq softirq steal */
	unsigned long long v[8] = {};
	struct timespec cpu, mono;
	double hz = (double)sysconf(_SC_CLK_TCK);
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return -errno;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
		   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n < 4 || hz <= 0)
		return -EIO;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	s->steal = n == 8 ? v[7] : 0;
	s->total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + s->steal;
	/* busy: everything but idle, iowait and steal */
	s->busy = v[0] + v[1] + v[2] + v[5] + v[6];
	s->hz = hz;
	s->self_s = cpu.tv_sec + cpu.tv_nsec / 1e9;
	s->wall_s = mono.tv_sec + mono.tv_nsec / 1e9;
	return 0;
}

void load_between(const struct load_sample *a, const struct load_sample *b,
		  struct load *out)
{
	double wall = b->wall_s - a->wall_s;
	double busy = (double)(b->busy - a->busy) / b->hz;
	unsigned long long total = b->total - a->total;
	double avg[1];

	out->others = wall > 0 ? (busy - (b->self_s - a->self_s)) / wall : 0;
	if (out->others < 0)
		out->others = 0;
	out->steal = total ? (double)(b->steal - a->steal) / total : 0;
	out->avg1 = getloadavg(avg, 1) == 1 ? avg[0] : -1;
	out->under = out->others > LOAD_OTHERS_MAX ||
		     (out->steal > LOAD_STEAL_MAX &&
		      b->steal - a->steal >= LOAD_STEAL_MIN_TICKS);
}

int load_since(const struct load_sample *a, struct load *out)
{
	struct load_sample b;
	int ret = load_sample(&b);

	if (!ret)
		load_between(a, &b, out);
	return ret;
}

const char *load_fmt(const struct load *l, char *buf, size_t len)
{
	snprintf(buf, len, "others %.2f CPUs, steal %.1f %%%s", l->others,
		 l->steal * 100, l->under ? ", UNDER LOAD" : "");
	return buf;
}

void load_json(FILE *f, const struct load *l)
{
	fprintf(f,
		"{\"others_cpus\": %.3f, \"steal\": %.4f, "
		"\"load_avg_1m\": %.2f, \"under_load\": %s}",
		l->others, l->steal, l->avg1, l->under ? "true" : "false");
}
