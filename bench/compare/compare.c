// SPDX-License-Identifier: GPL-2.0
/* compare: base versus head, with a verdict per figure (see compare.h) */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compare/compare.h"
#include "lib/fmt.h"
#include "lib/json.h"
#include "lib/results.h"

#define EXIT_USAGE 2
#define COMPARE_MAX_BENCHMARKS 512 /* micro benchmarks, icount rows */
#define COMPARE_MAX_RUNS 100 /* runs of one micro benchmark */
#define COMPARE_NAME_MAX 96
#define COMPARE_NAME_COLS 28 /* longer names get a line of their own */

enum compare_kind { CK_TIME, CK_INSTR, CK_STRESS, CK_SWEEP, CK_KERNEL, CK_NR };

static const char *const compare_kind_names[CK_NR] = {
	[CK_TIME] = "time",   [CK_INSTR] = "instr",   [CK_STRESS] = "stress",
	[CK_SWEEP] = "sweep", [CK_KERNEL] = "kernel",
};

enum compare_unit { CU_NS, CU_COUNT };

/*
 * CV_NOISE: a wall-clock change of a benchmark whose instruction count is
 * the same (code layout, the host): reported, never a regression
 */
enum compare_verdict {
	CV_SAME,
	CV_REGRESSED,
	CV_IMPROVED,
	CV_NEW,
	CV_GONE,
	CV_NOISE,
};

static const char *const compare_verdict_names[] = {
	[CV_SAME] = "same",	    [CV_REGRESSED] = "REGRESSED",
	[CV_IMPROVED] = "improved", [CV_NEW] = "new",
	[CV_GONE] = "gone",	    [CV_NOISE] = "noise?",
};

struct compare_row {
	enum compare_kind kind;
	char name[COMPARE_NAME_MAX];
	enum compare_unit unit;
	double base, head; /* NAN when the side lacks it */
	double change_pct; /* NAN when it cannot be computed */
	double p; /* NAN: no test */
	unsigned int runs; /* time: repetitions per side (the fewer) */
	enum compare_verdict verdict;
};

struct compare_opts {
	const char *dir[2]; /* base, head */
	const char *utest;
	const char *out;
	double band_pct, icount_band_pct, alpha;
	bool gate[CK_NR]; /* the evidence whose regressions set the exit */
};

struct compare {
	const struct compare_opts *o;
	struct compare_row *rows;
	size_t n;
	bool present[CK_NR];
	char reason[256]; /* why it could not compare */
};

static int compare_fail(struct compare *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int compare_fail(struct compare *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static struct compare_row *
compare_add(struct compare *c, enum compare_kind kind, enum compare_unit unit,
	    double base, double head, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static struct compare_row *compare_add(struct compare *c,
				       enum compare_kind kind,
				       enum compare_unit unit, double base,
				       double head, const char *fmt, ...)
{
	struct compare_row *r;
	va_list ap;

	if (c->n == COMPARE_MAX_ROWS)
		return NULL;
	r = &c->rows[c->n++];
	*r = (struct compare_row){ .kind = kind,
				   .unit = unit,
				   .base = base,
				   .head = head,
				   .change_pct = NAN,
				   .p = NAN };
	va_start(ap, fmt);
	vsnprintf(r->name, sizeof(r->name), fmt, ap);
	va_end(ap);
	c->present[kind] = true;
	return r;
}

/*
 * The verdict of a lower-is-better figure: a change beyond @band_pct, and
 * for wall-clock figures a U test below @alpha
 */
static void compare_judge(struct compare_row *r, double band_pct, double alpha)
{
	if (isnan(r->base)) {
		r->verdict = CV_NEW;
		return;
	}
	if (isnan(r->head)) {
		r->verdict = CV_GONE;
		return;
	}
	r->change_pct = r->base ? (r->head / r->base - 1) * 100 :
			r->head ? INFINITY :
				  0;
	if (r->kind == CK_TIME && !(r->p < alpha)) /* NAN: no test */
		r->verdict = CV_SAME;
	else if (r->change_pct > band_pct)
		r->verdict = CV_REGRESSED;
	else if (r->change_pct < -band_pct)
		r->verdict = CV_IMPROVED;
	else
		r->verdict = CV_SAME;
}

static bool compare_file_exists(const char *dir, const char *name)
{
	char path[RESULTS_PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return !stat(path, &st);
}

/* Both sides have @name, neither has it (0), or one lacks it (-EINVAL) */
static int compare_both(struct compare *c, const char *name, bool *both)
{
	bool b = compare_file_exists(c->o->dir[0], name);
	bool h = compare_file_exists(c->o->dir[1], name);

	*both = b && h;
	if (b != h)
		return compare_fail(c, "%s has no %s", c->o->dir[!h ? 1 : 0],
				    name);
	return 0;
}

static int compare_load_path(struct compare *c, const char *path,
			     struct json **out)
{
	char err[160];
	int ret;

	ret = json_parse_file(path, out, err, sizeof(err));
	if (ret)
		return compare_fail(c, "%s: %s", path,
				    ret == -EINVAL ? err : strerror(-ret));
	return 0;
}

static int compare_load(struct compare *c, const char *dir, const char *name,
			struct json **out)
{
	char path[RESULTS_PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return compare_load_path(c, path, out);
}

/*
 * The index of @name among @n items of @size bytes that each begin with
 * their name, or -1: base and head are paired by name
 */
static int compare_find(const void *items, size_t size, unsigned int n,
			const char *name)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp((const char *)items + i * size, name))
			return i;
	return -1;
}

/* Wall-clock micro benchmarks */

/* These three begin with their name (compare_find()) */
struct compare_series {
	char name[COMPARE_NAME_MAX];
	double v[COMPARE_MAX_RUNS];
	unsigned int n;
	bool cpu; /* CPU time (one thread), else real time */
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

/* The iteration entries of micro.json, per benchmark, in file order */
static int compare_micro_load(struct compare *c, const char *dir,
			      struct compare_series **out, unsigned int *n)
{
	const struct json *list, *b;
	struct compare_series *s;
	struct json *j;
	int ret;

	ret = compare_load(c, dir, "micro.json", &j);
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
		}
		if (s[i].n < COMPARE_MAX_RUNS)
			s[i].v[s[i].n++] = compare_time_ns(b);
	}
	json_free(j);
	return 0;
}

static int compare_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
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

static int compare_micro(struct compare *c)
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
	ret = compare_load_path(c, c->o->utest, &utest);
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

struct compare_icount {
	char name[COMPARE_NAME_MAX];
	double per_op;
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
		double per_op;

		if (sscanf(line, "%95[^\t]\t%*s\t%*s\t%lf", name, &per_op) !=
			    2 ||
		    !strcmp(name, "benchmark"))
			continue;
		snprintf(v[*n].name, sizeof(v[*n].name), "%s", name);
		v[(*n)++].per_op = per_op;
	}
	fclose(f);
	return v ? 0 : -ENOMEM;
}

static int compare_icount(struct compare *c)
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
static void compare_mark_noise(struct compare *c)
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

/* Virtual-time stress runs and the isolation sweep: exact */

static void compare_exact(struct compare *c, enum compare_kind kind,
			  enum compare_unit unit, double base, double head,
			  const char *what, const char *name)
{
	struct compare_row *r;

	r = compare_add(c, kind, unit, base, head, "%s %s", what, name);
	if (r)
		compare_judge(r, 0, 1);
}

static double compare_pct(const struct json *run, const char *metric,
			  const char *p)
{
	const struct json *m = json_get(json_get(run, "metrics"), metric);

	return json_num(m, "count", 0) ? json_num(m, p, NAN) : NAN;
}

static void compare_stress_run(struct compare *c, const struct json *b,
			       const struct json *h)
{
	static const struct {
		const char *metric, *p, *label;
	} pcts[] = {
		{ "inv_ns", "p50", "inv p50" },
		{ "inv_ns", "p99", "inv p99" },
		{ "inv_ns", "p99_9", "inv p99.9" },
		{ "time_to_quarantine_ns", "p50", "ttq p50" },
		{ "time_to_quarantine_ns", "p99", "ttq p99" },
	};
	static const struct {
		const char *key, *label;
	} counts[] = {
		{ "timeouts", "timeouts" },
		{ "innocent_quarantines", "innocent" },
		{ "atc_invs_to_broken", "spam" },
		{ "oracle_violations", "violations" },
	};
	const char *name = json_str(b, "name", "?");
	unsigned int i;

	for (i = 0; i < sizeof(pcts) / sizeof(pcts[0]); i++) {
		double vb = compare_pct(b, pcts[i].metric, pcts[i].p);
		double vh = compare_pct(h, pcts[i].metric, pcts[i].p);

		if (isnan(vb) && isnan(vh))
			continue;
		compare_exact(c, CK_STRESS, CU_NS, vb, vh, name, pcts[i].label);
	}
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		compare_exact(c, CK_STRESS, CU_COUNT,
			      json_num(b, counts[i].key, NAN),
			      json_num(h, counts[i].key, NAN), name,
			      counts[i].label);
	compare_exact(c, CK_STRESS, CU_COUNT,
		      json_num(b, "smmu_commands", NAN) / json_num(b, "ops", 1),
		      json_num(h, "smmu_commands", NAN) / json_num(h, "ops", 1),
		      name, "cmds/op");
}

static int compare_stress(struct compare *c)
{
	char **names = NULL;
	int n, i, ret = 0;

	n = results_files(c->o->dir[0], "stress-", ".json", &names);
	if (n < 0)
		return compare_fail(c, "%s: %s", c->o->dir[0], strerror(-n));
	for (i = 0; i < n; i++) {
		struct json *j[2] = {};
		bool both;

		if (!ret)
			ret = compare_load(c, c->o->dir[0], names[i], &j[0]);
		if (!ret && strcmp(json_str(j[0], "clock", ""), "virtual"))
			goto next; /* real time: for the plots */
		if (!ret)
			ret = compare_both(c, names[i], &both);
		if (!ret)
			ret = compare_load(c, c->o->dir[1], names[i], &j[1]);
		if (!ret)
			compare_stress_run(c, j[0], j[1]);
next:
		json_free(j[0]);
		json_free(j[1]);
		free(names[i]);
	}
	free(names);
	return ret;
}

/*
 * Real-kernel runs (kernel-NAME.json): what the driver sent per domain
 * invalidation, exact.  Their latencies are not judged: under QEMU's TCG
 * they time the emulator.
 */
static void compare_kernel_run(struct compare *c, const struct json *b,
			       const struct json *h)
{
	static const struct {
		const char *key, *label;
	} per_op[] = {
		{ "cmds_per_op", "cmds/op" },
		{ "syncs_per_op", "syncs/op" },
		{ "lists_per_op", "lists/op" },
	};
	const struct json *side[2] = { b, h }, *op;
	const char *name = json_str(b, "name", "?");
	double ops[2], calls[2];
	unsigned int i, k;

	for (i = 0; i < sizeof(per_op) / sizeof(per_op[0]); i++)
		compare_exact(c, CK_KERNEL, CU_COUNT,
			      json_num(b, per_op[i].key, NAN),
			      json_num(h, per_op[i].key, NAN), name,
			      per_op[i].label);
	for (k = 0; k < 2; k++) {
		ops[k] = json_num(side[k], "ops", NAN);
		calls[k] = json_num(side[k], "atc_inv_domain_calls", NAN);
	}
	if (!isnan(calls[0]) || !isnan(calls[1]))
		compare_exact(c, CK_KERNEL, CU_COUNT, calls[0] / ops[0],
			      calls[1] / ops[1], name, "atc_inv_domain/op");
	/* Every opcode either side's SMMU executed, per operation */
	for (k = 0; k < 2; k++) {
		op = json_get(side[k], "smmu_opcodes");
		for (op = op ? op->child : NULL; op; op = op->next) {
			const struct json *o =
				json_get(side[!k], "smmu_opcodes");
			double v[2];
			char label[48];

			if (k == 1 && json_get(o, op->key))
				continue; /* done from base's side */
			v[k] = op->num / ops[k];
			v[!k] = json_num(o, op->key, 0) / ops[!k];
			snprintf(label, sizeof(label), "%s/op",
				 strncmp(op->key, "CMD_", 4) ? op->key :
							       op->key + 4);
			compare_exact(c, CK_KERNEL, CU_COUNT, v[0], v[1], name,
				      label);
		}
	}
}

static int compare_kernel(struct compare *c)
{
	char **names = NULL;
	int n, i, ret = 0;

	n = results_files(c->o->dir[0], "kernel-", ".json", &names);
	if (n < 0)
		return compare_fail(c, "%s: %s", c->o->dir[0], strerror(-n));
	for (i = 0; i < n; i++) {
		struct json *j[2] = {};
		bool both;

		if (!ret)
			ret = compare_both(c, names[i], &both);
		if (!ret)
			ret = compare_load(c, c->o->dir[0], names[i], &j[0]);
		if (!ret)
			ret = compare_load(c, c->o->dir[1], names[i], &j[1]);
		if (!ret)
			compare_kernel_run(c, j[0], j[1]);
		json_free(j[0]);
		json_free(j[1]);
		free(names[i]);
	}
	free(names);
	return ret;
}

#define COMPARE_MAX_STRATEGIES 16

/* Per strategy: syncs, timeouts, innocent devices, time, over all cells */
struct compare_sweep {
	char strategy[32];
	double sum[4];
};

static const char *const compare_sweep_keys[] = { "syncs", "timeouts",
						  "innocent_broken",
						  "time_ns" };

static int compare_sweep_load(struct compare *c, const char *dir,
			      struct compare_sweep *v, unsigned int *n)
{
	const struct json *cell;
	struct json *j;
	int ret;

	ret = compare_load(c, dir, "isolate.json", &j);
	if (ret)
		return ret;
	*n = 0;
	for (cell = json_get(j, "cells") ? json_get(j, "cells")->child : NULL;
	     cell; cell = cell->next) {
		const char *s = json_str(cell, "strategy", "?");
		unsigned int i, k;

		for (i = 0; i < *n && strcmp(v[i].strategy, s); i++)
			;
		if (i == *n) {
			if (*n == COMPARE_MAX_STRATEGIES)
				continue;
			memset(&v[i], 0, sizeof(v[i]));
			snprintf(v[(*n)++].strategy, sizeof(v[i].strategy),
				 "%s", s);
		}
		for (k = 0; k < 4; k++)
			v[i].sum[k] += json_num(cell, compare_sweep_keys[k], 0);
	}
	json_free(j);
	return 0;
}

static int compare_sweep(struct compare *c)
{
	static const char *const labels[] = { "syncs", "timeouts", "innocent",
					      "time" };
	struct compare_sweep v[2][COMPARE_MAX_STRATEGIES];
	unsigned int n[2], i, k;
	bool both;
	int ret;

	ret = compare_both(c, "isolate.json", &both);
	if (ret || !both)
		return ret;
	for (k = 0; k < 2 && !ret; k++)
		ret = compare_sweep_load(c, c->o->dir[k], v[k], &n[k]);
	for (i = 0; !ret && i < n[0]; i++) {
		int j = compare_find(v[1], sizeof(v[1][0]), n[1],
				     v[0][i].strategy);

		for (k = 0; k < 4; k++)
			compare_exact(c, CK_SWEEP, k == 3 ? CU_NS : CU_COUNT,
				      v[0][i].sum[k],
				      j >= 0 ? v[1][j].sum[k] : NAN,
				      v[0][i].strategy, labels[k]);
	}
	return ret;
}

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

/* The table: benchmark, base, head, change, p-value, verdict */
static void compare_table(const struct compare *c, FILE *f)
{
	enum compare_kind k;
	size_t i;

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
				compare_verdict_names[r->verdict]);
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

static void compare_json(const struct compare *c, unsigned int regressed,
			 unsigned int improved, FILE *f)
{
	bool first;
	size_t i;
	int k;

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
		",\n  \"regressed\": %u, \"improved\": %u, \"exit\": %d,\n"
		"  \"rows\": [",
		regressed, improved, regressed ? 1 : 0);
	for (i = 0; i < c->n; i++) {
		const struct compare_row *r = &c->rows[i];

		fprintf(f, "%s\n    {\"evidence\": \"%s\", \"name\": ",
			i ? "," : "", compare_kind_names[r->kind]);
		json_write_str(f, r->name);
		fprintf(f, ", \"unit\": \"%s\", ",
			r->unit == CU_NS    ? "ns" :
			r->kind == CK_INSTR ? "instructions" :
					      "count");
		compare_json_num(f, "base", r->base, true);
		compare_json_num(f, "head", r->head, true);
		compare_json_num(f, "change_pct", r->change_pct, true);
		compare_json_num(f, "p_value", r->p, true);
		fprintf(f, "\"runs\": %u, \"verdict\": \"%s\"}", r->runs,
			compare_verdict_names[r->verdict]);
	}
	fputs("\n  ]\n}\n", f);
}

static int compare_write(const char *dir, const char *name, const char *data,
			 size_t len)
{
	char path[RESULTS_PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return results_write_file(path, data, len);
}

/* Run every comparison, write the files; 0, 1 (regressed) or -errno */
static int compare_run(struct compare *c)
{
	unsigned int regressed = 0, advisory = 0, improved = 0, noise = 0;
	char *txt = NULL, *js = NULL;
	size_t txt_len, js_len, i;
	FILE *t, *j;
	int ret;

	ret = compare_micro(c);
	if (!ret)
		ret = compare_icount(c);
	if (!ret)
		ret = compare_stress(c);
	if (!ret)
		ret = compare_sweep(c);
	if (!ret)
		ret = compare_kernel(c);
	if (ret)
		return ret;
	if (!c->n)
		return compare_fail(c, "no evidence in %s and %s", c->o->dir[0],
				    c->o->dir[1]);
	compare_mark_noise(c);
	for (i = 0; i < c->n; i++) {
		bool gated = c->o->gate[c->rows[i].kind];

		regressed += gated && c->rows[i].verdict == CV_REGRESSED;
		advisory += !gated && c->rows[i].verdict == CV_REGRESSED;
		improved += c->rows[i].verdict == CV_IMPROVED;
		noise += c->rows[i].verdict == CV_NOISE;
	}

	t = open_memstream(&txt, &txt_len);
	j = open_memstream(&js, &js_len);
	if (!t || !j) {
		if (t)
			fclose(t);
		free(txt);
		return -ENOMEM;
	}
	compare_table(c, t);
	fprintf(t, "%s: %u regressed, %u improved, %zu compared\n",
		regressed ? "REGRESSED" : "no regression", regressed, improved,
		c->n);
	if (advisory)
		fprintf(t,
			"(and %u regressed in evidence that does not gate)\n",
			advisory);
	if (noise)
		fprintf(t,
			"(%u wall-clock changes with the same instruction "
			"count: noise?)\n",
			noise);
	compare_json(c, regressed, improved, j);
	fclose(t);
	fclose(j);
	fwrite(txt, 1, txt_len, stdout);
	ret = compare_write(c->o->out, "compare.txt", txt, txt_len);
	if (!ret)
		ret = compare_write(c->o->out, "compare.json", js, js_len);
	free(txt);
	free(js);
	if (ret)
		return compare_fail(c, "cannot write to %s: %s", c->o->out,
				    strerror(-ret));
	return regressed ? 1 : 0;
}

static int compare_band_arg(const char *flag, const char *arg, double max,
			    double *out)
{
	char *end;

	errno = 0;
	*out = arg ? strtod(arg, &end) : NAN;
	if (!arg || errno || *end || !(*out >= 0 && *out <= max)) {
		fprintf(stderr, "atcbench compare: %s takes 0 to %g\n", flag,
			max);
		return -EINVAL;
	}
	return 0;
}

/* "--gate time,instr,stress,sweep": the evidence that sets the exit */
static int compare_gate_arg(const char *arg, bool *gate)
{
	char buf[64], *tok, *save;
	unsigned int k;

	memset(gate, 0, CK_NR * sizeof(*gate));
	snprintf(buf, sizeof(buf), "%s", arg);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (k = 0; k < CK_NR && strcmp(tok, compare_kind_names[k]);
		     k++)
			;
		if (k == CK_NR) {
			fprintf(stderr,
				"atcbench compare: --gate: %s is not one of "
				"time, instr, stress, sweep, kernel\n",
				tok);
			return -EINVAL;
		}
		gate[k] = true;
	}
	return 0;
}

static void compare_usage(FILE *f)
{
	fputs("usage: atcbench compare BASE_DIR HEAD_DIR [--utest FILE]\n"
	      "         [--band PCT] [--icount-band PCT] [--alpha A] "
	      "[--out DIR]\n"
	      "         [--gate time,instr,stress,sweep,kernel]\n"
	      "\n"
	      "Compare two results folders (scripts/compare.sh makes them):\n"
	      "  micro.json   wall clock: --utest is compare.py's -d output;\n"
	      "               a change counts when p < A (default 0.05) and\n"
	      "               the median moved by more than PCT (default 5)\n"
	      "  icount.tsv   instructions per op: --icount-band (default 1)\n"
	      "  stress-*.json (virtual clock), isolate.json: exact\n"
	      "  kernel-*.json  real-kernel runs: commands per op, exact\n"
	      "A wall-clock change whose instruction count is the same is\n"
	      "\"noise?\", never a regression.  Writes compare.txt and\n"
	      "compare.json to --out (default: the parent of HEAD_DIR).\n"
	      "Exit 0: no regression; 1: regression in the --gate evidence\n"
	      "(default: instr,stress,sweep,kernel, the deterministic\n"
	      "evidence; the rest is advisory); 2: could not compare.\n",
	      f);
}

int compare_cmd(int argc, char **argv)
{
	struct compare_opts o = {
		.band_pct = COMPARE_DEFAULT_BAND_PCT,
		.icount_band_pct = COMPARE_DEFAULT_ICOUNT_BAND_PCT,
		.alpha = COMPARE_DEFAULT_ALPHA,
		/* the deterministic evidence; time gates when named */
		.gate = { [CK_INSTR] = true,
			  [CK_STRESS] = true,
			  [CK_SWEEP] = true,
			  [CK_KERNEL] = true },
	};
	struct compare c = { .o = &o };
	char out[RESULTS_PATH_MAX];
	unsigned int ndirs = 0;
	int i, ret;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			compare_usage(stdout);
			return 0;
		} else if (!strcmp(a, "--utest") && v) {
			o.utest = v, i++;
		} else if (!strcmp(a, "--out") && v) {
			o.out = v, i++;
		} else if (!strcmp(a, "--band")) {
			if (compare_band_arg(a, v, COMPARE_MAX_BAND_PCT,
					     &o.band_pct))
				return EXIT_USAGE;
			i++;
		} else if (!strcmp(a, "--icount-band")) {
			if (compare_band_arg(a, v, COMPARE_MAX_BAND_PCT,
					     &o.icount_band_pct))
				return EXIT_USAGE;
			i++;
		} else if (!strcmp(a, "--gate") && v) {
			if (compare_gate_arg(v, o.gate))
				return EXIT_USAGE;
			i++;
		} else if (!strcmp(a, "--alpha")) {
			if (compare_band_arg(a, v, 1, &o.alpha))
				return EXIT_USAGE;
			i++;
		} else if (a[0] != '-' && ndirs < 2) {
			o.dir[ndirs++] = a;
		} else {
			compare_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (ndirs != 2) {
		compare_usage(stderr);
		return EXIT_USAGE;
	}
	if (!o.out) {
		char *slash;

		snprintf(out, sizeof(out), "%s", o.dir[1]);
		slash = strrchr(out, '/');
		if (slash)
			*slash = 0;
		else
			snprintf(out, sizeof(out), ".");
		o.out = out;
	}
	c.rows = calloc(COMPARE_MAX_ROWS, sizeof(*c.rows));
	if (!c.rows)
		return EXIT_FAILURE;
	ret = compare_run(&c);
	free(c.rows);
	if (ret < 0) {
		fprintf(stderr, "atcbench compare: could not compare: %s\n",
			c.reason[0] ? c.reason : strerror(-ret));
		return EXIT_USAGE;
	}
	return ret;
}
