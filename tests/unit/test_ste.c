// SPDX-License-Identifier: GPL-2.0
/*
 * The driver's STE updates against the simulated SMMU's STE cache
 * (sim/stec.h): a master with ATS and one without move between blocked,
 * two stage-1 domains and a stage-2 one, through every pair.
 * After each move the SMMU could have fetched no torn STE (nor one that is
 * none of these configurations: the test's judge), what it holds
 * (cached, or fetched now) is what the driver wrote, and the move took the
 * steps of the update protocol (arm_smmu_write_entry()): one CFGI_STE for
 * a hitless switch of one qword, two when unused bits change first or
 * last, three for a break through V = 0; an ATS master's ATC is flushed
 * when it leaves a domain, blocked included.  No randomness (the SMMU's own
 * fetches follow its fixed seed).
 */
#include <stdio.h>
#include <linux/bitfield.h>
#include <linux/err.h>

#include "khooks_test.h"

enum cfg_kind { BLOCKED, S1_A, S1_B, S2_C, NR_CFG };

static const char *const cfg_name[NR_CFG] = { "blocked", "S1 A", "S1 B",
					      "S2 C" };

struct ste_world {
	struct test_world w;
	struct arm_smmu_domain *dom[3]; /* A, B, C */
	struct arm_smmu_master *master[2]; /* with ATS (SID 1), without (2) */
};

/*
 * The test's judge of every STE the SMMU could fetch: V = 0, abort (which
 * reads no other word), or one of the domains' STEs the test moves
 * between, word for word (EATS either way)
 */
static bool ste_judge(void *arg, u32 sid, const u64 *ste)
{
	struct arm_smmu_ste want[NR_CFG];
	unsigned int k, i;

	if (!(ste[0] & STRTAB_STE_0_V) ||
	    FIELD_GET(STRTAB_STE_0_CFG, ste[0]) == STRTAB_STE_0_CFG_ABORT)
		return true;
	arm_smmu_make_ste(&want[S1_A], ARM_SMMU_DOMAIN_S1, 1, false);
	arm_smmu_make_ste(&want[S1_B], ARM_SMMU_DOMAIN_S1, 2, false);
	arm_smmu_make_ste(&want[S2_C], ARM_SMMU_DOMAIN_S2, 3, false);
	for (k = S1_A; k < NR_CFG; k++) {
		for (i = 0; i < STRTAB_STE_DWORDS; i++)
			if ((ste[i] ^ le64_to_cpu(want[k].data[i])) &
			    ~(i == 1 ? STRTAB_STE_1_EATS : 0))
				break;
		if (i == STRTAB_STE_DWORDS)
			return true;
	}
	return false;
}

static void ste_world_init(struct ste_world *s)
{
	unsigned int i;

	test_world_init(&s->w, 1, 4, false);
	sim_smmu_set_ste_judge(s->w.world.hw[0], ste_judge, NULL);
	s->dom[0] = arm_smmu_domain_alloc(&s->w.world.smmu[0],
					  ARM_SMMU_DOMAIN_S1, 1, false);
	s->dom[1] = arm_smmu_domain_alloc(&s->w.world.smmu[0],
					  ARM_SMMU_DOMAIN_S1, 2, false);
	s->dom[2] = arm_smmu_domain_alloc(&s->w.world.smmu[0],
					  ARM_SMMU_DOMAIN_S2, 3, false);
	for (i = 0; i < 3; i++)
		assert_false(IS_ERR(s->dom[i]));
	for (i = 0; i < 2; i++) {
		u32 sid = i + 1;

		s->master[i] = arm_smmu_probe_master(&s->w.world.smmu[0], &sid,
						     1, i == 0);
		assert_false(IS_ERR(s->master[i]));
	}
}

static void ste_world_fini(struct ste_world *s)
{
	unsigned int i;

	for (i = 0; i < 2; i++)
		arm_smmu_release_master(s->master[i]);
	rcu_barrier();
	for (i = 0; i < ARRAY_SIZE(s->dom); i++)
		arm_smmu_domain_free(s->dom[i]);
	test_world_fini(&s->w);
}

static void ste_move(struct ste_world *s, struct arm_smmu_master *m,
		     enum cfg_kind k)
{
	if (k == BLOCKED)
		arm_smmu_attach_dev_blocked(m);
	else
		assert_int_equal(arm_smmu_attach_dev(m, s->dom[k - S1_A],
						     IOMMU_NO_PASID),
				 0);
}

/* The STE of @sid as the SMMU has it equals the stream table's */
static void assert_smmu_sees_table(struct ste_world *s, u32 sid)
{
	u64 seen[STRTAB_STE_DWORDS];
	unsigned int i;

	sim_smmu_ste(s->w.world.hw[0], sid, seen);
	for (i = 0; i < STRTAB_STE_DWORDS; i++)
		assert_int_equal(
			seen[i],
			le64_to_cpu(READ_ONCE(
				s->w.world.smmu[0].strtab[sid].data[i])));
}

/* How many CFGI_STEs the move from @from to @to takes */
static unsigned int cfgis(enum cfg_kind from, enum cfg_kind to)
{
	bool s1f = from == S1_A || from == S1_B, s1t = to == S1_A || to == S1_B;

	if (from == to)
		return 0;
	/* Another stage-1 context, the same attributes: qword 0 only */
	if (s1f && s1t)
		return 1;
	/*
	 * From blocked: the words it ignores, then qword 0; to blocked:
	 * qword 0, then the words it no longer uses
	 */
	if (from == BLOCKED || to == BLOCKED)
		return 2;
	/* Between the stages: CFG, the CD attributes and the VMID: V = 0 */
	return 3;
}

static void test_ste_moves(void **state)
{
	struct ste_world s;
	struct sim_smmu_stats st;
	unsigned int m, from, to;

	ste_world_init(&s);
	for (m = 0; m < 2; m++) {
		struct arm_smmu_master *master = s.master[m];
		u32 sid = master->streams[0].id;

		for (from = 0; from < NR_CFG; from++) {
			for (to = 0; to < NR_CFG; to++) {
				ste_move(&s, master, from);
				/* The SMMU holds the STE before the move */
				assert_smmu_sees_table(&s, sid);
				test_world_clear(&s.w);
				ste_move(&s, master, to);
				printf("SID %u%s: %-7s -> %-7s: %u CFGI_STE\n",
				       sid, m ? "" : " (ATS)", cfg_name[from],
				       cfg_name[to],
				       test_world_count(&s.w, "CMD_CFGI_STE"));
				assert_int_equal(
					test_world_count(&s.w, "CMD_CFGI_STE"),
					cfgis(from, to));
				/*
				 * An ATS master leaving a domain (for another,
				 * the same again, or blocked, ATS off) has its
				 * whole ATC invalidated; one arriving from
				 * blocked has nothing to drop
				 */
				assert_int_equal(
					test_world_count(&s.w, "CMD_ATC_INV"),
					m == 0 && from != BLOCKED);
				assert_smmu_sees_table(&s, sid);
				assert_false(sim_smmu_torn_ste(s.w.world.hw[0],
							       NULL));
			}
		}
	}
	sim_smmu_stats(s.w.world.hw[0], &st);
	printf("%llu STEs fetched\n", st.ste_fetches);
	assert_int_equal(st.torn_stes, 0);
	ste_world_fini(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ste_moves),
	};

	return cmocka_run_group_tests(tests, test_rcu_setup, test_rcu_teardown);
}
