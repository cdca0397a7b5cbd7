// SPDX-License-Identifier: GPL-2.0
/*
 * stress: the fault driver: a fault begins, the driver reacts, the fault
 * ends and the device is recovered
 */
#include <string.h>
#include <sim/rng.h>

#include "stress/internal.h"

/* Faults: inject, then recover */

/* After a done(): a device that is no longer blocked had its block lifted */
static void stress_after_done(struct stress_run *r, struct stress_dev *d)
{
	if (iommu_device_blocked(&d->wm->pdev.dev))
		return;
	pthread_mutex_lock(&r->lock);
	d->quarantined = false;
	r->lifts++;
	pthread_mutex_unlock(&r->lock);
	sim_oracle_lifted(r->oracle, &d->wm->sdev);
	sim_oracle_check_dev(r->oracle, &d->wm->sdev);
}

/* A reset through the protocol; returns whether it succeeded */
static bool stress_protocol_reset(struct stress_run *r, struct stress_dev *d,
				  bool may_fail, u64 hold_ns)
{
	bool ok = !may_fail ||
		  sim_rng_next(&r->fault_rng) % 100 >= r->cfg->reset_fail_pct;

	__atomic_store_n(&d->in_reset, true, __ATOMIC_RELAXED);
	pci_dev_reset_iommu_prepare(&d->wm->pdev);
	sim_oracle_quarantined(r->oracle, &d->wm->sdev);
	sim_dev_set_state(&d->wm->sdev, SIM_DEV_RESETTING, 0);
	stress_sleep_ns(r, hold_ns);
	if (ok)
		sim_dev_reset(&d->wm->sdev);
	sim_dev_set_state(&d->wm->sdev, SIM_DEV_RESPONSIVE, 0);
	/* What reaches it from now on is the re-attach's, not spam */
	pthread_mutex_lock(&r->lock);
	stress_count_spam(r, d);
	r->resets++;
	r->failed_resets += !ok;
	stress_event_locked(r, ok ? "reset" : "failed-reset", d - r->devs);
	pthread_mutex_unlock(&r->lock);
	pci_dev_reset_iommu_done(&d->wm->pdev, ok);
	/*
	 * A reset that succeeded unblocks the device (v7.0's protocol).
	 * Judged one role at a time (--clock virtual), where no quarantine
	 * can come between.
	 */
	if (ok && stress_one_at_a_time(r->cfg) &&
	    iommu_device_blocked(&d->wm->pdev.dev))
		sim_oracle_report(r->oracle, d->wm->master->streams[0].id,
				  "device still blocked after a successful "
				  "reset");
	/*
	 * Still in the reset for the probe: a quarantine that comes (on
	 * another CPU) between done() and this look is not taken for one
	 * the reset lifted
	 */
	stress_after_done(r, d);
	__atomic_store_n(&d->in_reset, false, __ATOMIC_RELAXED);
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
		/* The SMMUs stall in turn */
		sim_smmu_stall_for(
			r->world.hw[(r->faults - 1) % r->world.num_smmus],
			cfg->fault_duration_ns);
		return;
	}
	if (cfg->fault == STRESS_FAULT_ILLEGAL) {
		/* Nothing to recover: the driver's error handler is judged */
		stress_event(r, "fault", -1);
		sim_smmu_inject_illegal(
			r->world.hw[(r->faults - 1) % r->world.num_smmus]);
		return;
	}
	v = sim_rng_next(&r->fault_rng) % r->ndevs;
	d = &r->devs[v];
	__atomic_store_n(&d->fault_onset_ns, now, __ATOMIC_RELAXED);
	__atomic_store_n(&r->victim, (int)v, __ATOMIC_RELAXED);
	stress_event(r, "fault", v);

	switch (cfg->fault) {
	case STRESS_FAULT_TIMEOUT:
		sim_dev_set_state(&d->wm->sdev, SIM_DEV_UNRESPONSIVE, 0);
		break;
	case STRESS_FAULT_LOST:
		/* One completion lost; its entries stay in the ATC */
		sim_dev_lose_next(&d->wm->sdev, true);
		break;
	case STRESS_FAULT_DPC:
		/* The link is down: the device lost its state, ATC included */
		sim_dev_set_state(&d->wm->sdev, SIM_DEV_SURPRISE_RESET, 0);
		sim_dev_reset(&d->wm->sdev);
		break;
	case STRESS_FAULT_RESET:
		if (cfg->reset_prepare) {
			/* The whole reset now; the fault window is its hold */
			stress_protocol_reset(r, d, true,
					      cfg->fault_duration_ns);
		} else {
			sim_dev_set_state(&d->wm->sdev, SIM_DEV_RESETTING, 0);
		}
		break;
	}
}

/* The fault is over: the device answers again; recover it if blocked */
void stress_fault_end(struct stress_run *r)
{
	const struct stress_config *cfg = r->cfg;
	struct stress_dev *d;
	bool unprepared_reset = cfg->fault == STRESS_FAULT_RESET &&
				!cfg->reset_prepare;

	if (r->smmu_stalled) { /* the SMMU resumes by itself */
		r->smmu_stalled = false;
		r->smmu_stall_end_ns = sim_clock_now_ns();
		return;
	}
	d = &r->devs[r->victim];
	sim_dev_lose_next(&d->wm->sdev, false); /* no ATC_INV came */
	if (cfg->fault != STRESS_FAULT_RESET || unprepared_reset) {
		if (unprepared_reset)
			sim_dev_reset(&d->wm->sdev);
		sim_dev_set_state(&d->wm->sdev, SIM_DEV_RESPONSIVE, 0);
	}
	__atomic_store_n(&r->victim, -1, __ATOMIC_RELAXED);
	__atomic_store_n(&d->fault_onset_ns, 0, __ATOMIC_RELAXED);
	flush_scheduled_work();
	/* Error recovery: a reset with the protocol, which succeeds */
	if (iommu_device_blocked(&d->wm->pdev.dev)) {
		r->recoveries++;
		stress_protocol_reset(r, d, false, 0);
	}
}

void stress_faults_tick(struct stress_run *r, u64 now)
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
