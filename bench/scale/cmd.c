// SPDX-License-Identifier: GPL-2.0
/*
 * scale: "atcbench scale": a workload at a list of CPU counts on the
 * virtual CPUs of <khooks/vcpu.h>, written as scale.json and scale.tsv,
 * printed as a table beside the published curve (Garry, 2020).  Needs the
 * khooks_vcpu build: atcbench hands the command to atcbench-wmm, beside it.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arm-smmu-v3/arm-smmu-v3.h>
#include <khooks/vcpu.h>
#include <sim/smmu.h>
#include <variants/cmdq-multi.h>

#include "lib/env.h"
#include "lib/json.h"
#include "lib/opt.h"
#include "lib/results.h"
#include "scale/internal.h"
#include "scale/scale.h"

#define EXIT_USAGE 2
#define SCALE_LIST_BYTES 256
#define SCALE_CMDLINE_BYTES 2048

/*
 * The published curve: map+unmap per CPU per second on a Huawei D06
 * (Kunpeng 920, 2 sockets, 96 CPUs) under the map benchmark that became
 * dma_map_benchmark, v5.9-rc1 (John Garry, 2020; issue 29)
 */
static const struct {
	unsigned int cpus;
	double mainline, atomic_add;
} scale_published[] = {
	{ 2, 453e3, 481e3 },   { 4, 409e3, 406e3 },  { 8, 295e3, 305e3 },
	{ 16, 157e3, 190e3 },  { 32, 33.6e3, 81e3 }, { 64, 9.5e3, 30e3 },
	{ 96, 5.2e3, 18.7e3 },
};

__attribute__((format(printf, 1, 2))) static int
scale_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("atcbench scale: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -EINVAL;
}

/* --cpus LIST: @field is the config */
static int scale_opt_cpus(const struct opt *o, const char *value, void *field,
			  char *err, size_t errlen)
{
	struct scale_cpus *cpus = field;
	char buf[SCALE_LIST_BYTES], *tok, *save;
	u64 v;

	if (strlen(value) >= sizeof(buf)) {
		snprintf(err, errlen, "%s: list too long", o->name);
		return -EINVAL;
	}
	strcpy(buf, value);
	cpus->num = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (cpus->num == SCALE_MAX_POINTS) {
			snprintf(err, errlen, "%s: more than %d counts",
				 o->name, SCALE_MAX_POINTS);
			return -EINVAL;
		}
		if (opt_parse_u64(tok, 1, SCALE_MAX_CPUS, &v)) {
			snprintf(err, errlen,
				 "%s: '%s' is not a CPU count in [1, %d]",
				 o->name, tok, SCALE_MAX_CPUS);
			return -EINVAL;
		}
		cpus->n[cpus->num++] = v;
	}
	if (!cpus->num) {
		snprintf(err, errlen, "%s: empty list", o->name);
		return -EINVAL;
	}
	return 0;
}

/* OPT_TEXT: the field's size; OPT_STR: no limit on the argument */
#define SO(n, t, field, lo, hi, fn, names_, a, h)                             \
	{                                                                     \
		.name = n, .type = t,                                         \
		.off = offsetof(struct scale_config, field),                  \
		.size = (t) == OPT_TEXT ?                                     \
				sizeof(((struct scale_config *)0)->field) :   \
				0,                                            \
		.min = lo, .max = hi, .parse = fn, .names = names_, .arg = a, \
		.help = h                                                     \
	}

static const struct opt scale_opts[] = {
	SO("profile", OPT_TEXT, profile, 0, 0, NULL, NULL, "NAME",
	   "the machine: kunpeng920-96, or host (this one: its layout from "
	   "hwloc, its line transfers measured)"),
	SO("cpus", OPT_FUNC, cpus, 0, 0, scale_opt_cpus, NULL, "LIST",
	   "CPU counts, one point each (default 1,2,4,8,16,32,64,96)"),
	SO("seed", OPT_U64, seed, 0, U64_MAX, NULL, NULL, "N",
	   "ties, the weakly ordered CPUs' choices"),
	SO("workload", OPT_ENUM, workload, 0, 0, NULL, scale_workload_names,
	   "W",
	   "cmdlist (issue_cmdlist: --cmds TLBIs and a CMD_SYNC), "
	   "map-unmap (--op-ns of CPU work, then a TLBI and a CMD_SYNC) or "
	   "walker (--op-ns, then the invalidation of a page on a domain of "
	   "--entries ATS masters: a TLBI, an ATC_INV each, a CMD_SYNC) or "
	   "hol (head-of-line blocking: --op-ns, then a batch; CPU 0's has "
	   "--devs ATS devices, one slow; the other CPUs' latency is "
	   "measured)"),
	SO("cmds", OPT_UINT, cmds, 1, SCALE_MAX_CMDS, NULL, NULL, "N",
	   "commands in a cmdlist"),
	SO("entries", OPT_UINT, entries, 1, SCALE_MAX_ENTRIES, NULL, NULL, "N",
	   "walker: ATS masters in the domain"),
	SO("walker", OPT_ENUM, walker, 0, 0, NULL, scale_walker_names, "D",
	   "walker: the domain's design, rcu (upstream's invalidation "
	   "array) or devlist (a device list under a spinlock)"),
	SO("op_ns", OPT_NS, op_ns, 0, SCALE_MAX_OP_NS, NULL, NULL, "D",
	   "map-unmap and walker: the map, IOVA and page tables, as CPU "
	   "time"),
	SO("warmup", OPT_NS, warmup_ns, 0, SCALE_MAX_DURATION_NS, NULL, NULL,
	   "D", "virtual time run before measuring, per point"),
	SO("duration", OPT_NS, duration_ns, 1000, SCALE_MAX_DURATION_NS, NULL,
	   NULL, "D", "virtual time measured, per point"),
	SO("cmdq_shift", OPT_UINT, cmdq_shift, SIM_SMMU_CMDQ_SHIFT_MIN, 16,
	   NULL, NULL, "N", "log2 of the command queue depth"),
	SO("cmd_ns", OPT_NS, cmd_ns, 0, SCALE_MAX_OP_NS, NULL, NULL, "D",
	   "the SMMU's time per TLBI (and CFGI)"),
	SO("atc_inv_ns", OPT_NS, atc_inv_ns, 0, SCALE_MAX_OP_NS, NULL, NULL,
	   "D", "the SMMU's time to send an ATC_INV to its device"),
	SO("sync_ns", OPT_NS, sync_ns, 0, SCALE_MAX_OP_NS, NULL, NULL, "D",
	   "the SMMU's time per CMD_SYNC"),
	SO("max_steps", OPT_U64, max_steps, SCALE_MIN_STEPS, SCALE_MAX_STEPS,
	   NULL, NULL, "N",
	   "interleaving points a point may take before it is a livelock "
	   "(no progress)"),
	SO("point_ps", OPT_U64, point_ps, 0, SCALE_MAX_POINT_PS, NULL, NULL,
	   "PS", "a point's instructions, in ps (0: the profile's)"),
	SO("lat_ns", OPT_U64, lat_ns, 0, SCALE_MAX_LAT_NS, NULL, NULL, "NS",
	   "a line's transfer within a die (0: the profile's)"),
	SO("queue", OPT_ENUM, queue, 0, 0, NULL, scale_queue_names, "Q",
	   "the command queue: lockfree (upstream's), fetch-add (space by "
	   "one atomic add) or locked (one spinlock around insertion and "
	   "the sync)"),
	SO("cmdq", OPT_ENUM, cmdq, 0, 0, NULL, scale_cmdq_names, "M",
	   "command queues per SMMU: single (upstream's), per-cpu (--queues "
	   "of them, CPU c on queue c mod --queues: CMDQV, ECMDQ) or ats "
	   "(the ATC invalidations on a queue of their own); lock-free "
	   "queue only"),
	SO("queues", OPT_UINT, queues, 0, ARM_SMMU_MQ_MAX, NULL, NULL, "N",
	   "--cmdq per-cpu: the queues (0: one per CPU)"),
	SO("devs", OPT_UINT, devs, 1, SCALE_MAX_DEVS, NULL, NULL, "N",
	   "hol: ATS devices under CPU 0's CMD_SYNC, the slow one among "
	   "them"),
	SO("slow_ns", OPT_NS, slow_ns, 0, SCALE_MAX_DEV_NS, NULL, NULL, "D",
	   "hol: when the slow device answers an ATC_INV (0: as a healthy "
	   "one, the baseline)"),
	SO("slow_timeout", OPT_FLAG, slow_timeout, 0, 0, NULL, NULL, NULL,
	   "hol: the slow device never answers: each of CPU 0's CMD_SYNCs "
	   "ends in the ATC timeout"),
	SO("dev_ns", OPT_NS, dev_ns, 0, SCALE_MAX_DEV_NS, NULL, NULL, "D",
	   "hol: when a healthy device answers an ATC_INV"),
	SO("atc_timeout_ns", OPT_NS, atc_timeout_ns, 1000, SCALE_MAX_DEV_NS,
	   NULL, NULL, "D", "hol: the SMMU's ATC invalidation timeout"),
	SO("bystander", OPT_ENUM, bystander, 0, 0, NULL, scale_bystander_names,
	   "B",
	   "hol: what the other CPUs invalidate, tlbi (a TLBI of their "
	   "ASID) or ats (and an ATC_INV to a healthy device of their own)"),
	SO("cmdq_lock", OPT_ENUM, cmdq_lock, 0, 0, NULL, scale_lock_names, "L",
	   "the cmdq lock: new (upstream's since df180b1a) or old (its "
	   "exclusive unlock resets the count)"),
	SO("rmw_home_ns", OPT_U64, rmw_home_ns, 0, SCALE_MAX_LAT_NS, NULL, NULL,
	   "NS",
	   "far atomics: an RMW's time at the line's home (0: the "
	   "profile's)"),
	SO("fit", OPT_FLAG, fit, 0, 0, NULL, NULL, NULL,
	   "map-unmap: first fit --op-ns and --lat-ns to the published 2- "
	   "and 8-CPU points"),
	SO("out", OPT_STR, out, 0, 0, NULL, NULL, "DIR",
	   "where scale.json and scale.tsv go (required)"),
};

static const unsigned int scale_default_cpus[] = { 1, 2, 4, 8, 16, 32, 64, 96 };

void scale_defaults(struct scale_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->profile, "kunpeng920-96");
	memcpy(cfg->cpus.n, scale_default_cpus, sizeof(scale_default_cpus));
	cfg->cpus.num = ARRAY_SIZE(scale_default_cpus);
	cfg->seed = 1;
	cfg->workload = SCALE_MAP_UNMAP;
	cfg->cmds = 1;
	cfg->entries = 8;
	cfg->op_ns = 976; /* the fit's (docs/decisions.md) */
	cfg->warmup_ns = 100 * 1000;
	cfg->duration_ns = 10 * 1000 * 1000;
	cfg->cmdq_shift = 10;
	cfg->cmd_ns = 20;
	cfg->atc_inv_ns = 20;
	cfg->max_steps = 100ULL * 1000 * 1000; /* a minute or so */
	cfg->sync_ns = 50;
	cfg->devs = 1;
	cfg->dev_ns = 1000;
	cfg->atc_timeout_ns = 2 * 1000 * 1000;
}

static void scale_help(FILE *f)
{
	fputs("usage: atcbench scale --out DIR [--profile NAME] [--cpus LIST]\n"
	      "                      [--seed N] [--workload W] [OPTIONS]\n"
	      "\n"
	      "Runs the workload on each count of virtual CPUs in virtual time,\n"
	      "their accesses costed by the profile's machine (sim/cost.h), and\n"
	      "writes DIR/scale.json and DIR/scale.tsv: per point, operations\n"
	      "per CPU per second (Garry's unit) and in total, latency\n"
	      "percentiles, RMWs per list on the word its space is taken on\n"
	      "(the lock-free queue's prod: cmpxchg attempts per success), time\n"
	      "lost waiting for lines, where the time goes and the longest\n"
	      "wait of each kind.  Every figure is modelled time.  The table\n"
	      "printed puts map-unmap beside the published curve.\n",
	      f);
}

/* The options of several queues and of the hol workload, together */
static int scale_check_hol(struct scale_config *cfg, bool cpus_given)
{
	unsigned int i;

	if (cfg->cmdq != SCALE_CMDQ_SINGLE &&
	    (cfg->queue != SCALE_QUEUE_LOCKFREE ||
	     cfg->workload == SCALE_WALKER))
		return scale_usage_error("--cmdq %s: the lock-free queue's, "
					 "and not with --workload walker",
					 scale_cmdq_names[cfg->cmdq]);
	if (cfg->queues && cfg->cmdq != SCALE_CMDQ_PER_CPU)
		return scale_usage_error("--queues is --cmdq per-cpu's");
	if (cfg->workload != SCALE_HOL)
		return 0;
	/* The default counts: those with a bystander */
	if (!cpus_given && cfg->cpus.n[0] == 1) {
		memmove(cfg->cpus.n, cfg->cpus.n + 1,
			--cfg->cpus.num * sizeof(cfg->cpus.n[0]));
		if (!cfg->cpus.num)
			cfg->cpus.n[cfg->cpus.num++] = 2;
	}
	for (i = 0; i < cfg->cpus.num; i++)
		if (cfg->cpus.n[i] < 2)
			return scale_usage_error("--workload hol: CPU 0 and at "
						 "least one bystander: "
						 "--cpus from 2");
	if (cfg->slow_timeout && cfg->slow_ns)
		return scale_usage_error("--slow-ns or --slow-timeout, not "
					 "both");
	if (cfg->slow_ns >= cfg->atc_timeout_ns ||
	    cfg->dev_ns >= cfg->atc_timeout_ns)
		return scale_usage_error(
			"--slow-ns and --dev-ns: below "
			"--atc-timeout-ns (%llu ns); a device "
			"that never answers in time is "
			"--slow-timeout",
			(unsigned long long)cfg->atc_timeout_ns);
	return 0;
}

static int scale_parse(int argc, char **argv, struct scale_config *cfg)
{
	const struct opt_group g = OPT_GROUP(scale_opts, cfg);
	struct sim_cost_profile p;
	bool cpus_given;
	unsigned int i;
	int npos, ret;

	scale_defaults(cfg);
	ret = opt_parse("scale", &g, 1, argc, argv, NULL, 0, &npos);
	if (ret > 0) {
		scale_help(stdout);
		fputs("\noptions (--KEY VALUE or --KEY=VALUE):\n", stdout);
		opt_help(stdout, &g, 1, true);
	}
	if (ret)
		return ret;
	cpus_given = cfg->cpus.num != ARRAY_SIZE(scale_default_cpus) ||
		     memcmp(cfg->cpus.n, scale_default_cpus,
			    sizeof(scale_default_cpus));
	ret = scale_profile(cfg, &p);
	if (ret == -ENOENT)
		return scale_usage_error("--profile: no profile '%s' (%s, %s)",
					 cfg->profile,
					 sim_cost_profiles[0].name,
					 SCALE_HOST_PROFILE);
	if (ret)
		return scale_usage_error("--profile %s: %s", cfg->profile,
					 ret == -EINVAL ?
						 "clusters, dies or packages "
						 "that differ" :
						 strerror(-ret));
	/* The default counts, on a smaller machine: those it has */
	if (!cpus_given)
		while (cfg->cpus.num > 1 && cfg->cpus.n[cfg->cpus.num - 1] >
						    sim_cost_profile_cores(&p))
			cfg->cpus.num--;
	for (i = 0; i < cfg->cpus.num; i++)
		if (cfg->cpus.n[i] > sim_cost_profile_cores(&p))
			return scale_usage_error(
				"--cpus: %u is more than %s's %u cores",
				cfg->cpus.n[i], p.name,
				sim_cost_profile_cores(&p));
	if (!cfg->out)
		return scale_usage_error("--out DIR is required");
	if (cfg->workload == SCALE_WALKER && cfg->queue != SCALE_QUEUE_LOCKFREE)
		return scale_usage_error("--workload walker runs on the "
					 "lock-free queue only");
	return scale_check_hol(cfg, cpus_given);
}

/* The published mainline and atomic-add rows at @cpus (0: none) */
static double scale_published_at(unsigned int cpus, bool atomic_add)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(scale_published); i++)
		if (scale_published[i].cpus == cpus)
			return atomic_add ? scale_published[i].atomic_add :
					    scale_published[i].mainline;
	return 0;
}

/* The share of the CPUs' time spent waiting for lines in flight */
static double scale_wait_share(const struct scale_point *pt)
{
	double cpu_ns = (double)pt->cpus * pt->virtual_ns;

	return cpu_ns ? pt->cost.line_wait_ns / cpu_ns : 0;
}

/* "time_share" and "wait_max_ns" of a point's JSON object */
static void scale_write_shares(FILE *f, const struct scale_point *pt)
{
	unsigned int k;

	fputs(",\"time_share\":{", f);
	for (k = 0; k < SCALE_NR_SHARES; k++)
		fprintf(f, "%s\"%s\":%.4f", k ? "," : "", scale_share_names[k],
			pt->share[k]);
	fputs("},\"wait_max_ns\":{", f);
	for (k = 0; k < ARM_SMMU_CMDQ_NR_WAITS; k++)
		fprintf(f, "%s\"%s\":%llu", k ? "," : "", scale_share_names[k],
			(unsigned long long)pt->wait_max_ns[k]);
	fputc('}', f);
}

/*
 * The published row a run compares with: map-unmap on the lock-free queue
 * with mainline's, on the fetch-add queue with the atomic-add one (0: none)
 */
static double scale_published_for(const struct scale_config *cfg,
				  unsigned int cpus)
{
	if (cfg->workload != SCALE_MAP_UNMAP ||
	    cfg->queue == SCALE_QUEUE_LOCKED ||
	    cfg->cmdq != SCALE_CMDQ_SINGLE ||
	    strcmp(cfg->profile, sim_cost_profiles[0].name))
		return 0;
	return scale_published_at(cpus, cfg->queue == SCALE_QUEUE_FETCH_ADD);
}

struct scale_result {
	const struct scale_config *cfg;
	const struct sim_cost_profile *prof;
	const struct scale_point *pts;
	unsigned int num;
};

static int scale_write_json(FILE *f, const void *arg)
{
	const struct scale_result *r = arg;
	const struct scale_config *cfg = r->cfg;
	unsigned int i, l;

	fprintf(f, "{\"kind\":\"scale\",\"schema_version\":1,\"profile\":");
	json_write_str(f, r->prof->name);
	fprintf(f, ",\"profile_source\":");
	json_write_str(f, r->prof->source);
	fprintf(f,
		",\"layout\":[%u,%u,%u,%u],"
		"\"point_ps\":%llu,\"transfer_ns\":[%llu,%llu,%llu,%llu],"
		"\"workload\":\"%s\",\"queue\":\"%s\","
		"\"cmdq_lock\":\"%s\",\"cmds\":%u,\"entries\":%u,"
		"\"walker\":\"%s\","
		"\"op_ns\":%llu,"
		"\"seed\":%llu,\"warmup_ns\":%llu,\"duration_ns\":%llu,"
		"\"cmdq_shift\":%u,\"cmd_ns\":%llu,\"atc_inv_ns\":%llu,"
		"\"sync_ns\":%llu,"
		"\"max_steps\":%llu,\"cmdq\":\"%s\",\"queues\":%u,",
		r->prof->cores_per_cluster, r->prof->clusters_per_die,
		r->prof->dies_per_socket, r->prof->sockets, r->prof->point_ps,
		r->prof->lat_ns[0], r->prof->lat_ns[1], r->prof->lat_ns[2],
		r->prof->lat_ns[3], scale_workload_names[cfg->workload],
		scale_queue_names[cfg->queue], scale_lock_names[cfg->cmdq_lock],
		cfg->workload == SCALE_CMDLIST ? cfg->cmds : 1,
		cfg->workload == SCALE_WALKER ? cfg->entries : 0,
		cfg->workload == SCALE_WALKER ?
			scale_walker_names[cfg->walker] :
			"none",
		cfg->op_ns, cfg->seed, cfg->warmup_ns, cfg->duration_ns,
		cfg->cmdq_shift, cfg->cmd_ns, cfg->atc_inv_ns, cfg->sync_ns,
		cfg->max_steps, scale_cmdq_names[cfg->cmdq], cfg->queues);
	if (cfg->workload == SCALE_HOL)
		fprintf(f,
			"\"devs\":%u,\"slow_ns\":%llu,\"slow_timeout\":%s,"
			"\"dev_ns\":%llu,\"atc_timeout_ns\":%llu,"
			"\"bystander\":\"%s\",",
			cfg->devs, (unsigned long long)cfg->slow_ns,
			cfg->slow_timeout ? "true" : "false",
			(unsigned long long)cfg->dev_ns,
			(unsigned long long)cfg->atc_timeout_ns,
			scale_bystander_names[cfg->bystander]);
	fputs("\"modelled\":true,\"points\":[", f);
	for (i = 0; i < r->num; i++) {
		const struct scale_point *pt = &r->pts[i];
		static const double pcts[] = { 50, 90, 99, 99.9 };

		fprintf(f,
			"%s{\"cpus\":%u,\"livelock\":%s,\"longest_ns\":%llu,"
			"\"ops\":%llu,\"ops_per_cpu_s\":%.1f,"
			"\"ops_per_s\":%.1f,\"lat_mean_ns\":%.1f,"
			"\"lat_stddev_ns\":%.1f,\"lat_ns\":{",
			i ? "," : "", pt->cpus, pt->livelock ? "true" : "false",
			pt->longest_ns, pt->ops, pt->ops_per_cpu_s,
			pt->ops_per_s, lat_mean(pt->lat), lat_stddev(pt->lat));
		for (l = 0; l < ARRAY_SIZE(pcts); l++)
			fprintf(f, "%s\"p%g\":%llu", l ? "," : "", pcts[l],
				(unsigned long long)lat_percentile(pt->lat,
								   pcts[l]));
		fprintf(f,
			"},\"lat_max_ns\":%llu,\"lists\":%llu,\"prod_rmws\":%llu,"
			"\"reserve_rmws_per_list\":%.3f,\"transfers\":%llu,"
			"\"line_wait_ns\":%llu,\"line_wait_share\":%.4f,"
			"\"kernel_errors\":%llu,\"warns\":%llu,"
			"\"steps\":%llu,\"switches\":%llu,\"waits\":%llu,"
			"\"virtual_ns\":%llu,\"wall_s\":%.3f,\"cpu_s\":%.3f,"
			"\"points_per_cpu_s\":%.0f",
			(unsigned long long)lat_max(pt->lat), pt->lists,
			pt->prod_rmws,
			pt->lists ? (double)pt->prod_rmws / pt->lists : 0,
			pt->cost.transfers, pt->cost.line_wait_ns,
			scale_wait_share(pt), pt->kernel_errors, pt->warns,
			pt->steps, pt->switches, pt->waits, pt->virtual_ns,
			pt->wall_s, pt->cpu_s,
			pt->cpu_s > 0 ? pt->steps / pt->cpu_s : 0);
		if (pt->have_load) {
			fputs(",\"machine_load\":", f);
			load_json(f, &pt->load);
		}
		scale_write_shares(f, pt);
		fprintf(f, ",\"queues\":%u", scale_num_queues(cfg, pt->cpus));
		if (cfg->workload == SCALE_HOL)
			fprintf(f,
				",\"slow_ops\":%llu,\"slow_eio\":%llu,"
				"\"bystander_eio\":%llu,\"atc_timeouts\":%llu",
				(unsigned long long)pt->slow_ops,
				(unsigned long long)pt->slow_eio,
				(unsigned long long)pt->bystander_eio,
				(unsigned long long)pt->atc_timeouts);
		if (scale_published_for(cfg, pt->cpus))
			fprintf(f,
				",\"published\":%.0f,\"published_row\":\"%s\","
				"\"model_over_published\":%.3f",
				scale_published_for(cfg, pt->cpus),
				cfg->queue == SCALE_QUEUE_FETCH_ADD ?
					"atomic-add" :
					"mainline",
				pt->ops_per_cpu_s /
					scale_published_for(cfg, pt->cpus));
		fputc('}', f);
	}
	fputs("]}\n", f);
	return ferror(f) ? -EIO : 0;
}

static int scale_write_tsv(FILE *f, const void *arg)
{
	const struct scale_result *r = arg;
	/* The published rows beside the machine they were measured on */
	bool map_unmap = r->cfg->workload == SCALE_MAP_UNMAP &&
			 !strcmp(r->cfg->profile, sim_cost_profiles[0].name);
	unsigned int i, k;

	fputs("# cpus\tops_per_cpu_s\tops_per_s\tp50_ns\tp99_ns\t"
	      "reserve_rmws_per_list\tline_wait_share\tpublished_mainline\t"
	      "published_atomic_add",
	      f);
	for (k = 0; k < SCALE_NR_SHARES; k++)
		fprintf(f, "\tshare_%s", scale_share_names[k]);
	for (k = 0; k < ARM_SMMU_CMDQ_NR_WAITS; k++)
		fprintf(f, "\twait_max_%s_ns", scale_share_names[k]);
	fputc('\n', f);
	for (i = 0; i < r->num; i++) {
		const struct scale_point *pt = &r->pts[i];

		fprintf(f, "%u\t%.1f\t%.1f\t%llu\t%llu\t%.3f\t%.4f\t%.0f\t%.0f",
			pt->cpus, pt->ops_per_cpu_s, pt->ops_per_s,
			(unsigned long long)lat_percentile(pt->lat, 50),
			(unsigned long long)lat_percentile(pt->lat, 99),
			pt->lists ? (double)pt->prod_rmws / pt->lists : 0,
			scale_wait_share(pt),
			map_unmap ? scale_published_at(pt->cpus, false) : 0,
			map_unmap ? scale_published_at(pt->cpus, true) : 0);
		for (k = 0; k < SCALE_NR_SHARES; k++)
			fprintf(f, "\t%.4f", pt->share[k]);
		for (k = 0; k < ARM_SMMU_CMDQ_NR_WAITS; k++)
			fprintf(f, "\t%llu",
				(unsigned long long)pt->wait_max_ns[k]);
		fputc('\n', f);
	}
	return ferror(f) ? -EIO : 0;
}

/* Where the time goes, and the longest of each wait, per point */
static void scale_print_shares(const struct scale_point *pts, unsigned int n)
{
	unsigned int i, k;

	printf("\nwhere the time goes (%% of the CPUs' measured time), and the "
	       "longest wait (us):\n%5s",
	       "cpus");
	for (k = 0; k < SCALE_NR_SHARES; k++)
		printf(" %6s", scale_share_names[k]);
	for (k = 0; k < ARM_SMMU_CMDQ_NR_WAITS; k++)
		printf(" %9s", scale_share_names[k]);
	putchar('\n');
	for (i = 0; i < n; i++) {
		printf("%5u", pts[i].cpus);
		for (k = 0; k < SCALE_NR_SHARES; k++)
			if (pts[i].livelock)
				printf(" %6s", "-");
			else
				printf(" %6.1f", 100 * pts[i].share[k]);
		for (k = 0; k < ARM_SMMU_CMDQ_NR_WAITS; k++)
			printf(" %9.1f", pts[i].wait_max_ns[k] / 1e3);
		printf("%s\n", pts[i].livelock ? "  (no progress: waits "
						 "under way)" :
						 "");
	}
}

/* Fit targets: the published mainline at 2 and 8 CPUs */
#define SCALE_FIT_LO_CPUS 2
#define SCALE_FIT_HI_CPUS 8
#define SCALE_FIT_STEPS 16
#define SCALE_FIT_MAX_LAT_NS 2000

/* ops per CPU second of @cfg on @cpus (a failed point: -1) */
static double scale_fit_eval(const struct scale_config *cfg, unsigned int cpus)
{
	struct scale_point pt;
	double v;

	if (scale_run_point(cfg, cpus, &pt))
		return -1;
	v = pt.ops_per_cpu_s;
	lat_destroy(pt.lat);
	return v;
}

/*
 * The op time that puts @cfg's 2-CPU point on the published one (it falls
 * as op_ns grows): a bisection
 */
static int scale_fit_op(struct scale_config *cfg)
{
	double want = scale_published_at(SCALE_FIT_LO_CPUS, false), v;
	u64 lo = 0, hi = 2 * NSEC_PER_SEC / (u64)want;
	unsigned int i;

	for (i = 0; i < SCALE_FIT_STEPS && hi - lo > 1; i++) {
		cfg->op_ns = (lo + hi) / 2;
		v = scale_fit_eval(cfg, SCALE_FIT_LO_CPUS);
		if (v < 0)
			return -EIO;
		if (v > want)
			lo = cfg->op_ns;
		else
			hi = cfg->op_ns;
	}
	cfg->op_ns = (lo + hi) / 2;
	return 0;
}

/*
 * Fit the two parameters: for each transfer latency tried (a bisection on
 * the 8-CPU point, which falls as it grows), the op time that matches the
 * 2-CPU point
 */
static int scale_fit(struct scale_config *cfg)
{
	double want = scale_published_at(SCALE_FIT_HI_CPUS, false), v;
	u64 lo = 1, hi = SCALE_FIT_MAX_LAT_NS;
	unsigned int i;
	int ret;

	for (i = 0; i < SCALE_FIT_STEPS && hi - lo > 1; i++) {
		cfg->lat_ns = (lo + hi) / 2;
		ret = scale_fit_op(cfg);
		if (ret)
			return ret;
		v = scale_fit_eval(cfg, SCALE_FIT_HI_CPUS);
		if (v < 0)
			return -EIO;
		if (v > want)
			lo = cfg->lat_ns;
		else
			hi = cfg->lat_ns;
	}
	/* The last latency tried may not be the closest: the bracket's mid */
	cfg->lat_ns = (lo + hi) / 2;
	ret = scale_fit_op(cfg);
	if (ret)
		return ret;
	printf("fit: op_ns %llu, lat_ns %llu (a transfer within a die): "
	       "%u CPUs %.0f/%.0f, %u CPUs %.0f/%.0f ops per CPU s "
	       "(model/published)\n",
	       (unsigned long long)cfg->op_ns, (unsigned long long)cfg->lat_ns,
	       SCALE_FIT_LO_CPUS, scale_fit_eval(cfg, SCALE_FIT_LO_CPUS),
	       scale_published_at(SCALE_FIT_LO_CPUS, false), SCALE_FIT_HI_CPUS,
	       scale_fit_eval(cfg, SCALE_FIT_HI_CPUS), want);
	return 0;
}

int scale_cmd(int argc, char **argv)
{
	struct scale_point pts[SCALE_MAX_POINTS];
	struct sim_cost_profile prof;
	struct scale_config cfg;
	struct scale_result r;
	char path[RESULTS_PATH_MAX];
	char cmdline[SCALE_CMDLINE_BYTES] = "";
	unsigned int i, done = 0;
	bool failed = false;
	double pub;
	int ret;

	if (!khooks_vcpu_supported()) {
		env_exec_wmm("scale", argc, argv);
		return EXIT_USAGE;
	}
	ret = scale_parse(argc, argv, &cfg);
	if (ret)
		return ret > 0 ? 0 : EXIT_USAGE;
	if (cfg.fit) {
		if (cfg.workload != SCALE_MAP_UNMAP ||
		    cfg.queue != SCALE_QUEUE_LOCKFREE ||
		    cfg.cmdq != SCALE_CMDQ_SINGLE ||
		    strcmp(cfg.profile, sim_cost_profiles[0].name)) {
			scale_usage_error("--fit fits map-unmap on the "
					  "lock-free queue and %s only",
					  sim_cost_profiles[0].name);
			return EXIT_USAGE;
		}
		ret = scale_fit(&cfg);
		if (ret) {
			fprintf(stderr, "atcbench scale: fit: %s\n",
				strerror(-ret));
			return EXIT_FAILURE;
		}
	}
	scale_profile(&cfg, &prof);
	env_cmdline(cmdline, sizeof(cmdline), argc, argv);
	ret = results_mkdir(cfg.out);
	if (!ret)
		ret = env_write(cfg.out, cmdline, "vcpu", cfg.seed);
	if (ret) {
		fprintf(stderr, "atcbench scale: %s: %s\n", cfg.out,
			strerror(-ret));
		return EXIT_FAILURE;
	}
	printf("atcbench scale: %s, %s, %s queue, seed %llu (modelled time)\n",
	       prof.name, scale_workload_names[cfg.workload],
	       scale_queue_names[cfg.queue], (unsigned long long)cfg.seed);
	printf("%5s %14s %14s %10s %10s %9s %9s %9s %8s\n", "cpus", "ops/cpu/s",
	       "ops/s", "p50", "p99", "rmw/list", "published", "model/pub",
	       "wall_s");
	for (i = 0; i < cfg.cpus.num; i++) {
		struct scale_point *pt = &pts[i];

		ret = scale_run_point(&cfg, cfg.cpus.n[i], pt);
		if (ret == -EDEADLK) {
			/* A finding, not the tool's failure: the next point */
			printf("%5u no progress in %llu points: an operation "
			       "under way for %llu ns (a livelock or a "
			       "starvation)\n",
			       pt->cpus, (unsigned long long)pt->steps,
			       (unsigned long long)pt->longest_ns);
			done++;
			failed = true;
			ret = 0;
			continue;
		}
		if (ret) {
			fprintf(stderr, "atcbench scale: %u CPUs: %s\n",
				cfg.cpus.n[i], strerror(-ret));
			lat_destroy(pt->lat); /* NULL if never made */
			break;
		}
		done++;
		pub = scale_published_for(&cfg, pt->cpus);
		printf("%5u %14.0f %14.0f %10llu %10llu %9.2f %9.0f %9.2f "
		       "%8.2f\n",
		       pt->cpus, pt->ops_per_cpu_s, pt->ops_per_s,
		       (unsigned long long)lat_percentile(pt->lat, 50),
		       (unsigned long long)lat_percentile(pt->lat, 99),
		       pt->lists ? (double)pt->prod_rmws / pt->lists : 0, pub,
		       pub ? pt->ops_per_cpu_s / pub : 0, pt->wall_s);
		fflush(stdout);
	}
	for (i = 0; i < done; i++) {
		const struct scale_point *pt = &pts[i];
		const char *why = scale_point_failure(&cfg, pt);

		if (cfg.workload == SCALE_HOL && !pt->livelock)
			printf("%5u CPUs: CPU 0 (the slow device's) %llu "
			       "operations, %llu ATC timeouts, %llu -EIO to "
			       "CPU 0, %llu to bystanders\n",
			       pt->cpus, (unsigned long long)pt->slow_ops,
			       (unsigned long long)pt->atc_timeouts,
			       (unsigned long long)pt->slow_eio,
			       (unsigned long long)pt->bystander_eio);
		if (!why)
			continue;
		fprintf(stderr,
			"atcbench scale: FAILED: %u CPUs: %s (%llu errors, "
			"%llu WARNs, %llu ATC timeouts)\n",
			pt->cpus, why, (unsigned long long)pt->kernel_errors,
			(unsigned long long)pt->warns,
			(unsigned long long)pt->atc_timeouts);
		failed = true;
	}
	scale_print_shares(pts, done);
	/* As dma_map_benchmark prints its averages (one map+unmap here) */
	printf("\nas dma_map_benchmark prints it (modelled; one operation "
	       "each):\n");
	for (i = 0; i < done; i++)
		if (!pts[i].livelock)
			printf("%5u CPUs: average %s latency(us):%.1f standard "
			       "deviation:%.1f\n",
			       pts[i].cpus,
			       cfg.workload == SCALE_CMDLIST ?
				       "cmdlist" :
			       cfg.workload == SCALE_HOL ?
				       "bystander map+unmap" :
				       "map+unmap",
			       lat_mean(pts[i].lat) / 1e3,
			       lat_stddev(pts[i].lat) / 1e3);
	r = (struct scale_result){
		.cfg = &cfg, .prof = &prof, .pts = pts, .num = done
	};
	snprintf(path, sizeof(path), "%s/scale.json", cfg.out);
	if (!ret)
		ret = results_write_with(path, scale_write_json, &r);
	snprintf(path, sizeof(path), "%s/scale.tsv", cfg.out);
	if (!ret)
		ret = results_write_with(path, scale_write_tsv, &r);
	if (ret && done == cfg.cpus.num)
		fprintf(stderr, "atcbench scale: cannot write to %s: %s\n",
			cfg.out, strerror(-ret));
	if (!ret) {
		ret = results_plot(cfg.out);
		if (ret)
			fprintf(stderr,
				"atcbench scale: %s/scripts/plot.sh %s "
				"failed\n",
				ATCBENCH_SOURCE_DIR, cfg.out);
	}
	for (i = 0; i < done; i++)
		lat_destroy(pts[i].lat);
	return ret || failed ? EXIT_FAILURE : 0;
}
