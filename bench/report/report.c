// SPDX-License-Identifier: GPL-2.0
/* report: report.txt of a results folder (see report.h) */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/kernel.h>

#include "compare/compare.h"
#include "lib/opt.h"
#include "lib/fmt.h"
#include "lib/json.h"
#include "lib/results.h"
#include "report/report.h"

#define EXIT_USAGE 2
/* the 1-minute load per CPU above which the report warns */
#define REPORT_LOADED_PER_CPU 0.5

/* env.json's guest (a real-kernel run) in a line */
void report_guest(const struct json *env, FILE *f)
{
	const struct json *g = json_get(env, "guest");

	if (!g)
		return;
	fprintf(f, "guest: %.0f device(s)%s, topology %.8s, DMA %.8s\n",
		json_num(g, "devices", 0),
		json_get(g, "ats") && json_get(g, "ats")->num ? " with ATS" :
								"",
		json_str(g, "topology", "?"), json_str(g, "dma_mode", "?"));
}

/*
 * env.json's tuning in a line, and a warning line for each thing that
 * makes the figures less trustworthy: a loaded machine, frequency scaling.
 * The load is the 1-minute average when the results began, which lags by a
 * minute and counts our own threads (after a build it is high while every
 * run finds the machine idle): it warns only when no run measured what else
 * the machine did (!@runs_measured: results from before bench/lib/load.h).
 */
void report_tuning(const struct json *env, bool runs_measured, FILE *f)
{
	const struct json *t = json_get(env, "tuning");
	const struct json *load = json_get(t, "load_avg");
	const struct json *boost = json_get(t, "boost");
	const char *gov = json_str(t, "governor", NULL);
	double cpus = json_num(env, "online_cpus", 1);
	double load1 = load && load->child ? load->child->num : -1;
	bool boosting = boost && boost->type == JSON_BOOL && boost->num;

	if (!t)
		return; /* an env.json from before the field */
	fprintf(f, "tuning: governor %.16s, boost %s, SMT %.16s, ASLR %.4s",
		gov ? gov : "-",
		boost && boost->type == JSON_BOOL ? (boosting ? "on" : "off") :
						    "-",
		json_str(t, "smt", "-"), json_str(t, "aslr", "-"));
	if (load1 >= 0)
		fprintf(f, ", load %.2f", load1);
	fputc('\n', f);
	if (!runs_measured && load1 >= REPORT_LOADED_PER_CPU * cpus)
		fprintf(f,
			"WARNING: loaded machine: load %.2f on %.0f CPUs when "
			"it began\n",
			load1, cpus);
	if ((gov && strcmp(gov, "performance")) || boosting)
		fprintf(f,
			"WARNING: frequency scaling: governor %.16s, boost "
			"%s\n",
			gov ? gov : "-", boosting ? "on" : "off");
}

/*
 * Whether @dir holds wall-clock evidence (micro.json, a stress run in real
 * time), which a loaded machine would distort: exact counts (kernel runs,
 * virtual time) need no warning about the machine's load.  *@measured: its
 * runs that measured what else the machine did meanwhile (bench/lib/load.h:
 * a micro run's load_under, a stress run's machine_load), *@loaded: those
 * measured under load.
 */
static bool report_timed(const char *dir, unsigned int *measured,
			 unsigned int *loaded)
{
	char path[RESULTS_PATH_MAX], err[128], **names = NULL;
	const struct json *b, *load;
	bool timed = false;
	struct json *j;
	int n, i;

	*measured = *loaded = 0;
	snprintf(path, sizeof(path), "%s/micro.json", dir);
	if (!access(path, R_OK)) {
		timed = true;
		/* Google Benchmark writes NaN (a deviation over a mean of 0) */
		if (!json_parse_file_flags(path, JSON_NONFINITE, &j, err,
					   sizeof(err))) {
			b = json_get(j, "benchmarks");
			for (b = b ? b->child : NULL; b; b = b->next) {
				load = json_get(b, "load_under");
				if (!load || load->type != JSON_NUMBER ||
				    strcmp(json_str(b, "run_type", ""),
					   "iteration"))
					continue;
				(*measured)++;
				*loaded += load->num > 0;
			}
			json_free(j);
		}
	}
	n = results_files(dir, "stress-", ".json", &names);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		free(names[i]);
		if (json_parse_file(path, &j, err, sizeof(err)))
			continue;
		if (strcmp(json_str(j, "clock", ""), "virtual")) {
			timed = true;
			load = json_get(j, "machine_load");
			if (load) {
				(*measured)++;
				*loaded += json_num(load, "under_load", 0) > 0;
			}
		}
		json_free(j);
	}
	free(names);
	return timed;
}

static void report_env(const char *dir, FILE *f)
{
	char path[RESULTS_PATH_MAX], err[128];
	unsigned int measured, loaded;
	const struct json *topo;
	struct json *env;

	snprintf(path, sizeof(path), "%s/env.json", dir);
	if (json_parse_file(path, &env, err, sizeof(err))) {
		fprintf(f, "env: no env.json\n");
		return;
	}
	topo = json_get(env, "topology");
	fprintf(f, "env: %.7s %.10s%s, %.10s %.8s, Linux %.16s\n",
		json_str(env, "git_sha", "?"), json_str(env, "git_branch", "?"),
		json_num(env, "git_dirty", 0) ? " (dirty)" : "",
		json_str(env, "compiler", "?"),
		json_str(env, "build_type", "?"), json_str(env, "kernel", "?"));
	/* Not env.json's clock: that is the last run's, and runs differ */
	fprintf(f, "cpu: %.32s, %.0f PUs, %.0f node(s), %s\n",
		json_str(env, "cpu_model", "?"), json_num(topo, "pus", 0),
		json_num(topo, "numa_nodes", 0), json_str(topo, "mode", "?"));
	if (report_timed(dir, &measured, &loaded))
		report_tuning(env, measured, f);
	if (loaded)
		fprintf(f,
			"WARNING: %u of %u wall-clock runs measured under "
			"load\n  (others' CPUs or steal over bench/lib/load.h's "
			"limits)\n",
			loaded, measured);
	report_guest(env, f);
	json_free(env);
}

/* @item at column *@col, on a new indented line if it would pass the width */
void report_wrap(FILE *f, unsigned int *col, const char *item)
{
	size_t n = strlen(item);

	if (*col + n > FMT_COLUMNS) {
		fputs("\n   ", f);
		*col = 3;
	}
	fputs(item, f);
	*col += n;
}

/* A per-second count: total, mean and highest second */
static void report_per_s(const struct json *e, const char *key,
			 const char *label, FILE *f)
{
	char arr[32];
	const struct json *s;
	double max = 0, n = 0;

	snprintf(arr, sizeof(arr), "%s_per_s", key);
	for (s = json_get(e, arr) ? json_get(e, arr)->child : NULL; s;
	     s = s->next, n++)
		max = s->num > max ? s->num : max;
	fprintf(f, "  %-14s %8.0f  %7.1f/s mean  %5.0f/s max\n", label,
		json_num(e, key, 0), n ? json_num(e, key, 0) / n : 0, max);
}

/* ATS runs: ATC_INVs per SID, and the injected timeouts' errors */
static void report_kernel_ats(const struct json *k, double ops, FILE *f)
{
	const struct json *a, *e = json_get(k, "atc_errors");
	double per_sid[8][3] = {}; /* sid, sent, failed */
	unsigned int nsid = 0, i, col;

	for (a = json_get(k, "atc_inv") ? json_get(k, "atc_inv")->child : NULL;
	     a; a = a->next) {
		double sid = json_num(a, "sid", -1),
		       n = json_num(a, "count", 0);

		for (i = 0; i < nsid && per_sid[i][0] != sid; i++)
			;
		if (i == sizeof(per_sid) / sizeof(per_sid[0]))
			continue;
		if (i == nsid)
			per_sid[nsid++][0] = sid;
		per_sid[i][1] += n;
		if (json_num(a, "fails", 0))
			per_sid[i][2] += n;
	}
	fputs("  ATC_INV by SID:", f);
	col = 17;
	for (i = 0; i < nsid; i++) {
		char item[64];
		int n = snprintf(item, sizeof(item), " %#x %.0f (%.2f/op",
				 (unsigned int)per_sid[i][0], per_sid[i][1],
				 ops ? per_sid[i][1] / ops : 0);

		if (per_sid[i][2])
			n += snprintf(item + n, sizeof(item) - n,
				      ", %.0f failed", per_sid[i][2]);
		snprintf(item + n, sizeof(item) - n, ")");
		report_wrap(f, &col, item);
	}
	fputs(nsid ? "\n" : " none (ATS on, not one sent)\n", f);
	if (!json_str(k, "atc_timeout", NULL))
		return;
	fprintf(f, "  ATC timeouts injected: %.50s\n",
		json_str(k, "atc_timeout", "?"));
	report_per_s(e, "smmu", "SMMU errors", f);
	report_per_s(e, "kernel", "kernel reports", f);
	report_per_s(e, "sync_timeouts", "sync timeouts", f);
}

/* One real-kernel run: counts per operation, latencies, opcodes */
static void report_kernel_run(const struct json *k, FILE *f)
{
	const struct json *m = json_get(k, "metrics"), *op;
	static const struct {
		const char *metric, *label;
	} lats[] = {
		{ "cmdq_issue_ns", "cmdq issue" },
		{ "inv_ns", "domain inv" },
	};
	double ops = json_num(k, "ops", 0);
	char b[4][16];
	unsigned int i, col;

	fprintf(f, "%-*.*s %-21.21s %7.0f %7.2f %7.2f %7.2f\n",
		REPORT_NAME_COLS - 14, REPORT_NAME_COLS - 14,
		json_str(k, "name", "?"), json_str(k, "kernel", "?"), ops,
		json_num(k, "cmds_per_op", 0), json_num(k, "syncs_per_op", 0),
		json_num(k, "lists_per_op", 0));
	fprintf(f, "  %.35s at %.31s\n", json_str(k, "design", "?"),
		json_str(json_get(k, "points"), "op", "?"));
	if (json_get(k, "dma_map_benchmark") &&
	    json_get(k, "dma_map_benchmark")->type == JSON_OBJECT) {
		const struct json *d = json_get(k, "dma_map_benchmark");

		/* the kernel's selftest's lines, in its units */
		fprintf(f,
			"  dma_map_benchmark: threads %.0f seconds %.0f "
			"granule %.0f\n"
			"  average map latency(us):%.1f standard "
			"deviation:%.1f\n"
			"  average unmap latency(us):%.1f standard "
			"deviation:%.1f\n",
			json_num(d, "threads", 0), json_num(d, "seconds", 0),
			json_num(d, "granule", 0), json_num(d, "map_us", 0),
			json_num(d, "map_stddev_us", 0),
			json_num(d, "unmap_us", 0),
			json_num(d, "unmap_stddev_us", 0));
	}
	if (json_str(k, "topology", NULL))
		fprintf(f, "  topology %.8s, DMA %.8s%s\n",
			json_str(k, "topology", "?"),
			json_str(k, "dma_mode", "?"),
			json_num(k, "ats", 0) ? ", ATS" : "");
	for (i = 0; i < sizeof(lats) / sizeof(lats[0]); i++) {
		const struct json *h = json_get(m, lats[i].metric);

		if (!json_num(h, "count", 0))
			continue;
		fprintf(f, "  %-10s p50 %7s p99 %7s p99.9 %7s max %7s\n",
			lats[i].label, fmt_ns(json_num(h, "p50", -1), b[0], 16),
			fmt_ns(json_num(h, "p99", -1), b[1], 16),
			fmt_ns(json_num(h, "p99_9", -1), b[2], 16),
			fmt_ns(json_num(h, "max", -1), b[3], 16));
	}
	op = json_get(k, "smmu_opcodes");
	if (!op || !op->child || !ops)
		return;
	fputs("  SMMU commands per op:", f);
	col = 23;
	for (op = op->child; op; op = op->next) {
		char item[48];

		snprintf(item, sizeof(item), " %s %.2f", op->key,
			 op->num / ops);
		report_wrap(f, &col, item);
	}
	fputc('\n', f);
	if (json_num(k, "ats", 0))
		report_kernel_ats(k, ops, f);
}

static void report_kernel(const char *dir, FILE *f)
{
	char **names = NULL;
	int n = results_files(dir, "kernel-", ".json", &names), i;
	bool header = false;

	for (i = 0; i < n; i++) {
		char path[RESULTS_PATH_MAX], err[128];
		struct json *k;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		free(names[i]);
		if (json_parse_file(path, &k, err, sizeof(err)))
			continue;
		if (!header) {
			fprintf(f,
				"\nReal kernel: commands per invalidation "
				"(exact; cmds without\nthe CMD_SYNCs); "
				"times: %.50s\n",
				json_str(k, "times", "?"));
			fprintf(f, "%-*s %-21s %7s %7s %7s %7s\n",
				REPORT_NAME_COLS - 14, "run", "kernel", "ops",
				"cmds/op", "sync/op", "lists/op");
			header = true;
		}
		report_kernel_run(k, f);
		json_free(k);
	}
	free(names);
}

/*
 * The first JSON file @prefix* of @dir whose string @key is @value (NULL:
 * any string)
 */
static struct json *report_find(const char *dir, const char *prefix,
				const char *key, const char *value)
{
	char **names = NULL, path[RESULTS_PATH_MAX], err[128];
	int n = results_files(dir, prefix, ".json", &names), i;
	struct json *found = NULL, *j;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (!found && !json_parse_file(path, &j, err, sizeof(err))) {
			const char *v = json_str(j, key, NULL);

			if (v && (!value || !strcmp(v, value)))
				found = j;
			else
				json_free(j);
		}
		free(names[i]);
	}
	free(names);
	return found;
}

/*
 * A real kernel's ATC timeout storm (kernel run --atc-timeout) and the
 * series' timeout-storm in simulation, when one folder holds both
 */
static void report_storm_vs_series(const char *dir, FILE *f)
{
	struct json *k = report_find(dir, "kernel-", "atc_timeout", NULL);
	struct json *s =
		report_find(dir, "stress-", "scenario", "timeout-storm");
	const struct json *e = json_get(k, "atc_errors"), *a;
	double failed = 0;
	char b[2][16];

	if (!k || !s)
		goto out;
	for (a = json_get(k, "atc_inv") ? json_get(k, "atc_inv")->child : NULL;
	     a; a = a->next)
		if (json_num(a, "fails", 0))
			failed += json_num(a, "count", 0);
	fprintf(f,
		"\nA device stops answering ATC invalidations: upstream "
		"against\nthe series (plot atc-storm-%.30s)\n",
		json_str(k, "name", "?"));
	fprintf(f,
		"  upstream %.20s (QEMU): failed ATC_INVs %.0f, error\n"
		"    reports %.0f, CMD_SYNC timeouts %.0f, invalidation max %s\n",
		json_str(k, "kernel", "?"), failed, json_num(e, "kernel", 0),
		json_num(e, "sync_timeouts", 0),
		fmt_ns(json_num(json_get(json_get(k, "metrics"), "inv_ns"),
				"max", -1),
		       b[0], 16));
	fprintf(f,
		"  the series (simulation, %.12s): ATC timeouts %.0f,\n"
		"    quarantines %.0f, ATC_INVs to a quarantined device %.0f,\n"
		"    invalidation max %s\n",
		json_str(s, "strategy", "?"), json_num(s, "timeouts", 0),
		json_num(s, "quarantines", 0),
		json_num(s, "atc_invs_to_broken", 0),
		fmt_ns(json_num(json_get(json_get(s, "metrics"), "inv_ns"),
				"max", -1),
		       b[1], 16));
out:
	json_free(k);
	json_free(s);
}

/* Mean isolation time at k = 1, one timeout, n = 8, 64, 512 */
static void report_isolate(const char *dir, FILE *f)
{
	static const unsigned int ns[] = { 8, 64, 512 };
	char path[RESULTS_PATH_MAX], err[128], b[16];
	const struct json *cells, *c, *s;
	const char *seen[16];
	unsigned int nseen = 0, i;
	struct json *iso;
	double timeout = 1e6;

	snprintf(path, sizeof(path), "%s/isolate.json", dir);
	if (json_parse_file(path, &iso, err, sizeof(err)))
		return;
	cells = json_get(iso, "cells");
	fprintf(f, "\nIsolation sweep (virtual time): mean time to find 1 "
		   "faulty device,\nATC timeout 1 ms; innocent devices "
		   "quarantined in brackets\n");
	fprintf(f, "%-14s", "strategy");
	for (i = 0; i < 3; i++)
		fprintf(f, " %11s%-3u", "n=", ns[i]);
	fputc('\n', f);
	for (s = cells ? cells->child : NULL; s; s = s->next) {
		const char *name = json_str(s, "strategy", "?");
		unsigned int k;

		for (k = 0; k < nseen && strcmp(seen[k], name); k++)
			;
		if (k < nseen || nseen == 16)
			continue;
		seen[nseen++] = name;
		fprintf(f, "%-14.14s", name);
		for (i = 0; i < 3; i++) {
			const char *cell = "-";
			char txt[24];

			for (c = cells->child; c; c = c->next) {
				if (json_num(c, "k", -1) != 1 ||
				    json_num(c, "n", -1) != ns[i] ||
				    json_num(c, "timeout_ns", -1) != timeout ||
				    strcmp(json_str(c, "strategy", ""), name))
					continue;
				snprintf(txt, sizeof(txt), "%s [%.2f]",
					 fmt_ns(json_num(c, "time_ns", -1), b,
						sizeof(b)),
					 json_num(c, "innocent_broken", 0));
				cell = txt;
				break;
			}
			fprintf(f, " %14s", cell);
		}
		fputc('\n', f);
	}
	json_free(iso);
}

/*
 * review's head-of-line answer: the bystanders' mean delay over the healthy
 * run, by the slow device's latency and the queues ("!": a point that
 * failed its checks)
 */
static void report_review_hol(const struct json *hol, FILE *f)
{
	static const char *const cmdqs[] = { "single", "per-cpu", "ats" };
	const struct json *w, *c;
	char b[2][32];
	unsigned int q;

	if (!hol)
		return;
	fprintf(f,
		"\nHead-of-line blocking (modelled, %.0f CPUs): the other CPUs'"
		" mean\nunmap delay while CPU 0 waits on one slow ATS "
		"device\n%-14s",
		json_num(hol, "cpus", 0), "slow ATC_INV");
	for (q = 0; q < ARRAY_SIZE(cmdqs); q++)
		fprintf(f, " %11s", cmdqs[q]);
	fputc('\n', f);
	hol = json_get(hol, "points");
	for (w = hol ? hol->child : NULL; w; w = w->next) {
		double slow = json_num(w, "slow_ns", 0);
		bool timeout = json_num(w, "timeout", 0);

		if (strcmp(json_str(w, "set", ""), "latency") ||
		    strcmp(json_str(w, "cmdq", ""), cmdqs[0]) ||
		    (!slow && !timeout))
			continue;
		fprintf(f, "%-14s",
			timeout ? "timeout" : fmt_ns(slow, b[0], sizeof(b[0])));
		for (q = 0; q < ARRAY_SIZE(cmdqs); q++) {
			double d = 0;
			bool bad = false, found = false;

			for (c = hol->child; c; c = c->next) {
				if (strcmp(json_str(c, "set", ""), "latency") ||
				    strcmp(json_str(c, "cmdq", ""), cmdqs[q]) ||
				    json_num(c, "slow_ns", 0) != slow ||
				    (bool)json_num(c, "timeout", 0) != timeout)
					continue;
				d = json_num(c, "hol_ns", 0);
				bad = json_num(c, "failed", 0);
				found = true;
			}
			if (!found)
				snprintf(b[1], sizeof(b[1]), "-");
			else if (fabs(d) < 1)
				snprintf(b[1], sizeof(b[1]), "0%s",
					 bad ? "!" : "");
			else
				snprintf(b[1], sizeof(b[1]), "%s%s%s",
					 d < 0 ? "-" : "+",
					 fmt_ns(fabs(d), b[0], sizeof(b[0])),
					 bad ? "!" : "");
			fprintf(f, " %11s", b[1]);
		}
		fputc('\n', f);
	}
}

/*
 * atcbench review's batching answer (DIR/review/, as bench.sh writes it, or
 * DIR itself): at a 1 ms ATC timeout, the break-even fault rate per
 * strategy for a few k, and the reproduce line
 */
static void report_review(const char *dir, FILE *f)
{
	static const unsigned int ks[] = { 8, 64, 256 };
	static const char *const strategies[] = { "linear", "bisect",
						  "bisect-infer", "adaptive" };
	char path[RESULTS_PATH_MAX], err[128], txt[24];
	const struct json *rows, *w;
	struct json *rv;
	unsigned int i, s;

	snprintf(path, sizeof(path), "%s/review/review.json", dir);
	if (json_parse_file(path, &rv, err, sizeof(err))) {
		snprintf(path, sizeof(path), "%s/review.json", dir);
		if (json_parse_file(path, &rv, err, sizeof(err)))
			return;
	}
	rows = json_get(rv, "batching");
	fprintf(f,
		"\nBatching k ATS devices under one CMD_SYNC (modelled, ATC "
		"timeout 1 ms):\nit pays unless more than 1 unmap in N "
		"meets a timeout\n%-14s",
		"strategy");
	for (i = 0; i < ARRAY_SIZE(ks); i++)
		fprintf(f, " %8s%-3u", "k=", ks[i]);
	fputc('\n', f);
	for (s = 0; s < ARRAY_SIZE(strategies); s++) {
		fprintf(f, "%-14s", strategies[s]);
		for (i = 0; i < ARRAY_SIZE(ks); i++) {
			const char *cell = "-";

			for (w = rows ? rows->child : NULL; w; w = w->next) {
				double p = json_num(w, "break_even", -1);

				if (json_num(w, "k", -1) != ks[i] ||
				    json_num(w, "timeout_ns", -1) != 1e6 ||
				    strcmp(json_str(w, "strategy", ""),
					   strategies[s]))
					continue;
				if (json_num(w, "batching_always_pays", 0)) {
					cell = "always";
				} else if (p > 0) {
					snprintf(txt, sizeof(txt), "1 in %.0f",
						 1 / p);
					cell = txt;
				}
			}
			fprintf(f, " %11s", cell);
		}
		fputc('\n', f);
	}
	report_review_hol(json_get(rv, "hol"), f);
	fmt_command(f, json_str(rv, "reproduce", ""), 2);
	json_free(rv);
}

void report_plots(const char *dir, FILE *f)
{
	unsigned int col = FMT_COLUMNS;
	char **v = NULL;
	int n = results_files(dir, "", ".svg", &v), i;

	if (n > 0)
		fputs("\nPlots (.svg and .png):", f);
	for (i = 0; i < n; i++) {
		size_t len = strlen(v[i]) - 4; /* without .svg */

		if (col + 1 + len > FMT_COLUMNS) {
			fputs("\n ", f);
			col = 1;
		}
		col += fprintf(f, " %.*s", (int)len, v[i]);
		free(v[i]);
	}
	if (n > 0)
		fputc('\n', f);
	free(v);
}

/* The designs a single run's report sets against each other */
static const struct {
	const char *title, *new, *old;
} report_micro_pairs[] = {
	{ "RCU array / locked device list, walker", "walker/rcu/",
	  "walker/devlist/" },
	{ "RCU / lock, read side alone", "readside/rcu/", "readside/devlist/" },
	{ "Lock-free / single-lock command queue", "cmdq/lockfree/",
	  "cmdq/locked/" },
};

/*
 * micro.json's key ratios: each design's median time over its baseline's,
 * benchmark by benchmark (CPU time for one thread, real time for several,
 * as compare judges them); < 1 when the first is faster
 */
static void report_micro(const char *dir, FILE *f)
{
	struct compare_median *m = NULL;
	int n = compare_micro_medians(dir, &m), i, j;
	size_t p;

	if (n <= 0) {
		free(m);
		return;
	}
	fputs("\nMicro benchmarks, time ratios of medians (< 1: the first "
	      "faster;\nCPU time for one thread, wall time for several, as "
	      "compare judges them)\n",
	      f);
	for (p = 0; p < ARRAY_SIZE(report_micro_pairs); p++) {
		const char *new = report_micro_pairs[p].new;
		unsigned int col = FMT_COLUMNS, shown = 0;

		for (i = 0; i < n; i++) {
			char old[COMPARE_NAME_MAX + 16],
				item[COMPARE_NAME_MAX + 32];
			char label[COMPARE_NAME_MAX], *rt;
			const char *rest = m[i].name + strlen(new);

			if (strncmp(m[i].name, new, strlen(new)))
				continue;
			snprintf(old, sizeof(old), "%s%s",
				 report_micro_pairs[p].old, rest);
			for (j = 0; j < n && strcmp(m[j].name, old); j++)
				;
			if (j == n || !(m[j].ns > 0))
				continue;
			if (!shown++)
				fprintf(f,
					"  %s:", report_micro_pairs[p].title);
			/* the benchmark's own part, without /real_time */
			snprintf(label, sizeof(label), "%s", rest);
			rt = strstr(label, "/real_time");
			if (rt)
				memmove(rt, rt + 10, strlen(rt + 10) + 1);
			snprintf(item, sizeof(item), " %s %.2f", label,
				 m[i].ns / m[j].ns);
			report_wrap(f, &col, item);
		}
		if (shown)
			fputc('\n', f);
	}
	free(m);
}

/* Whether @dir holds a results file the report reads */
/* A stress run's violations and WARNs; their number */
static unsigned int report_violations_stress(const struct json *j, FILE *f)
{
	const struct json *v = json_get(j, "first_violation");
	const char *name = json_str(j, "name", "?");
	double n = json_num(j, "oracle_violations", 0);
	double warns = json_num(j, "warns", 0);
	bool real = strcmp(json_str(j, "clock", ""), "virtual");

	if (n) {
		double gave_up =
			json_num(j, "oracle_violations_after_error", 0);
		unsigned int col;

		fprintf(f, "VIOLATION: stress %.40s\n  %.0f oracle violations",
			name, n);
		if (gave_up)
			fprintf(f, " (%.0f after a CMD_SYNC given up on)",
				gave_up);
		if (v && v->type == JSON_OBJECT) {
			char what[256], *w, *save;

			col = fprintf(f, "\n  the first, after %.3f s:",
				      json_num(v, "after_s", 0)) -
			      1;
			snprintf(what, sizeof(what), "%s",
				 json_str(v, "what", "?"));
			for (w = strtok_r(what, " ", &save); w;
			     w = strtok_r(NULL, " ", &save)) {
				char item[64];

				snprintf(item, sizeof(item), " %s", w);
				report_wrap(f, &col, item);
			}
		}
		fputc('\n', f);
	}
	if (warns)
		fprintf(f, "WARN: stress %.40s\n  %.0f WARN_ON()s\n", name,
			warns);
	if ((n || warns) && real)
		fprintf(f,
			"  seed %llu, real time: a rerun may not repeat it\n"
			"  exactly (the seed fixes the faults, not the host's "
			"scheduling)\n",
			json_u64(j, "seed", 0));
	else if (n || warns)
		fprintf(f, "  seed %llu, virtual time: a rerun repeats it\n",
			json_u64(j, "seed", 0));
	return (n > 0) + (warns > 0);
}

/* A kernel run's ATC oracle findings (run --ats); their number */
static unsigned int report_violations_kernel(const struct json *j, FILE *f)
{
	const struct json *o = json_get(j, "atc_oracle"), *s;
	const char *name = json_str(j, "name", "?");
	double timeouts =
		json_num(json_get(j, "atc_errors"), "sync_timeouts", 0);
	unsigned int found = 0;

	if (json_num(json_get(j, "dropped"), "list_sizes", 0)) {
		fprintf(f,
			"WARN: kernel %.16s: the tracer dropped %.0f list "
			"shapes:\n  their counts fall short, not exact\n",
			name,
			json_num(json_get(j, "dropped"), "list_sizes", 0));
		found++;
	}
	if (!o || o->type != JSON_OBJECT)
		return found;
	for (s = json_get(o, "sids") ? json_get(o, "sids")->child : NULL; s;
	     s = s->next) {
		unsigned int sid = json_num(s, "sid", 0);
		const struct json *first = json_get(s, "first_stale");

		if (json_num(s, "stale_hits", 0)) {
			fprintf(f,
				"VIOLATION: kernel %.16s: SID %#x: %.0f stale "
				"ATC hits\n  (a translation used after its "
				"unmap returned)\n  first IOVAs:",
				name, sid, json_num(s, "stale_hits", 0));
			for (first = first ? first->child : NULL; first;
			     first = first->next)
				fprintf(f, " %.18s", first->str);
			fputc('\n', f);
			if (timeouts)
				fprintf(f,
					"  %.0f CMD_SYNCs timed out: the kernel "
					"waits 1 s, then\n  returns with the "
					"ATC_INVs before them not run\n",
					timeouts);
			found++;
		}
		if (json_num(s, "order_violations", 0)) {
			fprintf(f,
				"VIOLATION: kernel %.16s: SID %#x: %.0f "
				"ATC_INVs before\n  the CMD_SYNC of a TLBI "
				"of the same page\n",
				name, sid, json_num(s, "order_violations", 0));
			found++;
		}
		if (json_get(s, "eats") && json_get(s, "eats")->num &&
		    !json_num(s, "atc_invs", 0)) {
			fprintf(f,
				"VIOLATION: kernel %.16s: ATS device %#x\n  "
				"received no ATC invalidation for %.0f "
				"unmaps\n",
				name, sid, json_num(j, "ops", 0));
			found++;
		}
	}
	return found;
}

/*
 * What must not pass, before anything else: stress runs' oracle
 * violations and WARNs, kernel runs' ATC oracle findings, and the runs
 * that failed (failed-runs, one line each, written by bench.sh); their
 * number
 */
unsigned int report_violations(const char *dir, FILE *f)
{
	static const char *const kinds[] = { "stress-", "kernel-" };
	char path[RESULTS_PATH_MAX], err[128], line[1024], **names;
	unsigned int found = 0, k;
	FILE *failed;
	int n, i;

	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		names = NULL;
		n = results_files(dir, kinds[k], ".json", &names);
		for (i = 0; i < n; i++) {
			struct json *j;

			snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
			free(names[i]);
			if (json_parse_file(path, &j, err, sizeof(err)))
				continue;
			found += k ? report_violations_kernel(j, f) :
				     report_violations_stress(j, f);
			json_free(j);
		}
		free(names);
	}
	snprintf(path, sizeof(path), "%s/failed-runs", dir);
	failed = fopen(path, "r");
	while (failed && fgets(line, sizeof(line), failed)) {
		/* "WHAT: exit N: COMMAND": the command wrapped below */
		char *cmd = strstr(line, ": exit "), *w, *save;
		unsigned int col = 2;

		line[strcspn(line, "\n")] = '\0';
		cmd = cmd ? strchr(cmd + 7, ':') : NULL;
		if (cmd)
			*cmd++ = '\0';
		fprintf(f, "FAILED: %.64s\n ", line);
		for (w = cmd ? strtok_r(cmd, " ", &save) : NULL; w;
		     w = strtok_r(NULL, " ", &save)) {
			char item[80];

			snprintf(item, sizeof(item), " %.70s", w);
			report_wrap(f, &col, item);
		}
		fputc('\n', f);
		found++;
	}
	if (failed)
		fclose(failed);
	return found;
}

static bool report_has_results(const char *dir)
{
	static const char *const kinds[] = { "stress-", "kernel-" };
	static const char *const files[] = { "micro.json", "isolate.json" };
	char path[RESULTS_PATH_MAX], **names = NULL;
	size_t i;
	int n, k;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		n = results_files(dir, kinds[i], ".json", &names);
		for (k = 0; k < n; k++)
			free(names[k]);
		free(names);
		names = NULL;
		if (n > 0)
			return true;
	}
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		if (!access(path, R_OK))
			return true;
	}
	return false;
}

int report_render(const char *dir, FILE *f)
{
	char path[RESULTS_PATH_MAX];
	struct stat st;

	if (stat(dir, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	snprintf(path, sizeof(path), "%s/compare.json", dir);
	if (!stat(path, &st))
		return report_comparison(dir, f);
	if (!report_has_results(dir))
		return -ENODATA;
	if (report_violations(dir, f))
		fputc('\n', f);
	fprintf(f, "atcbench results: %.54s\n", dir);
	report_env(dir, f);
	report_stress(dir, f);
	report_kernel(dir, f);
	report_storm_vs_series(dir, f);
	report_isolate(dir, f);
	report_review(dir, f);
	report_micro(dir, f);
	report_plots(dir, f);
	return ferror(f) ? -EIO : 0;
}

int report_write(const char *dir, FILE *print)
{
	char path[RESULTS_PATH_MAX], err[RESULTS_PATH_MAX + 256];
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	/* a file that does not parse, or is not what its name says: refused */
	ret = results_check_dir(dir, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "atcbench report: %s\n", err);
		return ret;
	}
	f = open_memstream(&buf, &len);
	if (!f)
		return -ENOMEM;
	ret = report_render(dir, f);
	fclose(f);
	if (ret) {
		fprintf(stderr, "atcbench report: %s: %s\n", dir,
			ret == -ENODATA ? "no results (stress-*.json, "
					  "kernel-*.json, micro.json, "
					  "isolate.json or compare.json)" :
					  strerror(-ret));
		free(buf);
		return ret;
	}
	snprintf(path, sizeof(path), "%s/report.txt", dir);
	ret = results_write_file(path, buf, len);
	if (ret)
		fprintf(stderr, "atcbench report: %s: %s\n", path,
			strerror(-ret));
	else if (print)
		fwrite(buf, 1, len, print);
	free(buf);
	return ret;
}

int report_cmd(int argc, char **argv)
{
	const struct opt_group g = { .opts = NULL };
	const char *dir = NULL;
	int npos, ret;

	ret = opt_parse("report", &g, 0, argc, argv, &dir, 1, &npos);
	if (ret > 0) {
		puts("usage: atcbench report DIR\n\nwrite DIR/report.txt "
		     "from the results in DIR and print it");
		return 0;
	}
	if (ret)
		return EXIT_USAGE;
	if (!dir) {
		fputs("usage: atcbench report DIR\n", stderr);
		return EXIT_USAGE;
	}
	ret = report_write(dir, stdout);
	if (ret == -ENOENT || ret == -ENOTDIR || ret == -ENODATA ||
	    ret == -EINVAL)
		return EXIT_USAGE;
	return ret ? EXIT_FAILURE : 0;
}
