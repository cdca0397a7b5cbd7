// SPDX-License-Identifier: GPL-2.0
/*
 * stress: a run's results: stress-NAME.json, the .hgrm histograms and the
 * timeline
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/json.h"
#include "lib/results.h"

#include "stress/internal.h"
#include <sim/stec.h>

const char *const stress_metric_names[SM_NR] = {
	[SM_INV] = "inv",
	[SM_INSERT] = "cmdq_insert",
	[SM_SYNC] = "cmdq_sync",
	[SM_BYSTANDER] = "bystander_inv",
	[SM_ISOLATION] = "isolation",
	[SM_TTQ] = "time_to_quarantine",
};

/* Results */

/* Write @len bytes of @data to DIR/stress-NAME-WHAT.EXT */
static int stress_write_file(const char *dir, const char *name,
			     const char *what, const char *ext,
			     const char *data, size_t len)
{
	char path[RESULTS_PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/stress-%s-%s.%s", dir, name, what,
		     ext) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	return results_write_file(path, data, len);
}

static int stress_write_hgrm(const char *dir, const char *name,
			     const char *metric, const struct lat_hist *h)
{
	char path[RESULTS_PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/stress-%s-%s.hgrm", dir, name,
		     metric) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	return results_write_with(path, lat_hgrm_writer, h);
}

/*
 * stress-NAME-timeline.tsv: per bin of the measured span, the mappers'
 * invalidations and the worst of them; stress-NAME-events.tsv: the faults,
 * timeouts, quarantines and resets, in time order
 */
static int stress_event_cmp(const void *a, const void *b)
{
	const struct stress_event *x = a, *y = b;

	return (x->t_ns > y->t_ns) - (x->t_ns < y->t_ns);
}

static int stress_write_timeline(struct stress_run *r, const char *dir)
{
	u64 span = r->t_end_ns - r->t_measure_ns;
	unsigned int b, i, bins;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	if (r->t_end_ns <= r->t_measure_ns || !r->tl_shift)
		return 0;
	/* The measured span, and the operations that ended after it */
	bins = min_t(u64, (span >> r->tl_shift) + 1, STRESS_TIMELINE_BINS);
	for (b = bins; b < STRESS_TIMELINE_BINS; b++)
		for (i = 0; i < r->cfg->mappers; i++)
			if (r->mappers[i].tl_count[b])
				bins = b + 1;
	f = open_memstream(&buf, &len);
	if (!f)
		return -ENOMEM;
	fprintf(f, "# bin %.3f ms\nt_ms\tinvalidations\tmax_us\tviolations\n",
		(1ULL << r->tl_shift) / 1e6);
	for (b = 0; b < bins; b++) {
		u64 n = 0, worst = 0, viol = 0;

		for (i = 0; i < r->cfg->mappers; i++) {
			n += r->mappers[i].tl_count[b];
			worst = max(worst, r->mappers[i].tl_max[b]);
			viol += r->mappers[i].tl_viol[b];
		}
		fprintf(f, "%.3f\t%llu\t%.3f\t%llu\n",
			((u64)b << r->tl_shift) / 1e6, n, worst / 1e3, viol);
	}
	fclose(f);
	ret = stress_write_file(dir, r->cfg->name, "timeline", "tsv", buf, len);
	free(buf);
	if (ret)
		return ret;

	buf = NULL;
	f = open_memstream(&buf, &len);
	if (!f)
		return -ENOMEM;
	/* A stall is recorded when seen, at the time it began: sort */
	qsort(r->events, r->nevents, sizeof(r->events[0]), stress_event_cmp);
	fprintf(f, "# %llu events lost\nt_ms\tevent\tdevice\n", r->events_lost);
	for (i = 0; i < r->nevents; i++)
		fprintf(f, "%.3f\t%s\t%d\n", r->events[i].t_ns / 1e6,
			r->events[i].kind, r->events[i].dev);
	fclose(f);
	ret = stress_write_file(dir, r->cfg->name, "events", "tsv", buf, len);
	free(buf);
	return ret;
}

static void stress_json_u64(FILE *f, const char *key, u64 v)
{
	fprintf(f, "  \"%s\": %llu,\n", key, v);
}

/*
 * The SMMUs' STE caches: how many STEs they fetched, how many they could
 * have fetched torn, and the first torn one's stream and words (hex
 * strings: the old and new side of the step, and which words of the torn
 * mix were new)
 */
static void stress_json_torn(struct stress_run *r,
			     const struct sim_world_stats *st, FILE *f)
{
	struct sim_stec_torn first = { 0 };
	bool have = false;
	unsigned int i, w;

	for (i = 0; i < r->world.num_smmus && !have; i++)
		have = sim_smmu_torn_ste(r->world.hw[i], &first);
	stress_json_u64(f, "ste_fetches", st->hw.ste_fetches);
	stress_json_u64(f, "torn_stes", st->hw.torn_stes);
	if (!have) {
		fputs("  \"first_torn_ste\": null,\n", f);
		return;
	}
	fprintf(f, "  \"first_torn_ste\": {\"sid\": %u, \"old\": [", first.sid);
	for (w = 0; w < STRTAB_STE_DWORDS; w++)
		fprintf(f, "%s\"%#llx\"", w ? ", " : "", first.old[w]);
	fputs("], \"new\": [", f);
	for (w = 0; w < STRTAB_STE_DWORDS; w++)
		fprintf(f, "%s\"%#llx\"", w ? ", " : "", first.new[w]);
	fputs("], \"new_words\": [", f);
	for (w = 0; w < STRTAB_STE_DWORDS; w++)
		if (first.from_new & (1U << w))
			fprintf(f, "%s%u",
				first.from_new & ((1U << w) - 1) ? ", " : "",
				w);
	fputs("]},\n", f);
}

/* What ran: names, command, configuration, clock, seed, topology */
static int stress_json_what(struct stress_run *r, const char *cmdline,
			    const struct stress_result *res, FILE *f)
{
	const struct stress_config *cfg = r->cfg;
	char *cfgtext = NULL;
	size_t cfglen = 0;
	FILE *c;

	c = open_memstream(&cfgtext, &cfglen);
	if (!c)
		return -ENOMEM;
	stress_config_print(cfg, c);
	fclose(c);
	fprintf(f, "{\n  \"schema_version\": %d,\n  \"kind\": \"stress\",\n",
		STRESS_SCHEMA_VERSION);
	fputs("  \"name\": ", f);
	json_write_str(f, cfg->name);
	fputs(",\n  \"scenario\": ", f);
	json_write_str(f, cfg->scenario);
	fputs(",\n  \"description\": ", f);
	json_write_str(f, cfg->description);
	fputs(",\n  \"command\": ", f);
	json_write_str(f, cmdline);
	fputs(",\n  \"config\": ", f);
	json_write_str(f, cfgtext);
	free(cfgtext);
	fprintf(f, ",\n  \"clock\": \"%s\",\n", stress_clock_names[cfg->clock]);
	stress_json_u64(f, "seed", cfg->seed);
	fprintf(f, "  \"strategy\": \"%s\",\n  \"inject_bug\": \"%s\",\n",
		cfg->strategy, stress_bug_names[cfg->inject_bug]);
	fprintf(f, "  \"interrupted\": %s,\n",
		res->interrupted ? "true" : "false");
	fprintf(f, "  \"topology\": ");
	topo_json(&r->topo, cfg->pin, f);
	fputs(",\n", f);
	return 0;
}

/* Throughput, faults, the driver's reactions, the oracle's verdict */
static void stress_json_counts(struct stress_run *r,
			       const struct stress_result *res, FILE *f)
{
	const struct stress_config *cfg = r->cfg;
	u64 translations = 0, prefetches = 0, attaches = 0, refused = 0;
	u64 detaches = 0, pasid_moves = 0;
	struct sim_oracle_violation v;
	struct sim_world_stats st;
	unsigned int i;

	for (i = 0; i < cfg->translators; i++)
		translations += r->translators[i].translations;
	for (i = 0; i < cfg->mappers; i++)
		prefetches += r->mappers[i].translations;
	for (i = 0; i < cfg->churners; i++) {
		attaches += r->churners[i].attaches;
		refused += r->churners[i].refused;
		detaches += r->churners[i].detaches;
		pasid_moves += r->churners[i].pasid_moves;
	}
	sim_world_stats(&r->world, &st);
	fprintf(f, "  \"duration_s\": %.6f,\n", res->seconds);
	stress_json_u64(f, "ops", res->ops);
	fprintf(f, "  \"throughput_ops_s\": %.1f,\n", res->ops_per_s);
	if (res->cpu_seconds > 0)
		fprintf(f, "  \"sim_cpu_s\": %.6f,\n", res->cpu_seconds);
	if (res->have_load) {
		fputs("  \"machine_load\": ", f);
		load_json(f, &res->load);
		fputs(",\n", f);
	}
	fputs("  \"mapper_ops\": [", f);
	for (i = 0; i < cfg->mappers; i++)
		fprintf(f, "%s%llu", i ? ", " : "", r->mappers[i].ops);
	fputs("],\n", f);
	stress_json_u64(f, "atc_timeout_ns", cfg->atc_timeout_ns);
	stress_json_u64(f, "hw_timeout_ns", cfg->hw_timeout_ns);
	stress_json_u64(f, "timeouts", res->timeouts);
	stress_json_u64(f, "isolations", st.atc_isolations - r->isolations0);
	stress_json_u64(f, "isolation_tests",
			st.atc_isolation_tests - r->tests0);
	fprintf(f, "  \"load\": \"%s\",\n", cfg->rate ? "open" : "closed");
	stress_json_u64(f, "rate_per_mapper", cfg->rate);
	stress_json_u64(f, "stall_threshold_ns", cfg->stall_ns);
	stress_json_u64(f, "stalls", r->stalls);
	stress_json_u64(f, "software_timeouts", r->sw_timeouts);
	if (cfg->clock == STRESS_CLOCK_VCPU) {
		stress_json_u64(f, "vcpu_steps", r->vcpu_stats.steps);
		stress_json_u64(f, "vcpu_switches", r->vcpu_stats.switches);
		stress_json_u64(f, "vcpu_waits", r->vcpu_stats.waits);
	}
	stress_json_u64(f, "host_gaps", r->host_gaps);
	stress_json_u64(f, "host_gap_max_ns", r->host_gap_max_ns);
	stress_json_u64(f, "hangs", r->hangs);
	stress_json_u64(f, "hangs_host", r->hangs_host);
	stress_json_u64(f, "host_give_ups", r->host_give_ups);
	stress_json_u64(f, "host_starvations", r->runq.starvations);
	stress_json_u64(f, "host_starved_max_ns", r->runq.starved_max_ns);
	stress_json_u64(f, "stall_max_ns", r->stall_max_ns);
	stress_json_u64(f, "faults", r->faults);
	stress_json_u64(f, "quarantines", r->quarantines);
	stress_json_u64(f, "innocent_quarantines", r->innocent);
	stress_json_u64(f, "atc_invs_to_broken", r->spam);
	stress_json_u64(f, "resets", r->resets);
	stress_json_u64(f, "failed_resets", r->failed_resets);
	stress_json_u64(f, "recoveries", r->recoveries);
	stress_json_u64(f, "lifts", r->lifts);
	stress_json_u64(f, "attaches", attaches);
	stress_json_u64(f, "attaches_refused", refused);
	stress_json_u64(f, "detaches", detaches);
	stress_json_u64(f, "pasid_moves", pasid_moves);
	stress_json_u64(f, "translations", translations);
	stress_json_u64(f, "prefetches", prefetches);
	stress_json_u64(f, "smmu_commands", st.hw.cmds);
	stress_json_u64(f, "smmu_errors", st.hw.errors);
	stress_json_u64(f, "illegal_errors", st.hw.illegal);
	stress_json_u64(f, "illegal_commands", st.hw.illegal_injected);
	stress_json_u64(f, "illegal_storms", st.hw.illegal_storms);
	stress_json_u64(f, "bad_msis", st.hw.bad_msis);
	fputs("  \"smmu_commands_each\": [", f);
	for (i = 0; i < r->world.num_smmus; i++) {
		struct sim_smmu_stats each;

		sim_smmu_stats(r->world.hw[i], &each);
		fprintf(f, "%s%llu", i ? ", " : "", each.cmds);
	}
	fputs("],\n", f);
	stress_json_u64(f, "warns", res->warns);
	stress_json_torn(r, &st, f);
	stress_json_u64(f, "oracle_violations", res->violations);
	stress_json_u64(f, "oracle_violations_after_error",
			res->violations_gave_up);
	stress_json_u64(f, "oracle_violations_host", res->violations_host);
	if (sim_oracle_first(r->oracle, &v)) {
		char sid[16] = "null"; /* the SMMU's TLB */

		if (v.sid != SIM_ORACLE_NO_SID)
			snprintf(sid, sizeof(sid), "%u", v.sid);
		fprintf(f,
			"  \"first_violation\": {\"what\": \"%s%s%s\", "
			"\"sid\": %s, \"domain\": %u, \"page\": %u, "
			"\"held_gen\": %llu, \"completed_gen\": %llu, "
			"\"after_s\": %.6f},\n",
			v.what, v.after ? " after " : "",
			v.after ? v.after : "", sid, v.domain, v.page, v.held,
			v.completed,
			(v.t_ns - r->t_measure_ns + cfg->warmup_ns) / 1e9);
	} else {
		fputs("  \"first_violation\": null,\n", f);
	}
}

int stress_write(struct stress_run *r, const char *dir, const char *cmdline,
		 struct stress_result *res)
{
	const struct stress_config *cfg = r->cfg;
	char path[RESULTS_PATH_MAX];
	char *buf = NULL;
	size_t len = 0;
	unsigned int m;
	FILE *f;
	int ret;

	f = open_memstream(&buf, &len);
	if (!f)
		return -ENOMEM;
	ret = stress_json_what(r, cmdline, res, f);
	if (!ret) {
		stress_json_counts(r, res, f);
		fputs("  \"metrics\": {", f);
		for (m = 0; m < SM_NR; m++) {
			fprintf(f, "%s\n    \"%s_ns\": ", m ? "," : "",
				stress_metric_names[m]);
			lat_write_json(r->merged[m], f, true);
		}
		fputs("\n  }\n}\n", f);
		ret = ferror(f) ? -EIO : 0;
	}
	fclose(f);
	if (!ret && snprintf(path, sizeof(path), "%s/stress-%s.json", dir,
			     cfg->name) >= (int)sizeof(path))
		ret = -ENAMETOOLONG;
	if (!ret)
		ret = results_write_file(path, buf, len);
	free(buf);
	for (m = 0; m < SM_NR && !ret; m++)
		if (lat_count(r->merged[m]))
			ret = stress_write_hgrm(dir, cfg->name,
						stress_metric_names[m],
						r->merged[m]);
	if (!ret)
		ret = stress_write_timeline(r, dir);
	return ret;
}
