// SPDX-License-Identifier: GPL-2.0
/*
 * kernel: a run's results files, kernel-NAME.json and its .hgrm histograms,
 * and convert
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/internal.h"
#include "lib/json.h"

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

/* The ATC_INVs the SMMU executed to @sid in the window */
static unsigned long long kernel_atc_invs(const struct kernel_trace *t,
					  unsigned int sid)
{
	unsigned long long n = 0;
	unsigned int i;

	for (i = 0; i < t->natc; i++)
		n += t->atc[i].sid == sid ? t->atc[i].count : 0;
	return n;
}

void kernel_oracle_totals(const struct kernel_trace *t,
			  struct kernel_oracle_totals *o)
{
	unsigned int i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < t->nsids; i++) {
		const struct kernel_atc_sid *s = &t->sids[i];

		o->stale += s->stale;
		o->order += s->order;
		o->silent += s->eats && !kernel_atc_invs(t, s->sid);
	}
}

/*
 * The ATC oracle: per SID used with EATS, its ATC_INVs in the window, its
 * stale hits (the first IOVAs) and order violations; and the totals that
 * are violations: stale hits, order violations, ATS devices that received
 * no ATC_INV in the window
 */
static void kernel_write_json_oracle(FILE *f, const struct kernel_trace *t)
{
	struct kernel_oracle_totals o;
	unsigned int i, k, n = 0;

	fputs(",\n  \"ats_sids\": [", f);
	for (i = 0; i < t->nsids; i++)
		if (t->sids[i].eats)
			fprintf(f, "%s%u", n++ ? ", " : "", t->sids[i].sid);
	fputs("],\n  \"atc_oracle\": ", f);
	if (!t->oracle) {
		fputs("null", f);
		return;
	}
	kernel_oracle_totals(t, &o);
	fprintf(f,
		"{\"stale_hits\": %llu, \"order_violations\": %llu, "
		"\"ats_without_inv\": %u,\n    \"sids\": [",
		o.stale, o.order, o.silent);
	for (i = 0; i < t->nsids; i++) {
		const struct kernel_atc_sid *s = &t->sids[i];

		fprintf(f,
			"%s\n      {\"sid\": %u, \"eats\": %s, "
			"\"atc_invs\": %llu, \"stale_hits\": %llu, "
			"\"order_violations\": %llu, \"first_stale\": [",
			i ? "," : "", s->sid, s->eats ? "true" : "false",
			kernel_atc_invs(t, s->sid), s->stale, s->order);
		for (k = 0; k < s->stale && k < KERNEL_ORACLE_FIRST; k++)
			fprintf(f, "%s\"%#llx\"", k ? ", " : "", s->first[k]);
		fputs("]}", f);
	}
	fputs("]}", f);
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
	fputs(",\n  \"atc_slow\": ", f);
	kernel_json_str_or_null(f, t->atc_slow);
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
	kernel_write_json_oracle(f, t);
}

/* What ran: the kernel, where it came from, the workload, the probes */
static void kernel_write_json_head(FILE *f, const struct kernel_trace *t,
				   const char *name, const char *source)
{
	bool array = !strcmp(t->points[1][0], "arm_smmu_domain_inv_range");
	unsigned int i;

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
	fputs(",\n  \"topology\": ", f);
	kernel_json_str_or_null(f, t->topology);
	fputs(",\n  \"dma_mode\": ", f);
	kernel_json_str_or_null(f, t->dma_mode);
	fputs(",\n  \"points\": {", f);
	for (i = 0; i < 4; i++) {
		fprintf(f, "%s\"%s\": ", i ? ", " : "", kernel_point_roles[i]);
		if (*t->points[i][0] && strcmp(t->points[i][1], "absent"))
			json_write_str(f, t->points[i][0]);
		else
			fputs("null", f);
	}
}

/* The JSON of a run; per-operation figures divide by the op probe's hits */
static void kernel_write_json(FILE *f, const struct kernel_trace *t,
			      const char *name, const char *source)
{
	unsigned long long lists = t->hits[KP_ISSUE], ops = t->hits[KP_OP];
	unsigned long long cmds = 0, syncs = 0, smmu = 0;
	double per = ops ? 1.0 / ops : 0;
	unsigned int i;

	for (i = 0; i < t->nsizes; i++) {
		cmds += t->sizes[i].n * t->sizes[i].count;
		syncs += t->sizes[i].sync ? t->sizes[i].count : 0;
	}
	for (i = 0; i < t->nopcodes; i++)
		smmu += t->opcodes[i].count;

	kernel_write_json_head(f, t, name, source);
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
	fprintf(f,
		"],\n  \"dropped\": {\"list_sizes\": %llu, "
		"\"latencies\": %llu}",
		t->dropped_shapes, t->dropped_latencies);
	fputs(",\n  \"atc_inv_domain_calls\": ", f);
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
	fputs(",\n  \"dma_map_benchmark\": ", f);
	if (t->dmabench.ran)
		fprintf(f,
			"{\"threads\": %u, \"seconds\": %u, \"granule\": %u, "
			"\"map_us\": %.1f, \"map_stddev_us\": %.1f, "
			"\"unmap_us\": %.1f, \"unmap_stddev_us\": %.1f}",
			t->dmabench.threads, t->dmabench.seconds,
			t->dmabench.granule, t->dmabench.map_us,
			t->dmabench.map_sd_us, t->dmabench.unmap_us,
			t->dmabench.unmap_sd_us);
	else
		fputs("null", f);
	fputs(",\n  \"metrics\": {\n    \"cmdq_issue_ns\": ", f);
	lat_write_json(t->issue_lat, f, true);
	fputs(",\n    \"inv_ns\": ", f);
	lat_write_json(t->op_lat, f, true);
	fputs("\n  }\n}\n", f);
}

static int kernel_write(const char *out, const char *file,
			int (*fn)(FILE *f, const void *arg), const void *arg)
{
	char path[RESULTS_PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s", out, file) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	return results_write_with(path, fn, arg);
}

struct kernel_json_arg {
	const struct kernel_trace *t;
	const char *name, *source;
};

static int kernel_json_fn(FILE *f, const void *arg)
{
	const struct kernel_json_arg *a = arg;

	kernel_write_json(f, a->t, a->name, a->source);
	return 0;
}

/* @out's kernel-@name files from @t */
int kernel_write_results(const char *out, const char *name, const char *source,
			 const struct kernel_trace *t)
{
	struct kernel_json_arg a = { t, name, source };
	char file[KERNEL_NAME_MAX + 32];
	int ret;

	ret = results_mkdir(out);
	snprintf(file, sizeof(file), "kernel-%s-cmdq_issue.hgrm", name);
	if (!ret && lat_count(t->issue_lat))
		ret = kernel_write(out, file, lat_hgrm_writer, t->issue_lat);
	snprintf(file, sizeof(file), "kernel-%s-inv.hgrm", name);
	if (!ret && lat_count(t->op_lat))
		ret = kernel_write(out, file, lat_hgrm_writer, t->op_lat);
	snprintf(file, sizeof(file), "kernel-%s.json", name);
	if (!ret)
		ret = kernel_write(out, file, kernel_json_fn, &a);
	if (ret)
		fprintf(stderr, "atcbench kernel: cannot write %s: %s\n", out,
			strerror(-ret));
	return ret;
}

/* Convert the trace folder @trace into @out's kernel-@name files */
int kernel_convert(const char *trace, const char *out, const char *name,
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
