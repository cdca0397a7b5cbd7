// SPDX-License-Identifier: GPL-2.0
/*
 * The race finder: the kernel-form code's concurrency, on the virtual CPUs
 * of <khooks/vcpu.h> (sim_vcpu), under PCT schedules drawn from seeds 1..N,
 * in virtual time.  Each seed is one exact interleaving, replayed by it:
 * ATCBENCH_RACE_SEED=S runs seed S alone, ATCBENCH_RACE_SEEDS=N sets N
 * (default RACE_SEEDS, or RACE_SEEDS_QUEUE, RACE_SEEDS_ATTACH); a scenario
 * stops at its first broken seed unless ATCBENCH_RACE_ALL is set.
 * What each scenario requires of every interleaving:
 *
 *  - queue: five weakly ordered CPUs issue command lists of 1 to 31
 *    commands (sizes drawn from the seed), one in four and the last with a
 *    CMD_SYNC, on a queue of 128 (it fills and wraps): the SMMU consumes
 *    every command once, each CPU's in order, each list contiguous, its
 *    CMD_SYNC right after it, no error, no time-out;
 *  - an ATC time-out vs a bystander's sync: of two weakly ordered CPUs
 *    issuing ATC_INV and CMD_SYNC, only the one whose device never answers
 *    gets -EIO, whichever CPU runs the error handler;
 *  - attach vs unmap: while a master moves to a domain and its device asks
 *    for translations, an unmap's invalidation of that domain returns with
 *    no entry older than the unmap in any ATC the SMMU lets be used (the
 *    stress oracle's rule, sim/oracle.h);
 *  - quarantine vs walk: a walk that sent no ATC_INV to a master being
 *    quarantined returns only once the SMMU can no longer use the EATS of
 *    the STE it cached;
 *  - quarantine vs attach: the STE ends as the attached domain's, EATS
 *    cleared (the v2 series' lockless read-modify-write loses it);
 *  - walker vs attach, on weakly ordered virtual CPUs: test_litmus's
 *    store-buffering pattern, whose forbidden outcome is a stale ATC entry.
 *
 * No race window is widened and no switch is set: the schedules alone put
 * the steps where they must be.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bitfield.h>
#include <linux/bitmap.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <sim/clock.h>
#include <sim/oracle.h>
#include <khooks/vcpu.h>
#include <khooks/wmm.h>
#include <variants/cmdq-fetch-add.h>

#include "unit/khooks_test.h"
#include <linux/printk.h> /* after its types */

/*
 * Seeds per scenario: the queue's runs are 100 times longer; the attach's
 * race needs three orderings in a window of a few steps (mutant 13 breaks
 * 246 seeds of 10000)
 */
#ifdef __SANITIZE_THREAD__
/* One thread runs every CPU: TSan has little to see, at 20 times the cost */
#define RACE_SEEDS 500
#define RACE_SEEDS_QUEUE 50
#define RACE_SEEDS_ATTACH 2500
#else
#define RACE_SEEDS 2000
#define RACE_SEEDS_QUEUE 200
#define RACE_SEEDS_ATTACH 10000
#endif
#define RACE_CHANGE_POINTS 3
#define RACE_MAX_STEPS (20ULL * 1000 * 1000)
#define RACE_STEP_NS 1

/*
 * One interleaving of a scenario (@horizon 0: no change point, priorities
 * alone): NULL if it held, else what broke
 */
typedef const char *(*race_fn)(u64 seed, u64 horizon,
			       struct khooks_vcpu_stats *st);

/* What the simulated hardware does at each step, beside the CPUs */
static void (*race_device)(void *arg);
static void *race_device_arg;

/*
 * Each step costs the running CPU RACE_STEP_NS of virtual time, and gives
 * the scenario's device its turn
 */
static void race_step(void *arg)
{
	sim_clock_advance_to(sim_clock_now_ns() + RACE_STEP_NS);
	if (race_device)
		race_device(race_device_arg);
}

static void race_vcpus(unsigned int cpus, u64 seed, u64 horizon,
		       khooks_vcpu_fn fn, void *arg,
		       struct khooks_vcpu_stats *st)
{
	const struct khooks_vcpu_config cfg = {
		.cpus = cpus,
		.seed = seed,
		.change_points = horizon ? RACE_CHANGE_POINTS : 0,
		.horizon = horizon ?: 1,
		.max_steps = RACE_MAX_STEPS,
		.step = race_step,
	};
	int ret = khooks_vcpu_run(&cfg, fn, arg, st);

	/* Its CPUs stopped where they stood: nothing more can run */
	if (ret == -EDEADLK)
		fail_msg("seed %llu: the CPUs did not finish in %llu steps (a "
			 "livelock; ATCBENCH_RACE_SEED=%llu to replay)",
			 (unsigned long long)seed, RACE_MAX_STEPS,
			 (unsigned long long)seed);
	assert_int_equal(ret, 0);
}

/*
 * Run @fn under seeds 1..N (or the one of ATCBENCH_RACE_SEED) until one
 * breaks it (all of them with ATCBENCH_RACE_ALL set); seed 0's step count
 * sets the horizon the change points are drawn from.  Returns how many
 * seeds broke it (the first one is printed).
 */
static unsigned int race_seeds(const char *name, race_fn fn, u64 seeds)
{
	const char *one = getenv("ATCBENCH_RACE_SEED");
	const char *n_env = getenv("ATCBENCH_RACE_SEEDS");
	bool all = getenv("ATCBENCH_RACE_ALL");
	u64 lo = 1, hi = n_env ? strtoull(n_env, NULL, 0) : seeds;
	struct khooks_vcpu_stats st, sum = { 0 };
	u64 seed, horizon = 0;
	unsigned int bad = 0;
	const char *what;

	khooks_vcpu_reset(); /* a failed scenario may have left its CPUs */
	if (one)
		lo = hi = strtoull(one, NULL, 0);
	for (seed = lo; seed <= hi; seed++) {
		/* A first run without change points measures the length */
		if (!horizon) {
			assert_int_equal(sim_clock_init(SIM_CLOCK_VIRTUAL), 0);
			what = fn(0, 0, &st);
			horizon = st.steps ?: 1;
			if (what)
				fail_msg("%s: fails under seed 0 (priorities "
					 "alone, no change point): %s",
					 name, what);
		}
		/* Each interleaving from time 0: a replay is exact */
		assert_int_equal(sim_clock_init(SIM_CLOCK_VIRTUAL), 0);
		what = fn(seed, horizon, &st);
		sum.steps += st.steps;
		sum.switches += st.switches;
		if (what && !bad++)
			printf("%s: seed %llu: %s (ATCBENCH_RACE_SEED=%llu to "
			       "replay)\n",
			       name, (unsigned long long)seed, what,
			       (unsigned long long)seed);
		/* A broken queue makes every later seed long: stop here */
		if (bad && !all)
			break;
	}
	printf("%s: %llu seeds, %u broke it; %llu steps, %llu switches "
	       "(horizon %llu)\n",
	       name, (unsigned long long)(min(seed, hi) - lo + 1), bad,
	       (unsigned long long)sum.steps, (unsigned long long)sum.switches,
	       (unsigned long long)horizon);
	return bad;
}

/* The queue */

#define Q_CPUS 5
#define Q_MAX_CPUS 8 /* on time-ordered CPUs */
#define Q_CALLS 8
#define Q_MAX_CALL 31 /* below CMDQ_TLBI_0_NUM's 32 */
#define Q_CMD_NS 100
#define Q_TRACE_CAP (Q_MAX_CPUS * (Q_CALLS * (Q_MAX_CALL + 1) + 1) + 16)

struct q_race {
	struct arm_smmu_fetch_add_device fdev; /* its SMMU: fdev.smmu */
	struct sim_smmu *hw;
	unsigned int cpus;
	u64 trace[Q_TRACE_CAP][CMDQ_ENT_DWORDS];
	unsigned int trace_len;
	bool overflow;
	u64 rng[Q_MAX_CPUS];
	int errors[Q_MAX_CPUS];
	unsigned int issued[Q_MAX_CPUS];
};

static void q_trace(void *arg, const u64 *cmd)
{
	struct q_race *q = arg;

	if (q->trace_len == Q_TRACE_CAP) {
		q->overflow = true;
		return;
	}
	memcpy(q->trace[q->trace_len++], cmd, sizeof(q->trace[0]));
}

/*
 * Command k of a list of n by CPU id: TLBI_NH_VA, ASID id + 1, address
 * seq, NUM n - 1, LEAF on the first, TTL 1 when a CMD_SYNC follows
 */
static void q_encode(u64 *cmd, unsigned int id, unsigned int seq, int k, int n,
		     bool sync)
{
	struct arm_smmu_cmdq_ent ent = {
		.opcode = CMDQ_OP_TLBI_NH_VA,
		.tlbi = { .asid = id + 1,
			  .num = n - 1,
			  .leaf = k == 0,
			  .ttl = sync,
			  .addr = (u64)seq << 12 },
	};

	assert_int_equal(arm_smmu_cmdq_build_cmd(cmd, &ent), 0);
}

static void q_cpu(unsigned int cpu, void *arg)
{
	struct q_race *q = arg;
	u64 cmds[Q_MAX_CALL * CMDQ_ENT_DWORDS];
	unsigned int c, seq = 0;
	bool sync;
	int k, n;

	khooks_wmm_thread_start(q->rng[cpu]); /* weakly ordered */
	for (c = 0; c < Q_CALLS; c++) {
		/* Lists without a sync pile up: CONS is read as it moves */
		sync = c == Q_CALLS - 1 || test_rand(&q->rng[cpu]) % 4 == 0;
		n = 1 + test_rand(&q->rng[cpu]) % Q_MAX_CALL;
		for (k = 0; k < n; k++)
			q_encode(&cmds[k * CMDQ_ENT_DWORDS], cpu, seq + k, k, n,
				 sync);
		if (arm_smmu_cmdq_issue_cmdlist(
			    &q->fdev.smmu, &q->fdev.smmu.cmdq, cmds, n, sync))
			q->errors[cpu]++;
		seq += n;
	}
	q->issued[cpu] = seq;
}

/* Every list once, contiguous and in order, each followed by its sync */
static const char *q_check(struct q_race *q)
{
	unsigned int next[Q_MAX_CPUS] = { 0 }, i = 0, id, n, k;

	if (q->overflow)
		return "the SMMU consumed more commands than were issued";
	while (i < q->trace_len) {
		u64 *cmd = q->trace[i];

		if (FIELD_GET(CMDQ_0_OP, cmd[0]) != CMDQ_OP_TLBI_NH_VA ||
		    !FIELD_GET(CMDQ_TLBI_1_LEAF, cmd[1]))
			return "a command list does not start where one ends";
		id = FIELD_GET(CMDQ_TLBI_0_ASID, cmd[0]) - 1;
		n = FIELD_GET(CMDQ_TLBI_0_NUM, cmd[0]) + 1;
		if (id >= q->cpus)
			return "a command no CPU issued";
		for (k = 0; k < n; k++, i++) {
			cmd = q->trace[i];
			if (i >= q->trace_len ||
			    FIELD_GET(CMDQ_0_OP, cmd[0]) !=
				    CMDQ_OP_TLBI_NH_VA ||
			    FIELD_GET(CMDQ_TLBI_0_ASID, cmd[0]) != id + 1 ||
			    (cmd[1] & CMDQ_TLBI_1_VA_MASK) >> 12 != next[id])
				return "a command list is torn, reordered or "
				       "lost";
			next[id]++;
		}
		if (!FIELD_GET(CMDQ_TLBI_1_TTL, q->trace[i - 1][1]))
			continue;
		if (i >= q->trace_len ||
		    FIELD_GET(CMDQ_0_OP, q->trace[i][0]) != CMDQ_OP_CMD_SYNC)
			return "a command list's CMD_SYNC does not follow it";
		i++;
	}
	for (id = 0; id < q->cpus; id++) {
		if (q->errors[id])
			return "a command list failed";
		if (next[id] != q->issued[id])
			return "commands were never consumed";
	}
	return NULL;
}

/*
 * A slow SMMU (a command per Q_CMD_NS): the queue fills; @fetch_add: its
 * space taken by an atomic add (variants/cmdq-fetch-add.h)
 */
static struct q_race *q_setup(unsigned int cpus, u64 seed, bool fetch_add)
{
	const struct sim_smmu_config cfg = {
		.msi = true,
		.cmdq_shift = SIM_SMMU_CMDQ_SHIFT_MIN,
		.lat = { .cmd_ns = Q_CMD_NS, .sync_ns = Q_CMD_NS },
	};
	struct q_race *q = calloc(1, sizeof(*q));
	unsigned int i;

	assert_non_null(q);
	if (fetch_add)
		arm_smmu_cmdq_fetch_add_init(&q->fdev);
	assert_int_equal(sim_smmu_probe(&cfg, 4, &q->fdev.smmu, &q->hw), 0);
	sim_smmu_set_trace(q->hw, q_trace, q);
	q->cpus = cpus;
	for (i = 0; i < cpus; i++)
		q->rng[i] = (seed + 1) * 1000 + i; /* the lists' sizes */
	return q;
}

/* What broke, if anything; frees @q */
static const char *q_finish(struct q_race *q)
{
	struct sim_smmu_stats hs;
	const char *what;

	sim_smmu_set_trace(q->hw, NULL, NULL);
	sim_smmu_stats(q->hw, &hs);
	what = q_check(q);
	if (!what && hs.errors)
		what = "the SMMU met a command error";
	sim_smmu_remove(&q->fdev.smmu, q->hw);
	free(q);
	return what;
}

static const char *q_race(u64 seed, u64 horizon, struct khooks_vcpu_stats *st)
{
	struct q_race *q = q_setup(Q_CPUS, seed, false);

	race_vcpus(Q_CPUS, seed, horizon, q_cpu, q, st);
	return q_finish(q);
}

static void test_queue(void **state)
{
	assert_int_equal(race_seeds("queue", q_race, RACE_SEEDS_QUEUE), 0);
}

static const char *q_race_fetch_add(u64 seed, u64 horizon,
				    struct khooks_vcpu_stats *st)
{
	struct q_race *q = q_setup(Q_CPUS, seed, true);

	race_vcpus(Q_CPUS, seed, horizon, q_cpu, q, st);
	return q_finish(q);
}

/* The same requirements of the queue whose space is fetch-added */
static void test_queue_fetch_add(void **state)
{
	assert_int_equal(race_seeds("queue, space by an atomic add",
				    q_race_fetch_add, RACE_SEEDS_QUEUE),
			 0);
}

/*
 * The same queue on time-ordered CPUs (KHOOKS_VCPU_TIME, a point 1 ns):
 * many CPUs' lists overlap in time, and every one lands, in order, with the
 * same virtual time and steps run after run.  The SMMU (Q_CMD_NS a
 * command) is the bottleneck, so the run lasts as long as it takes to
 * consume every command, and not twice that: the CPUs' waits end when what
 * they wait for happens.
 */
static void q_time(unsigned int cpus, struct khooks_vcpu_stats *st, u64 *ns,
		   unsigned int *cmds)
{
	const struct khooks_vcpu_config cfg = {
		.cpus = cpus,
		.seed = 1,
		.horizon = 1,
		.max_steps = RACE_MAX_STEPS,
		.policy = KHOOKS_VCPU_TIME,
		.step = sim_clock_step,
		.next_event = sim_clock_next_event,
		.wait_max_ns = SIM_CLOCK_EVTSTRM_NS,
	};
	struct q_race *q;
	const char *what;

	assert_int_equal(sim_clock_init(SIM_CLOCK_VIRTUAL), 0);
	q = q_setup(cpus, 1, false);
	assert_int_equal(khooks_vcpu_run(&cfg, q_cpu, q, st), 0);
	*ns = sim_clock_now_ns();
	*cmds = q->trace_len;
	what = q_finish(q);
	if (what)
		fail_msg("queue on %u time-ordered CPUs: %s", cpus, what);
}

static void test_queue_time_ordered(void **state)
{
	static const unsigned int cpus[] = { 2, 4, Q_MAX_CPUS };
	struct khooks_vcpu_stats a, b;
	unsigned int i, cmds_a, cmds_b;
	u64 ns_a, ns_b;

	(void)state;
	khooks_vcpu_reset();
	for (i = 0; i < ARRAY_SIZE(cpus); i++) {
		q_time(cpus[i], &a, &ns_a, &cmds_a);
		q_time(cpus[i], &b, &ns_b, &cmds_b);
		assert_int_equal(a.steps, b.steps);
		assert_int_equal(ns_a, ns_b);
		assert_int_equal(cmds_a, cmds_b);
		printf("queue on %u time-ordered CPUs: %u commands, %llu ns of "
		       "virtual time (%u ns each to consume), %llu steps, "
		       "%llu switches\n",
		       cpus[i], cmds_a, (unsigned long long)ns_a, Q_CMD_NS,
		       (unsigned long long)a.steps,
		       (unsigned long long)a.switches);
		assert_in_range(ns_a, (u64)cmds_a * Q_CMD_NS,
				2ULL * cmds_a * Q_CMD_NS);
	}
}

/*
 * An ATC time-out against a bystander's sync: two weakly ordered CPUs each
 * issue E_ROUNDS times an ATC_INV and a CMD_SYNC; CPU 0's device never
 * answers, CPU 1's does.  Whichever CPU polls the SMMU runs the error
 * handler, which records the time-out in atc_sync_timeouts before its
 * GERRORN write lets the SMMU complete the sync: each of CPU 0's syncs
 * returns -EIO, each of CPU 1's returns 0, and no bit is left set.
 */

#define E_CPUS 2
#define E_SIDS 2
#define E_ROUNDS 3
#define E_ATC_TIMEOUT_NS 300

struct e_race {
	struct arm_smmu_device smmu;
	struct sim_smmu *hw;
	struct sim_dev devs[E_SIDS];
	unsigned int wrong[E_CPUS];
	u64 seed;
};

static void e_cpu(unsigned int cpu, void *arg)
{
	struct e_race *e = arg;
	struct arm_smmu_cmdq_ent ent;
	u64 cmd[CMDQ_ENT_DWORDS];
	int want = cpu == 0 ? -EIO : 0;
	unsigned int i;

	khooks_wmm_thread_start(e->seed * E_CPUS + cpu); /* weakly ordered */
	arm_smmu_atc_inv_to_cmd(IOMMU_NO_PASID, 0x1000, 0x1000, &ent);
	ent.atc.sid = cpu;
	assert_int_equal(arm_smmu_cmdq_build_cmd(cmd, &ent), 0);
	for (i = 0; i < E_ROUNDS; i++)
		if (arm_smmu_cmdq_issue_cmdlist(&e->smmu, &e->smmu.cmdq, cmd, 1,
						true) != want)
			e->wrong[cpu]++;
}

static const char *e_race(u64 seed, u64 horizon, struct khooks_vcpu_stats *st)
{
	const struct sim_smmu_config cfg = {
		.ats = true,
		.msi = true,
		.cmdq_shift = SIM_SMMU_CMDQ_SHIFT_MIN,
		.atc_timeout_ns = E_ATC_TIMEOUT_NS,
	};
	struct e_race *e = calloc(1, sizeof(*e));
	const char *what = NULL;
	unsigned int i;

	assert_non_null(e);
	e->seed = seed;
	assert_int_equal(sim_smmu_probe(&cfg, E_SIDS, &e->smmu, &e->hw), 0);
	for (i = 0; i < E_SIDS; i++) {
		sim_dev_init(&e->devs[i], i, 10);
		assert_int_equal(sim_smmu_add_dev(e->hw, &e->devs[i]), 0);
	}
	sim_dev_set_state(&e->devs[0], SIM_DEV_UNRESPONSIVE, 0);
	race_vcpus(E_CPUS, seed, horizon, e_cpu, e, st);
	if (e->wrong[0])
		what = "a sync whose ATC_INV timed out did not return -EIO";
	else if (e->wrong[1])
		what = "a sync whose ATC_INV was answered did not return 0";
	else if (!bitmap_empty(e->smmu.cmdq.atc_sync_timeouts,
			       1 << SIM_SMMU_CMDQ_SHIFT_MIN))
		what = "a time-out bit was left set";
	sim_smmu_remove(&e->smmu, e->hw);
	free(e);
	return what;
}

static void test_timeout_vs_sync(void **state)
{
	assert_int_equal(race_seeds("ATC time-out vs a bystander's sync",
				    e_race, RACE_SEEDS),
			 0);
}

/* Quarantines */

#define W_MASTERS 4
#define W_BAD 2

struct w_race {
	struct sim_world world;
	struct arm_smmu_domain *dom_s2;
	struct arm_smmu_master *m;
	bool bare;
	const char *what;
};

/*
 * A world of W_MASTERS masters on one domain; @bare: W_BAD without its
 * device, taken from the IOMMU core (a quarantine reports nothing to it,
 * and no walk finds it by SID, so none skips it)
 */
static void w_init(struct w_race *w, bool bare)
{
	const struct sim_world_config cfg = {
		.hw = { .ats = true,
			.msi = true,
			.cmdq_shift = 8,
			.atc_timeout_ns = 20 * 1000 },
		.num_domains = 1,
		.num_masters = W_MASTERS,
		.devices = true,
		.masters_per_domain = W_MASTERS,
		.dev_latency_ns = 500,
	};
	struct sim_world_master *wm;

	memset(w, 0, sizeof(*w));
	assert_int_equal(sim_world_create(&w->world, &cfg), 0);
	w->dom_s2 = arm_smmu_domain_alloc(&w->world.smmu[0], ARM_SMMU_DOMAIN_S2,
					  3, false);
	assert_false(IS_ERR(w->dom_s2));
	wm = &w->world.masters[W_BAD];
	w->m = wm->master;
	w->bare = bare;
	if (!bare)
		return;
	iommu_detach_device(&w->world.domains[0]->domain, &wm->pdev.dev);
	iommu_release_device(&wm->pdev.dev);
	wm->master->dev = NULL;
	arm_smmu_attach_dev(w->m, w->world.domains[0], IOMMU_NO_PASID);
}

/* EATS as the SMMU has it (its cached STE, fetched now if not cached) */
static bool w_eats(struct w_race *w)
{
	u64 ste[STRTAB_STE_DWORDS];

	sim_smmu_ste(w->world.hw[0], w->m->streams[0].id, ste);
	return FIELD_GET(STRTAB_STE_1_EATS, ste[1]);
}

static void w_fini(struct w_race *w)
{
	if (w->bare) {
		WRITE_ONCE(w->m->ats_broken, false);
		arm_smmu_attach_dev_blocked(w->m);
		assert_int_equal(
			iommu_probe_device(&w->world.masters[W_BAD].pdev.dev,
					   &arm_smmu_ops, w->m),
			0);
	}
	flush_scheduled_work(); /* the core blocks a quarantined device */
	arm_smmu_domain_free(w->dom_s2);
	sim_world_destroy(&w->world);
}

/*
 * Attach vs unmap: master A_MOVER moves from domain 1 to domain 0 while
 * each of A_MAPPERS CPUs unmaps a page, the last one of domain 1 (whose
 * array the move purges under its walk), the others of domain 0; the
 * device asks for one of domain 0's pages at every step of every CPU (it
 * runs beside them all)
 */

#define A_MASTERS 4 /* two per domain */
#define A_MOVER 2
#define A_MAPPERS 3 /* CPU i > 0 unmaps page i */
#define A_PAGES 8

struct a_race {
	struct sim_world world;
	struct sim_oracle *o;
	struct sim_dev *devs[A_MASTERS];
	unsigned int violations;
	int attach; /* the move's result */
	u64 steps;
};

/* The device's translation requests, one per step */
static void a_device(void *arg)
{
	struct a_race *a = arg;

	sim_oracle_translate(a->o, a->devs[A_MOVER],
			     1 + a->steps++ % (A_MAPPERS - 1));
}

static void a_cpu(unsigned int cpu, void *arg)
{
	struct a_race *a = arg;
	unsigned int d;

	if (cpu == 0) { /* the move, through the core */
		a->attach = iommu_attach_device(
			&a->world.domains[0]->domain,
			&a->world.masters[A_MOVER].pdev.dev);
		return;
	}
	/* Unmap page @cpu, invalidate it, check */
	d = cpu == A_MAPPERS;
	sim_oracle_unmap(a->o, d, cpu, 1);
	arm_smmu_domain_inv_range(a->world.domains[d], cpu << 12, 1 << 12,
				  1 << 12, true);
	sim_oracle_inv_done(a->o, d, cpu, 1);
	a->violations += sim_oracle_check(a->o, a->devs, A_MASTERS, d, cpu, 1,
					  SIM_ORACLE_COMPLETED);
}

static const char *a_race(u64 seed, u64 horizon, struct khooks_vcpu_stats *st)
{
	const struct sim_world_config cfg = {
		.hw = { .ats = true,
			.msi = true,
			.cmdq_shift = 8,
			.atc_timeout_ns = 20 * 1000 },
		.num_domains = 2,
		.num_masters = A_MASTERS,
		.devices = true,
		.masters_per_domain = A_MASTERS / 2,
		.atc_pages = A_PAGES,
		.dev_latency_ns = 500,
	};
	struct a_race *a = calloc(1, sizeof(*a));
	const char *what = NULL;
	unsigned int i;

	assert_non_null(a);
	assert_int_equal(sim_world_create(&a->world, &cfg), 0);
	assert_int_equal(sim_world_oracle(&a->world, A_PAGES, &a->o), 0);
	for (i = 0; i < A_MASTERS; i++)
		a->devs[i] = &a->world.masters[i].sdev;
	race_device = a_device;
	race_device_arg = a;
	race_vcpus(1 + A_MAPPERS, seed, horizon, a_cpu, a, st);
	race_device = NULL;
	if (a->attach)
		what = "the attach failed";
	else if (a->violations)
		what = "an unmap returned with a stale entry in an ATC the "
		       "SMMU lets be used";
	sim_world_destroy(&a->world); /* its CFGIs still ask the oracle */
	sim_oracle_destroy(a->o);
	free(a);
	return what;
}

static void test_attach_vs_unmap(void **state)
{
	assert_int_equal(
		race_seeds("attach vs unmap", a_race, RACE_SEEDS_ATTACH), 0);
}

static void w_walk_cpu(unsigned int cpu, void *arg)
{
	struct w_race *w = arg;
	struct sim_dev *sdev = &w->world.masters[W_BAD].sdev;
	u64 before;

	if (cpu == 0) {
		arm_smmu_master_disable_ats(w->m);
		return;
	}
	before = READ_ONCE(sdev->atc_invs);
	arm_smmu_domain_inv_range(w->world.domains[0], 0x10000, 0x1000, 0x1000,
				  true);
	if (READ_ONCE(sdev->atc_invs) == before && w_eats(w))
		w->what = "a walk skipped the master while the SMMU still "
			  "allowed its translated requests";
}

static const char *w_walk_race(u64 seed, u64 horizon,
			       struct khooks_vcpu_stats *st)
{
	struct w_race w;
	const char *what;

	w_init(&w, false);
	/* The SMMU caches the STE: it may use it until a CFGI completes */
	assert_true(w_eats(&w));
	race_vcpus(2, seed, horizon, w_walk_cpu, &w, st);
	what = w.what;
	if (!what && w_eats(&w))
		what = "EATS still set after the quarantine";
	w_fini(&w);
	return what;
}

static void test_quarantine_vs_walk(void **state)
{
	assert_int_equal(
		race_seeds("quarantine vs walk", w_walk_race, RACE_SEEDS), 0);
}

static void w_attach_cpu(unsigned int cpu, void *arg)
{
	struct w_race *w = arg;

	if (cpu == 0)
		arm_smmu_master_disable_ats(w->m);
	else
		arm_smmu_attach_dev(w->m, w->world.domains[0], IOMMU_NO_PASID);
}

static const char *w_attach_race(u64 seed, u64 horizon,
				 struct khooks_vcpu_stats *st)
{
	struct arm_smmu_domain *d;
	struct arm_smmu_ste want;
	struct w_race w;
	const char *what = NULL;

	w_init(&w, true);
	/* From stage 2 to stage 1: the attach rewrites STE qword 1 */
	arm_smmu_attach_dev(w.m, w.dom_s2, IOMMU_NO_PASID);
	race_vcpus(2, seed, horizon, w_attach_cpu, &w, st);
	d = w.m->domain;
	arm_smmu_make_ste(&want, d->stage, d->asid, false);
	if (d != w.world.domains[0])
		what = "the attach did not take";
	else if (memcmp(&want, &w.world.smmu[0].strtab[w.m->streams[0].id],
			sizeof(want)))
		what = "the STE is not the domain's with EATS cleared";
	w_fini(&w);
	return what;
}

static void test_quarantine_vs_attach(void **state)
{
	assert_int_equal(race_seeds("quarantine vs attach", w_attach_race,
				    RACE_SEEDS),
			 0);
}

/*
 * Walker against attach, weakly ordered: test_litmus's store-buffering
 * pattern on two virtual CPUs with store buffers of their own.  A (the
 * attach) publishes the array with the new ATS master, then its device
 * reads the IOPTE; B (the unmap) clears the IOPTE, then walks.  Forbidden:
 * A read the old IOPTE and B's walk sent no ATC_INV to the master.
 */

#define L_IOVA 0x100000

struct l_race {
	struct test_world w;
	struct arm_smmu_domain domain;
	struct arm_smmu_attach_state state;
	unsigned long iopte, r_a;
	bool saw_atc; /* B's walk sent the new master's ATC_INV */
	bool b_done;
	u64 seed;
};

static void l_cpu(unsigned int cpu, void *arg)
{
	struct l_race *l = arg;
	const unsigned long zero = 0;

	khooks_wmm_thread_start(l->seed * 2 + cpu);
	if (cpu == 0) { /* A: publish, then the device walks */
		arm_smmu_install_new_domain_invs(&l->state);
		khooks_wmm_access(&l->iopte, sizeof(l->iopte),
				  __ATOMIC_RELAXED);
		l->r_a = __atomic_load_n(&l->iopte, __ATOMIC_RELAXED);
		/* Its buffer drains when it returns: not before B is done */
		while (!__atomic_load_n(&l->b_done, __ATOMIC_RELAXED))
			khooks_vcpu_point(true);
	} else { /* B: clear the IOPTE, then invalidate */
		khooks_wmm_store(&l->iopte, &zero, sizeof(l->iopte));
		arm_smmu_domain_inv_range(&l->domain, L_IOVA, SZ_4K, SZ_4K,
					  true);
		__atomic_store_n(&l->b_done, true, __ATOMIC_RELAXED);
	}
}

static const char *l_race(u64 seed, u64 horizon, struct khooks_vcpu_stats *st)
{
	struct l_race *l = calloc(1, sizeof(*l));
	const char *what = NULL;

	assert_non_null(l);
	test_litmus_saw_atc = &l->saw_atc;
	l->seed = seed;
	test_world_init(&l->w, 1, 16, false);
	l->w.world.smmu[0].impl_ops = &test_litmus_ops;
	l->domain.invs = test_litmus_invs(&l->w.world.smmu[0], false);
	l->state.new_domain_invst = (struct arm_smmu_inv_state){
		.invs_ptr = &l->domain.invs,
		.old_invs = l->domain.invs,
		.new_invs = test_litmus_invs(&l->w.world.smmu[0], true),
	};
	l->iopte = 1;
	race_vcpus(2, seed, horizon, l_cpu, l, st);
	if (l->r_a && !l->saw_atc)
		what = "the device read the old IOPTE and the unmap sent it no "
		       "ATC_INV (a stale ATC entry)";
	kfree(l->domain.invs); /* the new array; the old is kfree_rcu()'d */
	test_world_fini(&l->w);
	free(l);
	return what;
}

static void test_walker_vs_attach_wmm(void **state)
{
	assert_int_equal(race_seeds("walker vs attach, weakly ordered", l_race,
				    RACE_SEEDS),
			 0);
	rcu_barrier();
}

/* The scheduler itself: the same seed, the same interleaving */
static void test_replay(void **state)
{
	struct khooks_vcpu_stats a, b;

	assert_null(q_race(7, 800, &a));
	assert_null(q_race(7, 800, &b));
	assert_int_equal(a.steps, b.steps);
	assert_int_equal(a.switches, b.switches);
	assert_true(a.switches > Q_CPUS);
}

static int setup(void **state)
{
	khooks_printk_level(LOGLEVEL_ERR - 1); /* quarantine messages */
	/* The core's work runs when the test says, on no thread of its own */
	khooks_workqueue_set_deferred(true);
	assert_int_equal(sim_clock_init(SIM_CLOCK_VIRTUAL), 0);
	return test_rcu_setup(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_queue),
		cmocka_unit_test(test_queue_fetch_add),
		cmocka_unit_test(test_queue_time_ordered),
		cmocka_unit_test(test_timeout_vs_sync),
		cmocka_unit_test(test_attach_vs_unmap),
		cmocka_unit_test(test_quarantine_vs_walk),
		cmocka_unit_test(test_quarantine_vs_attach),
		cmocka_unit_test(test_walker_vs_attach_wmm),
	};

	return cmocka_run_group_tests(tests, setup, test_rcu_teardown);
}
