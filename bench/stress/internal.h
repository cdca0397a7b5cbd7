/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stress/internal.h: what the stress engine's files share (stress.h is the
 * interface): the run, its devices and threads, the metrics, the limits
 */
#ifndef STRESS_INTERNAL_H
#define STRESS_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include <linux/pci.h>
#include <arm-smmu-v3/arm-smmu-v3.h>
#include <khooks/vcpu.h>
#include <sim/clock.h>
#include <sim/fault.h>
#include <sim/oracle.h>
#include <sim/smmu.h>
#include <sim/world.h>

#include "lib/lat.h"
#include "lib/topo.h"
#include "stress/stress.h"

#define EXIT_USAGE 2
#define STRESS_PAGE_SHIFT 12
#define STRESS_TICK_NS 1000000ULL /* the fault driver's period */
#define STRESS_TRANSLATE_BURST 16
/* A device's other PASID: its own with this bit flipped (20-bit PASIDs) */
#define STRESS_PASID_OTHER (1u << 19)
/* Timeline bins: 2^shift ns (2^20: about 1 ms at least), 1024 at most */
#define STRESS_TIMELINE_BINS 1024
#define STRESS_TIMELINE_MIN_SHIFT 20
#define STRESS_MAX_EVENTS 4096
#define STRESS_MAX_RATE 1000000000ULL /* operations per second per mapper */
#define STRESS_MIN_STALL_NS 1000000ULL
/*
 * Real time: the harness's own thread, which ticks every STRESS_TICK_NS,
 * not run for this long means the host starved the process
 */
#define STRESS_HOST_GAP_NS (50 * 1000000ULL)
/* runq.c: its sampling period, and what it keeps */
#define STRESS_RUNQ_PERIOD_NS (10 * 1000000ULL)
#define STRESS_RUNQ_MAX_THREADS 1024
#define STRESS_RUNQ_MAX_WINDOWS 256
/* Give-ups judged at the end of a real-time run (more: the driver's) */
#define STRESS_MAX_GIVE_UPS 4096
#define STRESS_MAX_HANGS 64
#define STRESS_SIGNALS_TO_KILL 3 /* SIGINT/SIGTERM: 1 and 2 stop, 3 kills */
/* Virtual time: the deferred work runs after a step with these odds */
#define STRESS_VIRTUAL_WORK_ONE_IN 4
#define STRESS_VIRTUAL_STEP_NS \
	200 /* virtual time a step without commands takes */
/*
 * Clock vcpu (vcpu.c): the virtual time of an interleaving point; a
 * CPU's odds of being preempted at each point (1 in N), beside PCT's
 * waits, and while it has stores buffered, and its longest time off (2^N steps of the others: a walker's
 * whole operation fits); steps past the run's end that make a livelock
 */
#define STRESS_VCPU_STEP_NS 1
#define STRESS_VCPU_PREEMPT_ONE_IN 64
#define STRESS_VCPU_PREEMPT_BUFFERED_ONE_IN 8
#define STRESS_VCPU_PREEMPT_MAX_LOG2 12
#define STRESS_VCPU_LIVELOCK_STEPS (100ULL * 1000 * 1000)

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

extern const char *const stress_metric_names[SM_NR];

struct stress_run;

struct stress_dev {
	struct sim_world_master *wm; /* its device, pci_dev and master */
	unsigned int domain; /* index of its domain */
	u64 fault_onset_ns; /* 0: no fault under way */
	u64 invs_at_quarantine;
	bool quarantined; /* seen by the probe, until lifted */
	bool in_reset; /* between prepare() and done() */
	bool in_plan; /* the fault plan names it: it may be faulty */
	bool detached; /* by a churner, through the core: attached to none */
	/* 1 + the domain a churner is attaching it to, 0: none (vcpu.c) */
	unsigned int joining;
};

struct stress_thread {
	struct stress_run *run;
	pthread_t tid;
	struct topo_slot slot;
	u64 rng;
	struct lat_hist *hist[SM_NR]; /* SM_INV .. SM_ISOLATION */
	u64 ops; /* measured; read by the progress line (relaxed) */
	u64 *progress; /* a coarse histogram of SM_INV, for the progress line */
	u64 translations, attaches, refused, detaches;
	u64 pasid_moves; /* attaches that moved a device to its other PASID */
	u64 sw_timeouts; /* its command lists that ended on the software one */
	/*
	 * Real time, mappers: a sample of their thread's CPU clock (cpu_ns,
	 * read by the watchdog) and the time it was taken, renewed at the end
	 * of an operation once per STRESS_TICK_NS: what their operation since
	 * ran on a CPU, at a syscall per millisecond, not per operation
	 */
	u64 cpu_ns, cpu_at_ns;
	/* Mappers: per timeline bin, invalidations and their worst latency */
	u64 *tl_count, *tl_max, *tl_viol; /* per bin: ops, worst, violations */
	/* Mapper state */
	unsigned int domain, first_page, next;
	/* 1 + the first page being unmapped, 0 between operations (vcpu.c) */
	unsigned int inflight;
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

/* runq.c: a thread's run_delay as last read */
struct stress_runq_thread {
	long tid;
	int fd; /* its schedstat */
	bool seen; /* in the last scan */
	u64 at, delay; /* when read, what */
};

/*
 * The run queues' view (runq.c): the threads' last reads, and the windows
 * that cover each wait of STRESS_HOST_GAP_NS or more
 */
struct stress_runq {
	bool on; /* /proc has schedstat */
	u64 sample_at;
	struct stress_runq_thread t[STRESS_RUNQ_MAX_THREADS];
	unsigned int n;
	struct {
		u64 from, to;
	} win[STRESS_RUNQ_MAX_WINDOWS];
	unsigned int nwin;
	u64 starvations, starved_max_ns;
};

/* A real-time invalidation that gave up, its window and its violations */
struct stress_give_up {
	u64 t0, t1;
	unsigned int violations;
};

/* A fault-driver or driver event, for the timeline */
struct stress_event {
	u64 t_ns; /* since the measurement began */
	/* fault, timeout, quarantine, reset, failed-reset, stall */
	const char *kind;
	int dev; /* device index (stall: mapper index), or -1 */
};

struct stress_vcpu;

struct stress_run {
	const struct stress_config *cfg;
	struct topo topo;
	struct sim_world world;
	struct stress_dev *devs;
	struct sim_dev **sdevs;
	unsigned int ndevs, pages_per_domain;
	struct sim_oracle *oracle;
	struct sim_fault_plan *plan; /* --fault-plan, or NULL */
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
	/* Command lists that ended on the driver's software time-out */
	u64 sw_timeouts;
	/*
	 * Real time, the watchdog's: its previous tick, the last one that
	 * came STRESS_HOST_GAP_NS late or more (the host's), how many did and
	 * the longest gap; hangs (every mapper stalled past the driver's
	 * time-out while the harness ran), and whether one is under way
	 */
	u64 tick_prev_ns, host_gap_at_ns, host_gaps, host_gap_max_ns;
	u64 hangs;
	bool hanging;
	/*
	 * The hangs' windows (the last widens past STRESS_MAX_HANGS), and
	 * those a starvation of the host's overlaps (runq.c), at the end
	 */
	struct {
		u64 from, to;
	} hang_win[STRESS_MAX_HANGS];
	u64 hangs_host;
	/*
	 * Invalidations that gave up while the host starved their thread, or
	 * another (runq.c: the give-ups kept to be judged at the end)
	 */
	u64 host_give_ups;
	struct stress_runq runq;
	struct stress_give_up give_ups[STRESS_MAX_GIVE_UPS];
	unsigned int ngive_ups;
	bool smmu_stalled; /* a smmu-stall fault is under way */
	u64 smmu_stall_end_ns; /* when the last one ended */
	int victim; /* device index of the fault under way, or -1 */
	u64 fault_end_ns, next_fault_ns;
	u64 timeouts0, isolations0, tests0, warns0;
	u64 fault_rng; /* the fault driver's choices */
	unsigned int tl_shift; /* a bin is 2^tl_shift ns: no division */
	struct stress_event events[STRESS_MAX_EVENTS];
	unsigned int nevents;
	u64 events_lost;
	/*
	 * Clock vcpu (vcpu.c): its CPUs; the run's interleaving figures,
	 * and whether it was cut short as a livelock
	 */
	struct stress_vcpu *vcpu;
	struct khooks_vcpu_stats vcpu_stats;
	bool vcpu_livelock;
};

extern struct stress_run *stress_cur; /* for the probes (world.c) */
extern __thread struct stress_thread *stress_self; /* a role's own */
/* The thread's isolation episode's start (world.c) */
extern __thread u64 stress_isolate_t0;

/* vcpu.c: the run on virtual CPUs; a role's sleep until the clock's @t */
int stress_vcpu_run(struct stress_run *r);
void stress_vcpu_sleep_until(struct stress_run *r, u64 t);

static inline bool stress_stopping(struct stress_run *r)
{
	/* The driver sets it at the end, on Ctrl-C or on an error */
	return __atomic_load_n(&r->stop, __ATOMIC_ACQUIRE);
}

/* Virtual time (virtual, vcpu): deterministic; the host starves nothing */
static inline bool stress_virtual(const struct stress_config *cfg)
{
	return cfg->clock != STRESS_CLOCK_REAL;
}

/*
 * One role's step at a time (virtual): a check the harness makes beside
 * the driver's call sees what the call left, nothing come between
 */
static inline bool stress_one_at_a_time(const struct stress_config *cfg)
{
	return cfg->clock == STRESS_CLOCK_VIRTUAL;
}

static inline bool stress_measuring(struct stress_run *r)
{
	return __atomic_load_n(&r->measuring, __ATOMIC_ACQUIRE);
}

static inline void stress_sleep_ns(struct stress_run *r, u64 ns)
{
	struct timespec ts = { .tv_sec = ns / 1000000000ULL,
			       .tv_nsec = ns % 1000000000ULL };

	if (!ns)
		return;
	if (r->cfg->clock == STRESS_CLOCK_VIRTUAL)
		sim_clock_delay_ns(ns);
	else if (r->cfg->clock == STRESS_CLOCK_VCPU)
		stress_vcpu_sleep_until(r, sim_clock_now_ns() + ns);
	else
		nanosleep(&ts, NULL);
}

/* config.c */
extern const char *const stress_clock_names[];
extern const char *const stress_bug_names[];
void stress_config_defaults(struct stress_config *cfg);
/* The keys and their help, a line each */
void stress_config_print_keys(FILE *f);
int stress_err(char *err, size_t errlen, const char *fmt, ...);

/* world.c */
void stress_event_at_locked(struct stress_run *r, u64 now, const char *kind,
			    int dev);
void stress_event_locked(struct stress_run *r, const char *kind, int dev);
void stress_event(struct stress_run *r, const char *kind, int dev);
void stress_probe_cmdq_start(int n);
void stress_probe_cmdq_inserted(int n);
void stress_probe_cmdq_done(int n, bool sync, int ret);
void stress_probe_isolate_start(void);
void stress_probe_isolate(unsigned int num_sids, unsigned int tests,
			  unsigned int broken);
void stress_probe_quarantine(u32 sid);
void stress_count_spam(struct stress_run *r, struct stress_dev *d);
void stress_world_free(struct stress_run *r);
int stress_world_init(struct stress_run *r, bool threaded);

/* run.c */
/* CPU time of the calling thread */
u64 stress_thread_cpu_ns(void);
/* SIGINT or SIGTERM came */
bool stress_interrupted(void);

/* roles.c */
void stress_watchdog(struct stress_run *r, u64 now);

/* runq.c (real time; the harness's thread) */
void stress_runq_init(struct stress_runq *q);
/* Read every thread's run_delay, once a STRESS_RUNQ_PERIOD_NS (or now) */
void stress_runq_sample(struct stress_runq *q, u64 now, bool now_anyway);
/* Thread @t's run_delay read as @delay at @now: a starvation window? */
void stress_runq_step(struct stress_runq *q, struct stress_runq_thread *t,
		      u64 now, u64 delay);
/* Whether a starvation window overlaps [@from, @to] */
bool stress_runq_starved(const struct stress_runq *q, u64 from, u64 to);
void stress_runq_fini(struct stress_runq *q);
void stress_mapper_op(struct stress_thread *t, u64 intended);
void stress_translate_op(struct stress_thread *t);
/* Device @d's access to @page of its domain; true if it got a translation */
bool stress_translate(struct stress_run *r, struct stress_dev *d,
		      unsigned int page);
void stress_churn_op(struct stress_thread *t);
void *stress_mapper_main(void *arg);
void *stress_translator_main(void *arg);
void *stress_churner_main(void *arg);
u64 stress_mapper_pace(struct stress_thread *t);

/* faults.c */
void stress_fault_end(struct stress_run *r);
void stress_faults_tick(struct stress_run *r, u64 now);

/* output.c */
int stress_write(struct stress_run *r, const char *dir, const char *cmdline,
		 struct stress_result *res);

#endif /* STRESS_INTERNAL_H */
