// SPDX-License-Identifier: GPL-2.0
/* review: batching k devices under one sync against a sync each (review.h) */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include <sim/clock.h>

#include "review/review.h"

int review_batching(const struct isolate_grid *grid,
		    struct review_batching **rows)
{
	struct isolate_grid g = *grid;
	struct isolate_cell *cells = NULL;
	struct review_batching *r;
	int n, i;

	/* One faulty device: the question is the cost of finding it */
	g.ks[0] = 1;
	g.num_ks = 1;
	/* The episodes' time is the model's: virtual */
	n = sim_clock_init(SIM_CLOCK_VIRTUAL);
	if (n)
		return n;
	n = isolate_sweep(&g, &cells);
	if (n < 0)
		return n;
	r = calloc(n ?: 1, sizeof(*r));
	if (!r) {
		free(cells);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		const struct isolate_cell *c = &cells[i];
		unsigned int k = c->n;
		double saved = (double)(k - 1) * g.sync_ns;

		r[i] = (struct review_batching){
			.timeout_ns = c->timeout_ns,
			.k = k,
			.strategy = c->strategy,
			.ok_batched_ns = g.sync_ns + (double)k * g.cmd_ns,
			.ok_per_device_ns = k * (double)(g.sync_ns + g.cmd_ns),
			.iso_ns = c->time_ns,
			.iso_syncs = c->syncs,
			.innocent = c->innocent,
		};
		/*
		 * Per unmap, batching saves (k - 1) syncs and, when a share p
		 * of the unmaps meets a fault, costs p x the search: the
		 * timeout itself both designs pay once
		 */
		if (k == 1)
			r[i].break_even = -1;
		else if (c->time_ns <= 0)
			r[i].break_even = INFINITY;
		else
			r[i].break_even = saved / c->time_ns;
		r[i].break_even_device =
			r[i].break_even < 0 ?
				-1 :
			r[i].break_even >= 1 ?
				r[i].break_even :
				1 - pow(1 - r[i].break_even, 1.0 / k);
	}
	free(cells);
	*rows = r;
	return n;
}
