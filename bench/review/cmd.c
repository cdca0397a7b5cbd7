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

#define EXIT_USAGE 2
#define REVIEW_CMDLINE_BYTES 2048

struct review_args {
	const char *out;
	struct isolate_grid grid;
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
	      "batching stops paying.  Writes DIR/review.json,\n"
	      "DIR/review-batching.tsv, DIR/review.txt (printed) and\n"
	      "DIR/review-batching.png; each figure has its reproduce line.\n",
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
	const char *cmdline;
};

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
	return ferror(f) ? -EIO : 0;
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
	fputs("]}\n", f);
	return ferror(f) ? -EIO : 0;
}

int review_cmd(int argc, char **argv)
{
	const struct opt_group grp = OPT_GROUP(review_opts, NULL);
	struct opt_group g = grp;
	char cmdline[REVIEW_CMDLINE_BYTES] = "";
	char path[RESULTS_PATH_MAX];
	struct review_batching *rows = NULL;
	struct review_result r;
	struct review_args a;
	size_t cl = 0;
	int npos, ret, n, i;

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
	for (i = 0; i < argc && cl < sizeof(cmdline); i++)
		cl += snprintf(cmdline + cl, sizeof(cmdline) - cl, "%s%s",
			       i ? " " : "atcbench ", argv[i]);
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
	r = (struct review_result){
		.a = &a, .rows = rows, .n = n, .cmdline = cmdline
	};
	snprintf(path, sizeof(path), "%s/review.json", a.out);
	ret = results_write_with(path, review_write_json, &r);
	snprintf(path, sizeof(path), "%s/review-batching.tsv", a.out);
	if (!ret)
		ret = results_write_with(path, review_write_tsv, &r);
	snprintf(path, sizeof(path), "%s/review.txt", a.out);
	if (!ret)
		ret = results_write_with(path, review_write_txt, &r);
	if (!ret)
		ret = review_write_txt(stdout, &r);
	free(rows);
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
	return 0;
}
