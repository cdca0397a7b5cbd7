/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report: a results folder's plain-text report (report.txt, at most 72
 * columns, for a cover letter), rendered from the JSON files the folder
 * holds ("atcbench report DIR")
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdio.h>

/* The list of plot files (*.svg) of @dir */
void report_plots(const char *dir, FILE *f);

struct json;
/* Module-internal: report.txt's parts, in the files of bench/report/ */
#define REPORT_NAME_COLS 24 /* a run's name in the tables */
/* An item of a wrapped paragraph: a new line, indented, if it overflows */
void report_wrap(FILE *f, unsigned int *col, const char *item);
/* The stress runs: tables, stalls, violations (stress.c) */
void report_stress(const char *dir, FILE *f);
/* env.json's guest (a real-kernel run), in a line (report.c) */
void report_guest(const struct json *env, FILE *f);
/* env.json's tuning in a line, and its WARNING lines (report.c) */
void report_tuning(const struct json *env, bool runs_measured, FILE *f);
/* The report of a comparison folder (it holds compare.json); -errno */
int report_comparison(const char *dir, FILE *f);

/*
 * What must not pass, as report.txt's first lines ("VIOLATION: ...",
 * "WARN: ...", "FAILED: ..."): the stress runs' oracle violations and
 * WARNs, the kernel runs' ATC oracle findings, the runs bench.sh lists in
 * DIR/failed-runs.  Their number.
 */
unsigned int report_violations(const char *dir, FILE *f);

/* Render the report of @dir to @f; a negative errno */
int report_render(const char *dir, FILE *f);

/* "atcbench report DIR": write DIR/report.txt and print it */
int report_cmd(int argc, char **argv);
/* Render DIR/report.txt, write it, print it to @print (if not NULL) */
int report_write(const char *dir, FILE *print);

#endif /* REPORT_H */
