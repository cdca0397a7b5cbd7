/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the tests: the seed, and a small simulated world whose
 * SMMUs record every command they execute as text.
 */
#ifndef KHOOKS_TEST_H
#define KHOOKS_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <pthread.h>
#include <stdint.h>
#include <cmocka.h>
#include <arm-smmu-v3/arm-smmu-v3.h>
#include <sim/smmu.h>
#include <sim/world.h>

#define TEST_MAX_SMMUS SIM_WORLD_MAX_SMMUS

/*
 * The seed of a randomised test: $ATCBENCH_SEED if set, else the time.
 * Printed as "seed=N (ATCBENCH_SEED=N to reproduce)".
 */
unsigned long test_seed(const char *test);
/*
 * cmocka group set-up and tear-down for tests that run kernel-form code on
 * their main thread: it becomes an RCU reader; tear-down waits for pending
 * callbacks.
 */
int test_rcu_setup(void **state);
int test_rcu_teardown(void **state);
/* xorshift64*: a small deterministic generator */
u64 test_rand(u64 *state);
/*
 * Pin @threads[i] to the i-th CPU the caller may use (modulo their count),
 * so that racing threads of a test run on separate CPUs even on a busy
 * machine, where the scheduler would fold them onto one and no race could
 * show.  The caller's CPUs are read once, before any is pinned (the caller
 * may be one of @threads).  With one CPU, nothing is pinned.
 */
void test_pin(const pthread_t *threads, unsigned int n);

struct test_world;

/* The argument of one SMMU's trace hook */
struct test_trace {
	struct test_world *w;
	unsigned int idx;
};

struct test_world {
	struct sim_world world; /* SMMUs only */
	struct test_trace trace[TEST_MAX_SMMUS];
	char *log;
	size_t len;
	size_t cap;
};

/*
 * The driver's software poll time-out in a test world (arm_smmu_poll_timeout_us,
 * restored by test_world_fini()), and in the queue tests' own worlds
 * (test_cmdq, test_cmdq_errors).  Their threads run on the real clock, and a
 * loaded host can deschedule the one that owns the command queue for longer
 * than the kernel's 1 s, which no CPU running with interrupts off sees: the
 * others' CMD_SYNCs would time out for the host's sake (CI saw it once, in
 * test_cmdq_wmm under ASan).  No test here waits for that time-out
 * (test_cmdq_errors sets its own); a hang still ends.
 */
#define TEST_POLL_TIMEOUT_US (10 * 1000 * 1000)

/* @num_smmus SMMUs of @num_sids stream IDs each; asserts on failure */
void test_world_init(struct test_world *w, unsigned int num_smmus,
		     unsigned int num_sids, bool range_inv);
void test_world_fini(struct test_world *w);
/* The commands executed since the last clear: "SMMU CMD_... fields\n" */
const char *test_world_log(struct test_world *w);
void test_world_clear(struct test_world *w);
/* Number of lines of the log that start with @prefix (after the SMMU) */
unsigned int test_world_count(struct test_world *w, const char *prefix);

/*
 * The store-buffering litmus pattern of the walker against an attach
 * (test_litmus, test_race): an array of @smmu's stage-1 entry (ASID 1) and,
 * if @ats, the ATS entry of TEST_LITMUS_SID; and an SMMU queue, as the walk
 * sees it, that only records whether an ATC_INV to that SID went by
 * (*test_litmus_saw_atc, set through test_litmus_ops.issue_cmdlist)
 */
#define TEST_LITMUS_SID 5
struct arm_smmu_invs *test_litmus_invs(struct arm_smmu_device *smmu, bool ats);
extern bool *test_litmus_saw_atc;
extern const struct arm_smmu_impl_ops test_litmus_ops;

#endif /* KHOOKS_TEST_H */
