/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report: the results folder's environment (env.json) and its plain-text
 * report (report.txt, at most 72 columns, for a cover letter), rendered
 * from the JSON files a folder holds ("atcbench report DIR").
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdio.h>

#define REPORT_COLUMNS 72

/* "results/<UTC date>T<time>Z-<host>-<short sha>" */
int report_default_dir(char *buf, size_t len);
/* mkdir -p */
int report_mkdir(const char *dir);
/*
 * Write @dir/env.json: git, compiler and flags, kernel, CPU, topology and
 * NUMA mode, library versions, clock, seed, command line.
 */
int report_write_env(const char *dir, const char *cmdline, const char *clock,
		     unsigned long long seed);
/*
 * The same for one side of a comparison: @ref (what the user named) and
 * @sha (its commit) as "ref" and "git_sha", atcbench's own commit as
 * "atcbench_git_sha"
 */
int report_write_env_ref(const char *dir, const char *cmdline,
			 const char *clock, unsigned long long seed,
			 const char *ref, const char *sha);
/* A duration in at most 7 columns: 812ns, 1.10us, 12.3us, 1.20ms, 2.00s */
const char *report_ns(double ns, char *buf, size_t len);
/* A count in at most 7 columns: 812, 12.3k, 1.20M */
const char *report_count(double v, char *buf, size_t len);
/*
 * The stress-*.json file names of @dir, sorted: their number, or -errno; the
 * caller frees each and the array
 */
int report_stress_files(const char *dir, char ***names);
/* The files PREFIX*.json of @dir, sorted; their number or -errno */
int report_files(const char *dir, const char *prefix, char ***names);
/* The list of plot files (*.svg) of @dir */
void report_plots(const char *dir, FILE *f);

/* Render the report of @dir to @f; a negative errno */
int report_render(const char *dir, FILE *f);

/* "atcbench report DIR": write DIR/report.txt and print it */
int report_cmd(int argc, char **argv);
/* Render DIR/report.txt, write it, print it to @print (if not NULL) */
int report_write(const char *dir, FILE *print);

#endif /* REPORT_H */
