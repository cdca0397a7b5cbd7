// SPDX-License-Identifier: GPL-2.0
/*
 * stress: the configuration: its keys and limits, the built-in scenarios,
 * scenario files and --key options
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <khooks/switches.h>

#include <sim/fault.h>

#include "lib/opt.h"

#include "stress/internal.h"

/* Configuration keys: the command line's options and the files' keys */

const char *const stress_clock_names[] = { "real", "virtual", "vcpu", NULL };
static const char *const stress_fault_names[] = {
	"none",	      "timeout", "reset", "dpc",
	"smmu-stall", "illegal", "lost",  NULL,
};
const char *const stress_bug_names[] = { "none", "install-invs-after-ste",
					 "lift-on-failed-reset", "ste-rmw-race",
					 NULL };
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

static const struct opt stress_keys[] = {
	SK("description", OPT_TEXT, description, 0, 0, NULL,
	   "what the scenario does (text)"),
	SK("duration", OPT_NS, duration_ns, 1000000, STRESS_MAX_DURATION_NS,
	   NULL, "measured time, after the warm-up"),
	SK("warmup", OPT_NS, warmup_ns, 0, 3600ULL * 1000000000ULL, NULL,
	   "time run before measuring"),
	SK("ops", OPT_U64, ops, 0, STRESS_MAX_OPS, NULL,
	   "stop each mapper after this many measured operations (0: by "
	   "duration)"),
	SK("seed", OPT_U64, seed, 0, U64_MAX, NULL,
	   "seed of every random choice"),
	SK("mappers", OPT_UINT, mappers, 1, STRESS_MAX_MAPPERS, NULL,
	   "mapper threads (unmap, invalidate, map)"),
	SK("translators", OPT_UINT, translators, 0, STRESS_MAX_TRANSLATORS,
	   NULL, "threads issuing translation requests (filling ATCs)"),
	SK("churners", OPT_UINT, churners, 0, STRESS_MAX_CHURNERS, NULL,
	   "threads moving devices between domains"),
	SK("smmus", OPT_UINT, smmus, 1, SIM_WORLD_MAX_SMMUS, NULL,
	   "SMMUs: domain d and its devices are behind SMMU d mod smmus, and "
	   "churners move a device among its SMMU's domains"),
	SK("domains", OPT_UINT, domains, 1, STRESS_MAX_DOMAINS, NULL,
	   "stage-1 domains"),
	SK("devices", OPT_UINT, devices, 1, STRESS_MAX_DEVICES, NULL,
	   "devices per domain (one SID each), with ATS unless non_ats"),
	SK("non_ats", OPT_UINT, non_ats, 0, STRESS_MAX_DEVICES - 1, NULL,
	   "of those, devices without ATS (untranslated DMA only)"),
	SK("pasid", OPT_UINT, pasid, 0, STRESS_MAX_DEVICES, NULL,
	   "of those, devices attached at a PASID (ATS entries and ATC_INVs "
	   "with SSIDs); a churner that re-attaches one to its own domain "
	   "moves it to another PASID (pasid_moves)"),
	SK("pages", OPT_UINT, pages, 1, STRESS_MAX_PAGES, NULL,
	   "4 KiB pages of IOVA each mapper owns"),
	SK("op_pages", OPT_UINT, op_pages, 1, STRESS_MAX_OP_PAGES, NULL,
	   "pages unmapped and invalidated per operation"),
	SK("pin", OPT_TEXT, pin, 0, 0, NULL,
	   "compact, spread, per-node or a CPU list (0,2-3)"),
	SK("clock", OPT_ENUM, clock, 0, 0, stress_clock_names,
	   "real (threads), virtual (one thread, one role's step at a time, "
	   "deterministic) or vcpu (atcbench-wmm: a virtual CPU per role, "
	   "interleaved at every shared access by the seed, deterministic)"),
	SK("strategy", OPT_TEXT, strategy, 0, 0, NULL,
	   "isolation strategy: linear, bisect, bisect-infer, adaptive, "
	   "whole-batch"),
	SK("quarantine", OPT_ENUM, quarantine, 0, 0, stress_quarantine_names,
	   "flag (ats_broken) or inv-type (INV_TYPE_ATS_BROKEN entries)"),
	SK("atc_timeout", OPT_NS, atc_timeout_ns, 1000, STRESS_MAX_LATENCY_NS,
	   NULL, "the SMMU's ATC invalidation timeout, as simulated"),
	SK("hw_timeout", OPT_NS, hw_timeout_ns, 1000, 600ULL * 1000000000ULL,
	   NULL, "the hardware timeout atc_timeout stands for (reported)"),
	SK("dev_latency", OPT_NS, dev_latency_ns, 0, STRESS_MAX_LATENCY_NS,
	   NULL, "a device's answer to an ATC_INV"),
	SK("cmd_latency", OPT_NS, cmd_ns, 0, STRESS_MAX_LATENCY_NS, NULL,
	   "the SMMU's time per TLBI/CFGI command"),
	SK("atc_inv_latency", OPT_NS, atc_inv_ns, 0, STRESS_MAX_LATENCY_NS,
	   NULL, "the SMMU's time to send an ATC_INV"),
	SK("sync_latency", OPT_NS, sync_ns, 0, STRESS_MAX_LATENCY_NS, NULL,
	   "the SMMU's time to complete a CMD_SYNC"),
	SK("cmdq_shift", OPT_UINT, cmdq_shift, SIM_SMMU_CMDQ_SHIFT_MIN,
	   SIM_SMMU_CMDQ_SHIFT_MAX, NULL, "log2 of the command queue depth"),
	SK("nested", OPT_BOOL, nested, 0, 1, NULL,
	   "the domains are stage-2 nesting parents (S2 TLBIs, the S1 clear, "
	   "ATS_FULL entries)"),
	SK("mixed_stages", OPT_BOOL, mixed_stages, 0, 1, NULL,
	   "odd domains are stage-2 nesting parents, even ones stage 1: "
	   "churners move devices between the stages (their STEs change "
	   "CFG, the CD attributes and the VMID at once)"),
	SK("msi", OPT_BOOL, msi, 0, 1, NULL,
	   "CMD_SYNC completion by MSI (false: the driver polls CONS)"),
	SK("range_inv", OPT_BOOL, range_inv, 0, 1, NULL,
	   "the SMMU has range invalidation (IDR3.RIL): range TLBIs"),
	SK("fault", OPT_ENUM, fault, 0, 0, stress_fault_names,
	   "none, timeout (device stops answering), reset, dpc, smmu-stall "
	   "(the SMMU consumes no command), illegal (each fault: the SMMU "
	   "reads its next command other than a CMD_SYNC corrupted, "
	   "CERROR_ILL; fault_duration unused), lost (a device leaves its next "
	   "ATC_INV unanswered, a lost completion, and answers the rest)"),
	SK("fault_plan", OPT_TEXT, fault_plan, 0, 0, NULL,
	   "a fault plan file (README, Fault plans), beside the fault driver"),
	SK("fault_interval", OPT_NS, fault_interval_ns, 1000000,
	   STRESS_MAX_DURATION_NS, NULL, "time between two faults"),
	SK("fault_duration", OPT_NS, fault_duration_ns, 100000,
	   STRESS_MAX_DURATION_NS, NULL,
	   "how long a fault lasts before recovery"),
	SK("reset_prepare", OPT_BOOL, reset_prepare, 0, 1, NULL,
	   "resets go through pci_dev_reset_iommu_prepare/done"),
	SK("reset_fail", OPT_UINT, reset_fail_pct, 0, 100, NULL,
	   "percentage of resets that fail"),
	SK("detach", OPT_UINT, detach_pct, 0, 100, NULL,
	   "percentage of churn operations that detach the device through the "
	   "core (iommu_detach_device(): blocked, no domain retained) rather "
	   "than move it; the churner attaches it again when it next picks it, "
	   "across a reset too (then deferred to its end)"),
	SK("churn_interval", OPT_NS, churn_interval_ns, 0,
	   STRESS_MAX_LATENCY_NS, NULL,
	   "pause between two attaches of a churner"),
	SK("translate_interval", OPT_NS, translate_interval_ns, 0,
	   STRESS_MAX_LATENCY_NS, NULL,
	   "pause after each burst of translation requests"),
	SK("cmdq_detail", OPT_BOOL, cmdq_detail, 0, 1, NULL,
	   "also time each command list's insertion and CMD_SYNC wait (4 "
	   "clock reads and 2 records more per operation)"),
	SK("rate", OPT_U64, rate, 0, STRESS_MAX_RATE, NULL,
	   "open loop: operations per second per mapper, latency from each "
	   "one's intended start (0: closed loop)"),
	SK("stall", OPT_NS, stall_ns, STRESS_MIN_STALL_NS,
	   3600ULL * 1000000000ULL, NULL,
	   "a mapper without a completion for this long is stalled (an "
	   "event)"),
	SK("hist_digits", OPT_UINT, hist_digits, LAT_MIN_DIGITS, LAT_MAX_DIGITS,
	   NULL, "significant digits of the latency histograms"),
	SK("inject_bug", OPT_ENUM, inject_bug, 0, 0, stress_bug_names,
	   "none, install-invs-after-ste, lift-on-failed-reset, ste-rmw-race"),
	SK("progress", OPT_ENUM, progress, 0, 0, stress_tristate_names,
	   "progress line on stderr: auto (if a terminal), on, off"),
	SK("smmu_thread", OPT_ENUM, smmu_thread, 0, 0, stress_tristate_names,
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

void stress_config_defaults(struct stress_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->duration_ns = 10ULL * 1000000000ULL;
	cfg->warmup_ns = 500ULL * 1000000ULL;
	cfg->seed = 1;
	cfg->mappers = 2;
	cfg->translators = 1;
	cfg->smmus = 1;
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
	cfg->msi = true;
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

int stress_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void stress_config_print_keys(FILE *f)
{
	struct stress_config dflt;
	const struct opt_group g = OPT_GROUP(stress_keys, &dflt);

	stress_config_defaults(&dflt);
	opt_help(f, &g, 1, false);
}

const struct opt *stress_config_keys(unsigned int *num)
{
	*num = ARRAY_SIZE(stress_keys);
	return stress_keys;
}

int stress_config_set(struct stress_config *cfg, const char *key,
		      const char *value, char *err, size_t errlen)
{
	const struct opt_group g = OPT_GROUP(stress_keys, cfg);

	return opt_set(&g, 1, key, value, err, errlen) ? -EINVAL : 0;
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

/* The plan parses, and names only the run's devices (SIDs 0..n-1) */
static int stress_config_check_plan(const struct stress_config *cfg, char *err,
				    size_t errlen)
{
	unsigned int ndevs = cfg->domains * cfg->devices;
	struct sim_fault_plan *plan;
	char why[256];
	u32 sids[SIM_FAULT_MAX_STATEMENTS];
	size_t n, i;
	int ret;

	ret = sim_fault_parse_file(cfg->fault_plan, cfg->seed, &plan, why,
				   sizeof(why));
	if (ret)
		return stress_err(err, errlen, "fault_plan: %s: %s",
				  cfg->fault_plan,
				  ret == -EINVAL ? why : strerror(-ret));
	n = sim_fault_sids(plan, sids, ARRAY_SIZE(sids));
	sim_fault_free(plan);
	for (i = 0; i < n && i < ARRAY_SIZE(sids); i++)
		if (sids[i] >= ndevs)
			return stress_err(err, errlen,
					  "fault_plan: %s: SID %u is not a "
					  "device of the run (0..%u)",
					  cfg->fault_plan, sids[i], ndevs - 1);
	return 0;
}

int stress_config_check(const struct stress_config *cfg, char *err,
			size_t errlen)
{
	int ret = 0;

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
	if (cfg->smmus > cfg->domains)
		return stress_err(err, errlen,
				  "smmus (%u) is more than domains (%u): an "
				  "SMMU would have no domain",
				  cfg->smmus, cfg->domains);
	if (cfg->non_ats >= cfg->devices)
		return stress_err(err, errlen,
				  "non_ats (%u) must leave a device with ATS "
				  "(devices %u)",
				  cfg->non_ats, cfg->devices);
	if (cfg->non_ats + cfg->pasid > cfg->devices)
		return stress_err(err, errlen,
				  "pasid (%u) takes devices with ATS: at most "
				  "devices - non_ats (%u)",
				  cfg->pasid, cfg->devices - cfg->non_ats);
	if (cfg->pasid && cfg->nested)
		return stress_err(err, errlen,
				  "pasid needs stage-1 domains (nested false)");
	if (cfg->pasid && cfg->mixed_stages)
		return stress_err(err, errlen,
				  "pasid needs stage-1 domains (mixed_stages "
				  "false)");
	if (cfg->nested && cfg->mixed_stages)
		return stress_err(err, errlen,
				  "nested makes every domain stage 2: "
				  "mixed_stages needs nested false");
	if (cfg->non_ats && cfg->fault != STRESS_FAULT_NONE &&
	    cfg->fault != STRESS_FAULT_SMMU_STALL &&
	    cfg->fault != STRESS_FAULT_ILLEGAL)
		return stress_err(err, errlen,
				  "non_ats needs fault none, smmu-stall or "
				  "illegal: a device fault may pick a device "
				  "without ATS");
	if (cfg->fault != STRESS_FAULT_NONE &&
	    cfg->fault_duration_ns >= cfg->fault_interval_ns)
		return stress_err(err, errlen,
				  "fault_duration must be shorter than "
				  "fault_interval");
	if (cfg->clock == STRESS_CLOCK_VCPU && !khooks_vcpu_supported())
		return stress_err(err, errlen,
				  "clock vcpu runs in atcbench-wmm only (its "
				  "kernel-form code has the interleaving "
				  "points)");
	if (cfg->clock == STRESS_CLOCK_VCPU &&
	    1 + cfg->mappers + cfg->translators + cfg->churners >
		    KHOOKS_VCPU_MAX_CPUS)
		return stress_err(err, errlen,
				  "clock vcpu: 1 + mappers + translators + "
				  "churners is above %u virtual CPUs",
				  KHOOKS_VCPU_MAX_CPUS);
	if (stress_virtual(cfg) && cfg->ops == 0 &&
	    cfg->duration_ns > STRESS_VIRTUAL_SPAN_MAX_NS)
		return stress_err(err, errlen,
				  "virtual runs are limited to 600 s of "
				  "simulated time");
	if (cfg->fault_plan[0])
		ret = stress_config_check_plan(cfg, err, errlen);
	if (ret)
		return ret;
	if ((cfg->inject_bug != STRESS_BUG_NONE ||
	     cfg->quarantine != STRESS_QUARANTINE_FLAG) &&
	    !khooks_switches_built())
		return stress_err(err, errlen,
				  "inject_bug and quarantine = inv-type need "
				  "a build with ATCBENCH_SWITCHES=ON");
	return 0;
}

void stress_config_print_diff(FILE *f, const struct stress_config *cfg,
			      const struct stress_config *from)
{
	const struct opt_group g = OPT_GROUP(stress_keys, (void *)cfg);

	opt_print_diff(f, &g, from);
}

void stress_config_print(const struct stress_config *cfg, FILE *f)
{
	const struct opt_group g = OPT_GROUP(stress_keys, (void *)cfg);

	opt_print_values(f, &g, 1);
}
