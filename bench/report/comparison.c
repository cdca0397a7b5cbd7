// SPDX-License-Identifier: GPL-2.0
/*
 * report: the report of a comparison folder (compare.json, head/env.json,
 * command), what a reviewer pastes under a patch: the verdict, and first
 * what sets it in words (violations, counts that fell with ATC_INVs
 * first, counts that rose, regressions), the refs, the machine and its
 * warnings (only where wall-clock evidence was compared), the changed rows
 * with each side's spread (LKP's "%stddev %change %stddev"), a count of
 * the unchanged ones, the plots, and the command that reproduces it
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

struct report_comparison_row {
	const struct json *row;
	int rank; /* compare.json's */
	double mag;
};

/*
 * A row's rank as compare ranked it (compare.c: what failed first); a
 * compare.json of schema 1 has none, and its verdicts rank in this order
 */
static int report_comparison_rank(const struct json *row)
{
	static const char *const v1[] = {
		"REGRESSED", "improved", "noise?", "new", "gone",
	};
	const char *v = json_str(row, "verdict", "");
	unsigned int k;

	if (json_get(row, "rank"))
		return json_num(row, "rank", -1);
	for (k = 0; k < ARRAY_SIZE(v1); k++)
		if (!strcmp(v, v1[k]))
			return COMPARE_RANK_HEADLINE + 1 + k;
	return -1;
}

/* By rank; within one, the largest change first */
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

/*
 * What sets the verdict, in words, one line each with its sentence:
 * "CHANGED: fewer ATC_INV to SID 0x100 (dio-2d ...: 1 -> 0)"
 */
static void report_comparison_headline(const struct report_comparison_row *r,
				       unsigned int n, FILE *f)
{
	unsigned int i;

	for (i = 0; i < n && r[i].rank <= COMPARE_RANK_HEADLINE; i++) {
		const struct json *row = r[i].row;
		const struct json *fails = json_get(row, "fails");
		bool advisory = r[i].rank < COMPARE_RANK_HEADLINE &&
				!(fails && fails->num);
		char b[32], h[32];

		report_comparison_value(row, "base", b, sizeof(b));
		report_comparison_value(row, "head", h, sizeof(h));
		fprintf(f, "%s: %.58s%s\n  %.50s: %s -> %s\n",
			compare_rank_label(r[i].rank, advisory),
			json_str(row, "words", json_str(row, "name", "")),
			advisory ? " (advisory)" : "",
			json_str(row, "name", ""), b, h);
		if (json_str(row, "note", NULL))
			fprintf(f, "  %.76s\n", json_str(row, "note", ""));
	}
}

/* The rows that changed, sorted by rank, into @changed; their number */
static unsigned int
report_comparison_sort(const struct json *cj,
		       struct report_comparison_row *changed,
		       unsigned int *total)
{
	const struct json *row = json_get(cj, "rows");
	unsigned int n = 0;

	*total = 0;
	for (row = row ? row->child : NULL; row && n < COMPARE_MAX_ROWS;
	     row = row->next, (*total)++) {
		int rank = report_comparison_rank(row);

		if (rank < 0)
			continue;
		changed[n].row = row;
		changed[n].rank = rank;
		changed[n++].mag = fabs(json_num(row, "change_pct", INFINITY));
	}
	qsort(changed, n, sizeof(changed[0]), report_comparison_cmp);
	return n;
}

/* The changed rows, two lines each, and a count of the others */
static void
report_comparison_changed(const struct json *cj,
			  const struct report_comparison_row *changed,
			  unsigned int n, unsigned int total, FILE *f)
{
	unsigned int same[8] = {}, i, k;
	const char *kinds[8] = {};
	const struct json *row = json_get(cj, "rows");

	for (row = row ? row->child : NULL; row; row = row->next) {
		const char *e = json_str(row, "evidence", "?");

		if (report_comparison_rank(row) >= 0)
			continue;
		for (k = 0;
		     k < ARRAY_SIZE(kinds) && kinds[k] && strcmp(kinds[k], e);
		     k++)
			;
		if (k < ARRAY_SIZE(kinds)) {
			kinds[k] = e;
			same[k]++;
		}
	}
	fprintf(f,
		"\nChanged: %u of %u rows (base -> head, each side's "
		"spread)\n",
		n, total);
	for (i = 0; i < n && i < REPORT_COMPARISON_SHOWN; i++) {
		const struct json *r = changed[i].row;
		double ch = json_num(r, "change_pct", NAN);
		const char *v = json_str(r, "verdict", "");
		char b[32], h[32], c[16];

		report_comparison_value(r, "base", b, sizeof(b));
		report_comparison_value(r, "head", h, sizeof(h));
		snprintf(c, sizeof(c), isnan(ch) ? "+inf" : "%+.1f%%", ch);
		fprintf(f, "  %-6s %.62s\n      %18s -> %-18s %8s %s%s\n",
			json_str(r, "evidence", ""), json_str(r, "name", ""), b,
			h, c,
			!strcmp(v, "changed") ?
				(!strcmp(json_str(r, "direction", ""),
					 "fewer") ?
					 "FEWER" :
					 "MORE") :
				v,
			json_num(r, "under_load", 0) > 0 ? " (under load)" :
							   "");
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

/*
 * Wall-clock rows were compared (the machine's load is evidence): how many,
 * how many of them carry each side's measured load (*@measured) and how
 * many were measured under load (*@loaded)
 */
static unsigned int report_comparison_timed(const struct json *cj,
					    unsigned int *measured,
					    unsigned int *loaded)
{
	const struct json *row = json_get(cj, "rows"), *others;
	unsigned int n = 0;

	*measured = *loaded = 0;
	for (row = row ? row->child : NULL; row; row = row->next) {
		if (strcmp(json_str(row, "evidence", ""), "time"))
			continue;
		n++;
		others = json_get(row, "head_load_others_cpus");
		*measured += others && others->type == JSON_NUMBER;
		*loaded += json_num(row, "under_load", 0) > 0;
	}
	return n;
}

static const char *report_comparison_verdict(const struct json *cj)
{
	if (!json_num(cj, "exit", 0))
		return "no change that gates";
	if (json_num(cj, "violations", 0))
		return "VIOLATION";
	if (json_num(cj, "changed", 0))
		return "COUNTS CHANGED";
	return "REGRESSED";
}

int report_comparison(const char *dir, FILE *f)
{
	static struct report_comparison_row changed[COMPARE_MAX_ROWS];
	char path[RESULTS_PATH_MAX], err[160];
	struct json *cj, *env = NULL;
	const struct json *topo;
	unsigned int n, total, timed, measured, loaded;
	int ret;

	snprintf(path, sizeof(path), "%s/compare.json", dir);
	ret = json_parse_file(path, &cj, err, sizeof(err));
	if (ret)
		return ret;
	n = report_comparison_sort(cj, changed, &total);
	fprintf(f,
		"Verdict: %s\n  %.0f violations, %.0f counts changed, %.0f "
		"regressed, %.0f improved\n",
		report_comparison_verdict(cj), json_num(cj, "violations", 0),
		json_num(cj, "changed", 0), json_num(cj, "regressed", 0),
		json_num(cj, "improved", 0));
	report_comparison_headline(changed, n, f);
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
	timed = report_comparison_timed(cj, &measured, &loaded);
	if (timed)
		report_tuning(env, measured, f);
	if (loaded)
		fprintf(f,
			"WARNING: %u of %u wall-clock rows measured under load "
			"(compare.txt\n  marks them, with each side's load and "
			"steal)\n",
			loaded, timed);
	report_guest(env, f);
	json_free(env);
	fputs("gate:", f);
	for (topo = json_get(cj, "gate"), topo = topo ? topo->child : NULL;
	     topo; topo = topo->next)
		fprintf(f, " %.8s", topo->str);
	fputc('\n', f);

	report_comparison_changed(cj, changed, n, total, f);
	json_free(cj);
	report_plots(dir, f);
	report_comparison_reproduce(dir, f);
	return ferror(f) ? -EIO : 0;
}
