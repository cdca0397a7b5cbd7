// SPDX-License-Identifier: GPL-2.0
/*
 * Masters attached at a PASID: the array holds their ATS entries with the
 * SSID, the walker's ATC_INV carries it (SSV), the simulated device drops
 * only what an ATC_INV with its SSID or without any SSID covers, a move
 * to another domain flushes the ATC, a move to another PASID of the same
 * domain leaves one entry and flushes the old PASID's, and a reset
 * re-attaches the retained domain at the PASID.
 */
#include <string.h>
#include <linux/iommu.h>
#include <linux/pci.h>
#include <sim/oracle.h>
#include <sim/world.h>

#include "unit/khooks_test.h"

#define PAGES 16

/* Domain 0: master 0 at the RID, master 1 at PASID 2 (world.h); domain 1 */
struct pworld {
	struct sim_world world;
	struct sim_oracle *oracle;
	struct sim_dev *rid, *pasid;
};

static void pworld_init(struct pworld *w)
{
	const struct sim_world_config cfg = {
		.hw = { .ats = true, .msi = true, .cmdq_shift = 8 },
		.num_domains = 2,
		.num_masters = 2,
		.devices = true,
		.masters_per_domain = 2,
		.pasid_per_domain = 1,
		.atc_pages = PAGES,
	};

	memset(w, 0, sizeof(*w));
	assert_int_equal(sim_world_create(&w->world, &cfg), 0);
	w->rid = &w->world.masters[0].sdev;
	w->pasid = &w->world.masters[1].sdev;
	assert_int_equal(w->rid->ssid, 0);
	assert_int_equal(w->pasid->ssid, 2);
	assert_int_equal(sim_world_oracle(&w->world, PAGES, &w->oracle), 0);
}

static void pworld_fini(struct pworld *w)
{
	sim_oracle_destroy(w->oracle);
	sim_world_destroy(&w->world);
}

/* The SSID of @sid's ATS entry in @dom's array; -1 if none */
static int ats_ssid(struct arm_smmu_domain *dom, u32 sid)
{
	struct arm_smmu_invs *invs = rcu_dereference_protected(dom->invs, true);
	size_t i;

	for (i = 0; i < invs->num_invs; i++)
		if (invs->inv[i].type == INV_TYPE_ATS && invs->inv[i].users &&
		    invs->inv[i].id == sid)
			return invs->inv[i].ssid;
	return -1;
}

/* Fill both devices' ATCs with @page */
static void fill(struct pworld *w, unsigned int page)
{
	assert_int_equal(sim_oracle_translate(w->oracle, w->rid, page), 0);
	assert_int_equal(sim_oracle_translate(w->oracle, w->pasid, page), 0);
}

static bool cached(struct sim_dev *dev, unsigned int page)
{
	return __atomic_load_n(&dev->atc[page], __ATOMIC_RELAXED);
}

static void test_array_and_walker(void **state)
{
	struct arm_smmu_domain *dom;
	struct pworld w;

	(void)state;
	pworld_init(&w);
	dom = w.world.domains[0];
	assert_int_equal(ats_ssid(dom, w.rid->sid), IOMMU_NO_PASID);
	assert_int_equal(ats_ssid(dom, w.pasid->sid), 2);
	assert_int_equal(w.world.masters[1].master->ssid, 2);

	/* The walker's ATC_INVs reach both: each with its SSID */
	fill(&w, 5);
	sim_oracle_unmap(w.oracle, 0, 5, 1);
	arm_smmu_domain_inv_range(dom, 5 << 12, 1 << 12, 1 << 12, true);
	sim_oracle_inv_done(w.oracle, 0, 5, 1);
	assert_false(cached(w.rid, 5));
	assert_false(cached(w.pasid, 5));
	assert_int_equal(
		sim_oracle_check(w.oracle,
				 (struct sim_dev *[]){ w.rid, w.pasid }, 2, 0,
				 5, 1, false),
		0);
	pworld_fini(&w);
}

static void test_atc_inv_ssid(void **state)
{
	struct arm_smmu_master *m;
	struct pworld w;

	(void)state;
	pworld_init(&w);
	m = w.world.masters[1].master;

	/* Another PASID's: the device keeps its entries */
	fill(&w, 3);
	assert_int_equal(arm_smmu_atc_inv_master(m, 7), 0);
	assert_true(cached(w.pasid, 3));
	/* Its own */
	assert_int_equal(arm_smmu_atc_inv_master(m, 2), 0);
	assert_false(cached(w.pasid, 3));
	/* No SSID: every PASID's */
	fill(&w, 3);
	assert_int_equal(arm_smmu_atc_inv_master(m, IOMMU_NO_PASID), 0);
	assert_false(cached(w.pasid, 3));
	/* A RID device keeps its entries against any SSID */
	assert_int_equal(arm_smmu_atc_inv_master(w.world.masters[0].master, 2),
			 0);
	assert_true(cached(w.rid, 3));
	pworld_fini(&w);
}

/* A move to another domain flushes the ATC, at the RID or at the PASID */
static void test_move_flushes_atc(void **state)
{
	struct pworld w;
	unsigned int i;

	(void)state;
	pworld_init(&w);
	fill(&w, 4);
	for (i = 0; i < 2; i++)
		assert_int_equal(
			sim_world_attach(&w.world, i, w.world.domains[1]), 0);
	assert_false(cached(w.rid, 4));
	assert_false(cached(w.pasid, 4));
	pworld_fini(&w);
}

/* ATS entries of @sid in @dom's array (with users) */
static unsigned int ats_entries(struct arm_smmu_domain *dom, u32 sid)
{
	struct arm_smmu_invs *invs = rcu_dereference_protected(dom->invs, true);
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < invs->num_invs; i++)
		n += invs->inv[i].type == INV_TYPE_ATS && invs->inv[i].users &&
		     invs->inv[i].id == sid;
	return n;
}

/*
 * A move to another PASID of the same domain (the array holds both for a
 * while): it ends with the new PASID's entry alone, and the old PASID's
 * entries are flushed, while the device's DMA is quiesced
 */
static void test_move_to_other_pasid(void **state)
{
	struct arm_smmu_domain *dom;
	struct pworld w;

	(void)state;
	pworld_init(&w);
	dom = w.world.domains[0];
	fill(&w, 6);
	sim_dev_quiesce(w.pasid, true);
	assert_int_equal(sim_oracle_translate(w.oracle, w.pasid, 7), -EAGAIN);
	assert_int_equal(sim_world_attach_at(&w.world, 1, dom, 9), 0);
	assert_int_equal(ats_entries(dom, w.pasid->sid), 1);
	assert_int_equal(ats_ssid(dom, w.pasid->sid), 9);
	assert_int_equal(w.world.masters[1].master->ssid, 9);
	assert_false(cached(w.pasid, 6));
	__atomic_store_n(&w.pasid->ssid, 9, __ATOMIC_RELAXED);
	sim_dev_quiesce(w.pasid, false);

	/* The walker's ATC_INV carries the new PASID */
	fill(&w, 7);
	sim_oracle_unmap(w.oracle, 0, 7, 1);
	arm_smmu_domain_inv_range(dom, 7 << 12, 1 << 12, 1 << 12, true);
	sim_oracle_inv_done(w.oracle, 0, 7, 1);
	assert_false(cached(w.pasid, 7));
	pworld_fini(&w);
}

static void test_attach_and_reset(void **state)
{
	struct sim_world_master *wm;
	struct arm_smmu_domain *s2;
	struct pworld w;

	(void)state;
	pworld_init(&w);
	wm = &w.world.masters[1];

	/* Moved to domain 1 at its PASID: the entries move with the SSID */
	assert_int_equal(sim_world_attach(&w.world, 1, w.world.domains[1]), 0);
	assert_int_equal(ats_ssid(w.world.domains[0], w.pasid->sid), -1);
	assert_int_equal(ats_ssid(w.world.domains[1], w.pasid->sid), 2);

	/* A reset blocks it, then re-attaches the retained domain at PASID 2 */
	assert_int_equal(pci_dev_reset_iommu_prepare(&wm->pdev), 0);
	assert_int_equal(ats_ssid(w.world.domains[1], w.pasid->sid), -1);
	pci_dev_reset_iommu_done(&wm->pdev, true);
	assert_int_equal(ats_ssid(w.world.domains[1], w.pasid->sid), 2);
	assert_int_equal(wm->master->ssid, 2);

	/* Only stage-1 domains take a PASID; IOMMU_NO_PASID is the RID's */
	s2 = arm_smmu_domain_alloc(&w.world.smmu[0], ARM_SMMU_DOMAIN_S2, 9,
				   false);
	assert_false(IS_ERR(s2));
	assert_int_equal(iommu_attach_device_pasid(&s2->domain, &wm->pdev.dev,
						   2),
			 -EINVAL);
	assert_int_equal(iommu_attach_device_pasid(&w.world.domains[0]->domain,
						   &wm->pdev.dev,
						   IOMMU_NO_PASID),
			 -EINVAL);
	assert_int_equal(ats_ssid(w.world.domains[1], w.pasid->sid), 2);
	arm_smmu_domain_free(s2);
	pworld_fini(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_array_and_walker),
		cmocka_unit_test(test_atc_inv_ssid),
		cmocka_unit_test(test_move_flushes_atc),
		cmocka_unit_test(test_move_to_other_pasid),
		cmocka_unit_test(test_attach_and_reset),
	};

	return cmocka_run_group_tests(tests, test_rcu_setup, test_rcu_teardown);
}
