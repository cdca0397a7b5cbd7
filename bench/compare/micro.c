// SPDX-License-Identifier: GPL-2.0
/*
 * compare: wall-clock micro benchmarks (medians, compare.py's U test) and
 * instruction counts
 */

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compare/internal.h"
#include "lib/results.h"

/* Wall-clock micro benchmarks */

/* These three begin with their name (compare_find()) */
struct compare_series {
	char name[COMPARE_NAME_MAX];
	double v[COMPARE_MAX_RUNS];
	unsigned int n;
	bool cpu; /* CPU time (one thread), else real time */
	/* the runs' load counters (gbench.cc): the most, and runs under it */
	double others, steal;
	unsigned int loaded;
};

/*
 * The time of one run: CPU time for one thread, which leaves out what a
 * virtual machine's host steals (the benchmarks never sleep); real time for
 * several, whose contention is the point
 */
static double compare_time_ns(const struct json *b)
{
	const char *unit = json_str(b, "time_unit", "ns");
	double t = json_num(
		b, json_num(b, "threads", 1) > 1 ? "real_time" : "cpu_time",
		NAN);

	if (!strcmp(unit, "us"))
		return t * 1e3;
	if (!strcmp(unit, "ms"))
		return t * 1e6;
	if (!strcmp(unit, "s"))
		return t * 1e9;
	return t;
}

/*
 * A run's load counters into @s: the most others and steal of its runs (a
 * build older than the counters has none: NAN stays)
 */
static void compare_micro_load_counters(struct compare_series *s,
					const struct json *b)
{
	double others = json_num(b, "load_others_cpus", NAN);
	double steal = json_num(b, "load_steal", NAN);

	if (!isnan(others) && !(others <= s->others))
		s->others = others;
	if (!isnan(steal) && !(steal <= s->steal))
		s->steal = steal;
	s->loaded += json_num(b, "load_under", 0) > 0;
}

/* The iteration entries of micro.json, per benchmark, in file order */
static int compare_micro_load(struct compare *c, const char *dir,
			      struct compare_series **out, unsigned int *n)
{
	const struct json *list, *b;
	char path[RESULTS_PATH_MAX];
	struct compare_series *s;
	struct json *j;
	int ret;

	/* Google Benchmark writes NaN for a counter it cannot compute */
	snprintf(path, sizeof(path), "%s/micro.json", dir);
	ret = compare_load_flags(c, path, JSON_NONFINITE, &j);
	if (ret)
		return ret;
	list = json_get(j, "benchmarks");
	*n = 0;
	*out = s = calloc(COMPARE_MAX_BENCHMARKS, sizeof(*s));
	if (!s) {
		json_free(j);
		return -ENOMEM;
	}
	for (b = list ? list->child : NULL; b; b = b->next) {
		const char *name = json_str(b, "name", "");
		unsigned int i;

		if (strcmp(json_str(b, "run_type", "iteration"), "iteration") ||
		    json_num(b, "error_occurred", 0))
			continue;
		for (i = 0; i < *n && strcmp(s[i].name, name); i++)
			;
		if (i == *n) {
			if (*n == COMPARE_MAX_BENCHMARKS)
				break;
			snprintf(s[(*n)++].name, COMPARE_NAME_MAX, "%s", name);
			s[i].cpu = json_num(b, "threads", 1) <= 1;
			s[i].others = s[i].steal = NAN;
		}
		if (s[i].n < COMPARE_MAX_RUNS)
			s[i].v[s[i].n++] = compare_time_ns(b);
		compare_micro_load_counters(&s[i], b);
	}
	json_free(j);
	return 0;
}

static int compare_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The relative standard deviation of @s, in % of its mean; NAN below 2 */
static double compare_stddev_pct(const struct compare_series *s)
{
	double mean = 0, var = 0;
	unsigned int i;

	if (!s || s->n < 2)
		return NAN;
	for (i = 0; i < s->n; i++)
		mean += s->v[i];
	mean /= s->n;
	for (i = 0; i < s->n; i++)
		var += (s->v[i] - mean) * (s->v[i] - mean);
	return mean > 0 ? 100 * sqrt(var / (s->n - 1)) / mean : NAN;
}

static double compare_median(struct compare_series *s)
{
	qsort(s->v, s->n, sizeof(s->v[0]), compare_dbl);
	if (!s->n)
		return NAN;
	return s->n & 1 ? s->v[s->n / 2] :
			  (s->v[s->n / 2 - 1] + s->v[s->n / 2]) / 2;
}

/* compare.py's U test p-value of @name, CPU or real time, or NAN */
static double compare_pvalue(const struct json *utest, const char *name,
			     bool cpu)
{
	const struct json *e;

	for (e = utest ? utest->child : NULL; e; e = e->next)
		if (!strcmp(json_str(e, "name", ""), name))
			return json_num(json_get(e, "utest"),
					cpu ? "cpu_pvalue" : "time_pvalue",
					NAN);
	return NAN;
}

/* "walker/rcu/entries:64", not ".../real_time/threads:1" */
static void compare_shown_name(const char *name, char *shown, size_t len)
{
	char *cut;

	snprintf(shown, len, "%s", name);
	cut = strstr(shown, "/real_time");
	if (cut)
		memmove(cut, cut + 10, strlen(cut + 10) + 1);
	cut = strstr(shown, "/threads:1");
	if (cut && !cut[10])
		*cut = 0;
}

int compare_micro(struct compare *c)
{
	struct compare_series *s[2] = {};
	struct json *utest = NULL;
	unsigned int n[2], i, k;
	bool both;
	int ret;

	ret = compare_both(c, "micro.json", &both);
	if (ret || !both)
		return ret;
	if (!c->o->utest)
		return compare_fail(c, "micro.json in both folders, and no "
				       "--utest file (compare.py -d)");
	/* compare.py's output, Python's json: NaN where a test is undefined */
	ret = compare_load_flags(c, c->o->utest, JSON_NONFINITE, &utest);
	for (k = 0; k < 2 && !ret; k++)
		ret = compare_micro_load(c, c->o->dir[k], &s[k], &n[k]);
	/* Base's benchmarks in order, then those only head has */
	for (k = 0; !ret && k < 2; k++) {
		for (i = 0; i < n[k]; i++) {
			struct compare_series *x = &s[k][i], *b, *h;
			int j = compare_find(s[!k], sizeof(*x), n[!k], x->name);
			char shown[COMPARE_NAME_MAX];
			struct compare_row *r;

			if (k == 1 && j >= 0)
				continue; /* listed with base's */
			b = k ? NULL : x;
			h = k ? x : j >= 0 ? &s[1][j] : NULL;
			compare_shown_name(x->name, shown, sizeof(shown));
			r = compare_add(c, CK_TIME, CU_NS,
					b ? compare_median(b) : NAN,
					h ? compare_median(h) : NAN, "%s",
					shown);
			if (!r)
				break;
			r->runs = !b || !h ? 0 : b->n < h->n ? b->n : h->n;
			r->stddev_pct[0] = compare_stddev_pct(b);
			r->stddev_pct[1] = compare_stddev_pct(h);
			r->others[0] = b ? b->others : NAN;
			r->others[1] = h ? h->others : NAN;
			r->steal[0] = b ? b->steal : NAN;
			r->steal[1] = h ? h->steal : NAN;
			r->loaded[0] = b ? b->loaded : 0;
			r->loaded[1] = h ? h->loaded : 0;
			r->p = compare_pvalue(utest, x->name, x->cpu);
			compare_judge(r, c->o->band_pct, c->o->alpha);
		}
	}
	free(s[0]);
	free(s[1]);
	json_free(utest);
	return ret;
}

/* Instruction counts */

/*
 * A benchmark's instructions per operation, and those of the simulation's
 * code (sim/) among them: NAN in an icount.tsv from before that column
 */
struct compare_icount {
	char name[COMPARE_NAME_MAX];
	double per_op, sim_per_op;
};

static int compare_icount_load(struct compare *c, const char *dir,
			       struct compare_icount **out, unsigned int *n)
{
	char path[RESULTS_PATH_MAX], line[512];
	struct compare_icount *v;
	FILE *f;

	snprintf(path, sizeof(path), "%s/icount.tsv", dir);
	f = fopen(path, "r");
	if (!f)
		return compare_fail(c, "%s: %s", path, strerror(errno));
	*out = v = calloc(COMPARE_MAX_BENCHMARKS, sizeof(*v));
	*n = 0;
	while (v && fgets(line, sizeof(line), f) &&
	       *n < COMPARE_MAX_BENCHMARKS) {
		char name[COMPARE_NAME_MAX];
		double per_op, sim = NAN;

		if (sscanf(line, "%95[^\t]\t%*s\t%*s\t%lf\t%lf", name, &per_op,
			   &sim) < 2 ||
		    !strcmp(name, "benchmark"))
			continue;
		snprintf(v[*n].name, sizeof(v[*n].name), "%s", name);
		v[*n].sim_per_op = sim;
		v[(*n)++].per_op = per_op;
	}
	fclose(f);
	return v ? 0 : -ENOMEM;
}

int compare_icount(struct compare *c)
{
	struct compare_icount *v[2] = {};
	unsigned int n[2], i, k;
	bool both;
	int ret;

	ret = compare_both(c, "icount.tsv", &both);
	if (ret || !both)
		return ret;
	for (k = 0; k < 2 && !ret; k++)
		ret = compare_icount_load(c, c->o->dir[k], &v[k], &n[k]);
	/* Base's benchmarks in order, then those only head has */
	for (k = 0; !ret && k < 2; k++) {
		for (i = 0; i < n[k]; i++) {
			int j = compare_find(v[!k], sizeof(v[k][i]), n[!k],
					     v[k][i].name);
			double other = j >= 0 ? v[!k][j].per_op : NAN;
			struct compare_row *r;

			if (k == 1 && j >= 0)
				continue; /* listed with base's */
			r = compare_add(c, CK_INSTR, CU_COUNT,
					k ? other : v[0][i].per_op,
					k ? v[1][i].per_op : other, "%s",
					v[k][i].name);
			if (r)
				compare_judge(r, c->o->icount_band_pct, 1);
			/*
			 * And without the simulation's: what the kernel-form
			 * code (with its shims and the loop) executes, which a
			 * change in sim/ alone moves only by what the
			 * simulator runs outside its files (a few instructions)
			 */
			if (k || j < 0 || isnan(v[0][i].sim_per_op) ||
			    isnan(v[1][j].sim_per_op))
				continue;
			r = compare_add(c, CK_INSTR, CU_COUNT,
					v[0][i].per_op - v[0][i].sim_per_op,
					v[1][j].per_op - v[1][j].sim_per_op,
					"%s %s", v[0][i].name,
					COMPARE_ICOUNT_NO_SIM);
			if (r)
				compare_judge(r, c->o->icount_band_pct, 1);
		}
	}
	free(v[0]);
	free(v[1]);
	return ret;
}

/*
 * A wall-clock change where the same benchmark's instruction count is the
 * same is not evidence of a change in the code: it becomes "noise?"
 */
void compare_mark_noise(struct compare *c)
{
	size_t i, j;

	for (i = 0; i < c->n; i++) {
		struct compare_row *t = &c->rows[i];

		if (t->kind != CK_TIME ||
		    (t->verdict != CV_REGRESSED && t->verdict != CV_IMPROVED))
			continue;
		for (j = 0; j < c->n; j++) {
			const struct compare_row *r = &c->rows[j];

			if (r->kind == CK_INSTR && r->verdict == CV_SAME &&
			    !strcmp(r->name, t->name)) {
				t->verdict = CV_NOISE;
				break;
			}
		}
	}
}

int compare_micro_medians(const char *dir, struct compare_median **out)
{
	struct compare_series *s = NULL;
	struct compare c = {};
	unsigned int n = 0, i;
	int ret;

	*out = NULL;
	ret = compare_micro_load(&c, dir, &s, &n);
	if (!ret && n) {
		*out = calloc(n, sizeof(**out));
		if (!*out)
			ret = -ENOMEM;
	}
	for (i = 0; !ret && i < n; i++) {
		snprintf((*out)[i].name, sizeof((*out)[i].name), "%s",
			 s[i].name);
		(*out)[i].ns = compare_median(&s[i]);
	}
	free(s);
	return ret ? ret : (int)n;
}
