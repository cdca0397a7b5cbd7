/* SPDX-License-Identifier: GPL-2.0 */
/*
 * review: "atcbench review": the figures the quarantine series' and the
 * invalidation array's reviewers argued about without data (issue 30),
 * each with its reproduce line.
 *
 * Batching against one sync per device (review_batching()): per unmap of k
 * ATS devices, one CMD_SYNC for all of them costs sync + k x cmd, one per
 * device k x (sync + cmd); when one device's ATC_INV times out, the batch
 * pays the timeout and then the isolation strategy's search for it (the
 * isolate command's model and episodes), where one sync per device pays
 * the timeout and knows the device.  Batching stops paying once a share p
 * of the unmaps meets a fault such that p x isolation > (k - 1) x sync:
 * the break-even fault rate.  Every figure is modelled time.
 */
#ifndef REVIEW_H
#define REVIEW_H

#include <stdbool.h>
#include <linux/types.h>

#include "isolate/isolate.h"

/* review.json's "schema_version" */
#define REVIEW_SCHEMA_VERSION 1

/* One (timeout, k, strategy) of the batching question */
struct review_batching {
	u64 timeout_ns;
	unsigned int k; /* ATS devices under the unmap */
	const char *strategy;
	double ok_batched_ns, ok_per_device_ns; /* nothing fails */
	double iso_ns, iso_syncs; /* one device timed out: finding it */
	double innocent; /* devices quarantined that were not faulty */
	/*
	 * The share of unmaps meeting a fault above which one sync per device
	 * is cheaper (> 1: batching always pays in time; < 0: k = 1, the same)
	 */
	double break_even;
	/* The same per device and unmap: 1 - (1 - break_even)^(1/k) */
	double break_even_device;
};

/*
 * Run @grid (its ns are the ks; k = 1 faulty device) and derive a row per
 * cell into @rows (caller frees): the number of rows, or a negative errno
 */
int review_batching(const struct isolate_grid *grid,
		    struct review_batching **rows);

/*
 * Head-of-line blocking (review_hol()): the latency of the bystanders'
 * unmaps (scale's hol workload: each CPU but CPU 0 invalidates its own
 * ASID) while CPU 0 invalidates for a slow ATS device, or one that never
 * answers, against the same run with every device healthy; with one
 * command queue, a queue per CPU, and the ATC invalidations on a queue of
 * their own.  Sets of points: the slow device's latency, the CPUs, the
 * devices under CPU 0's sync, and bystanders that invalidate a healthy ATS
 * device of their own.  Every figure is modelled time.
 */
enum review_hol_set {
	REVIEW_HOL_LATENCY,
	REVIEW_HOL_CPUS,
	REVIEW_HOL_DEVS,
	REVIEW_HOL_BYSTANDER,
	REVIEW_HOL_NR_SETS,
};

extern const char *const review_hol_set_names[];

#define REVIEW_HOL_MAX_CPUS 32 /* its CPUs set: 64 of kunpeng920-96 */
#define REVIEW_HOL_MAX_DURATION_NS (100ULL * 1000 * 1000)
/* The ATC timeout: its row needs bystander operations to measure */
#define REVIEW_HOL_MIN_DURATION_NS (2ULL * 1000 * 1000)
#define REVIEW_HOL_REPRODUCE_BYTES 512
#define REVIEW_HOL_SLOW_NS 100000 /* the slow device of the other sets */

struct review_hol_args {
	/*
	 * The latency, devices and bystander sets' CPUs; the CPUs set runs
	 * 2, 4, ... up to twice as many
	 */
	unsigned int cpus;
	u64 duration_ns; /* virtual, per point, after a warm-up of 1 ms */
	u64 seed;
};

struct review_hol {
	enum review_hol_set set;
	unsigned int cmdq; /* enum scale_cmdq */
	unsigned int cpus, devs, bystander;
	u64 slow_ns; /* 0 and not @timeout: every device healthy */
	bool timeout;
	u64 ops, slow_ops, atc_timeouts; /* bystanders', CPU 0's, the SMMU's */
	double mean_ns, stddev_ns; /* the bystanders' operations */
	u64 p50_ns, p99_ns, max_ns;
	/* Against the healthy run of the same set, queues, CPUs and devices */
	double hol_ns, hol_p99_ns;
	bool failed; /* scale_point_failure() has a reason */
};

/*
 * Run the points of @a into @rows (caller frees): the number of rows, or a
 * negative errno
 */
int review_hol(const struct review_hol_args *a, struct review_hol **rows);
/* @w's "atcbench scale" command line, into @buf of @len bytes */
void review_hol_reproduce(const struct review_hol_args *a,
			  const struct review_hol *w, char *buf, size_t len);

/* The "atcbench review" command: returns the exit status */
int review_cmd(int argc, char **argv);

#endif /* REVIEW_H */
