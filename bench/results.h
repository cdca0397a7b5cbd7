/* SPDX-License-Identifier: GPL-2.0 */
/*
 * results: files of a results folder are written under a temporary name in
 * the same folder and renamed into place, so that a killed run never leaves
 * a half-written file behind.
 */
#ifndef RESULTS_H
#define RESULTS_H

#include <stddef.h>

#define RESULTS_PATH_MAX 4096

/* The temporary name of @path ("<path>.tmp.<pid>"); -ENAMETOOLONG */
int results_tmp_path(const char *path, char *buf, size_t len);
/* Flush @tmp to disk and rename it to @path; a negative errno on failure */
int results_commit(const char *tmp, const char *path);
/* Write @len bytes to @path atomically */
int results_write_file(const char *path, const void *data, size_t len);

#endif /* RESULTS_H */
