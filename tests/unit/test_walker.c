// SPDX-License-Identifier: GPL-2.0
/*
 * The domain invalidation walker and the attach path: the command stream
 * the simulated SMMUs execute, for every batch-ending rule, the S1_CLEAR
 * skip, the full-invalidation fall-back, trash skipping, 64-command batches
 * and the ATC_INV range encoding.
 */
#include <stdio.h>
#include <string.h>
#include <linux/err.h>
#include <linux/slab.h>

#include "unit/khooks_test.h"

struct ent {
	u8 type;
	u32 id;
	u32 ssid;
	unsigned int smmu;
	int users;
};

static const struct {
	u8 size_opcode, nsize_opcode;
} opcodes[] = {
	[INV_TYPE_S1_ASID] = { CMDQ_OP_TLBI_NH_VA, CMDQ_OP_TLBI_NH_ASID },
	[INV_TYPE_S2_VMID] = { CMDQ_OP_TLBI_S2_IPA, CMDQ_OP_TLBI_S12_VMALL },
	[INV_TYPE_S2_VMID_S1_CLEAR] = { CMDQ_OP_TLBI_NH_ALL,
					CMDQ_OP_TLBI_NH_ALL },
	[INV_TYPE_ATS] = { CMDQ_OP_ATC_INV, CMDQ_OP_ATC_INV },
	[INV_TYPE_ATS_FULL] = { CMDQ_OP_ATC_INV, CMDQ_OP_ATC_INV },
};

/* A domain whose array holds exactly @ents (users 0 = trash) */
static struct arm_smmu_domain domain_of(struct test_world *w,
					const struct ent *ents, size_t n)
{
	struct arm_smmu_invs *invs = arm_smmu_invs_alloc(n);
	size_t i;

	assert_non_null(invs);
	for (i = 0; i < n; i++) {
		struct arm_smmu_inv *inv = &invs->inv[i];

		inv->smmu = &w->world.smmu[ents[i].smmu];
		inv->type = ents[i].type;
		inv->id = ents[i].id;
		inv->ssid = ents[i].ssid;
		inv->pgsize = SZ_4K;
		inv->size_opcode = opcodes[ents[i].type].size_opcode;
		inv->nsize_opcode = opcodes[ents[i].type].nsize_opcode;
		inv->users = ents[i].users;
		invs->num_trashes += !inv->users;
		if (inv->users && arm_smmu_inv_is_ats(inv))
			invs->has_ats = true;
	}
	return (struct arm_smmu_domain){ .invs = invs };
}

static void walk_expect(const struct ent *ents, size_t n, unsigned long iova,
			size_t size, unsigned int granule, bool range_inv,
			const char *expect)
{
	struct test_world w;
	struct arm_smmu_domain d;

	test_world_init(&w, 2, 16, range_inv);
	d = domain_of(&w, ents, n);
	arm_smmu_domain_inv_range(&d, iova, size, granule, true);
	assert_string_equal(test_world_log(&w), expect);
	kfree(d.invs);
	test_world_fini(&w);
}

#define WALK(ents, iova, size, granule, ril, expect) \
	walk_expect(ents, ARRAY_SIZE(ents), iova, size, granule, ril, expect)

#define SYNC(smmu) smmu " CMD_SYNC cs=sev\n"

/* Rule: ATS entries start a new batch after the TLBIs' sync */
static void test_batch_ats_after_tlbi(void **state)
{
	static const struct ent e[] = {
		{ INV_TYPE_S1_ASID, 1, 0, 0, 1 },
		{ INV_TYPE_ATS, 3, 0, 0, 1 },
		{ INV_TYPE_ATS, 5, 7, 0, 1 },
	};

	WALK(e, 0x8000, 0x1000, 0x1000, false,
	     "0 CMD_TLBI_NH_VA asid=1 vmid=0 addr=0x8000 num=0 scale=0 leaf=1 ttl=0 tg=0\n" SYNC(
		     "0") "0 CMD_ATC_INV sid=3 ssid=0 ssv=0 addr=0x8000 size=0\n"
			  "0 CMD_ATC_INV sid=5 ssid=7 ssv=1 addr=0x8000 size=0\n" SYNC(
				  "0"));
}

/* Rule: the first S2_VMID_S1_CLEAR starts a batch; ATS_FULL has no PASID */
static void test_batch_s1_clear(void **state)
{
	static const struct ent e[] = {
		{ INV_TYPE_S2_VMID, 2, 0, 0, 1 },
		{ INV_TYPE_S2_VMID_S1_CLEAR, 2, 0, 0, 1 },
		{ INV_TYPE_ATS_FULL, 4, 0, 0, 1 },
	};

	WALK(e, 0x10000, 0x2000, 0x1000, false,
	     "0 CMD_TLBI_S2_IPA vmid=2 addr=0x10000 num=0 scale=0 leaf=1 ttl=0 tg=0\n"
	     "0 CMD_TLBI_S2_IPA vmid=2 addr=0x11000 num=0 scale=0 leaf=1 ttl=0 tg=0\n" SYNC("0") "0 CMD_TLBI_NH_ALL vmid=2\n" SYNC(
		     "0") "0 CMD_ATC_INV sid=4 ssid=0 ssv=0 addr=0x0 size=52\n" SYNC("0"));
}

/* Rule: a change of SMMU ends the batch (a different command queue) */
static void test_batch_smmu_change(void **state)
{
	static const struct ent e[] = {
		{ INV_TYPE_S1_ASID, 1, 0, 0, 1 },
		{ INV_TYPE_ATS, 3, 0, 0, 1 },
		{ INV_TYPE_S1_ASID, 1, 0, 1, 1 },
		{ INV_TYPE_S1_ASID, 2, 0, 1, 1 },
		{ INV_TYPE_ATS, 3, 0, 1, 1 },
	};

	WALK(e, 0, 0, 0, false,
	     "0 CMD_TLBI_NH_ASID asid=1 vmid=0\n" SYNC("0") "0 CMD_ATC_INV sid=3 ssid=0 ssv=0 addr=0x0 size=52\n" SYNC(
		     "0") "1 CMD_TLBI_NH_ASID asid=1 vmid=0\n"
			  "1 CMD_TLBI_NH_ASID asid=2 vmid=0\n" SYNC(
				  "1") "1 CMD_ATC_INV sid=3 ssid=0 ssv=0 addr=0x0 size=52\n" SYNC("1"));
}

/* A range too big for 512 TLBIs: one S12_VMALL, and the S1_CLEAR skipped */
static void test_full_fallback_and_s1_clear_skip(void **state)
{
	static const struct ent e[] = {
		{ INV_TYPE_S2_VMID, 2, 0, 0, 1 },
		{ INV_TYPE_S2_VMID_S1_CLEAR, 2, 0, 0, 1 },
		{ INV_TYPE_ATS, 4, 0, 0, 1 },
	};

	WALK(e, 0x200000, SZ_2M, SZ_4K, false,
	     "0 CMD_TLBI_S12_VMALL vmid=2\n" SYNC(
		     "0") "0 CMD_ATC_INV sid=4 ssid=0 ssv=0 addr=0x200000 size=9\n" SYNC("0"));
	/* size 0 is "everything": the same fall-back, ATC size 52 */
	WALK(e, 0, 0, 0, false,
	     "0 CMD_TLBI_S12_VMALL vmid=2\n" SYNC(
		     "0") "0 CMD_ATC_INV sid=4 ssid=0 ssv=0 addr=0x0 size=52\n" SYNC("0"));
}

/* A skipped S1_CLEAR alone makes no batch and no bare CMD_SYNC */
static void test_empty_batch_not_submitted(void **state)
{
	static const struct ent e[] = {
		{ INV_TYPE_S2_VMID_S1_CLEAR, 2, 0, 0, 1 },
	};

	WALK(e, 0, 0, 0, false, "");
}

/* Trash entries, leading, middle and trailing, are skipped */
static void test_trash_skipped(void **state)
{
	static const struct ent e[] = {
		{ INV_TYPE_S1_ASID, 1, 0, 0, 0 },
		{ INV_TYPE_S1_ASID, 2, 0, 0, 1 },
		{ INV_TYPE_ATS, 3, 0, 0, 0 },
		{ INV_TYPE_ATS, 4, 0, 0, 1 },
		{ INV_TYPE_ATS, 5, 0, 0, 0 },
	};

	WALK(e, 0x3000, 0x1000, 0x1000, false,
	     "0 CMD_TLBI_NH_VA asid=2 vmid=0 addr=0x3000 num=0 scale=0 leaf=1 ttl=0 tg=0\n" SYNC(
		     "0") "0 CMD_ATC_INV sid=4 ssid=0 ssv=0 addr=0x3000 size=0\n" SYNC("0"));
}

/* With range invalidation, one command covers NUM+1 blocks of 2^SCALE */
static void test_range_inv(void **state)
{
	static const struct ent e[] = {
		{ INV_TYPE_S1_ASID, 1, 0, 0, 1 },
	};

	/* 35 pages = 32 + 3: scale 0 num 3-1, then scale 5 num 1-1 */
	WALK(e, 0x100000, 35 * SZ_4K, SZ_4K, true,
	     "0 CMD_TLBI_NH_VA asid=1 vmid=0 addr=0x100000 num=2 scale=0 leaf=1 ttl=3 tg=1\n"
	     "0 CMD_TLBI_NH_VA asid=1 vmid=0 addr=0x103000 num=0 scale=5 leaf=1 ttl=3 tg=1\n" SYNC(
		     "0"));
	/* No "too big" with range invalidation: 2 MiB is one command */
	WALK(e, 0x200000, SZ_2M, SZ_4K, true,
	     "0 CMD_TLBI_NH_VA asid=1 vmid=0 addr=0x200000 num=0 scale=9 leaf=1 ttl=3 tg=1\n" SYNC(
		     "0"));
}

/* 511 TLBIs: batches of 64 go without a sync, one sync at the end */
static void test_batches_of_64(void **state)
{
	static const struct ent e[] = {
		{ INV_TYPE_S1_ASID, 1, 0, 0, 1 },
	};
	struct test_world w;
	struct arm_smmu_domain d;

	test_world_init(&w, 1, 16, false);
	d = domain_of(&w, e, 1);
	arm_smmu_domain_inv_range(&d, 0, SZ_2M - SZ_4K, SZ_4K, true);
	assert_int_equal(test_world_count(&w, "CMD_TLBI_NH_VA"), 511);
	assert_int_equal(test_world_count(&w, "CMD_SYNC"), 1);
	assert_non_null(strstr(
		test_world_log(&w),
		"addr=0x1fe000 num=0 scale=0 leaf=1 ttl=0 tg=0\n" SYNC("0")));
	kfree(d.invs);
	test_world_fini(&w);
}

/* kernel-semantics.md §3.5: [8;11] -> span 4 at 8, [7;10] -> [0;15] */
static void test_atc_range_encoding(void **state)
{
	struct arm_smmu_cmdq_ent cmd;

	arm_smmu_atc_inv_to_cmd(IOMMU_NO_PASID, 8 * SZ_4K, 4 * SZ_4K, &cmd);
	assert_int_equal(cmd.atc.addr, 8 * SZ_4K);
	assert_int_equal(cmd.atc.size, 2);
	assert_false(cmd.substream_valid);

	arm_smmu_atc_inv_to_cmd(5, 7 * SZ_4K, 4 * SZ_4K, &cmd);
	assert_int_equal(cmd.atc.addr, 0);
	assert_int_equal(cmd.atc.size, 4);
	assert_true(cmd.substream_valid);
	assert_int_equal(cmd.atc.ssid, 5);

	arm_smmu_atc_inv_to_cmd(IOMMU_NO_PASID, 0x1234, 0, &cmd);
	assert_int_equal(cmd.atc.size, ATC_INV_SIZE_ALL);
}

static struct arm_smmu_invs *invs_of(struct arm_smmu_domain *d)
{
	return rcu_dereference_protected(d->invs, true);
}

/*
 * The attach publishes the new domain's array before it switches the STE:
 * when the SMMU executes the CFGI_STE of the switch, the array already
 * holds the master's ATS entry, so an unmap that follows the switch cannot
 * miss the device (the install-invs-after-ste bug: the entry comes after)
 */
struct ste_order {
	struct arm_smmu_domain *to;
	u32 sid;
	unsigned int cfgis, with_entry;
};

static void ste_order_trace(void *arg, const u64 *cmd)
{
	struct ste_order *o = arg;
	const struct arm_smmu_invs *invs;
	size_t i;

	if (FIELD_GET(CMDQ_0_OP, cmd[0]) != CMDQ_OP_CFGI_STE ||
	    FIELD_GET(CMDQ_CFGI_0_SID, cmd[0]) != o->sid)
		return;
	o->cfgis++;
	invs = rcu_dereference_protected(o->to->invs, true);
	for (i = 0; i < invs->num_invs; i++)
		if (invs->inv[i].type == INV_TYPE_ATS &&
		    invs->inv[i].id == o->sid && invs->inv[i].users)
			o->with_entry++;
}

static void test_array_published_before_ste(void **state)
{
	struct test_world w;
	struct arm_smmu_master *master;
	struct arm_smmu_domain *d1, *d2;
	struct ste_order o = { .sid = 3 };

	test_world_init(&w, 1, 16, false);
	master = arm_smmu_probe_master(&w.world.smmu[0], &o.sid, 1, true);
	d1 = arm_smmu_domain_alloc(&w.world.smmu[0], ARM_SMMU_DOMAIN_S1, 1,
				   false);
	d2 = arm_smmu_domain_alloc(&w.world.smmu[0], ARM_SMMU_DOMAIN_S1, 2,
				   false);
	assert_false(IS_ERR(master) || IS_ERR(d1) || IS_ERR(d2));
	assert_int_equal(arm_smmu_attach_dev(master, d1, IOMMU_NO_PASID), 0);

	o.to = d2;
	sim_smmu_set_trace(w.world.hw[0], ste_order_trace, &o);
	assert_int_equal(arm_smmu_attach_dev(master, d2, IOMMU_NO_PASID), 0);
	sim_smmu_set_trace(w.world.hw[0], NULL, NULL);
	assert_true(o.cfgis > 0);
	assert_int_equal(o.with_entry, o.cfgis);

	arm_smmu_release_master(master);
	rcu_barrier();
	arm_smmu_domain_free(d1);
	arm_smmu_domain_free(d2);
	test_world_fini(&w);
}

/* The attach sequence end to end: arrays, STE, and the flush of a tag */
static void test_attach_sequence(void **state)
{
	struct test_world w;
	struct arm_smmu_master *master;
	struct arm_smmu_domain *d1, *d2;
	const u32 sids[] = { 5, 2 };

	test_world_init(&w, 1, 16, false);
	master = arm_smmu_probe_master(&w.world.smmu[0], sids, 2, true);
	assert_false(IS_ERR(master));
	assert_int_equal(master->streams[0].id, 2); /* sorted at probe */
	d1 = arm_smmu_domain_alloc(&w.world.smmu[0], ARM_SMMU_DOMAIN_S1, 7,
				   false);
	d2 = arm_smmu_domain_alloc(&w.world.smmu[0], ARM_SMMU_DOMAIN_S2, 9,
				   true);
	assert_false(IS_ERR(d1));
	assert_false(IS_ERR(d2));

	assert_int_equal(arm_smmu_attach_dev(master, d1, IOMMU_NO_PASID), 0);
	assert_int_equal(invs_of(d1)->num_invs, 3);
	assert_true(invs_of(d1)->has_ats);
	assert_int_equal(invs_of(d1)->inv[0].type, INV_TYPE_S1_ASID);
	assert_int_equal(invs_of(d1)->inv[2].id, 5);
	assert_true(master->ats_enabled);
	assert_int_equal(FIELD_GET(STRTAB_STE_1_EATS,
				   w.world.smmu[0].strtab[5].data[1]),
			 STRTAB_STE_1_EATS_TRANS);

	/* Move to the nesting parent: d1 loses its last user, ASID flushed */
	test_world_clear(&w);
	assert_int_equal(arm_smmu_attach_dev(master, d2, IOMMU_NO_PASID), 0);
	assert_int_equal(invs_of(d1)->num_invs, 0);
	assert_int_equal(invs_of(d2)->num_invs, 4);
	assert_int_equal(invs_of(d2)->inv[1].type, INV_TYPE_S2_VMID_S1_CLEAR);
	assert_int_equal(invs_of(d2)->inv[3].type, INV_TYPE_ATS_FULL);
	assert_non_null(strstr(test_world_log(&w),
			       "0 CMD_TLBI_NH_ASID asid=7 vmid=0\n" SYNC("0")));

	/* Re-attach the same domain: users unchanged */
	assert_int_equal(arm_smmu_attach_dev(master, d2, IOMMU_NO_PASID), 0);
	assert_int_equal(invs_of(d2)->num_invs, 4);
	assert_int_equal(invs_of(d2)->inv[0].users, 1);

	/* A failed merge leaves everything as it was */
	khooks_slab_fail_nth(1);
	assert_int_equal(arm_smmu_attach_dev(master, d1, IOMMU_NO_PASID),
			 -ENOMEM);
	assert_ptr_equal(master->domain, d2);
	assert_int_equal(invs_of(d1)->num_invs, 0);

	/* Blocked: the VMID is flushed, ATS off, the STE aborts */
	test_world_clear(&w);
	arm_smmu_attach_dev_blocked(master);
	assert_int_equal(invs_of(d2)->num_invs, 0);
	assert_false(master->ats_enabled);
	assert_non_null(strstr(test_world_log(&w),
			       "0 CMD_TLBI_S12_VMALL vmid=9\n" SYNC("0")));
	assert_int_equal(FIELD_GET(STRTAB_STE_0_CFG,
				   w.world.smmu[0].strtab[2].data[0]),
			 STRTAB_STE_0_CFG_ABORT);

	arm_smmu_release_master(master);
	rcu_barrier();
	arm_smmu_domain_free(d1);
	arm_smmu_domain_free(d2);
	test_world_fini(&w);
	assert_int_equal(khooks_warn_count(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch_ats_after_tlbi),
		cmocka_unit_test(test_array_published_before_ste),
		cmocka_unit_test(test_batch_s1_clear),
		cmocka_unit_test(test_batch_smmu_change),
		cmocka_unit_test(test_full_fallback_and_s1_clear_skip),
		cmocka_unit_test(test_empty_batch_not_submitted),
		cmocka_unit_test(test_trash_skipped),
		cmocka_unit_test(test_range_inv),
		cmocka_unit_test(test_batches_of_64),
		cmocka_unit_test(test_atc_range_encoding),
		cmocka_unit_test(test_attach_sequence),
	};

	return cmocka_run_group_tests(tests, test_rcu_setup, test_rcu_teardown);
}
