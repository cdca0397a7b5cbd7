/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scale: the hot path on many virtual CPUs in virtual time (issue 29).
 *
 * Each point of a curve runs the workload on N time-ordered virtual CPUs
 * of <khooks/vcpu.h> (KHOOKS_VCPU_TIME, weakly ordered), whose accesses
 * cost what sim_cost says on the profile's machine, against the simulated
 * SMMU consuming commands at its modelled rates.  Every figure is modelled
 * time, a function of the configuration and the seed.
 */
#ifndef SCALE_INTERNAL_H
#define SCALE_INTERNAL_H

#include <linux/types.h>
#include <sim/cost.h>
#include <trace/events/arm_smmu_v3.h>

#include "lib/lat.h"
#include "lib/load.h"

#define SCALE_MAX_POINTS 16
#define SCALE_MAX_CPUS 256
#define SCALE_MAX_CMDS 64 /* commands in a list (one batch) */
#define SCALE_MAX_ENTRIES 1024 /* ATS masters in the walker's domain */
#define SCALE_MAX_DURATION_NS (100ULL * 1000 * 1000) /* 100 ms virtual */
#define SCALE_MAX_OP_NS (1000ULL * 1000 * 1000) /* 1 s */
#define SCALE_MAX_LAT_NS 100000 /* a profile's transfer, at most */
#define SCALE_MAX_POINT_PS 1000000 /* 1 us a point */
#define SCALE_LAT_DIGITS 3
#define SCALE_MIN_STEPS 100000
#define SCALE_MAX_STEPS (10ULL * 1000 * 1000 * 1000)
/* hol: ATS devices in CPU 0's list (a batch, a CMD_SYNC) */
#define SCALE_MAX_DEVS 63
#define SCALE_MAX_DEV_NS (100ULL * 1000 * 1000) /* 100 ms */

enum scale_workload {
	SCALE_CMDLIST, /* issue_cmdlist(): cmds TLBIs and a CMD_SYNC */
	SCALE_MAP_UNMAP, /* op_ns of CPU work, then one TLBI and a sync */
	/*
	 * op_ns of CPU work, then arm_smmu_domain_inv_range() of a page on a
	 * domain of @entries ATS masters: the walker with its batch
	 */
	SCALE_WALKER,
	/*
	 * Head-of-line blocking: op_ns of CPU work, then a batch (TLBI and
	 * ATC_INVs, one CMD_SYNC) through the batch API.  CPU 0's batch has
	 * @devs ATS devices, the first of them slow (@slow_ns, or no answer:
	 * the ATC timeout); the others, the bystanders, invalidate their own
	 * ASID (and with SCALE_BYSTANDER_ATS a healthy device of their own).
	 * The latency recorded is the bystanders'.
	 */
	SCALE_HOL,
	SCALE_NR_WORKLOADS,
};

extern const char *const scale_workload_names[];

/* The cmdq lock: upstream's, or as before commit df180b1a */
enum scale_cmdq_lock {
	SCALE_LOCK_NEW,
	SCALE_LOCK_OLD,
};

extern const char *const scale_lock_names[];

/* The command queue's design: upstream's, or a variant beside it */
enum scale_queue {
	SCALE_QUEUE_LOCKFREE,
	SCALE_QUEUE_FETCH_ADD, /* variants/cmdq-fetch-add.h */
	SCALE_QUEUE_LOCKED, /* variants/cmdq-locked.h: one spinlock */
};

extern const char *const scale_queue_names[];

/* The walker's domain: upstream's invalidation array, or a device list */
enum scale_walker {
	SCALE_WALKER_RCU,
	SCALE_WALKER_DEVLIST, /* variants/devlist.h */
};

extern const char *const scale_walker_names[];

/* Command queues per SMMU: upstream's one, or variants/cmdq-multi.h */
enum scale_cmdq {
	SCALE_CMDQ_SINGLE,
	SCALE_CMDQ_PER_CPU, /* @queues queues, CPU c on queue c % @queues */
	SCALE_CMDQ_ATS, /* the ATC invalidations on a queue of their own */
};

extern const char *const scale_cmdq_names[];

/* What the hol workload's bystanders invalidate */
enum scale_bystander {
	SCALE_BYSTANDER_TLBI, /* a TLBI of their ASID */
	SCALE_BYSTANDER_ATS, /* and an ATC_INV to a healthy device */
};

extern const char *const scale_bystander_names[];

struct scale_config {
	char profile[SIM_COST_NAME_MAX];
	struct scale_cpus {
		unsigned int n[SCALE_MAX_POINTS];
		unsigned int num;
	} cpus;
	u64 seed;
	unsigned int workload;
	unsigned int cmds;
	unsigned int entries; /* walker: ATS masters in the domain */
	unsigned int walker; /* enum scale_walker */
	u64 op_ns;
	u64 warmup_ns, duration_ns; /* virtual, per point */
	unsigned int cmdq_shift;
	/* The SMMU's time per TLBI, per ATC_INV (sent), per CMD_SYNC */
	u64 cmd_ns, atc_inv_ns, sync_ns;
	u64 max_steps; /* points a run may take: then a livelock */
	/* The fit's parameters (0: the profile's) */
	u64 point_ps, lat_ns;
	u64 rmw_home_ns; /* far atomics, their time at the home (0: near) */
	bool fit; /* fit op_ns and lat_ns on the published 2 and 8 CPUs */
	unsigned int cmdq_lock; /* enum scale_cmdq_lock */
	unsigned int queue; /* enum scale_queue */
	unsigned int cmdq; /* enum scale_cmdq */
	unsigned int queues; /* SCALE_CMDQ_PER_CPU: queues (0: one a CPU) */
	/* hol: CPU 0's devices, the slow one's answer or none at all */
	unsigned int devs;
	u64 slow_ns;
	bool slow_timeout;
	u64 dev_ns; /* hol: a healthy device's answer */
	u64 atc_timeout_ns; /* hol: the SMMU's ATC invalidation timeout */
	unsigned int bystander; /* enum scale_bystander */
	const char *out;
};

/*
 * Where the CPUs' measured time goes: each CPU's share of the measured span
 * (they sum to 1).  The waits of a command list (trace_arm_smmu_cmdq_wait),
 * the map-unmap's own work, and the rest of the issue path split into time
 * in line transfers (outside the waits) and everything else (its
 * instructions, MMIO).
 */
enum scale_share {
	SCALE_SHARE_OP = ARM_SMMU_CMDQ_NR_WAITS, /* after the waits' */
	SCALE_SHARE_LINES,
	SCALE_SHARE_OTHER,
	SCALE_NR_SHARES,
};

extern const char *const scale_share_names[];

struct scale_point {
	unsigned int cpus;
	u64 ops; /* started in the measured span (hol: the bystanders') */
	double ops_per_cpu_s, ops_per_s;
	struct lat_hist *lat; /* each measured operation's time, ns */
	u64 lists; /* command lists issued, warm-up included */
	u64 prod_rmws; /* RMWs on the word a list's space is taken on */
	struct sim_cost_stats cost;
	u64 steps, switches, waits;
	u64 kernel_errors, warns; /* the kernel-form code's pr_err()s, WARNs */
	u64 virtual_ns; /* where the last CPU's clock ended */
	bool livelock; /* no end within cfg->max_steps (the world is left) */
	u64 longest_ns; /* the longest operation, or one still under way */
	double share[SCALE_NR_SHARES]; /* enum arm_smmu_cmdq_wait, scale_share */
	/* The longest of each wait that ended in the span, or is under way */
	u64 wait_max_ns[ARM_SMMU_CMDQ_NR_WAITS];
	/*
	 * hol: CPU 0's operations in the span, and over the whole run its
	 * lists that returned -EIO, the bystanders' that did (an innocent
	 * one told its invalidation failed) and the SMMU's ATC timeouts
	 */
	u64 slow_ops, slow_eio, bystander_eio, atc_timeouts;
	/* Host time the point took: wall clock, and the thread's CPU time */
	double wall_s, cpu_s;
	/* what else the host did meanwhile (have_load: measured) */
	struct load load;
	bool have_load;
};

#define SCALE_HOST_PROFILE "host"

/*
 * This machine (scale/host.c): its layout from hwloc, its line transfers
 * measured, once a process; 0, -EINVAL (a layout whose clusters, dies or
 * packages differ), -errno
 */
int scale_host_profile(struct sim_cost_profile *p);

/* The profile @cfg names, with its overrides: 0 or -ENOENT */
int scale_profile(const struct scale_config *cfg, struct sim_cost_profile *p);
/* "atcbench scale"'s defaults (its --help) */
void scale_defaults(struct scale_config *cfg);

/*
 * Why point @pt of @cfg fails its checks, or NULL: no progress; an error
 * or WARN of the kernel-form code but the one error each ATC timeout logs;
 * hol: a timeout that did not reach CPU 0 alone as -EIO, a timeout with no
 * device set to time out, no bystander operation measured
 */
const char *scale_point_failure(const struct scale_config *cfg,
				const struct scale_point *pt);

/* The command queues besides the SMMU's own that @cfg gives @cpus CPUs */
unsigned int scale_num_queues(const struct scale_config *cfg,
			      unsigned int cpus);
/*
 * Run one point on @cpus CPUs into @pt: 0, -EDEADLK (no progress: @pt says
 * how far it got), or -errno; @pt->lat is allocated, or NULL after an
 * error that came first
 */
int scale_run_point(const struct scale_config *cfg, unsigned int cpus,
		    struct scale_point *pt);

#endif /* SCALE_INTERNAL_H */
