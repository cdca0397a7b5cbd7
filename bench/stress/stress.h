/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stress: "atcbench stress", the main job.  Mapper threads unmap, invalidate
 * (arm_smmu_domain_inv_range() into the command queue, waiting for the
 * CMD_SYNC) and map again, on pinned CPUs with node-local page tables;
 * translator threads fill the devices' ATCs; churn threads move devices
 * between domains; a fault driver injects the scenario's faults (timeouts,
 * resets with or without the prepare/done protocol, surprise resets) and
 * recovers from them; the oracle (sim/oracle.h) checks every invalidation.
 *
 * A scenario is a list of "key = value" lines (the keys of
 * "atcbench stress --help"); the built-in ones are listed by "atcbench
 * scenarios".  Command-line options "--key value" override them.
 *
 * Results (results/README.md): stress-<name>.json, one
 * stress-<name>-<metric>.hgrm per metric, and env.json, all written
 * atomically into the results folder.
 */
#ifndef STRESS_H
#define STRESS_H

/* stress-NAME.json's "schema_version" (results/README.md describes the schema) */
#define STRESS_SCHEMA_VERSION 1

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include "lib/load.h"

#define STRESS_MAX_MAPPERS 64
#define STRESS_MAX_TRANSLATORS 64
#define STRESS_MAX_CHURNERS 16
#define STRESS_MAX_DOMAINS 64
#define STRESS_MAX_DEVICES \
	256 /* per domain: four command batches of ATC_INVs */
#define STRESS_MAX_PAGES 65536 /* per mapper */
#define STRESS_MAX_OP_PAGES 512
#define STRESS_MAX_DURATION_NS (86400ULL * 1000000000ULL)
/* Simulated time a virtual run may take (a counted run ends by then) */
#define STRESS_VIRTUAL_SPAN_MAX_NS (600ULL * 1000000000ULL)
#define STRESS_MAX_OPS 1000000000000ULL
#define STRESS_MAX_LATENCY_NS 1000000000ULL /* any modelled latency: 1 s */
#define STRESS_MAX_NAME 64
#define STRESS_MAX_LINE 1024 /* of a scenario file */
#define STRESS_MAX_FILE (1 << 20) /* bytes of a scenario file */

enum stress_clock {
	STRESS_CLOCK_REAL, /* threads, the host's scheduling */
	STRESS_CLOCK_VIRTUAL, /* one thread, one role's step at a time */
	STRESS_CLOCK_VCPU, /* a virtual CPU per role, interleaved by seed */
};
enum stress_fault {
	STRESS_FAULT_NONE,
	STRESS_FAULT_TIMEOUT, /* a device stops answering ATC_INVs */
	STRESS_FAULT_RESET, /* a device is reset */
	STRESS_FAULT_DPC, /* surprise reset: link down, no prepare */
	STRESS_FAULT_SMMU_STALL, /* the SMMU consumes no command */
	STRESS_FAULT_ILLEGAL, /* the SMMU reads a command as illegal */
	STRESS_FAULT_LOST, /* a device loses one ATC_INV's completion */
};
enum stress_bug {
	STRESS_BUG_NONE,
	STRESS_BUG_INSTALL_INVS_AFTER_STE,
	STRESS_BUG_LIFT_ON_FAILED_RESET,
	STRESS_BUG_STE_RMW_RACE,
};
enum stress_quarantine { STRESS_QUARANTINE_FLAG, STRESS_QUARANTINE_INV_TYPE };
enum stress_tristate { STRESS_AUTO, STRESS_ON, STRESS_OFF };

struct opt;

struct stress_config {
	char name[STRESS_MAX_NAME]; /* results are stress-<name>.* */
	char scenario[STRESS_MAX_NAME];
	char description[160];
	char fault_plan[256]; /* a fault plan file (sim/fault.h), or "" */
	u64 duration_ns, warmup_ns, ops, seed;
	unsigned int mappers, translators, churners;
	unsigned int detach_pct; /* of churn operations: a detach */
	unsigned int smmus; /* domain d and its devices on SMMU d % smmus */
	unsigned int domains, devices, pages, op_pages;
	unsigned int non_ats; /* devices per domain without ATS */
	unsigned int pasid; /* devices per domain attached at a PASID */
	char pin[64];
	unsigned int clock; /* enum stress_clock */
	char strategy[32];
	unsigned int quarantine; /* enum stress_quarantine */
	u64 atc_timeout_ns, hw_timeout_ns;
	u64 dev_latency_ns, cmd_ns, atc_inv_ns, sync_ns;
	unsigned int cmdq_shift;
	bool msi; /* CMD_SYNC completion by MSI, else by polling CONS */
	bool nested; /* the domains are stage-2 nesting parents */
	bool mixed_stages; /* the odd domains are (stage-1 the even ones) */
	bool range_inv; /* IDR3.RIL: range TLBIs */
	unsigned int fault; /* enum stress_fault */
	u64 fault_interval_ns, fault_duration_ns;
	bool reset_prepare;
	unsigned int reset_fail_pct;
	u64 churn_interval_ns, translate_interval_ns;
	bool cmdq_detail; /* the cmdq_insert and cmdq_sync histograms */
	u64 rate; /* operations per second per mapper; 0: closed loop */
	u64 stall_ns; /* a mapper without a completion this long: a stall */
	unsigned int hist_digits;
	unsigned int inject_bug; /* enum stress_bug */
	unsigned int progress, smmu_thread; /* enum stress_tristate */
};

/* Defaults, then the built-in scenario @name: -ENOENT if there is none */
int stress_config_builtin(const char *name, struct stress_config *cfg);
/*
 * Apply "key = value" lines of @text (@src names it in errors); -EINVAL
 * with "SRC:LINE: reason" in @err.
 */
int stress_config_apply(struct stress_config *cfg, const char *text,
			const char *src, char *err, size_t errlen);
/* The keys' table (lib/opt.h), over a struct stress_config */
const struct opt *stress_config_keys(unsigned int *num);
/* Set one key; -EINVAL with the reason in @err */
int stress_config_set(struct stress_config *cfg, const char *key,
		      const char *value, char *err, size_t errlen);
/* " --key value" for each key whose value in @cfg differs from @from's */
void stress_config_print_diff(FILE *f, const struct stress_config *cfg,
			      const struct stress_config *from);
/* Cross-key checks (op_pages <= pages, a known strategy, ...) */
int stress_config_check(const struct stress_config *cfg, char *err,
			size_t errlen);
/* The configuration as "key = value" lines */
void stress_config_print(const struct stress_config *cfg, FILE *f);

/* The built-in scenarios, NULL-terminated */
struct stress_scenario {
	const char *name;
	const char *summary;
	const char *text; /* its "key = value" lines over the defaults */
};
extern const struct stress_scenario stress_scenarios[];

/* What a run measured (the summary JSON has all of it) */
struct stress_result {
	u64 ops, violations, timeouts, quarantines, spam, warns;
	u64 violations_gave_up; /* of violations: sim_oracle_violations_gave_up() */
	/* not in violations: after a time-out the host caused */
	u64 violations_host;
	double seconds, ops_per_s;
	double cpu_seconds; /* virtual time: CPU time of the measured span */
	/* what else the machine did over the run (have_load: measured) */
	struct load load;
	bool have_load;
	bool interrupted;
};

/*
 * Run @cfg and write its results into @out_dir; @cmdline is recorded.
 * Returns 0 or a negative errno (-EINVAL: a bad CPU list).
 */
int stress_run(const struct stress_config *cfg, const char *out_dir,
	       const char *cmdline, struct stress_result *res);

/* The commands: return the exit status */
int stress_cmd(int argc, char **argv);
int stress_scenarios_cmd(int argc, char **argv);

#endif /* STRESS_H */
