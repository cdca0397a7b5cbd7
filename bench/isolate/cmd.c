// SPDX-License-Identifier: GPL-2.0
/*
 * isolate: "atcbench isolate": one episode, or the sweep, from the command
 * line
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bitmap.h>
#include <sim/clock.h>

#include "isolate/internal.h"
#include "lib/load.h"
#include "lib/opt.h"
#include "lib/units.h"

/* Option parsing */

__attribute__((format(printf, 1, 2))) static int
isolate_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("atcbench isolate: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -EINVAL;
}

__attribute__((format(printf, 3, 4))) static int
isolate_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

#define ISOLATE_LIST_BYTES 1024

/* Split a comma-separated list into at most ISOLATE_MAX_LIST items */
static int isolate_split(const char *opt, const char *s,
			 char buf[ISOLATE_LIST_BYTES],
			 char *items[ISOLATE_MAX_LIST], unsigned int *num,
			 char *err, size_t errlen)
{
	char *tok, *save;

	if (strlen(s) >= ISOLATE_LIST_BYTES)
		return isolate_err(err, errlen, "%s: list too long", opt);
	strcpy(buf, s);
	*num = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (*num == ISOLATE_MAX_LIST)
			return isolate_err(err, errlen,
					   "%s: more than %d values", opt,
					   ISOLATE_MAX_LIST);
		items[(*num)++] = tok;
	}
	if (!*num)
		return isolate_err(err, errlen, "%s: empty list", opt);
	return 0;
}

/* A comma-separated list of numbers (or durations) in [min, max] */
static int isolate_parse_list(const char *opt, const char *s, bool durations,
			      u64 min, u64 max, u64 *vals, unsigned int *num,
			      char *err, size_t errlen)
{
	char buf[ISOLATE_LIST_BYTES], *items[ISOLATE_MAX_LIST];
	unsigned int i;
	int ret;

	ret = isolate_split(opt, s, buf, items, num, err, errlen);
	for (i = 0; !ret && i < *num; i++) {
		ret = durations ? units_parse_ns(items[i], &vals[i]) :
				  opt_parse_u64(items[i], 0, U64_MAX, &vals[i]);
		if (ret == -EINVAL)
			return isolate_err(err, errlen, "%s: '%s' is not a %s",
					   opt, items[i],
					   durations ? "duration" :
						       "decimal number");
		if (ret || vals[i] < min || vals[i] > max)
			return isolate_err(err, errlen,
					   "%s: %s is out of range [%llu, "
					   "%llu]%s",
					   opt, items[i], min, max,
					   durations ? " ns" : "");
	}
	return ret;
}

int isolate_opt_grid(const struct opt *o, const char *value, void *field,
		     char *err, size_t errlen)
{
	struct isolate_grid *grid = field;
	u64 vals[ISOLATE_MAX_LIST];
	unsigned int num, i;
	int ret;

	if (!strcmp(o->name, "grid_timeout")) {
		ret = isolate_parse_list(o->name, value, true, 1,
					 ISOLATE_MAX_TIMEOUT_NS, grid->timeouts,
					 &num, err, errlen);
		grid->num_timeouts = num;
		return ret;
	}
	if (!strcmp(o->name, "strategies")) {
		char buf[ISOLATE_LIST_BYTES], *items[ISOLATE_MAX_LIST];

		ret = isolate_split(o->name, value, buf, items, &grid->num_ops,
				    err, errlen);
		for (i = 0; !ret && i < grid->num_ops; i++) {
			grid->ops[i] = arm_smmu_atc_isolate_ops_find(items[i]);
			if (!grid->ops[i])
				ret = isolate_err(err, errlen,
						  "%s: unknown strategy '%s'",
						  o->name, items[i]);
		}
		return ret;
	}
	ret = isolate_parse_list(o->name, value, false, o->min, o->max, vals,
				 &num, err, errlen);
	for (i = 0; !ret && i < num; i++) {
		if (!strcmp(o->name, "grid_n"))
			grid->ns[i] = vals[i];
		else
			grid->ks[i] = vals[i];
	}
	if (!strcmp(o->name, "grid_n"))
		grid->num_ns = num;
	else
		grid->num_ks = num;
	return ret;
}

static int isolate_opt_strategy(const struct opt *o, const char *value,
				void *field, char *err, size_t errlen)
{
	const struct arm_smmu_atc_isolate_ops **ops = field;

	*ops = arm_smmu_atc_isolate_ops_find(value);
	if (!*ops)
		return isolate_err(err, errlen,
				   "%s: unknown strategy '%s' (linear bisect "
				   "bisect-infer adaptive whole-batch)",
				   o->name, value);
	return 0;
}

static void isolate_help(FILE *f)
{
	fputs("usage: atcbench isolate --strategy S --n N --faulty LIST|none\n"
	      "                        [COSTS] [--timeout D] [--json]\n"
	      "       atcbench isolate --sweep [--out DIR] [--seed N]\n"
	      "                        [--trials N] [--warmup N] [COSTS]\n"
	      "                        [--grid-n LIST] [--grid-k LIST]\n"
	      "                        [--grid-timeout LIST] [--strategies LIST]\n"
	      "\n"
	      "One episode: a batch of N SIDs timed out; LIST gives the faulty\n"
	      "positions 0..N-1 in the sorted batch (none: the fault cleared).\n"
	      "Prints: syncs=S timeouts=T broken=LIST innocent_broken=I time_ns=X\n"
	      "\n"
	      "The sweep runs every strategy on every cell of the grid (defaults:\n"
	      "n 1,2,4..4096; k 0,1,2,4,8; timeout 50us,1ms,50ms,1s; 200 trials\n"
	      "after 4 warm-up episodes per cell, the same placements for every\n"
	      "strategy) and writes isolate.json and isolate.tsv to DIR.\n"
	      "\n"
	      "COSTS: --sync D (2us) --cmd D (100ns); a test of g SIDs costs\n"
	      "sync + g x cmd, plus the timeout (--timeout D, 1ms) if it fails.\n"
	      "Durations: seconds, or ns, us, ms, s, m, h.  Strategies: linear bisect\n"
	      "bisect-infer adaptive whole-batch.\n",
	      f);
}

static void isolate_print_list(FILE *f, const unsigned long *map,
			       unsigned int n, const char *sep,
			       const char *none)
{
	unsigned int i;
	bool first = true;

	for_each_set_bit(i, map, n) {
		fprintf(f, "%s%u", first ? "" : sep, i);
		first = false;
	}
	if (first)
		fputs(none, f);
}

static int isolate_one(const struct arm_smmu_atc_isolate_ops *ops,
		       unsigned int n, const unsigned long *faulty,
		       const struct arm_smmu_atc_costs *costs, bool json)
{
	struct arm_smmu_atc_stats stats = {
		.sync_ns = costs->sync_ns,
		.cmd_ns = costs->cmd_ns,
		.timeout_ns = costs->timeout_ns,
	};
	struct isolate_episode res = {};
	int ret;

	res.broken = bitmap_zalloc(ISOLATE_MAX_N, GFP_KERNEL);
	if (!res.broken)
		return -ENOMEM;
	ret = isolate_episode_run(ops, n, faulty, costs, &stats, &res);
	if (ret)
		goto out;

	if (json) {
		printf("{\"strategy\": \"%s\", \"n\": %u, \"faulty\": [",
		       ops->name, n);
		isolate_print_list(stdout, faulty, n, ", ", "");
		printf("], \"syncs\": %u, \"timeouts\": %u, \"broken\": [",
		       res.syncs, res.timeouts);
		isolate_print_list(stdout, res.broken, n, ", ", "");
		printf("], \"innocent_broken\": %u, \"time_ns\": %llu"
		       ", \"sync_ns\": %llu, \"cmd_ns\": %llu"
		       ", \"timeout_ns\": %llu}\n",
		       res.innocent, res.time_ns, costs->sync_ns, costs->cmd_ns,
		       costs->timeout_ns);
	} else {
		printf("syncs=%u timeouts=%u broken=", res.syncs, res.timeouts);
		isolate_print_list(stdout, res.broken, n, ",", "-");
		printf(" innocent_broken=%u time_ns=%llu\n", res.innocent,
		       res.time_ns);
	}
out:
	bitmap_free(res.broken);
	return ret;
}

struct isolate_args {
	const struct arm_smmu_atc_isolate_ops *ops;
	u64 n;
	const char *faulty;
	bool sweep, json;
	const char *out;
	u64 timeout_ns;
	struct isolate_grid grid;
};

#define IO(n, t, field, lo, hi, fn, a, h)                               \
	{                                                               \
		.name = n, .type = t,                                   \
		.off = offsetof(struct isolate_args, field), .min = lo, \
		.max = hi, .parse = fn, .arg = a, .help = h             \
	}

static const struct opt isolate_opts[] = {
	IO("strategy", OPT_FUNC, ops, 0, 0, isolate_opt_strategy, "S",
	   "one episode's strategy: linear, bisect, bisect-infer, adaptive, "
	   "whole-batch"),
	IO("n", OPT_U64, n, 1, ISOLATE_MAX_N, NULL, "N",
	   "one episode's batch: SIDs"),
	IO("faulty", OPT_STR, faulty, 0, 0, NULL, "LIST",
	   "one episode's faulty positions 0..N-1, or none"),
	IO("json", OPT_FLAG, json, 0, 0, NULL, NULL,
	   "one episode's result as JSON"),
	IO("timeout", OPT_NS, timeout_ns, 0, ISOLATE_MAX_TIMEOUT_NS, NULL, "D",
	   "what a failed test costs on top"),
	IO("sync", OPT_NS, grid.sync_ns, 0, ISOLATE_MAX_COST_NS, NULL, "D",
	   "a test's CMD_SYNC"),
	IO("cmd", OPT_NS, grid.cmd_ns, 0, ISOLATE_MAX_COST_NS, NULL, "D",
	   "each ATC_INV a test re-issues"),
	IO("sweep", OPT_FLAG, sweep, 0, 0, NULL, NULL,
	   "every strategy on every cell of the grid"),
	IO("out", OPT_STR, out, 0, 0, NULL, "DIR",
	   "the sweep's folder (default .)"),
	IO("seed", OPT_U64, grid.seed, 0, U64_MAX, NULL, "N",
	   "the sweep's placements"),
	IO("trials", OPT_UINT, grid.trials, 1, ISOLATE_MAX_TRIALS, NULL, "N",
	   "measured episodes per cell"),
	IO("warmup", OPT_UINT, grid.warmup, 0, ISOLATE_MAX_WARMUP, NULL, "N",
	   "unmeasured episodes per cell, first"),
	IO("grid_n", OPT_FUNC, grid, 1, ISOLATE_MAX_N, isolate_opt_grid, "LIST",
	   "batch sizes (default 1,2,4..4096)"),
	IO("grid_k", OPT_FUNC, grid, 0, ISOLATE_MAX_K, isolate_opt_grid, "LIST",
	   "faulty devices per batch (default 0,1,2,4,8)"),
	IO("grid_timeout", OPT_FUNC, grid, 0, 0, isolate_opt_grid, "LIST",
	   "timeouts (default 50us,1ms,50ms,1s)"),
	IO("strategies", OPT_FUNC, grid, 0, 0, isolate_opt_grid, "LIST",
	   "the strategies swept (default all)"),
};

static void isolate_defaults(struct isolate_args *a)
{
	memset(a, 0, sizeof(*a));
	isolate_grid_default(&a->grid);
	a->timeout_ns = 1000000;
}

static int isolate_parse(int argc, char **argv, struct isolate_args *a)
{
	const struct opt_group g = OPT_GROUP(isolate_opts, a);
	int npos, ret;

	isolate_defaults(a);
	ret = opt_parse("isolate", &g, 1, argc, argv, NULL, 0, &npos);
	if (ret > 0) {
		isolate_help(stdout);
		fputs("\noptions (--KEY VALUE or --KEY=VALUE):\n", stdout);
		opt_help(stdout, &g, 1, true);
	}
	if (ret)
		return ret;
	if (a->sweep) {
		if (a->ops || a->n || a->faulty || a->json)
			return isolate_usage_error(
				"--sweep takes no --strategy, --n, --faulty "
				"or --json");
		return 0;
	}
	if (!a->ops || !a->n || !a->faulty)
		return isolate_usage_error(
			"one episode needs --strategy, --n and --faulty "
			"(or --sweep; see --help)");
	return 0;
}

static int isolate_parse_faulty(const char *s, unsigned int n,
				unsigned long *faulty)
{
	u64 vals[ISOLATE_MAX_LIST];
	unsigned int num, i;
	int ret;

	if (!strcmp(s, "none"))
		return 0;
	char err[256];

	ret = isolate_parse_list("--faulty", s, false, 0, n - 1, vals, &num,
				 err, sizeof(err));
	if (ret)
		return isolate_usage_error("%s", err);
	for (i = 0; i < num; i++) {
		if (test_bit(vals[i], faulty))
			return isolate_usage_error("--faulty: %llu given twice",
						   vals[i]);
		__set_bit(vals[i], faulty);
	}
	return ret;
}

static void isolate_on_signal(int sig)
{
	isolate_stop = 1;
}

/* One episode from the options: an exit status */
static int isolate_episode_cmd(const struct isolate_args *a)
{
	const struct arm_smmu_atc_costs costs = {
		.sync_ns = a->grid.sync_ns,
		.cmd_ns = a->grid.cmd_ns,
		.timeout_ns = a->timeout_ns,
	};
	unsigned long *faulty;
	int ret;

	faulty = bitmap_zalloc(ISOLATE_MAX_N, GFP_KERNEL);
	if (!faulty)
		return EXIT_FAILURE;
	ret = isolate_parse_faulty(a->faulty, a->n, faulty);
	if (!ret)
		ret = isolate_one(a->ops, a->n, faulty, &costs, a->json);
	bitmap_free(faulty);
	if (ret == -EINVAL)
		return EXIT_USAGE;
	if (ret) {
		fprintf(stderr, "atcbench isolate: %s\n", strerror(-ret));
		return EXIT_FAILURE;
	}
	return 0;
}

/*
 * The sweep: an exit status.  SIGINT, SIGTERM: the sweep stops after the
 * cell under way and the cells done are written, marked; a second signal,
 * during the write, changes nothing.
 */
static int isolate_sweep_cmd(const struct isolate_args *a)
{
	struct sigaction sa = { .sa_handler = isolate_on_signal }, old_int,
			 old_term;
	const char *out = a->out ? a->out : ".";
	struct isolate_cell *cells = NULL;
	char load[LOAD_FMT_MAX] = "load not measured";
	struct load_sample l0;
	struct timespec t0, t1;
	double cpu_s, episodes;
	bool interrupted, have_load;
	struct load l;
	int ret, count;

	isolate_stop = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	have_load = !load_sample(&l0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	count = isolate_sweep(&a->grid, &cells);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	if (have_load && !load_since(&l0, &l))
		load_fmt(&l, load, sizeof(load));
	interrupted = isolate_stop;
	ret = count < 0 ?
		      count :
		      isolate_write(out, interrupted, &a->grid, cells, count);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	free(cells);
	if (ret) {
		if (count < 0)
			fprintf(stderr, "atcbench isolate: sweep: %s\n",
				strerror(-ret));
		else
			fprintf(stderr,
				"atcbench isolate: cannot write to %s: %s\n",
				out, strerror(-ret));
		return EXIT_FAILURE;
	}
	fprintf(stderr,
		"atcbench isolate: %d cells in %s/isolate.{json,tsv}%s\n",
		count, out, interrupted ? " (interrupted)" : "");
	/* The sweep's own speed: episodes, warm-up included, per CPU second */
	cpu_s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	episodes = (double)count * (a->grid.trials + a->grid.warmup);
	fprintf(stderr,
		"atcbench isolate: %.0f episodes in %.3f CPU s: %.0f "
		"episodes/s (%s)\n",
		episodes, cpu_s, cpu_s > 0 ? episodes / cpu_s : 0, load);
	return 0;
}

int isolate_cmd(int argc, char **argv)
{
	struct isolate_args a = {};
	int ret;

	ret = isolate_parse(argc, argv, &a);
	if (ret)
		return ret > 0 ? 0 : EXIT_USAGE;
	ret = sim_clock_init(SIM_CLOCK_VIRTUAL);
	if (ret) {
		fprintf(stderr, "atcbench isolate: clock: %s\n",
			strerror(-ret));
		return EXIT_FAILURE;
	}
	return a.sweep ? isolate_sweep_cmd(&a) : isolate_episode_cmd(&a);
}
