// SPDX-License-Identifier: GPL-2.0
/*
 * isolate: the sweep's results files, isolate.json and isolate.tsv
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>
#include "isolate/internal.h"
#include "lib/results.h"

static void isolate_json_num(FILE *f, const char *key, double v, bool last)
{
	if (v < 0)
		fprintf(f, "\"%s\": null%s", key, last ? "" : ", ");
	else
		fprintf(f, "\"%s\": %.6g%s", key, v, last ? "" : ", ");
}

struct isolate_sweep_out {
	const struct isolate_grid *grid;
	const struct isolate_cell *cells;
	int count;
	bool interrupted;
};

static int isolate_print_json(FILE *f, const void *arg)
{
	const struct isolate_sweep_out *o = arg;
	const struct isolate_grid *grid = o->grid;
	unsigned int i;
	int c;

	fprintf(f,
		"{\"schema_version\": %d, \"kind\": \"isolate\",\n"
		" \"interrupted\": %s,\n"
		" \"params\": {\"seed\": %llu"
		", \"trials\": %u, \"warmup\": %u, \"sync_ns\": %llu"
		", \"cmd_ns\": %llu, \"clock\": \"virtual\", "
		"\"cost_model\": \"sync + cmd * sids + timeout if it fails\", "
		"\"optimum\": \"best nested policy knowing k, n <= %d\", "
		"\"strategies\": [",
		ISOLATE_SCHEMA_VERSION, o->interrupted ? "true" : "false",
		grid->seed, grid->trials, grid->warmup, grid->sync_ns,
		grid->cmd_ns, ISOLATE_OPT_MAX_N);
	for (i = 0; i < grid->num_ops; i++)
		fprintf(f, "%s\"%s\"", i ? ", " : "", grid->ops[i]->name);
	fputs("]},\n \"cells\": [\n", f);
	for (c = 0; c < o->count; c++) {
		const struct isolate_cell *x = &o->cells[c];

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
		fprintf(f, "}%s\n", c + 1 < o->count ? "," : "");
	}
	fputs(" ]}\n", f);
	return 0;
}

static int isolate_print_tsv(FILE *f, const void *arg)
{
	const struct isolate_sweep_out *o = arg;
	int c;

	fputs("timeout_ns\tn\tk\tstrategy\tsyncs\ttimeouts\ttime_ns\t"
	      "innocent_broken\tinnocent_max\tmissed\texpected_ns\toptimum_ns\t"
	      "plan\n",
	      f);
	for (c = 0; c < o->count; c++) {
		const struct isolate_cell *x = &o->cells[c];

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
	return 0;
}

int isolate_write(const char *dir, bool interrupted,
		  const struct isolate_grid *grid,
		  const struct isolate_cell *cells, int count)
{
	const struct isolate_sweep_out o = { grid, cells, count, interrupted };
	char path[RESULTS_PATH_MAX];
	int ret;

	if (mkdir(dir, 0777) && errno != EEXIST)
		return -errno;
	snprintf(path, sizeof(path), "%s/isolate.json", dir);
	ret = results_write_with(path, isolate_print_json, &o);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/isolate.tsv", dir);
	return results_write_with(path, isolate_print_tsv, &o);
}
