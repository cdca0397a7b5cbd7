// SPDX-License-Identifier: GPL-2.0
/*
 * isolate: the sweep's results files, isolate.json and isolate.tsv
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
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

int isolate_write(const char *dir, const struct isolate_grid *grid,
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
