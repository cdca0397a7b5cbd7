// SPDX-License-Identifier: GPL-2.0
/*
 * stress: the simulated world (SMMU, domains, masters, the oracle) and the
 * probes on the kernel-form tracepoints
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <khooks/wmm.h>

#include "stress/internal.h"

struct stress_run *stress_cur;
__thread struct stress_thread *stress_self;

/* Record an event at @now (under r->lock), in the measured span */
void stress_event_at_locked(struct stress_run *r, u64 now, const char *kind,
			    int dev)
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

void stress_event_locked(struct stress_run *r, const char *kind, int dev)
{
	stress_event_at_locked(r, sim_clock_now_ns(), kind, dev);
}

void stress_event(struct stress_run *r, const char *kind, int dev)
{
	pthread_mutex_lock(&r->lock);
	stress_event_locked(r, kind, dev);
	pthread_mutex_unlock(&r->lock);
}

/* Probes of the kernel-form tracepoints */

/* cmdq_detail: the probes take the list's times (a mapper's lists only) */
void stress_probe_cmdq_start(int n)
{
	struct stress_thread *t = stress_self;

	if (t && t->hist[SM_INSERT])
		t->cmdq_t0 = sim_clock_now_ns();
}

void stress_probe_cmdq_inserted(int n)
{
	struct stress_thread *t = stress_self;

	if (!t || !t->hist[SM_INSERT])
		return;
	t->cmdq_t1 = sim_clock_now_ns();
	if (stress_measuring(t->run))
		lat_record(t->hist[SM_INSERT], t->cmdq_t1 - t->cmdq_t0);
}

void stress_probe_cmdq_done(int n, bool sync, int ret)
{
	struct stress_thread *t = stress_self;

	/* Any thread's: the driver gave up waiting (CMD_SYNC or space) */
	if (ret == -ETIMEDOUT) {
		__atomic_fetch_add(&stress_cur->sw_timeouts, 1,
				   __ATOMIC_RELAXED);
		if (t)
			t->sw_timeouts++;
	}
	if (!t || !t->hist[SM_INSERT] || !stress_measuring(t->run))
		return;
	if (ret)
		stress_event(t->run, "timeout", -1);
	if (sync && t->run->cfg->cmdq_detail)
		lat_record(t->hist[SM_SYNC], sim_clock_now_ns() - t->cmdq_t1);
}

/* atc_isolate_start: the episode's start, in the thread that isolates */
__thread u64 stress_isolate_t0;

void stress_probe_isolate_start(void)
{
	stress_isolate_t0 = sim_clock_now_ns();
}

void stress_probe_isolate(unsigned int num_sids, unsigned int tests,
			  unsigned int broken)
{
	struct stress_thread *t = stress_self;
	struct stress_run *r = stress_cur;
	u64 ns = sim_clock_now_ns() - stress_isolate_t0;

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

void stress_probe_quarantine(u32 sid)
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
	else if (!d->in_plan)
		r->innocent++;
	/*
	 * One role at a time (--clock virtual), the fault driver's victim
	 * and the devices the fault plan names are the truth: only
	 * whole-batch blames a whole batch by design.  (Where CPUs overlap an
	 * isolation can outlast the fault it began in: counted, not judged.)
	 */
	if (!onset && !d->in_plan && stress_one_at_a_time(r->cfg) &&
	    strcmp(r->cfg->strategy, "whole-batch"))
		sim_oracle_report(r->oracle, sid,
				  "innocent device quarantined");
	/* The quarantine has cleared EATS: translated requests are rejected */
	if (stress_virtual(r->cfg) && sim_oracle_ats_allowed(r->oracle, sid))
		sim_oracle_report(r->oracle, sid,
				  "quarantined device's STE still allows "
				  "translated requests");
	d->quarantined = true;
	stress_event_locked(r, "quarantine", d - r->devs);
	d->invs_at_quarantine =
		__atomic_load_n(&d->wm->sdev.atc_invs, __ATOMIC_RELAXED);
	/*
	 * Inside a reset (prepare() blocked the device, so what timed out was
	 * sent before it came back), the reset under way lifts it: the record
	 * prepare() made stands
	 */
	if (!__atomic_load_n(&d->in_reset, __ATOMIC_RELAXED))
		sim_oracle_quarantined(r->oracle, &d->wm->sdev);
	pthread_mutex_unlock(&r->lock);
}

/*
 * Add the ATC_INVs the device received since it was quarantined (or since
 * the last count) to the spam (under r->lock)
 */
void stress_count_spam(struct stress_run *r, struct stress_dev *d)
{
	u64 invs = __atomic_load_n(&d->wm->sdev.atc_invs, __ATOMIC_RELAXED);

	if (!d->quarantined)
		return;
	r->spam += invs - d->invs_at_quarantine;
	d->invs_at_quarantine = invs;
}

/* World set-up */

void stress_world_free(struct stress_run *r)
{
	unsigned int i;

	for (i = 0; i < r->world.num_smmus; i++)
		sim_smmu_set_refetch(r->world.hw[i], NULL, NULL);
	sim_world_destroy(&r->world);
	sim_fault_free(r->plan);
	sim_oracle_destroy(r->oracle);
	free(r->devs);
	free(r->sdevs);
}

/*
 * The fault plan, if any: the SMMU consults it from now on (the run's time
 * origin), and the devices it names may be faulty (the truth the innocence
 * check needs)
 */
static int stress_world_plan(struct stress_run *r)
{
	u32 sids[SIM_FAULT_MAX_STATEMENTS];
	char err[256];
	size_t n, i;
	int ret;

	if (!r->cfg->fault_plan[0])
		return 0;
	ret = sim_fault_parse_file(r->cfg->fault_plan, r->cfg->seed, &r->plan,
				   err, sizeof(err));
	if (ret)
		return ret;
	n = sim_fault_sids(r->plan, sids, ARRAY_SIZE(sids));
	for (i = 0; i < n; i++)
		if (sids[i] < r->ndevs)
			r->devs[sids[i]].in_plan = true;
	sim_fault_start(r->plan, sim_clock_now_ns());
	/* Stream IDs are unique across the SMMUs: each consults the plan */
	for (i = 0; i < r->world.num_smmus; i++)
		sim_smmu_set_fault_plan(r->world.hw[i], r->plan);
	return 0;
}

/*
 * An unmap clears the page's entry as the mapper's CPU stores (atcbench-wmm:
 * into its store buffer), for the walker's smp_mb() to order
 */
static void stress_unmap_store(u64 *pte, u64 val)
{
	khooks_wmm_store(pte, &val, sizeof(val));
}

int stress_world_init(struct stress_run *r, bool threaded)
{
	const struct stress_config *cfg = r->cfg;
	struct sim_world_config wcfg = {
		.hw = {
			.ats = true,
			.msi = cfg->msi,
			.range_inv = cfg->range_inv,
			.threaded = threaded,
			.cmdq_shift = cfg->cmdq_shift,
			.lat = { .cmd_ns = cfg->cmd_ns,
				 .atc_inv_ns = cfg->atc_inv_ns,
				 .sync_ns = cfg->sync_ns },
			.atc_timeout_ns = cfg->atc_timeout_ns,
		},
		.isolate_ops = arm_smmu_atc_isolate_ops_find(cfg->strategy),
		.num_smmus = cfg->smmus,
		.num_domains = cfg->domains,
		.s2_nest_parent = cfg->nested,
		.mixed_stages = cfg->mixed_stages,
		.num_masters = cfg->domains * cfg->devices,
		.devices = true,
		.masters_per_domain = cfg->devices,
		.no_ats_per_domain = cfg->non_ats,
		.pasid_per_domain = cfg->pasid,
		.dev_latency_ns = cfg->dev_latency_ns,
	};
	unsigned int i, slices;
	int ret;

	r->ndevs = wcfg.num_masters;
	slices = (cfg->mappers + cfg->domains - 1) / cfg->domains;
	r->pages_per_domain = slices * cfg->pages;
	wcfg.atc_pages = r->pages_per_domain;
	/*
	 * The SMMU's TLB one role at a time only (--clock virtual), where an
	 * unmap and its invalidation are one step against an attach
	 * (docs/decisions.md)
	 */
	if (stress_one_at_a_time(cfg))
		wcfg.hw.tlb_pages = r->pages_per_domain;
	wcfg.hw.seed = cfg->seed;
	r->devs = calloc(r->ndevs, sizeof(*r->devs));
	r->sdevs = calloc(r->ndevs, sizeof(*r->sdevs));
	if (!r->devs || !r->sdevs)
		return -ENOMEM;

	ret = sim_world_create(&r->world, &wcfg);
	if (ret)
		return ret;
	ret = sim_world_oracle(&r->world, r->pages_per_domain, &r->oracle);
	if (ret)
		return ret;
	sim_oracle_set_unmap_store(r->oracle, stress_unmap_store);
	/* With the TLB, translations go through it and devices refetch */
	for (i = 0; wcfg.hw.tlb_pages && i < r->world.num_smmus; i++)
		sim_smmu_set_refetch(r->world.hw[i], sim_oracle_refetch,
				     r->oracle);
	ret = stress_world_plan(r);
	if (ret)
		return ret;
	for (i = 0; i < r->ndevs; i++) {
		r->devs[i].wm = &r->world.masters[i];
		r->devs[i].domain = i / cfg->devices;
		r->sdevs[i] = &r->world.masters[i].sdev;
	}
	return 0;
}
