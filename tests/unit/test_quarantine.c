// SPDX-License-Identifier: GPL-2.0
/*
 * The quarantine lifecycle through the kernel-form driver and core: an ATC
 * timeout in a domain invalidation is isolated and its device quarantined
 * (ats_broken, EATS cleared, blocked by the core's worker); no ATC_INV
 * reaches it afterwards; so in a domain of 256 devices whose walk fills
 * four batches, the timeout in the first, a middle or the last; resets with prepare/done (nesting, failure,
 * deferred and refused attaches); a DPC without prepare; an ATS enable
 * failure (seed 004); an attach whose ATC flush times out; the STE
 * read-modify-write race of the v2 series; and walkers that go on sending
 * ATC_INVs to a master until its EATS clear has completed.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/iommu.h>
#include <linux/pci.h>
#include <linux/workqueue.h>
#include <sim/clock.h>
#include <sim/world.h>
#include <khooks/switches.h>

#include "unit/khooks_test.h"

#define NDEV 6
#define BAD 3

struct qworld {
	struct sim_world world; /* NDEV masters, all attached to dom */
	struct arm_smmu_domain *dom, *dom2, *dom_s2;
};

static void qworld_init(struct qworld *w, const char *strategy, bool inv_type)
{
	const struct sim_world_config cfg = {
		.hw = {
			.ats = true,
			.msi = true,
			.cmdq_shift = 8,
			.atc_timeout_ns = 20 * 1000,
		},
		.isolate_ops = arm_smmu_atc_isolate_ops_find(strategy),
		.num_domains = 2,
		.num_masters = NDEV,
		.devices = true,
		.masters_per_domain = NDEV,
		.dev_latency_ns = 500,
	};

	memset(w, 0, sizeof(*w));
	assert_int_equal(
		khooks_switch_set(KHOOKS_QUARANTINE_INV_TYPE, inv_type), 0);
	assert_non_null(cfg.isolate_ops);
	assert_int_equal(sim_world_create(&w->world, &cfg), 0);
	w->dom = w->world.domains[0];
	w->dom2 = w->world.domains[1];
	w->dom_s2 = arm_smmu_domain_alloc(&w->world.smmu[0], ARM_SMMU_DOMAIN_S2,
					  3, false);
	assert_false(IS_ERR(w->dom_s2));
}

static void qworld_fini(struct qworld *w)
{
	arm_smmu_domain_free(w->dom_s2);
	sim_world_destroy(&w->world);
	khooks_switch_set(KHOOKS_QUARANTINE_INV_TYPE, false);
}

static void inv(struct qworld *w, unsigned int rounds)
{
	while (rounds--)
		arm_smmu_domain_inv_range(w->dom, 0x10000, 0x1000, 0x1000,
					  true);
}

/* EATS as the SMMU sees it: its cached STE (fetched now if not cached) */
static bool ste_eats(struct qworld *w, unsigned int i)
{
	u64 ste[STRTAB_STE_DWORDS];

	sim_smmu_ste(w->world.hw[0], i, ste);
	return FIELD_GET(STRTAB_STE_1_EATS, ste[1]);
}

static unsigned int num_broken(struct qworld *w)
{
	unsigned int i, n = 0;

	for (i = 0; i < NDEV; i++)
		n += READ_ONCE(w->world.masters[i].master->ats_broken);
	return n;
}

/* Live entries of type @type for @sid in @dom's array */
static unsigned int ats_entries(struct arm_smmu_domain *dom, u32 sid, u8 type)
{
	struct arm_smmu_invs *invs = rcu_dereference_protected(dom->invs, true);
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < invs->num_invs; i++)
		n += invs->inv[i].users && invs->inv[i].id == sid &&
		     invs->inv[i].type == type;
	return n;
}

/* Quarantine device BAD by a timeout; returns its ATC_INV count after */
static u64 quarantine_bad(struct qworld *w)
{
	sim_dev_set_state(&w->world.masters[BAD].sdev, SIM_DEV_UNRESPONSIVE, 0);
	inv(w, 1);
	flush_scheduled_work();
	return READ_ONCE(w->world.masters[BAD].sdev.atc_invs);
}

static void timeout_quarantines(const char *strategy, bool inv_type)
{
	bool whole = !strcmp(strategy, "whole-batch");
	struct qworld w;
	u64 after, good_before;
	unsigned int i;

	qworld_init(&w, strategy, inv_type);
	inv(&w, 3);
	assert_int_equal(num_broken(&w), 0);
	assert_true(ste_eats(&w, BAD));

	after = quarantine_bad(&w);
	printf("%s/%s: broken %u, isolation tests %ld\n", strategy,
	       inv_type ? "inv-type" : "flag", num_broken(&w),
	       atomic_long_read(&w.world.smmu[0].atc_isolation_tests));
	assert_int_equal(atomic_long_read(&w.world.smmu[0].atc_isolations), 1);
	assert_int_equal(num_broken(&w), whole ? NDEV : 1);
	assert_true(w.world.masters[BAD].master->ats_broken);
	assert_false(ste_eats(&w, BAD));
	assert_true(iommu_device_blocked(&w.world.masters[BAD].pdev.dev));
	assert_false(w.world.masters[BAD].pdev.ats_enabled);
	for (i = 0; i < NDEV && !whole; i++)
		if (i != BAD)
			assert_true(ste_eats(&w, i) &&
				    !iommu_device_blocked(
					    &w.world.masters[i].pdev.dev));

	/* No spam: the quarantined device gets nothing, the others do */
	good_before = READ_ONCE(w.world.masters[0].sdev.atc_invs);
	inv(&w, 20);
	assert_int_equal(READ_ONCE(w.world.masters[BAD].sdev.atc_invs), after);
	if (!whole)
		assert_int_equal(READ_ONCE(w.world.masters[0].sdev.atc_invs),
				 good_before + 20);
	assert_int_equal(atomic_long_read(&w.world.smmu[0].atc_isolations), 1);
	qworld_fini(&w);
}

static void test_timeout_quarantines(void **state)
{
	const struct arm_smmu_atc_isolate_ops *ops;

	for (ops = arm_smmu_atc_isolate_ops; ops->name; ops++)
		timeout_quarantines(ops->name, false);
	timeout_quarantines("bisect", true);
	timeout_quarantines("linear", true);
}

/* Before the core's worker blocks it, the INV_TYPE mode already skips it */
#define WIDE 256 /* ATS devices in one domain: four batches of ATC_INVs */

/*
 * A domain of WIDE ATS devices: its walk fills several command batches.
 * With the device at @bad unresponsive, one invalidation quarantines it
 * (whole-batch: its batch, at most a batch's worth, it among them), and
 * the next reaches every other device and not it: the timeout is
 * attributed to the batch it happened in, wherever that batch is.
 */
static void wide_domain(const char *strategy, unsigned int bad)
{
	const struct sim_world_config cfg = {
		.hw = { .ats = true,
			.msi = true,
			.cmdq_shift = 10,
			.atc_timeout_ns = 20 * 1000 },
		.isolate_ops = arm_smmu_atc_isolate_ops_find(strategy),
		.num_domains = 1,
		.num_masters = WIDE,
		.devices = true,
		.masters_per_domain = WIDE,
		.dev_latency_ns = 500,
	};
	bool whole = !strcmp(strategy, "whole-batch");
	u64 before[WIDE];
	struct sim_world w;
	unsigned int i, broken = 0;

	assert_non_null(cfg.isolate_ops);
	assert_int_equal(sim_world_create(&w, &cfg), 0);
	sim_dev_set_state(&w.masters[bad].sdev, SIM_DEV_UNRESPONSIVE, 0);
	arm_smmu_domain_inv_range(w.domains[0], 0x10000, 0x1000, 0x1000, true);
	flush_scheduled_work();
	for (i = 0; i < WIDE; i++) {
		broken += READ_ONCE(w.masters[i].master->ats_broken);
		before[i] = READ_ONCE(w.masters[i].sdev.atc_invs);
	}
	printf("%s, device %u unresponsive: %u quarantined\n", strategy, bad,
	       broken);
	assert_true(w.masters[bad].master->ats_broken);
	if (whole)
		assert_in_range(broken, 1, CMDQ_BATCH_ENTRIES);
	else
		assert_int_equal(broken, 1);

	arm_smmu_domain_inv_range(w.domains[0], 0x10000, 0x1000, 0x1000, true);
	for (i = 0; i < WIDE; i++)
		assert_int_equal(READ_ONCE(w.masters[i].sdev.atc_invs),
				 before[i] + !w.masters[i].master->ats_broken);
	assert_int_equal(atomic_long_read(&w.smmu[0].atc_isolations), 1);
	sim_world_destroy(&w);
}

static void test_wide_domain_every_batch(void **state)
{
	static const unsigned int bad[] = { 0, WIDE / 2, WIDE - 1 };
	const struct arm_smmu_atc_isolate_ops *ops;
	unsigned int i;

	for (ops = arm_smmu_atc_isolate_ops; ops->name; ops++)
		for (i = 0; i < ARRAY_SIZE(bad); i++)
			wide_domain(ops->name, bad[i]);
}

static void test_inv_type_skips_before_block(void **state)
{
	struct iommu_group *group;
	struct qworld w;
	u64 after;

	qworld_init(&w, "linear", true);
	assert_int_equal(ats_entries(w.dom, BAD, INV_TYPE_ATS), 1);
	/* Hold the group, so that the broken worker cannot block it yet */
	group = w.world.masters[BAD].pdev.dev.iommu_group;
	mutex_lock(&group->mutex);
	sim_dev_set_state(&w.world.masters[BAD].sdev, SIM_DEV_UNRESPONSIVE, 0);
	inv(&w, 1);
	assert_int_equal(ats_entries(w.dom, BAD, INV_TYPE_ATS), 0);
	assert_int_equal(ats_entries(w.dom, BAD, INV_TYPE_ATS_BROKEN), 1);
	after = READ_ONCE(w.world.masters[BAD].sdev.atc_invs);
	inv(&w, 5);
	assert_int_equal(READ_ONCE(w.world.masters[BAD].sdev.atc_invs), after);
	mutex_unlock(&group->mutex);
	qworld_fini(&w);
}

static void test_reset_lifecycle(void **state)
{
	struct pci_dev *bad;
	unsigned long warns;
	struct qworld w;
	u64 count;

	qworld_init(&w, "bisect", false);
	bad = &w.world.masters[BAD].pdev;
	quarantine_bad(&w);

	/* Quarantined: attach refused */
	assert_int_equal(iommu_attach_device(&w.dom2->domain, &bad->dev),
			 -EBUSY);

	/* A failed reset never unblocks */
	assert_int_equal(pci_dev_reset_iommu_prepare(bad), 0);
	pci_dev_reset_iommu_done(bad, false);
	assert_true(iommu_device_blocked(&bad->dev));
	assert_true(w.world.masters[BAD].master->ats_broken);
	assert_int_equal(iommu_attach_device(&w.dom2->domain, &bad->dev),
			 -EBUSY);

	/* Nested: only the outermost successful done() unblocks */
	assert_int_equal(pci_dev_reset_iommu_prepare(bad), 0);
	assert_int_equal(pci_dev_reset_iommu_prepare(bad), 0);
	sim_dev_set_state(&w.world.masters[BAD].sdev, SIM_DEV_RESPONSIVE, 0);
	pci_dev_reset_iommu_done(bad, true);
	assert_true(iommu_device_blocked(&bad->dev));
	assert_true(w.world.masters[BAD].master->ats_broken);
	pci_dev_reset_iommu_done(bad, true);
	assert_false(iommu_device_blocked(&bad->dev));

	/* Restored: domain back, ATS on, invalidations reach it again */
	assert_false(w.world.masters[BAD].master->ats_broken);
	assert_ptr_equal(w.world.masters[BAD].master->domain, w.dom);
	assert_true(w.world.masters[BAD].master->ats_enabled &&
		    bad->ats_enabled);
	assert_true(ste_eats(&w, BAD));
	count = READ_ONCE(w.world.masters[BAD].sdev.atc_invs);
	inv(&w, 2);
	assert_int_equal(READ_ONCE(w.world.masters[BAD].sdev.atc_invs),
			 count + 2);

	/* An attach during a reset is deferred to done() */
	assert_int_equal(pci_dev_reset_iommu_prepare(&w.world.masters[1].pdev),
			 0);
	assert_true(iommu_device_blocked(&w.world.masters[1].pdev.dev));
	assert_null(w.world.masters[1].master->domain);
	assert_int_equal(iommu_attach_device(&w.dom2->domain,
					     &w.world.masters[1].pdev.dev),
			 0);
	assert_null(w.world.masters[1].master->domain);
	pci_dev_reset_iommu_done(&w.world.masters[1].pdev, true);
	assert_ptr_equal(w.world.masters[1].master->domain, w.dom2);

	/* done() without prepare() is a caller bug */
	warns = khooks_warn_count();
	pci_dev_reset_iommu_done(&w.world.masters[2].pdev, true);
	assert_int_equal(khooks_warn_count(), warns + 1);
	khooks_warn_reset();
	qworld_fini(&w);
}

/* While blocked for a reset, a resetting device sees no invalidation */
static void test_prepare_fences_ats(void **state)
{
	struct qworld w;
	u64 count;

	qworld_init(&w, "linear", false);
	assert_int_equal(
		pci_dev_reset_iommu_prepare(&w.world.masters[BAD].pdev), 0);
	sim_dev_set_state(&w.world.masters[BAD].sdev, SIM_DEV_RESETTING, 0);
	count = READ_ONCE(w.world.masters[BAD].sdev.atc_invs);
	inv(&w, 10);
	assert_int_equal(READ_ONCE(w.world.masters[BAD].sdev.atc_invs), count);
	assert_int_equal(atomic_long_read(&w.world.smmu[0].atc_isolations), 0);
	sim_dev_set_state(&w.world.masters[BAD].sdev, SIM_DEV_RESPONSIVE, 0);
	pci_dev_reset_iommu_done(&w.world.masters[BAD].pdev, true);
	assert_true(ste_eats(&w, BAD));
	assert_int_equal(num_broken(&w), 0);
	qworld_fini(&w);
}

/*
 * Between the timeout and the core's block (its worker held back here),
 * the walker skips the broken master: no ATC_INV to it, no new isolation
 */
static void test_broken_skipped_before_block(void **state)
{
	struct sim_dev *bad;
	struct qworld w;
	u64 count;

	qworld_init(&w, "linear", false);
	bad = &w.world.masters[BAD].sdev;
	khooks_workqueue_set_deferred(true);
	sim_dev_set_state(bad, SIM_DEV_UNRESPONSIVE, 0);
	inv(&w, 1);
	assert_int_equal(num_broken(&w), 1);
	assert_false(iommu_device_blocked(&w.world.masters[BAD].pdev.dev));
	count = READ_ONCE(bad->atc_invs);
	inv(&w, 3);
	assert_int_equal(READ_ONCE(bad->atc_invs), count);
	assert_int_equal(atomic_long_read(&w.world.smmu[0].atc_isolations), 1);
	khooks_workqueue_set_deferred(false);
	flush_scheduled_work();
	assert_true(iommu_device_blocked(&w.world.masters[BAD].pdev.dev));
	qworld_fini(&w);
}

/* A DPC resets the link with no prepare: timeouts, isolation, quarantine */
static void test_dpc(void **state)
{
	struct qworld w;

	qworld_init(&w, "adaptive", false);
	sim_dev_set_state(&w.world.masters[BAD].sdev, SIM_DEV_SURPRISE_RESET,
			  0);
	inv(&w, 4);
	flush_scheduled_work();
	assert_int_equal(num_broken(&w), 1);
	assert_true(iommu_device_blocked(&w.world.masters[BAD].pdev.dev));
	assert_int_equal(atomic_long_read(&w.world.smmu[0].atc_isolations), 1);

	/* Recovery: the DPC driver resets the device, and it comes back */
	assert_int_equal(
		pci_dev_reset_iommu_prepare(&w.world.masters[BAD].pdev), 0);
	sim_dev_set_state(&w.world.masters[BAD].sdev, SIM_DEV_RESPONSIVE, 0);
	pci_dev_reset_iommu_done(&w.world.masters[BAD].pdev, true);
	assert_int_equal(num_broken(&w), 0);
	assert_true(ste_eats(&w, BAD));
	qworld_fini(&w);
}

/*
 * A device that stopped answering moves to another domain before any
 * invalidation found it: the attach's ATC flush times out, so the old
 * domain's translations are still in its ATC and no invalidation of that
 * domain reaches it any more.  The attach quarantines it as the walker
 * would: ats_broken, EATS cleared in the new STE, blocked by the core.
 */
static void test_attach_flush_timeout_quarantines(void **state)
{
	struct sim_world_master *bad;
	struct qworld w;

	qworld_init(&w, "linear", false);
	bad = &w.world.masters[BAD];
	sim_dev_set_state(&bad->sdev, SIM_DEV_UNRESPONSIVE, 0);
	/* The core's worker held back: the attach's own result first */
	khooks_workqueue_set_deferred(true);
	assert_int_equal(iommu_attach_device(&w.dom2->domain, &bad->pdev.dev),
			 0);
	assert_ptr_equal(bad->master->domain, w.dom2);
	assert_true(bad->master->ats_broken);
	assert_false(ste_eats(&w, BAD));
	assert_int_equal(num_broken(&w), 1);
	khooks_workqueue_set_deferred(false);
	flush_scheduled_work();
	assert_true(iommu_device_blocked(&bad->pdev.dev));
	/* A device that answers moves without one */
	assert_int_equal(iommu_attach_device(&w.dom2->domain,
					     &w.world.masters[0].pdev.dev),
			 0);
	assert_true(ste_eats(&w, 0));
	assert_int_equal(num_broken(&w), 1);
	qworld_fini(&w);
}

/* Seed 004: ATS that cannot be enabled leaves no trace and no warning */
static void test_ats_enable_failure(void **state)
{
	unsigned long warns;
	struct qworld w;

	qworld_init(&w, "linear", false);
	warns = khooks_warn_count();
	iommu_detach_device(&w.dom->domain, &w.world.masters[BAD].pdev.dev);
	w.world.masters[BAD].pdev.ats_enable_fails = true;
	assert_int_equal(iommu_attach_device(&w.dom2->domain,
					     &w.world.masters[BAD].pdev.dev),
			 0);
	assert_false(w.world.masters[BAD].master->ats_enabled);
	assert_false(ste_eats(&w, BAD));
	assert_int_equal(ats_entries(w.dom2, BAD, INV_TYPE_ATS), 0);
	/* ... while the other devices still have theirs */
	assert_int_equal(ats_entries(w.dom, 0, INV_TYPE_ATS), 1);
	iommu_detach_device(&w.dom2->domain, &w.world.masters[BAD].pdev.dev);
	assert_int_equal(khooks_warn_count(), warns);
	qworld_fini(&w);
}

struct race {
	struct arm_smmu_master *master;
	struct arm_smmu_domain *dom;
	pthread_barrier_t *start;
	pthread_t thread;
};

static void *race_quarantine(void *arg)
{
	struct race *r = arg;

	rcu_register_thread();
	pthread_barrier_wait(r->start);
	arm_smmu_master_disable_ats(r->master);
	rcu_unregister_thread();
	return NULL;
}

static void *race_attach(void *arg)
{
	struct race *r = arg;

	rcu_register_thread();
	pthread_barrier_wait(r->start);
	arm_smmu_attach_dev(r->master, r->dom, IOMMU_NO_PASID);
	rcu_unregister_thread();
	return NULL;
}

/* The STE a master should have: its domain's, without EATS if broken */
static bool ste_as_expected(struct qworld *w, struct arm_smmu_master *m)
{
	struct arm_smmu_domain *d = m->domain;
	struct arm_smmu_ste want;

	arm_smmu_make_ste(&want, d->stage,
			  d->stage == ARM_SMMU_DOMAIN_S1 ? d->asid : d->vmid,
			  m->ats_enabled && !m->ats_broken);
	return !memcmp(&want, &w->world.smmu[0].strtab[m->streams[0].id],
		       sizeof(want));
}

/*
 * The BAD master without a device: taken from the IOMMU core, so a
 * quarantine reports nothing to it; bare_master_fini() gives it back and
 * tears the world down
 */
static struct arm_smmu_master *bare_master(struct qworld *w)
{
	struct sim_world_master *wm = &w->world.masters[BAD];

	iommu_detach_device(&w->dom->domain, &wm->pdev.dev);
	iommu_release_device(&wm->pdev.dev);
	wm->master->dev = NULL;
	return wm->master;
}

static void bare_master_fini(struct qworld *w, struct arm_smmu_master *m)
{
	WRITE_ONCE(m->ats_broken, false);
	arm_smmu_attach_dev_blocked(m);
	assert_int_equal(iommu_probe_device(&w->world.masters[BAD].pdev.dev,
					    &arm_smmu_ops, m),
			 0);
	qworld_fini(w);
}

/*
 * A quarantine racing an attach of the same master (stage 2 to stage 1,
 * whose STE qword 1 differs): afterwards the STE must be the attached
 * domain's with EATS cleared.  Returns how many of @rounds did not end so.
 */
static unsigned int ste_race(unsigned int rounds)
{
	struct arm_smmu_master *m;
	pthread_barrier_t start;
	struct race a, b;
	struct qworld w;
	unsigned int i, bad = 0;

	qworld_init(&w, "linear", false);
	m = bare_master(&w);
	for (i = 0; i < rounds; i++) {
		WRITE_ONCE(m->ats_broken, false);
		arm_smmu_attach_dev(m, w.dom_s2, IOMMU_NO_PASID);
		pthread_barrier_init(&start, NULL, 2);
		a = (struct race){ .master = m, .start = &start };
		b = (struct race){ .master = m, .dom = w.dom, .start = &start };
		assert_int_equal(pthread_create(&a.thread, NULL,
						race_quarantine, &a),
				 0);
		assert_int_equal(
			pthread_create(&b.thread, NULL, race_attach, &b), 0);
		pthread_join(a.thread, NULL);
		pthread_join(b.thread, NULL);
		pthread_barrier_destroy(&start);
		bad += !ste_as_expected(&w, m);
	}
	bare_master_fini(&w, m);
	return bad;
}

/*
 * What makes the race above impossible: the EATS clear of a quarantine
 * waits for the STE lock.  Held here for up to 100 ms while a quarantine
 * runs, EATS must still be set; released, the quarantine clears it.  (The
 * watch only lets a lockless clear show itself sooner: with the lock, EATS
 * cannot change whatever the timing.)
 */
static void test_eats_clear_takes_ste_lock(void **state)
{
	struct arm_smmu_master *m;
	pthread_barrier_t start;
	unsigned long flags;
	bool eats_while_held;
	struct qworld w;
	struct race a;
	int i;

	qworld_init(&w, "linear", false);
	m = bare_master(&w);
	arm_smmu_attach_dev(m, w.dom, IOMMU_NO_PASID);
	assert_true(ste_eats(&w, BAD));

	spin_lock_irqsave(&w.world.smmu[0].ste_lock, flags);
	pthread_barrier_init(&start, NULL, 1);
	a = (struct race){ .master = m, .start = &start };
	assert_int_equal(pthread_create(&a.thread, NULL, race_quarantine, &a),
			 0);
	for (i = 0; i < 100 && ste_eats(&w, BAD); i++)
		usleep(1000);
	eats_while_held = ste_eats(&w, BAD);
	spin_unlock_irqrestore(&w.world.smmu[0].ste_lock, flags);
	pthread_join(a.thread, NULL);
	pthread_barrier_destroy(&start);
	assert_true(eats_while_held);
	assert_false(ste_eats(&w, BAD));

	bare_master_fini(&w, m);
}

struct window_attach {
	struct arm_smmu_master *master;
	struct arm_smmu_domain *dom;
};

/* Inside the quarantine's read-modify-write window: the racing attach */
static void window_attach(enum khooks_switch sw, void *arg)
{
	struct window_attach *wa = arg;

	if (sw == KHOOKS_BUG_STE_RMW_RACE)
		arm_smmu_attach_dev(wa->master, wa->dom, IOMMU_NO_PASID);
}

/*
 * The v2 read-modify-write with the attach put inside its window (what
 * the race does when it hits): the STE the attach wrote is lost
 */
static bool ste_rmw_loses_attach(void)
{
	struct window_attach wa;
	struct qworld w;
	bool lost;

	qworld_init(&w, "linear", false);
	wa = (struct window_attach){ .master = bare_master(&w), .dom = w.dom };
	arm_smmu_attach_dev(wa.master, w.dom_s2, IOMMU_NO_PASID);
	khooks_switch_set(KHOOKS_BUG_STE_RMW_RACE, true);
	khooks_race_window_set(window_attach, &wa);
	arm_smmu_master_disable_ats(wa.master);
	khooks_race_window_set(NULL, NULL);
	khooks_switch_set(KHOOKS_BUG_STE_RMW_RACE, false);
	assert_ptr_equal(wa.master->domain, w.dom);
	lost = !ste_as_expected(&w, wa.master);
	bare_master_fini(&w, wa.master);
	return lost;
}

/*
 * Threads racing a quarantine and an attach never lose an STE with the
 * STE lock; the v2 code loses the attach's whenever the attach falls in
 * its window (put there deterministically)
 */
static void test_ste_rmw_race(void **state)
{
	unsigned int fixed = ste_race(300);

	printf("STEs lost or wrong after the race: %u/300 with the STE lock\n",
	       fixed);
	assert_int_equal(fixed, 0);
	assert_true(ste_rmw_loses_attach());
}

struct window_walk {
	struct qworld *w;
	bool eats; /* the SMMU still allowed translated requests */
	u64 atc_invs; /* what the walk inside the window sent the master */
};

/* Inside the quarantine's STE update: an unmap's walk on another CPU */
static void window_walk(enum khooks_switch sw, void *arg)
{
	struct window_walk *ww = arg;
	struct sim_dev *sdev = &ww->w->world.masters[BAD].sdev;
	u64 before = READ_ONCE(sdev->atc_invs);

	ww->eats = ste_eats(ww->w, BAD);
	inv(ww->w, 1);
	ww->atc_invs = READ_ONCE(sdev->atc_invs) - before;
}

/*
 * While the SMMU may still serve translated requests for a master being
 * quarantined (before its CFGI_STE completed), walkers must not skip it:
 * its ATC could keep a page the unmap returned.  The walk is put inside the
 * window deterministically (the window of the v2 read-modify-write, which
 * the switch opens without the STE lock, which walkers do not take).
 */
static void test_walker_skips_only_after_eats_cleared(void **state)
{
	struct window_walk ww;
	struct qworld w;

	qworld_init(&w, "linear", false);
	ww = (struct window_walk){ .w = &w };
	khooks_switch_set(KHOOKS_BUG_STE_RMW_RACE, true);
	khooks_race_window_set(window_walk, &ww);
	assert_true(arm_smmu_master_disable_ats(w.world.masters[BAD].master));
	khooks_race_window_set(NULL, NULL);
	khooks_switch_set(KHOOKS_BUG_STE_RMW_RACE, false);
	flush_scheduled_work();
	assert_true(ww.eats);
	assert_int_equal(ww.atc_invs, 1);
	assert_false(ste_eats(&w, BAD));
	assert_int_equal(num_broken(&w), 1);
	qworld_fini(&w);
}

static int setup(void **state)
{
	/* The driver's and core's quarantine messages are expected here */
	khooks_printk_level(LOGLEVEL_ERR - 1);
	return test_rcu_setup(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timeout_quarantines),
		cmocka_unit_test(test_wide_domain_every_batch),
		cmocka_unit_test(test_inv_type_skips_before_block),
		cmocka_unit_test(test_reset_lifecycle),
		cmocka_unit_test(test_prepare_fences_ats),
		cmocka_unit_test(test_broken_skipped_before_block),
		cmocka_unit_test(test_dpc),
		cmocka_unit_test(test_ats_enable_failure),
		cmocka_unit_test(test_attach_flush_timeout_quarantines),
		cmocka_unit_test(test_ste_rmw_race),
		cmocka_unit_test(test_eats_clear_takes_ste_lock),
		cmocka_unit_test(test_walker_skips_only_after_eats_cleared),
	};

	return cmocka_run_group_tests(tests, setup, test_rcu_teardown);
}
