// SPDX-License-Identifier: GPL-2.0
/* kernel: the real kernel's invalidation path (see kernel.h) */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compare/compare.h"
#include "kernel/kernel.h"
#include "lib/env.h"
#include "lib/json.h"
#include "lib/lat.h"
#include "lib/results.h"
#include "lib/units.h"
#include "report/report.h"

#define EXIT_USAGE 2
#define KERNEL_NAME_MAX 63
#define KERNEL_MAX_DEVICES 8
#define KERNEL_MAX_OPS 1000000
#define KERNEL_MIN_TIMEOUT_S 10
#define KERNEL_MAX_TIMEOUT_S 7200
#define KERNEL_LINE_MAX 512
#define KERNEL_MAX_ATC_DELAY_NS (10ULL * 1000 * 1000 * 1000)
#define KERNEL_TIMES_NOTE "TCG: times are emulation times, counts are exact"

static const char *const kernel_probe_names[KP_NR] = {
	"issue", "issue_ret", "op", "op_ret", "atc", "skip",
};

static const char *const kernel_point_roles[4] = { "issue", "op", "atc",
						   "skip" };

static FILE *kernel_open(const char *dir, const char *name)
{
	char path[RESULTS_PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return fopen(path, "r");
}

/* The first line of @dir/@name into @buf; "" when the file is missing */
static void kernel_read_line(const char *dir, const char *name, char *buf,
			     size_t len)
{
	FILE *f = kernel_open(dir, name);

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(buf, len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/*
 * A hist trigger's output: "{ KEY: VALUE, KEY: VALUE } hitcount: N" lines,
 * several histograms one after the other.  Latencies (key "lat") go into
 * @lat, list shapes (keys "n" and "sync") into @t; other histograms are
 * skipped.
 */
static int kernel_parse_hist(const char *dir, const char *name,
			     struct lat_hist *lat, struct kernel_trace *t,
			     char *err, size_t errlen)
{
	char line[KERNEL_LINE_MAX];
	unsigned int lineno = 0;
	FILE *f = kernel_open(dir, name);

	if (!f) {
		snprintf(err, errlen, "%s/%s: %s", dir, name, strerror(errno));
		return -ENOENT;
	}
	while (fgets(line, sizeof(line), f)) {
		long long lat_v = -1, n_v = -1, sync_v = -1;
		unsigned long long count;
		char *p = line, *close;

		lineno++;
		/* Only the histograms keyed on a latency or a list's shape */
		if (strncmp(line, "{ lat:", 6) && strncmp(line, "{ n:", 4))
			continue;
		close = strchr(line, '}');
		if (!close || sscanf(close, "} hitcount: %llu", &count) != 1)
			goto bad;
		*close = '\0';
		for (p = line + 1; p && *p;) {
			char key[16];
			long long v;

			if (sscanf(p, " %15[a-z_0-9]: %lld", key, &v) != 2)
				goto bad;
			if (!strcmp(key, "lat"))
				lat_v = v;
			else if (!strcmp(key, "n"))
				n_v = v;
			else if (!strcmp(key, "sync"))
				sync_v = v;
			p = strchr(p, ',');
			if (p)
				p++;
		}
		if (lat_v >= 0 && lat) {
			lat_record_n(lat, lat_v, count);
		} else if (n_v >= 0 && sync_v >= 0 && t) {
			if (t->nsizes == KERNEL_MAX_SIZES)
				goto bad;
			t->sizes[t->nsizes].n = n_v;
			t->sizes[t->nsizes].sync = sync_v;
			t->sizes[t->nsizes++].count = count;
		}
	}
	fclose(f);
	return 0;
bad:
	snprintf(err, errlen, "%s/%s:%u: not a hist trigger line", dir, name,
		 lineno);
	fclose(f);
	return -EINVAL;
}

static void kernel_parse_points(const char *dir, struct kernel_trace *t)
{
	char line[KERNEL_LINE_MAX], role[16], fn[128], where[128];
	FILE *f = kernel_open(dir, "points");
	unsigned int i;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%15s %127s %127s", role, fn, where) != 3)
			continue;
		for (i = 0; i < 4; i++) {
			if (strcmp(role, kernel_point_roles[i]))
				continue;
			snprintf(t->points[i][0], sizeof(t->points[i][0]), "%s",
				 fn);
			snprintf(t->points[i][1], sizeof(t->points[i][1]), "%s",
				 where);
		}
	}
	fclose(f);
}

static int kernel_parse_profile(const char *dir, struct kernel_trace *t,
				char *err, size_t errlen)
{
	char line[KERNEL_LINE_MAX], name[64];
	unsigned long long hits;
	FILE *f = kernel_open(dir, "kprobe_profile");
	unsigned int i;

	if (!f) {
		snprintf(err, errlen, "%s/kprobe_profile: %s", dir,
			 strerror(errno));
		return -ENOENT;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %llu", name, &hits) != 2)
			continue;
		for (i = 0; i < KP_NR; i++) {
			if (strcmp(name, kernel_probe_names[i]))
				continue;
			t->hits[i] = hits;
			t->probed[i] = true;
		}
	}
	fclose(f);
	if (!t->probed[KP_ISSUE] || !t->probed[KP_OP]) {
		snprintf(err, errlen, "%s/kprobe_profile: no issue or op probe",
			 dir);
		return -EINVAL;
	}
	return 0;
}

static void kernel_parse_opcodes(const char *dir, struct kernel_trace *t)
{
	char line[KERNEL_LINE_MAX], name[32];
	unsigned long long count;
	FILE *f = kernel_open(dir, "qemu-opcodes");

	if (!f)
		return;
	t->have_opcodes = true;
	while (fgets(line, sizeof(line), f) &&
	       t->nopcodes < KERNEL_MAX_OPCODES) {
		if (sscanf(line, "%31s %llu", name, &count) != 2)
			continue;
		snprintf(t->opcodes[t->nopcodes].name,
			 sizeof(t->opcodes[0].name), "%s", name);
		t->opcodes[t->nopcodes++].count = count;
	}
	fclose(f);
}

/* run.sh --ats: "sid=0x100 ssid=0x0 ssv=0 size=0 global=0 fails=0 count=N" */
static int kernel_parse_atc(const char *dir, struct kernel_trace *t, char *err,
			    size_t errlen)
{
	char line[KERNEL_LINE_MAX];
	unsigned int lineno = 0;
	FILE *f = kernel_open(dir, "qemu-atc-inv");

	if (!f)
		return 0;
	t->ats = true;
	while (fgets(line, sizeof(line), f)) {
		struct kernel_atc_inv *a = &t->atc[t->natc];
		int ssv, global, fails;

		lineno++;
		if (t->natc == KERNEL_MAX_ATC ||
		    sscanf(line,
			   "sid=%x ssid=%x ssv=%d size=%u global=%d fails=%d "
			   "count=%llu",
			   &a->sid, &a->ssid, &ssv, &a->size, &global, &fails,
			   &a->count) != 7) {
			snprintf(err, errlen, "%s/qemu-atc-inv:%u: %s", dir,
				 lineno,
				 t->natc == KERNEL_MAX_ATC ?
					 "too many shapes" :
					 "not a shape line");
			fclose(f);
			return -EINVAL;
		}
		a->ssv = ssv;
		a->global = global;
		a->fails = fails;
		t->natc++;
	}
	fclose(f);
	return 0;
}

/* "SECOND COUNT" lines of @name into @per_s, seconds into t->nseconds */
static int kernel_parse_per_s(const char *dir, const char *name,
			      unsigned long long *per_s, struct kernel_trace *t,
			      char *err, size_t errlen)
{
	char line[KERNEL_LINE_MAX];
	unsigned long long count;
	unsigned int s;
	FILE *f = kernel_open(dir, name);

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%u %llu", &s, &count) != 2 ||
		    s >= KERNEL_MAX_SECONDS) {
			snprintf(err, errlen,
				 "%s/%s: not SECOND COUNT under %d", dir, name,
				 KERNEL_MAX_SECONDS);
			fclose(f);
			return -EINVAL;
		}
		per_s[s] = count;
		if (s + 1 > t->nseconds)
			t->nseconds = s + 1;
	}
	fclose(f);
	return 0;
}

static int kernel_trace_load(const char *dir, struct kernel_trace *t, char *err,
			     size_t errlen)
{
	char buf[32];
	int ret;

	memset(t, 0, sizeof(*t));
	ret = lat_create(LAT_DEFAULT_DIGITS, &t->issue_lat);
	if (!ret)
		ret = lat_create(LAT_DEFAULT_DIGITS, &t->op_lat);
	if (ret) {
		snprintf(err, errlen, "out of memory");
		return ret;
	}
	kernel_read_line(dir, "kernel", t->kernel, sizeof(t->kernel));
	kernel_read_line(dir, "qemu-version", t->qemu, sizeof(t->qemu));
	kernel_read_line(dir, "workload", t->workload, sizeof(t->workload));
	kernel_read_line(dir, "devices", buf, sizeof(buf));
	snprintf(t->times, sizeof(t->times), "%s",
		 *t->qemu ? KERNEL_TIMES_NOTE :
			    "measured on the machine that ran the trace");
	t->devices = *buf ? strtol(buf, NULL, 10) : -1;
	if (!*t->kernel) {
		snprintf(err, errlen,
			 "%s: no atc-trace.sh output (no 'kernel' file)", dir);
		return -EINVAL;
	}
	kernel_parse_points(dir, t);
	kernel_parse_opcodes(dir, t);
	kernel_read_line(dir, "atc-timeout", t->atc_timeout,
			 sizeof(t->atc_timeout));
	ret = kernel_parse_atc(dir, t, err, errlen);
	if (!ret)
		ret = kernel_parse_per_s(dir, "qemu-atc-errors", t->smmu_errors,
					 t, err, errlen);
	if (!ret)
		ret = kernel_parse_per_s(dir, "kernel-cmdq-errors",
					 t->kernel_errors, t, err, errlen);
	if (!ret)
		ret = kernel_parse_per_s(dir, "kernel-sync-timeouts",
					 t->sync_timeouts, t, err, errlen);
	if (!ret)
		ret = kernel_parse_profile(dir, t, err, errlen);
	if (!ret)
		ret = kernel_parse_hist(dir, "hist-issue", NULL, t, err,
					errlen);
	if (!ret)
		ret = kernel_parse_hist(dir, "hist-issue_lat", t->issue_lat,
					NULL, err, errlen);
	if (!ret)
		ret = kernel_parse_hist(dir, "hist-op_lat", t->op_lat, NULL,
					err, errlen);
	return ret;
}

static void kernel_trace_free(struct kernel_trace *t)
{
	lat_destroy(t->issue_lat);
	lat_destroy(t->op_lat);
}

static void kernel_json_str_or_null(FILE *f, const char *s)
{
	if (s && *s)
		json_write_str(f, s);
	else
		fputs("null", f);
}

static void kernel_write_per_s(FILE *f, const char *key,
			       const unsigned long long *per_s, unsigned int n)
{
	unsigned long long total = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		total += per_s[i];
	fprintf(f, "\"%s\": %llu, \"%s_per_s\": [", key, total, key);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%llu", i ? ", " : "", per_s[i]);
	fputc(']', f);
}

/* ATS: the ATC_INVs by shape, the injected timeouts, their errors */
static void kernel_write_json_atc(FILE *f, const struct kernel_trace *t)
{
	unsigned int i;

	fprintf(f, ",\n  \"ats\": %s", t->ats ? "true" : "false");
	if (!t->ats)
		return;
	fputs(",\n  \"atc_timeout\": ", f);
	kernel_json_str_or_null(f, t->atc_timeout);
	fputs(",\n  \"atc_inv\": [", f);
	for (i = 0; i < t->natc; i++) {
		const struct kernel_atc_inv *a = &t->atc[i];

		fprintf(f,
			"%s\n    {\"sid\": %u, \"ssid\": %u, \"ssv\": %s, "
			"\"size\": %u, \"global\": %s, \"fails\": %s, "
			"\"count\": %llu}",
			i ? "," : "", a->sid, a->ssid,
			a->ssv ? "true" : "false", a->size,
			a->global ? "true" : "false",
			a->fails ? "true" : "false", a->count);
	}
	fputs("\n  ],\n  \"atc_errors\": {", f);
	kernel_write_per_s(f, "smmu", t->smmu_errors, t->nseconds);
	fputs(", ", f);
	kernel_write_per_s(f, "kernel", t->kernel_errors, t->nseconds);
	fputs(", ", f);
	kernel_write_per_s(f, "sync_timeouts", t->sync_timeouts, t->nseconds);
	fputc('}', f);
}

/* The JSON of a run; per-operation figures divide by the op probe's hits */
static void kernel_write_json(FILE *f, const struct kernel_trace *t,
			      const char *name, const char *source)
{
	unsigned long long lists = t->hits[KP_ISSUE], ops = t->hits[KP_OP];
	unsigned long long cmds = 0, syncs = 0, smmu = 0;
	double per = ops ? 1.0 / ops : 0;
	bool array = !strcmp(t->points[1][0], "arm_smmu_domain_inv_range");
	unsigned int i;

	for (i = 0; i < t->nsizes; i++) {
		cmds += t->sizes[i].n * t->sizes[i].count;
		syncs += t->sizes[i].sync ? t->sizes[i].count : 0;
	}
	for (i = 0; i < t->nopcodes; i++)
		smmu += t->opcodes[i].count;

	fprintf(f, "{\n  \"schema_version\": %d,\n  \"kind\": \"kernel\",\n",
		KERNEL_SCHEMA_VERSION);
	fputs("  \"name\": ", f);
	json_write_str(f, name);
	fputs(",\n  \"kernel\": ", f);
	json_write_str(f, t->kernel);
	fputs(",\n  \"source\": ", f);
	json_write_str(f, source);
	fprintf(f, ",\n  \"design\": \"%s\",\n",
		array ? "invalidation array (7.1+)" :
			"per-domain master list (before 7.1)");
	fputs("  \"qemu\": ", f);
	kernel_json_str_or_null(f, t->qemu);
	fprintf(f, ",\n  \"accel\": %s,\n  \"times\": ",
		*t->qemu ? "\"tcg\"" : "null");
	json_write_str(f, t->times);
	fputs(",\n  \"workload\": ", f);
	kernel_json_str_or_null(f, t->workload);
	if (t->devices >= 0)
		fprintf(f, ",\n  \"devices\": %ld", t->devices);
	else
		fputs(",\n  \"devices\": null", f);
	fputs(",\n  \"points\": {", f);
	for (i = 0; i < 4; i++) {
		fprintf(f, "%s\"%s\": ", i ? ", " : "", kernel_point_roles[i]);
		if (*t->points[i][0] && strcmp(t->points[i][1], "absent"))
			json_write_str(f, t->points[i][0]);
		else
			fputs("null", f);
	}
	fprintf(f, "},\n  \"ops\": %llu,\n  \"lists\": %llu,\n", ops, lists);
	fprintf(f, "  \"lists_per_op\": %.6g,\n", lists * per);
	fprintf(f, "  \"cmds\": %llu,\n  \"cmds_per_op\": %.6g,\n", cmds,
		cmds * per);
	fprintf(f, "  \"cmds_per_list\": %.6g,\n",
		lists ? (double)cmds / lists : 0);
	fprintf(f, "  \"syncs\": %llu,\n  \"syncs_per_op\": %.6g,\n", syncs,
		syncs * per);
	fputs("  \"list_sizes\": [", f);
	for (i = 0; i < t->nsizes; i++)
		fprintf(f, "%s{\"cmds\": %ld, \"sync\": %s, \"lists\": %llu}",
			i ? ", " : "", t->sizes[i].n,
			t->sizes[i].sync ? "true" : "false", t->sizes[i].count);
	fputs("],\n  \"atc_inv_domain_calls\": ", f);
	if (t->probed[KP_ATC])
		fprintf(f, "%llu", t->hits[KP_ATC]);
	else
		fputs("null", f);
	fputs(",\n  \"skip_err\": ", f);
	if (t->probed[KP_SKIP])
		fprintf(f, "%llu", t->hits[KP_SKIP]);
	else
		fputs("null", f);
	if (t->have_opcodes) {
		fprintf(f, ",\n  \"smmu_commands\": %llu,\n", smmu);
		fputs("  \"smmu_opcodes\": {", f);
		for (i = 0; i < t->nopcodes; i++)
			fprintf(f, "%s\"%s\": %llu", i ? ", " : "",
				t->opcodes[i].name, t->opcodes[i].count);
		fputs("}", f);
	} else {
		fputs(",\n  \"smmu_commands\": null,\n  \"smmu_opcodes\": null",
		      f);
	}
	kernel_write_json_atc(f, t);
	fputs(",\n  \"metrics\": {\n    \"cmdq_issue_ns\": ", f);
	lat_write_json(t->issue_lat, f, true);
	fputs(",\n    \"inv_ns\": ", f);
	lat_write_json(t->op_lat, f, true);
	fputs("\n  }\n}\n", f);
}

static int kernel_write(const char *out, const char *file,
			void (*fn)(FILE *f, const void *arg), const void *arg)
{
	char path[RESULTS_PATH_MAX], *buf = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	if (snprintf(path, sizeof(path), "%s/%s", out, file) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	f = open_memstream(&buf, &len);
	if (!f)
		return -ENOMEM;
	fn(f, arg);
	ret = ferror(f) ? -EIO : 0;
	fclose(f);
	if (!ret)
		ret = results_write_file(path, buf, len);
	free(buf);
	return ret;
}

struct kernel_json_arg {
	const struct kernel_trace *t;
	const char *name, *source;
};

static void kernel_json_fn(FILE *f, const void *arg)
{
	const struct kernel_json_arg *a = arg;

	kernel_write_json(f, a->t, a->name, a->source);
}

static void kernel_hgrm_fn(FILE *f, const void *arg)
{
	lat_write_hgrm(arg, f);
}

/* @out's kernel-@name files from @t */
static int kernel_write_results(const char *out, const char *name,
				const char *source,
				const struct kernel_trace *t)
{
	struct kernel_json_arg a = { t, name, source };
	char file[KERNEL_NAME_MAX + 32];
	int ret;

	ret = results_mkdir(out);
	snprintf(file, sizeof(file), "kernel-%s-cmdq_issue.hgrm", name);
	if (!ret && t->issue_lat->count)
		ret = kernel_write(out, file, kernel_hgrm_fn, t->issue_lat);
	snprintf(file, sizeof(file), "kernel-%s-inv.hgrm", name);
	if (!ret && t->op_lat->count)
		ret = kernel_write(out, file, kernel_hgrm_fn, t->op_lat);
	snprintf(file, sizeof(file), "kernel-%s.json", name);
	if (!ret)
		ret = kernel_write(out, file, kernel_json_fn, &a);
	if (ret)
		fprintf(stderr, "atcbench kernel: cannot write %s: %s\n", out,
			strerror(-ret));
	return ret;
}

/* Convert the trace folder @trace into @out's kernel-@name files */
static int kernel_convert(const char *trace, const char *out, const char *name,
			  const char *source)
{
	char err[RESULTS_PATH_MAX + 64];
	struct kernel_trace t;
	int ret;

	ret = kernel_trace_load(trace, &t, err, sizeof(err));
	if (ret)
		fprintf(stderr, "atcbench kernel: %s\n", err);
	else
		ret = kernel_write_results(out, name, source, &t);
	kernel_trace_free(&t);
	return ret;
}

/* The folder of the kernel scripts: $ATCBENCH_KERNEL_SCRIPTS or the tree's */
static const char *kernel_scripts(void)
{
	const char *d = getenv("ATCBENCH_KERNEL_SCRIPTS");

	return d && *d ? d : ATCBENCH_SOURCE_DIR "/kernel-hooks/real";
}

/*
 * Run @argv (stdin closed); its stdout into @out when @out is not NULL.
 * Returns the exit status, or -errno.
 */
static int kernel_spawn(char *const argv[], char *out, size_t outlen)
{
	int pipefd[2] = { -1, -1 }, status;
	size_t got = 0;
	pid_t pid;

	if (out && pipe(pipefd))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		if (out) {
			dup2(pipefd[1], STDOUT_FILENO);
			close(pipefd[0]);
			close(pipefd[1]);
		}
		execv(argv[0], argv);
		fprintf(stderr, "atcbench kernel: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	if (out) {
		ssize_t n;

		close(pipefd[1]);
		while ((n = read(pipefd[0], out + got, outlen - 1 - got)) > 0)
			got += n;
		out[got] = '\0';
		close(pipefd[0]);
		out[strcspn(out, "\n")] = '\0';
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

struct kernel_opts {
	const char *kernel, *image, *modules, *out, *name, *workload, *design;
	const char *tree, *ref, *atc_timeout;
	long devices, ops, timeout;
	u64 atc_delay_ns;
	bool ats;
};

static void kernel_usage(FILE *f)
{
	fprintf(f,
		"usage: atcbench kernel run KERNEL [--devices N] [--ops N]\n"
		"                            [--workload dio] [--timeout S] [--name NAME]\n"
		"                            [--ats [--atc-timeout SPEC]\n"
		"                            [--atc-timeout-delay D]] [--out DIR]\n"
		"       atcbench kernel sim [--design rcu|devlist] [--devices N] [--ops N]\n"
		"                            [--ats] [--name NAME] [--out DIR]\n"
		"       atcbench kernel convert TRACEDIR [--name NAME] [--out DIR]\n"
		"       atcbench kernel build --tree DIR [--ref REF]\n"
		"       atcbench kernel compare --tree DIR BASE HEAD [run's options]\n"
		"\nKERNEL: --kernel SERIES|PACKAGE, --image IMAGE [--modules DIR] or\n"
		"        --tree DIR [--ref REF]\n"
		"\n"
		"run: boot the kernel under QEMU (virt, SMMUv3, TCG) with --devices\n"
		"virtio-blk devices behind the SMMU (1..%d, default 1), trace --ops\n"
		"4 KiB direct-I/O reads (1..%d, default 2000) with atc-trace.sh, and\n"
		"write the results folder (default results/<run-id>), report.txt\n"
		"included.  --kernel: 7.3, 6.12, 6.1 (Debian's newest build) or a\n"
		"Debian arm64 kernel package, downloaded once into the cache\n"
		"(kernel-hooks/real/fetch.sh); --image: your arm64 Image, with\n"
		"--modules holding virtio_blk.ko unless it is built in; --tree: a\n"
		"kernel tree, built as build does.  --timeout: the guest's limit in\n"
		"seconds (%d..%d, default 300).  --ats: the devices behind PCIe root\n"
		"ports with ATS on, on atcbench's patched QEMU\n"
		"(kernel-hooks/real/qemu-ats.sh, built once: about 10 min);\n"
		"--atc-timeout SIDS@FROM[+FOR][;...] leaves those SIDs' ATC_INVs\n"
		"unanswered (SIDS N or N-M; device i is SID (i + 1) << 8; FROM, FOR\n"
		"a time, 500ms, or a count of SMMU commands, 1000c) and the CMD_SYNC\n"
		"after them fails after --atc-timeout-delay (default 0).\n"
		"sim: the simulated twin of run: atcbench's kernel-form code (the\n"
		"array, or the pre-7.1 devlist) on a simulated SMMU in the same\n"
		"topology (--ats: run's --ats topology), --ops one-page\n"
		"invalidations, counted the same way.\n"
		"convert: the folder atc-trace.sh stop wrote (on real hardware) into\n"
		"kernel-NAME.json and .hgrm files.  NAME: 1 to %d of [A-Za-z0-9._-]\n"
		"(default: run and sim: WORKLOAD-Nd, convert: hw).\n"
		"build: an arm64 Image from a kernel tree with Debian's cross\n"
		"compiler and kernel-hooks/real/atcbench.config; with --ref that\n"
		"commit, built once (the cache keeps it), else the tree's files.\n"
		"Prints the folder that holds it (kernel-hooks/real/build.sh).\n"
		"compare: build BASE and HEAD of the tree, run both with the same\n"
		"options into DIR/base and DIR/head (default DIR\n"
		"results/kernel-compare-<base>-<head>), and compare their exact\n"
		"counts per operation (atcbench compare --gate kernel).\n"
		"Exit status: 0; compare: 0 the counts are the same, 1 they\n"
		"changed; 2 bad options, no kernel, no QEMU, no boot, an absent\n"
		"probe.\n",
		KERNEL_MAX_DEVICES, KERNEL_MAX_OPS, KERNEL_MIN_TIMEOUT_S,
		KERNEL_MAX_TIMEOUT_S, KERNEL_NAME_MAX);
}

static bool kernel_name_ok(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= KERNEL_NAME_MAX &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789._-") == n &&
	       s[0] != '.';
}

static int kernel_long_arg(const char *flag, const char *arg, long min,
			   long max, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(arg, &end, 10);
	if (errno || *end || end == arg || *out < min || *out > max ||
	    !(arg[0] >= '0' && arg[0] <= '9')) {
		fprintf(stderr, "atcbench kernel: %s takes %ld to %ld\n", flag,
			min, max);
		return -EINVAL;
	}
	return 0;
}

static int kernel_delay_arg(const char *flag, const char *arg, u64 *ns)
{
	if (units_parse_ns(arg, ns) || *ns > KERNEL_MAX_ATC_DELAY_NS) {
		fprintf(stderr,
			"atcbench kernel: %s takes a duration up to 10s "
			"(ns, us, ms or s)\n",
			flag);
		return -EINVAL;
	}
	return 0;
}

/* The --atc-timeout syntax (qemu-ats.patch checks it again, in full) */
static bool kernel_atc_spec_ok(const char *s)
{
	size_t n = strlen(s);

	return n >= 3 && n <= KERNEL_ATC_SPEC_MAX &&
	       strspn(s, "0123456789@+;-cmnsu") == n && strchr(s, '@');
}

/*
 * Options from argv[1..]: the run options (the kernel, the workload) only
 * when @run_opts; up to @npos operands into @pos[], counted in *@got
 */
static int kernel_parse(int argc, char **argv, struct kernel_opts *o,
			bool run_opts, const char **pos, int npos, int *got)
{
	int i;

	*got = 0;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int ret = 0;

		if (a[0] != '-' && *got < npos) {
			pos[(*got)++] = a;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			kernel_usage(stdout);
			return 1;
		}
		if (!strcmp(a, "--ats") && run_opts) {
			o->ats = true;
			continue;
		}
		if (!v || a[0] != '-') {
			fprintf(stderr, "atcbench kernel: %s: %s (--help)\n", a,
				a[0] == '-' ? "needs a value" :
					      "unexpected argument");
			return -EINVAL;
		}
		i++;
		if (!strcmp(a, "--kernel") && run_opts)
			o->kernel = v;
		else if (!strcmp(a, "--image") && run_opts)
			o->image = v;
		else if (!strcmp(a, "--modules") && run_opts)
			o->modules = v;
		else if (!strcmp(a, "--tree") && run_opts)
			o->tree = v;
		else if (!strcmp(a, "--ref") && run_opts)
			o->ref = v;
		else if (!strcmp(a, "--workload") && run_opts)
			o->workload = v;
		else if (!strcmp(a, "--design") && run_opts)
			o->design = v;
		else if (!strcmp(a, "--out"))
			o->out = v;
		else if (!strcmp(a, "--name"))
			o->name = v;
		else if (!strcmp(a, "--devices") && run_opts)
			ret = kernel_long_arg(a, v, 1, KERNEL_MAX_DEVICES,
					      &o->devices);
		else if (!strcmp(a, "--ops") && run_opts)
			ret = kernel_long_arg(a, v, 1, KERNEL_MAX_OPS, &o->ops);
		else if (!strcmp(a, "--timeout") && run_opts)
			ret = kernel_long_arg(a, v, KERNEL_MIN_TIMEOUT_S,
					      KERNEL_MAX_TIMEOUT_S,
					      &o->timeout);
		else if (!strcmp(a, "--atc-timeout") && run_opts)
			o->atc_timeout = v;
		else if (!strcmp(a, "--atc-timeout-delay") && run_opts)
			ret = kernel_delay_arg(a, v, &o->atc_delay_ns);
		else {
			fprintf(stderr,
				"atcbench kernel: unknown option '%s' (--help)\n",
				a);
			return -EINVAL;
		}
		if (ret)
			return ret;
	}
	if (o->name && !kernel_name_ok(o->name)) {
		fprintf(stderr,
			"atcbench kernel: --name: 1 to %d of [A-Za-z0-9._-]\n",
			KERNEL_NAME_MAX);
		return -EINVAL;
	}
	if (o->design && strcmp(o->design, "rcu") &&
	    strcmp(o->design, "devlist")) {
		fprintf(stderr, "atcbench kernel: --design: rcu or devlist\n");
		return -EINVAL;
	}
	if (o->atc_timeout && !kernel_atc_spec_ok(o->atc_timeout)) {
		fprintf(stderr,
			"atcbench kernel: --atc-timeout: SIDS@FROM[+FOR][;...] "
			"(--help), at most %d characters\n",
			KERNEL_ATC_SPEC_MAX);
		return -EINVAL;
	}
	if ((o->atc_timeout || o->atc_delay_ns) && !o->ats) {
		fprintf(stderr,
			"atcbench kernel: --atc-timeout and --atc-timeout-delay "
			"need --ats\n");
		return -EINVAL;
	}
	if (o->workload && strcmp(o->workload, "dio")) {
		fprintf(stderr,
			"atcbench kernel: --workload: dio is the only one\n");
		return -EINVAL;
	}
	return 0;
}

static int kernel_finish(const char *out, const char *cmdline)
{
	int ret = env_write(out, cmdline, "tcg", 0);
	FILE *f = stdout;

	if (ret) {
		fprintf(stderr,
			"atcbench kernel: cannot write %s/env.json: %s\n", out,
			strerror(-ret));
		return EXIT_FAILURE;
	}
	ret = report_write(out, f);
	return ret ? EXIT_FAILURE : 0;
}

static int kernel_cmdline(int argc, char **argv, char *buf, size_t len)
{
	size_t used = snprintf(buf, len, "atcbench");
	int i;

	for (i = 0; i < argc && used < len; i++)
		used += snprintf(buf + used, len - used, " %s", argv[i]);
	return used < len ? 0 : -ENAMETOOLONG;
}

/* A kernel to boot: its Image, its modules folder ("" for none), whence */
struct kernel_src {
	char dir[RESULTS_PATH_MAX]; /* fetch.sh's or build.sh's folder, or "" */
	char image[RESULTS_PATH_MAX], modules[RESULTS_PATH_MAX];
	char source[RESULTS_PATH_MAX + 64];
	char sha[64]; /* the commit built (--tree), else "" */
};

/* A folder of build.sh's, @dir, as the kernel to boot */
static void kernel_src_built(const char *dir, const char *tree, const char *ref,
			     struct kernel_src *k)
{
	snprintf(k->dir, sizeof(k->dir), "%s", dir);
	snprintf(k->image, sizeof(k->image), "%.*s/Image",
		 (int)sizeof(k->image) - 7, dir);
	snprintf(k->modules, sizeof(k->modules), "%.*s/modules",
		 (int)sizeof(k->modules) - 9, dir);
	kernel_read_line(dir, "commit", k->sha, sizeof(k->sha));
	if (ref)
		snprintf(k->source, sizeof(k->source),
			 "tree %.*s at %.12s (%.32s)",
			 (int)sizeof(k->source) - 64, tree, k->sha, ref);
	else
		snprintf(k->source, sizeof(k->source), "tree %.*s (its files)",
			 (int)sizeof(k->source) - 64, tree);
}

/*
 * The kernel to boot: Debian's (--kernel, fetched once), one built from a
 * tree (--tree at @ref, or its files: built once per commit) or the
 * user's (--image).  Returns 0, or an exit status.
 */
static int kernel_get(const struct kernel_opts *o, const char *ref,
		      struct kernel_src *k)
{
	char script[RESULTS_PATH_MAX], dir[RESULTS_PATH_MAX];
	int ret;

	memset(k, 0, sizeof(*k));
	if (o->image) {
		snprintf(k->image, sizeof(k->image), "%s", o->image);
		snprintf(k->modules, sizeof(k->modules), "%s",
			 o->modules ? o->modules : "");
		snprintf(k->source, sizeof(k->source), "image %s", o->image);
		return 0;
	}
	if (o->tree) {
		char *build[] = { script,	   "--tree",
				  (char *)o->tree, ref ? "--ref" : NULL,
				  (char *)ref,	   NULL };

		snprintf(script, sizeof(script), "%s/build.sh",
			 kernel_scripts());
		ret = kernel_spawn(build, dir, sizeof(dir));
		if (ret) {
			fprintf(stderr,
				"atcbench kernel: no kernel built from %s%s%s\n",
				o->tree, ref ? " at " : "", ref ? ref : "");
			return ret == EXIT_USAGE || ret < 0 ? EXIT_USAGE :
							      EXIT_FAILURE;
		}
		kernel_src_built(dir, o->tree, ref, k);
		return 0;
	}
	{
		char *fetch[] = { script, (char *)o->kernel, NULL };

		snprintf(script, sizeof(script), "%s/fetch.sh",
			 kernel_scripts());
		ret = kernel_spawn(fetch, dir, sizeof(dir));
		if (ret) {
			fprintf(stderr, "atcbench kernel: no kernel %s\n",
				o->kernel);
			return ret == EXIT_USAGE || ret < 0 ? EXIT_USAGE :
							      EXIT_FAILURE;
		}
		/* fetch.sh printed the cached folder */
		kernel_src_built(dir, NULL, NULL, k);
		snprintf(k->source, sizeof(k->source), "Debian %.*s",
			 (int)sizeof(k->source) - 8, o->kernel);
		return 0;
	}
}

/*
 * Boot @k under QEMU (run.sh) with @o's devices and workload, and write
 * @out's kernel-@name files.  Returns 0, or an exit status.
 */
static int kernel_boot(const struct kernel_opts *o, const struct kernel_src *k,
		       const char *out, const char *name)
{
	char script[RESULTS_PATH_MAX], raw[RESULTS_PATH_MAX];
	char qemu[RESULTS_PATH_MAX], num[4][24];
	char *run[32] = {};
	int n = 0, ret;

	if (snprintf(raw, sizeof(raw), "%s/kernel-%s", out, name) >=
	    (int)sizeof(raw) - 8) {
		fprintf(stderr, "atcbench kernel: %s: path too long\n", out);
		return EXIT_USAGE;
	}
	if (o->ats) {
		char *build[] = { script, NULL };

		/* Built once, cached: it says so when it builds */
		snprintf(script, sizeof(script), "%s/qemu-ats.sh",
			 kernel_scripts());
		ret = kernel_spawn(build, qemu, sizeof(qemu));
		if (ret) {
			fprintf(stderr,
				"atcbench kernel: no ATS-capable QEMU\n");
			return EXIT_FAILURE;
		}
	}
	snprintf(script, sizeof(script), "%s/run.sh", kernel_scripts());
	snprintf(num[0], sizeof(num[0]), "%ld", o->devices);
	snprintf(num[1], sizeof(num[1]), "%ld", o->ops);
	snprintf(num[2], sizeof(num[2]), "%ld", o->timeout);
	snprintf(num[3], sizeof(num[3]), "%llu",
		 (unsigned long long)o->atc_delay_ns);
	run[n++] = script;
	run[n++] = "--image";
	run[n++] = (char *)k->image;
	run[n++] = "--out";
	run[n++] = raw;
	run[n++] = "--devices";
	run[n++] = num[0];
	run[n++] = "--ops";
	run[n++] = num[1];
	run[n++] = "--timeout";
	run[n++] = num[2];
	run[n++] = "--workload";
	run[n++] = (char *)o->workload;
	if (k->modules[0]) {
		run[n++] = "--modules";
		run[n++] = (char *)k->modules;
	}
	if (o->ats) {
		run[n++] = "--ats";
		run[n++] = "--qemu";
		run[n++] = qemu;
		run[n++] = "--atc-timeout-delay";
		run[n++] = num[3];
	}
	if (o->atc_timeout) {
		run[n++] = "--atc-timeout";
		run[n++] = (char *)o->atc_timeout;
	}
	ret = kernel_spawn(run, NULL, 0);
	if (ret) {
		fprintf(stderr, "atcbench kernel: the run failed (%s)\n", raw);
		return EXIT_USAGE;
	}
	strcat(raw, "/trace");
	return kernel_convert(raw, out, name, k->source) ? EXIT_FAILURE : 0;
}

/* The output folder: --out, or a new one under results/ */
static int kernel_out(const struct kernel_opts *o, char *dir, size_t len)
{
	if (o->out) {
		snprintf(dir, len, "%s", o->out);
		return 0;
	}
	return results_default_dir(dir, len) ? EXIT_USAGE : 0;
}

static void kernel_default_name(const struct kernel_opts *o, char *name,
				size_t len)
{
	if (o->name)
		snprintf(name, len, "%s", o->name);
	else
		snprintf(name, len, "%s-%ldd", o->workload, o->devices);
}

/* Which kernel: exactly one source, and what goes with it */
static int kernel_check_source(const struct kernel_opts *o, const char *cmd)
{
	const char *why = NULL;

	if (!!o->kernel + !!o->image + !!o->tree != 1)
		why = "one of --kernel, --image and --tree";
	else if (o->modules && !o->image)
		why = "--modules goes with --image";
	else if (o->ref && !o->tree)
		why = "--ref goes with --tree";
	if (why) {
		fprintf(stderr, "atcbench kernel %s: %s (--help)\n", cmd, why);
		return -EINVAL;
	}
	if (o->image && access(o->image, R_OK)) {
		fprintf(stderr, "atcbench kernel %s: %s: %s\n", cmd, o->image,
			strerror(errno));
		return -errno;
	}
	return 0;
}

static int kernel_run(int argc, char **argv)
{
	struct kernel_opts o = { .devices = 1,
				 .ops = 2000,
				 .timeout = 300,
				 .workload = "dio",
				 .design = "rcu" };
	char out[RESULTS_PATH_MAX], name[KERNEL_NAME_MAX + 1], cmdline[2048];
	struct kernel_src k;
	int got, ret;

	ret = kernel_parse(argc, argv, &o, true, NULL, 0, &got);
	if (ret)
		return ret > 0 ? 0 : EXIT_USAGE;
	if (kernel_check_source(&o, "run") || kernel_out(&o, out, sizeof(out)))
		return EXIT_USAGE;
	kernel_default_name(&o, name, sizeof(name));
	if (kernel_cmdline(argc, argv, cmdline, sizeof(cmdline))) {
		fprintf(stderr, "atcbench kernel run: arguments too long\n");
		return EXIT_USAGE;
	}
	ret = kernel_get(&o, o.ref, &k);
	if (!ret)
		ret = kernel_boot(&o, &k, out, name);
	return ret ? ret : kernel_finish(out, cmdline);
}

static int kernel_build_cmd(int argc, char **argv)
{
	struct kernel_opts o = {};
	struct kernel_src k;
	int got, ret;

	ret = kernel_parse(argc, argv, &o, true, NULL, 0, &got);
	if (ret)
		return ret > 0 ? 0 : EXIT_USAGE;
	if (!o.tree || o.kernel || o.image || o.modules || o.out || o.name ||
	    o.workload || o.design || o.atc_timeout || o.ats || o.devices ||
	    o.ops || o.timeout || o.atc_delay_ns) {
		fprintf(stderr, "atcbench kernel build: --tree DIR "
				"[--ref REF] only (--help)\n");
		return EXIT_USAGE;
	}
	ret = kernel_get(&o, o.ref, &k);
	if (ret)
		return ret;
	printf("%s\n", k.dir);
	return 0;
}

/* One side of a comparison: its results folder, env.json and report */
static int kernel_compare_side(const struct kernel_opts *o,
			       const struct kernel_src *k, const char *dir,
			       const char *name, const char *ref,
			       const char *cmdline)
{
	int ret;

	fprintf(stderr, "atcbench kernel compare: running %s (%.12s)\n", ref,
		k->sha);
	ret = results_mkdir(dir);
	if (ret) {
		fprintf(stderr, "atcbench kernel compare: %s: %s\n", dir,
			strerror(-ret));
		return EXIT_USAGE;
	}
	ret = kernel_boot(o, k, dir, name);
	if (ret)
		return ret;
	ret = env_write_ref(dir, cmdline, "tcg", 0, ref, k->sha);
	if (!ret)
		ret = report_write(dir, NULL);
	if (ret) {
		fprintf(stderr, "atcbench kernel compare: %s: %s\n", dir,
			strerror(-ret));
		return EXIT_FAILURE;
	}
	return 0;
}

static int kernel_compare_cmd(int argc, char **argv)
{
	struct kernel_opts o = { .devices = 1,
				 .ops = 2000,
				 .timeout = 300,
				 .workload = "dio",
				 .design = "rcu" };
	char out[RESULTS_PATH_MAX], side[2][RESULTS_PATH_MAX + 8];
	char name[KERNEL_NAME_MAX + 1], cmdline[2048];
	const char *refs[2] = {};
	struct kernel_src k[2];
	int got, ret, i;

	ret = kernel_parse(argc, argv, &o, true, refs, 2, &got);
	if (ret)
		return ret > 0 ? 0 : EXIT_USAGE;
	if (!o.tree || o.kernel || o.image || o.modules || o.ref || got != 2) {
		fprintf(stderr, "atcbench kernel compare: --tree DIR BASE HEAD "
				"(--help)\n");
		return EXIT_USAGE;
	}
	kernel_default_name(&o, name, sizeof(name));
	if (kernel_cmdline(argc, argv, cmdline, sizeof(cmdline))) {
		fprintf(stderr,
			"atcbench kernel compare: arguments too long\n");
		return EXIT_USAGE;
	}
	/* Both built before either runs: a ref that does not build fails early */
	for (i = 0; i < 2; i++) {
		ret = kernel_get(&o, refs[i], &k[i]);
		if (ret)
			return EXIT_USAGE;
	}
	if (o.out)
		snprintf(out, sizeof(out), "%s", o.out);
	else
		snprintf(out, sizeof(out), "results/kernel-compare-%.12s-%.12s",
			 k[0].sha, k[1].sha);
	for (i = 0; i < 2; i++) {
		snprintf(side[i], sizeof(side[i]), "%s/%s", out,
			 i ? "head" : "base");
		ret = kernel_compare_side(&o, &k[i], side[i], name, refs[i],
					  cmdline);
		if (ret)
			return EXIT_USAGE;
	}
	{
		char *cmp[] = { "compare", side[0],  side[1],  "--out",
				out,	   "--gate", "kernel", NULL };

		/* 0 same, 1 a change in the exact counts, 2 could not */
		ret = compare_cmd(7, cmp);
	}
	if (ret == EXIT_USAGE || report_write(out, NULL))
		return EXIT_USAGE;
	printf("%s (%.12s) -> %s (%.12s): %s\nreport: %s/report.txt\n", refs[0],
	       k[0].sha, refs[1], k[1].sha,
	       ret ? "the counts changed" : "the same counts", out);
	return ret;
}

static int kernel_convert_cmd(int argc, char **argv)
{
	struct kernel_opts o = {};
	const char *trace = NULL;
	char out[RESULTS_PATH_MAX], cmdline[2048];
	char source[RESULTS_PATH_MAX + 32];
	int got, ret;

	ret = kernel_parse(argc, argv, &o, false, &trace, 1, &got);
	if (ret)
		return ret > 0 ? 0 : EXIT_USAGE;
	if (!trace) {
		fprintf(stderr,
			"atcbench kernel convert: which trace folder? (--help)\n");
		return EXIT_USAGE;
	}
	if (kernel_out(&o, out, sizeof(out)) ||
	    kernel_cmdline(argc, argv, cmdline, sizeof(cmdline)))
		return EXIT_USAGE;
	snprintf(source, sizeof(source), "trace %s", trace);
	if (kernel_convert(trace, out, o.name ? o.name : "hw", source))
		return EXIT_USAGE;
	return kernel_finish(out, cmdline);
}

static int kernel_sim_cmd(int argc, char **argv)
{
	struct kernel_opts o = {
		.devices = 1, .ops = 2000, .design = "rcu", .workload = "dio"
	};
	char out[RESULTS_PATH_MAX], cmdline[2048], name[KERNEL_NAME_MAX + 1];
	struct kernel_trace t;
	int got, ret;

	ret = kernel_parse(argc, argv, &o, true, NULL, 0, &got);
	if (ret)
		return ret > 0 ? 0 : EXIT_USAGE;
	if (o.kernel || o.image || o.modules || o.tree || o.ref) {
		fprintf(stderr,
			"atcbench kernel sim: no kernel to give (--help)\n");
		return EXIT_USAGE;
	}
	if (o.atc_timeout || o.atc_delay_ns) {
		fprintf(stderr,
			"atcbench kernel sim: no --atc-timeout yet: a timeout "
			"storm in simulation is 'atcbench stress timeout-storm'\n");
		return EXIT_USAGE;
	}
	if (kernel_out(&o, out, sizeof(out)) ||
	    kernel_cmdline(argc, argv, cmdline, sizeof(cmdline)))
		return EXIT_USAGE;
	kernel_default_name(&o, name, sizeof(name));
	ret = kernel_sim_run(o.devices, o.ops, !strcmp(o.design, "devlist"),
			     o.ats, &t);
	if (ret)
		fprintf(stderr, "atcbench kernel sim: %s\n", strerror(-ret));
	else
		ret = kernel_write_results(out, name, "atcbench simulation",
					   &t);
	kernel_trace_free(&t);
	if (ret)
		return EXIT_FAILURE;
	return kernel_finish(out, cmdline);
}

int kernel_cmd(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "sim"))
		return kernel_sim_cmd(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "run"))
		return kernel_run(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "convert"))
		return kernel_convert_cmd(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "build"))
		return kernel_build_cmd(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "compare"))
		return kernel_compare_cmd(argc - 1, argv + 1);
	if (argc >= 2 &&
	    (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		kernel_usage(stdout);
		return 0;
	}
	fprintf(stderr, "atcbench kernel: run, sim, convert, build or compare? "
			"(--help)\n");
	return EXIT_USAGE;
}
