// SPDX-License-Identifier: GPL-2.0
/*
 * isolate: "atcbench isolate": one episode, or the sweep, from the command
 * line
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bitmap.h>
#include <sim/clock.h>

#include "isolate/internal.h"
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

static int isolate_parse_u64(const char *opt, const char *s, u64 min, u64 max,
			     u64 *val)
{
	char *end;

	errno = 0;
	*val = strtoull(s, &end, 10);
	if (!*s || *end || errno || *s == '-')
		return isolate_usage_error("%s: '%s' is not a number", opt, s);
	if (*val < min || *val > max)
		return isolate_usage_error("%s: %s is out of range [%llu"
					   ", %llu]",
					   opt, s, min, max);
	return 0;
}

/* A duration (units_parse_ns()) of at most @max ns */
static int isolate_parse_ns(const char *opt, const char *s, u64 max, u64 *val)
{
	int ret = units_parse_ns(s, val);

	if (ret == -EINVAL)
		return isolate_usage_error(
			"%s: '%s' is not a duration (" UNITS_DURATION_SYNTAX
			")",
			opt, s);
	if (ret || *val > max)
		return isolate_usage_error(
			"%s: %s is above the limit of %llu ns", opt, s, max);
	return 0;
}

#define ISOLATE_LIST_BYTES 1024

/* Split a comma-separated list into at most ISOLATE_MAX_LIST items */
static int isolate_split(const char *opt, const char *s,
			 char buf[ISOLATE_LIST_BYTES],
			 char *items[ISOLATE_MAX_LIST], unsigned int *num)
{
	char *tok, *save;

	if (strlen(s) >= ISOLATE_LIST_BYTES)
		return isolate_usage_error("%s: list too long", opt);
	strcpy(buf, s);
	*num = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (*num == ISOLATE_MAX_LIST)
			return isolate_usage_error("%s: more than %d values",
						   opt, ISOLATE_MAX_LIST);
		items[(*num)++] = tok;
	}
	if (!*num)
		return isolate_usage_error("%s: empty list", opt);
	return 0;
}

/* A comma-separated list of numbers or durations */
static int isolate_parse_list(const char *opt, const char *s, bool durations,
			      u64 min, u64 max, u64 *vals, unsigned int *num)
{
	char buf[ISOLATE_LIST_BYTES], *items[ISOLATE_MAX_LIST];
	unsigned int i;
	int ret;

	ret = isolate_split(opt, s, buf, items, num);
	for (i = 0; !ret && i < *num; i++) {
		ret = durations ?
			      isolate_parse_ns(opt, items[i], max, &vals[i]) :
			      isolate_parse_u64(opt, items[i], min, max,
						&vals[i]);
		if (!ret && durations && vals[i] < min)
			ret = isolate_usage_error("%s: '%s' is below %llu ns",
						  opt, items[i], min);
	}
	return ret;
}

static int isolate_parse_ops(const char *s, struct isolate_grid *grid)
{
	char buf[ISOLATE_LIST_BYTES], *items[ISOLATE_MAX_LIST];
	unsigned int i;
	int ret;

	ret = isolate_split("--strategies", s, buf, items, &grid->num_ops);
	for (i = 0; !ret && i < grid->num_ops; i++) {
		grid->ops[i] = arm_smmu_atc_isolate_ops_find(items[i]);
		if (!grid->ops[i])
			ret = isolate_usage_error("unknown strategy '%s'",
						  items[i]);
	}
	return ret;
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

static bool isolate_known(const char *opt)
{
	static const char *const with_value[] = {
		"--strategy",	  "--n",	  "--faulty", "--timeout",
		"--sync",	  "--cmd",	  "--out",    "--seed",
		"--trials",	  "--warmup",	  "--grid-n", "--grid-k",
		"--grid-timeout", "--strategies",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(with_value); i++)
		if (!strcmp(opt, with_value[i]))
			return true;
	return false;
}

static int isolate_parse(int argc, char **argv, struct isolate_args *a)
{
	u64 vals[ISOLATE_MAX_LIST];
	unsigned int num, i;
	int ret = 0, k;

	isolate_grid_default(&a->grid);
	a->timeout_ns = 1000000;
	for (k = 1; k < argc && !ret; k++) {
		const char *opt = argv[k], *val = argv[k + 1];
		bool flag = !strcmp(opt, "--sweep") || !strcmp(opt, "--json");
		u64 v;

		if (!strcmp(opt, "--help") || !strcmp(opt, "-h")) {
			isolate_help(stdout);
			return 1;
		}
		if (!flag && !isolate_known(opt))
			return isolate_usage_error("unknown option '%s'", opt);
		if (!flag && !val)
			return isolate_usage_error("%s needs a value", opt);
		if (!strcmp(opt, "--sweep")) {
			a->sweep = true;
		} else if (!strcmp(opt, "--json")) {
			a->json = true;
		} else if (!strcmp(opt, "--strategy")) {
			a->ops = arm_smmu_atc_isolate_ops_find(val);
			if (!a->ops)
				ret = isolate_usage_error(
					"unknown strategy '%s' (linear bisect "
					"bisect-infer adaptive whole-batch)",
					val);
		} else if (!strcmp(opt, "--n")) {
			ret = isolate_parse_u64(opt, val, 1, ISOLATE_MAX_N,
						&a->n);
		} else if (!strcmp(opt, "--faulty")) {
			a->faulty = val;
		} else if (!strcmp(opt, "--timeout")) {
			ret = isolate_parse_ns(opt, val, ISOLATE_MAX_TIMEOUT_NS,
					       &a->timeout_ns);
		} else if (!strcmp(opt, "--sync")) {
			ret = isolate_parse_ns(opt, val, ISOLATE_MAX_COST_NS,
					       &a->grid.sync_ns);
		} else if (!strcmp(opt, "--cmd")) {
			ret = isolate_parse_ns(opt, val, ISOLATE_MAX_COST_NS,
					       &a->grid.cmd_ns);
		} else if (!strcmp(opt, "--out")) {
			a->out = val;
		} else if (!strcmp(opt, "--seed")) {
			ret = isolate_parse_u64(opt, val, 0, U64_MAX,
						&a->grid.seed);
		} else if (!strcmp(opt, "--trials")) {
			ret = isolate_parse_u64(opt, val, 1, ISOLATE_MAX_TRIALS,
						&v);
			a->grid.trials = v;
		} else if (!strcmp(opt, "--warmup")) {
			ret = isolate_parse_u64(opt, val, 0, ISOLATE_MAX_WARMUP,
						&v);
			a->grid.warmup = v;
		} else if (!strcmp(opt, "--grid-n")) {
			ret = isolate_parse_list(opt, val, false, 1,
						 ISOLATE_MAX_N, vals, &num);
			for (i = 0; !ret && i < num; i++)
				a->grid.ns[i] = vals[i];
			a->grid.num_ns = num;
		} else if (!strcmp(opt, "--grid-k")) {
			ret = isolate_parse_list(opt, val, false, 0,
						 ISOLATE_MAX_K, vals, &num);
			for (i = 0; !ret && i < num; i++)
				a->grid.ks[i] = vals[i];
			a->grid.num_ks = num;
		} else if (!strcmp(opt, "--grid-timeout")) {
			ret = isolate_parse_list(opt, val, true, 1,
						 ISOLATE_MAX_TIMEOUT_NS,
						 a->grid.timeouts, &num);
			a->grid.num_timeouts = num;
		} else if (!strcmp(opt, "--strategies")) {
			ret = isolate_parse_ops(val, &a->grid);
		}
		if (!flag)
			k++;
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
	ret = isolate_parse_list("--faulty", s, false, 0, n - 1, vals, &num);
	for (i = 0; !ret && i < num; i++) {
		if (test_bit(vals[i], faulty))
			return isolate_usage_error("--faulty: %llu given twice",
						   vals[i]);
		__set_bit(vals[i], faulty);
	}
	return ret;
}

int isolate_cmd(int argc, char **argv)
{
	struct isolate_args a = {};
	struct isolate_cell *cells;
	struct timespec t0, t1;
	double cpu_s, episodes;
	unsigned long *faulty;
	int ret, count;

	ret = isolate_parse(argc, argv, &a);
	if (ret)
		return ret > 0 ? 0 : EXIT_USAGE;

	ret = sim_clock_init(SIM_CLOCK_VIRTUAL);
	if (ret) {
		fprintf(stderr, "atcbench isolate: clock: %s\n",
			strerror(-ret));
		return EXIT_FAILURE;
	}

	if (!a.sweep) {
		const struct arm_smmu_atc_costs costs = {
			.sync_ns = a.grid.sync_ns,
			.cmd_ns = a.grid.cmd_ns,
			.timeout_ns = a.timeout_ns,
		};

		faulty = bitmap_zalloc(ISOLATE_MAX_N, GFP_KERNEL);
		if (!faulty)
			return EXIT_FAILURE;
		ret = isolate_parse_faulty(a.faulty, a.n, faulty);
		if (!ret)
			ret = isolate_one(a.ops, a.n, faulty, &costs, a.json);
		bitmap_free(faulty);
		if (ret == -EINVAL)
			return EXIT_USAGE;
		if (ret) {
			fprintf(stderr, "atcbench isolate: %s\n",
				strerror(-ret));
			return EXIT_FAILURE;
		}
		return 0;
	}

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	count = isolate_sweep(&a.grid, &cells);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	if (count < 0) {
		fprintf(stderr, "atcbench isolate: sweep: %s\n",
			strerror(-count));
		return EXIT_FAILURE;
	}
	ret = isolate_write(a.out ? a.out : ".", &a.grid, cells, count);
	free(cells);
	if (ret) {
		fprintf(stderr, "atcbench isolate: cannot write to %s: %s\n",
			a.out ? a.out : ".", strerror(-ret));
		return EXIT_FAILURE;
	}
	fprintf(stderr, "atcbench isolate: %d cells in %s/isolate.{json,tsv}\n",
		count, a.out ? a.out : ".");
	/* The sweep's own speed: episodes, warm-up included, per CPU second */
	cpu_s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	episodes = (double)count * (a.grid.trials + a.grid.warmup);
	fprintf(stderr,
		"atcbench isolate: %.0f episodes in %.3f CPU s: %.0f episodes/s\n",
		episodes, cpu_s, cpu_s > 0 ? episodes / cpu_s : 0);
	return 0;
}
