// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the tests (see khooks_test.h) */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sim/cmd.h>

#include <linux/rcupdate.h>

#include "unit/khooks_test.h"

int test_rcu_setup(void **state)
{
	rcu_register_thread();
	return 0;
}

int test_rcu_teardown(void **state)
{
	rcu_barrier();
	rcu_unregister_thread();
	return 0;
}

unsigned long test_seed(const char *test)
{
	const char *env = getenv("ATCBENCH_SEED");
	unsigned long seed;

	seed = env ? strtoul(env, NULL, 0) : (unsigned long)time(NULL);
	printf("%s: seed=%lu (ATCBENCH_SEED=%lu to reproduce)\n", test, seed,
	       seed);
	return seed;
}

u64 test_rand(u64 *state)
{
	u64 x = *state ? *state : 0x9e3779b97f4a7c15ULL;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

void test_pin(const pthread_t *threads, unsigned int n)
{
	int cpus[CPU_SETSIZE], count = 0, cpu;
	cpu_set_t allowed, one;
	unsigned int i;

	if (sched_getaffinity(0, sizeof(allowed), &allowed))
		return;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &allowed))
			cpus[count++] = cpu;
	if (count < 2)
		return;
	for (i = 0; i < n; i++) {
		CPU_ZERO(&one);
		CPU_SET(cpus[i % count], &one);
		pthread_setaffinity_np(threads[i], sizeof(one), &one);
	}
}

static void test_world_trace(void *arg, const u64 *cmd)
{
	struct test_trace *t = arg;
	struct test_world *w = t->w;
	char line[256];
	int n;

	n = snprintf(line, sizeof(line), "%u ", t->idx);
	n += sim_cmd_format(cmd, line + n, sizeof(line) - n);
	if (w->len + n + 2 > w->cap) {
		w->cap = (w->cap + n + 2) * 2;
		w->log = realloc(w->log, w->cap);
		assert_non_null(w->log);
	}
	memcpy(w->log + w->len, line, n);
	w->len += n;
	w->log[w->len++] = '\n';
	w->log[w->len] = '\0';
}

void test_world_init(struct test_world *w, unsigned int num_smmus,
		     unsigned int num_sids, bool range_inv)
{
	const struct sim_world_config cfg = {
		.hw = { .ats = true, .range_inv = range_inv, .cmdq_shift = 8 },
		.num_smmus = num_smmus,
		.num_sids = num_sids,
	};
	unsigned int i;

	memset(w, 0, sizeof(*w));
	arm_smmu_poll_timeout_us = TEST_POLL_TIMEOUT_US;
	assert_int_equal(sim_world_create(&w->world, &cfg), 0);
	for (i = 0; i < num_smmus; i++) {
		w->trace[i] = (struct test_trace){ .w = w, .idx = i };
		sim_smmu_set_trace(w->world.hw[i], test_world_trace,
				   &w->trace[i]);
	}
	test_world_clear(w);
}

void test_world_fini(struct test_world *w)
{
	sim_world_destroy(&w->world);
	arm_smmu_poll_timeout_us = ARM_SMMU_POLL_TIMEOUT_US;
	free(w->log);
	memset(w, 0, sizeof(*w));
}

const char *test_world_log(struct test_world *w)
{
	return w->log ? w->log : "";
}

void test_world_clear(struct test_world *w)
{
	w->len = 0;
	if (w->log)
		w->log[0] = '\0';
}

unsigned int test_world_count(struct test_world *w, const char *prefix)
{
	const char *p = test_world_log(w);
	size_t plen = strlen(prefix);
	unsigned int n = 0;

	while (*p) {
		const char *sp = strchr(p, ' ');
		const char *nl = strchr(p, '\n');

		if (sp && sp < nl && !strncmp(sp + 1, prefix, plen))
			n++;
		p = nl + 1;
	}
	return n;
}

bool *test_litmus_saw_atc;

static int test_litmus_issue_cmdlist(struct arm_smmu_device *smmu,
				     struct arm_smmu_cmdq *cmdq, u64 *cmds,
				     int n, bool sync)
{
	int i;

	for (i = 0; i < n; i++)
		if (FIELD_GET(CMDQ_0_OP, cmds[i * CMDQ_ENT_DWORDS]) ==
			    CMDQ_OP_ATC_INV &&
		    FIELD_GET(CMDQ_ATC_0_SID, cmds[i * CMDQ_ENT_DWORDS]) ==
			    TEST_LITMUS_SID)
			WRITE_ONCE(*test_litmus_saw_atc, true);
	return 0;
}

const struct arm_smmu_impl_ops test_litmus_ops = {
	.issue_cmdlist = test_litmus_issue_cmdlist,
};

struct arm_smmu_invs *test_litmus_invs(struct arm_smmu_device *smmu, bool ats)
{
	struct arm_smmu_invs *invs = arm_smmu_invs_alloc(1 + ats);

	assert_non_null(invs);
	invs->inv[0] = (struct arm_smmu_inv){
		.smmu = smmu,
		.type = INV_TYPE_S1_ASID,
		.size_opcode = CMDQ_OP_TLBI_NH_VA,
		.nsize_opcode = CMDQ_OP_TLBI_NH_ASID,
		.id = 1,
		.pgsize = SZ_4K,
		.users = 1,
	};
	if (ats) {
		invs->inv[1] = (struct arm_smmu_inv){
			.smmu = smmu,
			.type = INV_TYPE_ATS,
			.size_opcode = CMDQ_OP_ATC_INV,
			.nsize_opcode = CMDQ_OP_ATC_INV,
			.id = TEST_LITMUS_SID,
			.ssid = IOMMU_NO_PASID,
			.pgsize = SZ_4K,
			.users = 1,
		};
		invs->has_ats = true;
	}
	return invs;
}
