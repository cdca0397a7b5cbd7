// SPDX-License-Identifier: GPL-2.0
/*
 * report: the report of a comparison folder (compare.json, head/env.json,
 * command), what a reviewer pastes under a patch: the refs, the machine
 * and its warnings, the verdict, the changed rows with each side's spread
 * (LKP's "%stddev %change %stddev"), a count of the unchanged ones, the
 * plots, and the command that reproduces it
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>

#include "compare/compare.h"
#include "lib/fmt.h"
#include "lib/json.h"
#include "lib/results.h"
#include "report/report.h"

#define REPORT_COMPARISON_SHOWN \
	40 /* changed rows listed; compare.txt has all */

static const char *const report_comparison_order[] = {
	"REGRESSED", "improved", "noise?", "new", "gone",
};

struct report_comparison_row {
	const struct json *row;
	unsigned int rank; /* of its verdict in report_comparison_order */
	double mag;
};

/* Regressions first, then improvements...; the largest change first */
static int report_comparison_cmp(const void *a, const void *b)
{
	const struct report_comparison_row *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return (x->mag < y->mag) - (x->mag > y->mag);
}

static void report_comparison_side(FILE *f, const char *key,
				   const struct json *side)
{
	fprintf(f, "%s %.30s (%.12s)\n", key, json_str(side, "ref", "?"),
		json_str(side, "git_sha", "?"));
}

/* A row's value with its side's spread: "366ns ±1.2%" */
static void report_comparison_value(const struct json *row, const char *side,
				    char *buf, size_t len)
{
	char key[32], v[16];
	double x = json_num(row, side, NAN), sd;

	snprintf(key, sizeof(key), "%s_stddev_pct", side);
	sd = json_num(row, key, NAN);
	if (isnan(x))
		snprintf(v, sizeof(v), "-");
	else if (!strcmp(json_str(row, "unit", ""), "ns"))
		fmt_ns(x, v, sizeof(v));
	else
		snprintf(v, sizeof(v), "%.4g", x);
	if (isnan(sd))
		snprintf(buf, len, "%s", v);
	else
		snprintf(buf, len, "%s ±%.1f%%", v, sd);
}

/* The changed rows, two lines each, and a count of the others */
static void report_comparison_changed(const struct json *cj, FILE *f)
{
	static struct report_comparison_row changed[COMPARE_MAX_ROWS];
	unsigned int n = 0, total = 0, same[8] = {}, i, k;
	const char *kinds[8] = {};
	const struct json *row = json_get(cj, "rows");

	for (row = row ? row->child : NULL; row && n < COMPARE_MAX_ROWS;
	     row = row->next, total++) {
		const char *v = json_str(row, "verdict", "");
		const char *e = json_str(row, "evidence", "?");

		for (k = 0; k < ARRAY_SIZE(report_comparison_order); k++)
			if (!strcmp(v, report_comparison_order[k]))
				break;
		if (k < ARRAY_SIZE(report_comparison_order)) {
			changed[n].row = row;
			changed[n].rank = k;
			changed[n++].mag =
				fabs(json_num(row, "change_pct", INFINITY));
			continue;
		}
		for (k = 0;
		     k < ARRAY_SIZE(kinds) && kinds[k] && strcmp(kinds[k], e);
		     k++)
			;
		if (k < ARRAY_SIZE(kinds)) {
			kinds[k] = e;
			same[k]++;
		}
	}
	qsort(changed, n, sizeof(changed[0]), report_comparison_cmp);
	fprintf(f,
		"\nChanged: %u of %u rows (base -> head, each side's "
		"spread)\n",
		n, total);
	for (i = 0; i < n && i < REPORT_COMPARISON_SHOWN; i++) {
		double ch = json_num(changed[i].row, "change_pct", NAN);
		char b[32], h[32], c[16];

		report_comparison_value(changed[i].row, "base", b, sizeof(b));
		report_comparison_value(changed[i].row, "head", h, sizeof(h));
		snprintf(c, sizeof(c), isnan(ch) ? "+inf" : "%+.1f%%", ch);
		fprintf(f, "  %-6s %.62s\n      %18s -> %-18s %8s %s\n",
			json_str(changed[i].row, "evidence", ""),
			json_str(changed[i].row, "name", ""), b, h, c,
			json_str(changed[i].row, "verdict", ""));
	}
	if (n > REPORT_COMPARISON_SHOWN)
		fprintf(f, "  and %u more (compare.txt)\n",
			n - REPORT_COMPARISON_SHOWN);
	fprintf(f, "Unchanged: %u rows", total - n);
	for (k = 0; k < ARRAY_SIZE(kinds) && kinds[k]; k++)
		fprintf(f, "%s%s %u", k ? ", " : " (", kinds[k], same[k]);
	fputs(k ? ")\n" : "\n", f);
}

/* DIR/command, the command that made the folder, wrapped as shell lines */
static void report_comparison_reproduce(const char *dir, FILE *f)
{
	char path[RESULTS_PATH_MAX], cmd[2048];
	unsigned int col = 2;
	FILE *c;
	char *w;

	snprintf(path, sizeof(path), "%s/command", dir);
	c = fopen(path, "r");
	if (!c)
		return;
	if (!fgets(cmd, sizeof(cmd), c))
		cmd[0] = '\0';
	fclose(c);
	cmd[strcspn(cmd, "\n")] = '\0';
	fputs("\nReproduce:\n ", f);
	for (w = strtok(cmd, " "); w; w = strtok(NULL, " ")) {
		if (col > 2 && col + 1 + strlen(w) > FMT_COLUMNS - 2) {
			fputs(" \\\n     ", f);
			col = 5;
		}
		col += fprintf(f, " %s", w);
	}
	fputc('\n', f);
}

int report_comparison(const char *dir, FILE *f)
{
	char path[RESULTS_PATH_MAX], err[160];
	struct json *cj, *env = NULL;
	const struct json *topo;
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
	report_tuning(env, f);
	json_free(env);
	fprintf(f, "Verdict: %s (%.0f regressed, %.0f improved)\n  gate:",
		json_num(cj, "exit", 0) ? "REGRESSED" : "no regression",
		json_num(cj, "regressed", 0), json_num(cj, "improved", 0));
	for (topo = json_get(cj, "gate"), topo = topo ? topo->child : NULL;
	     topo; topo = topo->next)
		fprintf(f, " %.8s", topo->str);
	fputc('\n', f);

	report_comparison_changed(cj, f);
	json_free(cj);
	report_plots(dir, f);
	report_comparison_reproduce(dir, f);
	return ferror(f) ? -EIO : 0;
}
