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

#include "json.h"
#include "kernel.h"
#include "lat.h"
#include "report.h"
#include "results.h"
#include "units.h"

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

	ret = report_mkdir(out);
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
	const char *atc_timeout;
	long devices, ops, timeout;
	u64 atc_delay_ns;
	bool ats;
};

static void kernel_usage(FILE *f)
{
	fprintf(f,
		"usage: atcbench kernel run (--kernel SERIES|PACKAGE | --image IMAGE\n"
		"                            [--modules DIR]) [--devices N] [--ops N]\n"
		"                            [--workload dio] [--timeout S] [--name NAME]\n"
		"                            [--ats [--atc-timeout SPEC]\n"
		"                            [--atc-timeout-delay D]] [--out DIR]\n"
		"       atcbench kernel sim [--design rcu|devlist] [--devices N] [--ops N]\n"
		"                            [--ats] [--name NAME] [--out DIR]\n"
		"       atcbench kernel convert TRACEDIR [--name NAME] [--out DIR]\n"
		"\n"
		"run: boot the kernel under QEMU (virt, SMMUv3, TCG) with --devices\n"
		"virtio-blk devices behind the SMMU (1..%d, default 1), trace --ops\n"
		"4 KiB direct-I/O reads (1..%d, default 2000) with atc-trace.sh, and\n"
		"write the results folder (default results/<run-id>), report.txt\n"
		"included.  --kernel: 7.3, 6.12, 6.1 (Debian's newest build) or a\n"
		"Debian arm64 kernel package, downloaded once into the cache\n"
		"(kernel-hooks/real/fetch.sh); --image: your arm64 Image, with\n"
		"--modules holding virtio_blk.ko unless it is built in.  --timeout:\n"
		"the guest's limit in seconds (%d..%d, default 300).  --ats: the\n"
		"devices behind PCIe root ports with ATS on, on atcbench's patched\n"
		"QEMU (kernel-hooks/real/qemu-ats.sh, built once: about 20 min);\n"
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
		"Exit status: 0, 2 (bad options, no QEMU, no boot, an absent probe).\n",
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

/* Options from argv[first..]; @positional receives one operand if non-NULL */
static int kernel_parse(int argc, char **argv, int first, struct kernel_opts *o,
			const char **positional)
{
	int i;

	for (i = first; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int ret = 0;

		if (a[0] != '-' && positional && !*positional) {
			*positional = a;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			kernel_usage(stdout);
			return 1;
		}
		if (!strcmp(a, "--ats") && positional == NULL) {
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
		if (!strcmp(a, "--kernel") && positional == NULL)
			o->kernel = v;
		else if (!strcmp(a, "--image") && positional == NULL)
			o->image = v;
		else if (!strcmp(a, "--modules") && positional == NULL)
			o->modules = v;
		else if (!strcmp(a, "--workload") && positional == NULL)
			o->workload = v;
		else if (!strcmp(a, "--design") && positional == NULL)
			o->design = v;
		else if (!strcmp(a, "--out"))
			o->out = v;
		else if (!strcmp(a, "--name"))
			o->name = v;
		else if (!strcmp(a, "--devices") && positional == NULL)
			ret = kernel_long_arg(a, v, 1, KERNEL_MAX_DEVICES,
					      &o->devices);
		else if (!strcmp(a, "--ops") && positional == NULL)
			ret = kernel_long_arg(a, v, 1, KERNEL_MAX_OPS, &o->ops);
		else if (!strcmp(a, "--timeout") && positional == NULL)
			ret = kernel_long_arg(a, v, KERNEL_MIN_TIMEOUT_S,
					      KERNEL_MAX_TIMEOUT_S,
					      &o->timeout);
		else if (!strcmp(a, "--atc-timeout") && positional == NULL)
			o->atc_timeout = v;
		else if (!strcmp(a, "--atc-timeout-delay") &&
			 positional == NULL)
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
	int ret = report_write_env(out, cmdline, "tcg", 0);
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

static int kernel_run(int argc, char **argv)
{
	struct kernel_opts o = { .devices = 1,
				 .ops = 2000,
				 .timeout = 300,
				 .workload = "dio",
				 .design = "rcu" };
	char dir[RESULTS_PATH_MAX], image[RESULTS_PATH_MAX];
	char modules[RESULTS_PATH_MAX], raw[RESULTS_PATH_MAX];
	char script[RESULTS_PATH_MAX], name[KERNEL_NAME_MAX + 1];
	char num[4][24], cmdline[2048], source[RESULTS_PATH_MAX + 32];
	char qemu[RESULTS_PATH_MAX];
	const char *out;
	int ret;

	ret = kernel_parse(argc, argv, 1, &o, NULL);
	if (ret)
		return ret > 0 ? 0 : EXIT_USAGE;
	if (!o.kernel == !o.image) {
		fprintf(stderr,
			"atcbench kernel run: one of --kernel and --image (--help)\n");
		return EXIT_USAGE;
	}
	if (o.kernel && o.modules) {
		fprintf(stderr,
			"atcbench kernel run: --modules goes with --image\n");
		return EXIT_USAGE;
	}
	if (o.image && access(o.image, R_OK)) {
		fprintf(stderr, "atcbench kernel run: %s: %s\n", o.image,
			strerror(errno));
		return EXIT_USAGE;
	}
	out = o.out;
	if (!out) {
		if (report_default_dir(dir, sizeof(dir)))
			return EXIT_USAGE;
		out = dir;
	}
	if (o.name)
		snprintf(name, sizeof(name), "%s", o.name);
	else
		snprintf(name, sizeof(name), "%s-%ldd", o.workload, o.devices);
	if (kernel_cmdline(argc, argv, cmdline, sizeof(cmdline)) ||
	    snprintf(raw, sizeof(raw), "%s/kernel-%s", out, name) >=
		    (int)sizeof(raw)) {
		fprintf(stderr, "atcbench kernel run: arguments too long\n");
		return EXIT_USAGE;
	}

	if (o.kernel) {
		char *fetch[] = { script, (char *)o.kernel, NULL };

		snprintf(script, sizeof(script), "%s/fetch.sh",
			 kernel_scripts());
		ret = kernel_spawn(fetch, modules, sizeof(modules));
		if (ret) {
			fprintf(stderr, "atcbench kernel run: no kernel %s\n",
				o.kernel);
			return ret == EXIT_USAGE || ret < 0 ? EXIT_USAGE :
							      EXIT_FAILURE;
		}
		/* fetch.sh printed the cached folder */
		snprintf(image, sizeof(image), "%.*s/Image",
			 (int)sizeof(image) - 7, modules);
		snprintf(source, sizeof(source), "Debian %.*s",
			 (int)sizeof(source) - 8, o.kernel);
		strncat(modules, "/modules",
			sizeof(modules) - strlen(modules) - 1);
	} else {
		snprintf(image, sizeof(image), "%s", o.image);
		snprintf(modules, sizeof(modules), "%s",
			 o.modules ? o.modules : "");
		snprintf(source, sizeof(source), "image %s", o.image);
	}

	if (o.ats) {
		char *build[] = { script, NULL };

		/* Built once, cached: it says so when it builds */
		snprintf(script, sizeof(script), "%s/qemu-ats.sh",
			 kernel_scripts());
		ret = kernel_spawn(build, qemu, sizeof(qemu));
		if (ret) {
			fprintf(stderr,
				"atcbench kernel run: no ATS-capable QEMU\n");
			return EXIT_FAILURE;
		}
	}

	snprintf(script, sizeof(script), "%s/run.sh", kernel_scripts());
	snprintf(num[0], sizeof(num[0]), "%ld", o.devices);
	snprintf(num[1], sizeof(num[1]), "%ld", o.ops);
	snprintf(num[2], sizeof(num[2]), "%ld", o.timeout);
	snprintf(num[3], sizeof(num[3]), "%llu",
		 (unsigned long long)o.atc_delay_ns);
	{
		char *run[32] = { script,
				  "--image",
				  image,
				  "--out",
				  raw,
				  "--devices",
				  num[0],
				  "--ops",
				  num[1],
				  "--timeout",
				  num[2],
				  "--workload",
				  (char *)o.workload };
		int n = 13;

		if (*modules) {
			run[n++] = "--modules";
			run[n++] = modules;
		}
		if (o.ats) {
			run[n++] = "--ats";
			run[n++] = "--qemu";
			run[n++] = qemu;
			run[n++] = "--atc-timeout-delay";
			run[n++] = num[3];
		}
		if (o.atc_timeout) {
			run[n++] = "--atc-timeout";
			run[n++] = (char *)o.atc_timeout;
		}
		ret = kernel_spawn(run, NULL, 0);
	}
	if (ret) {
		fprintf(stderr, "atcbench kernel run: the run failed (%s)\n",
			raw);
		return EXIT_USAGE;
	}
	strncat(raw, "/trace", sizeof(raw) - strlen(raw) - 1);
	if (kernel_convert(raw, out, name, source))
		return EXIT_FAILURE;
	return kernel_finish(out, cmdline);
}

static int kernel_convert_cmd(int argc, char **argv)
{
	struct kernel_opts o = {};
	const char *trace = NULL, *out;
	char dir[RESULTS_PATH_MAX], cmdline[2048];
	char source[RESULTS_PATH_MAX + 32];
	int ret;

	ret = kernel_parse(argc, argv, 1, &o, &trace);
	if (ret)
		return ret > 0 ? 0 : EXIT_USAGE;
	if (!trace) {
		fprintf(stderr,
			"atcbench kernel convert: which trace folder? (--help)\n");
		return EXIT_USAGE;
	}
	out = o.out;
	if (!out) {
		if (report_default_dir(dir, sizeof(dir)))
			return EXIT_USAGE;
		out = dir;
	}
	if (kernel_cmdline(argc, argv, cmdline, sizeof(cmdline)))
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
	char dir[RESULTS_PATH_MAX], cmdline[2048], name[KERNEL_NAME_MAX + 1];
	struct kernel_trace t;
	const char *out;
	int ret;

	ret = kernel_parse(argc, argv, 1, &o, NULL);
	if (ret)
		return ret > 0 ? 0 : EXIT_USAGE;
	if (o.kernel || o.image || o.modules) {
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
	out = o.out;
	if (!out) {
		if (report_default_dir(dir, sizeof(dir)))
			return EXIT_USAGE;
		out = dir;
	}
	if (kernel_cmdline(argc, argv, cmdline, sizeof(cmdline)))
		return EXIT_USAGE;
	if (o.name)
		snprintf(name, sizeof(name), "%s", o.name);
	else
		snprintf(name, sizeof(name), "%s-%ldd", o.workload, o.devices);
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
	if (argc >= 2 &&
	    (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		kernel_usage(stdout);
		return 0;
	}
	fprintf(stderr, "atcbench kernel: run, sim or convert? (--help)\n");
	return EXIT_USAGE;
}
