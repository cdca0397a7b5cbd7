// SPDX-License-Identifier: GPL-2.0
/*
 * compare: compare.txt (the table) and compare.json
 */

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "compare/internal.h"
#include "lib/fmt.h"
#include "lib/results.h"

static const char *const compare_verdict_names[] = {
	[CV_SAME] = "same",	    [CV_REGRESSED] = "REGRESSED",
	[CV_IMPROVED] = "improved", [CV_NEW] = "new",
	[CV_GONE] = "gone",	    [CV_NOISE] = "noise?",
	[CV_CHANGED] = "changed",   [CV_VIOLATION] = "VIOLATION",
};

static const char *const compare_class_names[] = {
	[CR_COST] = "cost",
	[CR_COUNT] = "count",
	[CR_ZERO] = "violations",
};

/*
 * The table's verdict column: a changed count says which way; a change in
 * evidence that does not gate (wall clock by default) in lower case, so a
 * "REGRESSED" row is one that sets the exit status
 */
static const char *compare_verdict_shown(const struct compare *c,
					 const struct compare_row *r)
{
	bool gates = compare_fails(c, r);

	if (r->verdict == CV_CHANGED)
		return r->fewer ? (gates ? "FEWER" : "fewer") :
				  (gates ? "MORE" : "more");
	if (r->verdict == CV_REGRESSED && !gates)
		return "regressed";
	return compare_verdict_names[r->verdict];
}

const char *const compare_kind_names[CK_NR] = {
	[CK_TIME] = "time",   [CK_INSTR] = "instr",   [CK_STRESS] = "stress",
	[CK_SWEEP] = "sweep", [CK_KERNEL] = "kernel",
};

/* Output */

static const char *compare_value(const struct compare_row *r, double v,
				 char *buf, size_t len)
{
	if (isnan(v))
		return "-";
	if (r->unit == CU_NS)
		return fmt_ns(v, buf, len);
	if (v != floor(v) && v < 1e4)
		snprintf(buf, len, v < 100 ? "%.2f" : "%.1f", v);
	else
		fmt_count(v, buf, len);
	return buf;
}

static const char *compare_change(const struct compare_row *r, char *buf,
				  size_t len)
{
	double x = r->change_pct;

	if (isnan(x))
		return "-";
	if (isinf(x))
		return "+inf";
	if (x == 0)
		return "0";
	snprintf(buf, len, fabs(x) < 10 ? "%+.2f%%" : "%+.1f%%", x);
	return buf;
}

static const char *compare_p(const struct compare_row *r, char *buf, size_t len)
{
	if (isnan(r->p))
		return "-";
	if (r->p < 0.001)
		return "<0.001";
	snprintf(buf, len, "%.3f", r->p);
	return buf;
}

static const char *compare_kind_title(const struct compare *c,
				      enum compare_kind k, char *buf,
				      size_t len)
{
	switch (k) {
	case CK_TIME:
		snprintf(buf, len,
			 "time: medians (CPU time if 1 thread), p < %g, "
			 "> %g %%",
			 c->o->alpha, c->o->band_pct);
		break;
	case CK_INSTR:
		snprintf(buf, len,
			 "instructions per operation (callgrind), band %g %%",
			 c->o->icount_band_pct);
		break;
	case CK_STRESS:
		snprintf(buf, len, "stress scenarios, virtual time: exact");
		break;
	case CK_SWEEP:
		snprintf(buf, len,
			 "isolation sweep, virtual time, sums over the grid: "
			 "exact");
		break;
	default:
		snprintf(buf, len,
			 "real kernel, per domain invalidation: exact");
		break;
	}
	return buf;
}

bool compare_under_load(const struct compare_row *r)
{
	return r->loaded[0] || r->loaded[1];
}

/*
 * Under a row measured under load: how many runs of each side were, and
 * the most load and steal met
 */
static void compare_load_line(const struct compare_row *r, FILE *f)
{
	static const char *const side[] = { "base", "head" };
	int k;

	fputs("  ^ under load:", f);
	for (k = 0; k < 2; k++)
		fprintf(f, "%s %s %u/%u, %.2f CPUs, steal %.1f %%",
			k ? ";" : "", side[k], r->loaded[k], r->runs,
			r->others[k], r->steal[k] * 100);
	fputc('\n', f);
}

/* The table: benchmark, base, head, change, p-value, verdict */
void compare_table(const struct compare *c, FILE *f)
{
	enum compare_kind k;
	size_t i;

	fprintf(f, "Verdicts in capitals set the exit status; in lower case, a "
		   "change in\nevidence that does not gate (advisory).\n");
	fprintf(f, "%-*s %8s %8s %7s %6s %9s\n", COMPARE_NAME_COLS, "benchmark",
		"base", "head", "change", "p", "verdict");
	for (k = 0; k < CK_NR; k++) {
		char title[FMT_COLUMNS + 8];

		if (!c->present[k])
			continue;
		/* titles fit in 58 columns, " (advisory)" in the rest */
		fprintf(f, "-- %.58s%s\n",
			compare_kind_title(c, k, title, sizeof(title)),
			c->o->gate[k] ? "" : " (advisory)");
		for (i = 0; i < c->n; i++) {
			const struct compare_row *r = &c->rows[i];
			char b[16], h[16], ch[16], p[16];

			if (r->kind != k)
				continue;
			if (strlen(r->name) > COMPARE_NAME_COLS)
				fprintf(f, "%.72s\n%-*s", r->name,
					COMPARE_NAME_COLS, "");
			else
				fprintf(f, "%-*s", COMPARE_NAME_COLS, r->name);
			fprintf(f, " %8.8s %8.8s %7.7s %6.6s %9s\n",
				compare_value(r, r->base, b, sizeof(b)),
				compare_value(r, r->head, h, sizeof(h)),
				compare_change(r, ch, sizeof(ch)),
				compare_p(r, p, sizeof(p)),
				compare_verdict_shown(c, r));
			if (compare_under_load(r))
				compare_load_line(r, f);
		}
	}
}

/*
 * A row's place in what the reports list first (compare.json's "rank",
 * which report.txt sorts by): violations, then counts that fell (ATC_INVs
 * first: a lost ATC invalidation is the worst change this tool can see),
 * counts that rose, regressions, violations of base alone (said, not
 * failed: COMPARE_RANK_HEADLINE and above are the headline); then
 * improvements, noise?, new, gone; -1: unchanged
 */
static int compare_rank(const struct compare_row *r)
{
	switch (r->verdict) {
	case CV_VIOLATION:
		return 0;
	case CV_CHANGED:
		return !r->fewer ? 3 : strstr(r->what, "ATC_INV") ? 1 : 2;
	case CV_REGRESSED:
		return 4;
	case CV_IMPROVED:
		return r->cls == CR_ZERO ? 5 : 6;
	case CV_NOISE:
		return 7;
	case CV_NEW:
		return 8;
	case CV_GONE:
		return 9;
	default:
		return -1;
	}
}

const char *compare_rank_label(int rank, bool advisory)
{
	if (advisory) /* in evidence that does not gate: lower case */
		return rank < 4 ? "changed" : "regressed";
	return rank == 0 ? "VIOLATION" :
	       rank < 4	 ? "CHANGED" :
	       rank == 4 ? "REGRESSED" :
			   "FIXED (base only)";
}

void compare_headline(const struct compare *c, FILE *f)
{
	int rank;
	size_t i;

	for (rank = 0; rank <= COMPARE_RANK_HEADLINE; rank++) {
		for (i = 0; i < c->n; i++) {
			const struct compare_row *r = &c->rows[i];
			char w[COMPARE_WHAT_MAX + 32], b[16], h[16];
			bool advisory;

			if (compare_rank(r) != rank)
				continue;
			advisory = rank < COMPARE_RANK_HEADLINE &&
				   !compare_fails(c, r);
			/* two lines of at most 72 columns, and the note */
			fprintf(f, "%s: %.58s%s\n  %.50s: %s -> %s\n",
				compare_rank_label(rank, advisory),
				compare_words(r, w, sizeof(w)),
				advisory ? " (advisory)" : "", r->name,
				compare_value(r, r->base, b, sizeof(b)),
				compare_value(r, r->head, h, sizeof(h)));
			if (r->note[0])
				fprintf(f, "  %.70s\n", r->note);
		}
	}
}

static void compare_json_num(FILE *f, const char *key, double v, bool comma)
{
	fprintf(f, "\"%s\": ", key);
	if (isnan(v) || isinf(v))
		fputs("null", f);
	else
		fprintf(f, "%.17g", v);
	if (comma)
		fputs(", ", f);
}

/*
 * A side's folder as compare.json gives it: relative to compare.json's own
 * folder @out when it lies inside it (compare.sh and kernel compare build
 * the folder under a temporary name, then rename it), else as given
 */
static const char *compare_json_dir(const char *dir, const char *out)
{
	size_t n = strlen(out);

	while (n > 1 && out[n - 1] == '/')
		n--;
	if (!strncmp(dir, out, n) && dir[n] == '/' && dir[n + 1])
		return dir + n + 1;
	return dir;
}

static void compare_json_side(FILE *f, const char *key, const char *dir,
			      const char *out)
{
	char path[RESULTS_PATH_MAX], err[128];
	struct json *env = NULL;

	snprintf(path, sizeof(path), "%s/env.json", dir);
	json_parse_file(path, &env, err, sizeof(err));
	fprintf(f, "  \"%s\": {\"dir\": ", key);
	json_write_str(f, compare_json_dir(dir, out));
	fputs(", \"ref\": ", f);
	json_write_str(f, json_str(env, "ref", ""));
	fputs(", \"git_sha\": ", f);
	json_write_str(f, json_str(env, "git_sha", ""));
	fputs("},\n", f);
	json_free(env);
}

void compare_json(const struct compare *c, FILE *f)
{
	const unsigned int *n = c->verdicts;
	unsigned int fails = 0;
	bool first;
	size_t i;
	int k;

	for (k = 0; k < CV_NR; k++)
		fails += c->fails[k];
	fprintf(f, "{\n  \"schema_version\": %d,\n  \"kind\": \"compare\",\n",
		COMPARE_SCHEMA_VERSION);
	compare_json_side(f, "base", c->o->dir[0], c->o->out);
	compare_json_side(f, "head", c->o->dir[1], c->o->out);
	fputs("  ", f);
	compare_json_num(f, "band_pct", c->o->band_pct, true);
	compare_json_num(f, "icount_band_pct", c->o->icount_band_pct, true);
	compare_json_num(f, "alpha", c->o->alpha, false);
	fputs(",\n  \"gate\": [", f);
	for (k = 0, first = true; k < CK_NR; k++) {
		if (!c->o->gate[k])
			continue;
		fprintf(f, "%s\"%s\"", first ? "" : ", ",
			compare_kind_names[k]);
		first = false;
	}
	fputc(']', f);
	fprintf(f,
		",\n  \"violations\": %u, \"changed\": %u, \"regressed\": %u, "
		"\"improved\": %u, \"exit\": %d,\n"
		"  \"rows\": [",
		n[CV_VIOLATION], n[CV_CHANGED], n[CV_REGRESSED], n[CV_IMPROVED],
		fails ? 1 : 0);
	for (i = 0; i < c->n; i++) {
		const struct compare_row *r = &c->rows[i];

		fprintf(f, "%s\n    {\"evidence\": \"%s\", \"name\": ",
			i ? "," : "", compare_kind_names[r->kind]);
		json_write_str(f, r->name);
		fprintf(f, ", \"class\": \"%s\", \"unit\": \"%s\", ",
			compare_class_names[r->cls],
			r->unit == CU_NS    ? "ns" :
			r->kind == CK_INSTR ? "instructions" :
					      "count");
		compare_json_num(f, "base", r->base, true);
		compare_json_num(f, "head", r->head, true);
		compare_json_num(f, "change_pct", r->change_pct, true);
		compare_json_num(f, "base_stddev_pct", r->stddev_pct[0], true);
		compare_json_num(f, "head_stddev_pct", r->stddev_pct[1], true);
		compare_json_num(f, "p_value", r->p, true);
		fprintf(f, "\"runs\": %u, ", r->runs);
		if (r->kind == CK_TIME) {
			compare_json_num(f, "base_load_others_cpus",
					 r->others[0], true);
			compare_json_num(f, "head_load_others_cpus",
					 r->others[1], true);
			compare_json_num(f, "base_load_steal", r->steal[0],
					 true);
			compare_json_num(f, "head_load_steal", r->steal[1],
					 true);
			fprintf(f,
				"\"base_runs_under_load\": %u, "
				"\"head_runs_under_load\": %u, "
				"\"under_load\": %s, ",
				r->loaded[0], r->loaded[1],
				compare_under_load(r) ? "true" : "false");
		}
		fprintf(f, "\"verdict\": \"%s\", \"direction\": ",
			compare_verdict_names[r->verdict]);
		if (r->verdict == CV_CHANGED)
			fprintf(f, "\"%s\"", r->fewer ? "fewer" : "more");
		else
			fputs("null", f);
		fputs(", \"words\": ", f);
		if (compare_rank(r) >= 0 &&
		    compare_rank(r) <= COMPARE_RANK_HEADLINE) {
			char w[COMPARE_WHAT_MAX + 32];

			json_write_str(f, compare_words(r, w, sizeof(w)));
		} else {
			fputs("null", f);
		}
		fputs(", \"note\": ", f);
		if (r->note[0])
			json_write_str(f, r->note);
		else
			fputs("null", f);
		fprintf(f, ", \"fails\": %s, \"rank\": %d}",
			compare_fails(c, r) ? "true" : "false",
			compare_rank(r));
	}
	fputs("\n  ]\n}\n", f);
}

int compare_write(const char *dir, const char *name, const char *data,
		  size_t len)
{
	char path[RESULTS_PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return results_write_file(path, data, len);
}
