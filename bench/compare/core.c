// SPDX-License-Identifier: GPL-2.0
/*
 * compare: the rows and their verdicts, and reading each side's files
 */

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "compare/internal.h"
#include "lib/results.h"

int compare_fail(struct compare *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

struct compare_row *compare_add(struct compare *c, enum compare_kind kind,
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
				   .p = NAN,
				   .stddev_pct = { NAN, NAN },
				   .others = { NAN, NAN },
				   .steal = { NAN, NAN } };
	va_start(ap, fmt);
	vsnprintf(r->name, sizeof(r->name), fmt, ap);
	va_end(ap);
	c->present[kind] = true;
	return r;
}

/*
 * The verdict of @r by its class (internal.h): a cost changes beyond
 * @band_pct, and for wall-clock figures with a U test below @alpha; a
 * count by any difference, never for the better or the worse; a violation
 * count whenever head has one
 */
void compare_judge(struct compare_row *r, double band_pct, double alpha)
{
	if (r->cls == CR_ZERO && r->head > 0) {
		r->verdict = CV_VIOLATION; /* whatever base had */
		return;
	}
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
	if (r->cls == CR_COUNT) {
		r->verdict = r->head == r->base ? CV_SAME : CV_CHANGED;
		r->fewer = r->head < r->base;
	} else if (r->kind == CK_TIME && !(r->p < alpha)) { /* NAN: no test */
		r->verdict = CV_SAME;
	} else if (r->change_pct > band_pct) {
		r->verdict = CV_REGRESSED;
	} else if (r->change_pct < -band_pct) {
		r->verdict = CV_IMPROVED;
	} else {
		r->verdict = CV_SAME;
	}
}

bool compare_fails(const struct compare *c, const struct compare_row *r)
{
	if (r->verdict == CV_VIOLATION)
		return true;
	return c->o->gate[r->kind] &&
	       (r->verdict == CV_REGRESSED || r->verdict == CV_CHANGED);
}

unsigned int compare_tally(struct compare *c)
{
	unsigned int fails = 0;
	size_t i;

	memset(c->verdicts, 0, sizeof(c->verdicts));
	memset(c->fails, 0, sizeof(c->fails));
	c->fewer = 0;
	for (i = 0; i < c->n; i++) {
		const struct compare_row *r = &c->rows[i];
		bool fail = compare_fails(c, r);

		c->verdicts[r->verdict]++;
		c->fails[r->verdict] += fail;
		c->fewer += r->verdict == CV_CHANGED && r->fewer;
		fails += fail;
	}
	return fails;
}

const char *compare_words(const struct compare_row *r, char *buf, size_t len)
{
	const char *what = r->what[0] ? r->what : r->name;

	if (r->verdict == CV_VIOLATION)
		snprintf(buf, len, "%.0f %s", r->head, what);
	else if (r->verdict == CV_CHANGED)
		snprintf(buf, len, "%s %s", r->fewer ? "fewer" : "more", what);
	else
		snprintf(buf, len, "%s", what);
	return buf;
}

static bool compare_file_exists(const char *dir, const char *name)
{
	char path[RESULTS_PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return !stat(path, &st);
}

/* Both sides have @name, neither has it (0), or one lacks it (-EINVAL) */
int compare_both(struct compare *c, const char *name, bool *both)
{
	bool b = compare_file_exists(c->o->dir[0], name);
	bool h = compare_file_exists(c->o->dir[1], name);

	*both = b && h;
	if (b != h)
		return compare_fail(c, "%s has no %s", c->o->dir[!h ? 1 : 0],
				    name);
	return 0;
}

int compare_load_path(struct compare *c, const char *path, struct json **out)
{
	return compare_load_flags(c, path, JSON_STRICT, out);
}

int compare_load_flags(struct compare *c, const char *path, unsigned int flags,
		       struct json **out)
{
	char err[160];
	int ret;

	ret = json_parse_file_flags(path, flags, out, err, sizeof(err));
	if (ret)
		return compare_fail(c, "%s: %s", path,
				    ret == -EINVAL ? err : strerror(-ret));
	return 0;
}

int compare_load(struct compare *c, const char *dir, const char *name,
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
int compare_find(const void *items, size_t size, unsigned int n,
		 const char *name)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp((const char *)items + i * size, name))
			return i;
	return -1;
}
