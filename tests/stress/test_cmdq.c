// SPDX-License-Identifier: GPL-2.0
/*
 * The command queue against the simulated SMMU: concurrent issuers, a small
 * queue that wraps, both CMD_SYNC completion modes, inline and threaded
 * SMMU, the lock-free queue and the locked baseline.  Every command must be
 * consumed exactly once, each issuer's in order, and the commands of one
 * call contiguous.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bitfield.h>
#include <variants/cmdq-locked.h>
#ifdef KHOOKS_WMM
#include <khooks/wmm.h>
#endif

#include "unit/khooks_test.h"

#ifdef __SANITIZE_THREAD__
#define ISSUE_CMDS_DEFAULT 200000 /* TSan is ~10x slower */
#else
#define ISSUE_CMDS_DEFAULT 1000000
#endif
#define ISSUERS 2
#define MAX_CALL 24 /* commands per call, below CMDQ_TLBI_0_NUM's 32 */

struct issue_test {
	struct arm_smmu_locked_device ldev; /* .smmu used by both queues */
	struct sim_smmu *hw;
	unsigned long per_issuer;
	/* the consumed commands, in SMMU order (written by the trace) */
	u64 (*trace)[CMDQ_ENT_DWORDS];
	size_t trace_len;
	size_t trace_cap;
};

struct issuer {
	struct issue_test *t;
	unsigned int id;
	u64 rng;
	unsigned long calls;
	int errors;
	pthread_t thread;
};

static void issue_trace(void *arg, const u64 *cmd)
{
	struct issue_test *t = arg;

	/* Called under the SMMU's lock, in queue order */
	assert_true(t->trace_len < t->trace_cap);
	memcpy(t->trace[t->trace_len++], cmd, sizeof(t->trace[0]));
}

/*
 * Command k of a call of n by issuer id, sequence number seq: a TLBI_NH_VA
 * with ASID = id, address = seq, NUM = n - 1 and LEAF on the first command,
 * TTL = 1 when a CMD_SYNC follows the call.
 */
static void issue_encode(u64 *cmd, unsigned int id, u64 seq, int k, int n,
			 bool sync)
{
	struct arm_smmu_cmdq_ent ent = {
		.opcode = CMDQ_OP_TLBI_NH_VA,
		.tlbi = {
			.asid = id,
			.num = n - 1,
			.leaf = k == 0,
			.ttl = sync,
			.addr = seq << 12,
		},
	};

	assert_int_equal(arm_smmu_cmdq_build_cmd(cmd, &ent), 0);
}

static void *issuer_fn(void *arg)
{
	struct issuer *is = arg;
	struct arm_smmu_device *smmu = &is->t->ldev.smmu;
	u64 cmds[MAX_CALL * CMDQ_ENT_DWORDS];
	unsigned long seq = 0;

#ifdef KHOOKS_WMM
	khooks_wmm_thread_start(is->rng);
#endif
	while (seq < is->t->per_issuer) {
		int n = 1 + test_rand(&is->rng) % MAX_CALL;
		bool sync = test_rand(&is->rng) % 4 == 0;
		int k;

		if (n > is->t->per_issuer - seq)
			n = is->t->per_issuer - seq;
		for (k = 0; k < n; k++)
			issue_encode(&cmds[k * CMDQ_ENT_DWORDS], is->id,
				     seq + k, k, n, sync);
		if (arm_smmu_cmdq_issue_cmdlist(smmu, &smmu->cmdq, cmds, n,
						sync)) {
			is->errors++;
			break; /* the queue is broken: every sync would wait */
		}
		seq += n;
		is->calls++;
	}
	/* A final sync: everything issued is consumed when it returns */
	if (arm_smmu_cmdq_issue_cmdlist(smmu, &smmu->cmdq, NULL, 0, true))
		is->errors++;
#ifdef KHOOKS_WMM
	khooks_wmm_thread_stop();
#endif
	return NULL;
}

static void check_trace(struct issue_test *t)
{
	u64 next[ISSUERS] = { 0 };
	size_t i = 0;

	while (i < t->trace_len) {
		u64 *cmd = t->trace[i];
		unsigned int id, n, k;
		bool sync;

		if (FIELD_GET(CMDQ_0_OP, cmd[0]) == CMDQ_OP_CMD_SYNC) {
			i++; /* a final sync, or one already checked below */
			continue;
		}
		assert_int_equal(FIELD_GET(CMDQ_0_OP, cmd[0]),
				 CMDQ_OP_TLBI_NH_VA);
		id = FIELD_GET(CMDQ_TLBI_0_ASID, cmd[0]);
		n = FIELD_GET(CMDQ_TLBI_0_NUM, cmd[0]) + 1;
		sync = FIELD_GET(CMDQ_TLBI_1_TTL, cmd[1]);
		assert_true(id < ISSUERS);
		/* A call starts here: its n commands follow, then its sync */
		if (!FIELD_GET(CMDQ_TLBI_1_LEAF, cmd[1]))
			fail_msg(
				"trace %zu: issuer %u's call does not start here",
				i, id);
		for (k = 0; k < n; k++, i++) {
			cmd = t->trace[i];
			if (i >= t->trace_len ||
			    FIELD_GET(CMDQ_0_OP, cmd[0]) !=
				    CMDQ_OP_TLBI_NH_VA ||
			    FIELD_GET(CMDQ_TLBI_0_ASID, cmd[0]) != id ||
			    (cmd[1] & CMDQ_TLBI_1_VA_MASK) >> 12 != next[id])
				fail_msg(
					"trace %zu: expected issuer %u seq %llu (command %u of %u)",
					i, id, (unsigned long long)next[id], k,
					n);
			next[id]++;
		}
		if (sync &&
		    (i >= t->trace_len ||
		     FIELD_GET(CMDQ_0_OP, t->trace[i][0]) != CMDQ_OP_CMD_SYNC))
			fail_msg(
				"trace %zu: issuer %u's CMD_SYNC does not follow its call",
				i, id);
	}
	for (i = 0; i < ISSUERS; i++)
		assert_int_equal(next[i], t->per_issuer);
}

static void issue_run(bool locked, bool msi, bool threaded)
{
	const char *env = getenv("ATCBENCH_ISSUE_CMDS");
	unsigned long total = env ? strtoul(env, NULL, 0) : ISSUE_CMDS_DEFAULT;
	const struct sim_smmu_config cfg = {
		.msi = msi,
		.threaded = threaded,
		.cmdq_shift = SIM_SMMU_CMDQ_SHIFT_MIN, /* 128: it wraps */
	};
	u64 seed = test_seed("issue_run");
	struct issuer issuers[ISSUERS];
	struct issue_test *t;
	struct sim_smmu_stats st;
	unsigned int i;

	t = calloc(1, sizeof(*t));
	assert_non_null(t);
	t->per_issuer = total / ISSUERS;
	t->trace_cap = total + total + 2 * ISSUERS;
	t->trace = calloc(t->trace_cap, sizeof(t->trace[0]));
	assert_non_null(t->trace);
	if (locked)
		arm_smmu_cmdq_locked_init(&t->ldev);
	/* Real time: a host that preempts the owner must not fail the test */
	arm_smmu_poll_timeout_us = TEST_POLL_TIMEOUT_US;
	assert_int_equal(sim_smmu_probe(&cfg, 4, &t->ldev.smmu, &t->hw), 0);
	assert_int_equal(!!(t->ldev.smmu.options & ARM_SMMU_OPT_MSIPOLL), msi);
	sim_smmu_set_trace(t->hw, issue_trace, t);

	for (i = 0; i < ISSUERS; i++) {
		issuers[i] =
			(struct issuer){ .t = t, .id = i, .rng = seed + i + 1 };
		assert_int_equal(pthread_create(&issuers[i].thread, NULL,
						issuer_fn, &issuers[i]),
				 0);
	}
	/* Owners overlap only on two CPUs */
	test_pin((pthread_t[]){ issuers[0].thread, issuers[1].thread },
		 ISSUERS);
	for (i = 0; i < ISSUERS; i++) {
		pthread_join(issuers[i].thread, NULL);
		assert_int_equal(issuers[i].errors, 0);
	}

	sim_smmu_set_trace(t->hw, NULL, NULL);
	sim_smmu_stats(t->hw, &st);
	printf("%s queue, %s, %s SMMU: %lu commands in %lu+%lu calls, %llu syncs, %zu consumed\n",
	       locked ? "locked" : "lock-free", msi ? "MSI" : "CONS polling",
	       threaded ? "threaded" : "inline", 2 * t->per_issuer,
	       issuers[0].calls, issuers[1].calls, (unsigned long long)st.syncs,
	       t->trace_len);
	check_trace(t);
	assert_int_equal(st.errors, 0);

	sim_smmu_remove(&t->ldev.smmu, t->hw);
	arm_smmu_poll_timeout_us = ARM_SMMU_POLL_TIMEOUT_US;
	free(t->trace);
	free(t);
}

static void test_lockfree_msi_inline(void **state)
{
	issue_run(false, true, false);
}

static void test_lockfree_poll_inline(void **state)
{
	issue_run(false, false, false);
}

static void test_lockfree_msi_threaded(void **state)
{
	issue_run(false, true, true);
}

static void test_lockfree_poll_threaded(void **state)
{
	issue_run(false, false, true);
}

static void test_locked_msi_inline(void **state)
{
	issue_run(true, true, false);
}

static void test_locked_poll_threaded(void **state)
{
	issue_run(true, false, true);
}

static void test_locked_poll_inline(void **state)
{
	issue_run(true, false, false);
}

static void test_locked_msi_threaded(void **state)
{
	issue_run(true, true, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lockfree_msi_inline),
		cmocka_unit_test(test_lockfree_poll_inline),
		cmocka_unit_test(test_lockfree_msi_threaded),
		cmocka_unit_test(test_lockfree_poll_threaded),
		cmocka_unit_test(test_locked_msi_inline),
		cmocka_unit_test(test_locked_poll_threaded),
		cmocka_unit_test(test_locked_poll_inline),
		cmocka_unit_test(test_locked_msi_threaded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
