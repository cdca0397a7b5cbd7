// SPDX-License-Identifier: GPL-2.0
/*
 * stress: the run on virtual CPUs (--clock vcpu, atcbench-wmm only).
 *
 * Every role is a virtual CPU of <khooks/vcpu.h>, all of them on this
 * thread: CPU 0 is the harness (the measured span, the fault driver, the
 * deferred work the core queues), then the mappers, the translators and the
 * churners.  They interleave at each of the kernel-form code's shared
 * accesses, in the order the seed's PCT schedule gives, each mapper and
 * churner a weakly ordered CPU of <khooks/wmm.h>: a whole stress run is
 * what the race finder (tests/stress/test_race.c) does with one scenario.
 * A run is a function of its seed and the code, whatever the host does.
 *
 * Time is the virtual clock, one for all: each interleaving point costs
 * STRESS_VCPU_STEP_NS and moves the simulated SMMU on.  A kernel wait, or
 * a role's sleep (an open-loop mapper's next start, a translator's or a
 * churner's interval), moves the clock only when every CPU waits or sleeps
 * and no store is buffered: to the SMMU's next event or the first wake-up
 * (sim/clock.h).  Beside PCT's priorities a CPU is preempted at random
 * (STRESS_VCPU_PREEMPT_ONE_IN, or STRESS_VCPU_PREEMPT_BUFFERED_ONE_IN while
 * its stores are buffered) for up to 2^STRESS_VCPU_PREEMPT_MAX_LOG2
 * steps, and translators aim half their requests at pages being unmapped.
 * The CPUs share one timeline, so latencies add up across CPUs: a vcpu run
 * is for the interleavings and the oracle's verdicts, not for latency
 * figures.
 *
 * Per-thread state of the harness (stress_self, stress_isolate_t0) is
 * swapped at each change of CPU.
 */
#include <errno.h>
#include <stdlib.h>
#include <khooks/vcpu.h>
#include <khooks/wmm.h>
#include <sim/rng.h>

#include "stress/internal.h"

/* What a CPU keeps that the harness keeps per thread; its wake-up */
struct stress_vcpu_cpu {
	struct stress_thread *self;
	u64 isolate_t0;
	u64 wake; /* U64_MAX: awake */
};

struct stress_vcpu {
	struct stress_run *r;
	struct stress_vcpu_cpu main, *cpu;
	unsigned int cpus;
	u64 cpu0; /* CPU time when the measured span began */
	unsigned int roles; /* CPUs but the harness still running */
};

static void stress_vcpu_swap(unsigned int from, unsigned int to, void *arg)
{
	struct stress_vcpu *v = arg;
	struct stress_vcpu_cpu *c;

	c = from == KHOOKS_VCPU_NONE ? &v->main : &v->cpu[from];
	c->self = stress_self;
	c->isolate_t0 = stress_isolate_t0;
	c = to == KHOOKS_VCPU_NONE ? &v->main : &v->cpu[to];
	stress_self = c->self;
	stress_isolate_t0 = c->isolate_t0;
}

/* Each point costs its CPU time, and the SMMU acts */
static void stress_vcpu_step(void *arg)
{
	(void)arg;
	sim_clock_advance_to(sim_clock_now_ns() + STRESS_VCPU_STEP_NS);
	sim_clock_poll();
}

void stress_vcpu_sleep_until(struct stress_run *r, u64 t)
{
	struct stress_vcpu_cpu *c = r->vcpu->cpu;
	unsigned int i, self = khooks_vcpu_self();
	u64 first;

	c[self].wake = t;
	while (sim_clock_now_ns() < t) {
		/* Off for as many steps as the time still to sleep */
		khooks_vcpu_pause((t - sim_clock_now_ns()) /
				  STRESS_VCPU_STEP_NS);
		if (sim_clock_now_ns() >= t || !khooks_vcpu_all_waiting())
			continue;
		/*
		 * Every CPU waits or sleeps: time moves on to the first
		 * wake-up or the hardware's next event
		 */
		first = sim_clock_poll();
		for (i = 0; i < r->vcpu->cpus; i++)
			first = min(first, c[i].wake);
		sim_clock_advance_to(first);
		sim_clock_poll();
	}
	c[self].wake = U64_MAX;
}

/* The measured span is over: the roles are told to stop */
static void stress_vcpu_stop(struct stress_vcpu *v, u64 now)
{
	struct stress_run *r = v->r;

	__atomic_store_n(&r->stop, true, __ATOMIC_RELEASE);
	r->t_end_ns = now;
	if (r->measuring)
		r->cpu_seconds = (stress_thread_cpu_ns() - v->cpu0) / 1e9;
}

/*
 * CPU 0: the measured span, the fault driver, the deferred work, until
 * the last role has returned (its operation may wait on them)
 */
static void stress_vcpu_harness(struct stress_vcpu *v)
{
	struct stress_run *r = v->r;
	const struct stress_config *cfg = r->cfg;
	u64 rng = cfg->seed ^ 0x5deece66dULL;
	unsigned int i;

	while (!stress_stopping(r) || v->roles) {
		u64 now = sim_clock_now_ns();
		bool all_done = cfg->ops;

		if (!r->measuring && now >= r->t_measure_ns) {
			__atomic_store_n(&r->measuring, true, __ATOMIC_RELEASE);
			v->cpu0 = stress_thread_cpu_ns();
		}
		for (i = 0; i < cfg->mappers && all_done; i++)
			all_done = r->mappers[i].ops >= cfg->ops;
		if (!stress_stopping(r) &&
		    (now >= r->t_end_ns || all_done || stress_interrupted()))
			stress_vcpu_stop(v, now);
		/* No fault begins once the roles are told to stop */
		if (!stress_stopping(r) && r->measuring)
			stress_faults_tick(r, now);
		else if (r->victim >= 0 || r->smmu_stalled)
			stress_fault_end(r);
		/* The core's work (blocking a broken device) at seeded ticks */
		if (sim_rng_next(&rng) % STRESS_VIRTUAL_WORK_ONE_IN == 0)
			flush_scheduled_work();
		stress_vcpu_sleep_until(r, now + STRESS_VIRTUAL_STEP_NS);
	}
}

static void stress_vcpu_mapper(struct stress_thread *t)
{
	struct stress_run *r = t->run;

	stress_self = t;
	khooks_wmm_thread_start(sim_rng_mix(t->rng));
	while (!stress_stopping(r) && (!r->cfg->ops || t->ops < r->cfg->ops))
		stress_mapper_op(t, stress_mapper_pace(t));
	khooks_wmm_thread_stop();
	t->last_done_ns = U64_MAX;
	stress_self = NULL;
}

/*
 * The worst request at this point: a device of a mapper's domain, or one
 * being attached to it, asks for a page that mapper is unmapping now, or
 * will unmap next (a device may ask for any page at any moment); false if
 * no device qualifies
 */
static bool stress_vcpu_translate_target(struct stress_thread *t)
{
	struct stress_run *r = t->run;
	const struct stress_config *cfg = r->cfg;
	struct stress_thread *m =
		&r->mappers[sim_rng_next(&t->rng) % cfg->mappers];
	unsigned int i, v = sim_rng_next(&t->rng) % r->ndevs;
	unsigned int page = m->inflight ? m->inflight - 1 :
					  m->first_page + m->next;
	struct stress_dev *d;

	for (i = 0; i < r->ndevs; i++) {
		d = &r->devs[(v + i) % r->ndevs];
		if (d->domain == m->domain || d->joining == m->domain + 1) {
			t->translations += stress_translate(
				r, d,
				page + sim_rng_next(&t->rng) % cfg->op_pages);
			return true;
		}
	}
	return false;
}

/*
 * A device's requests, each one a point of its own; half of them at a
 * page being unmapped or about to be
 */
static void stress_vcpu_translator(struct stress_thread *t)
{
	struct stress_run *r = t->run;
	unsigned int i;

	while (!stress_stopping(r)) {
		for (i = 0; i < STRESS_TRANSLATE_BURST; i++) {
			if (sim_rng_next(&t->rng) % 2 ||
			    !stress_vcpu_translate_target(t))
				stress_translate_op(t);
			khooks_vcpu_point(false);
		}
		stress_sleep_ns(r, r->cfg->translate_interval_ns);
	}
}

static void stress_vcpu_churner(struct stress_thread *t)
{
	struct stress_run *r = t->run;

	khooks_wmm_thread_start(sim_rng_mix(t->rng));
	while (!stress_stopping(r)) {
		stress_churn_op(t);
		stress_sleep_ns(r, r->cfg->churn_interval_ns);
	}
	khooks_wmm_thread_stop();
}

static void stress_vcpu_main(unsigned int cpu, void *arg)
{
	struct stress_vcpu *v = arg;
	struct stress_run *r = v->r;
	const struct stress_config *cfg = r->cfg;

	if (cpu == 0) {
		stress_vcpu_harness(v);
		return;
	}
	if (--cpu < cfg->mappers)
		stress_vcpu_mapper(&r->mappers[cpu]);
	else if ((cpu -= cfg->mappers) < cfg->translators)
		stress_vcpu_translator(&r->translators[cpu]);
	else
		stress_vcpu_churner(&r->churners[cpu - cfg->translators]);
	v->roles--;
}

int stress_vcpu_run(struct stress_run *r)
{
	const struct stress_config *cfg = r->cfg;
	struct stress_vcpu v = { .r = r };
	struct khooks_vcpu_config vcfg = {
		.cpus = 1 + cfg->mappers + cfg->translators + cfg->churners,
		.seed = cfg->seed,
		.horizon = 1,
		.preempt_one_in = STRESS_VCPU_PREEMPT_ONE_IN,
		.preempt_max_log2 = STRESS_VCPU_PREEMPT_MAX_LOG2,
		.preempt_buffered_one_in = STRESS_VCPU_PREEMPT_BUFFERED_ONE_IN,
		.step = stress_vcpu_step,
		.swap = stress_vcpu_swap,
		.swap_arg = &v,
	};
	unsigned int i;
	int ret;

	/* Steps move time on: a run past its end by this many is a livelock */
	vcfg.max_steps =
		(r->t_end_ns - sim_clock_now_ns()) / STRESS_VCPU_STEP_NS +
		STRESS_VCPU_LIVELOCK_STEPS;
	v.cpu = calloc(vcfg.cpus, sizeof(*v.cpu));
	if (!v.cpu)
		return -ENOMEM;
	for (i = 0; i < vcfg.cpus; i++)
		v.cpu[i].wake = U64_MAX;
	v.cpus = vcfg.cpus;
	v.roles = vcfg.cpus - 1;
	r->vcpu = &v;
	ret = khooks_vcpu_run(&vcfg, stress_vcpu_main, &v, &r->vcpu_stats);
	r->vcpu = NULL;
	if (ret == -EDEADLK) {
		/* Its CPUs stand where they stopped: the world is theirs */
		r->vcpu_livelock = true;
		r->t_end_ns = sim_clock_now_ns();
		ret = 0;
	}
	free(v.cpu);
	return ret;
}
