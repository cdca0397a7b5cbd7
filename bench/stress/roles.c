// SPDX-License-Identifier: GPL-2.0
/*
 * stress: the roles: mappers (open or closed loop, the watchdog's stalls),
 * translators and attach churners
 */
#include <string.h>
#include <time.h>
#include <khooks/wmm.h>
#include <sim/rng.h>

#include "stress/internal.h"

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

/*
 * Whether mapper @t ran on a CPU for @ns or more since its last CPU sample
 * (a waiter spins: one the host kept off the CPU did not)
 */
static bool stress_mapper_ran(struct stress_thread *t, u64 ns)
{
	struct timespec ts;
	clockid_t cid;

	if (pthread_getcpuclockid(t->tid, &cid) || clock_gettime(cid, &ts))
		return false;
	return (u64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec >=
	       __atomic_load_n(&t->cpu_ns, __ATOMIC_RELAXED) + ns;
}

/* Mapper @t's CPU sample (stress_thread), taken at @now */
static void stress_mapper_cpu_sample(struct stress_thread *t, u64 now)
{
	t->cpu_at_ns = now;
	__atomic_store_n(&t->cpu_ns, stress_thread_cpu_ns(), __ATOMIC_RELAXED);
}

/*
 * A hang: no mapper completed for longer than the driver's own CMD_SYNC
 * time-out, while the harness's thread ran throughout (no host gap in that
 * window), each mapper ran on a CPU for half of it at least (it spun, the
 * host did not starve it) and no scenario stalled the SMMU.  Once per
 * episode: an event, and the run fails (stress_run_collect()).
 */
static void stress_watch_hang(struct stress_run *r, u64 now)
{
	u64 hang_ns = (u64)READ_ONCE(arm_smmu_poll_timeout_us) * 1000;
	u64 since = max(r->host_gap_at_ns, r->smmu_stall_end_ns);
	unsigned int i;
	bool all = true;

	/* The window of no completion overlaps no host gap, no SMMU stall */
	if (now <= since || now - since <= hang_ns || r->smmu_stalled)
		all = false;
	for (i = 0; i < r->cfg->mappers && all; i++) {
		u64 last = __atomic_load_n(&r->mappers[i].last_done_ns,
					   __ATOMIC_ACQUIRE);

		/* one that finished its operations is not stalled */
		all = last != U64_MAX && now > last && now - last > hang_ns &&
		      !(r->cfg->ops &&
			__atomic_load_n(&r->mappers[i].ops, __ATOMIC_RELAXED) >=
				r->cfg->ops) &&
		      stress_mapper_ran(&r->mappers[i], hang_ns / 2);
	}
	if (all && !r->hanging) {
		if (r->hangs < STRESS_MAX_HANGS)
			r->hang_win[r->hangs].from = now - hang_ns;
		r->hangs++;
		stress_event(r, "hang", -1);
	}
	/* The episode goes on, its window with it (past the last: widened) */
	if (all)
		r->hang_win[min(r->hangs, (u64)STRESS_MAX_HANGS) - 1].to = now;
	r->hanging = all;
}

/*
 * The driver's watchdog: a mapper whose gap is over the threshold now;
 * the host's gaps (real time: called every STRESS_TICK_NS) and hangs
 */
void stress_watchdog(struct stress_run *r, u64 now)
{
	unsigned int i;

	if (r->tick_prev_ns && now - r->tick_prev_ns >= STRESS_HOST_GAP_NS) {
		r->host_gaps++;
		r->host_gap_max_ns =
			max(r->host_gap_max_ns, now - r->tick_prev_ns);
		r->host_gap_at_ns = now;
	}
	if (!r->tick_prev_ns)
		r->host_gap_at_ns = now; /* the window starts with the watch */
	r->tick_prev_ns = now;
	stress_watch_hang(r, now);

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
 * The worst history for an invalidation: a device the domain began with
 * translated a page of the operation just before it was unmapped (a device
 * may ask for any page at any moment), so an ATC_INV that was lost, or that
 * the driver wrongly believes completed, leaves an entry for the check.
 * The mapper's own generator chooses, so virtual time stays exact.
 */
static void stress_prefetch(struct stress_thread *t, unsigned int page)
{
	struct stress_run *r = t->run;
	const struct stress_config *cfg = r->cfg;
	unsigned int v =
		t->domain * cfg->devices + sim_rng_next(&t->rng) % cfg->devices;

	page += sim_rng_next(&t->rng) % cfg->op_pages;
	if (!sim_oracle_translate(r->oracle, &r->devs[v].wm->sdev, page))
		t->translations++;
}

/*
 * One operation of a mapper: unmap, invalidate, check, map again.  Its
 * latency runs from @intended (open loop: when it should have started) or
 * else from the invalidation's start, to the invalidation's end; it is
 * recorded when it ends in the measured span, whenever it started.
 */
void stress_mapper_op(struct stress_thread *t, u64 intended)
{
	struct stress_run *r = t->run;
	const struct stress_config *cfg = r->cfg;
	unsigned int page = t->first_page + t->next;
	unsigned long iova = (unsigned long)page << STRESS_PAGE_SHIFT;
	size_t size = (size_t)cfg->op_pages << STRESS_PAGE_SHIFT;
	bool real = !stress_virtual(cfg);
	unsigned int after = SIM_ORACLE_COMPLETED;
	u64 t0, t1, bin, lat, sw0 = t->sw_timeouts;
	unsigned int violations;
	bool sw_timeout;
	unsigned long errs;
	int victim;
	u32 i;

	stress_prefetch(t, page);
	t->inflight = page + 1;
	sim_oracle_unmap(r->oracle, t->domain, page, cfg->op_pages);
	errs = khooks_err_count();
	t0 = sim_clock_now_ns();
	arm_smmu_domain_inv_range(r->world.domains[t->domain], iova, size,
				  1UL << STRESS_PAGE_SHIFT, true);
	t1 = sim_clock_now_ns();
	/* The unmap's own stores are behind it (the map below reads them) */
	khooks_wmm_fence();
	sim_oracle_inv_done(r->oracle, t->domain, page, cfg->op_pages);
	t->inflight = 0;
	sw_timeout = real && t->sw_timeouts != sw0;
	/*
	 * An error on the way: a CMD_SYNC it gave up on (-ETIMEDOUT).  A
	 * waiter spins, so a software time-out in a wait whose thread ran
	 * STRESS_HOST_GAP_NS less than the time since its CPU sample (at
	 * most a tick before the operation) is one the host caused (the
	 * driver's poll saw the clock jump while off the CPU), whose stale
	 * entries are not the driver's.
	 */
	if (khooks_err_count() != errs) {
		after = SIM_ORACLE_GAVE_UP;
		if (sw_timeout &&
		    t1 - t->cpu_at_ns > stress_thread_cpu_ns() - t->cpu_ns +
						STRESS_HOST_GAP_NS) {
			after = SIM_ORACLE_GAVE_UP_HOST;
			__atomic_fetch_add(&r->host_give_ups, 1,
					   __ATOMIC_RELAXED);
		}
	}
	if (real && t1 - t->cpu_at_ns >= STRESS_TICK_NS)
		stress_mapper_cpu_sample(t, t1);
	violations = sim_oracle_check(r->oracle, r->sdevs, r->ndevs, t->domain,
				      page, cfg->op_pages, after);
	/*
	 * A software time-out while another thread the host kept from
	 * running (the queue's owner, the SMMU's) shows only once that
	 * thread ran again: judged at the end (runq.c).  Other errors (an
	 * ATC timeout's -EIO) are the driver's to handle, whatever the host.
	 */
	if (sw_timeout && after == SIM_ORACLE_GAVE_UP) {
		pthread_mutex_lock(&r->lock);
		if (r->ngive_ups < STRESS_MAX_GIVE_UPS)
			r->give_ups[r->ngive_ups++] = (struct stress_give_up){
				.t0 = t0, .t1 = t1, .violations = violations
			};
		pthread_mutex_unlock(&r->lock);
	}
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
	t->tl_viol[bin] += violations;
	t->tl_max[bin] = max(t->tl_max[bin], lat);
	victim = __atomic_load_n(&r->victim, __ATOMIC_RELAXED);
	if (victim >= 0 && __atomic_load_n(&r->devs[victim].domain,
					   __ATOMIC_RELAXED) != t->domain)
		lat_record(t->hist[SM_BYSTANDER], lat);
	/* Single writer: relaxed stores, read by the progress line (if any) */
	if (r->progress) {
		i = lat_index(r->prog_layout,
			      min(lat, r->prog_layout->highest));
		__atomic_store_n(&t->progress[i], t->progress[i] + 1,
				 __ATOMIC_RELAXED);
	}
	__atomic_store_n(&t->ops, t->ops + 1, __ATOMIC_RELEASE);
}

/*
 * A device's access to a page: a translation request when its STE allows
 * them (its ATC caches the answer), else an untranslated DMA that the SMMU
 * translates (its TLB caches it)
 */
bool stress_translate(struct stress_run *r, struct stress_dev *d,
		      unsigned int page)
{
	int ret = sim_oracle_translate(r->oracle, &d->wm->sdev, page);

	if (ret == -EPERM)
		ret = sim_oracle_dma(r->oracle, d->wm->sdev.sid, page);
	return !ret;
}

void stress_translate_op(struct stress_thread *t)
{
	struct stress_run *r = t->run;
	struct stress_dev *d = &r->devs[sim_rng_next(&t->rng) % r->ndevs];
	unsigned int page = sim_rng_next(&t->rng) % r->pages_per_domain;

	t->translations += stress_translate(r, d, page);
}

void stress_churn_op(struct stress_thread *t)
{
	struct stress_run *r = t->run;
	struct stress_dev *d = &r->devs[sim_rng_next(&t->rng) % r->ndevs];
	unsigned int cur = __atomic_load_n(&d->domain, __ATOMIC_RELAXED);
	/* Another domain of the device's SMMU (domain d is on d % smmus) */
	unsigned int smmus = r->cfg->smmus, smmu = cur % smmus;
	unsigned int n = (r->cfg->domains - smmu + smmus - 1) / smmus;
	unsigned int k = sim_rng_next(&t->rng) % n, to;
	/*
	 * Judged one role at a time only (see below): blocked, and not in a
	 * reset, where an attach is deferred, not refused
	 */
	bool refuse = stress_one_at_a_time(r->cfg) &&
		      iommu_device_blocked(&d->wm->pdev.dev) &&
		      !__atomic_load_n(&d->in_reset, __ATOMIC_RELAXED);
	bool move_pasid;
	u32 ssid;
	int ret;

	if (__atomic_load_n(&d->detached, __ATOMIC_RELAXED)) {
		/* Back to its domain; a detacher of its own picks */
		to = cur;
	} else if (sim_rng_next(&t->rng) % 100 < r->cfg->detach_pct) {
		/* A detach: blocked, its domain no longer retained */
		iommu_detach_device(&r->world.domains[cur]->domain,
				    &d->wm->pdev.dev);
		__atomic_store_n(&d->detached, true, __ATOMIC_RELAXED);
		t->detaches++;
		return;
	} else {
		if (k == cur / smmus)
			k = (k + 1) % n;
		to = k * smmus + smmu;
	}
	/*
	 * A device attached at a PASID, re-attached to its domain, moves to
	 * its other PASID: its driver stops its DMA with the old one, the
	 * attach replaces the old PASID, then DMA resumes with the new one
	 * (the domain's array holds both for a while)
	 */
	ssid = __atomic_load_n(&d->wm->sdev.ssid, __ATOMIC_RELAXED);
	move_pasid = ssid != IOMMU_NO_PASID && to == cur &&
		     !__atomic_load_n(&d->detached, __ATOMIC_RELAXED);
	if (move_pasid) {
		ssid ^= STRESS_PASID_OTHER;
		sim_dev_quiesce(&d->wm->sdev, true);
	}
	d->joining = to + 1;
	ret = sim_world_attach_at(&r->world, d->wm - r->world.masters,
				  r->world.domains[to], ssid);
	d->joining = 0;
	if (move_pasid) {
		if (!ret) {
			__atomic_store_n(&d->wm->sdev.ssid, ssid,
					 __ATOMIC_RELAXED);
			t->pasid_moves++;
		}
		sim_dev_quiesce(&d->wm->sdev, false);
	}
	/*
	 * A blocked device (quarantined, or in a failed reset) takes no
	 * attach.  Judged one role at a time (--clock virtual), where
	 * nothing unblocks it between the check and the attach.
	 */
	if (!ret && refuse)
		sim_oracle_report(r->oracle, d->wm->master->streams[0].id,
				  "attach to a blocked device not refused");
	if (!ret) {
		__atomic_store_n(&d->domain, to, __ATOMIC_RELAXED);
		__atomic_store_n(&d->detached, false, __ATOMIC_RELAXED);
		t->attaches++;
		/*
		 * What the device may use now holds nothing an unmap
		 * completed since (an ATC not flushed when it left a domain,
		 * or ATS went off).  Virtual time: in real time a flush's
		 * CMD_SYNC the host starved could time out.
		 */
		if (stress_virtual(r->cfg))
			sim_oracle_check_dev(r->oracle, &d->wm->sdev);
	} else {
		t->refused++;
	}
}

/*
 * Open loop: wait for the next operation's intended start (none if late:
 * the delay is then part of its latency) and return it; 0 in closed loop
 */
u64 stress_mapper_pace(struct stress_thread *t)
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
	if (r->cfg->clock == STRESS_CLOCK_VCPU) {
		stress_vcpu_sleep_until(r, intended);
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

/*
 * atcbench-wmm: a role that runs the driver is a weakly ordered CPU
 * (<khooks/wmm.h>), its choices drawn from its own seeded generator
 * (nothing in atcbench's own build)
 */
static void stress_wmm_start(struct stress_thread *t)
{
	khooks_wmm_thread_start(sim_rng_mix(t->rng));
}

void *stress_mapper_main(void *arg)
{
	struct stress_thread *t = arg;
	struct stress_run *r = t->run;

	rcu_register_thread();
	topo_bind_self(&r->topo, &t->slot);
	stress_wmm_start(t);
	stress_self = t;
	stress_mapper_cpu_sample(t, sim_clock_now_ns());
	while (!stress_stopping(r) && (!r->cfg->ops || t->ops < r->cfg->ops))
		stress_mapper_op(t, stress_mapper_pace(t));
	__atomic_store_n(&t->last_done_ns, U64_MAX, __ATOMIC_RELEASE);
	stress_self = NULL;
	khooks_wmm_thread_stop();
	__atomic_fetch_add(&r->mappers_done, 1, __ATOMIC_RELEASE);
	rcu_unregister_thread();
	return NULL;
}

void *stress_translator_main(void *arg)
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

void *stress_churner_main(void *arg)
{
	struct stress_thread *t = arg;
	struct stress_run *r = t->run;

	rcu_register_thread();
	topo_bind_self(&r->topo, &t->slot);
	stress_wmm_start(t);
	while (!stress_stopping(r)) {
		stress_churn_op(t);
		stress_sleep_ns(r, r->cfg->churn_interval_ns);
	}
	khooks_wmm_thread_stop();
	rcu_unregister_thread();
	return NULL;
}
