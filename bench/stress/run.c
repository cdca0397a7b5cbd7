// SPDX-License-Identifier: GPL-2.0
/*
 * stress: a run: the threads, real and virtual time, the progress line,
 * Ctrl-C, stress_run()
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sim/rng.h>
#include <trace/events/arm_smmu_v3.h>
#include <khooks/switches.h>

#include "stress/internal.h"

/* Set by the signal handler: a lock-free atomic store is signal-safe */
static int stress_sigint;

/* Progress line and Ctrl-C */

/*
 * SIGINT or SIGTERM: the first stops the run, whose results are still
 * written; so does a second (timeout -s INT signals the process and its
 * group, so one arrives twice), even during the final write; the third
 * kills, as the signal would (the files are written whole or not at all)
 */
static void stress_on_sigint(int sig)
{
	if (__atomic_add_fetch(&stress_sigint, 1, __ATOMIC_RELAXED) >=
	    STRESS_SIGNALS_TO_KILL) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
}

bool stress_interrupted(void)
{
	return __atomic_load_n(&stress_sigint, __ATOMIC_RELAXED);
}

static u64 stress_total_ops(struct stress_run *r)
{
	u64 ops = 0;
	unsigned int i;

	for (i = 0; i < r->cfg->mappers; i++)
		ops += __atomic_load_n(&r->mappers[i].ops, __ATOMIC_ACQUIRE);
	return ops;
}

static void stress_progress(struct stress_run *r, u64 now, u64 *last_ops,
			    u64 *last_ns, u64 *snap, u64 *cur)
{
	struct lat_hist *h = r->prog_layout;
	u64 ops = stress_total_ops(r), n = 0, target, acc = 0;
	struct sim_world_stats st;
	double secs = (now - *last_ns) / 1e9;
	u32 i, j;

	memset(cur, 0, h->counts_len * sizeof(*cur));
	for (i = 0; i < r->cfg->mappers; i++)
		for (j = 0; j < h->counts_len; j++)
			cur[j] += __atomic_load_n(&r->mappers[i].progress[j],
						  __ATOMIC_RELAXED);
	for (j = 0; j < h->counts_len; j++)
		n += cur[j] - snap[j];
	target = n - n / 100;
	for (j = 0; j < h->counts_len && n; j++) {
		acc += cur[j] - snap[j];
		if (acc >= target)
			break;
	}
	memcpy(snap, cur, h->counts_len * sizeof(*cur));
	sim_world_stats(&r->world, &st);
	pthread_mutex_lock(&r->lock);
	/* fixed widths, 74 columns: each line overwrites the last in place */
	fprintf(stderr,
		"\r%7.1fs %9.0f ops/s p99 %8.1fus timeouts %-5llu quar %-4llu "
		"viol %-4llu",
		(now - r->t_measure_ns) / 1e9,
		secs > 0 ? (ops - *last_ops) / secs : 0,
		n ? lat_highest(h, j < h->counts_len ? j : 0) / 1000.0 : 0.0,
		st.hw.atc_timeouts - r->timeouts0, r->quarantines,
		sim_oracle_violations(r->oracle));
	pthread_mutex_unlock(&r->lock);
	*last_ops = ops;
	*last_ns = now;
}

/*
 * The histograms' range, chosen for the run: no operation outlasts the run
 * (its warm-up and measured span; a run counted in operations, the 600 s a
 * virtual one may take), so an hour's soak has its multi-minute stalls
 * counted, not overflowed; shorter runs keep the default range (and its
 * memory)
 */
static u64 stress_hist_highest(const struct stress_config *cfg)
{
	u64 span = cfg->warmup_ns +
		   (cfg->ops ? STRESS_VIRTUAL_SPAN_MAX_NS : cfg->duration_ns);

	return clamp(span, LAT_DEFAULT_HIGHEST_NS, LAT_HIGHEST_MAX_NS);
}

/* Runs */

static int stress_threads_alloc(struct stress_run *r,
				struct stress_thread **out, unsigned int n,
				unsigned int first_slot,
				const struct topo_slot *slots, bool hists)
{
	struct stress_thread *t;
	unsigned int i, m;
	int ret;

	t = calloc(n ? n : 1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	*out = t;
	for (i = 0; i < n; i++) {
		t[i].run = r;
		t[i].slot = slots[first_slot + i];
		t[i].rng = r->cfg->seed * 0x9e3779b97f4a7c15ULL + first_slot +
			   i + 1;
		if (!hists)
			continue;
		t[i].tl_count = calloc(STRESS_TIMELINE_BINS, sizeof(u64));
		t[i].tl_max = calloc(STRESS_TIMELINE_BINS, sizeof(u64));
		t[i].tl_viol = calloc(STRESS_TIMELINE_BINS, sizeof(u64));
		if (!t[i].tl_count || !t[i].tl_max || !t[i].tl_viol)
			return -ENOMEM;
		for (m = SM_INV; m <= SM_ISOLATION; m++) {
			ret = lat_create_range(r->cfg->hist_digits,
					       stress_hist_highest(r->cfg),
					       &t[i].hist[m]);
			if (ret)
				return ret;
		}
		t[i].progress = topo_alloc(
			&r->topo, r->prog_layout->counts_len * sizeof(u64),
			t[i].slot.node);
		if (!t[i].progress)
			return -ENOMEM;
	}
	return 0;
}

static void stress_threads_free(struct stress_run *r, struct stress_thread *t,
				unsigned int n)
{
	unsigned int i, m;

	for (i = 0; t && i < n; i++) {
		free(t[i].tl_count);
		free(t[i].tl_max);
		free(t[i].tl_viol);
		for (m = 0; m < SM_NR; m++)
			lat_destroy(t[i].hist[m]);
		if (t[i].progress)
			topo_free(&r->topo, t[i].progress,
				  r->prog_layout->counts_len * sizeof(u64));
	}
	free(t);
}

/* Real time: every role on its own thread; the caller drives faults */
static int stress_run_real(struct stress_run *r)
{
	const struct stress_config *cfg = r->cfg;
	bool progress = cfg->progress == STRESS_ON ||
			(cfg->progress == STRESS_AUTO && isatty(2));
	u64 *snap = NULL, *cur = NULL, last_ops = 0, last_ns, next_progress;
	unsigned int i, started_m = 0, started_t = 0, started_c = 0;
	int ret = 0;

	if (progress) {
		snap = calloc(r->prog_layout->counts_len, sizeof(u64));
		cur = calloc(r->prog_layout->counts_len, sizeof(u64));
		if (!snap || !cur)
			progress = false;
	}
	r->progress = progress; /* before the mappers start */
	stress_runq_init(&r->runq);
	for (i = 0; i < cfg->mappers && !ret; i++)
		if (!(ret = -pthread_create(&r->mappers[i].tid, NULL,
					    stress_mapper_main,
					    &r->mappers[i])))
			started_m++;
	for (i = 0; i < cfg->translators && !ret; i++)
		if (!(ret = -pthread_create(&r->translators[i].tid, NULL,
					    stress_translator_main,
					    &r->translators[i])))
			started_t++;
	for (i = 0; i < cfg->churners && !ret; i++)
		if (!(ret = -pthread_create(&r->churners[i].tid, NULL,
					    stress_churner_main,
					    &r->churners[i])))
			started_c++;

	last_ns = next_progress = sim_clock_now_ns();
	while (!ret) {
		u64 now = sim_clock_now_ns();

		if (!r->measuring && now >= r->t_measure_ns) {
			__atomic_store_n(&r->measuring, true, __ATOMIC_RELEASE);
			last_ns = now;
		}
		if (stress_interrupted() || now >= r->t_end_ns ||
		    __atomic_load_n(&r->mappers_done, __ATOMIC_ACQUIRE) ==
			    cfg->mappers)
			break;
		if (r->measuring) {
			stress_faults_tick(r, now);
			stress_watchdog(r, now);
		}
		stress_runq_sample(&r->runq, now, false);
		if (progress && now >= next_progress && r->measuring) {
			stress_progress(r, now, &last_ops, &last_ns, snap, cur);
			next_progress = now + 1000000000ULL;
		}
		stress_sleep_ns(r, STRESS_TICK_NS);
	}
	r->t_end_ns = sim_clock_now_ns();
	__atomic_store_n(&r->stop, true, __ATOMIC_RELEASE);
	/* the waits of threads that ran since the last sample */
	stress_runq_sample(&r->runq, sim_clock_now_ns(), true);
	for (i = 0; i < started_m; i++)
		pthread_join(r->mappers[i].tid, NULL);
	for (i = 0; i < started_t; i++)
		pthread_join(r->translators[i].tid, NULL);
	for (i = 0; i < started_c; i++)
		pthread_join(r->churners[i].tid, NULL);
	stress_runq_fini(&r->runq);
	if (r->victim >= 0 || r->smmu_stalled)
		stress_fault_end(r);
	if (progress)
		fputc('\n', stderr);
	free(snap);
	free(cur);
	return ret;
}

/* CPU time of this thread */
u64 stress_thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (u64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/*
 * Virtual time: one thread takes every role in a seeded order, so a run is
 * a function of its seed.  Time moves only through the modelled costs.
 */
static int stress_run_virtual(struct stress_run *r)
{
	const struct stress_config *cfg = r->cfg;
	unsigned int weight = cfg->mappers + cfg->translators + cfg->churners;
	u64 rng = cfg->seed ^ 0x5deece66dULL, cpu0 = 0;

	while (!stress_interrupted()) {
		u64 now = sim_clock_now_ns();
		unsigned int pick;
		bool all_done = true;
		unsigned int i;

		if (!r->measuring && now >= r->t_measure_ns) {
			r->measuring = true;
			cpu0 = stress_thread_cpu_ns();
		}
		if (now >= r->t_end_ns)
			break;
		for (i = 0; i < cfg->mappers && cfg->ops; i++)
			all_done &= r->mappers[i].ops >= cfg->ops;
		if (cfg->ops && all_done)
			break;
		if (r->measuring)
			stress_faults_tick(r, now);

		pick = sim_rng_next(&rng) % weight;
		if (pick < cfg->mappers) {
			struct stress_thread *t = &r->mappers[pick];

			stress_self = t;
			/* open loop: a mapper whose next start is due */
			if ((!cfg->ops || t->ops < cfg->ops) &&
			    (!cfg->rate || t->next_start_ns <= now))
				stress_mapper_op(t, stress_mapper_pace(t));
			stress_self = NULL;
		} else if (pick < cfg->mappers + cfg->translators) {
			stress_translate_op(
				&r->translators[pick - cfg->mappers]);
		} else {
			stress_churn_op(&r->churners[pick - cfg->mappers -
						     cfg->translators]);
		}
		/*
		 * The deferred work (the core blocking a broken device) runs
		 * at a seeded step, not at a thread's whim: mostly at once,
		 * sometimes steps later, so that walks and attaches meet a
		 * master marked broken whose block is still to come
		 */
		if (sim_rng_next(&rng) % STRESS_VIRTUAL_WORK_ONE_IN == 0)
			flush_scheduled_work();
		sim_clock_delay_ns(STRESS_VIRTUAL_STEP_NS);
	}
	r->t_end_ns = sim_clock_now_ns();
	if (r->measuring)
		r->cpu_seconds = (stress_thread_cpu_ns() - cpu0) / 1e9;
	if (r->victim >= 0 || r->smmu_stalled)
		stress_fault_end(r);
	return 0;
}
/*
 * The kernel-form code's harness switches for a run of @bug and @quarantine
 * (all off: 0, 0): -EOPNOTSUPP in a build without them
 */
static int stress_set_switches(unsigned int bug, unsigned int quarantine)
{
	static const enum khooks_switch bugs[] = {
		[STRESS_BUG_INSTALL_INVS_AFTER_STE] =
			KHOOKS_BUG_INSTALL_INVS_AFTER_STE,
		[STRESS_BUG_LIFT_ON_FAILED_RESET] =
			KHOOKS_BUG_LIFT_ON_FAILED_RESET,
		[STRESS_BUG_STE_RMW_RACE] = KHOOKS_BUG_STE_RMW_RACE,
	};
	unsigned int i;
	int ret = 0;

	for (i = 1; i < ARRAY_SIZE(bugs); i++)
		ret = ret ?: khooks_switch_set(bugs[i], bug == i);
	return ret   ?:
		       khooks_switch_set(KHOOKS_QUARANTINE_INV_TYPE,
					 quarantine ==
						 STRESS_QUARANTINE_INV_TYPE);
}

/* Where each thread runs: @nthreads slots of the topology, by cfg->pin */
static int stress_run_plan(struct stress_run *r, unsigned int nthreads,
			   struct topo_slot **slots)
{
	enum topo_plan_kind kind = TOPO_LIST;
	char err[256];
	int ret;

	*slots = calloc(nthreads, sizeof(**slots));
	if (!*slots)
		return -ENOMEM;
	topo_parse_plan(r->cfg->pin, &kind);
	ret = topo_plan(&r->topo, kind, r->cfg->pin, nthreads, *slots, err,
			sizeof(err));
	if (ret)
		fprintf(stderr, "atcbench stress: pin: %s\n", err);
	return ret;
}

/* The probes on the kernel-form tracepoints (world.c) */
static void stress_probes_install(const struct stress_config *cfg)
{
	arm_smmu_trace_probes = (struct arm_smmu_trace_probes){
		.cmdq_issue_start = cfg->cmdq_detail ? stress_probe_cmdq_start :
						       NULL,
		.cmdq_issue_inserted =
			cfg->cmdq_detail ? stress_probe_cmdq_inserted : NULL,
		.cmdq_issue_done = stress_probe_cmdq_done,
		.atc_isolate_start = stress_probe_isolate_start,
		.atc_isolate = stress_probe_isolate,
		.master_quarantine = stress_probe_quarantine,
	};
}

/* The run's histograms and threads, each pinned to its slot */
static int stress_run_threads(struct stress_run *r, struct topo_slot *slots)
{
	const struct stress_config *cfg = r->cfg;
	unsigned int i, m;
	int ret;

	ret = lat_create_range(1, stress_hist_highest(cfg), &r->prog_layout);
	for (m = 0; m < SM_NR && !ret; m++)
		ret = lat_create_range(cfg->hist_digits,
				       stress_hist_highest(cfg), &r->merged[m]);
	if (!ret)
		ret = stress_threads_alloc(r, &r->mappers, cfg->mappers, 0,
					   slots, true);
	if (!ret)
		ret = stress_threads_alloc(r, &r->translators,
					   cfg->translators ? cfg->translators :
							      1,
					   cfg->mappers, slots, false);
	if (!ret)
		ret = stress_threads_alloc(r, &r->churners, cfg->churners,
					   cfg->mappers + cfg->translators,
					   slots, false);
	if (ret)
		return ret;
	for (i = 0; i < cfg->mappers; i++) {
		struct stress_thread *t = &r->mappers[i];

		t->domain = i % cfg->domains;
		t->first_page = (i / cfg->domains) * cfg->pages;
	}

	return 0;
}

/*
 * Warm-up and measurement: the baselines the results are counted from,
 * the measured span and the timeline's bins, then the run in real or
 * virtual time
 */
static int stress_run_measure(struct stress_run *r, struct stress_result *res)
{
	const struct stress_config *cfg = r->cfg;
	bool virt = stress_virtual(cfg);
	unsigned int i;
	int ret;

	struct load_sample l0;
	struct sim_world_stats st;
	u64 start = sim_clock_now_ns();

	sim_world_stats(&r->world, &st);
	r->timeouts0 = st.hw.atc_timeouts;
	r->isolations0 = st.atc_isolations;
	r->tests0 = st.atc_isolation_tests;
	r->warns0 = khooks_warn_count();
	r->t_measure_ns = start + cfg->warmup_ns;
	r->t_end_ns = r->t_measure_ns + cfg->duration_ns;
	r->tl_shift = STRESS_TIMELINE_MIN_SHIFT;
	while ((cfg->duration_ns >> r->tl_shift) >= STRESS_TIMELINE_BINS)
		r->tl_shift++;
	if (cfg->ops)
		r->t_end_ns = virt ? start + STRESS_VIRTUAL_SPAN_MAX_NS :
				     U64_MAX;
	r->next_fault_ns = r->t_measure_ns + cfg->fault_interval_ns / 2;
	for (i = 0; i < cfg->mappers; i++)
		r->mappers[i].last_done_ns = r->mappers[i].next_start_ns =
			start;
	khooks_workqueue_set_deferred(virt);
	/* What else ran meanwhile, warm-up included */
	res->have_load = !load_sample(&l0);
	if (cfg->clock == STRESS_CLOCK_VCPU)
		ret = stress_vcpu_run(r);
	else
		ret = virt ? stress_run_virtual(r) : stress_run_real(r);
	res->have_load = res->have_load && !load_since(&l0, &res->load);
	/* A livelock's CPUs may hold what the deferred work would wait on */
	if (!r->vcpu_livelock) {
		khooks_workqueue_set_deferred(false);
		flush_scheduled_work();
	}
	sim_world_stats(&r->world, &st);
	res->timeouts = st.hw.atc_timeouts - r->timeouts0;
	return ret;
}

/* The run's figures into @res, the mappers' histograms merged */
static void stress_run_collect(struct stress_run *r, struct stress_result *res)
{
	const struct stress_config *cfg = r->cfg;
	struct sim_world_stats st;
	unsigned int i, m;

	/* Devices still quarantined at the end count their spam too */
	for (i = 0; i < r->ndevs; i++)
		stress_count_spam(r, &r->devs[i]);
	/*
	 * A quarantined device gets no ATC_INV (each would time out again).
	 * Judged one role at a time (--clock virtual); where CPUs overlap
	 * one already in flight when the quarantine came is counted, not
	 * judged.
	 */
	if (r->spam && stress_one_at_a_time(cfg))
		sim_oracle_report(r->oracle, 0,
				  "ATC invalidations sent to a quarantined "
				  "device");
	for (i = 0; i < cfg->mappers; i++) {
		res->ops += r->mappers[i].ops;
		for (m = SM_INV; m <= SM_ISOLATION; m++)
			lat_merge(r->merged[m], r->mappers[i].hist[m]);
	}
	res->seconds = r->t_end_ns > r->t_measure_ns ?
			       (r->t_end_ns - r->t_measure_ns) / 1e9 :
			       0.0;
	res->ops_per_s = res->seconds > 0 ? res->ops / res->seconds : 0;
	res->cpu_seconds = r->cpu_seconds;
	/*
	 * Virtual time: the SMMU progresses whenever the driver waits, so a
	 * software time-out is the driver's doing (an error handler that
	 * leaves the queue stalled, say), unless the scenario stalls it
	 */
	if (stress_virtual(cfg) && cfg->fault != STRESS_FAULT_SMMU_STALL &&
	    r->sw_timeouts)
		sim_oracle_report(r->oracle, SIM_ORACLE_NO_SID,
				  "a software CMD_SYNC time-out in virtual "
				  "time, the SMMU not stalled");
	if (r->vcpu_livelock)
		sim_oracle_report(r->oracle, SIM_ORACLE_NO_SID,
				  "a livelock: the virtual CPUs went on past "
				  "the run's end without finishing");
	/* Not those while the host kept a thread of the run waiting */
	for (i = 0; i < min(r->hangs, (u64)STRESS_MAX_HANGS); i++)
		r->hangs_host += stress_runq_starved(
			&r->runq, r->hang_win[i].from, r->hang_win[i].to);
	if (r->hangs > r->hangs_host)
		sim_oracle_report_n(r->oracle, SIM_ORACLE_NO_SID,
				    "a hang: every mapper stalled longer than "
				    "the driver's CMD_SYNC time-out while the "
				    "harness ran",
				    r->hangs - r->hangs_host);
	/*
	 * An STE the SMMU could have fetched torn is a violation each, and
	 * so is an illegal command the driver left in its slot or wrote
	 * itself, and a CMD_SYNC's MSI the SMMU could not write
	 */
	sim_world_stats(&r->world, &st);
	sim_oracle_report_n(r->oracle, SIM_ORACLE_NO_SID,
			    "a torn STE: during an update the SMMU could "
			    "fetch neither the old nor the new configuration",
			    st.hw.torn_stes);
	sim_oracle_report_n(r->oracle, SIM_ORACLE_NO_SID,
			    "an illegal command left in its slot: the SMMU "
			    "met it again at each acknowledgement",
			    st.hw.illegal_storms);
	sim_oracle_report_n(r->oracle, SIM_ORACLE_NO_SID,
			    "an illegal command the fault driver did not "
			    "inject: the SMMU stopped on what the driver "
			    "wrote (CERROR_ILL)",
			    st.hw.illegal - st.hw.illegal_injected);
	sim_oracle_report_n(r->oracle, SIM_ORACLE_NO_SID,
			    "a CMD_SYNC whose completion MSI points outside "
			    "the command queue (a half-written command)",
			    st.hw.bad_msis);
	/*
	 * Give-ups while the host kept another thread from running (the
	 * queue's owner, the SMMU's): the host's, now that it is known
	 */
	for (i = 0; i < r->ngive_ups; i++) {
		const struct stress_give_up *g = &r->give_ups[i];

		if (!stress_runq_starved(&r->runq, g->t0, g->t1))
			continue;
		r->host_give_ups++;
		sim_oracle_blame_host(r->oracle, g->violations);
	}
	/* Those after a time-out the host caused are not the driver's */
	res->violations_host = sim_oracle_violations_host(r->oracle);
	res->violations =
		sim_oracle_violations(r->oracle) - res->violations_host;
	res->violations_gave_up = sim_oracle_violations_gave_up(r->oracle);
	res->quarantines = r->quarantines;
	res->spam = r->spam;
	res->warns = khooks_warn_count() - r->warns0;
}

/*
 * The measured run, the probes installed and SIGINT/SIGTERM stopping it
 * (the results are still written), then the results written
 */
static int stress_run_signalled(struct stress_run *r, const char *out_dir,
				const char *cmdline, struct stress_result *res)
{
	struct sigaction sa = { .sa_handler = stress_on_sigint }, old_int,
			 old_term;
	int ret;

	stress_probes_install(r->cfg);
	__atomic_store_n(&stress_sigint, 0, __ATOMIC_RELAXED);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	ret = stress_run_measure(r, res);
	arm_smmu_trace_probes = (struct arm_smmu_trace_probes){};
	res->interrupted = stress_interrupted();
	if (!ret) {
		stress_run_collect(r, res);
		ret = stress_write(r, out_dir, cmdline, res);
	}
	/* after the write: a signal during it must not kill it */
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return ret;
}

int stress_run(const struct stress_config *cfg, const char *out_dir,
	       const char *cmdline, struct stress_result *res)
{
	unsigned int nthreads = cfg->mappers + cfg->translators + cfg->churners;
	struct stress_run *r = calloc(1, sizeof(*r));
	struct topo_slot *slots = NULL;
	bool virt = stress_virtual(cfg), threaded;
	unsigned int m;
	int ret;

	if (!r)
		return -ENOMEM;
	memset(res, 0, sizeof(*res));
	r->cfg = cfg;
	r->victim = -1;
	r->fault_rng = cfg->seed ^ 0xfa017ULL;
	pthread_mutex_init(&r->lock, NULL);
	ret = topo_init(&r->topo);
	if (ret)
		goto out_free;
	ret = stress_run_plan(r, nthreads, &slots);
	if (ret)
		goto out_topo;

	ret = sim_clock_init(virt ? SIM_CLOCK_VIRTUAL : SIM_CLOCK_TSC);
	if (ret)
		goto out_topo;
	ret = stress_set_switches(cfg->inject_bug, cfg->quarantine);
	if (ret)
		goto out_topo;
	/* The driver's messages would drown the output: counted, not shown */
	khooks_printk_level(LOGLEVEL_ERR - 1);
	threaded = !virt && (cfg->smmu_thread == STRESS_ON ||
			     (cfg->smmu_thread == STRESS_AUTO &&
			      r->topo.pus > nthreads));
	ret = stress_world_init(r, threaded);
	if (ret)
		goto out_world;

	ret = stress_run_threads(r, slots);
	if (ret)
		goto out_threads;

	stress_cur = r;
	ret = stress_run_signalled(r, out_dir, cmdline, res);
out_threads:
	stress_threads_free(r, r->mappers, cfg->mappers);
	stress_threads_free(r, r->translators, 0);
	stress_threads_free(r, r->churners, 0);
	for (m = 0; m < SM_NR; m++)
		lat_destroy(r->merged[m]);
	lat_destroy(r->prog_layout);
out_world:
	/* A livelock's CPUs were abandoned inside it: it is left as it is */
	if (!r->vcpu_livelock)
		stress_world_free(r);
	stress_set_switches(STRESS_BUG_NONE, STRESS_QUARANTINE_FLAG);
	khooks_printk_level(LOGLEVEL_WARNING);
	stress_cur = NULL;
out_topo:
	free(slots);
	topo_fini(&r->topo);
out_free:
	pthread_mutex_destroy(&r->lock);
	free(r);
	return ret;
}
