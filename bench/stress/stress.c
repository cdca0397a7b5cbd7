// SPDX-License-Identifier: GPL-2.0
/* stress: the stress engine and "atcbench stress" (see stress.h) */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/bug.h>
#include <linux/iommu.h>
#include <linux/pci.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>
#include <arm-smmu-v3/arm-smmu-v3.h>
#include <sim/clock.h>
#include <sim/oracle.h>
#include <sim/rng.h>
#include <sim/smmu.h>
#include <trace/events/arm_smmu_v3.h>

#include "lib/env.h"
#include "lib/json.h"
#include "lib/lat.h"
#include "lib/results.h"
#include "lib/topo.h"
#include "lib/units.h"
#include "stress/stress.h"

#define EXIT_USAGE 2
#define STRESS_PAGE_SHIFT 12
#define STRESS_TICK_NS 1000000ULL /* the fault driver's period */
#define STRESS_TRANSLATE_BURST 16
/* Timeline bins: 2^shift ns (2^20: about 1 ms at least), 1024 at most */
#define STRESS_TIMELINE_BINS 1024
#define STRESS_TIMELINE_MIN_SHIFT 20
#define STRESS_MAX_EVENTS 4096
#define STRESS_MAX_RATE 1000000000ULL /* operations per second per mapper */
#define STRESS_MIN_STALL_NS 1000000ULL
#define STRESS_VIRTUAL_STEP_NS \
	200 /* virtual time a step without commands takes */

/* Configuration keys */

enum stress_key_type { SK_UINT, SK_U64, SK_NS, SK_BOOL, SK_ENUM, SK_STR };

struct stress_key {
	const char *name;
	enum stress_key_type type;
	size_t off, size;
	u64 min, max;
	const char *const *names; /* SK_ENUM, NULL-terminated */
	const char *help;
};

static const char *const stress_clock_names[] = { "real", "virtual", NULL };
static const char *const stress_fault_names[] = {
	"none", "timeout", "reset", "dpc", "smmu-stall", NULL,
};
static const char *const stress_bug_names[] = { "none",
						"install-invs-after-ste",
						"lift-on-failed-reset",
						"ste-rmw-race", NULL };
static const char *const stress_quarantine_names[] = { "flag", "inv-type",
						       NULL };
static const char *const stress_tristate_names[] = { "auto", "on", "off",
						     NULL };

#define SK(n, t, field, lo, hi, en, h)                                         \
	{                                                                      \
		.name = n, .type = t,                                          \
		.off = offsetof(struct stress_config, field),                  \
		.size = sizeof(((struct stress_config *)0)->field), .min = lo, \
		.max = hi, .names = en, .help = h                              \
	}

static const struct stress_key stress_keys[] = {
	SK("description", SK_STR, description, 0, 0, NULL,
	   "what the scenario does (text)"),
	SK("duration", SK_NS, duration_ns, 1000000, STRESS_MAX_DURATION_NS,
	   NULL, "measured time, after the warm-up"),
	SK("warmup", SK_NS, warmup_ns, 0, 3600ULL * 1000000000ULL, NULL,
	   "time run before measuring"),
	SK("ops", SK_U64, ops, 0, STRESS_MAX_OPS, NULL,
	   "stop each mapper after this many measured operations (0: by "
	   "duration)"),
	SK("seed", SK_U64, seed, 0, U64_MAX, NULL,
	   "seed of every random choice"),
	SK("mappers", SK_UINT, mappers, 1, STRESS_MAX_MAPPERS, NULL,
	   "mapper threads (unmap, invalidate, map)"),
	SK("translators", SK_UINT, translators, 0, STRESS_MAX_TRANSLATORS, NULL,
	   "threads issuing translation requests (filling ATCs)"),
	SK("churners", SK_UINT, churners, 0, STRESS_MAX_CHURNERS, NULL,
	   "threads moving devices between domains"),
	SK("domains", SK_UINT, domains, 1, STRESS_MAX_DOMAINS, NULL,
	   "stage-1 domains"),
	SK("devices", SK_UINT, devices, 1, STRESS_MAX_DEVICES, NULL,
	   "ATS devices per domain (one SID each)"),
	SK("pages", SK_UINT, pages, 1, STRESS_MAX_PAGES, NULL,
	   "4 KiB pages of IOVA each mapper owns"),
	SK("op_pages", SK_UINT, op_pages, 1, STRESS_MAX_OP_PAGES, NULL,
	   "pages unmapped and invalidated per operation"),
	SK("pin", SK_STR, pin, 0, 0, NULL,
	   "compact, spread, per-node or a CPU list (0,2-3)"),
	SK("clock", SK_ENUM, clock, 0, 0, stress_clock_names,
	   "real (threads) or virtual (one thread, deterministic)"),
	SK("strategy", SK_STR, strategy, 0, 0, NULL,
	   "isolation strategy: linear, bisect, bisect-infer, adaptive, "
	   "whole-batch"),
	SK("quarantine", SK_ENUM, quarantine, 0, 0, stress_quarantine_names,
	   "flag (ats_broken) or inv-type (INV_TYPE_ATS_BROKEN entries)"),
	SK("atc_timeout", SK_NS, atc_timeout_ns, 1000, STRESS_MAX_LATENCY_NS,
	   NULL, "the SMMU's ATC invalidation timeout, as simulated"),
	SK("hw_timeout", SK_NS, hw_timeout_ns, 1000, 600ULL * 1000000000ULL,
	   NULL, "the hardware timeout atc_timeout stands for (reported)"),
	SK("dev_latency", SK_NS, dev_latency_ns, 0, STRESS_MAX_LATENCY_NS, NULL,
	   "a device's answer to an ATC_INV"),
	SK("cmd_latency", SK_NS, cmd_ns, 0, STRESS_MAX_LATENCY_NS, NULL,
	   "the SMMU's time per TLBI/CFGI command"),
	SK("atc_inv_latency", SK_NS, atc_inv_ns, 0, STRESS_MAX_LATENCY_NS, NULL,
	   "the SMMU's time to send an ATC_INV"),
	SK("sync_latency", SK_NS, sync_ns, 0, STRESS_MAX_LATENCY_NS, NULL,
	   "the SMMU's time to complete a CMD_SYNC"),
	SK("cmdq_shift", SK_UINT, cmdq_shift, SIM_SMMU_CMDQ_SHIFT_MIN,
	   SIM_SMMU_CMDQ_SHIFT_MAX, NULL, "log2 of the command queue depth"),
	SK("fault", SK_ENUM, fault, 0, 0, stress_fault_names,
	   "none, timeout (device stops answering), reset, dpc, smmu-stall "
	   "(the SMMU consumes no command)"),
	SK("fault_interval", SK_NS, fault_interval_ns, 1000000,
	   STRESS_MAX_DURATION_NS, NULL, "time between two faults"),
	SK("fault_duration", SK_NS, fault_duration_ns, 100000,
	   STRESS_MAX_DURATION_NS, NULL,
	   "how long a fault lasts before recovery"),
	SK("reset_prepare", SK_BOOL, reset_prepare, 0, 1, NULL,
	   "resets go through pci_dev_reset_iommu_prepare/done"),
	SK("reset_fail", SK_UINT, reset_fail_pct, 0, 100, NULL,
	   "percentage of resets that fail"),
	SK("churn_interval", SK_NS, churn_interval_ns, 0, STRESS_MAX_LATENCY_NS,
	   NULL, "pause between two attaches of a churner"),
	SK("translate_interval", SK_NS, translate_interval_ns, 0,
	   STRESS_MAX_LATENCY_NS, NULL,
	   "pause after each burst of translation requests"),
	SK("cmdq_detail", SK_BOOL, cmdq_detail, 0, 1, NULL,
	   "also time each command list's insertion and CMD_SYNC wait (4 "
	   "clock reads and 2 records more per operation)"),
	SK("rate", SK_U64, rate, 0, STRESS_MAX_RATE, NULL,
	   "open loop: operations per second per mapper, latency from each "
	   "one's intended start (0: closed loop)"),
	SK("stall", SK_NS, stall_ns, STRESS_MIN_STALL_NS,
	   3600ULL * 1000000000ULL, NULL,
	   "a mapper without a completion for this long is stalled (an "
	   "event)"),
	SK("hist_digits", SK_UINT, hist_digits, LAT_MIN_DIGITS, LAT_MAX_DIGITS,
	   NULL, "significant digits of the latency histograms"),
	SK("inject_bug", SK_ENUM, inject_bug, 0, 0, stress_bug_names,
	   "none, install-invs-after-ste, lift-on-failed-reset, ste-rmw-race"),
	SK("progress", SK_ENUM, progress, 0, 0, stress_tristate_names,
	   "progress line on stderr: auto (if a terminal), on, off"),
	SK("smmu_thread", SK_ENUM, smmu_thread, 0, 0, stress_tristate_names,
	   "SMMU consumer thread: auto (if a CPU is spare), on, off"),
};

const struct stress_scenario stress_scenarios[] = {
	{ "baseline", "no faults: the invalidation hot path under load",
	  "description = no faults: mappers invalidate, translators fill "
	  "ATCs\n" },
	{ "churn", "heavy attach/detach while mappers invalidate",
	  "description = a churner moves devices between domains back to "
	  "back\n"
	  "churners = 1\n"
	  "domains = 3\n" },
	{ "timeout-storm", "one device after another stops answering",
	  "description = every 400 ms one device of a domain stops answering "
	  "ATC_INVs for 200 ms, then is reset\n"
	  "fault = timeout\n"
	  "fault_interval = 400ms\n"
	  "fault_duration = 200ms\n" },
	{ "reset-race", "device resets during invalidations",
	  "description = every 200 ms a device is reset (prepare/done); a "
	  "quarter of the resets fail\n"
	  "fault = reset\n"
	  "fault_interval = 200ms\n"
	  "fault_duration = 50ms\n"
	  "reset_prepare = true\n"
	  "reset_fail = 25\n" },
	{ "dpc", "surprise resets (DPC): no prepare, invalidations time out",
	  "description = every 400 ms a device's link goes down for 100 ms "
	  "(DPC), then the error recovery resets it\n"
	  "fault = dpc\n"
	  "fault_interval = 400ms\n"
	  "fault_duration = 100ms\n" },
	{}
};

static void stress_config_defaults(struct stress_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->duration_ns = 10ULL * 1000000000ULL;
	cfg->warmup_ns = 500ULL * 1000000ULL;
	cfg->seed = 1;
	cfg->mappers = 2;
	cfg->translators = 1;
	cfg->domains = 2;
	cfg->devices = 4;
	cfg->pages = 256;
	cfg->op_pages = 1;
	strcpy(cfg->pin, "compact");
	strcpy(cfg->strategy, "adaptive");
	cfg->atc_timeout_ns = SIM_SMMU_ATC_TIMEOUT_DEFAULT_NS;
	cfg->hw_timeout_ns = 50ULL * 1000000ULL;
	cfg->dev_latency_ns = 500;
	cfg->cmd_ns = 20;
	cfg->atc_inv_ns = 20;
	cfg->sync_ns = 50;
	cfg->cmdq_shift = 8;
	cfg->fault_interval_ns = 1000000000ULL;
	cfg->fault_duration_ns = 100000000ULL;
	cfg->reset_prepare = true;
	cfg->translate_interval_ns = 20000;
	cfg->stall_ns = 100ULL * 1000000ULL;
	cfg->hist_digits = LAT_DEFAULT_DIGITS;
}

int stress_config_builtin(const char *name, struct stress_config *cfg)
{
	const struct stress_scenario *s;
	char err[256];

	stress_config_defaults(cfg);
	for (s = stress_scenarios; s->name; s++) {
		if (strcmp(s->name, name))
			continue;
		snprintf(cfg->name, sizeof(cfg->name), "%s", name);
		snprintf(cfg->scenario, sizeof(cfg->scenario), "%s", name);
		return stress_config_apply(cfg, s->text, name, err,
					   sizeof(err));
	}
	return -ENOENT;
}

static int stress_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const struct stress_key *stress_key_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(stress_keys); i++)
		if (!strcmp(stress_keys[i].name, name))
			return &stress_keys[i];
	return NULL;
}

int stress_config_set(struct stress_config *cfg, const char *key,
		      const char *value, char *err, size_t errlen)
{
	const struct stress_key *k = stress_key_find(key);
	char *field = (char *)cfg, *end;
	unsigned int i;
	u64 v = 0;

	if (!k)
		return stress_err(err, errlen, "unknown key '%s'", key);
	field += k->off;
	switch (k->type) {
	case SK_STR:
		if (strlen(value) >= k->size)
			return stress_err(err, errlen,
					  "%s: longer than %zu characters", key,
					  k->size - 1);
		strcpy(field, value);
		return 0;
	case SK_ENUM:
		for (i = 0; k->names[i]; i++) {
			if (!strcmp(k->names[i], value)) {
				*(unsigned int *)field = i;
				return 0;
			}
		}
		return stress_err(err, errlen, "%s: '%s' is not one of: %s",
				  key, value, k->help);
	case SK_BOOL:
		if (!strcmp(value, "true") || !strcmp(value, "1") ||
		    !strcmp(value, "yes"))
			*(bool *)field = true;
		else if (!strcmp(value, "false") || !strcmp(value, "0") ||
			 !strcmp(value, "no"))
			*(bool *)field = false;
		else
			return stress_err(err, errlen,
					  "%s: '%s' is not true or false", key,
					  value);
		return 0;
	case SK_NS:
		if (units_parse_ns(value, &v))
			return stress_err(err, errlen,
					  "%s: '%s' is not a duration (a "
					  "number with ns, us, ms or s)",
					  key, value);
		break;
	case SK_UINT:
	case SK_U64:
		errno = 0;
		v = strtoull(value, &end, 0);
		if (!*value || *end || errno || *value == '-')
			return stress_err(err, errlen,
					  "%s: '%s' is not a number", key,
					  value);
		break;
	}
	if (v < k->min || v > k->max)
		return stress_err(err, errlen,
				  "%s: %s is out of range [%llu, %llu]%s", key,
				  value, k->min, k->max,
				  k->type == SK_NS ? " ns" : "");
	if (k->type == SK_UINT)
		*(unsigned int *)field = v;
	else
		*(u64 *)field = v;
	return 0;
}

static char *stress_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
			 e[-1] == '\n'))
		*--e = '\0';
	return s;
}

int stress_config_apply(struct stress_config *cfg, const char *text,
			const char *src, char *err, size_t errlen)
{
	unsigned int lineno = 0;
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[STRESS_MAX_LINE], reason[256];
		char *l, *eq, *hash;

		lineno++;
		if (len >= sizeof(line))
			return stress_err(err, errlen,
					  "%s:%u: line longer than %d bytes",
					  src, lineno, STRESS_MAX_LINE - 1);
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (nl ? 1 : 0);
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		l = stress_trim(line);
		if (!*l)
			continue;
		eq = strchr(l, '=');
		if (!eq)
			return stress_err(err, errlen,
					  "%s:%u: expected 'key = value'", src,
					  lineno);
		*eq = '\0';
		if (stress_config_set(cfg, stress_trim(l), stress_trim(eq + 1),
				      reason, sizeof(reason)))
			return stress_err(err, errlen, "%s:%u: %s", src, lineno,
					  reason);
	}
	return 0;
}

int stress_config_check(const struct stress_config *cfg, char *err,
			size_t errlen)
{
	unsigned int slices = (cfg->mappers + cfg->domains - 1) / cfg->domains;

	if (cfg->op_pages > cfg->pages)
		return stress_err(err, errlen,
				  "op_pages (%u) is larger than pages (%u)",
				  cfg->op_pages, cfg->pages);
	if ((u64)slices * cfg->pages > SIM_ORACLE_MAX_PAGES)
		return stress_err(err, errlen,
				  "mappers per domain x pages is above %u",
				  SIM_ORACLE_MAX_PAGES);
	if (!arm_smmu_atc_isolate_ops_find(cfg->strategy))
		return stress_err(err, errlen,
				  "strategy: '%s' is not one of: linear, "
				  "bisect, bisect-infer, adaptive, whole-batch",
				  cfg->strategy);
	if (cfg->fault != STRESS_FAULT_NONE &&
	    cfg->fault_duration_ns >= cfg->fault_interval_ns)
		return stress_err(err, errlen,
				  "fault_duration must be shorter than "
				  "fault_interval");
	if (cfg->clock == STRESS_CLOCK_VIRTUAL && cfg->ops == 0 &&
	    cfg->duration_ns > 600ULL * 1000000000ULL)
		return stress_err(err, errlen,
				  "virtual runs are limited to 600 s of "
				  "simulated time");
	return 0;
}

void stress_config_print(const struct stress_config *cfg, FILE *f)
{
	const char *base = (const char *)cfg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(stress_keys); i++) {
		const struct stress_key *k = &stress_keys[i];
		const void *field = base + k->off;

		fprintf(f, "%s = ", k->name);
		switch (k->type) {
		case SK_STR:
			fputs(field, f);
			break;
		case SK_ENUM:
			fputs(k->names[*(const unsigned int *)field], f);
			break;
		case SK_BOOL:
			fputs(*(const bool *)field ? "true" : "false", f);
			break;
		case SK_UINT:
			fprintf(f, "%u", *(const unsigned int *)field);
			break;
		case SK_U64:
			fprintf(f, "%llu", *(const u64 *)field);
			break;
		case SK_NS:
			fprintf(f, "%lluns", *(const u64 *)field);
			break;
		}
		fputc('\n', f);
	}
}

/* The simulated world */

enum stress_metric {
	SM_INV, /* end-to-end arm_smmu_domain_inv_range() */
	SM_INSERT, /* command-queue insertion */
	SM_SYNC, /* CMD_SYNC wait */
	SM_BYSTANDER, /* invalidations of unaffected domains during a fault */
	SM_ISOLATION, /* isolation episodes */
	SM_TTQ, /* fault onset to quarantine */
	SM_NR,
};

static const char *const stress_metric_names[SM_NR] = {
	[SM_INV] = "inv",
	[SM_INSERT] = "cmdq_insert",
	[SM_SYNC] = "cmdq_sync",
	[SM_BYSTANDER] = "bystander_inv",
	[SM_ISOLATION] = "isolation",
	[SM_TTQ] = "time_to_quarantine",
};

struct stress_run;

struct stress_dev {
	struct pci_dev pdev;
	char name[24];
	struct sim_dev sdev;
	struct arm_smmu_master *master;
	unsigned int domain; /* index of its domain */
	u64 fault_onset_ns; /* 0: no fault under way */
	u64 invs_at_quarantine;
	bool quarantined; /* seen by the probe, until lifted */
};

struct stress_thread {
	struct stress_run *run;
	pthread_t tid;
	struct topo_slot slot;
	u64 rng;
	struct lat_hist *hist[SM_NR]; /* SM_INV .. SM_ISOLATION */
	u64 ops; /* measured; read by the progress line (relaxed) */
	u64 *progress; /* a coarse histogram of SM_INV, for the progress line */
	u64 translations, attaches, refused;
	/* Mappers: per timeline bin, invalidations and their worst latency */
	u64 *tl_count, *tl_max;
	/* Mapper state */
	unsigned int domain, first_page, next;
	u64 next_start_ns; /* open loop: the next operation's intended start */
	u64 cmdq_t0, cmdq_t1; /* cmdq_detail: the current list's times */
	/*
	 * The watchdog's view: @last_done_ns is written by the mapper
	 * (release) at each completion, U64_MAX once it is done; @stalled is
	 * set by whoever reports the stall first (the driver while it lasts,
	 * else the mapper when it ends) and cleared by the mapper
	 */
	u64 last_done_ns;
	bool stalled;
};

/* A fault-driver or driver event, for the timeline */
struct stress_event {
	u64 t_ns; /* since the measurement began */
	/* fault, timeout, quarantine, reset, failed-reset, stall */
	const char *kind;
	int dev; /* device index (stall: mapper index), or -1 */
};

struct stress_run {
	const struct stress_config *cfg;
	struct topo topo;
	struct arm_smmu_device smmu;
	struct sim_smmu *hw;
	struct arm_smmu_domain **dom;
	struct stress_dev *devs;
	struct sim_dev **sdevs;
	unsigned int ndevs, pages_per_domain;
	struct sim_oracle *oracle;
	struct stress_thread *mappers, *translators, *churners;
	struct lat_hist *prog_layout; /* index layout of the progress hists */

	bool stop, measuring;
	bool progress; /* a progress line is shown: mappers count for it */
	double cpu_seconds; /* virtual time: CPU time of the measured span */
	u64 t_measure_ns, t_end_ns;
	unsigned int mappers_done;

	/* Shared metrics, under @lock */
	pthread_mutex_t lock;
	/*
	 * The run's histograms: the mappers' are merged in at the end; the
	 * probes record SM_TTQ and off-mapper SM_ISOLATION here directly
	 */
	struct lat_hist *merged[SM_NR];
	u64 quarantines, innocent, spam, faults, resets, failed_resets;
	u64 recoveries, lifts;
	u64 stalls, stall_max_ns; /* stall_max_ns: the longest gap, any */
	bool smmu_stalled; /* a smmu-stall fault is under way */
	int victim; /* device index of the fault under way, or -1 */
	u64 fault_end_ns, next_fault_ns;
	u64 timeouts0, isolations0, tests0, warns0;
	u64 fault_rng; /* the fault driver's choices */
	unsigned int tl_shift; /* a bin is 2^tl_shift ns: no division */
	struct stress_event events[STRESS_MAX_EVENTS];
	unsigned int nevents;
	u64 events_lost;
};

static struct stress_run *stress_cur; /* for the probes */
static __thread struct stress_thread *stress_self;
/* Set by the signal handler: a lock-free atomic store is signal-safe */
static int stress_sigint;

static bool stress_stopping(struct stress_run *r)
{
	/* The driver sets it at the end, on Ctrl-C or on an error */
	return __atomic_load_n(&r->stop, __ATOMIC_ACQUIRE);
}

static bool stress_measuring(struct stress_run *r)
{
	return __atomic_load_n(&r->measuring, __ATOMIC_ACQUIRE);
}

static void stress_sleep_ns(struct stress_run *r, u64 ns)
{
	struct timespec ts = { .tv_sec = ns / 1000000000ULL,
			       .tv_nsec = ns % 1000000000ULL };

	if (!ns)
		return;
	if (r->cfg->clock == STRESS_CLOCK_VIRTUAL)
		sim_clock_delay_ns(ns);
	else
		nanosleep(&ts, NULL);
}

/* Record an event at @now (under r->lock), in the measured span */
static void stress_event_at_locked(struct stress_run *r, u64 now,
				   const char *kind, int dev)
{
	if (!stress_measuring(r))
		return;
	if (r->nevents == STRESS_MAX_EVENTS) {
		r->events_lost++;
		return;
	}
	r->events[r->nevents++] = (struct stress_event){
		now > r->t_measure_ns ? now - r->t_measure_ns : 0, kind, dev
	};
}

static void stress_event_locked(struct stress_run *r, const char *kind, int dev)
{
	stress_event_at_locked(r, sim_clock_now_ns(), kind, dev);
}

static void stress_event(struct stress_run *r, const char *kind, int dev)
{
	pthread_mutex_lock(&r->lock);
	stress_event_locked(r, kind, dev);
	pthread_mutex_unlock(&r->lock);
}

/* Probes of the kernel-form tracepoints */

/* cmdq_detail: the probes take the list's times (a mapper's lists only) */
static void stress_probe_cmdq_start(int n)
{
	struct stress_thread *t = stress_self;

	if (t && t->hist[SM_INSERT])
		t->cmdq_t0 = sim_clock_now_ns();
}

static void stress_probe_cmdq_inserted(int n)
{
	struct stress_thread *t = stress_self;

	if (!t || !t->hist[SM_INSERT])
		return;
	t->cmdq_t1 = sim_clock_now_ns();
	if (stress_measuring(t->run))
		lat_record(t->hist[SM_INSERT], t->cmdq_t1 - t->cmdq_t0);
}

static void stress_probe_cmdq_done(int n, bool sync, int ret)
{
	struct stress_thread *t = stress_self;

	if (!t || !t->hist[SM_INSERT] || !stress_measuring(t->run))
		return;
	if (ret)
		stress_event(t->run, "timeout", -1);
	if (sync && t->run->cfg->cmdq_detail)
		lat_record(t->hist[SM_SYNC], sim_clock_now_ns() - t->cmdq_t1);
}

static void stress_probe_isolate(unsigned int num_sids, unsigned int tests,
				 unsigned int broken, u64 ns)
{
	struct stress_thread *t = stress_self;
	struct stress_run *r = stress_cur;

	if (t && t->hist[SM_ISOLATION]) {
		lat_record(t->hist[SM_ISOLATION], ns);
		return;
	}
	pthread_mutex_lock(&r->lock);
	lat_record(r->merged[SM_ISOLATION], ns);
	pthread_mutex_unlock(&r->lock);
}

static struct stress_dev *stress_dev_of_sid(struct stress_run *r, u32 sid)
{
	return sid < r->ndevs ? &r->devs[sid] : NULL;
}

static void stress_probe_quarantine(u32 sid)
{
	struct stress_run *r = stress_cur;
	struct stress_dev *d = stress_dev_of_sid(r, sid);
	u64 now = sim_clock_now_ns(), onset;

	if (!d)
		return;
	pthread_mutex_lock(&r->lock);
	r->quarantines++;
	onset = __atomic_load_n(&d->fault_onset_ns, __ATOMIC_RELAXED);
	if (onset)
		lat_record(r->merged[SM_TTQ], now - onset);
	else
		r->innocent++;
	d->quarantined = true;
	stress_event_locked(r, "quarantine", d - r->devs);
	d->invs_at_quarantine =
		__atomic_load_n(&d->sdev.atc_invs, __ATOMIC_RELAXED);
	sim_oracle_quarantined(r->oracle, &d->sdev);
	pthread_mutex_unlock(&r->lock);
}

/*
 * Add the ATC_INVs the device received since it was quarantined (or since
 * the last count) to the spam (under r->lock)
 */
static void stress_count_spam(struct stress_run *r, struct stress_dev *d)
{
	u64 invs = __atomic_load_n(&d->sdev.atc_invs, __ATOMIC_RELAXED);

	if (!d->quarantined)
		return;
	r->spam += invs - d->invs_at_quarantine;
	d->invs_at_quarantine = invs;
}

/* World set-up */

static void stress_world_free(struct stress_run *r)
{
	unsigned int i;

	flush_scheduled_work();
	for (i = 0; r->devs && i < r->ndevs; i++) {
		struct stress_dev *d = &r->devs[i];

		if (d->master && !IS_ERR(d->master)) {
			iommu_release_device(&d->pdev.dev);
			arm_smmu_release_master(d->master);
		}
		sim_dev_atc_free(&d->sdev);
	}
	for (i = 0; r->dom && i < r->cfg->domains; i++)
		if (r->dom[i] && !IS_ERR(r->dom[i]))
			arm_smmu_domain_free(r->dom[i]);
	if (r->hw)
		sim_smmu_remove(&r->smmu, r->hw);
	sim_oracle_destroy(r->oracle);
	free(r->devs);
	free(r->sdevs);
	free(r->dom);
}

static int stress_world_init(struct stress_run *r, bool threaded)
{
	const struct stress_config *cfg = r->cfg;
	struct sim_smmu_config scfg = {
		.ats = true,
		.msi = true,
		.threaded = threaded,
		.cmdq_shift = cfg->cmdq_shift,
		.lat = { .cmd_ns = cfg->cmd_ns,
			 .atc_inv_ns = cfg->atc_inv_ns,
			 .sync_ns = cfg->sync_ns },
		.atc_timeout_ns = cfg->atc_timeout_ns,
	};
	unsigned int i, slices;
	int ret;

	r->ndevs = cfg->domains * cfg->devices;
	slices = (cfg->mappers + cfg->domains - 1) / cfg->domains;
	r->pages_per_domain = slices * cfg->pages;
	r->dom = calloc(cfg->domains, sizeof(*r->dom));
	r->devs = calloc(r->ndevs, sizeof(*r->devs));
	r->sdevs = calloc(r->ndevs, sizeof(*r->sdevs));
	if (!r->dom || !r->devs || !r->sdevs)
		return -ENOMEM;

	r->smmu.atc_isolate_ops = arm_smmu_atc_isolate_ops_find(cfg->strategy);
	ret = sim_smmu_probe(&scfg, r->ndevs, &r->smmu, &r->hw);
	if (ret) {
		r->hw = NULL;
		return ret;
	}
	ret = sim_oracle_create(r->smmu.strtab, r->ndevs, cfg->domains,
				r->pages_per_domain, &r->oracle);
	if (ret)
		return ret;
	for (i = 0; i < cfg->domains; i++) {
		r->dom[i] = arm_smmu_domain_alloc(&r->smmu, ARM_SMMU_DOMAIN_S1,
						  i + 1, false);
		if (IS_ERR(r->dom[i]))
			return PTR_ERR(r->dom[i]);
		sim_oracle_set_domain(r->oracle, i, r->dom[i]->asid);
		sim_oracle_map(r->oracle, i, 0, r->pages_per_domain);
	}
	for (i = 0; i < r->ndevs; i++) {
		struct stress_dev *d = &r->devs[i];
		u32 sid = i;

		sim_dev_init(&d->sdev, sid, cfg->dev_latency_ns);
		ret = sim_dev_atc_alloc(&d->sdev, r->pages_per_domain);
		if (!ret)
			ret = sim_smmu_add_dev(r->hw, &d->sdev);
		if (ret)
			return ret;
		r->sdevs[i] = &d->sdev;
		snprintf(d->name, sizeof(d->name), "0000:00:%02x.%u", i / 8,
			 i % 8);
		d->pdev.dev.init_name = d->name;
		d->pdev.ats_cap = true;
		d->master = arm_smmu_probe_master(&r->smmu, &sid, 1, true);
		if (IS_ERR(d->master))
			return PTR_ERR(d->master);
		arm_smmu_master_set_dev(d->master, &d->pdev.dev);
		ret = iommu_probe_device(&d->pdev.dev, &arm_smmu_ops,
					 d->master);
		if (ret)
			return ret;
		d->domain = i / cfg->devices;
		ret = iommu_attach_device(&r->dom[d->domain]->domain,
					  &d->pdev.dev);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * A mapper's completion at @t1, @gap after its previous one: a gap over
 * the threshold is a stall, reported here unless the watchdog did
 */
static void stress_mapper_progress(struct stress_thread *t, u64 t1)
{
	struct stress_run *r = t->run;
	u64 last = t->last_done_ns, gap = t1 - last;

	__atomic_store_n(&t->last_done_ns, t1, __ATOMIC_RELEASE);
	if (gap <= r->cfg->stall_ns || t1 < r->t_measure_ns)
		return;
	pthread_mutex_lock(&r->lock);
	if (!__atomic_exchange_n(&t->stalled, false, __ATOMIC_RELAXED)) {
		r->stalls++;
		stress_event_at_locked(r, max(last, r->t_measure_ns), "stall",
				       t - r->mappers);
	}
	r->stall_max_ns = max(r->stall_max_ns, gap);
	pthread_mutex_unlock(&r->lock);
}

/* The driver's watchdog: a mapper whose gap is over the threshold now */
static void stress_watchdog(struct stress_run *r, u64 now)
{
	unsigned int i;

	for (i = 0; i < r->cfg->mappers; i++) {
		struct stress_thread *t = &r->mappers[i];
		u64 last = __atomic_load_n(&t->last_done_ns, __ATOMIC_ACQUIRE);

		if (last == U64_MAX || now < last ||
		    now - last <= r->cfg->stall_ns ||
		    __atomic_load_n(&t->stalled, __ATOMIC_RELAXED))
			continue;
		pthread_mutex_lock(&r->lock);
		/* the mapper may have completed since: it clears under lock */
		if (__atomic_load_n(&t->last_done_ns, __ATOMIC_RELAXED) ==
		    last) {
			__atomic_store_n(&t->stalled, true, __ATOMIC_RELAXED);
			r->stalls++;
			stress_event_at_locked(r, max(last, r->t_measure_ns),
					       "stall", i);
		}
		pthread_mutex_unlock(&r->lock);
	}
}

/*
 * One operation of a mapper: unmap, invalidate, check, map again.  Its
 * latency runs from @intended (open loop: when it should have started) or
 * else from the invalidation's start, to the invalidation's end; it is
 * recorded when it ends in the measured span, whenever it started.
 */
static void stress_mapper_op(struct stress_thread *t, u64 intended)
{
	struct stress_run *r = t->run;
	const struct stress_config *cfg = r->cfg;
	unsigned int page = t->first_page + t->next;
	unsigned long iova = (unsigned long)page << STRESS_PAGE_SHIFT;
	size_t size = (size_t)cfg->op_pages << STRESS_PAGE_SHIFT;
	u64 t0, t1, bin, lat;
	int victim;
	u32 i;

	sim_oracle_unmap(r->oracle, t->domain, page, cfg->op_pages);
	t0 = sim_clock_now_ns();
	arm_smmu_domain_inv_range(r->dom[t->domain], iova, size,
				  1UL << STRESS_PAGE_SHIFT, true);
	t1 = sim_clock_now_ns();
	sim_oracle_inv_done(r->oracle, t->domain, page, cfg->op_pages);
	sim_oracle_check(r->oracle, r->sdevs, r->ndevs, t->domain, page,
			 cfg->op_pages);
	sim_oracle_map(r->oracle, t->domain, page, cfg->op_pages);

	t->next += cfg->op_pages;
	if (t->next + cfg->op_pages > cfg->pages)
		t->next = 0;
	stress_mapper_progress(t, t1);
	if (t1 < r->t_measure_ns)
		return;
	lat = t1 - (intended ? min(intended, t0) : t0);
	lat_record(t->hist[SM_INV], lat);
	/* In flight when the run stopped: the last bin */
	bin = min((t1 - r->t_measure_ns) >> r->tl_shift,
		  (u64)STRESS_TIMELINE_BINS - 1);
	t->tl_count[bin]++;
	t->tl_max[bin] = max(t->tl_max[bin], lat);
	victim = __atomic_load_n(&r->victim, __ATOMIC_RELAXED);
	if (victim >= 0 && __atomic_load_n(&r->devs[victim].domain,
					   __ATOMIC_RELAXED) != t->domain)
		lat_record(t->hist[SM_BYSTANDER], lat);
	/* Single writer: relaxed stores, read by the progress line (if any) */
	if (r->progress) {
		i = lat_index(r->prog_layout, lat);
		__atomic_store_n(&t->progress[i], t->progress[i] + 1,
				 __ATOMIC_RELAXED);
	}
	__atomic_store_n(&t->ops, t->ops + 1, __ATOMIC_RELEASE);
}

static void stress_translate_op(struct stress_thread *t)
{
	struct stress_run *r = t->run;
	struct stress_dev *d = &r->devs[sim_rng_next(&t->rng) % r->ndevs];

	if (!sim_oracle_translate(r->oracle, &d->sdev,
				  sim_rng_next(&t->rng) % r->pages_per_domain))
		t->translations++;
}

static void stress_churn_op(struct stress_thread *t)
{
	struct stress_run *r = t->run;
	struct stress_dev *d = &r->devs[sim_rng_next(&t->rng) % r->ndevs];
	unsigned int to = sim_rng_next(&t->rng) % r->cfg->domains;
	int ret;

	if (to == __atomic_load_n(&d->domain, __ATOMIC_RELAXED))
		to = (to + 1) % r->cfg->domains;
	ret = iommu_attach_device(&r->dom[to]->domain, &d->pdev.dev);
	if (!ret) {
		__atomic_store_n(&d->domain, to, __ATOMIC_RELAXED);
		t->attaches++;
	} else {
		t->refused++;
	}
}

/*
 * Open loop: wait for the next operation's intended start (none if late:
 * the delay is then part of its latency) and return it; 0 in closed loop
 */
static u64 stress_mapper_pace(struct stress_thread *t)
{
	struct stress_run *r = t->run;
	u64 intended = t->next_start_ns, now;

	if (!r->cfg->rate)
		return 0;
	t->next_start_ns += NSEC_PER_SEC / r->cfg->rate;
	now = sim_clock_now_ns();
	if (now >= intended)
		return intended;
	if (r->cfg->clock == STRESS_CLOCK_VIRTUAL) {
		sim_clock_advance_to(intended);
		return intended;
	}
	/* The real sources share CLOCK_MONOTONIC's origin (sim/clock.h) */
	if (intended - now > 100 * NSEC_PER_USEC) {
		struct timespec ts = {
			.tv_sec =
				(intended - 50 * NSEC_PER_USEC) / NSEC_PER_SEC,
			.tv_nsec =
				(intended - 50 * NSEC_PER_USEC) % NSEC_PER_SEC,
		};

		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	}
	while (sim_clock_now_ns() < intended && !stress_stopping(r))
		cpu_relax();
	return intended;
}

static void *stress_mapper_main(void *arg)
{
	struct stress_thread *t = arg;
	struct stress_run *r = t->run;

	rcu_register_thread();
	topo_bind_self(&r->topo, &t->slot);
	stress_self = t;
	while (!stress_stopping(r) && (!r->cfg->ops || t->ops < r->cfg->ops))
		stress_mapper_op(t, stress_mapper_pace(t));
	__atomic_store_n(&t->last_done_ns, U64_MAX, __ATOMIC_RELEASE);
	stress_self = NULL;
	__atomic_fetch_add(&r->mappers_done, 1, __ATOMIC_RELEASE);
	rcu_unregister_thread();
	return NULL;
}

static void *stress_translator_main(void *arg)
{
	struct stress_thread *t = arg;
	struct stress_run *r = t->run;
	unsigned int i;

	topo_bind_self(&r->topo, &t->slot);
	while (!stress_stopping(r)) {
		for (i = 0; i < STRESS_TRANSLATE_BURST; i++)
			stress_translate_op(t);
		stress_sleep_ns(r, r->cfg->translate_interval_ns);
	}
	return NULL;
}

static void *stress_churner_main(void *arg)
{
	struct stress_thread *t = arg;
	struct stress_run *r = t->run;

	rcu_register_thread();
	topo_bind_self(&r->topo, &t->slot);
	while (!stress_stopping(r)) {
		stress_churn_op(t);
		stress_sleep_ns(r, r->cfg->churn_interval_ns);
	}
	rcu_unregister_thread();
	return NULL;
}

/* Faults: inject, then recover */

/* After a done(): a device that is no longer blocked had its block lifted */
static void stress_after_done(struct stress_run *r, struct stress_dev *d)
{
	if (iommu_device_blocked(&d->pdev.dev))
		return;
	pthread_mutex_lock(&r->lock);
	d->quarantined = false;
	r->lifts++;
	pthread_mutex_unlock(&r->lock);
	sim_oracle_lifted(r->oracle, &d->sdev);
	sim_oracle_check_dev(r->oracle, &d->sdev);
}

/* A reset through the protocol; returns whether it succeeded */
static bool stress_protocol_reset(struct stress_run *r, struct stress_dev *d,
				  bool may_fail, u64 hold_ns)
{
	bool ok = !may_fail ||
		  sim_rng_next(&r->fault_rng) % 100 >= r->cfg->reset_fail_pct;

	pci_dev_reset_iommu_prepare(&d->pdev);
	sim_oracle_quarantined(r->oracle, &d->sdev);
	sim_dev_set_state(&d->sdev, SIM_DEV_RESETTING, 0);
	stress_sleep_ns(r, hold_ns);
	if (ok)
		sim_dev_reset(&d->sdev);
	sim_dev_set_state(&d->sdev, SIM_DEV_RESPONSIVE, 0);
	/* What reaches it from now on is the re-attach's, not spam */
	pthread_mutex_lock(&r->lock);
	stress_count_spam(r, d);
	r->resets++;
	r->failed_resets += !ok;
	stress_event_locked(r, ok ? "reset" : "failed-reset", d - r->devs);
	pthread_mutex_unlock(&r->lock);
	pci_dev_reset_iommu_done(&d->pdev, ok);
	stress_after_done(r, d);
	return ok;
}

static void stress_fault_begin(struct stress_run *r, u64 now)
{
	const struct stress_config *cfg = r->cfg;
	struct stress_dev *d;
	unsigned int v;

	r->faults++;
	r->fault_end_ns = now + cfg->fault_duration_ns;
	if (cfg->fault == STRESS_FAULT_SMMU_STALL) {
		r->smmu_stalled = true;
		stress_event(r, "fault", -1);
		sim_smmu_stall_for(r->hw, cfg->fault_duration_ns);
		return;
	}
	v = sim_rng_next(&r->fault_rng) % r->ndevs;
	d = &r->devs[v];
	__atomic_store_n(&d->fault_onset_ns, now, __ATOMIC_RELAXED);
	__atomic_store_n(&r->victim, (int)v, __ATOMIC_RELAXED);
	stress_event(r, "fault", v);

	switch (cfg->fault) {
	case STRESS_FAULT_TIMEOUT:
		sim_dev_set_state(&d->sdev, SIM_DEV_UNRESPONSIVE, 0);
		break;
	case STRESS_FAULT_DPC:
		/* The link is down: the device lost its state, ATC included */
		sim_dev_set_state(&d->sdev, SIM_DEV_SURPRISE_RESET, 0);
		sim_dev_reset(&d->sdev);
		break;
	case STRESS_FAULT_RESET:
		if (cfg->reset_prepare) {
			/* The whole reset now; the fault window is its hold */
			stress_protocol_reset(r, d, true,
					      cfg->fault_duration_ns);
		} else {
			sim_dev_set_state(&d->sdev, SIM_DEV_RESETTING, 0);
		}
		break;
	}
}

/* The fault is over: the device answers again; recover it if blocked */
static void stress_fault_end(struct stress_run *r)
{
	const struct stress_config *cfg = r->cfg;
	struct stress_dev *d;
	bool unprepared_reset = cfg->fault == STRESS_FAULT_RESET &&
				!cfg->reset_prepare;

	if (r->smmu_stalled) { /* the SMMU resumes by itself */
		r->smmu_stalled = false;
		return;
	}
	d = &r->devs[r->victim];
	if (cfg->fault != STRESS_FAULT_RESET || unprepared_reset) {
		if (unprepared_reset)
			sim_dev_reset(&d->sdev);
		sim_dev_set_state(&d->sdev, SIM_DEV_RESPONSIVE, 0);
	}
	__atomic_store_n(&r->victim, -1, __ATOMIC_RELAXED);
	__atomic_store_n(&d->fault_onset_ns, 0, __ATOMIC_RELAXED);
	flush_scheduled_work();
	/* Error recovery: a reset with the protocol, which succeeds */
	if (iommu_device_blocked(&d->pdev.dev)) {
		r->recoveries++;
		stress_protocol_reset(r, d, false, 0);
	}
}

static void stress_faults_tick(struct stress_run *r, u64 now)
{
	if (r->cfg->fault == STRESS_FAULT_NONE)
		return;
	if ((r->victim >= 0 || r->smmu_stalled) && now >= r->fault_end_ns)
		stress_fault_end(r);
	if (r->victim < 0 && !r->smmu_stalled && now >= r->next_fault_ns) {
		r->next_fault_ns = now + r->cfg->fault_interval_ns;
		stress_fault_begin(r, now);
	}
}

/* Progress line and Ctrl-C */

static void stress_on_sigint(int sig)
{
	__atomic_store_n(&stress_sigint, 1, __ATOMIC_RELAXED);
}

static bool stress_interrupted(void)
{
	return __atomic_load_n(&stress_sigint, __ATOMIC_RELAXED);
}

static u64 stress_total_ops(struct stress_run *r)
{
	u64 ops = 0;
	unsigned int i;

	for (i = 0; i < r->cfg->mappers; i++)
		ops += __atomic_load_n(&r->mappers[i].ops, __ATOMIC_ACQUIRE);
	return ops;
}

static void stress_progress(struct stress_run *r, u64 now, u64 *last_ops,
			    u64 *last_ns, u64 *snap, u64 *cur)
{
	struct lat_hist *h = r->prog_layout;
	u64 ops = stress_total_ops(r), n = 0, target, acc = 0;
	struct sim_smmu_stats st;
	double secs = (now - *last_ns) / 1e9;
	u32 i, j;

	memset(cur, 0, h->counts_len * sizeof(*cur));
	for (i = 0; i < r->cfg->mappers; i++)
		for (j = 0; j < h->counts_len; j++)
			cur[j] += __atomic_load_n(&r->mappers[i].progress[j],
						  __ATOMIC_RELAXED);
	for (j = 0; j < h->counts_len; j++)
		n += cur[j] - snap[j];
	target = n - n / 100;
	for (j = 0; j < h->counts_len && n; j++) {
		acc += cur[j] - snap[j];
		if (acc >= target)
			break;
	}
	memcpy(snap, cur, h->counts_len * sizeof(*cur));
	sim_smmu_stats(r->hw, &st);
	pthread_mutex_lock(&r->lock);
	fprintf(stderr,
		"\r%6.1f s  %9.0f ops/s  p99 %8.2f us  timeouts %llu  "
		"quarantines %llu  violations %llu   ",
		(now - r->t_measure_ns) / 1e9,
		secs > 0 ? (ops - *last_ops) / secs : 0,
		n ? lat_highest(h, j < h->counts_len ? j : 0) / 1000.0 : 0.0,
		st.atc_timeouts - r->timeouts0, r->quarantines,
		sim_oracle_violations(r->oracle));
	pthread_mutex_unlock(&r->lock);
	*last_ops = ops;
	*last_ns = now;
}

/* Runs */

static int stress_threads_alloc(struct stress_run *r,
				struct stress_thread **out, unsigned int n,
				unsigned int first_slot,
				const struct topo_slot *slots, bool hists)
{
	struct stress_thread *t;
	unsigned int i, m;
	int ret;

	t = calloc(n ? n : 1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	*out = t;
	for (i = 0; i < n; i++) {
		t[i].run = r;
		t[i].slot = slots[first_slot + i];
		t[i].rng = r->cfg->seed * 0x9e3779b97f4a7c15ULL + first_slot +
			   i + 1;
		if (!hists)
			continue;
		t[i].tl_count = calloc(STRESS_TIMELINE_BINS, sizeof(u64));
		t[i].tl_max = calloc(STRESS_TIMELINE_BINS, sizeof(u64));
		if (!t[i].tl_count || !t[i].tl_max)
			return -ENOMEM;
		for (m = SM_INV; m <= SM_ISOLATION; m++) {
			ret = lat_create(r->cfg->hist_digits, &t[i].hist[m]);
			if (ret)
				return ret;
		}
		t[i].progress = topo_alloc(
			&r->topo, r->prog_layout->counts_len * sizeof(u64),
			t[i].slot.node);
		if (!t[i].progress)
			return -ENOMEM;
	}
	return 0;
}

static void stress_threads_free(struct stress_run *r, struct stress_thread *t,
				unsigned int n)
{
	unsigned int i, m;

	for (i = 0; t && i < n; i++) {
		free(t[i].tl_count);
		free(t[i].tl_max);
		for (m = 0; m < SM_NR; m++)
			lat_destroy(t[i].hist[m]);
		if (t[i].progress)
			topo_free(&r->topo, t[i].progress,
				  r->prog_layout->counts_len * sizeof(u64));
	}
	free(t);
}

/* Real time: every role on its own thread; the caller drives faults */
static int stress_run_real(struct stress_run *r)
{
	const struct stress_config *cfg = r->cfg;
	bool progress = cfg->progress == STRESS_ON ||
			(cfg->progress == STRESS_AUTO && isatty(2));
	u64 *snap = NULL, *cur = NULL, last_ops = 0, last_ns, next_progress;
	unsigned int i, started_m = 0, started_t = 0, started_c = 0;
	int ret = 0;

	if (progress) {
		snap = calloc(r->prog_layout->counts_len, sizeof(u64));
		cur = calloc(r->prog_layout->counts_len, sizeof(u64));
		if (!snap || !cur)
			progress = false;
	}
	r->progress = progress; /* before the mappers start */
	for (i = 0; i < cfg->mappers && !ret; i++)
		if (!(ret = -pthread_create(&r->mappers[i].tid, NULL,
					    stress_mapper_main,
					    &r->mappers[i])))
			started_m++;
	for (i = 0; i < cfg->translators && !ret; i++)
		if (!(ret = -pthread_create(&r->translators[i].tid, NULL,
					    stress_translator_main,
					    &r->translators[i])))
			started_t++;
	for (i = 0; i < cfg->churners && !ret; i++)
		if (!(ret = -pthread_create(&r->churners[i].tid, NULL,
					    stress_churner_main,
					    &r->churners[i])))
			started_c++;

	last_ns = next_progress = sim_clock_now_ns();
	while (!ret) {
		u64 now = sim_clock_now_ns();

		if (!r->measuring && now >= r->t_measure_ns) {
			__atomic_store_n(&r->measuring, true, __ATOMIC_RELEASE);
			last_ns = now;
		}
		if (stress_interrupted() || now >= r->t_end_ns ||
		    __atomic_load_n(&r->mappers_done, __ATOMIC_ACQUIRE) ==
			    cfg->mappers)
			break;
		if (r->measuring) {
			stress_faults_tick(r, now);
			stress_watchdog(r, now);
		}
		if (progress && now >= next_progress && r->measuring) {
			stress_progress(r, now, &last_ops, &last_ns, snap, cur);
			next_progress = now + 1000000000ULL;
		}
		stress_sleep_ns(r, STRESS_TICK_NS);
	}
	r->t_end_ns = sim_clock_now_ns();
	__atomic_store_n(&r->stop, true, __ATOMIC_RELEASE);
	for (i = 0; i < started_m; i++)
		pthread_join(r->mappers[i].tid, NULL);
	for (i = 0; i < started_t; i++)
		pthread_join(r->translators[i].tid, NULL);
	for (i = 0; i < started_c; i++)
		pthread_join(r->churners[i].tid, NULL);
	if (r->victim >= 0 || r->smmu_stalled)
		stress_fault_end(r);
	if (progress)
		fputc('\n', stderr);
	free(snap);
	free(cur);
	return ret;
}

/* CPU time of this thread */
static u64 stress_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (u64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/*
 * Virtual time: one thread takes every role in a seeded order, so a run is
 * a function of its seed.  Time moves only through the modelled costs.
 */
static int stress_run_virtual(struct stress_run *r)
{
	const struct stress_config *cfg = r->cfg;
	unsigned int weight = cfg->mappers + cfg->translators + cfg->churners;
	u64 rng = cfg->seed ^ 0x5deece66dULL, cpu0 = 0;

	while (!stress_interrupted()) {
		u64 now = sim_clock_now_ns();
		unsigned int pick;
		bool all_done = true;
		unsigned int i;

		if (!r->measuring && now >= r->t_measure_ns) {
			r->measuring = true;
			cpu0 = stress_cpu_ns();
		}
		if (now >= r->t_end_ns)
			break;
		for (i = 0; i < cfg->mappers && cfg->ops; i++)
			all_done &= r->mappers[i].ops >= cfg->ops;
		if (cfg->ops && all_done)
			break;
		if (r->measuring)
			stress_faults_tick(r, now);

		pick = sim_rng_next(&rng) % weight;
		if (pick < cfg->mappers) {
			struct stress_thread *t = &r->mappers[pick];

			stress_self = t;
			/* open loop: a mapper whose next start is due */
			if ((!cfg->ops || t->ops < cfg->ops) &&
			    (!cfg->rate || t->next_start_ns <= now))
				stress_mapper_op(t, stress_mapper_pace(t));
			stress_self = NULL;
		} else if (pick < cfg->mappers + cfg->translators) {
			stress_translate_op(
				&r->translators[pick - cfg->mappers]);
		} else {
			stress_churn_op(&r->churners[pick - cfg->mappers -
						     cfg->translators]);
		}
		/* The broken worker runs now, not at a thread's whim */
		flush_scheduled_work();
		sim_clock_delay_ns(STRESS_VIRTUAL_STEP_NS);
	}
	r->t_end_ns = sim_clock_now_ns();
	if (r->measuring)
		r->cpu_seconds = (stress_cpu_ns() - cpu0) / 1e9;
	if (r->victim >= 0 || r->smmu_stalled)
		stress_fault_end(r);
	return 0;
}

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
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	f = open_memstream(&buf, &len);
	if (!f)
		return -ENOMEM;
	ret = lat_write_hgrm(h, f);
	fclose(f);
	if (!ret)
		ret = stress_write_file(dir, name, metric, "hgrm", buf, len);
	free(buf);
	return ret;
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
	fprintf(f, "# bin %.3f ms\nt_ms\tinvalidations\tmax_us\n",
		(1ULL << r->tl_shift) / 1e6);
	for (b = 0; b < bins; b++) {
		u64 n = 0, worst = 0;

		for (i = 0; i < r->cfg->mappers; i++) {
			n += r->mappers[i].tl_count[b];
			worst = max(worst, r->mappers[i].tl_max[b]);
		}
		fprintf(f, "%.3f\t%llu\t%.3f\n", ((u64)b << r->tl_shift) / 1e6,
			n, worst / 1e3);
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

static int stress_write(struct stress_run *r, const char *dir,
			const char *cmdline, struct stress_result *res)
{
	const struct stress_config *cfg = r->cfg;
	struct sim_oracle_violation v;
	struct sim_smmu_stats st;
	char path[RESULTS_PATH_MAX];
	u64 translations = 0, attaches = 0, refused = 0;
	char *buf = NULL, *cfgtext = NULL;
	size_t len = 0, cfglen = 0;
	unsigned int i, m;
	FILE *f;
	int ret;

	for (i = 0; i < cfg->translators; i++)
		translations += r->translators[i].translations;
	for (i = 0; i < cfg->churners; i++) {
		attaches += r->churners[i].attaches;
		refused += r->churners[i].refused;
	}
	sim_smmu_stats(r->hw, &st);

	f = open_memstream(&cfgtext, &cfglen);
	if (!f)
		return -ENOMEM;
	stress_config_print(cfg, f);
	fclose(f);

	f = open_memstream(&buf, &len);
	if (!f) {
		free(cfgtext);
		return -ENOMEM;
	}
	fputs("{\n  \"name\": ", f);
	json_write_str(f, cfg->name);
	fputs(",\n  \"scenario\": ", f);
	json_write_str(f, cfg->scenario);
	fputs(",\n  \"description\": ", f);
	json_write_str(f, cfg->description);
	fputs(",\n  \"command\": ", f);
	json_write_str(f, cmdline);
	fputs(",\n  \"config\": ", f);
	json_write_str(f, cfgtext);
	fprintf(f, ",\n  \"clock\": \"%s\",\n", stress_clock_names[cfg->clock]);
	stress_json_u64(f, "seed", cfg->seed);
	fprintf(f, "  \"strategy\": \"%s\",\n  \"inject_bug\": \"%s\",\n",
		cfg->strategy, stress_bug_names[cfg->inject_bug]);
	fprintf(f, "  \"interrupted\": %s,\n",
		res->interrupted ? "true" : "false");
	fprintf(f, "  \"topology\": ");
	topo_json(&r->topo, cfg->pin, f);
	fprintf(f, ",\n  \"duration_s\": %.6f,\n", res->seconds);
	stress_json_u64(f, "ops", res->ops);
	fprintf(f, "  \"throughput_ops_s\": %.1f,\n", res->ops_per_s);
	if (res->cpu_seconds > 0)
		fprintf(f, "  \"sim_cpu_s\": %.6f,\n", res->cpu_seconds);
	fputs("  \"mapper_ops\": [", f);
	for (i = 0; i < cfg->mappers; i++)
		fprintf(f, "%s%llu", i ? ", " : "", r->mappers[i].ops);
	fputs("],\n", f);
	stress_json_u64(f, "atc_timeout_ns", cfg->atc_timeout_ns);
	stress_json_u64(f, "hw_timeout_ns", cfg->hw_timeout_ns);
	stress_json_u64(f, "timeouts", res->timeouts);
	stress_json_u64(f, "isolations",
			atomic_long_read(&r->smmu.atc_isolations) -
				r->isolations0);
	stress_json_u64(f, "isolation_tests",
			atomic_long_read(&r->smmu.atc_isolation_tests) -
				r->tests0);
	fprintf(f, "  \"load\": \"%s\",\n", cfg->rate ? "open" : "closed");
	stress_json_u64(f, "rate_per_mapper", cfg->rate);
	stress_json_u64(f, "stall_threshold_ns", cfg->stall_ns);
	stress_json_u64(f, "stalls", r->stalls);
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
	stress_json_u64(f, "translations", translations);
	stress_json_u64(f, "smmu_commands", st.cmds);
	stress_json_u64(f, "warns", res->warns);
	stress_json_u64(f, "oracle_violations", res->violations);
	if (sim_oracle_first(r->oracle, &v)) {
		fprintf(f,
			"  \"first_violation\": {\"what\": \"%s\", \"sid\": "
			"%u, \"domain\": %u, \"page\": %u, \"held_gen\": %llu, "
			"\"completed_gen\": %llu, \"after_s\": %.6f},\n",
			v.what, v.sid, v.domain, v.page, v.held, v.completed,
			(v.t_ns - r->t_measure_ns + cfg->warmup_ns) / 1e9);
	} else {
		fputs("  \"first_violation\": null,\n", f);
	}
	fputs("  \"metrics\": {", f);
	for (m = 0; m < SM_NR; m++) {
		fprintf(f, "%s\n    \"%s_ns\": ", m ? "," : "",
			stress_metric_names[m]);
		lat_write_json(r->merged[m], f, true);
	}
	fputs("\n  }\n}\n", f);
	ret = ferror(f) ? -EIO : 0;
	fclose(f);
	free(cfgtext);
	if (!ret && snprintf(path, sizeof(path), "%s/stress-%s.json", dir,
			     cfg->name) >= (int)sizeof(path))
		ret = -ENAMETOOLONG;
	if (!ret)
		ret = results_write_file(path, buf, len);
	free(buf);
	for (m = 0; m < SM_NR && !ret; m++)
		if (r->merged[m]->count)
			ret = stress_write_hgrm(dir, cfg->name,
						stress_metric_names[m],
						r->merged[m]);
	if (!ret)
		ret = stress_write_timeline(r, dir);
	return ret;
}

static void stress_set_bugs(unsigned int bug)
{
	WRITE_ONCE(arm_smmu_bug_install_invs_after_ste,
		   bug == STRESS_BUG_INSTALL_INVS_AFTER_STE);
	WRITE_ONCE(iommu_bug_lift_on_failed_reset,
		   bug == STRESS_BUG_LIFT_ON_FAILED_RESET);
	WRITE_ONCE(arm_smmu_bug_ste_rmw_race, bug == STRESS_BUG_STE_RMW_RACE);
}

int stress_run(const struct stress_config *cfg, const char *out_dir,
	       const char *cmdline, struct stress_result *res)
{
	unsigned int nthreads = cfg->mappers + cfg->translators + cfg->churners;
	struct stress_run *r = calloc(1, sizeof(*r));
	struct topo_slot *slots = NULL;
	enum topo_plan_kind kind = TOPO_LIST;
	struct sigaction sa = { .sa_handler = stress_on_sigint }, old_int,
			 old_term;
	bool virt = cfg->clock == STRESS_CLOCK_VIRTUAL, threaded;
	char err[256];
	unsigned int i, m;
	int ret;

	if (!r)
		return -ENOMEM;
	memset(res, 0, sizeof(*res));
	r->cfg = cfg;
	r->victim = -1;
	r->fault_rng = cfg->seed ^ 0xfa017ULL;
	pthread_mutex_init(&r->lock, NULL);
	ret = topo_init(&r->topo);
	if (ret)
		goto out_free;
	slots = calloc(nthreads, sizeof(*slots));
	if (!slots) {
		ret = -ENOMEM;
		goto out_topo;
	}
	topo_parse_plan(cfg->pin, &kind);
	ret = topo_plan(&r->topo, kind, cfg->pin, nthreads, slots, err,
			sizeof(err));
	if (ret) {
		fprintf(stderr, "atcbench stress: pin: %s\n", err);
		goto out_topo;
	}

	ret = sim_clock_init(virt ? SIM_CLOCK_VIRTUAL : SIM_CLOCK_TSC);
	if (ret)
		goto out_topo;
	arm_smmu_quarantine_mode = cfg->quarantine;
	stress_set_bugs(cfg->inject_bug);
	/* The driver's messages would drown the output: counted, not shown */
	khooks_printk_level(LOGLEVEL_ERR - 1);
	threaded = !virt && (cfg->smmu_thread == STRESS_ON ||
			     (cfg->smmu_thread == STRESS_AUTO &&
			      r->topo.pus > nthreads));
	ret = stress_world_init(r, threaded);
	if (ret)
		goto out_world;

	ret = lat_create(1, &r->prog_layout);
	for (m = 0; m < SM_NR && !ret; m++)
		ret = lat_create(cfg->hist_digits, &r->merged[m]);
	if (!ret)
		ret = stress_threads_alloc(r, &r->mappers, cfg->mappers, 0,
					   slots, true);
	if (!ret)
		ret = stress_threads_alloc(r, &r->translators,
					   cfg->translators ? cfg->translators :
							      1,
					   cfg->mappers, slots, false);
	if (!ret)
		ret = stress_threads_alloc(r, &r->churners, cfg->churners,
					   cfg->mappers + cfg->translators,
					   slots, false);
	if (ret)
		goto out_threads;
	for (i = 0; i < cfg->mappers; i++) {
		struct stress_thread *t = &r->mappers[i];

		t->domain = i % cfg->domains;
		t->first_page = (i / cfg->domains) * cfg->pages;
	}

	stress_cur = r;
	arm_smmu_trace_probes = (struct arm_smmu_trace_probes){
		.cmdq_issue_start = cfg->cmdq_detail ? stress_probe_cmdq_start :
						       NULL,
		.cmdq_issue_inserted =
			cfg->cmdq_detail ? stress_probe_cmdq_inserted : NULL,
		.cmdq_issue_done = stress_probe_cmdq_done,
		.atc_isolate = stress_probe_isolate,
		.master_quarantine = stress_probe_quarantine,
	};
	__atomic_store_n(&stress_sigint, 0, __ATOMIC_RELAXED);
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND; /* a second Ctrl-C kills */
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	{
		struct sim_smmu_stats st;
		u64 start = sim_clock_now_ns();

		sim_smmu_stats(r->hw, &st);
		r->timeouts0 = st.atc_timeouts;
		r->isolations0 = atomic_long_read(&r->smmu.atc_isolations);
		r->tests0 = atomic_long_read(&r->smmu.atc_isolation_tests);
		r->warns0 = khooks_warn_count();
		r->t_measure_ns = start + cfg->warmup_ns;
		r->t_end_ns = r->t_measure_ns + cfg->duration_ns;
		r->tl_shift = STRESS_TIMELINE_MIN_SHIFT;
		while ((cfg->duration_ns >> r->tl_shift) >=
		       STRESS_TIMELINE_BINS)
			r->tl_shift++;
		if (cfg->ops)
			r->t_end_ns = virt ? start + 600ULL * 1000000000ULL :
					     U64_MAX;
		r->next_fault_ns = r->t_measure_ns + cfg->fault_interval_ns / 2;
		for (i = 0; i < cfg->mappers; i++)
			r->mappers[i].last_done_ns =
				r->mappers[i].next_start_ns = start;
		khooks_workqueue_set_deferred(virt);
		ret = virt ? stress_run_virtual(r) : stress_run_real(r);
		khooks_workqueue_set_deferred(false);
		flush_scheduled_work();
		sim_smmu_stats(r->hw, &st);
		res->timeouts = st.atc_timeouts - r->timeouts0;
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	arm_smmu_trace_probes = (struct arm_smmu_trace_probes){};
	res->interrupted = stress_interrupted();
	if (ret)
		goto out_threads;

	/* Devices still quarantined at the end count their spam too */
	for (i = 0; i < r->ndevs; i++)
		stress_count_spam(r, &r->devs[i]);
	for (i = 0; i < cfg->mappers; i++) {
		res->ops += r->mappers[i].ops;
		for (m = SM_INV; m <= SM_ISOLATION; m++)
			lat_merge(r->merged[m], r->mappers[i].hist[m]);
	}
	res->seconds = r->t_end_ns > r->t_measure_ns ?
			       (r->t_end_ns - r->t_measure_ns) / 1e9 :
			       0.0;
	res->ops_per_s = res->seconds > 0 ? res->ops / res->seconds : 0;
	res->cpu_seconds = r->cpu_seconds;
	res->violations = sim_oracle_violations(r->oracle);
	res->quarantines = r->quarantines;
	res->spam = r->spam;
	res->warns = khooks_warn_count() - r->warns0;
	ret = stress_write(r, out_dir, cmdline, res);

out_threads:
	stress_threads_free(r, r->mappers, cfg->mappers);
	stress_threads_free(r, r->translators, 0);
	stress_threads_free(r, r->churners, 0);
	for (m = 0; m < SM_NR; m++)
		lat_destroy(r->merged[m]);
	lat_destroy(r->prog_layout);
out_world:
	stress_world_free(r);
	stress_set_bugs(STRESS_BUG_NONE);
	khooks_printk_level(LOGLEVEL_WARNING);
	arm_smmu_quarantine_mode = ARM_SMMU_QUARANTINE_FLAG;
	stress_cur = NULL;
out_topo:
	free(slots);
	topo_fini(&r->topo);
out_free:
	pthread_mutex_destroy(&r->lock);
	free(r);
	return ret;
}

/* The commands */

static void stress_help(FILE *f)
{
	unsigned int i;

	fputs("usage: atcbench stress SCENARIO|FILE [--out DIR] [--name NAME]\n"
	      "                       [--show] [--KEY VALUE...]\n"
	      "\n"
	      "Run a built-in scenario (atcbench scenarios) or a file of\n"
	      "'key = value' lines (over the defaults), then write\n"
	      "stress-NAME.json, stress-NAME-METRIC.hgrm and env.json into DIR\n"
	      "(default results/<date>-<host>-<sha>).  --show prints the\n"
	      "configuration and exits.  Ctrl-C stops the run and still writes\n"
	      "the results.  Durations take ns, us, ms or s.\n"
	      "\n"
	      "keys (--KEY VALUE; '-' and '_' are the same):\n",
	      f);
	for (i = 0; i < ARRAY_SIZE(stress_keys); i++)
		fprintf(f, "  %-20s %s\n", stress_keys[i].name,
			stress_keys[i].help);
	fputs("\nexit status: 0 no violation, 1 violations or run-time "
	      "failure, 2 bad usage\n",
	      f);
}

static int stress_load(const char *what, struct stress_config *cfg, char *err,
		       size_t errlen)
{
	const char *base;
	char *text, *dot;
	size_t n;
	FILE *f;
	int ret;

	if (!stress_config_builtin(what, cfg))
		return 0;
	stress_config_defaults(cfg);
	f = fopen(what, "r");
	if (!f)
		return stress_err(err, errlen,
				  "'%s' is neither a scenario (atcbench "
				  "scenarios) nor a readable file: %s",
				  what, strerror(errno));
	text = malloc(STRESS_MAX_FILE + 1);
	n = text ? fread(text, 1, STRESS_MAX_FILE + 1, f) : 0;
	fclose(f);
	if (!text)
		return -ENOMEM;
	if (n > STRESS_MAX_FILE) {
		free(text);
		return stress_err(err, errlen, "%s: larger than %d bytes", what,
				  STRESS_MAX_FILE);
	}
	text[n] = '\0';
	ret = stress_config_apply(cfg, text, what, err, errlen);
	free(text);
	base = strrchr(what, '/');
	base = base ? base + 1 : what;
	snprintf(cfg->name, sizeof(cfg->name), "%s", base);
	dot = strrchr(cfg->name, '.');
	if (dot && dot != cfg->name)
		*dot = '\0';
	snprintf(cfg->scenario, sizeof(cfg->scenario), "%s", cfg->name);
	return ret;
}

static bool stress_name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '-' || *s == '_' ||
		      *s == '.'))
			return false;
	return true;
}

int stress_cmd(int argc, char **argv)
{
	struct stress_config cfg;
	struct stress_result res;
	char err[512], out[RESULTS_PATH_MAX] = "", cmdline[2048] = "";
	const char *name = NULL;
	bool show = false;
	size_t cl = 0;
	int i, ret;

	for (i = 0; i < argc && cl < sizeof(cmdline); i++)
		cl += snprintf(cmdline + cl, sizeof(cmdline) - cl, "%s%s",
			       i ? " " : "atcbench ", argv[i]);
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		stress_help(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	if (stress_load(argv[1], &cfg, err, sizeof(err))) {
		fprintf(stderr, "atcbench stress: %s\n", err);
		return EXIT_USAGE;
	}
	for (i = 2; i < argc; i++) {
		char key[64];
		size_t k;

		if (!strcmp(argv[i], "--show")) {
			show = true;
			continue;
		}
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			stress_help(stdout);
			return 0;
		}
		if (strncmp(argv[i], "--", 2) || i + 1 >= argc) {
			fprintf(stderr,
				"atcbench stress: expected --KEY VALUE, got "
				"'%s'\n",
				argv[i]);
			return EXIT_USAGE;
		}
		snprintf(key, sizeof(key), "%s", argv[i] + 2);
		for (k = 0; key[k]; k++)
			if (key[k] == '-')
				key[k] = '_';
		if (!strcmp(key, "out")) {
			if (strlen(argv[i + 1]) >= RESULTS_PATH_MAX - 64) {
				fprintf(stderr,
					"atcbench stress: --out: path longer "
					"than %d\n",
					RESULTS_PATH_MAX - 64);
				return EXIT_USAGE;
			}
			strcpy(out, argv[++i]);
			continue;
		}
		if (!strcmp(key, "name")) {
			name = argv[++i];
			if (strlen(name) >= STRESS_MAX_NAME ||
			    !stress_name_ok(name)) {
				fprintf(stderr,
					"atcbench stress: --name: 1 to %d "
					"letters, digits, '-', '_' or '.'\n",
					STRESS_MAX_NAME - 1);
				return EXIT_USAGE;
			}
			continue;
		}
		if (stress_config_set(&cfg, key, argv[i + 1], err,
				      sizeof(err))) {
			fprintf(stderr, "atcbench stress: --%s\n", err);
			return EXIT_USAGE;
		}
		i++;
	}
	if (name)
		snprintf(cfg.name, sizeof(cfg.name), "%s", name);
	if (stress_config_check(&cfg, err, sizeof(err))) {
		fprintf(stderr, "atcbench stress: %s\n", err);
		return EXIT_USAGE;
	}
	if (show) {
		stress_config_print(&cfg, stdout);
		return 0;
	}
	if (!*out && results_default_dir(out, sizeof(out))) {
		fprintf(stderr, "atcbench stress: cannot name the results "
				"folder\n");
		return EXIT_FAILURE;
	}
	ret = results_mkdir(out);
	if (!ret)
		ret = env_write(out, cmdline, stress_clock_names[cfg.clock],
				cfg.seed);
	if (ret) {
		fprintf(stderr, "atcbench stress: %s: %s\n", out,
			strerror(-ret));
		return EXIT_USAGE;
	}

	ret = stress_run(&cfg, out, cmdline, &res);
	if (ret == -EINVAL)
		return EXIT_USAGE;
	if (ret) {
		fprintf(stderr, "atcbench stress: %s\n", strerror(-ret));
		return EXIT_FAILURE;
	}
	printf("%s: %llu ops in %.2f s (%.0f ops/s), timeouts %llu, "
	       "quarantines %llu, atc_invs_to_broken %llu, warns %llu, "
	       "oracle_violations %llu%s\n",
	       cfg.name, res.ops, res.seconds, res.ops_per_s, res.timeouts,
	       res.quarantines, res.spam, res.warns, res.violations,
	       res.interrupted ? " (interrupted)" : "");
	if (res.cpu_seconds > 0)
		printf("%s: simulated %.0f operations per CPU second "
		       "(%llu in %.2f CPU s)\n",
		       cfg.name, res.ops / res.cpu_seconds, res.ops,
		       res.cpu_seconds);
	printf("results: %s/stress-%s.json\n", out, cfg.name);
	if (res.violations) {
		printf("oracle: %llu violations; reproduce with: atcbench "
		       "stress %s --seed %llu%s%s\n",
		       res.violations, argv[1], cfg.seed,
		       cfg.inject_bug ? " --inject-bug " : "",
		       cfg.inject_bug ? stress_bug_names[cfg.inject_bug] : "");
		return EXIT_FAILURE;
	}
	return 0;
}

int stress_scenarios_cmd(int argc, char **argv)
{
	const struct stress_scenario *s;
	bool show = argc > 1 && !strcmp(argv[1], "--show");

	if (argc > 1 && !show) {
		fputs(strcmp(argv[1], "--help") ?
			      "atcbench scenarios: unknown option\n" :
			      "usage: atcbench scenarios [--show]\n",
		      strcmp(argv[1], "--help") ? stderr : stdout);
		return strcmp(argv[1], "--help") ? EXIT_USAGE : 0;
	}
	for (s = stress_scenarios; s->name; s++) {
		printf("%-14s %s\n", s->name, s->summary);
		if (show) {
			const char *p = s->text;

			while (*p) {
				const char *nl = strchr(p, '\n');

				printf("%16s%.*s\n", "", (int)(nl - p), p);
				p = nl + 1;
			}
		}
	}
	return 0;
}
