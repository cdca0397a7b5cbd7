// SPDX-License-Identifier: GPL-2.0
/* opt: options from tables, on getopt_long() (see opt.h) */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>

#include "lib/opt.h"
#include "lib/units.h"

static int opt_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int opt_parse_u64(const char *s, u64 min, u64 max, u64 *val)
{
	char *end;

	if (!*s || strspn(s, "0123456789") != strlen(s))
		return -EINVAL;
	errno = 0;
	*val = strtoull(s, &end, 10);
	if (errno || *val < min || *val > max)
		return -ERANGE;
	return 0;
}

void opt_ns_str(u64 ns, char *buf, size_t len)
{
	static const struct {
		u64 div;
		const char *unit;
	} units[] = { { 3600000000000ULL, "h" },
		      { 1000000000, "s" },
		      { 1000000, "ms" },
		      { 1000, "us" } };
	unsigned int i;

	if (!ns) {
		snprintf(buf, len, "0");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(units); i++)
		if (!(ns % units[i].div)) {
			snprintf(buf, len, "%llu%s", ns / units[i].div,
				 units[i].unit);
			return;
		}
	snprintf(buf, len, "%lluns", ns);
}

static void opt_limit_str(const struct opt *o, u64 v, char *buf, size_t len)
{
	if (o->type == OPT_NS)
		opt_ns_str(v, buf, len);
	else
		snprintf(buf, len, v == U64_MAX ? "2^64-1" : "%llu", v);
}

static void opt_enum_list(const struct opt *o, char *buf, size_t len)
{
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; o->names[i] && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i ? ", " : "",
			      o->names[i]);
}

/* OPT_UINT, OPT_U64, OPT_NS, OPT_REAL: @value into @field */
static int opt_apply_number(const struct opt *o, char *field, const char *value,
			    char *err, size_t errlen)
{
	char lo[24], hi[24];
	u64 v = 0;
	int ret;

	if (o->type == OPT_REAL) {
		if (!*value || strspn(value, "0123456789.") != strlen(value) ||
		    strchr(value, '.') != strrchr(value, '.') ||
		    !strcmp(value, "."))
			return opt_err(err, errlen,
				       "%s: '%s' is not a decimal number",
				       o->name, value);
		*(double *)field = strtod(value, NULL);
		if (*(double *)field < o->min || *(double *)field > o->max)
			return opt_err(err, errlen,
				       "%s: %s is out of range [%llu, %llu]",
				       o->name, value, o->min, o->max);
		return 0;
	}
	if (o->type == OPT_NS) {
		ret = units_parse_ns(value, &v);
		if (ret == -EINVAL)
			return opt_err(err, errlen,
				       "%s: '%s' is not a duration "
				       "(" UNITS_DURATION_SYNTAX ")",
				       o->name, value);
		if (ret || v < o->min || v > o->max)
			ret = -ERANGE;
	} else {
		ret = opt_parse_u64(value, o->min, o->max, &v);
		if (ret == -EINVAL)
			return opt_err(err, errlen,
				       "%s: '%s' is not a decimal number",
				       o->name, value);
	}
	if (ret) {
		opt_limit_str(o, o->min, lo, sizeof(lo));
		opt_limit_str(o, o->max, hi, sizeof(hi));
		return opt_err(err, errlen, "%s: %s is out of range [%s, %s]",
			       o->name, value, lo, hi);
	}
	if (o->type == OPT_UINT)
		*(unsigned int *)field = v;
	else
		*(u64 *)field = v;
	return 0;
}

/* Set @o's field in @base from @value */
static int opt_apply(const struct opt *o, void *base, const char *value,
		     char *err, size_t errlen)
{
	char *field = (char *)base + o->off, list[256];
	unsigned int i;

	switch (o->type) {
	case OPT_FLAG:
		*(bool *)field = true;
		return 0;
	case OPT_BOOL:
		if (!strcmp(value, "true") || !strcmp(value, "yes") ||
		    !strcmp(value, "1"))
			*(bool *)field = true;
		else if (!strcmp(value, "false") || !strcmp(value, "no") ||
			 !strcmp(value, "0"))
			*(bool *)field = false;
		else
			return opt_err(err, errlen,
				       "%s: '%s' is not true or false", o->name,
				       value);
		return 0;
	case OPT_STR:
		if (o->size && strlen(value) > o->size)
			return opt_err(err, errlen,
				       "%s: longer than %zu characters",
				       o->name, o->size);
		*(const char **)field = value;
		return 0;
	case OPT_TEXT:
		if (strlen(value) >= o->size)
			return opt_err(err, errlen,
				       "%s: longer than %zu characters",
				       o->name, o->size - 1);
		strcpy(field, value);
		return 0;
	case OPT_ENUM:
		for (i = 0; o->names[i]; i++)
			if (!strcmp(o->names[i], value)) {
				*(unsigned int *)field = i;
				return 0;
			}
		opt_enum_list(o, list, sizeof(list));
		return opt_err(err, errlen, "%s: '%s' is not one of: %s",
			       o->name, value, list);
	case OPT_FUNC:
		return o->parse(o, value, field, err, errlen);
	default:
		return opt_apply_number(o, field, value, err, errlen);
	}
}

/* @a and @b name the same key, '-' and '_' alike */
static bool opt_same_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && !(strchr("-_", *a) && strchr("-_", *b)))
			return false;
	return *a == *b;
}

int opt_set(const struct opt_group *groups, unsigned int num_groups,
	    const char *key, const char *value, char *err, size_t errlen)
{
	unsigned int g, i;

	for (g = 0; g < num_groups; g++)
		for (i = 0; i < groups[g].num; i++)
			if (opt_same_name(groups[g].opts[i].name, key))
				return opt_apply(&groups[g].opts[i],
						 groups[g].base, value, err,
						 errlen);
	snprintf(err, errlen, "unknown key '%s'", key);
	return -ENOENT;
}

/* The getopt_long() table: each option under its '-' spelling */
struct opt_longs {
	struct option longs[OPT_MAX + 2];
	char names[OPT_MAX][OPT_NAME_MAX];
	const struct opt *opt[OPT_MAX];
	void *base[OPT_MAX];
};

static int opt_longs_build(const struct opt_group *groups,
			   unsigned int num_groups, struct opt_longs *l)
{
	unsigned int g, i, n = 0;
	char *c;

	for (g = 0; g < num_groups; g++) {
		for (i = 0; i < groups[g].num; i++, n++) {
			const struct opt *o = &groups[g].opts[i];

			if (n == OPT_MAX || strlen(o->name) >= OPT_NAME_MAX)
				return -E2BIG;
			strcpy(l->names[n], o->name);
			for (c = l->names[n]; *c; c++)
				if (*c == '_')
					*c = '-';
			l->opt[n] = o;
			l->base[n] = groups[g].base;
			l->longs[n] =
				(struct option){ l->names[n],
						 o->type == OPT_FLAG ?
							 no_argument :
							 required_argument,
						 NULL, 256 + n };
		}
	}
	l->longs[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	l->longs[n] = (struct option){};
	return 0;
}

/* getopt_long() wants '-' where a table may say '_': respell a copy */
static char *opt_respell(const char *arg)
{
	char *copy = strdup(arg), *c;

	if (!copy || strncmp(copy, "--", 2))
		return copy;
	for (c = copy + 2; *c && *c != '='; c++)
		if (*c == '_')
			*c = '-';
	return copy;
}

/* @p points into args[k]: the same place in argv[k] */
static const char *opt_orig(char **args, char **argv, int argc, const char *p)
{
	int k;

	for (k = 0; k < argc; k++)
		if (p >= args[k] && p <= args[k] + strlen(args[k]))
			return argv[k] + (p - args[k]);
	return p;
}

static int opt_positional(const char *cmd, const char *arg, const char **pos,
			  int max_pos, int *num_pos)
{
	if (*num_pos == max_pos) {
		fprintf(stderr,
			"atcbench %s: unexpected argument '%s' (--help)\n", cmd,
			arg);
		return -EINVAL;
	}
	pos[(*num_pos)++] = arg;
	return 0;
}

static int opt_getopt(const char *cmd, struct opt_longs *l, int argc,
		      char **args, char **argv, const char **pos, int max_pos,
		      int *num_pos)
{
	char err[512], *p;
	int c, ret;

	opterr = 0;
	optind = 0; /* glibc: start over, as for a new argv */
	/* '-': every other argument comes back as option 1, in order */
	while ((c = getopt_long(argc, args, "-:h", l->longs, NULL)) != -1) {
		if (c == 'h')
			return 1;
		if (c == 1) {
			ret = opt_positional(cmd,
					     opt_orig(args, argv, argc, optarg),
					     pos, max_pos, num_pos);
			if (ret)
				return ret;
			continue;
		}
		if (c == ':' || c == '?') {
			if (optopt && optopt < 256)
				fprintf(stderr,
					"atcbench %s: %s option '-%c' "
					"(--help)\n",
					cmd,
					c == ':' ? "a value for" : "unknown",
					optopt);
			else if (c == ':')
				fprintf(stderr,
					"atcbench %s: %s needs a value "
					"(--help)\n",
					cmd, argv[optind - 1]);
			else
				fprintf(stderr,
					"atcbench %s: unknown option '%s' "
					"(--help)\n",
					cmd, argv[optind - 1]);
			return -EINVAL;
		}
		ret = opt_apply(l->opt[c - 256], l->base[c - 256],
				optarg ? opt_orig(args, argv, argc, optarg) :
					 NULL,
				err, sizeof(err));
		if (ret) {
			/* the option as the command line spells it */
			for (p = err; *p && *p != ':'; p++)
				if (*p == '_')
					*p = '-';
			fprintf(stderr, "atcbench %s: --%s\n", cmd, err);
			return ret;
		}
	}
	/* after "--" */
	for (; optind < argc; optind++) {
		ret = opt_positional(cmd, argv[optind], pos, max_pos, num_pos);
		if (ret)
			return ret;
	}
	return 0;
}

int opt_parse(const char *cmd, const struct opt_group *groups,
	      unsigned int num_groups, int argc, char **argv, const char **pos,
	      int max_pos, int *num_pos)
{
	struct opt_longs *l = calloc(1, sizeof(*l));
	char **args = calloc(argc + 1, sizeof(*args));
	int i, ret = -ENOMEM;

	*num_pos = 0;
	if (!l || !args)
		goto out;
	for (i = 0; i < argc; i++) {
		args[i] = opt_respell(argv[i]);
		if (!args[i])
			goto out;
	}
	ret = opt_longs_build(groups, num_groups, l);
	if (!ret)
		ret = opt_getopt(cmd, l, argc, args, argv, pos, max_pos,
				 num_pos);
out:
	for (i = 0; args && i < argc; i++)
		free(args[i]);
	free(args);
	free(l);
	return ret;
}

static void opt_value_str(const struct opt *o, const void *base, bool short_ns,
			  char *buf, size_t len);

/* @o's default (its field in @base now) and its limits, for the help */
static void opt_default(const struct opt *o, const void *base, char *buf,
			size_t len)
{
	const char *field = (const char *)base + o->off;
	char v[OPT_VALUE_MAX], lo[24], hi[24];

	buf[0] = '\0';
	if (o->type == OPT_FLAG || o->type == OPT_FUNC)
		return;
	opt_value_str(o, base, true, v, sizeof(v));
	switch (o->type) {
	case OPT_STR:
	case OPT_TEXT:
		if (*v)
			snprintf(buf, len, " (default %s)", v);
		return;
	case OPT_ENUM:
	case OPT_BOOL:
		snprintf(buf, len, " (default %s)", v);
		return;
	default:
		break;
	}
	opt_limit_str(o, o->min, lo, sizeof(lo));
	opt_limit_str(o, o->max, hi, sizeof(hi));
	/* below its minimum: no default, the option must be given */
	if ((o->type == OPT_UINT && *(const unsigned int *)field < o->min) ||
	    ((o->type == OPT_U64 || o->type == OPT_NS) &&
	     *(const u64 *)field < o->min))
		snprintf(buf, len, " (%s..%s)", lo, hi);
	else
		snprintf(buf, len, " (default %s; %s..%s)", v, lo, hi);
}

/* @text after @col columns already used, wrapped at 79 under column 20 */
static void opt_wrap(FILE *f, int col, const char *text)
{
	const char *w = text;

	if (col > 20) {
		fprintf(f, "\n%20s", "");
		col = 20;
	}
	while (*w) {
		size_t n = strcspn(w, " ");

		if (col + 1 + (int)n > 79) {
			fprintf(f, "\n%20s", "");
			col = 20;
		}
		col += fprintf(f, " %.*s", (int)n, w);
		w += n;
		w += strspn(w, " ");
	}
	fputc('\n', f);
}

void opt_help(FILE *f, const struct opt_group *groups, unsigned int num_groups,
	      bool dashes)
{
	char name[OPT_NAME_MAX + 24], text[2 * OPT_VALUE_MAX],
		extra[OPT_VALUE_MAX + 64], *c;
	unsigned int g, i;

	for (g = 0; g < num_groups; g++) {
		for (i = 0; i < groups[g].num; i++) {
			const struct opt *o = &groups[g].opts[i];

			bool arg = dashes && o->arg && o->type != OPT_FLAG;

			snprintf(name, sizeof(name), "%s%s%s%s",
				 dashes ? "--" : "", o->name, arg ? " " : "",
				 arg ? o->arg : "");
			for (c = name; dashes && *c && *c != ' '; c++)
				if (*c == '_')
					*c = '-';
			opt_default(o, groups[g].base, extra, sizeof(extra));
			snprintf(text, sizeof(text), "%s%s", o->help, extra);
			opt_wrap(f, fprintf(f, "  %-18s", name), text);
		}
	}
}

/*
 * @o's value in @base as opt_set() reads it back; durations in ns, or with
 * @short_ns in the largest unit that keeps them exact
 */
static void opt_value_str(const struct opt *o, const void *base, bool short_ns,
			  char *buf, size_t len)
{
	const char *field = (const char *)base + o->off;

	switch (o->type) {
	case OPT_STR:
		field = *(const char *const *)field;
		snprintf(buf, len, "%s", field ? field : "");
		break;
	case OPT_TEXT:
		snprintf(buf, len, "%s", field);
		break;
	case OPT_ENUM:
		snprintf(buf, len, "%s",
			 o->names[*(const unsigned int *)field]);
		break;
	case OPT_BOOL:
		snprintf(buf, len, "%s",
			 *(const bool *)field ? "true" : "false");
		break;
	case OPT_UINT:
		snprintf(buf, len, "%u", *(const unsigned int *)field);
		break;
	case OPT_U64:
		snprintf(buf, len, "%llu", *(const u64 *)field);
		break;
	case OPT_NS:
		if (short_ns)
			opt_ns_str(*(const u64 *)field, buf, len);
		else
			snprintf(buf, len, "%lluns", *(const u64 *)field);
		break;
	case OPT_REAL:
		snprintf(buf, len, "%.15g", *(const double *)field);
		break;
	default:
		buf[0] = '\0';
		break;
	}
}

void opt_print_values(FILE *f, const struct opt_group *groups,
		      unsigned int num_groups)
{
	char value[OPT_VALUE_MAX];
	unsigned int g, i;

	for (g = 0; g < num_groups; g++) {
		for (i = 0; i < groups[g].num; i++) {
			const struct opt *o = &groups[g].opts[i];

			if (o->type == OPT_FLAG || o->type == OPT_FUNC)
				continue;
			opt_value_str(o, groups[g].base, false, value,
				      sizeof(value));
			fprintf(f, "%s = %s\n", o->name, value);
		}
	}
}

/* @s as one shell word: as it is when it needs no quotes */
static void opt_shell_word(FILE *f, const char *s)
{
	if (*s &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		      "0123456789._,:/@+=-") == strlen(s)) {
		fputs(s, f);
		return;
	}
	fputc('\'', f);
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	fputc('\'', f);
}

void opt_print_diff(FILE *f, const struct opt_group *group, const void *from)
{
	char now[OPT_VALUE_MAX], was[OPT_VALUE_MAX], *c;
	unsigned int i;

	for (i = 0; i < group->num; i++) {
		const struct opt *o = &group->opts[i];

		if (o->type == OPT_FLAG || o->type == OPT_FUNC)
			continue;
		opt_value_str(o, group->base, true, now, sizeof(now));
		opt_value_str(o, from, true, was, sizeof(was));
		if (!strcmp(now, was))
			continue;
		fputs(" --", f);
		for (c = (char *)o->name; *c; c++)
			fputc(*c == '_' ? '-' : *c, f);
		fputc(' ', f);
		opt_shell_word(f, now);
	}
}
