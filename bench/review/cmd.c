// SPDX-License-Identifier: GPL-2.0
/*
 * review: "atcbench review --out DIR": the reviewers' questions answered in
 * modelled time, written as review.json, review-batching.tsv, review.txt
 * (printed) and plots
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/env.h"
#include "lib/fmt.h"
#include "lib/json.h"
#include "lib/opt.h"
#include "lib/results.h"
#include "review/review.h"
#include "scale/internal.h"
#include <khooks/vcpu.h>

#define EXIT_USAGE 2
#define REVIEW_CMDLINE_BYTES 2048

struct review_args {
	const char *out;
	struct isolate_grid grid;
	struct review_hol_args hol;
};

#define RO(n, t, field, lo, hi, fn, a, h)                              \
	{                                                              \
		.name = n, .type = t,                                  \
		.off = offsetof(struct review_args, field), .min = lo, \
		.max = hi, .parse = fn, .arg = a, .help = h            \
	}

static const struct opt review_opts[] = {
	RO("out", OPT_STR, out, 0, 0, NULL, "DIR",
	   "where review.json, review.txt and the plots go (required)"),
	RO("grid_n", OPT_FUNC, grid, 1, ISOLATE_MAX_N, isolate_opt_grid, "LIST",
	   "k: the ATS devices under one unmap (default 1,2,4..256)"),
	RO("grid_timeout", OPT_FUNC, grid, 0, 0, isolate_opt_grid, "LIST",
	   "ATC invalidation timeouts (default 50us,1ms,50ms,1s)"),
	RO("strategies", OPT_FUNC, grid, 0, 0, isolate_opt_grid, "LIST",
	   "the isolation strategies (default all)"),
	RO("sync", OPT_NS, grid.sync_ns, 0, ISOLATE_MAX_COST_NS, NULL, "D",
	   "a CMD_SYNC's cost"),
	RO("cmd", OPT_NS, grid.cmd_ns, 0, ISOLATE_MAX_COST_NS, NULL, "D",
	   "an ATC_INV's cost"),
	RO("trials", OPT_UINT, grid.trials, 1, ISOLATE_MAX_TRIALS, NULL, "N",
	   "isolation episodes per cell (the faulty device drawn each time)"),
	RO("seed", OPT_U64, grid.seed, 0, U64_MAX, NULL, "N",
	   "where the faulty device sits, episode by episode"),
	RO("hol_cpus", OPT_UINT, hol.cpus, 2, REVIEW_HOL_MAX_CPUS, NULL, "N",
	   "head-of-line: CPU 0 and N - 1 bystanders (the CPUs set: 2, 4, "
	   "... up to 2N)"),
	RO("hol_duration", OPT_NS, hol.duration_ns, REVIEW_HOL_MIN_DURATION_NS,
	   REVIEW_HOL_MAX_DURATION_NS, NULL, "D",
	   "head-of-line: virtual time measured per point (at least the "
	   "ATC timeout)"),
	RO("hol_seed", OPT_U64, hol.seed, 0, U64_MAX, NULL, "N",
	   "head-of-line: the virtual CPUs' ties and choices"),
};

static void review_help(FILE *f)
{
	fputs("usage: atcbench review --out DIR [--grid-n LIST]\n"
	      "                       [--grid-timeout LIST] [OPTIONS]\n"
	      "\n"
	      "Answers, in modelled time, what the quarantine series'\n"
	      "reviewers argued without data: per unmap of k ATS devices, one\n"
	      "CMD_SYNC for all of them against one per device, when nothing\n"
	      "fails and when one device's ATC invalidation times out and each\n"
	      "isolation strategy must find it; and the fault rate above which\n"
	      "batching stops paying.  And head-of-line blocking: how long\n"
	      "other CPUs' unmaps wait while one CPU invalidates for a slow\n"
	      "or timing-out ATS device, with one command queue, a queue per\n"
	      "CPU, or the ATC invalidations on their own (scale's hol\n"
	      "workload, on virtual CPUs).  Writes DIR/review.json,\n"
	      "DIR/review-batching.tsv, DIR/review-hol.tsv, DIR/review.txt\n"
	      "(printed) and the plots review-batching.png and\n"
	      "review-hol.png; each figure has its reproduce line.\n",
	      f);
}

static void review_defaults(struct review_args *a)
{
	unsigned int i;

	memset(a, 0, sizeof(*a));
	isolate_grid_default(&a->grid);
	a->grid.num_ns = 0;
	for (i = 0; i <= 8; i++)
		a->grid.ns[a->grid.num_ns++] = 1u << i;
	a->hol.cpus = 8;
	a->hol.duration_ns = 10 * 1000 * 1000;
	a->hol.seed = 1;
}

/* "1 unmap in N", "always" (batching pays even then), "-" (k = 1) */
static const char *review_rate(double p, char *buf, size_t len)
{
	if (p < 0)
		return "-";
	if (isinf(p))
		return "never";
	if (p >= 1)
		return "always";
	if (1 / p >= 10000)
		snprintf(buf, len, "1 in %.0fk", 1 / p / 1000);
	else
		snprintf(buf, len, 1 / p < 10 ? "1 in %.1f" : "1 in %.0f",
			 1 / p);
	return buf;
}

/* A strategy's column heading, in 10 columns */
static const char *review_short(const char *strategy)
{
	return !strcmp(strategy, "bisect-infer") ? "infer" :
	       !strcmp(strategy, "whole-batch")	 ? "whole" :
						   strategy;
}

struct review_result {
	const struct review_args *a;
	const struct review_batching *rows;
	int n;
	const struct review_hol *hol;
	int num_hol;
	const char *cmdline;
};

/* A change in time, signed: "+1.20us", "-15ns", "0" (under 1 ns) */
static const char *review_delta(double ns, char *buf, size_t len)
{
	char b[32];

	if (fabs(ns) < 1)
		snprintf(buf, len, "0");
	else
		snprintf(buf, len, "%s%s", ns < 0 ? "-" : "+",
			 fmt_ns(fabs(ns), b, sizeof(b)));
	return buf;
}

/* The point of @set with these, or NULL */
static const struct review_hol *
review_hol_find(const struct review_result *r, enum review_hol_set set,
		unsigned int cmdq, unsigned int cpus, unsigned int devs,
		unsigned int bystander, u64 slow_ns, bool timeout)
{
	int i;

	for (i = 0; i < r->num_hol; i++) {
		const struct review_hol *w = &r->hol[i];

		if (w->set == set && w->cmdq == cmdq && w->cpus == cpus &&
		    w->devs == devs && w->bystander == bystander &&
		    w->slow_ns == slow_ns && w->timeout == timeout)
			return w;
	}
	return NULL;
}

/* A slow device's label: "healthy", "10us", "timeout" */
static const char *review_hol_label(const struct review_hol *w, char *buf,
				    size_t len)
{
	if (w->timeout)
		return "timeout";
	if (!w->slow_ns)
		return "healthy";
	return fmt_ns(w->slow_ns, buf, len);
}

/* One line of a set's deltas over @cmdqs at fixed cpus/devs/bystander */
static void review_hol_deltas(FILE *f, const struct review_result *r,
			      const struct review_hol *w0)
{
	static const unsigned int cmdqs[] = { SCALE_CMDQ_SINGLE,
					      SCALE_CMDQ_PER_CPU,
					      SCALE_CMDQ_ATS };
	const struct review_hol *w;
	char b[32];
	unsigned int q;

	for (q = 0; q < ARRAY_SIZE(cmdqs); q++) {
		w = review_hol_find(r, w0->set, cmdqs[q], w0->cpus, w0->devs,
				    w0->bystander, w0->slow_ns, w0->timeout);
		if (w)
			fprintf(f, " %s %s%s", scale_cmdq_names[cmdqs[q]],
				review_delta(w->hol_ns, b, sizeof(b)),
				w->failed ? "!" : "");
	}
}

/* review.txt's second question: head-of-line blocking */
static void review_write_hol_txt(FILE *f, const struct review_result *r)
{
	const struct review_hol_args *a = &r->a->hol;
	const struct review_hol *w, *w0 = NULL;
	struct scale_config d;
	char b[4][32], line[REVIEW_HOL_REPRODUCE_BYTES];
	unsigned int q;
	int i;

	scale_defaults(&d);
	fprintf(f,
		"\n2. Head-of-line blocking.  CPU 0 unmaps, back to back, for "
		"an\n"
		"   ATS device that answers its ATC_INV late (or never: the "
		"%s\n"
		"   ATC timeout); the other %u CPUs unmap pages of their own "
		"(TLBI\n"
		"   and CMD_SYNC).  Their map+unmap latency, mean / p99, with "
		"one\n"
		"   command queue (single, upstream's), a queue per CPU "
		"(per-cpu:\n"
		"   CMDQV, ECMDQ) or the ATC invalidations on a queue of their "
		"own\n"
		"   (ats).  Healthy devices answer in %s; %s measured per "
		"point.\n\n",
		fmt_ns(d.atc_timeout_ns, b[0], sizeof(b[0])), a->cpus - 1,
		fmt_ns(d.dev_ns, b[1], sizeof(b[1])),
		fmt_ns(a->duration_ns, b[2], sizeof(b[2])));
	fprintf(f, "   %-9s", "slow ATC");
	for (q = SCALE_CMDQ_SINGLE; q <= SCALE_CMDQ_ATS; q++)
		fprintf(f, q < SCALE_CMDQ_ATS ? " %-19s" : " %s",
			scale_cmdq_names[q]);
	fputc('\n', f);
	for (i = 0; i < r->num_hol; i++) {
		w = &r->hol[i];
		if (w->set != REVIEW_HOL_LATENCY ||
		    w->cmdq != SCALE_CMDQ_SINGLE)
			continue;
		fprintf(f, "   %-9s", review_hol_label(w, b[0], sizeof(b[0])));
		for (q = SCALE_CMDQ_SINGLE; q <= SCALE_CMDQ_ATS; q++) {
			const struct review_hol *c = review_hol_find(
				r, w->set, q, w->cpus, w->devs, w->bystander,
				w->slow_ns, w->timeout);
			char cell[48];

			snprintf(cell, sizeof(cell), "%s / %s%s",
				 fmt_ns(c->mean_ns, b[1], sizeof(b[1])),
				 fmt_ns(c->p99_ns, b[2], sizeof(b[2])),
				 c->failed ? "!" : "");
			fprintf(f, q < SCALE_CMDQ_ATS ? " %-19s" : " %s", cell);
		}
		fputc('\n', f);
	}
	fputs("\n   The delay over healthy (mean), by the slow device:\n", f);
	for (i = 0; i < r->num_hol; i++) {
		w = &r->hol[i];
		if (w->set != REVIEW_HOL_LATENCY ||
		    w->cmdq != SCALE_CMDQ_SINGLE ||
		    (!w->slow_ns && !w->timeout))
			continue;
		fprintf(f, "   %-9s", review_hol_label(w, b[0], sizeof(b[0])));
		review_hol_deltas(f, r, w);
		fputc('\n', f);
		if (w->slow_ns == REVIEW_HOL_SLOW_NS)
			w0 = w;
	}
	fprintf(f,
		"\n   At %s, by CPUs: the healthy run's mean -> the slow "
		"one's (delay)\n"
		"   CPUs  %-29s %s\n",
		fmt_ns(REVIEW_HOL_SLOW_NS, b[0], sizeof(b[0])),
		scale_cmdq_names[SCALE_CMDQ_SINGLE],
		scale_cmdq_names[SCALE_CMDQ_PER_CPU]);
	for (i = 0; i < r->num_hol; i++) {
		w = &r->hol[i];
		if (w->set != REVIEW_HOL_CPUS || w->cmdq != SCALE_CMDQ_SINGLE ||
		    !w->slow_ns)
			continue;
		fprintf(f, "   %4u", w->cpus);
		for (q = SCALE_CMDQ_SINGLE; q <= SCALE_CMDQ_PER_CPU; q++) {
			const struct review_hol *c = review_hol_find(
				r, w->set, q, w->cpus, w->devs, w->bystander,
				w->slow_ns, false);
			char cell[64];

			snprintf(cell, sizeof(cell), "%s -> %s (%s)%s",
				 fmt_ns(c->mean_ns - c->hol_ns, b[1],
					sizeof(b[1])),
				 fmt_ns(c->mean_ns, b[2], sizeof(b[2])),
				 review_delta(c->hol_ns, b[3], sizeof(b[3])),
				 c->failed ? "!" : "");
			fprintf(f, q == SCALE_CMDQ_SINGLE ? "  %-29s" : " %s",
				cell);
		}
		fputc('\n', f);
	}
	fputs("   by devices under CPU 0's CMD_SYNC (one of them slow):\n", f);
	for (i = 0; i < r->num_hol; i++) {
		w = &r->hol[i];
		if (w->set == REVIEW_HOL_DEVS && w->slow_ns) {
			fprintf(f, "   %2u device%s", w->devs,
				w->devs == 1 ? " " : "s");
			review_hol_deltas(f, r, w);
			fputc('\n', f);
		}
	}
	fputs("   bystanders that invalidate an ATS device of their own too:\n",
	      f);
	for (i = 0; i < r->num_hol; i++) {
		w = &r->hol[i];
		if (w->set == REVIEW_HOL_BYSTANDER && w->slow_ns &&
		    w->cmdq == SCALE_CMDQ_SINGLE) {
			fputs("            ", f);
			review_hol_deltas(f, r, w);
			fputc('\n', f);
		}
	}
	fputs("\n   !: the run failed its checks (an ATC timeout not reported"
	      " to\n"
	      "   CPU 0 alone, a kernel error or WARN): see review.json.  "
	      "Each\n"
	      "   point's reproduce line is in review.json; the 100us, "
	      "single one:\n",
	      f);
	if (w0) {
		review_hol_reproduce(a, w0, line, sizeof(line));
		fmt_command(f, line, 3);
	}
}

/* review.txt: the question, its model, the tables, the reproduce line */
static int review_write_txt(FILE *f, const void *arg)
{
	const struct review_result *r = arg;
	const struct isolate_grid *g = &r->a->grid;
	char b[4][32];
	unsigned int t, s, i;
	int j;

	fprintf(f,
		"atcbench review (modelled time: CMD_SYNC %s, ATC_INV %s)\n"
		"reproduce: %s\n\n",
		fmt_ns(g->sync_ns, b[0], sizeof(b[0])),
		fmt_ns(g->cmd_ns, b[1], sizeof(b[1])), r->cmdline);
	fputs("1. Batching k ATS devices under one CMD_SYNC, against one sync "
	      "per\n"
	      "   device.  Nothing fails: sync + k x cmd against k x (sync +\n"
	      "   cmd).  One device times out: the batch pays the timeout and\n"
	      "   then the strategy's search for the device; a sync per device\n"
	      "   pays the timeout and knows it.  Break-even: batching stops\n"
	      "   paying once more than 1 unmap in N meets a fault (\"never\":\n"
	      "   no search, the k - 1 others quarantined instead).\n",
	      f);
	for (t = 0; t < g->num_timeouts; t++) {
		fprintf(f,
			"\n   ATC timeout %s: the search (mean) / break-even\n",
			fmt_ns(g->timeouts[t], b[0], sizeof(b[0])));
		fprintf(f, "   %4s %7s", "k", "saved");
		for (s = 0; s < g->num_ops; s++)
			fprintf(f, " %10.10s", review_short(g->ops[s]->name));
		fputc('\n', f);
		for (i = 0; i < g->num_ns; i++) {
			unsigned int k = g->ns[i];
			bool first = true;

			if (k == 1) /* one device: the same either way */
				continue;

			for (j = 0; j < r->n; j++) {
				const struct review_batching *w = &r->rows[j];

				if (w->timeout_ns != g->timeouts[t] ||
				    w->k != k)
					continue;
				if (first) {
					fprintf(f, "   %4u %7s", k,
						fmt_ns(w->ok_per_device_ns -
							       w->ok_batched_ns,
						       b[0], sizeof(b[0])));
					first = false;
				}
				fprintf(f, " %10s",
					fmt_ns(w->iso_ns, b[1], sizeof(b[1])));
			}
			fprintf(f, "\n   %4s %7s", "", "");
			for (j = 0; j < r->n; j++) {
				const struct review_batching *w = &r->rows[j];

				if (w->timeout_ns == g->timeouts[t] &&
				    w->k == k)
					fprintf(f, " %10s",
						review_rate(w->break_even, b[2],
							    sizeof(b[2])));
			}
			fputc('\n', f);
		}
	}
	fputs("\n   saved: what one sync for all saves per unmap when nothing "
	      "fails.\n"
	      "   Each cell: the search's mean time, then the break-even.\n"
	      "   infer: bisect-infer.  whole: whole-batch, which searches "
	      "nothing\n"
	      "   and quarantines every device of the batch.  k = 1: the same\n"
	      "   either way.\n",
	      f);
	if (r->num_hol)
		review_write_hol_txt(f, r);
	return ferror(f) ? -EIO : 0;
}

/* review-hol.tsv: every point, in review_hol()'s order */
static int review_write_hol_tsv(FILE *f, const void *arg)
{
	const struct review_result *r = arg;
	int i;

	fputs("# set\tcmdq\tcpus\tdevs\tbystander\tslow_ns\ttimeout\t"
	      "mean_ns\tp99_ns\thol_ns\thol_p99_ns\tops\tslow_ops\t"
	      "failed\n",
	      f);
	for (i = 0; i < r->num_hol; i++) {
		const struct review_hol *w = &r->hol[i];

		fprintf(f,
			"%s\t%s\t%u\t%u\t%s\t%llu\t%d\t%.1f\t%llu\t%.1f\t"
			"%.1f\t%llu\t%llu\t%d\n",
			review_hol_set_names[w->set], scale_cmdq_names[w->cmdq],
			w->cpus, w->devs, scale_bystander_names[w->bystander],
			(unsigned long long)w->slow_ns, w->timeout, w->mean_ns,
			(unsigned long long)w->p99_ns, w->hol_ns, w->hol_p99_ns,
			(unsigned long long)w->ops,
			(unsigned long long)w->slow_ops, w->failed);
	}
	return ferror(f) ? -EIO : 0;
}

/* review.json's "hol" */
static void review_write_hol_json(FILE *f, const struct review_result *r)
{
	char line[REVIEW_HOL_REPRODUCE_BYTES];
	struct scale_config d;
	int i;

	scale_defaults(&d);
	fprintf(f,
		",\"hol\":{\"cpus\":%u,\"duration_ns\":%llu,\"seed\":%llu,"
		"\"dev_ns\":%llu,\"atc_timeout_ns\":%llu,\"profile\":",
		r->a->hol.cpus, (unsigned long long)r->a->hol.duration_ns,
		(unsigned long long)r->a->hol.seed,
		(unsigned long long)d.dev_ns,
		(unsigned long long)d.atc_timeout_ns);
	json_write_str(f, d.profile);
	fputs(",\"points\":[", f);
	for (i = 0; i < r->num_hol; i++) {
		const struct review_hol *w = &r->hol[i];

		fprintf(f,
			"%s{\"set\":\"%s\",\"cmdq\":\"%s\",\"cpus\":%u,"
			"\"devs\":%u,\"bystander\":\"%s\",\"slow_ns\":%llu,"
			"\"timeout\":%s,\"ops\":%llu,\"slow_ops\":%llu,"
			"\"atc_timeouts\":%llu,\"mean_ns\":%.1f,"
			"\"stddev_ns\":%.1f,\"p50_ns\":%llu,\"p99_ns\":%llu,"
			"\"max_ns\":%llu,\"hol_ns\":%.1f,\"hol_p99_ns\":%.1f,"
			"\"failed\":%s,\"reproduce\":",
			i ? "," : "", review_hol_set_names[w->set],
			scale_cmdq_names[w->cmdq], w->cpus, w->devs,
			scale_bystander_names[w->bystander],
			(unsigned long long)w->slow_ns,
			w->timeout ? "true" : "false",
			(unsigned long long)w->ops,
			(unsigned long long)w->slow_ops,
			(unsigned long long)w->atc_timeouts, w->mean_ns,
			w->stddev_ns, (unsigned long long)w->p50_ns,
			(unsigned long long)w->p99_ns,
			(unsigned long long)w->max_ns, w->hol_ns, w->hol_p99_ns,
			w->failed ? "true" : "false");
		review_hol_reproduce(&r->a->hol, w, line, sizeof(line));
		json_write_str(f, line);
		fputc('}', f);
	}
	fputs("]}", f);
}

/* A rate as a TSV cell: NaN (gnuplot skips it) for "-" and "never" */
static double review_tsv_rate(double p)
{
	return p < 0 || isinf(p) ? NAN : p;
}

/* review-batching.tsv: by timeout, then strategy, then k (a curve's rows) */
static int review_write_tsv(FILE *f, const void *arg)
{
	const struct review_result *r = arg;
	const struct isolate_grid *g = &r->a->grid;
	const struct review_batching *w;
	unsigned int t, s;
	int j;

	fputs("# timeout_ns\tk\tstrategy\tok_batched_ns\tok_per_device_ns\t"
	      "iso_ns\tiso_syncs\tinnocent\tbreak_even\tbreak_even_device\n",
	      f);
	for (t = 0; t < g->num_timeouts * g->num_ops; t++) {
		s = t % g->num_ops;
		for (j = 0, w = r->rows; j < r->n; j++, w++) {
			if (w->timeout_ns != g->timeouts[t / g->num_ops] ||
			    strcmp(w->strategy, g->ops[s]->name))
				continue;
			fprintf(f,
				"%llu\t%u\t%s\t%.1f\t%.1f\t%.1f\t%.3f\t%.3f\t",
				(unsigned long long)w->timeout_ns, w->k,
				w->strategy, w->ok_batched_ns,
				w->ok_per_device_ns, w->iso_ns, w->iso_syncs,
				w->innocent);
			fprintf(f, "%.6g\t%.6g\n",
				review_tsv_rate(w->break_even),
				review_tsv_rate(w->break_even_device));
		}
	}
	return ferror(f) ? -EIO : 0;
}

/* A rate as JSON: null for "-" (k = 1) and "never" */
static void review_json_rate(FILE *f, const char *key, double p)
{
	if (p < 0 || isinf(p))
		fprintf(f, ",\"%s\":null", key);
	else
		fprintf(f, ",\"%s\":%.6g", key, p);
}

static int review_write_json(FILE *f, const void *arg)
{
	const struct review_result *r = arg;
	const struct isolate_grid *g = &r->a->grid;
	int j;

	fprintf(f,
		"{\"kind\":\"review\",\"schema_version\":%d,\"modelled\":true,"
		"\"reproduce\":",
		REVIEW_SCHEMA_VERSION);
	json_write_str(f, r->cmdline);
	fprintf(f,
		",\"costs\":{\"sync_ns\":%llu,\"cmd_ns\":%llu},"
		"\"seed\":%llu,\"trials\":%u,\"batching\":[",
		(unsigned long long)g->sync_ns, (unsigned long long)g->cmd_ns,
		(unsigned long long)g->seed, g->trials);
	for (j = 0; j < r->n; j++) {
		const struct review_batching *w = &r->rows[j];

		fprintf(f,
			"%s{\"timeout_ns\":%llu,\"k\":%u,\"strategy\":\"%s\","
			"\"ok_batched_ns\":%.1f,\"ok_per_device_ns\":%.1f,"
			"\"iso_ns\":%.1f,\"iso_syncs\":%.3f,\"innocent\":%.3f",
			j ? "," : "", (unsigned long long)w->timeout_ns, w->k,
			w->strategy, w->ok_batched_ns, w->ok_per_device_ns,
			w->iso_ns, w->iso_syncs, w->innocent);
		review_json_rate(f, "break_even", w->break_even);
		review_json_rate(f, "break_even_device", w->break_even_device);
		fprintf(f, ",\"batching_always_pays\":%s}",
			isinf(w->break_even) || w->break_even >= 1 ? "true" :
								     "false");
	}
	fputc(']', f);
	if (r->num_hol)
		review_write_hol_json(f, r);
	fputs("}\n", f);
	return ferror(f) ? -EIO : 0;
}

int review_cmd(int argc, char **argv)
{
	const struct opt_group grp = OPT_GROUP(review_opts, NULL);
	struct opt_group g = grp;
	char cmdline[REVIEW_CMDLINE_BYTES] = "";
	char path[RESULTS_PATH_MAX];
	struct review_batching *rows = NULL;
	struct review_hol *hol = NULL;
	struct review_result r;
	struct review_args a;
	int npos, ret, n, num_hol, i, failed = 0;

	if (!khooks_vcpu_supported()) {
		env_exec_wmm("review", argc, argv);
		return EXIT_USAGE;
	}
	review_defaults(&a);
	g.base = &a;
	ret = opt_parse("review", &g, 1, argc, argv, NULL, 0, &npos);
	if (ret > 0) {
		review_help(stdout);
		fputs("\noptions (--KEY VALUE or --KEY=VALUE):\n", stdout);
		opt_help(stdout, &g, 1, true);
		return 0;
	}
	if (ret)
		return EXIT_USAGE;
	if (!a.out) {
		fputs("atcbench review: --out DIR is required\n", stderr);
		return EXIT_USAGE;
	}
	env_cmdline(cmdline, sizeof(cmdline), argc, argv);
	ret = results_mkdir(a.out);
	if (!ret)
		ret = env_write(a.out, cmdline, "virtual", a.grid.seed);
	if (ret) {
		fprintf(stderr, "atcbench review: %s: %s\n", a.out,
			strerror(-ret));
		return EXIT_FAILURE;
	}
	n = review_batching(&a.grid, &rows);
	if (n < 0) {
		fprintf(stderr, "atcbench review: batching: %s\n",
			strerror(-n));
		return EXIT_FAILURE;
	}
	num_hol = review_hol(&a.hol, &hol);
	if (num_hol < 0) {
		fprintf(stderr, "atcbench review: head-of-line: %s\n",
			strerror(-num_hol));
		free(rows);
		return EXIT_FAILURE;
	}
	for (i = 0; i < num_hol; i++)
		failed += hol[i].failed;
	r = (struct review_result){ .a = &a,
				    .rows = rows,
				    .n = n,
				    .hol = hol,
				    .num_hol = num_hol,
				    .cmdline = cmdline };
	snprintf(path, sizeof(path), "%s/review.json", a.out);
	ret = results_write_with(path, review_write_json, &r);
	snprintf(path, sizeof(path), "%s/review-batching.tsv", a.out);
	if (!ret)
		ret = results_write_with(path, review_write_tsv, &r);
	snprintf(path, sizeof(path), "%s/review-hol.tsv", a.out);
	if (!ret)
		ret = results_write_with(path, review_write_hol_tsv, &r);
	snprintf(path, sizeof(path), "%s/review.txt", a.out);
	if (!ret)
		ret = results_write_with(path, review_write_txt, &r);
	if (!ret)
		ret = review_write_txt(stdout, &r);
	free(rows);
	free(hol);
	if (ret) {
		fprintf(stderr, "atcbench review: cannot write to %s: %s\n",
			a.out, strerror(-ret));
		return EXIT_FAILURE;
	}
	ret = results_plot(a.out);
	if (ret) {
		fprintf(stderr,
			"atcbench review: %s/scripts/plot.sh %s failed\n",
			ATCBENCH_SOURCE_DIR, a.out);
		return EXIT_FAILURE;
	}
	if (failed) {
		fprintf(stderr,
			"atcbench review: FAILED: %d head-of-line points failed "
			"their checks (\"failed\" in %s/review.json)\n",
			failed, a.out);
		return EXIT_FAILURE;
	}
	return 0;
}
