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

#include "lib/units.h"

#include "stress/internal.h"

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

const char *const stress_clock_names[] = { "real", "virtual", NULL };
static const char *const stress_fault_names[] = {
	"none", "timeout", "reset", "dpc", "smmu-stall", NULL,
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

void stress_config_defaults(struct stress_config *cfg)
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

int stress_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A duration as short as it stays exact: 5s, 100ms, 50us, 1500ns */
static void stress_ns_str(u64 ns, char *buf, size_t len)
{
	static const struct {
		u64 div;
		const char *unit;
	} units[] = { { 3600000000000ULL, "h" },
		      { 1000000000, "s" },
		      { 1000000, "ms" },
		      { 1000, "us" } };
	unsigned int i;

	if (!ns) {
		snprintf(buf, len, "0");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(units); i++)
		if (!(ns % units[i].div)) {
			snprintf(buf, len, "%llu%s", ns / units[i].div,
				 units[i].unit);
			return;
		}
	snprintf(buf, len, "%lluns", ns);
}

/* @k's default (from @dflt) and its limits, for the help */
static void stress_key_default(const struct stress_key *k,
			       const struct stress_config *dflt, char *buf,
			       size_t len)
{
	const void *field = (const char *)dflt + k->off;
	char v[24], lo[24], hi[24];

	switch (k->type) {
	case SK_STR:
		snprintf(buf, len, *(const char *)field ? " (default %s)" : "",
			 (const char *)field);
		return;
	case SK_ENUM:
		snprintf(buf, len, " (default %s)",
			 k->names[*(const unsigned int *)field]);
		return;
	case SK_BOOL:
		snprintf(buf, len, " (default %s)",
			 *(const bool *)field ? "true" : "false");
		return;
	case SK_NS:
		stress_ns_str(*(const u64 *)field, v, sizeof(v));
		stress_ns_str(k->min, lo, sizeof(lo));
		stress_ns_str(k->max, hi, sizeof(hi));
		break;
	case SK_UINT:
	case SK_U64:
		snprintf(v, sizeof(v), "%llu",
			 k->type == SK_UINT ?
				 (u64) * (const unsigned int *)field :
				 *(const u64 *)field);
		snprintf(lo, sizeof(lo), "%llu", k->min);
		snprintf(hi, sizeof(hi), k->max == U64_MAX ? "2^64-1" : "%llu",
			 k->max);
		break;
	}
	snprintf(buf, len, " (default %s; %s..%s)", v, lo, hi);
}

void stress_config_print_keys(FILE *f)
{
	struct stress_config dflt;
	char text[512], extra[128];
	size_t i;

	stress_config_defaults(&dflt);
	for (i = 0; i < ARRAY_SIZE(stress_keys); i++) {
		const struct stress_key *k = &stress_keys[i];
		const char *w = text;
		int col;

		stress_key_default(k, &dflt, extra, sizeof(extra));
		snprintf(text, sizeof(text), "%s%s", k->help, extra);
		/* the help wrapped at 79 columns, under its key */
		col = fprintf(f, "  %-18s", k->name);
		while (*w) {
			size_t n = strcspn(w, " ");

			if (col + 1 + (int)n > 79) {
				fprintf(f, "\n%20s", "");
				col = 20;
			}
			col += fprintf(f, " %.*s", (int)n, w);
			w += n;
			w += strspn(w, " ");
		}
		fputc('\n', f);
	}
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
			return stress_err(
				err, errlen,
				"%s: '%s' is not a duration (" UNITS_DURATION_SYNTAX
				")",
				key, value);
		break;
	case SK_UINT:
	case SK_U64:
		/* decimal only: 010 is ten, 0x10 is refused */
		errno = 0;
		v = strtoull(value, &end, 10);
		if (!*value || *end || errno ||
		    strspn(value, "0123456789") != strlen(value))
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
	if ((cfg->inject_bug != STRESS_BUG_NONE ||
	     cfg->quarantine != STRESS_QUARANTINE_FLAG) &&
	    !khooks_switches_built())
		return stress_err(err, errlen,
				  "inject_bug and quarantine = inv-type need "
				  "a build with ATCBENCH_SWITCHES=ON");
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
