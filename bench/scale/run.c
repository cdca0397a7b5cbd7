// SPDX-License-Identifier: GPL-2.0
/* scale: one point of a curve, on N time-ordered virtual CPUs */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arm-smmu-v3/arm-smmu-v3.h>
#include <linux/bug.h>
#include <linux/printk.h>
#include <khooks/switches.h>
#include <khooks/vcpu.h>
#include <khooks/wmm.h>
#include <sim/clock.h>
#include <sim/rng.h>
#include <sim/smmu.h>
#include <variants/cmdq-fetch-add.h>
#include <variants/cmdq-locked.h>
#include <variants/cmdq-multi.h>
#include <variants/devlist.h>
#include <sim/world.h>

#include "scale/internal.h"

const char *const scale_workload_names[] = { "cmdlist", "map-unmap", "walker",
					     "hol", NULL };
const char *const scale_cmdq_names[] = { "single", "per-cpu", "ats", NULL };
const char *const scale_bystander_names[] = { "tlbi", "ats", NULL };
const char *const scale_walker_names[] = { "rcu", "devlist", NULL };
const char *const scale_lock_names[] = { "new", "old", NULL };
const char *const scale_queue_names[] = { "lockfree", "fetch-add", "locked",
					  NULL };
/* enum arm_smmu_cmdq_wait, then enum scale_share */
const char *const scale_share_names[] = { "space", "lock",  "owner",
					  "valid", "sync",  "op",
					  "lines", "other", NULL };

struct scale_run {
	const struct scale_config *cfg;
	/* The SMMU, first in each: the queue variant's device around it */
	union {
		struct arm_smmu_device smmu;
		struct arm_smmu_fetch_add_device fetch_add;
		struct arm_smmu_locked_device locked;
	} dev;
	struct sim_smmu *hw;
	struct arm_smmu_device *smmu; /* the one the CPUs issue to */
	struct arm_smmu_mq mq; /* cfg->cmdq: its queues */
	struct sim_dev *sdevs; /* hol: SID i's device */
	unsigned int num_sids;
	/* The walker workload's world and domain (one of the two designs) */
	struct sim_world world;
	struct arm_smmu_domain *domain;
	struct arm_smmu_devlist_domain *dl_domain;
	unsigned int num_attached;
	struct scale_point *pt;
	u64 measure_from, end;
	u64 ops[SCALE_MAX_CPUS];
	u64 op_start[SCALE_MAX_CPUS]; /* the operation under way, or 0 */
	u64 lists; /* operations, a list each (the walker's: see below) */
	u64 issued; /* lists the lock-free queue's tracepoint saw */
	u64 errors; /* the CPUs' pr_err()s */
	u64 slow_ops, slow_eio, bystander_eio; /* hol */
	struct sim_cost *cost;
	/* When each CPU began each wait under way (0: none) */
	u64 wait_since[SCALE_MAX_CPUS][ARM_SMMU_CMDQ_NR_WAITS];
	u64 span_ns[SCALE_NR_SHARES]; /* the CPUs' measured time, by share */
};

/* The run the probes report to: one at a time, its CPUs on one thread */
static struct scale_run *scale_cur;

/* How much of [@from, @to) lies in the measured span */
static u64 scale_in_span(const struct scale_run *s, u64 from, u64 to)
{
	from = max(from, s->measure_from);
	to = min(to, s->end);
	return to > from ? to - from : 0;
}

static bool scale_waiting(const struct scale_run *s, unsigned int cpu)
{
	unsigned int w;

	for (w = 0; w < ARM_SMMU_CMDQ_NR_WAITS; w++)
		if (s->wait_since[cpu][w])
			return true;
	return false;
}

/* trace_arm_smmu_cmdq_issue_start(): a list, on the lock-free queue */
static void scale_probe_issue(int n)
{
	(void)n;
	if (scale_cur)
		scale_cur->issued++;
}

/* trace_arm_smmu_cmdq_wait(): on the running CPU, at its clock */
static void scale_probe_wait(enum arm_smmu_cmdq_wait w, bool done)
{
	struct scale_run *s = scale_cur;
	unsigned int cpu = khooks_vcpu_self();
	u64 now = khooks_vcpu_clock(), since;

	if (!s || cpu >= SCALE_MAX_CPUS || w >= ARM_SMMU_CMDQ_NR_WAITS)
		return;
	since = s->wait_since[cpu][w];
	if (!done) {
		s->wait_since[cpu][w] = now ?: 1;
		return;
	}
	if (!since)
		return;
	s->wait_since[cpu][w] = 0;
	s->span_ns[w] += scale_in_span(s, since, now);
	if (now >= s->measure_from && now - since > s->pt->wait_max_ns[w])
		s->pt->wait_max_ns[w] = now - since;
}

/*
 * khooks_vcpu_config.cost: sim_cost's, whose time in line transfers
 * outside a wait is the issue path's "lines" share
 */
static uint64_t scale_cost(void *arg, unsigned int cpu, enum khooks_vcpu_op op,
			   const volatile void *p, size_t size)
{
	struct scale_run *s = arg;
	struct sim_cost_stats a, b;
	u64 now = khooks_vcpu_clock(), ns, lines;

	sim_cost_stats(s->cost, &a);
	ns = sim_cost_fn(s->cost, cpu, op, p, size);
	if (cpu < SCALE_MAX_CPUS && !scale_waiting(s, cpu)) {
		sim_cost_stats(s->cost, &b);
		lines = b.transfer_ns - a.transfer_ns + b.line_wait_ns -
			a.line_wait_ns;
		s->span_ns[SCALE_SHARE_LINES] +=
			scale_in_span(s, now, now + min(lines, ns));
	}
	return ns;
}

int scale_profile(const struct scale_config *cfg, struct sim_cost_profile *p)
{
	unsigned int lvl;
	int ret;

	if (!strcmp(cfg->profile, SCALE_HOST_PROFILE))
		ret = scale_host_profile(p);
	else
		ret = sim_cost_profile_find(cfg->profile, p);

	if (ret)
		return ret;
	if (cfg->point_ps)
		p->point_ps = cfg->point_ps;
	if (cfg->rmw_home_ns)
		p->rmw_home_ns = cfg->rmw_home_ns;
	/* The fitted transfer: within a die; farther ones keep their extra */
	if (cfg->lat_ns) {
		u64 extra[SIM_COST_NR_LEVELS];

		for (lvl = 0; lvl < SIM_COST_NR_LEVELS; lvl++)
			extra[lvl] = p->lat_ns[lvl] - p->lat_ns[SIM_COST_DIE];
		for (lvl = 0; lvl < SIM_COST_NR_LEVELS; lvl++)
			p->lat_ns[lvl] = cfg->lat_ns +
					 (lvl > SIM_COST_DIE ? extra[lvl] : 0);
	}
	return 0;
}

/*
 * Command k of @n of CPU @cpu: TLBI_NH_VA of its ASID (cpu + 1), one page
 * each, as an unmap's invalidation of n pages
 */
static void scale_encode(u64 *cmd, unsigned int cpu, unsigned int k)
{
	struct arm_smmu_cmdq_ent ent = {
		.opcode = CMDQ_OP_TLBI_NH_VA,
		.tlbi = { .asid = cpu + 1, .leaf = true, .addr = (u64)k << 12 },
	};

	arm_smmu_cmdq_build_cmd(cmd, &ent);
}

/* The walker: one page of the CPU's own, unmapped from the domain */
static void scale_walk(struct scale_run *s, unsigned int cpu)
{
	unsigned long iova = (unsigned long)(cpu + 1) << 21;

	if (s->cfg->walker == SCALE_WALKER_DEVLIST)
		arm_smmu_devlist_domain_inv_range(s->dl_domain, iova, SZ_4K,
						  SZ_4K, true);
	else
		arm_smmu_domain_inv_range(s->domain, iova, SZ_4K, SZ_4K, true);
}

/*
 * The queue a list goes on: the one arm_smmu_cmdq_batch_init() would pick
 * for a TLBI (impl_ops->get_secondary_cmdq), else the SMMU's
 */
static struct arm_smmu_cmdq *scale_cmdq(struct scale_run *s)
{
	struct arm_smmu_cmdq_ent ent = { .opcode = CMDQ_OP_TLBI_NH_VA };
	struct arm_smmu_cmdq *cmdq = NULL;

	if (s->cfg->cmdq != SCALE_CMDQ_SINGLE)
		cmdq = s->mq.ops.get_secondary_cmdq(s->smmu, &ent);
	return cmdq ?: &s->smmu->cmdq;
}

/*
 * hol: one page of the CPU's own ASID, a TLBI and the ATC_INVs of its
 * devices in one batch, as an unmap issues them: CPU 0's @devs (SID 0, the
 * slow one, first), a bystander's own healthy one (SID devs + cpu - 1)
 * with SCALE_BYSTANDER_ATS.  Returns the batch's result.
 */
static int scale_hol_op(struct scale_run *s, unsigned int cpu)
{
	const struct scale_config *cfg = s->cfg;
	unsigned long iova = (unsigned long)(cpu + 1) << 21;
	struct arm_smmu_cmdq_ent tlbi = {
		.opcode = CMDQ_OP_TLBI_NH_VA,
		.tlbi = { .asid = cpu + 1, .leaf = true, .addr = iova },
	};
	struct arm_smmu_cmdq_ent atc;
	struct arm_smmu_cmdq_batch cmds;
	unsigned int i, first = cpu ? cfg->devs + cpu - 1 : 0;
	unsigned int n = cpu ? cfg->bystander == SCALE_BYSTANDER_ATS :
			       cfg->devs;

	arm_smmu_cmdq_batch_init(s->smmu, &cmds, &tlbi);
	arm_smmu_cmdq_batch_add(s->smmu, &cmds, &tlbi);
	for (i = 0; i < n; i++) {
		arm_smmu_atc_inv_to_cmd(IOMMU_NO_PASID, iova, SZ_4K, &atc);
		atc.atc.sid = first + i;
		arm_smmu_cmdq_batch_add(s->smmu, &cmds, &atc);
	}
	return arm_smmu_cmdq_batch_submit(s->smmu, &cmds);
}

/*
 * hol: a device behind each SID, healthy (cfg->dev_ns) but SID 0: slow
 * (cfg->slow_ns), or never answering (cfg->slow_timeout)
 */
static int scale_hol_devices(struct scale_run *s)
{
	const struct scale_config *cfg = s->cfg;
	unsigned int i;
	int ret;

	s->sdevs = calloc(s->num_sids, sizeof(*s->sdevs));
	if (!s->sdevs)
		return -ENOMEM;
	for (i = 0; i < s->num_sids; i++) {
		sim_dev_init(&s->sdevs[i], i, cfg->dev_ns);
		ret = sim_smmu_add_dev(s->hw, &s->sdevs[i]);
		if (ret)
			return ret;
	}
	if (cfg->slow_timeout)
		sim_dev_set_state(&s->sdevs[0], SIM_DEV_UNRESPONSIVE, 0);
	else if (cfg->slow_ns)
		sim_dev_set_state(&s->sdevs[0], SIM_DEV_SLOW, cfg->slow_ns);
	return 0;
}

/* Undo scale_world_create() after its world was made, however far it got */
static void scale_world_destroy(struct scale_run *s)
{
	unsigned int i;

	for (i = 0; s->dl_domain && i < s->num_attached; i++)
		arm_smmu_devlist_detach(s->dl_domain,
					s->world.masters[i].master,
					IOMMU_NO_PASID);
	if (s->dl_domain)
		arm_smmu_devlist_domain_free(s->dl_domain);
	sim_world_destroy(&s->world);
}

/*
 * The walker's world: one SMMU, its domain of cfg->entries ATS masters
 * (without devices: an ATC_INV costs the SMMU --atc-inv-ns); on an
 * error, nothing is left
 */
static int scale_world_create(struct scale_run *s,
			      const struct sim_smmu_config *hwcfg)
{
	const struct sim_world_config wcfg = {
		.hw = *hwcfg,
		.num_domains = s->cfg->walker == SCALE_WALKER_RCU,
		.num_masters = s->cfg->entries,
	};
	struct arm_smmu_master *master;
	int ret;

	ret = sim_world_create(&s->world, &wcfg);
	if (ret)
		return ret;
	s->smmu = &s->world.smmu[0];
	if (s->cfg->walker == SCALE_WALKER_RCU) {
		s->domain = s->world.domains[0];
	} else {
		s->dl_domain = arm_smmu_devlist_domain_alloc(
			s->smmu, ARM_SMMU_DOMAIN_S1, 1);
		if (IS_ERR(s->dl_domain)) {
			ret = PTR_ERR(s->dl_domain);
			s->dl_domain = NULL;
			goto err;
		}
	}
	for (; s->num_attached < s->cfg->entries; s->num_attached++) {
		master = s->world.masters[s->num_attached].master;
		ret = s->dl_domain ?
			      arm_smmu_devlist_attach(s->dl_domain, master,
						      IOMMU_NO_PASID) :
			      arm_smmu_attach_dev(master, s->domain,
						  IOMMU_NO_PASID);
		if (ret)
			goto err;
	}
	return 0;
err:
	scale_world_destroy(s);
	return ret;
}

/* What each CPU runs: operations until its clock reaches the end */
static void scale_cpu(unsigned int cpu, void *arg)
{
	struct scale_run *s = arg;
	const struct scale_config *cfg = s->cfg;
	u64 cmds[SCALE_MAX_CMDS * CMDQ_ENT_DWORDS];
	unsigned int n = cfg->workload == SCALE_CMDLIST ? cfg->cmds : 1, k;
	unsigned long errors = khooks_err_count();
	u64 t0, t1;
	int ret;

	khooks_wmm_thread_start(sim_rng_mix(cfg->seed * SCALE_MAX_CPUS + cpu));
	for (k = 0; k < n; k++)
		scale_encode(&cmds[k * CMDQ_ENT_DWORDS], cpu, k);
	while ((t0 = khooks_vcpu_clock()) < s->end) {
		s->op_start[cpu] = t0 ?: 1;
		/* The map, the IOVA and the page tables: CPU time, no sharing */
		if (cfg->workload != SCALE_CMDLIST) {
			khooks_vcpu_delay(cfg->op_ns);
			s->span_ns[SCALE_SHARE_OP] +=
				scale_in_span(s, t0, t0 + cfg->op_ns);
		}
		if (cfg->workload == SCALE_WALKER) {
			scale_walk(s, cpu);
		} else if (cfg->workload == SCALE_HOL) {
			ret = scale_hol_op(s, cpu);
			if (ret == -EIO && cpu)
				s->bystander_eio++;
			else if (ret == -EIO)
				s->slow_eio++;
		} else {
			arm_smmu_cmdq_issue_cmdlist(s->smmu, scale_cmdq(s),
						    cmds, n, true);
		}
		s->lists++;
		t1 = khooks_vcpu_clock();
		s->op_start[cpu] = 0;
		if (t0 < s->measure_from || t0 >= s->end)
			continue;
		if (cfg->workload == SCALE_HOL && !cpu) {
			s->slow_ops++;
		} else {
			s->ops[cpu]++;
			lat_record(s->pt->lat, t1 - t0);
		}
	}
	khooks_wmm_thread_stop();
	s->errors += khooks_err_count() - errors;
}

/*
 * The word a list's space is taken on: the lock-free queue's prod (its
 * cmpxchg), the fetch-add queue's tail (its add)
 */
static const void *scale_reserve_word(const struct scale_run *s)
{
	if (s->cfg->queue == SCALE_QUEUE_FETCH_ADD)
		return &s->dev.fetch_add.tail;
	if (s->cfg->queue == SCALE_QUEUE_LOCKED)
		return &s->dev.locked.cmdq_lock;
	return &s->smmu->cmdq.q.llq;
}

/*
 * Something under way since @since (0: nothing) when a run stopped with no
 * progress, at the latest time a CPU saw: @max is at least its age (a CPU
 * whose delay ran its own clock past that time counts from that time)
 */
static void scale_under_way(const struct scale_point *pt, u64 since, u64 *max)
{
	if (since && since < pt->virtual_ns && pt->virtual_ns - since > *max)
		*max = pt->virtual_ns - since;
}

/* The shares of the CPUs' measured time; "other" is what is left */
static void scale_shares(struct scale_run *s, unsigned int cpus)
{
	double total = (double)cpus * (s->end - s->measure_from), left = 1;
	unsigned int k;

	for (k = 0; k < SCALE_SHARE_OTHER; k++) {
		s->pt->share[k] = s->span_ns[k] / total;
		left -= s->pt->share[k];
	}
	s->pt->share[SCALE_SHARE_OTHER] = left > 0 ? left : 0;
}

/* A host clock, in seconds */
static double scale_host_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

const char *scale_point_failure(const struct scale_config *cfg,
				const struct scale_point *pt)
{
	if (pt->livelock)
		return "no progress (above)";
	if (pt->warns || pt->kernel_errors != pt->atc_timeouts)
		return "the kernel-form code logged errors or WARNs (above), "
		       "beyond one error per ATC timeout";
	if (cfg->workload != SCALE_HOL)
		return NULL;
	if (pt->slow_eio != pt->atc_timeouts || pt->bystander_eio)
		return "an ATC timeout did not reach CPU 0 alone as -EIO";
	if (!cfg->slow_timeout && pt->atc_timeouts)
		return "a device timed out, none was set to";
	if (!pt->ops)
		return "no bystander operation in the measured span";
	return NULL;
}

unsigned int scale_num_queues(const struct scale_config *cfg, unsigned int cpus)
{
	if (cfg->cmdq == SCALE_CMDQ_ATS)
		return 1;
	if (cfg->cmdq == SCALE_CMDQ_PER_CPU)
		return min(cfg->queues ?: cpus, (unsigned int)ARM_SMMU_MQ_MAX);
	return 0;
}

int scale_run_point(const struct scale_config *cfg, unsigned int cpus,
		    struct scale_point *pt)
{
	unsigned int num_queues = scale_num_queues(cfg, cpus);
	const struct sim_smmu_config hwcfg = {
		.msi = true,
		.ats = cfg->workload == SCALE_WALKER ||
		       cfg->workload == SCALE_HOL,
		.cmdq_shift = cfg->cmdq_shift,
		.lat = { .cmd_ns = cfg->cmd_ns,
			 .atc_inv_ns = cfg->atc_inv_ns,
			 .sync_ns = cfg->sync_ns },
		.atc_timeout_ns = cfg->atc_timeout_ns,
		.num_queues = num_queues,
		.seed = cfg->seed,
	};
	struct khooks_vcpu_config vcfg = {
		.cpus = cpus,
		.seed = cfg->seed,
		.horizon = 1,
		.max_steps = cfg->max_steps,
		.policy = KHOOKS_VCPU_TIME,
		.step = sim_clock_step,
		.next_event = sim_clock_next_event,
		.wait_max_ns = SIM_CLOCK_EVTSTRM_NS,
		.cost = scale_cost,
	};
	struct khooks_vcpu_stats vst;
	struct sim_cost_profile prof;
	struct sim_cost_line_stats ls;
	struct sim_cost *cost = NULL;
	unsigned long warns;
	struct scale_run *s;
	unsigned int i, w;
	struct load_sample l0;
	double t0, c0;
	int ret;

	memset(pt, 0, sizeof(*pt));
	pt->cpus = cpus;
	if (cpus > SCALE_MAX_CPUS)
		return -EINVAL;
	ret = scale_profile(cfg, &prof);
	if (ret)
		return ret;
	/* Line-aligned, as the kernel's objects: the same lines every run */
	if (posix_memalign((void **)&s, SIM_COST_LINE_BYTES, sizeof(*s)))
		return -ENOMEM;
	ret = lat_create(SCALE_LAT_DIGITS, &pt->lat);
	if (ret) {
		free(s);
		return ret;
	}
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->pt = pt;
	s->measure_from = cfg->warmup_ns;
	s->end = cfg->warmup_ns + cfg->duration_ns;
	if (cfg->queue == SCALE_QUEUE_FETCH_ADD)
		arm_smmu_cmdq_fetch_add_init(&s->dev.fetch_add);
	if (cfg->queue == SCALE_QUEUE_LOCKED)
		arm_smmu_cmdq_locked_init(&s->dev.locked);
	s->smmu = &s->dev.smmu;
	if (num_queues) {
		ret = arm_smmu_mq_init(&s->mq,
				       cfg->cmdq == SCALE_CMDQ_ATS ?
					       ARM_SMMU_MQ_ATS :
					       ARM_SMMU_MQ_PER_CPU,
				       num_queues);
		if (ret)
			goto out;
		s->dev.smmu.impl_ops = &s->mq.ops;
	}
	s->num_sids = cfg->workload == SCALE_HOL ? cfg->devs + cpus : 1;
	ret = sim_clock_init(SIM_CLOCK_VIRTUAL);
	if (!ret)
		ret = sim_cost_create(&prof, cpus, cfg->seed, &cost);
	if (ret)
		goto out;
	if (cfg->workload == SCALE_WALKER) {
		ret = scale_world_create(s, &hwcfg);
		if (ret)
			goto out;
	} else {
		ret = sim_smmu_probe(&hwcfg, s->num_sids, &s->dev.smmu, &s->hw);
		if (ret)
			goto out;
	}
	if (cfg->workload == SCALE_HOL) {
		ret = scale_hol_devices(s);
		if (ret)
			goto remove;
	}
	s->cost = cost;
	vcfg.cost_arg = s;
	ret = khooks_switch_set(KHOOKS_CMDQ_LOCK_PRE_DF180B1A,
				cfg->cmdq_lock == SCALE_LOCK_OLD);
	if (ret)
		goto remove;
	warns = khooks_warn_count();
	/* hol's time-outs log an error each: counted, checked, not printed */
	if (cfg->slow_timeout)
		khooks_printk_level(LOGLEVEL_ERR - 1);
	scale_cur = s;
	arm_smmu_trace_probes.cmdq_wait = scale_probe_wait;
	arm_smmu_trace_probes.cmdq_issue_start = scale_probe_issue;
	pt->have_load = !load_sample(&l0);
	t0 = scale_host_s(CLOCK_MONOTONIC);
	c0 = scale_host_s(CLOCK_THREAD_CPUTIME_ID);
	ret = khooks_vcpu_run(&vcfg, scale_cpu, s, &vst);
	pt->cpu_s = scale_host_s(CLOCK_THREAD_CPUTIME_ID) - c0;
	pt->wall_s = scale_host_s(CLOCK_MONOTONIC) - t0;
	pt->have_load = pt->have_load && !load_since(&l0, &pt->load);
	arm_smmu_trace_probes.cmdq_wait = NULL;
	arm_smmu_trace_probes.cmdq_issue_start = NULL;
	scale_cur = NULL;
	if (cfg->slow_timeout)
		khooks_printk_level(LOGLEVEL_WARNING);
	khooks_switch_set(KHOOKS_CMDQ_LOCK_PRE_DF180B1A, false);
	if (ret == -EDEADLK) {
		/*
		 * Its CPUs stopped where they stood, the world with them (left
		 * as it is): how long the oldest operation under way had been
		 */
		pt->livelock = true;
		pt->virtual_ns = sim_clock_now_ns();
		for (i = 0; i < cpus; i++) {
			scale_under_way(pt, s->op_start[i], &pt->longest_ns);
			for (w = 0; w < ARM_SMMU_CMDQ_NR_WAITS; w++)
				scale_under_way(pt, s->wait_since[i][w],
						&pt->wait_max_ns[w]);
		}
		pt->steps = vst.steps;
		sim_cost_destroy(cost);
		return ret;
	}
	if (!ret) {
		pt->longest_ns = lat_max(pt->lat);
		for (i = 0; i < cpus; i++)
			pt->ops += s->ops[i];
		pt->ops_per_s = pt->ops * 1e9 / cfg->duration_ns;
		/* hol: per bystander */
		pt->ops_per_cpu_s =
			pt->ops_per_s /
			(cfg->workload == SCALE_HOL ? cpus - 1 : cpus);
		/* The walker issues several lists an operation */
		pt->lists = cfg->queue == SCALE_QUEUE_LOCKFREE ? s->issued :
								 s->lists;
		sim_cost_line(cost, scale_reserve_word(s), &ls);
		pt->prod_rmws = ls.rmws;
		sim_cost_stats(cost, &pt->cost);
		pt->steps = vst.steps;
		pt->switches = vst.switches;
		pt->waits = vst.waits;
		pt->kernel_errors = s->errors;
		pt->slow_ops = s->slow_ops;
		pt->slow_eio = s->slow_eio;
		pt->bystander_eio = s->bystander_eio;
		if (s->hw) {
			struct sim_smmu_stats st;

			sim_smmu_stats(s->hw, &st);
			pt->atc_timeouts = st.atc_timeouts;
		}
		pt->warns = khooks_warn_count() - warns;
		pt->virtual_ns = sim_clock_now_ns();
		scale_shares(s, cpus);
	}
remove:
	if (cfg->workload == SCALE_WALKER)
		scale_world_destroy(s);
	else
		sim_smmu_remove(&s->dev.smmu, s->hw);
out:
	sim_cost_destroy(cost);
	free(s->sdevs);
	free(s);
	return ret;
}
