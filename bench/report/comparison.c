// SPDX-License-Identifier: GPL-2.0
/*
 * report: the report of a comparison folder (compare.json, compare.txt,
 * head/env.json): the refs, the machine, the table, the largest changes
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare.h"
#include "lib/json.h"
#include "lib/results.h"
#include "report/report.h"

#define REPORT_COMPARISON_TOP 10 /* rows in the top changes */

struct report_comparison_top {
	const struct json *row;
	double mag;
};

static int report_comparison_top_cmp(const void *a, const void *b)
{
	double x = ((const struct report_comparison_top *)a)->mag;
	double y = ((const struct report_comparison_top *)b)->mag;

	return (x < y) - (x > y);
}

static void report_comparison_side(FILE *f, const char *key,
				   const struct json *side)
{
	fprintf(f, "%s %.30s (%.12s)\n", key, json_str(side, "ref", "?"),
		json_str(side, "git_sha", "?"));
}

int report_comparison(const char *dir, FILE *f)
{
	char path[RESULTS_PATH_MAX], err[160];
	struct report_comparison_top top[COMPARE_MAX_ROWS];
	const struct json *row, *topo;
	struct json *cj, *env = NULL;
	unsigned int n = 0, i;
	size_t len;
	FILE *t;
	int ret;

	snprintf(path, sizeof(path), "%s/compare.json", dir);
	ret = json_parse_file(path, &cj, err, sizeof(err));
	if (ret)
		return ret;
	/* refs of up to 30 characters in full, one line each */
	report_comparison_side(f, "compare: base", json_get(cj, "base"));
	report_comparison_side(f, "      -> head", json_get(cj, "head"));
	snprintf(path, sizeof(path), "%s/head/env.json", dir);
	json_parse_file(path, &env, err, sizeof(err));
	topo = json_get(env, "topology");
	fprintf(f,
		"%.16s: %.32s, %.0f PUs, %.0f node(s)\n  Linux %.24s, %.24s\n",
		json_str(env, "hostname", "?"), json_str(env, "cpu_model", "?"),
		json_num(topo, "pus", 0), json_num(topo, "numa_nodes", 0),
		json_str(env, "kernel", "?"), json_str(env, "compiler", "?"));
	json_free(env);

	fputc('\n', f);
	snprintf(path, sizeof(path), "%s/compare.txt", dir);
	t = fopen(path, "r");
	if (t) {
		char buf[4096];

		while ((len = fread(buf, 1, sizeof(buf), t)))
			fwrite(buf, 1, len, f);
		fclose(t);
	}

	row = json_get(cj, "rows");
	for (row = row ? row->child : NULL; row && n < COMPARE_MAX_ROWS;
	     row = row->next) {
		const char *v = json_str(row, "verdict", "");

		if (strcmp(v, "REGRESSED") && strcmp(v, "improved"))
			continue;
		top[n].row = row;
		top[n++].mag = fabs(json_num(row, "change_pct", INFINITY));
	}
	qsort(top, n, sizeof(top[0]), report_comparison_top_cmp);
	fputs("\nTop changes:\n", f);
	if (!n)
		fputs("  none beyond the noise bands\n", f);
	for (i = 0; i < n && i < REPORT_COMPARISON_TOP; i++) {
		double ch = json_num(top[i].row, "change_pct", NAN);
		char c[16];

		if (isnan(ch))
			snprintf(c, sizeof(c), "+inf");
		else
			snprintf(c, sizeof(c), "%+.1f%%", ch);
		fprintf(f, "  %-9s %-6s %-7s %.45s\n",
			json_str(top[i].row, "verdict", ""),
			json_str(top[i].row, "evidence", ""), c,
			json_str(top[i].row, "name", ""));
	}
	json_free(cj);
	report_plots(dir, f);
	return ferror(f) ? -EIO : 0;
}
