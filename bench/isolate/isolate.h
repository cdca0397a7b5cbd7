/* SPDX-License-Identifier: GPL-2.0 */
/*
 * isolate: the fault-isolation strategies of kernel-hooks/arm-smmu-v3/arm-smmu-v3-atc.c
 * run in virtual time against a cost model: one episode, or a sweep over
 * batch sizes, fault counts and timeouts ("atcbench isolate", README.md).
 *
 * Cost of a test of g SIDs: sync + g x cmd, plus the timeout if one of the g
 * devices is faulty.  The failed batch itself is not counted.
 */
#ifndef ISOLATE_H
#define ISOLATE_H

#include <signal.h>

/* isolate.json's "schema_version" (results/README.md describes the schema) */
#define ISOLATE_SCHEMA_VERSION 1

#include <stdbool.h>
#include <stdio.h>
#include <arm-smmu-v3/arm-smmu-v3.h>

#define ISOLATE_MAX_N 65536 /* SIDs in a batch */
#define ISOLATE_MAX_K 16 /* faulty devices in a sweep cell (the model's cap) */
#define ISOLATE_MAX_TRIALS 1000000 /* episodes per sweep cell */
#define ISOLATE_MAX_WARMUP 1000 /* unmeasured episodes per sweep cell */
#define ISOLATE_MAX_COST_NS 1000000000ULL /* sync or per-command cost: 1 s */
#define ISOLATE_MAX_TIMEOUT_NS 600000000000ULL /* 10 minutes */
#define ISOLATE_MAX_LIST 32 /* values in a grid list */
#define ISOLATE_OPT_MAX_N \
	16 /* largest batch for which the optimum is computed */

/* One episode's outcome */
struct isolate_episode {
	unsigned int syncs;
	unsigned int timeouts;
	unsigned int innocent; /* broken but not faulty */
	unsigned int missed; /* faulty but not broken */
	u64 time_ns;
	unsigned long *broken; /* ISOLATE_MAX_N bits, owned by the caller */
};

/*
 * Run @ops on a failed batch of @n SIDs whose faulty members are the set bits
 * of @faulty (none: the fault cleared), in virtual time.  @stats is the
 * strategy's memory (adaptive learns into it).  Returns 0 or a negative errno.
 */
int isolate_episode_run(const struct arm_smmu_atc_isolate_ops *ops,
			unsigned int n, const unsigned long *faulty,
			const struct arm_smmu_atc_costs *costs,
			struct arm_smmu_atc_stats *stats,
			struct isolate_episode *res);

/*
 * The optimum expected isolation time for @k faulty of @n (2 <= n <=
 * ISOLATE_OPT_MAX_N, 1 <= k <= n), knowing k: the best nested group-testing
 * policy, by dynamic programming.  A lower bound for the strategies, which
 * do not know k.  Returns a negative value when out of range.
 */
double isolate_optimum_ns(unsigned int n, unsigned int k,
			  const struct arm_smmu_atc_costs *costs);

struct isolate_grid {
	u64 seed;
	unsigned int trials;
	unsigned int warmup;
	u64 sync_ns;
	u64 cmd_ns;
	unsigned int ns[ISOLATE_MAX_LIST], num_ns;
	unsigned int ks[ISOLATE_MAX_LIST], num_ks;
	u64 timeouts[ISOLATE_MAX_LIST], num_timeouts;
	const struct arm_smmu_atc_isolate_ops *ops[ISOLATE_MAX_LIST];
	unsigned int num_ops;
};

/* One cell of a sweep: means over the measured episodes */
struct isolate_cell {
	u64 timeout_ns;
	unsigned int n, k;
	const char *strategy;
	double syncs, timeouts, time_ns, innocent;
	unsigned int innocent_max, missed;
	double expected_ns; /* exact expectation, < 0 when not computed */
	double optimum_ns; /* < 0 when not computed */
	const char *plan; /* adaptive: the plan it settled on */
};

/* The default grid of the sweep (DESIGN.md, issue 4) */
void isolate_grid_default(struct isolate_grid *grid);

/*
 * Run the sweep; @cells gets every cell (caller frees).  Deterministic for a
 * grid.  Returns the number of cells or a negative errno.
 */
int isolate_sweep(const struct isolate_grid *grid, struct isolate_cell **cells);
/*
 * Set (by a signal handler) to stop a sweep after the cell under way: the
 * cells done are returned, and written marked "interrupted"
 */
extern volatile sig_atomic_t isolate_stop;

struct opt;
/*
 * An OPT_FUNC parser of a grid's lists (lib/opt.h), by the option's name:
 * grid_n, grid_k (in [@o->min, @o->max]), grid_timeout, strategies; @field
 * is the struct isolate_grid
 */
int isolate_opt_grid(const struct opt *o, const char *value, void *field,
		     char *err, size_t errlen);

/* The "atcbench isolate" command: returns the exit status */
int isolate_cmd(int argc, char **argv);

#endif /* ISOLATE_H */
