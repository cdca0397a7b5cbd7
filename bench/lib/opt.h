/* SPDX-License-Identifier: GPL-2.0 */
/*
 * opt: every command's options, from tables, on getopt_long().
 *
 * A table lists each option with its type, the field it sets (an offset
 * into the group's structure), its limits and one line of help.  The same
 * table parses the command line ("--key value" and "--key=value"; a
 * key's '_' may be written '-'), files of "key = value" lines (stress's
 * scenarios), and prints the help, with each option's default (the value
 * the field holds when the help is printed) and limits, within 80 columns.
 *
 * Numbers are decimal only (010 is ten; 0x10, signs and exponents are
 * refused); durations are read by units_parse_ns() (a bare number is
 * seconds).  Every error names the option and the limit it broke.
 */
#ifndef OPT_H
#define OPT_H

#include <stddef.h>
#include <stdio.h>
#include <linux/kernel.h>
#include <linux/types.h>

enum opt_type {
	OPT_FLAG, /* no value: sets a bool */
	OPT_BOOL, /* true/false, yes/no, 1/0 */
	OPT_STR, /* a const char * to the argument; size: longest, or 0 */
	OPT_TEXT, /* copied into a char array of @size bytes */
	OPT_UINT, /* unsigned int in [min, max] */
	OPT_U64, /* u64 in [min, max] */
	OPT_NS, /* a duration, u64 ns in [min, max] */
	OPT_REAL, /* a double in [min, max]: digits, one '.' at most */
	OPT_ENUM, /* unsigned int: the index of the value in @names */
	OPT_FUNC, /* @parse reads it */
};

struct opt {
	const char *name;
	enum opt_type type;
	size_t off, size;
	u64 min, max;
	const char *const *names; /* OPT_ENUM, NULL-terminated */
	/* OPT_FUNC: 0, or -EINVAL having written "NAME: why" to @err */
	int (*parse)(const struct opt *o, const char *value, void *field,
		     char *err, size_t errlen);
	const char *arg; /* the value in the help: N, DIR, LIST... */
	const char *help; /* one sentence, no default, no limits */
};

/* A table and the structure its offsets are into */
struct opt_group {
	const struct opt *opts;
	unsigned int num;
	void *base;
};

#define OPT_GROUP(table, basep)                                            \
	{                                                                  \
		.opts = (table), .num = ARRAY_SIZE(table), .base = (basep) \
	}

/* The longest option name, and how many options one command takes */
#define OPT_NAME_MAX 32
#define OPT_MAX 96

/*
 * Set option @key (either spelling) to @value: 0, -ENOENT (no such key) or
 * -EINVAL, with the reason in @err ("KEY: ...")
 */
int opt_set(const struct opt_group *groups, unsigned int num_groups,
	    const char *key, const char *value, char *err, size_t errlen);

/*
 * Parse the options of "atcbench @cmd" in @argv[1..@argc-1] (argv is not
 * reordered) and collect at most @max_pos other arguments into @pos.
 * Returns 0, 1 when -h or --help was given (nothing printed), or -EINVAL
 * having printed one line "atcbench CMD: ..." to stderr.
 */
int opt_parse(const char *cmd, const struct opt_group *groups,
	      unsigned int num_groups, int argc, char **argv, const char **pos,
	      int max_pos, int *num_pos);

/*
 * The options, one per line (wrapped at 79 columns), each with its default
 * (from the groups' fields now) and limits.  @dashes: "--name ARG" with '-'
 * for '_', else the names as a file spells them.
 */
void opt_help(FILE *f, const struct opt_group *groups, unsigned int num_groups,
	      bool dashes);

/*
 * Every option with a value as "name = value" lines, which opt_set() reads
 * back (durations in ns, exactly)
 */
void opt_print_values(FILE *f, const struct opt_group *groups,
		      unsigned int num_groups);

/*
 * " --name value" for every option of @group whose value differs from its
 * value in @from (a structure of the same type): the options that turn
 * @from into @group's, as a command line (values quoted for a shell where
 * they need it)
 */
void opt_print_diff(FILE *f, const struct opt_group *group, const void *from);

/* The longest value opt_print_values() and opt_print_diff() print */
#define OPT_VALUE_MAX 512

/* A duration as short as it stays exact: 5s, 100ms, 50us, 1500ns */
void opt_ns_str(u64 ns, char *buf, size_t len);

/* Decimal digits only, into [min, max]: 0 or -EINVAL (-ERANGE: outside) */
int opt_parse_u64(const char *s, u64 min, u64 max, u64 *val);

#endif /* OPT_H */
