// SPDX-License-Identifier: GPL-2.0
/*
 * isolate: the sweep over batch sizes, faulty counts, timeouts and
 * strategies, and the optimum a strategy knowing k could reach
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bitmap.h>
#include <sim/clock.h>
#include <sim/rng.h>

#include "isolate/internal.h"

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

volatile sig_atomic_t isolate_stop;

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
					struct isolate_cell *cell = &c[count];

					if (isolate_stop)
						goto out;
					count++;

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
