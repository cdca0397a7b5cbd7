/* SPDX-License-Identifier: GPL-2.0 */
/*
 * results: the results folder.  Its files are written under a temporary
 * name in the same folder and renamed into place, so that a killed run
 * never leaves a half-written file behind; its default name; its files of
 * one kind.
 */
#ifndef RESULTS_H
#define RESULTS_H

#include <stddef.h>
#include <stdio.h>

#define RESULTS_PATH_MAX 4096
#define RESULTS_MAX_FILES 256 /* files of one kind a folder may hold */

/* The temporary name of @path ("<path>.tmp.<pid>"); -ENAMETOOLONG */
int results_tmp_path(const char *path, char *buf, size_t len);
/* Flush @tmp to disk and rename it to @path; a negative errno on failure */
int results_commit(const char *tmp, const char *path);
/* Write @len bytes to @path atomically */
int results_write_file(const char *path, const void *data, size_t len);
/*
 * Write to @path atomically what @fn prints (into memory first): @fn's
 * error (a negative errno), -EIO, or results_write_file()'s
 */
int results_write_with(const char *path, int (*fn)(FILE *f, const void *arg),
		       const void *arg);
/* "results/<UTC date>T<time>Z-<host>-<short sha>" */
int results_default_dir(char *buf, size_t len);
/* mkdir -p */
int results_mkdir(const char *dir);
/*
 * The files PREFIX*SUFFIX of @dir (at most RESULTS_MAX_FILES), sorted:
 * their number, or -errno; the caller frees each and the array
 */
int results_files(const char *dir, const char *prefix, const char *suffix,
		  char ***names);

/*
 * Every results file of @dir that atcbench reads (stress-*.json,
 * kernel-*.json, isolate.json, env.json, compare.json: our "kind" and a
 * schema_version this build reads; micro.json: Google Benchmark's JSON)
 * parses and is what its name says: 0, or -EINVAL with "FILE: why" in
 * @err (-errno when the folder cannot be listed)
 */
int results_check_dir(const char *dir, char *err, size_t errlen);
/*
 * Draw @dir's plots with scripts/plot.sh of the source tree atcbench was
 * built from (stdout flushed first, as it prints): 0, -EIO (it failed), or
 * -errno
 */
int results_plot(const char *dir);

#endif /* RESULTS_H */
