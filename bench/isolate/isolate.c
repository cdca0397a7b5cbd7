// SPDX-License-Identifier: GPL-2.0
/* isolate: isolation strategies in virtual time (see isolate.h) */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <linux/bitmap.h>
#include <sim/clock.h>
#include <sim/rng.h>

#include "isolate/isolate.h"
#include "lib/results.h"
#include "lib/units.h"

#define EXIT_USAGE 2

struct isolate_batch {
	const unsigned long *map; /* the faulty positions, as a bitmap */
	const unsigned int *faulty; /* and in ascending order */
	unsigned int num_faulty;
	const struct arm_smmu_atc_costs *costs;
	u64 cmds; /* the ATC_INVs the tests re-issued */
};

/* Faulty devices among the SIDs below @i: a binary search */
static unsigned int isolate_faulty_below(const struct isolate_batch *b,
					 unsigned int i)
{
	unsigned int lo = 0, hi = b->num_faulty;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (b->faulty[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* What a test costs in the model */
static u64 isolate_test_ns(const struct isolate_batch *b, unsigned int num,
			   bool fails)
{
	return b->costs->sync_ns + b->costs->cmd_ns * num +
	       (fails ? b->costs->timeout_ns : 0);
}

/* A run of several SIDs: out of line (see below) */
static noinline int isolate_test_run(struct arm_smmu_atc_isolation *iso,
				     unsigned int first, unsigned int num)
{
	struct isolate_batch *b = iso->priv;
	bool fails = isolate_faulty_below(b, first + num) !=
		     isolate_faulty_below(b, first);

	b->cmds += num;
	if (iso->stats)
		sim_clock_delay_ns(isolate_test_ns(b, num, fails));
	return fails ? -EIO : 0;
}

/*
 * The test of the cost model: a run fails iff it holds a faulty device.
 * The statistics learn from the clock, so with them the test moves it.  A
 * one-SID test (most of the sweep's) stays a few instructions.
 */
static int isolate_test(struct arm_smmu_atc_isolation *iso, unsigned int first,
			unsigned int num)
{
	struct isolate_batch *b = iso->priv;
	bool fails;

	if (num != 1)
		return isolate_test_run(iso, first, num);
	fails = test_bit(first, b->map);
	b->cmds++;
	if (iso->stats)
		sim_clock_delay_ns(isolate_test_ns(b, 1, fails));
	return fails ? -EIO : 0;
}

int isolate_episode_run(const struct arm_smmu_atc_isolate_ops *ops,
			unsigned int n, const unsigned long *faulty,
			const struct arm_smmu_atc_costs *costs,
			struct arm_smmu_atc_stats *stats,
			struct isolate_episode *res)
{
	/* Not reentrant: the sweep and the command run one episode at a time */
	static u32 sids[ISOLATE_MAX_N];
	static unsigned int positions[ISOLATE_MAX_N];
	struct isolate_batch b = {
		.map = faulty,
		.faulty = positions,
		.costs = costs,
	};
	struct arm_smmu_atc_isolation iso = {
		.sids = sids,
		.num_sids = n,
		.broken = res->broken,
		.test = isolate_test,
		.priv = &b,
		.stats = stats,
	};
	unsigned int i;
	int ret;

	if (!n || n > ISOLATE_MAX_N)
		return -EINVAL;
	if (!sids[ISOLATE_MAX_N - 1])
		for (i = 0; i < ISOLATE_MAX_N; i++)
			sids[i] = i;
	for_each_set_bit(i, faulty, n)
		positions[b.num_faulty++] = i;
	bitmap_zero(res->broken, n);

	ret = arm_smmu_atc_isolate(ops, &iso);
	if (ret)
		return ret;

	/* What the tests took: each a sync and its commands, plus timeouts */
	res->time_ns = iso.num_tests * costs->sync_ns + b.cmds * costs->cmd_ns +
		       iso.num_timeouts * costs->timeout_ns;
	res->syncs = iso.num_tests;
	res->timeouts = iso.num_timeouts;
	res->innocent = bitmap_weight_andnot(res->broken, faulty, n);
	res->missed = bitmap_weight_andnot(faulty, res->broken, n);
	return 0;
}

static double isolate_binom(unsigned int n, unsigned int k)
{
	double c = 1;
	unsigned int i;

	if (k > n)
		return 0;
	for (i = 0; i < k; i++)
		c = c * (n - i) / (i + 1);
	return c;
}

/*
 * Nested policies (Sobel and Groll): the state is d SIDs known to hold a
 * fault, u SIDs not tested yet, j faulty among them all; a test takes x SIDs
 * from the d (when d > 1) or from the u (when d = 0).  n <= 16 keeps the
 * table small.
 */
struct isolate_opt {
	const struct arm_smmu_atc_costs *costs;
	double v[ISOLATE_OPT_MAX_N + 1][ISOLATE_OPT_MAX_N + 1]
		[ISOLATE_OPT_MAX_N + 1];
	bool done[ISOLATE_OPT_MAX_N + 1][ISOLATE_OPT_MAX_N + 1]
		 [ISOLATE_OPT_MAX_N + 1];
};

static double isolate_opt_value(struct isolate_opt *o, unsigned int d,
				unsigned int u, unsigned int j)
{
	const struct arm_smmu_atc_costs *c = o->costs;
	double best = -1, total, pass, cost;
	unsigned int x, from;

	if (!j || d + u == j)
		return 0;
	if (d == 1)
		return isolate_opt_value(o, 0, u, j - 1);
	if (o->done[d][u][j])
		return o->v[d][u][j];

	from = d ? d - 1 : u;
	total = d ? isolate_binom(d + u, j) - isolate_binom(u, j) :
		    isolate_binom(u, j);
	for (x = 1; x <= from; x++) {
		if (d)
			pass = (isolate_binom(d - x + u, j) -
				isolate_binom(u, j)) /
			       total;
		else
			pass = isolate_binom(u - x, j) / total;
		cost = c->sync_ns + (double)c->cmd_ns * x +
		       (1 - pass) * c->timeout_ns;
		if (pass > 0)
			cost += pass * (d ? isolate_opt_value(o, d - x, u, j) :
					    isolate_opt_value(o, 0, u - x, j));
		if (pass < 1)
			cost += (1 - pass) *
				(d ? isolate_opt_value(o, x, u + d - x, j) :
				     isolate_opt_value(o, x, u - x, j));
		if (best < 0 || cost < best)
			best = cost;
	}
	o->done[d][u][j] = true;
	o->v[d][u][j] = best;
	return best;
}

double isolate_optimum_ns(unsigned int n, unsigned int k,
			  const struct arm_smmu_atc_costs *costs)
{
	struct isolate_opt *o;
	double v;

	if (n < 2 || n > ISOLATE_OPT_MAX_N || !k || k > n)
		return -1;
	o = calloc(1, sizeof(*o));
	if (!o)
		return -1;
	o->costs = costs;
	v = isolate_opt_value(o, n, 0, k);
	free(o);
	return v;
}

void isolate_grid_default(struct isolate_grid *grid)
{
	static const unsigned int ks[] = { 0, 1, 2, 4, 8 };
	static const u64 timeouts[] = { 50000, 1000000, 50000000, 1000000000 };
	unsigned int i;

	memset(grid, 0, sizeof(*grid));
	grid->seed = 1;
	grid->trials = 200;
	grid->warmup = 4;
	grid->sync_ns = 2000;
	grid->cmd_ns = 100;
	for (i = 0; i <= 12; i++)
		grid->ns[grid->num_ns++] = 1u << i;
	memcpy(grid->ks, ks, sizeof(ks));
	grid->num_ks = ARRAY_SIZE(ks);
	memcpy(grid->timeouts, timeouts, sizeof(timeouts));
	grid->num_timeouts = ARRAY_SIZE(timeouts);
	for (i = 0; arm_smmu_atc_isolate_ops[i].name; i++)
		grid->ops[grid->num_ops++] = &arm_smmu_atc_isolate_ops[i];
}

/* Trial @t of cell (n, k): the same placement for every strategy */
static void isolate_place(u64 seed, unsigned int n, unsigned int k,
			  unsigned int t, unsigned long *faulty)
{
	u64 rng = sim_rng_mix(seed ^
			      sim_rng_mix(((u64)n << 40) ^ ((u64)k << 32) ^ t));
	unsigned int placed = 0;

	bitmap_zero(faulty, n);
	while (placed < k) {
		unsigned int i = sim_rng_below(&rng, n);

		if (!test_bit(i, faulty)) {
			__set_bit(i, faulty);
			placed++;
		}
	}
}

static const char *const isolate_plan_names[] = {
	[ARM_SMMU_ATC_PLAN_LINEAR] = "linear",
	[ARM_SMMU_ATC_PLAN_BISECT] = "bisect",
	[ARM_SMMU_ATC_PLAN_BISECT_CONFIRM] = "bisect-infer-confirm",
};

static int isolate_cell_run(const struct isolate_grid *grid,
			    const struct arm_smmu_atc_isolate_ops *ops,
			    const struct arm_smmu_atc_costs *costs,
			    struct isolate_cell *cell, unsigned long *faulty,
			    struct isolate_episode *res)
{
	struct arm_smmu_atc_stats stats = {
		.sync_ns = costs->sync_ns,
		.cmd_ns = costs->cmd_ns,
		.timeout_ns = costs->timeout_ns,
	};
	bool adaptive = !strcmp(ops->name, "adaptive");
	struct arm_smmu_atc_estimate est;
	enum arm_smmu_atc_plan plan = ARM_SMMU_ATC_PLAN_LINEAR;
	unsigned int t;
	int ret;

	for (t = 0; t < grid->warmup + grid->trials; t++) {
		isolate_place(grid->seed, cell->n, cell->k, t, faulty);
		/* Only the adaptive strategy learns (and reads the clock) */
		ret = isolate_episode_run(ops, cell->n, faulty, costs,
					  adaptive ? &stats : NULL, res);
		if (ret)
			return ret;
		if (t < grid->warmup)
			continue;
		cell->syncs += res->syncs;
		cell->timeouts += res->timeouts;
		cell->time_ns += res->time_ns;
		cell->innocent += res->innocent;
		cell->innocent_max = max(cell->innocent_max, res->innocent);
		cell->missed += res->missed;
	}
	cell->syncs /= grid->trials;
	cell->timeouts /= grid->trials;
	cell->time_ns /= grid->trials;
	cell->innocent /= grid->trials;

	cell->expected_ns = -1;
	cell->optimum_ns = -1;
	if (cell->n < 2 || cell->k > ISOLATE_MAX_K)
		return 0;
	if (cell->k)
		cell->optimum_ns = isolate_optimum_ns(cell->n, cell->k, costs);
	if (adaptive) {
		plan = arm_smmu_atc_adaptive_plan(&stats, cell->n);
		cell->plan = isolate_plan_names[plan];
	} else if (!strcmp(ops->name, "bisect")) {
		plan = ARM_SMMU_ATC_PLAN_BISECT;
	} else if (strcmp(ops->name, "linear")) {
		return 0;
	}
	ret = arm_smmu_atc_expected(plan, cell->n, cell->k, costs, &est);
	if (ret)
		return ret;
	cell->expected_ns = est.time_ns;
	return 0;
}

int isolate_sweep(const struct isolate_grid *grid, struct isolate_cell **cells)
{
	struct isolate_episode res = {};
	unsigned long *faulty;
	struct isolate_cell *c;
	unsigned int it, in, ik, io, count = 0;
	bool solo = false;
	int ret = 0;

	c = calloc((size_t)grid->num_timeouts * grid->num_ns * grid->num_ks *
			   grid->num_ops,
		   sizeof(*c));
	faulty = bitmap_zalloc(ISOLATE_MAX_N, GFP_KERNEL);
	res.broken = bitmap_zalloc(ISOLATE_MAX_N, GFP_KERNEL);
	if (!c || !faulty || !res.broken) {
		ret = -ENOMEM;
		goto out;
	}
	/* One thread and no simulated hardware: time as a plain variable */
	solo = !sim_clock_solo(true);

	for (it = 0; it < grid->num_timeouts; it++) {
		const struct arm_smmu_atc_costs costs = {
			.sync_ns = grid->sync_ns,
			.cmd_ns = grid->cmd_ns,
			.timeout_ns = grid->timeouts[it],
		};

		for (in = 0; in < grid->num_ns; in++) {
			for (ik = 0; ik < grid->num_ks; ik++) {
				if (grid->ks[ik] > grid->ns[in])
					continue;
				for (io = 0; io < grid->num_ops; io++) {
					struct isolate_cell *cell = &c[count++];

					cell->timeout_ns = costs.timeout_ns;
					cell->n = grid->ns[in];
					cell->k = grid->ks[ik];
					cell->strategy = grid->ops[io]->name;
					ret = isolate_cell_run(grid,
							       grid->ops[io],
							       &costs, cell,
							       faulty, &res);
					if (ret)
						goto out;
				}
			}
		}
	}
out:
	if (solo)
		sim_clock_solo(false);
	bitmap_free(faulty);
	bitmap_free(res.broken);
	if (ret) {
		free(c);
		return ret;
	}
	*cells = c;
	return count;
}

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
		return isolate_usage_error("%s: '%s' is not a duration (a "
					   "number with ns, us, ms or s)",
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
	      "Durations take ns, us, ms or s.  Strategies: linear bisect\n"
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

static void isolate_json_num(FILE *f, const char *key, double v, bool last)
{
	if (v < 0)
		fprintf(f, "\"%s\": null%s", key, last ? "" : ", ");
	else
		fprintf(f, "\"%s\": %.6g%s", key, v, last ? "" : ", ");
}

static int isolate_write(const char *dir, const struct isolate_grid *grid,
			 const struct isolate_cell *cells, int count)
{
	char path[RESULTS_PATH_MAX];
	char *buf = NULL;
	size_t len = 0;
	unsigned int i;
	FILE *f;
	int c, ret;

	if (mkdir(dir, 0777) && errno != EEXIST)
		return -errno;
	f = open_memstream(&buf, &len);
	if (!f)
		return -ENOMEM;
	fprintf(f,
		"{\"schema_version\": %d, \"kind\": \"isolate\",\n"
		" \"params\": {\"seed\": %llu"
		", \"trials\": %u, \"warmup\": %u, \"sync_ns\": %llu"
		", \"cmd_ns\": %llu, \"clock\": \"virtual\", "
		"\"cost_model\": \"sync + cmd * sids + timeout if it fails\", "
		"\"optimum\": \"best nested policy knowing k, n <= %d\", "
		"\"strategies\": [",
		ISOLATE_SCHEMA_VERSION, grid->seed, grid->trials, grid->warmup,
		grid->sync_ns, grid->cmd_ns, ISOLATE_OPT_MAX_N);
	for (i = 0; i < grid->num_ops; i++)
		fprintf(f, "%s\"%s\"", i ? ", " : "", grid->ops[i]->name);
	fputs("]},\n \"cells\": [\n", f);
	for (c = 0; c < count; c++) {
		const struct isolate_cell *x = &cells[c];

		fprintf(f,
			"  {\"timeout_ns\": %llu"
			", \"n\": %u, \"k\": %u, \"strategy\": \"%s\", ",
			x->timeout_ns, x->n, x->k, x->strategy);
		isolate_json_num(f, "syncs", x->syncs, false);
		isolate_json_num(f, "timeouts", x->timeouts, false);
		isolate_json_num(f, "time_ns", x->time_ns, false);
		isolate_json_num(f, "innocent_broken", x->innocent, false);
		fprintf(f, "\"innocent_max\": %u, \"missed\": %u, ",
			x->innocent_max, x->missed);
		isolate_json_num(f, "expected_ns", x->expected_ns, false);
		isolate_json_num(f, "optimum_ns", x->optimum_ns, !x->plan);
		if (x->plan)
			fprintf(f, "\"plan\": \"%s\"", x->plan);
		fprintf(f, "}%s\n", c + 1 < count ? "," : "");
	}
	fputs(" ]}\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/isolate.json", dir);
	ret = results_write_file(path, buf, len);
	free(buf);
	if (ret)
		return ret;

	f = open_memstream(&buf, &len);
	if (!f)
		return -ENOMEM;
	fputs("timeout_ns\tn\tk\tstrategy\tsyncs\ttimeouts\ttime_ns\t"
	      "innocent_broken\tinnocent_max\tmissed\texpected_ns\toptimum_ns\t"
	      "plan\n",
	      f);
	for (c = 0; c < count; c++) {
		const struct isolate_cell *x = &cells[c];

		fprintf(f, "%llu\t%u\t%u\t%s\t%.4f\t%.4f\t%.1f\t%.4f\t%u\t%u\t",
			x->timeout_ns, x->n, x->k, x->strategy, x->syncs,
			x->timeouts, x->time_ns, x->innocent, x->innocent_max,
			x->missed);
		if (x->expected_ns < 0)
			fputs("-\t", f);
		else
			fprintf(f, "%.1f\t", x->expected_ns);
		if (x->optimum_ns < 0)
			fputs("-\t", f);
		else
			fprintf(f, "%.1f\t", x->optimum_ns);
		fprintf(f, "%s\n", x->plan ? x->plan : "-");
	}
	fclose(f);
	snprintf(path, sizeof(path), "%s/isolate.tsv", dir);
	ret = results_write_file(path, buf, len);
	free(buf);
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
