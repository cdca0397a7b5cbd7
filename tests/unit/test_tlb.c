// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated SMMU's TLB: each TLBI form removes exactly what the
 * specification says (commands encoded by the kernel-form encoder); a TLBI
 * takes effect only when a later CMD_SYNC completes; and the oracle catches
 * an ATC invalidated before the TLB invalidation completed, which a device
 * refetching from the stale TLB makes visible, in the TLB of the SMMU the
 * domain is on.
 */
#include <stdlib.h>
#include <string.h>
#include <sim/oracle.h>
#include <sim/tlb.h>
#include <sim/world.h>

#include "unit/khooks_test.h"

#define PAGES 64

static const struct sim_tlb_tag asid1 = { .asid = 1 };
static const struct sim_tlb_tag asid2 = { .asid = 2 };
static const struct sim_tlb_tag vmid3 = { .s2 = true, .vmid = 3 };

static void fill_all(struct sim_tlb *tlb)
{
	const struct sim_tlb_tag *tags[] = { &asid1, &asid2, &vmid3 };
	unsigned int t, p;

	sim_tlb_lock(tlb);
	for (t = 0; t < ARRAY_SIZE(tags); t++)
		for (p = 0; p < PAGES; p++)
			sim_tlb_fill(tlb, tags[t], p, p + 1);
	sim_tlb_unlock(tlb);
}

/* Apply @ent as the driver encodes it */
static void tlbi(struct sim_tlb *tlb, struct arm_smmu_cmdq_ent *ent)
{
	u64 cmd[CMDQ_ENT_DWORDS];

	assert_int_equal(arm_smmu_cmdq_build_cmd(cmd, ent), 0);
	sim_tlb_invalidate(tlb, cmd);
}

/* Pages of @tag still held, as a bitmap */
static u64 held(struct sim_tlb *tlb, const struct sim_tlb_tag *tag)
{
	u64 map = 0;
	unsigned int p;

	for (p = 0; p < PAGES; p++)
		if (sim_tlb_peek(tlb, tag, p))
			map |= 1ULL << p;
	return map;
}

static void test_tlbi_forms(void **state)
{
	struct sim_tlb *tlb;
	u64 all = ~0ULL;

	(void)state;
	assert_int_equal(sim_tlb_create(PAGES, &tlb), 0);
	fill_all(tlb);

	/* By address, TG = 0: the one page */
	tlbi(tlb,
	     &(struct arm_smmu_cmdq_ent){
		     .opcode = CMDQ_OP_TLBI_NH_VA,
		     .tlbi = { .asid = 1, .addr = 5 << 12, .leaf = true } });
	all &= ~(1ULL << 5);
	assert_int_equal(held(tlb, &asid1), all);
	/* A range: (NUM + 1) << SCALE granules of 4 KiB from page 8 */
	tlbi(tlb, &(struct arm_smmu_cmdq_ent){ .opcode = CMDQ_OP_TLBI_NH_VA,
					       .tlbi = { .asid = 1,
							 .addr = 8 << 12,
							 .tg = 1,
							 .num = 2,
							 .scale = 1 } });
	all &= ~GENMASK_ULL(13, 8);
	assert_int_equal(held(tlb, &asid1), all);
	/* One 16 KiB granule: four pages */
	tlbi(tlb, &(struct arm_smmu_cmdq_ent){
			  .opcode = CMDQ_OP_TLBI_NH_VA,
			  .tlbi = { .asid = 1, .addr = 16 << 12, .tg = 2 } });
	all &= ~GENMASK_ULL(19, 16);
	assert_int_equal(held(tlb, &asid1), all);
	/* None of it touched the other tags */
	assert_int_equal(held(tlb, &asid2), ~0ULL);
	assert_int_equal(held(tlb, &vmid3), ~0ULL);

	/* Stage 2 by IPA: VMID 3 only */
	tlbi(tlb, &(struct arm_smmu_cmdq_ent){
			  .opcode = CMDQ_OP_TLBI_S2_IPA,
			  .tlbi = { .vmid = 3, .addr = 2 << 12 } });
	assert_int_equal(held(tlb, &vmid3), ~(1ULL << 2));
	assert_int_equal(held(tlb, &asid1), all);
	/* NH_ASID: all of ASID 2 */
	tlbi(tlb, &(struct arm_smmu_cmdq_ent){ .opcode = CMDQ_OP_TLBI_NH_ASID,
					       .tlbi = { .asid = 2 } });
	assert_int_equal(held(tlb, &asid2), 0);
	assert_int_equal(held(tlb, &asid1), all);
	/* The EL2 forms hold nothing here */
	tlbi(tlb,
	     &(struct arm_smmu_cmdq_ent){ .opcode = CMDQ_OP_TLBI_EL2_ALL });
	assert_int_equal(held(tlb, &asid1), all);
	/* NH_ALL of VMID 0: every stage-1 entry, stage 2 kept */
	tlbi(tlb, &(struct arm_smmu_cmdq_ent){ .opcode = CMDQ_OP_TLBI_NH_ALL });
	assert_int_equal(held(tlb, &asid1), 0);
	assert_int_equal(held(tlb, &vmid3), ~(1ULL << 2));
	/* S12_VMALL of another VMID keeps it; of VMID 3 empties it */
	tlbi(tlb, &(struct arm_smmu_cmdq_ent){ .opcode = CMDQ_OP_TLBI_S12_VMALL,
					       .tlbi = { .vmid = 4 } });
	assert_int_equal(held(tlb, &vmid3), ~(1ULL << 2));
	tlbi(tlb, &(struct arm_smmu_cmdq_ent){ .opcode = CMDQ_OP_TLBI_S12_VMALL,
					       .tlbi = { .vmid = 3 } });
	assert_int_equal(held(tlb, &vmid3), 0);
	/* NSNH_ALL: everything */
	fill_all(tlb);
	tlbi(tlb,
	     &(struct arm_smmu_cmdq_ent){ .opcode = CMDQ_OP_TLBI_NSNH_ALL });
	assert_int_equal(
		held(tlb, &asid1) | held(tlb, &asid2) | held(tlb, &vmid3), 0);
	sim_tlb_destroy(tlb);
}

/*
 * A 4 KiB range's TTL names the level of the leaves it removes: these are
 * level 3; a hint of another level removes none of them (an SMMU may trust
 * it); TTL 0 is no hint; stage 2 alike
 */
static void test_tlbi_ttl(void **state)
{
	static const struct {
		u8 ttl;
		bool removes;
	} hints[] = { { 0, true }, { 1, false }, { 2, false }, { 3, true } };
	struct sim_tlb *tlb;
	unsigned int i;

	(void)state;
	assert_int_equal(sim_tlb_create(PAGES, &tlb), 0);
	for (i = 0; i < ARRAY_SIZE(hints); i++) {
		fill_all(tlb);
		tlbi(tlb,
		     &(struct arm_smmu_cmdq_ent){ .opcode = CMDQ_OP_TLBI_NH_VA,
						  .tlbi = { .asid = 1,
							    .addr = 4 << 12,
							    .tg = 1,
							    .num = 1,
							    .ttl = hints[i].ttl,
							    .leaf = true } });
		assert_int_equal(held(tlb, &asid1),
				 hints[i].removes ? ~GENMASK_ULL(5, 4) : ~0ULL);
		tlbi(tlb,
		     &(struct arm_smmu_cmdq_ent){ .opcode = CMDQ_OP_TLBI_S2_IPA,
						  .tlbi = { .vmid = 3,
							    .addr = 4 << 12,
							    .tg = 1,
							    .ttl = hints[i].ttl,
							    .leaf = true } });
		assert_int_equal(held(tlb, &vmid3),
				 hints[i].removes ? ~(1ULL << 4) : ~0ULL);
	}
	sim_tlb_destroy(tlb);
}

/*
 * @smmus SMMUs, on SMMU d domain d and a master with a device attached to
 * it, with the oracle; w's are the last SMMU's
 */
struct tworld {
	struct sim_world world;
	struct sim_oracle *oracle;
	unsigned int last;
	struct sim_dev *dev;
	struct sim_tlb_tag tag;
};

/* ... with range invalidation (IDR3.RIL) when @range_inv */
static void tworld_init_ril(struct tworld *w, bool refetch, unsigned int smmus,
			    bool range_inv)
{
	const struct sim_world_config cfg = {
		.hw = { .ats = true,
			.msi = true,
			.range_inv = range_inv,
			.cmdq_shift = 8,
			.tlb_pages = PAGES },
		.num_smmus = smmus,
		.num_domains = smmus,
		.num_masters = smmus,
		.devices = true,
		.masters_per_domain = 1,
		.atc_pages = PAGES,
	};

	memset(w, 0, sizeof(*w));
	assert_int_equal(sim_world_create(&w->world, &cfg), 0);
	w->last = smmus - 1;
	w->dev = &w->world.masters[w->last].sdev;
	assert_int_equal(sim_world_oracle(&w->world, PAGES, &w->oracle), 0);
	w->tag.asid = w->world.domains[w->last]->asid;
	if (refetch)
		sim_smmu_set_refetch(w->world.hw[w->last], sim_oracle_refetch,
				     w->oracle);
}

static void tworld_init(struct tworld *w, bool refetch, unsigned int smmus)
{
	tworld_init_ril(w, refetch, smmus, false);
}

static void tworld_fini(struct tworld *w)
{
	sim_smmu_set_refetch(w->world.hw[w->last], NULL, NULL);
	sim_oracle_destroy(w->oracle);
	sim_world_destroy(&w->world);
}

/* Queue the commands of @ents on SMMU @idx, and a CMD_SYNC if @sync */
static void issue_on(struct tworld *w, unsigned int idx,
		     struct arm_smmu_cmdq_ent *ents, unsigned int n, bool sync)
{
	struct arm_smmu_device *smmu = &w->world.smmu[idx];
	u64 cmds[4 * CMDQ_ENT_DWORDS];
	unsigned int i;

	assert_true(n <= 4);
	for (i = 0; i < n; i++)
		assert_int_equal(
			arm_smmu_cmdq_build_cmd(&cmds[i * 2], &ents[i]), 0);
	assert_int_equal(arm_smmu_cmdq_issue_cmdlist(smmu, &smmu->cmdq, cmds, n,
						     sync),
			 0);
	sim_smmu_advance(w->world.hw[idx]);
}

static void issue(struct tworld *w, struct arm_smmu_cmdq_ent *ents,
		  unsigned int n, bool sync)
{
	issue_on(w, w->last, ents, n, sync);
}

static struct arm_smmu_cmdq_ent tlbi_page(struct tworld *w, unsigned int page)
{
	return (struct arm_smmu_cmdq_ent){
		.opcode = CMDQ_OP_TLBI_NH_VA,
		.tlbi = { .asid = w->tag.asid,
			  .addr = (u64)page << 12,
			  .leaf = true },
	};
}

static struct arm_smmu_cmdq_ent atc_page(struct tworld *w, unsigned int page)
{
	struct arm_smmu_cmdq_ent ent;

	arm_smmu_atc_inv_to_cmd(IOMMU_NO_PASID, (u64)page << 12, 1 << 12, &ent);
	ent.atc.sid = w->dev->sid;
	return ent;
}

static void test_tlbi_completes_at_sync(void **state)
{
	struct arm_smmu_cmdq_ent ent;
	struct tworld w;

	(void)state;
	tworld_init(&w, false, 1);
	assert_int_equal(sim_oracle_translate(w.oracle, w.dev, 3), 0);
	assert_true(sim_tlb_peek(sim_smmu_tlb(w.world.hw[0]), &w.tag, 3));
	sim_oracle_unmap(w.oracle, 0, 3, 1);

	/* Consumed, not completed: the TLB still answers */
	ent = tlbi_page(&w, 3);
	issue(&w, &ent, 1, false);
	assert_int_equal(sim_oracle_translate(w.oracle, w.dev, 3), 0);
	/* A CMD_SYNC completes it: the walk finds the page unmapped */
	issue(&w, NULL, 0, true);
	assert_false(sim_tlb_peek(sim_smmu_tlb(w.world.hw[0]), &w.tag, 3));
	assert_int_equal(sim_oracle_translate(w.oracle, w.dev, 3), -ENOENT);

	/* The ATC still holds it: without an ATC_INV, a violation */
	sim_oracle_inv_done(w.oracle, 0, 3, 1);
	assert_int_equal(sim_oracle_check(w.oracle, &w.dev, 1, 0, 3, 1, false),
			 1);
	tworld_fini(&w);
}

/*
 * TLBI, ATC_INV, CMD_SYNC (mutant 03's order): the device refetches from
 * the TLB the ATC_INV left stale; TLBI, CMD_SYNC, ATC_INV, CMD_SYNC (the
 * driver's) leaves nothing
 */
static void refetch_order(bool sync_between, unsigned int expect)
{
	struct arm_smmu_cmdq_ent ents[2];
	struct tworld w;

	tworld_init(&w, true, 1);
	assert_int_equal(sim_oracle_translate(w.oracle, w.dev, 7), 0);
	sim_oracle_unmap(w.oracle, 0, 7, 1);
	ents[0] = tlbi_page(&w, 7);
	ents[1] = atc_page(&w, 7);
	if (sync_between) {
		issue(&w, &ents[0], 1, true);
		issue(&w, &ents[1], 1, true);
	} else {
		issue(&w, ents, 2, true);
	}
	sim_oracle_inv_done(w.oracle, 0, 7, 1);
	assert_int_equal(sim_oracle_check(w.oracle, &w.dev, 1, 0, 7, 1, false),
			 expect);
	tworld_fini(&w);
}

static void test_atc_before_tlbi_completes(void **state)
{
	(void)state;
	refetch_order(false, 1);
	refetch_order(true, 0);
}

/* A TLBI that misses the page (another ASID) leaves the TLB stale */
static void test_stale_tlb_caught(void **state)
{
	struct arm_smmu_cmdq_ent ents[2];
	struct tworld w;

	(void)state;
	tworld_init(&w, true, 1);
	assert_int_equal(sim_oracle_translate(w.oracle, w.dev, 9), 0);
	sim_oracle_unmap(w.oracle, 0, 9, 1);
	ents[0] = tlbi_page(&w, 9);
	ents[0].tlbi.asid++;
	issue(&w, ents, 1, true);
	ents[1] = atc_page(&w, 9);
	issue(&w, &ents[1], 1, true);
	sim_oracle_inv_done(w.oracle, 0, 9, 1);
	/* The TLB, and the ATC refetched from it */
	assert_int_equal(sim_oracle_check(w.oracle, &w.dev, 1, 0, 9, 1, false),
			 2);
	tworld_fini(&w);
}

/*
 * The driver's own range invalidation of a leaf change (TTL: the leaves'
 * level) and of a table change (no hint) leaves nothing in the TLB nor in
 * the ATC that refetched from it
 */
static void test_walker_range_ttl(void **state)
{
	struct tworld w;
	unsigned int p, leaf;

	(void)state;
	for (leaf = 0; leaf < 2; leaf++) {
		tworld_init_ril(&w, true, 1, true);
		for (p = 4; p < 8; p++)
			assert_int_equal(
				sim_oracle_translate(w.oracle, w.dev, p), 0);
		sim_oracle_unmap(w.oracle, 0, 4, 4);
		arm_smmu_domain_inv_range(w.world.domains[0], 4 << 12, 4 << 12,
					  SZ_4K, leaf);
		sim_oracle_inv_done(w.oracle, 0, 4, 4);
		assert_int_equal(sim_oracle_check(w.oracle, &w.dev, 1, 0, 4, 4,
						  false),
				 0);
		tworld_fini(&w);
	}
}

/*
 * Two SMMUs: the translation of SMMU 1's device reads SMMU 1's STE and
 * fills SMMU 1's TLB.  Its domain's TLBI sent to SMMU 0 leaves that TLB
 * stale, which the oracle finds (and the ATC refetched from it); sent to
 * SMMU 1, nothing is left.
 */
static void cross_smmu(unsigned int tlbi_smmu, unsigned int expect)
{
	struct arm_smmu_cmdq_ent ents[2];
	struct tworld w;

	tworld_init(&w, true, 2);
	assert_int_equal(sim_oracle_translate(w.oracle, w.dev, 4), 0);
	assert_true(sim_tlb_peek(sim_smmu_tlb(w.world.hw[1]), &w.tag, 4));
	assert_false(sim_tlb_peek(sim_smmu_tlb(w.world.hw[0]), &w.tag, 4));
	sim_oracle_unmap(w.oracle, 1, 4, 1);
	ents[0] = tlbi_page(&w, 4);
	issue_on(&w, tlbi_smmu, ents, 1, true);
	ents[1] = atc_page(&w, 4);
	issue(&w, &ents[1], 1, true);
	sim_oracle_inv_done(w.oracle, 1, 4, 1);
	assert_int_equal(sim_oracle_check(w.oracle, &w.dev, 1, 1, 4, 1, false),
			 expect);
	tworld_fini(&w);
}

static void test_tlbi_to_other_smmu_caught(void **state)
{
	(void)state;
	cross_smmu(0, 2);
	cross_smmu(1, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tlbi_forms),
		cmocka_unit_test(test_tlbi_ttl),
		cmocka_unit_test(test_walker_range_ttl),
		cmocka_unit_test(test_tlbi_completes_at_sync),
		cmocka_unit_test(test_atc_before_tlbi_completes),
		cmocka_unit_test(test_stale_tlb_caught),
		cmocka_unit_test(test_tlbi_to_other_smmu_caught),
	};

	return cmocka_run_group_tests(tests, test_rcu_setup, test_rcu_teardown);
}
