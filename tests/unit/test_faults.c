// SPDX-License-Identifier: GPL-2.0
/*
 * Fault plans: the text format, its errors, determinism for a seed, and a
 * plan driving the simulated devices through the SMMU.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sim/clock.h>
#include <sim/fault.h>

#include "unit/khooks_test.h"

static void expect_error(const char *text, const char *want)
{
	struct sim_fault_plan *plan = NULL;
	char err[256] = "";

	assert_int_equal(sim_fault_parse(text, 1, &plan, err, sizeof(err)),
			 -EINVAL);
	assert_null(plan);
	assert_string_equal(err, want);
}

static void test_plan_errors(void **state)
{
	expect_error("frob 1",
		     "line 1: unknown statement 'frob' (seed drop illegal at)");
	expect_error("# ok\ndrop 3",
		     "line 2: expected: drop SID PROB [from T1 to T2]");
	expect_error("drop x 0.5", "line 1: bad SID 'x'");
	expect_error("drop 3 1.5", "line 1: bad probability '1.5' (0 to 1)");
	expect_error(
		"drop 3 0.5 from 5 to 10ms",
		"line 1: bad time (e.g. 5ms; units ns us ms s; at most one day)");
	expect_error("drop 3 0.5 from 10ms to 5ms",
		     "line 1: empty window: 10ms is not before 5ms");
	expect_error("drop 3 0.5 between 1ms and 2ms",
		     "line 1: expected: from T1 to T2");
	expect_error(
		"at 5ms 3 asleep",
		"line 1: unknown state 'asleep' (responsive unresponsive slow resetting surprise-reset)");
	expect_error(
		"at 5ms 3 slow",
		"line 1: slow needs a delay (e.g. slow 2ms, at most 1 hour)");
	expect_error("at 5ms 3 unresponsive for", "line 1: unexpected 'for'");
	expect_error("at 5ms 3 unresponsive for 0ms",
		     "line 1: expected: for DURATION (e.g. for 20ms)");
	expect_error(
		"at 2d 3 resetting",
		"line 1: bad time '2d' (e.g. 5ms; units ns us ms s; at most one day)");
	expect_error(
		"at 90000s 3 resetting",
		"line 1: bad time '90000s' (e.g. 5ms; units ns us ms s; at most one day)");
	expect_error("seed", "line 1: expected: seed N");
	expect_error("illegal",
		     "line 1: expected: illegal PROB [from T1 to T2]");
	expect_error("illegal 3 0.5",
		     "line 1: expected: illegal PROB [from T1 to T2]");
	expect_error("illegal 2", "line 1: bad probability '2' (0 to 1)");
}

/* The same seed draws the same drops; another seed others */
static void test_plan_deterministic(void **state)
{
	const char *text = "drop 3 0.5\ndrop 4 0.25 from 1ms to 2ms\n";
	struct sim_fault_plan *a, *b, *c;
	char err[128];
	unsigned int i, same_ab = 0, same_ac = 0, drops = 0, in_window = 0;

	assert_int_equal(sim_fault_parse(text, 42, &a, err, sizeof(err)), 0);
	assert_int_equal(sim_fault_parse(text, 42, &b, err, sizeof(err)), 0);
	assert_int_equal(sim_fault_parse(text, 43, &c, err, sizeof(err)), 0);
	sim_fault_start(a, 0);
	sim_fault_start(b, 0);
	sim_fault_start(c, 0);
	for (i = 0; i < 1000; i++) {
		bool da = sim_fault_drop(a, 3, i);
		bool db = sim_fault_drop(b, 3, i);
		bool dc = sim_fault_drop(c, 3, i);

		same_ab += da == db;
		same_ac += da == dc;
		drops += da;
		/* SID 4 drops only within its window */
		if (sim_fault_drop(a, 4, (u64)i * 3000))
			in_window += i * 3000 >= 1000000 && i * 3000 < 2000000;
		assert_false(sim_fault_drop(a, 5, i));
	}
	assert_int_equal(same_ab, 1000);
	assert_true(same_ac < 1000);
	assert_true(drops > 400 && drops < 600);
	assert_true(in_window > 40 && in_window < 130);
	/* Rewinding replays the same draws */
	sim_fault_start(b, 0);
	sim_fault_start(a, 0);
	for (i = 0; i < 100; i++)
		assert_int_equal(sim_fault_drop(a, 3, i),
				 sim_fault_drop(b, 3, i));
	sim_fault_free(a);
	sim_fault_free(b);
	sim_fault_free(c);
}

struct applied {
	u32 sid[8];
	enum sim_dev_state state[8];
	unsigned int n;
};

static void record_apply(void *arg, u32 sid, enum sim_dev_state state,
			 u64 delay_ns)
{
	struct applied *ap = arg;

	assert_true(ap->n < 8);
	ap->sid[ap->n] = sid;
	ap->state[ap->n++] = state;
}

/* "at 5ms device 3 stops answering for 20 ms" */
static void test_plan_script(void **state)
{
	const char *text = "seed 9\n"
			   "at 5ms 3 unresponsive for 20ms\n"
			   "at 1ms 2 slow 2ms   # a comment\n"
			   "at 30ms 2 surprise-reset\n";
	struct sim_fault_plan *plan;
	struct applied ap = { 0 };
	char err[128];

	assert_int_equal(sim_fault_parse(text, 1, &plan, err, sizeof(err)), 0);
	assert_int_equal(sim_fault_seed(plan), 9);
	sim_fault_start(plan, 1000);
	sim_fault_tick(plan, 1000 + 4999999, record_apply, &ap);
	assert_int_equal(ap.n, 1);
	assert_int_equal(ap.sid[0], 2);
	assert_int_equal(ap.state[0], SIM_DEV_SLOW);
	sim_fault_tick(plan, 1000 + 5000000, record_apply, &ap);
	assert_int_equal(ap.n, 2);
	assert_int_equal(ap.state[1], SIM_DEV_UNRESPONSIVE);
	sim_fault_tick(plan, 1000 + 40000000, record_apply, &ap);
	assert_int_equal(ap.n, 4);
	assert_int_equal(ap.sid[2], 3);
	assert_int_equal(ap.state[2], SIM_DEV_RESPONSIVE);
	assert_int_equal(ap.state[3], SIM_DEV_SURPRISE_RESET);
	sim_fault_free(plan);
}

/* A plan drives the devices behind an SMMU, in virtual time */
static void test_plan_through_smmu(void **state)
{
	const struct sim_smmu_config cfg = {
		.ats = true,
		.cmdq_shift = SIM_SMMU_CMDQ_SHIFT_MIN,
		.atc_timeout_ns = 100 * 1000,
	};
	const char *text = "at 1ms 1 resetting for 1ms\n";
	struct arm_smmu_device smmu = { 0 };
	struct sim_fault_plan *plan;
	struct sim_smmu *hw;
	struct sim_dev dev;
	struct arm_smmu_cmdq_ent ent;
	u64 cmd[CMDQ_ENT_DWORDS];
	char err[128];

	assert_int_equal(sim_clock_init(SIM_CLOCK_VIRTUAL), 0);
	assert_int_equal(sim_fault_parse(text, 1, &plan, err, sizeof(err)), 0);
	assert_int_equal(sim_smmu_probe(&cfg, 2, &smmu, &hw), 0);
	sim_dev_init(&dev, 1, 0);
	assert_int_equal(sim_smmu_add_dev(hw, &dev), 0);
	sim_fault_start(plan, sim_clock_now_ns());
	sim_smmu_set_fault_plan(hw, plan);

	arm_smmu_atc_inv_to_cmd(IOMMU_NO_PASID, 0, 0, &ent);
	ent.atc.sid = 1;
	assert_int_equal(arm_smmu_cmdq_build_cmd(cmd, &ent), 0);
	assert_int_equal(arm_smmu_cmdq_issue_cmdlist(&smmu, &smmu.cmdq, cmd, 1,
						     true),
			 0);
	sim_clock_advance_to(sim_clock_now_ns() + 1000 * 1000);
	assert_int_equal(arm_smmu_cmdq_issue_cmdlist(&smmu, &smmu.cmdq, cmd, 1,
						     true),
			 -EIO);
	assert_int_equal(sim_dev_state(&dev), SIM_DEV_RESETTING);
	sim_clock_advance_to(sim_clock_now_ns() + 1000 * 1000);
	assert_int_equal(arm_smmu_cmdq_issue_cmdlist(&smmu, &smmu.cmdq, cmd, 1,
						     true),
			 0);
	assert_int_equal(dev.atc_invs, 3);
	assert_int_equal(dev.atc_invs_dropped, 1);

	sim_smmu_remove(&smmu, hw);
	sim_fault_free(plan);
	assert_int_equal(sim_clock_init(SIM_CLOCK_MONOTONIC), 0);
}

/* ATC_INV of page 1 of SID 1 and a CMD_SYNC; the result */
static int atc_inv_page1(struct arm_smmu_device *smmu)
{
	struct arm_smmu_cmdq_ent ent;
	u64 cmd[CMDQ_ENT_DWORDS];

	arm_smmu_atc_inv_to_cmd(IOMMU_NO_PASID, 0x1000, 0x1000, &ent);
	ent.atc.sid = 1;
	assert_int_equal(arm_smmu_cmdq_build_cmd(cmd, &ent), 0);
	return arm_smmu_cmdq_issue_cmdlist(smmu, &smmu->cmdq, cmd, 1, true);
}

/*
 * A command read corrupted (a plan's "illegal", sim_smmu_inject_illegal()):
 * the driver's handler writes a CMD_SYNC over it and the caller's own sync
 * completes.  The ATC_INV is lost (it never reached the device), and its
 * effect is the model's excuse (the page left the device's ATC).
 */
static void test_illegal_through_smmu(void **state)
{
	const struct sim_smmu_config cfg = {
		.ats = true,
		.cmdq_shift = SIM_SMMU_CMDQ_SHIFT_MIN,
		.atc_timeout_ns = 100 * 1000,
	};
	struct arm_smmu_device smmu = { 0 };
	struct sim_smmu_stats st;
	struct sim_fault_plan *plan;
	struct sim_smmu *hw;
	struct sim_dev dev;
	char err[128];

	assert_int_equal(sim_clock_init(SIM_CLOCK_VIRTUAL), 0);
	assert_int_equal(sim_fault_parse("illegal 1 from 1ms to 2ms\n", 1,
					 &plan, err, sizeof(err)),
			 0);
	assert_false(sim_fault_drop(plan, 1, 1500 * 1000));
	assert_int_equal(sim_fault_sids(plan, (u32[4]){ 0 }, 4), 0);
	assert_int_equal(sim_smmu_probe(&cfg, 2, &smmu, &hw), 0);
	sim_dev_init(&dev, 1, 0);
	assert_int_equal(sim_dev_atc_alloc(&dev, 4), 0);
	assert_int_equal(sim_smmu_add_dev(hw, &dev), 0);
	sim_fault_start(plan, sim_clock_now_ns());
	sim_smmu_set_fault_plan(hw, plan);

	/* Before the window: executed */
	assert_int_equal(atc_inv_page1(&smmu), 0);
	assert_int_equal(dev.atc_invs, 1);

	/* In it: read corrupted, replaced, lost, excused */
	sim_clock_advance_to(sim_clock_now_ns() + 1000 * 1000);
	dev.atc[1] = 1;
	assert_int_equal(atc_inv_page1(&smmu), 0);
	assert_int_equal(dev.atc_invs, 1);
	assert_int_equal(dev.atc[1], 0);
	sim_smmu_stats(hw, &st);
	assert_int_equal(st.illegal_injected, 1);
	assert_int_equal(st.illegal, 1);
	assert_int_equal(st.errors, 1);
	assert_int_equal(st.illegal_storms, 0);
	assert_int_equal(st.atc_invs, 1);
	assert_int_equal(st.syncs,
			 2 + 1 + 2); /* reset, the first, ours and the fix */

	/* After it: executed; then once more by hand */
	sim_clock_advance_to(sim_clock_now_ns() + 1000 * 1000);
	assert_int_equal(atc_inv_page1(&smmu), 0);
	assert_int_equal(dev.atc_invs, 2);
	sim_smmu_inject_illegal(hw);
	assert_int_equal(atc_inv_page1(&smmu), 0);
	assert_int_equal(dev.atc_invs, 2);
	sim_smmu_stats(hw, &st);
	assert_int_equal(st.illegal_injected, 2);
	assert_int_equal(st.illegal, 2);
	assert_int_equal(st.errors, 2);
	assert_int_equal(st.illegal_storms, 0);

	sim_smmu_remove(&smmu, hw);
	sim_dev_atc_free(&dev);
	sim_fault_free(plan);
	assert_int_equal(sim_clock_init(SIM_CLOCK_MONOTONIC), 0);
}

static void test_plan_file(void **state)
{
	char path[] = "/tmp/atcbench-plan-XXXXXX";
	struct sim_fault_plan *plan;
	char err[128];
	int fd = mkstemp(path);
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("drop 7 1\n", f);
	fclose(f);
	assert_int_equal(sim_fault_parse_file(path, 5, &plan, err, sizeof(err)),
			 0);
	sim_fault_start(plan, 0);
	assert_true(sim_fault_drop(plan, 7, 0));
	sim_fault_free(plan);
	unlink(path);
	assert_int_equal(sim_fault_parse_file(path, 5, &plan, err, sizeof(err)),
			 -ENOENT);
}

/* Every source is monotonic; the TSC agrees with CLOCK_MONOTONIC */
static void test_clock_sources(void **state)
{
	u64 a, b;
	int ret;

	ret = sim_clock_init(SIM_CLOCK_TSC);
	/* Without an invariant TSC it falls back to monotonic, and says so */
	assert_true(ret == 0 || ret == -ENODEV);
	assert_int_equal(sim_clock_source(),
			 ret ? SIM_CLOCK_MONOTONIC : SIM_CLOCK_TSC);
	a = sim_clock_now_ns();
	sim_clock_delay_ns(2 * 1000 * 1000);
	b = sim_clock_now_ns();
	assert_true(b - a >= 2 * 1000 * 1000);
	assert_true(b - a < 2000ULL * 1000 * 1000);
	printf("%s clock: a 2 ms delay took %llu ns\n",
	       sim_clock_name(sim_clock_source()), (unsigned long long)(b - a));

	assert_int_equal(sim_clock_init(SIM_CLOCK_VIRTUAL), 0);
	a = sim_clock_now_ns();
	sim_clock_delay_ns(5000);
	assert_int_equal(sim_clock_now_ns() - a, 5000);
	sim_clock_advance_to(a + 1000); /* never backwards */
	assert_int_equal(sim_clock_now_ns() - a, 5000);
	assert_int_equal(sim_clock_init(SIM_CLOCK_MONOTONIC), 0);
}

static int setup(void **state)
{
	khooks_printk_level(LOGLEVEL_ERR - 1);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_errors),
		cmocka_unit_test(test_plan_deterministic),
		cmocka_unit_test(test_plan_script),
		cmocka_unit_test(test_plan_through_smmu),
		cmocka_unit_test(test_illegal_through_smmu),
		cmocka_unit_test(test_plan_file),
		cmocka_unit_test(test_clock_sources),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
