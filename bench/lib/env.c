// SPDX-License-Identifier: GPL-2.0
/* env: a results folder's env.json (see env.h) */
#include <errno.h>
#include <stdbool.h>
#include <hwloc.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "gitinfo.h"
#include "lib/env.h"
#include "lib/json.h"
#include "lib/results.h"
#include "lib/topo.h"

static void env_cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) || !colon)
			continue;
		colon += 1 + (colon[1] == ' ');
		colon[strcspn(colon, "\n")] = '\0';
		snprintf(buf, len, "%s", colon);
		break;
	}
	fclose(f);
}

int env_write(const char *dir, const char *cmdline, const char *clock,
	      unsigned long long seed)
{
	return env_write_ref(dir, cmdline, clock, seed, NULL, NULL);
}

/* The first line of @path into @buf; false when it cannot be read */
static bool env_read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, len, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

/* "key": the first line of @path as a string, or null */
static void env_file_str(FILE *f, const char *key, const char *path)
{
	char v[256];

	fprintf(f, "\"%s\": ", key);
	if (env_read_line(path, v, sizeof(v)))
		json_write_str(f, v);
	else
		fputs("null", f);
}

/*
 * What moves a measurement besides the code: frequency scaling (the
 * governor, turbo or boost), SMT, isolated and nohz_full CPUs, ASLR, and
 * the load when the folder was written.  Absent sysfs files are null (a
 * VM often has no cpufreq).
 */
static void env_write_tuning(FILE *f)
{
	char v[64];
	double load[3] = { -1, -1, -1 };

	fputs("  \"tuning\": {", f);
	env_file_str(f, "governor",
		     "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
	fputs(", \"boost\": ", f);
	/* intel_pstate says no_turbo; acpi-cpufreq and others say boost */
	if (env_read_line("/sys/devices/system/cpu/intel_pstate/no_turbo", v,
			  sizeof(v)))
		fputs(strcmp(v, "0") ? "false" : "true", f);
	else if (env_read_line("/sys/devices/system/cpu/cpufreq/boost", v,
			       sizeof(v)))
		fputs(strcmp(v, "0") ? "true" : "false", f);
	else
		fputs("null", f);
	fputs(", ", f);
	env_file_str(f, "smt", "/sys/devices/system/cpu/smt/control");
	fputs(", ", f);
	env_file_str(f, "isolated_cpus", "/sys/devices/system/cpu/isolated");
	fputs(", ", f);
	env_file_str(f, "nohz_full", "/sys/devices/system/cpu/nohz_full");
	fputs(", ", f);
	env_file_str(f, "aslr", "/proc/sys/kernel/randomize_va_space");
	if (getloadavg(load, 3) == 3)
		fprintf(f, ", \"load_avg\": [%.2f, %.2f, %.2f]},\n", load[0],
			load[1], load[2]);
	else
		fputs(", \"load_avg\": null},\n", f);
}

/* Which atcbench, built how (and, for a side of a comparison, what ref) */
static void env_write_build(FILE *f, const char *ref, const char *sha)
{
	if (ref) {
		/* a side of a comparison: what it compares, then atcbench */
		fputs("  \"ref\": ", f);
		json_write_str(f, ref);
		fputs(",\n  \"git_sha\": ", f);
		json_write_str(f, sha);
		fprintf(f, ",\n  \"atcbench_git_sha\": \"%s\",\n",
			ATCBENCH_GIT_SHA);
	} else {
		fprintf(f, "  \"git_sha\": \"%s\",\n", ATCBENCH_GIT_SHA);
	}
	fputs("  \"git_branch\": ", f);
	json_write_str(f, ATCBENCH_GIT_BRANCH);
	fprintf(f, ",\n  \"git_dirty\": %s,\n",
		ATCBENCH_GIT_DIRTY ? "true" : "false");
	fprintf(f, "  \"compiler\": \"gcc %s\",\n", __VERSION__);
	fprintf(f, "  \"build_type\": \"%s\",\n  \"c_flags\": ",
		ATCBENCH_BUILD_TYPE);
	json_write_str(f, ATCBENCH_C_FLAGS);
#ifdef KHOOKS_RCU_ATOMIC
	fputs(",\n  \"rcu\": \"atomic-shim\",\n", f);
#else
	fputs(",\n  \"rcu\": \"liburcu-memb\",\n", f);
#endif
	fprintf(f,
		"  \"libraries\": {\"liburcu\": \"%s\", \"hwloc\": \"%s\", "
		"\"hwloc_runtime_api\": \"%x\", \"libnuma\": \"%s\", "
		"\"benchmark\": \"%s\"},\n",
		ATCBENCH_URCU_VERSION, ATCBENCH_HWLOC_VERSION,
		hwloc_get_api_version(), ATCBENCH_NUMA_VERSION,
		ATCBENCH_BENCHMARK_VERSION);
}

/* The machine: kernel, CPU, topology */
static void env_write_machine(FILE *f)
{
	struct utsname u = {};
	struct topo topo;
	char cpu[256];

	uname(&u);
	env_cpu_model(cpu, sizeof(cpu));
	fputs("  \"kernel\": ", f);
	json_write_str(f, u.release);
	fputs(",\n  \"machine\": ", f);
	json_write_str(f, u.machine);
	fputs(",\n  \"hostname\": ", f);
	json_write_str(f, u.nodename);
	fputs(",\n  \"cpu_model\": ", f);
	json_write_str(f, cpu);
	fprintf(f, ",\n  \"online_cpus\": %ld,\n",
		sysconf(_SC_NPROCESSORS_ONLN));
	fputs("  \"topology\": ", f);
	if (!topo_init(&topo)) {
		topo_json(&topo, "", f);
		topo_fini(&topo);
	} else {
		fputs("null", f);
	}
	fputs(",\n", f);
}

struct env_args {
	const char *cmdline, *clock, *ref, *sha;
	unsigned long long seed;
	const struct env_guest *guest;
};

static int env_print(FILE *f, const void *arg)
{
	const struct env_args *a = arg;
	time_t now = time(NULL);
	char date[32];
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(f,
		"{\n  \"schema_version\": %d,\n  \"kind\": \"env\",\n"
		"  \"date\": \"%s\",\n",
		ENV_SCHEMA_VERSION, date);
	env_write_build(f, a->ref, a->sha);
	env_write_machine(f);
	env_write_tuning(f);
	if (a->guest) {
		fputs("  \"guest\": {\"topology\": ", f);
		json_write_str(f, a->guest->topology);
		fputs(", \"dma_mode\": ", f);
		json_write_str(f, a->guest->dma_mode);
		fprintf(f, ", \"devices\": %u, \"ats\": %s},\n",
			a->guest->devices, a->guest->ats ? "true" : "false");
	}
	fprintf(f, "  \"clock\": \"%s\",\n  \"seed\": %llu,\n  \"command\": ",
		a->clock, a->seed);
	json_write_str(f, a->cmdline);
	fputs("\n}\n", f);
	return 0;
}

static int env_write_args(const char *dir, const struct env_args *a)
{
	char path[RESULTS_PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/env.json", dir) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	return results_write_with(path, env_print, a);
}

int env_write_ref(const char *dir, const char *cmdline, const char *clock,
		  unsigned long long seed, const char *ref, const char *sha)
{
	const struct env_args a = { cmdline, clock, ref, sha, seed, NULL };

	return env_write_args(dir, &a);
}

int env_write_guest(const char *dir, const char *cmdline, const char *ref,
		    const char *sha, const struct env_guest *guest)
{
	const struct env_args a = { cmdline, "tcg", ref, sha, 0, guest };

	return env_write_args(dir, &a);
}

void env_cmdline(char *buf, size_t len, int argc, char **argv)
{
	size_t cl = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < argc && cl < len; i++)
		cl += snprintf(buf + cl, len - cl, "%s%s",
			       i ? " " : "atcbench ", argv[i]);
}

int env_exec_wmm(const char *cmd, int argc, char **argv)
{
	char self[PATH_MAX], path[PATH_MAX + 16], *slash, **args;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int i, ret = -ENOENT;

	if (n < 0) {
		ret = -errno;
		goto out;
	}
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		goto out;
	*slash = '\0';
	snprintf(path, sizeof(path), "%s/atcbench-wmm", self);
	args = calloc(argc + 2, sizeof(*args));
	if (!args) {
		ret = -ENOMEM;
		goto out;
	}
	args[0] = path;
	for (i = 0; i < argc; i++)
		args[i + 1] = argv[i];
	execv(path, args);
	ret = -errno;
	free(args);
out:
	fprintf(stderr,
		"atcbench %s: needs atcbench-wmm (the virtual-CPU build) "
		"beside atcbench: %s\n",
		cmd, strerror(-ret));
	return ret;
}
