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

/* The "atcbench review" command: returns the exit status */
int review_cmd(int argc, char **argv);

#endif /* REVIEW_H */
