// SPDX-License-Identifier: GPL-2.0
/* results: the results folder and its files (see results.h) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/kernel.h>

#include "gitinfo.h"
#include "lib/json.h"
#include "lib/results.h"

int results_tmp_path(const char *path, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s.tmp.%ld", path, (long)getpid());

	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

int results_commit(const char *tmp, const char *path)
{
	int fd = open(tmp, O_RDONLY);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd))
		ret = -errno;
	close(fd);
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

int results_write_file(const char *path, const void *data, size_t len)
{
	char tmp[RESULTS_PATH_MAX];
	const char *p = data;
	int fd, ret;

	ret = results_tmp_path(path, tmp, sizeof(tmp));
	if (ret)
		return ret;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -errno;
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			close(fd);
			unlink(tmp);
			return ret;
		}
		p += n;
		len -= n;
	}
	if (close(fd)) {
		ret = -errno;
		unlink(tmp);
		return ret;
	}
	return results_commit(tmp, path);
}

int results_write_with(const char *path, int (*fn)(FILE *f, const void *arg),
		       const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	f = open_memstream(&buf, &len);
	if (!f)
		return -ENOMEM;
	ret = fn(f, arg);
	if (!ret && ferror(f))
		ret = -EIO;
	fclose(f);
	if (!ret)
		ret = results_write_file(path, buf, len);
	free(buf);
	return ret;
}

int results_default_dir(char *buf, size_t len)
{
	char host[64] = "host", stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int n;

	gethostname(host, sizeof(host) - 1);
	host[strcspn(host, ".")] = '\0';
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	n = snprintf(buf, len, "results/%s-%s-%.7s", stamp, host,
		     ATCBENCH_GIT_SHA);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int results_mkdir(const char *dir)
{
	char path[RESULTS_PATH_MAX];
	char *p;

	if (strlen(dir) >= sizeof(path))
		return -ENAMETOOLONG;
	strcpy(path, dir);
	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(path, 0777) && errno != EEXIST)
		return -errno;
	return 0;
}

static int results_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int results_files(const char *dir, const char *prefix, const char *suffix,
		  char ***names)
{
	size_t pl = strlen(prefix), sl = strlen(suffix);
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v;
	int n = 0;

	if (!d)
		return -errno;
	v = calloc(RESULTS_MAX_FILES, sizeof(*v));
	if (!v) {
		closedir(d);
		return -ENOMEM;
	}
	while ((e = readdir(d)) && n < RESULTS_MAX_FILES) {
		size_t l = strlen(e->d_name);

		if (strncmp(e->d_name, prefix, pl) || l <= pl + sl ||
		    strcmp(e->d_name + l - sl, suffix))
			continue;
		v[n] = strdup(e->d_name);
		if (v[n])
			n++;
	}
	closedir(d);
	qsort(v, n, sizeof(*v), results_name_cmp);
	*names = v;
	return n;
}

/* Each kind of file a results folder holds, and what it must be */
static const struct results_kind {
	const char *prefix, *suffix; /* the file's name */
	const char *kind; /* "kind"; NULL: Google Benchmark's output */
	/*
	 * A member every file of the kind has had: a file from before
	 * schema_version and kind (an older ref that compare.sh builds)
	 * must have it
	 */
	const char *legacy;
	/*
	 * The newest schema of the kind this build reads (compare.json 2:
	 * each row's class, direction and words; 1 reads as before)
	 */
	unsigned int schema_max;
} results_kinds[] = {
	{ "stress-", ".json", "stress", "scenario", 1 },
	{ "kernel-", ".json", "kernel", "points", 1 },
	{ "isolate.json", "", "isolate", "cells", 1 },
	{ "env.json", "", "env", "git_sha", 1 },
	{ "compare.json", "", "compare", "gate", 2 }, /* compare.h's */
	{ "micro.json", "", NULL, NULL, 0 },
};

static int results_check_file(const char *dir, const char *name,
			      const struct results_kind *k, char *err,
			      size_t errlen)
{
	char path[RESULTS_PATH_MAX], why[160] = "";
	const struct json *b;
	struct json *j;
	unsigned long long v;
	const char *kind;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ret = json_parse_file_flags(path,
				    k->kind ? JSON_STRICT : JSON_NONFINITE, &j,
				    why, sizeof(why));
	if (ret && ret != -EINVAL)
		snprintf(why, sizeof(why), "%s", strerror(-ret));
	if (ret)
		goto out;
	if (j->type != JSON_OBJECT) {
		snprintf(why, sizeof(why), "not a JSON object");
	} else if (!k->kind) {
		b = json_get(j, "benchmarks");
		if (!b || b->type != JSON_ARRAY)
			snprintf(why, sizeof(why),
				 "not Google Benchmark's JSON (no benchmarks "
				 "array)");
	} else {
		kind = json_str(j, "kind", NULL);
		v = json_u64(j, "schema_version", 0);
		if (!kind && !json_get(j, "schema_version") &&
		    json_get(j, k->legacy))
			; /* written before schema_version: schema 0 */
		else if (!kind || strcmp(kind, k->kind))
			snprintf(why, sizeof(why),
				 "kind '%s', not '%s': not atcbench's %s file",
				 kind ? kind : "(none)", k->kind, k->kind);
		else if (v < 1 || v > k->schema_max)
			snprintf(why, sizeof(why),
				 "schema_version %llu: this atcbench reads "
				 "1 to %u",
				 v, k->schema_max);
	}
	json_free(j);
out:
	if (!*why)
		return 0;
	snprintf(err, errlen, "%s: %s", path, why);
	return -EINVAL;
}

int results_check_dir(const char *dir, char *err, size_t errlen)
{
	unsigned int k;
	char **names;
	int n, i, ret = 0;

	for (k = 0; k < ARRAY_SIZE(results_kinds); k++) {
		const struct results_kind *rk = &results_kinds[k];
		char path[RESULTS_PATH_MAX];

		if (!*rk->suffix) { /* one file of that name, or none */
			snprintf(path, sizeof(path), "%s/%s", dir, rk->prefix);
			if (access(path, F_OK))
				continue;
			ret = results_check_file(dir, rk->prefix, rk, err,
						 errlen);
			if (ret)
				return ret;
			continue;
		}
		n = results_files(dir, rk->prefix, rk->suffix, &names);
		if (n < 0) {
			snprintf(err, errlen, "%s: %s", dir, strerror(-n));
			return n;
		}
		for (i = 0; i < n; i++) {
			if (!ret)
				ret = results_check_file(dir, names[i], rk, err,
							 errlen);
			free(names[i]);
		}
		free(names);
		if (ret)
			return ret;
	}
	return 0;
}

int results_plot(const char *dir)
{
	const char *plot = ATCBENCH_SOURCE_DIR "/scripts/plot.sh";
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		execl(plot, plot, dir, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}
