// SPDX-License-Identifier: GPL-2.0
/*
 * report: the stress runs' part of report.txt: the latency table, the
 * open-loop runs and the stalls, the fault table, the violations and how
 * to reproduce them
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fmt.h"
#include "lib/json.h"
#include "lib/results.h"
#include "report/report.h"

/* Percentile @p of metric @name, or -1 if it recorded nothing */
static double report_pct(const struct json *metrics, const char *name,
			 const char *p)
{
	const struct json *m = json_get(metrics, name);

	return json_num(m, "count", 0) ? json_num(m, p, -1) : -1;
}

/* The latency table, a line per run; whether any run injected faults */
static bool report_stress_latency(struct json **runs, int n, FILE *f)
{
	bool faults = false, virt, any_virt = false, loaded, any_loaded = false;
	char name[REPORT_NAME_COLS + 2], b[5][16];
	int i;

	fprintf(f, "\nInvalidation latency, arm_smmu_domain_inv_range(), "
		   "end to end\n");
	fprintf(f, "%-*s %7s %7s %7s %7s %7s\n", REPORT_NAME_COLS, "scenario",
		"ops/s", "p50", "p99", "p99.9", "max");
	for (i = 0; i < n; i++) {
		const struct json *inv =
			json_get(json_get(runs[i], "metrics"), "inv_ns");

		if (!runs[i])
			continue;
		faults |= json_num(runs[i], "faults", 0) > 0;
		virt = !strcmp(json_str(runs[i], "clock", ""), "virtual");
		any_virt |= virt;
		/* a real-time run's figures are the machine's, and its load's */
		loaded = !virt && json_num(json_get(runs[i], "machine_load"),
					   "under_load", 0) > 0;
		any_loaded |= loaded;
		snprintf(name, sizeof(name), "%s%s",
			 json_str(runs[i], "name", "?"),
			 virt	? "*" :
			 loaded ? "!" :
				  "");
		fprintf(f, "%-*.*s %7s %7s %7s %7s %7s\n", REPORT_NAME_COLS,
			REPORT_NAME_COLS, name,
			fmt_count(json_num(runs[i], "throughput_ops_s", 0),
				  b[0], 16),
			fmt_ns(json_num(inv, "p50", -1), b[1], 16),
			fmt_ns(json_num(inv, "p99", -1), b[2], 16),
			fmt_ns(json_num(inv, "p99_9", -1), b[3], 16),
			fmt_ns(json_num(inv, "max", -1), b[4], 16));
	}
	if (any_virt)
		fprintf(f, "* virtual time: ops/s per simulated second, the "
			   "model's latencies\n");
	if (any_loaded)
		fprintf(f, "! measured under load: another process or the "
			   "hypervisor took CPU\n  meanwhile (the run's "
			   "machine_load)\n");
	return faults;
}

/* Open-loop runs and stalls, a note each */
static void report_stress_open_loop(const struct json *run, FILE *f)
{
	if (!strcmp(json_str(run, "load", ""), "open"))
		fprintf(f,
			"%.60s: open loop,\n"
			"  %.0f ops/s per mapper (latency from each one's "
			"intended start)\n",
			json_str(run, "name", "?"),
			json_num(run, "rate_per_mapper", 0));
}

/* The runs with stalls, in one paragraph: each one's count and longest */
static void report_stress_stalls(struct json **runs, int n, FILE *f)
{
	unsigned int col = 0, left = 0;
	bool header = false;
	char b[16], item[96];
	int i;

	for (i = 0; i < n; i++)
		left += runs[i] && json_num(runs[i], "stalls", 0) > 0;
	for (i = 0; i < n && left; i++) {
		if (!runs[i] || json_num(runs[i], "stalls", 0) <= 0)
			continue;
		if (!header) {
			fmt_ns(json_num(runs[i], "stall_threshold_ns", -1), b,
			       sizeof(b));
			col = fprintf(f,
				      "STALLS (no completion for > %s): run, "
				      "stalls, the longest",
				      b);
			header = true;
		}
		fmt_ns(json_num(runs[i], "stall_max_ns", -1), b, sizeof(b));
		snprintf(item, sizeof(item), " %.50s %.0f %s%s",
			 json_str(runs[i], "name", "?"),
			 json_num(runs[i], "stalls", 0), b, --left ? "," : "");
		report_wrap(f, &col, item);
	}
	if (header)
		fputc('\n', f);
}
/* The fault table, a line per run that injected faults */
static void report_stress_faults(struct json **runs, int n, FILE *f)
{
	char b[2][16];
	int i;

	fprintf(f, "\nFaults: timeouts, quarantines (innocent), time "
		   "to quarantine p50,\nother domains' invalidation "
		   "p99 during faults, spam, violations\n");
	fprintf(f, "%-*s %4s %5s %4s %7s %7s %4s %4s\n", REPORT_NAME_COLS - 2,
		"scenario", "tmo", "quar", "inn", "ttq", "other", "spam",
		"viol");
	for (i = 0; i < n; i++) {
		const struct json *m = json_get(runs[i], "metrics");

		if (!runs[i] || !json_num(runs[i], "faults", 0))
			continue;
		fprintf(f, "%-*.*s %4.0f %5.0f %4.0f %7s %7s %4.0f %4.0f\n",
			REPORT_NAME_COLS - 2, REPORT_NAME_COLS - 2,
			json_str(runs[i], "name", "?"),
			json_num(runs[i], "timeouts", 0),
			json_num(runs[i], "quarantines", 0),
			json_num(runs[i], "innocent_quarantines", 0),
			fmt_ns(report_pct(m, "time_to_quarantine_ns", "p50"),
			       b[0], 16),
			fmt_ns(report_pct(m, "bystander_inv_ns", "p99"), b[1],
			       16),
			json_num(runs[i], "atc_invs_to_broken", 0),
			json_num(runs[i], "oracle_violations", 0));
	}
}

void report_stress(const char *dir, FILE *f)
{
	char **names = NULL;
	struct json **runs;
	bool faults;
	int n, i;

	n = results_files(dir, "stress-", ".json", &names);
	runs = n > 0 ? calloc(n, sizeof(*runs)) : NULL;
	for (i = 0; runs && i < n; i++) {
		char path[RESULTS_PATH_MAX], err[128];

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (json_parse_file(path, &runs[i], err, sizeof(err)))
			runs[i] = NULL;
	}
	faults = runs && report_stress_latency(runs, n, f);
	for (i = 0; runs && i < n; i++)
		if (runs[i])
			report_stress_open_loop(runs[i], f);
	if (runs)
		report_stress_stalls(runs, n, f);
	if (faults)
		report_stress_faults(runs, n, f);
	for (i = 0; i < n; i++) {
		if (runs)
			json_free(runs[i]);
		free(names[i]);
	}
	free(runs);
	free(names);
}
