// SPDX-License-Identifier: GPL-2.0
/*
 * micro: benchmarks of the invalidation array and its walker.
 *
 * walker/<design>/entries:N   one arm_smmu_domain_inv_range() of a 4 KiB
 *                             page over a stage-1 domain with N live
 *                             entries (one ASID, N-1 ATS stream IDs), the
 *                             TLBI and ATC_INV commands consumed by the
 *                             simulated SMMU; per_entry = time / N
 * walker/<design>/entries:64/churn:C/real_time/threads:T
 *                             the same with T walking threads, while (C=1)
 *                             a writer thread attaches and detaches one more
 *                             ATS master, pausing MICRO_CHURN_PERIOD_US
 *                             between rounds
 * readside/<design>/entries:8/readers:T/real_time/threads:T
 *                             the read side alone: the same walk and
 *                             command encoding into a sink that issues
 *                             nothing, T readers, while a writer attaches
 *                             and detaches one more master once every
 *                             MICRO_READSIDE_WALKS walks of the readers
 *                             (counted: the same write share for both
 *                             designs, whatever their speed)
 * walker/rcu-invtype/entries:N
 *                             walker/rcu/entries:N with the entries of a
 *                             quarantined master retyped (the series' other
 *                             proposal): no per-entry ats_broken lookup
 * invs/{merge,unref,purge}/entries:N (array.c)
 *                             one array operation on an array of N entries
 * measure/... (measure.c), cmdq/... (cmdq.c)
 *
 * <design> is "rcu" (the invalidation array) or "devlist" (the pre-series
 * device list under a spinlock, kernel-hooks/variants/devlist.c).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/slab.h>
#include <khooks/switches.h>
#include <variants/devlist.h>
#include <sim/clock.h>
#include <sim/smmu.h>
#include <sim/world.h>

#include "gbench/gbench.h"
#include "micro/micro.h"

#define MICRO_IOVA 0x100000UL
/*
 * The churning writer attaches and detaches, then sleeps this long: the same
 * attach rate for both designs (whose attach paths differ in cost), so the
 * readers of both see the same interference.
 */
#define MICRO_CHURN_PERIOD_US 20
#define MICRO_MAX_WORLDS 12
#define MICRO_READSIDE_ENTRIES 8
#define MICRO_READSIDE_WALKS 1024 /* reader walks per writer round */
#define MICRO_MAX_READERS 8
/* walker, walker-invtype, churn and readside benchmarks, with room */
#define MICRO_MAX_WALK_ARGS (3 * MICRO_MAX_WORLDS + 2 * MICRO_MAX_READERS)
/*
 * The largest walker world counted under callgrind: attaching 4096 masters
 * one by one takes 25 s there
 */
#define MICRO_ICOUNT_MAX_ENTRIES 512

static const unsigned int micro_entries[] = { 8, 64, 512, 4096 };

enum micro_design {
	MICRO_RCU,
	MICRO_DEVLIST,
};

static const char *const micro_design_names[] = {
	[MICRO_RCU] = "rcu",
	[MICRO_DEVLIST] = "devlist",
};

/* One SMMU with a domain of @entries live entries in one design */
struct micro_world {
	enum micro_design design;
	unsigned int entries;
	bool sink; /* commands go nowhere: the read side alone */
	/* SIDs 0..entries-2: the domain's masters; entries-1: churn's */
	struct sim_world world;
	struct arm_smmu_domain *domain; /* rcu: the world's domain */
	struct arm_smmu_devlist_domain *dl_domain;
	unsigned int num_attached;
	struct arm_smmu_master *churn_master;
	/* the churn writer */
	pthread_t churn_thread;
	bool churn_stop;
	unsigned long churn_rounds;
	/* readside: each reader's walks, in a cache line of its own */
	struct {
		unsigned long walks;
	} __aligned(SMP_CACHE_BYTES) reader_walks[MICRO_MAX_READERS];
};

/*
 * A benchmark's argument: the world it walks, and whether a writer churns.
 * Worlds are built on first use (outside the timed loop), so a filtered run
 * builds only the worlds it walks.
 */
struct micro_walk_arg {
	enum micro_design design;
	unsigned int entries;
	bool churn;
	bool sink; /* readside */
	/*
	 * rcu, quarantined by retyping entries (KHOOKS_QUARANTINE_INV_TYPE):
	 * the walk without the ats_broken flag's per-entry lookup
	 */
	bool invtype;
};

static pthread_mutex_t micro_worlds_lock = PTHREAD_MUTEX_INITIALIZER;
static struct micro_world *micro_worlds[MICRO_MAX_WORLDS];
static unsigned int micro_num_worlds;
static struct micro_walk_arg micro_walk_args[MICRO_MAX_WALK_ARGS];
static unsigned int micro_num_walk_args;

static void micro_world_free(struct micro_world *w)
{
	unsigned int i;

	for (i = 0; w->dl_domain && i < w->num_attached; i++)
		arm_smmu_devlist_detach(w->dl_domain,
					w->world.masters[i].master,
					IOMMU_NO_PASID);
	if (!IS_ERR_OR_NULL(w->dl_domain))
		arm_smmu_devlist_domain_free(w->dl_domain);
	sim_world_destroy(&w->world);
	kfree(w);
}

static int micro_attach(struct micro_world *w, struct arm_smmu_master *master)
{
	if (w->design == MICRO_RCU)
		return arm_smmu_attach_dev(master, w->domain, IOMMU_NO_PASID);
	return arm_smmu_devlist_attach(w->dl_domain, master, IOMMU_NO_PASID);
}

static void micro_detach(struct micro_world *w, struct arm_smmu_master *master)
{
	if (w->design == MICRO_RCU)
		arm_smmu_attach_dev_blocked(master);
	else
		arm_smmu_devlist_detach(w->dl_domain, master, IOMMU_NO_PASID);
}

/* The sink: a command list is built, then dropped (issue_cmdlist's seam) */
static int micro_sink_issue_cmdlist(struct arm_smmu_device *smmu,
				    struct arm_smmu_cmdq *cmdq, u64 *cmds,
				    int n, bool sync)
{
	return 0;
}

static const struct arm_smmu_impl_ops micro_sink_ops = {
	.issue_cmdlist = micro_sink_issue_cmdlist,
};

static int micro_world_alloc(enum micro_design design, unsigned int entries,
			     bool sink, struct micro_world **out)
{
	const struct sim_world_config cfg = {
		.hw = { .ats = true, .cmdq_shift = 8 },
		.num_domains = design == MICRO_RCU,
		.num_masters = entries,
	};
	struct micro_world *w;
	unsigned int i;
	int ret;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	w->design = design;
	w->entries = entries;
	w->sink = sink;

	ret = sim_world_create(&w->world, &cfg);
	if (ret) {
		kfree(w);
		return ret;
	}
	if (sink)
		w->world.smmu[0].impl_ops = &micro_sink_ops;
	if (design == MICRO_RCU) {
		w->domain = w->world.domains[0];
	} else {
		w->dl_domain = arm_smmu_devlist_domain_alloc(
			&w->world.smmu[0], ARM_SMMU_DOMAIN_S1, 1);
		if (IS_ERR(w->dl_domain)) {
			ret = PTR_ERR(w->dl_domain);
			goto err;
		}
	}
	for (i = 0; i < entries - 1; i++) {
		ret = micro_attach(w, w->world.masters[i].master);
		if (ret)
			goto err;
		w->num_attached++;
	}
	w->churn_master = w->world.masters[entries - 1].master;
	*out = w;
	return 0;
err:
	micro_world_free(w);
	return ret;
}

static void micro_walk_once(struct micro_world *w)
{
	if (w->design == MICRO_RCU)
		arm_smmu_domain_inv_range(w->domain, MICRO_IOVA, SZ_4K, SZ_4K,
					  true);
	else
		arm_smmu_devlist_domain_inv_range(w->dl_domain, MICRO_IOVA,
						  SZ_4K, SZ_4K, true);
}

static void *micro_churn_fn(void *arg)
{
	struct micro_world *w = arg;

	rcu_register_thread();
	while (!__atomic_load_n(&w->churn_stop, __ATOMIC_ACQUIRE)) {
		if (micro_attach(w, w->churn_master))
			break;
		micro_detach(w, w->churn_master);
		w->churn_rounds++;
		usleep(MICRO_CHURN_PERIOD_US);
	}
	rcu_unregister_thread();
	return NULL;
}

/*
 * The readside writer: one attach and detach each time the readers have
 * walked MICRO_READSIDE_WALKS more times; it yields the CPU while it waits
 */
static void *micro_readside_writer_fn(void *arg)
{
	struct micro_world *w = arg;
	unsigned long next = MICRO_READSIDE_WALKS;

	rcu_register_thread();
	while (!__atomic_load_n(&w->churn_stop, __ATOMIC_ACQUIRE)) {
		unsigned long walks = 0;
		unsigned int i;

		for (i = 0; i < MICRO_MAX_READERS; i++)
			walks += __atomic_load_n(&w->reader_walks[i].walks,
						 __ATOMIC_RELAXED);
		if (walks < next) {
			sched_yield();
			continue;
		}
		if (micro_attach(w, w->churn_master))
			break;
		micro_detach(w, w->churn_master);
		w->churn_rounds++;
		next += MICRO_READSIDE_WALKS;
	}
	rcu_unregister_thread();
	return NULL;
}

/* The world of @design with @entries entries, built on first use */
static int micro_world_get(enum micro_design design, unsigned int entries,
			   bool sink, struct micro_world **out)
{
	unsigned int i;
	int ret = 0;

	pthread_mutex_lock(&micro_worlds_lock);
	for (i = 0; i < micro_num_worlds; i++) {
		*out = micro_worlds[i];
		if ((*out)->design == design && (*out)->entries == entries &&
		    (*out)->sink == sink)
			goto unlock;
	}
	ret = -ENOSPC;
	if (micro_num_worlds < MICRO_MAX_WORLDS)
		ret = micro_world_alloc(design, entries, sink, out);
	if (!ret)
		micro_worlds[micro_num_worlds++] = *out;
unlock:
	pthread_mutex_unlock(&micro_worlds_lock);
	return ret;
}

static void micro_walk(struct gbench_state *st, void *arg)
{
	struct micro_walk_arg *a = arg;
	struct micro_world *w = NULL;
	int index = gbench_thread_index(st);
	bool leader = index == 0;
	bool churn = a->churn;
	int64_t iters = 0;

	if (micro_world_get(a->design, a->entries, a->sink, &w)) {
		gbench_skip_with_error(st, "cannot build the world");
		return;
	}
	if (a->invtype && khooks_switch_set(KHOOKS_QUARANTINE_INV_TYPE, true)) {
		gbench_skip_with_error(st, "built without the switches");
		return;
	}
	/* The main thread (index 0) is registered by main() */
	if (!leader)
		rcu_register_thread();

	if (leader && churn) {
		w->churn_rounds = 0;
		memset(w->reader_walks, 0, sizeof(w->reader_walks));
		__atomic_store_n(&w->churn_stop, false, __ATOMIC_RELEASE);
		if (pthread_create(&w->churn_thread, NULL,
				   a->sink ? micro_readside_writer_fn :
					     micro_churn_fn,
				   w)) {
			gbench_skip_with_error(st, "cannot start the writer");
			churn = false;
		}
	}

	if (a->sink) {
		/* single writer per counter: a store, no read-modify-write */
		unsigned long *walks = &w->reader_walks[index].walks;

		while (gbench_keep_running(st)) {
			micro_walk_once(w);
			__atomic_store_n(walks, *walks + 1, __ATOMIC_RELAXED);
			iters++;
		}
	} else {
		while (gbench_keep_running(st)) {
			micro_walk_once(w);
			iters++;
		}
	}

	if (leader && churn) {
		__atomic_store_n(&w->churn_stop, true, __ATOMIC_RELEASE);
		pthread_join(w->churn_thread, NULL);
		gbench_counter(st, "churn_rounds", w->churn_rounds,
			       GBENCH_COUNTER_RATE);
	}

	gbench_counter(st, "per_entry", (double)iters * w->entries,
		       GBENCH_COUNTER_RATE | GBENCH_COUNTER_INVERT);
	gbench_counter(st, "entries", w->entries, GBENCH_COUNTER_AVG_THREADS);
	if (a->invtype)
		khooks_switch_set(KHOOKS_QUARANTINE_INV_TYPE, false);
	if (!leader)
		rcu_unregister_thread();
}

/*
 * @churn: 0 or 1 with a "churn:" field in the name, -1 without; @invtype:
 * walker/rcu-invtype/entries:N, the rcu walk under the quarantine series'
 * other proposal (entries retyped), with no per-entry ats_broken lookup:
 * its instruction count against walker/rcu's is that lookup's exact cost
 */
static int micro_register_walk(enum micro_design design, unsigned int entries,
			       int churn, int threads, bool invtype)
{
	struct micro_walk_arg *a;
	struct gbench *b;
	char name[128];

	if (threads > 1 && gbench_icount_mode())
		return 0; /* several threads: no repeatable count */
	if (micro_num_walk_args == ARRAY_SIZE(micro_walk_args))
		return -ENOSPC;
	a = &micro_walk_args[micro_num_walk_args++];
	*a = (struct micro_walk_arg){ design, entries, churn > 0, false,
				      invtype };
	if (churn >= 0)
		snprintf(name, sizeof(name), "walker/%s/entries:%u/churn:%u",
			 micro_design_names[design], entries, churn);
	else
		snprintf(name, sizeof(name), "walker/%s%s/entries:%u",
			 micro_design_names[design], invtype ? "-invtype" : "",
			 entries);
	b = gbench_register(name, micro_walk, a);
	if (!b)
		return -ENOMEM;
	gbench_use_real_time(b);
	gbench_threads(b, threads);
	return 0;
}

/* readside/<design>/entries:64/readers:T: T readers and the writer */
static int micro_register_readside(enum micro_design design,
				   unsigned int readers)
{
	struct micro_walk_arg *a;
	struct gbench *b;
	char name[128];

	if (micro_num_walk_args == ARRAY_SIZE(micro_walk_args))
		return -ENOSPC;
	a = &micro_walk_args[micro_num_walk_args++];
	*a = (struct micro_walk_arg){ design, MICRO_READSIDE_ENTRIES, true,
				      true };
	snprintf(name, sizeof(name), "readside/%s/entries:%u/readers:%u",
		 micro_design_names[design], MICRO_READSIDE_ENTRIES, readers);
	b = gbench_register(name, micro_walk, a);
	if (!b)
		return -ENOMEM;
	gbench_use_real_time(b);
	gbench_threads(b, readers);
	return 0;
}

/*
 * Between an instruction count's warm-up and its counted iterations: the
 * warm-up may have built a world, whose attaches retired arrays with
 * kfree_rcu().  Until those grace periods end, liburcu's call_rcu thread
 * waits on the readers, and a walker's rcu_read_unlock() wakes it (a futex
 * call) at a moment that depends on scheduling.
 */
static void micro_quiesce(void)
{
	rcu_barrier();
}

int micro_register(void)
{
	unsigned int d, i, c, t;
	int ret;

	gbench_icount_quiesce(micro_quiesce);
	/*
	 * The clock stress reads: the TSC (calibrated once, about 20 ms).  The
	 * instruction counts keep CLOCK_MONOTONIC, which callgrind counts the
	 * same way every time.
	 */
	if (!gbench_icount_mode())
		sim_clock_init(SIM_CLOCK_TSC);

	/* The walker against the number of entries, per design */
	for (d = 0; d < ARRAY_SIZE(micro_design_names); d++) {
		for (i = 0; i < ARRAY_SIZE(micro_entries); i++) {
			if (gbench_icount_mode() &&
			    micro_entries[i] > MICRO_ICOUNT_MAX_ENTRIES)
				continue;
			ret = micro_register_walk(d, micro_entries[i], -1, 1,
						  false);
			if (!ret && d == MICRO_RCU)
				ret = micro_register_walk(d, micro_entries[i],
							  -1, 1, true);
			if (ret)
				return ret;
		}
	}

	/*
	 * Both designs at 64 entries, 1 and 2 walkers, with a churning writer
	 * (not in icount mode: a writer thread makes no repeatable count)
	 */
	for (d = 0; d < ARRAY_SIZE(micro_design_names) && !gbench_icount_mode();
	     d++) {
		for (c = 0; c < 2; c++) {
			for (t = 1; t <= 2; t++) {
				ret = micro_register_walk(d, 64, c, t, false);
				if (ret)
					return ret;
			}
		}
	}

	/*
	 * The read side, with its writer (not in icount mode): 1 and 2
	 * readers, and up to every CPU where there are more
	 */
	for (d = 0; d < ARRAY_SIZE(micro_design_names) && !gbench_icount_mode();
	     d++) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		for (t = 1; t <= max(2L, min(cpus, (long)MICRO_MAX_READERS));
		     t++) {
			ret = micro_register_readside(d, t);
			if (ret)
				return ret;
		}
	}

	ret = micro_cmdq_register();
	if (!ret)
		ret = micro_register_measure();
	if (ret)
		return ret;

	/* The array operations against the array size */
	ret = micro_array_register(micro_entries, ARRAY_SIZE(micro_entries));
	if (ret)
		return ret;
	return 0;
}

void micro_unregister(void)
{
	micro_measure_unregister();
	micro_cmdq_unregister();
	while (micro_num_worlds)
		micro_world_free(micro_worlds[--micro_num_worlds]);
}
