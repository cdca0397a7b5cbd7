// SPDX-License-Identifier: GPL-2.0
/*
 * micro: the invs/ suite: one invalidation-array operation (merge, unref,
 * purge) on an array of N entries
 */
#include <errno.h>
#include <stdio.h>
#include <linux/slab.h>
#include <arm-smmu-v3/arm-smmu-v3.h>

#include "gbench/gbench.h"
#include "micro/micro.h"

/* The SMMU the array operations' entries name (never issued to) */
static struct arm_smmu_device micro_invs_smmu;

/* An array of @n live entries: one ASID, then ATS stream IDs 0..n-2 */
static struct arm_smmu_invs *micro_invs(struct arm_smmu_device *smmu,
					unsigned int n)
{
	struct arm_smmu_invs *invs = arm_smmu_invs_alloc(n);
	unsigned int i;

	if (!invs)
		return NULL;
	for (i = 0; i < n; i++) {
		struct arm_smmu_inv *inv = &invs->inv[i];

		inv->smmu = smmu;
		inv->type = i ? INV_TYPE_ATS : INV_TYPE_S1_ASID;
		inv->id = i ? 2 * (i - 1) : 1;
		inv->size_opcode = i ? CMDQ_OP_ATC_INV : CMDQ_OP_TLBI_NH_VA;
		inv->nsize_opcode = i ? CMDQ_OP_ATC_INV : CMDQ_OP_TLBI_NH_ASID;
		inv->pgsize = SZ_4K;
		inv->users = 1;
	}
	invs->has_ats = n > 1;
	return invs;
}

static void micro_invs_done(struct gbench_state *st, int64_t iters,
			    unsigned int entries)
{
	gbench_counter(st, "per_entry", (double)iters * entries,
		       GBENCH_COUNTER_RATE | GBENCH_COUNTER_INVERT);
}

static void micro_merge(struct gbench_state *st, void *arg)
{
	unsigned int entries = *(const unsigned int *)arg;
	struct arm_smmu_invs *invs = micro_invs(&micro_invs_smmu, entries);
	struct arm_smmu_invs *to_merge = micro_invs(&micro_invs_smmu, 2);
	int64_t iters = 0;

	if (!invs || !to_merge) {
		gbench_skip_with_error(st, "out of memory");
		goto out;
	}
	/* A new ATS entry in the middle: an odd SID */
	to_merge->inv[1].id = entries - 1;

	while (gbench_keep_running(st)) {
		struct arm_smmu_invs *new_invs =
			arm_smmu_invs_merge(invs, to_merge);

		if (IS_ERR(new_invs)) {
			gbench_skip_with_error(st, "merge failed");
			break;
		}
		kfree(new_invs);
		iters++;
	}
	micro_invs_done(st, iters, entries);
out:
	kfree(to_merge);
	kfree(invs);
}

static void micro_unref(struct gbench_state *st, void *arg)
{
	unsigned int entries = *(const unsigned int *)arg;
	struct arm_smmu_invs *invs = micro_invs(&micro_invs_smmu, entries);
	struct arm_smmu_invs *to_unref = micro_invs(&micro_invs_smmu, 2);
	int64_t iters = 0;

	if (!invs || !to_unref) {
		gbench_skip_with_error(st, "out of memory");
		goto out;
	}
	/*
	 * Drop one user of the ASID and of the middle ATS entry per
	 * iteration; enough users that neither becomes trash.
	 */
	to_unref->inv[1] = invs->inv[entries / 2];
	invs->inv[0].users = INT_MAX;
	invs->inv[entries / 2].users = INT_MAX;

	while (gbench_keep_running(st)) {
		arm_smmu_invs_unref(invs, to_unref);
		iters++;
	}
	micro_invs_done(st, iters, entries);
out:
	kfree(to_unref);
	kfree(invs);
}

static void micro_purge(struct gbench_state *st, void *arg)
{
	unsigned int entries = *(const unsigned int *)arg;
	struct arm_smmu_invs *invs = micro_invs(&micro_invs_smmu, entries);
	int64_t iters = 0;

	if (!invs) {
		gbench_skip_with_error(st, "out of memory");
		return;
	}
	/* One trash entry in the middle */
	invs->inv[entries / 2].users = 0;
	invs->num_trashes = 1;

	while (gbench_keep_running(st)) {
		struct arm_smmu_invs *new_invs = arm_smmu_invs_purge(invs);

		if (!new_invs) {
			gbench_skip_with_error(st, "purge failed");
			break;
		}
		kfree(new_invs);
		iters++;
	}
	micro_invs_done(st, iters, entries);
	kfree(invs);
}

/* invs/{merge,unref,purge}/entries:N for each of the @n sizes @entries */
int micro_array_register(const unsigned int *entries, unsigned int n)
{
	char name[128];
	unsigned int i;

	for (i = 0; i < n; i++) {
		static const struct {
			const char *name;
			gbench_fn fn;
		} ops[] = {
			{ "merge", micro_merge },
			{ "unref", micro_unref },
			{ "purge", micro_purge },
		};
		unsigned int o;

		for (o = 0; o < ARRAY_SIZE(ops); o++) {
			snprintf(name, sizeof(name), "invs/%s/entries:%u",
				 ops[o].name, entries[i]);
			if (!gbench_register(name, ops[o].fn,
					     (void *)&entries[i]))
				return -ENOMEM;
		}
	}
	return 0;
}
