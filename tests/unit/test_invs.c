// SPDX-License-Identifier: GPL-2.0
/*
 * The invalidation array: the KUnit golden table of the driver
 * (arm_smmu_v3_invs_test), the WARN paths, and random merge/unref/purge
 * sequences checked against a small reference model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/err.h>
#include <linux/slab.h>

#include "unit/khooks_test.h"

#define RANDOM_OPS_DEFAULT 20000

/* Every fixture entry gets a valid fake SMMU, as the kernel test should */
static struct arm_smmu_device test_smmu;

struct fixture_ent {
	u8 type;
	u32 id;
	u32 ssid;
};

static struct arm_smmu_invs *fixture(const struct fixture_ent *ents, size_t n)
{
	struct arm_smmu_invs *invs = arm_smmu_invs_alloc(n);
	size_t i;

	assert_non_null(invs);
	for (i = 0; i < n; i++) {
		invs->inv[i].smmu = &test_smmu;
		invs->inv[i].type = ents[i].type;
		invs->inv[i].id = ents[i].id;
		invs->inv[i].ssid = ents[i].ssid;
	}
	return invs;
}

static void verify(struct arm_smmu_invs *invs, size_t num_invs,
		   size_t num_trashes, const u32 *ids, const int *users,
		   const u32 *ssids)
{
	size_t i;

	assert_non_null(invs);
	assert_false(IS_ERR(invs));
	assert_int_equal(invs->num_invs, num_invs);
	assert_int_equal(invs->num_trashes, num_trashes);
	for (i = 0; i < num_invs; i++) {
		assert_int_equal(invs->inv[i].id, ids[i]);
		assert_int_equal(READ_ONCE(invs->inv[i].users), users[i]);
		assert_int_equal(invs->inv[i].ssid, ssids[i]);
	}
}

static struct arm_smmu_invs *merge(struct arm_smmu_invs *invs,
				   struct arm_smmu_invs *to_merge)
{
	struct arm_smmu_invs *new_invs = arm_smmu_invs_merge(invs, to_merge);

	assert_false(IS_ERR_OR_NULL(new_invs));
	kfree(invs);
	return new_invs;
}

static struct arm_smmu_invs *purge(struct arm_smmu_invs *invs)
{
	struct arm_smmu_invs *new_invs = arm_smmu_invs_purge(invs);

	assert_non_null(new_invs);
	kfree(invs);
	return new_invs;
}

#define N(a) ARRAY_SIZE(a)
#define VERIFY(invs, trashes, ids, users, ssids)                        \
	do {                                                            \
		BUILD_BUG_ON(N(ids) != N(users) || N(ids) != N(ssids)); \
		verify(invs, N(ids), trashes, ids, users, ssids);       \
	} while (0)

/* The 11 steps of arm_smmu_v3_invs_test (kernel-semantics.md §1.10) */
static void test_golden_kunit_table(void **state)
{
	static const struct fixture_ent e1[] = {
		{ INV_TYPE_S2_VMID, 1 },
		{ INV_TYPE_S2_VMID_S1_CLEAR, 1 },
		{ INV_TYPE_ATS, 3 },
	};
	static const struct fixture_ent e2[] = {
		{ INV_TYPE_S2_VMID, 1 }, /* duplicated */
		{ INV_TYPE_ATS, 4 },
		{ INV_TYPE_ATS, 5 },
	};
	static const struct fixture_ent e3[] = {
		{ INV_TYPE_S2_VMID, 1 }, /* duplicated */
		{ INV_TYPE_ATS, 5 }, /* recover a trash */
		{ INV_TYPE_ATS, 6 },
	};
	static const struct fixture_ent e4[] = {
		{ INV_TYPE_ATS, 10, 1 },
		{ INV_TYPE_ATS, 10, 3 },
		{ INV_TYPE_ATS, 12, 1 },
	};
	static const struct fixture_ent e5[] = {
		{ INV_TYPE_ATS, 10, 2 },
		{ INV_TYPE_ATS, 10, 3 }, /* duplicated */
		{ INV_TYPE_ATS, 12, 2 },
	};
	struct arm_smmu_invs *invs1 = fixture(e1, N(e1));
	struct arm_smmu_invs *invs2 = fixture(e2, N(e2));
	struct arm_smmu_invs *invs3 = fixture(e3, N(e3));
	struct arm_smmu_invs *invs4 = fixture(e4, N(e4));
	struct arm_smmu_invs *invs5 = fixture(e5, N(e5));
	struct arm_smmu_invs *test_a;

	khooks_warn_reset();

	/* 0: an empty array */
	test_a = arm_smmu_invs_alloc(0);
	assert_non_null(test_a);
	assert_int_equal(test_a->num_invs, 0);

	/* 1: merge invs1 (new array) */
	test_a = merge(test_a, invs1);
	{
		static const u32 ids[] = { 1, 1, 3 };
		static const int users[] = { 1, 1, 1 };
		static const u32 ssids[] = { 0, 0, 0 };

		VERIFY(test_a, 0, ids, users, ssids);
		assert_true(test_a->has_ats);
	}

	/* 2: merge invs2 (new array) */
	test_a = merge(test_a, invs2);
	{
		static const u32 ids[] = { 1, 1, 3, 4, 5 };
		static const int users[] = { 2, 1, 1, 1, 1 };
		static const u32 ssids[] = { 0, 0, 0, 0, 0 };

		VERIFY(test_a, 0, ids, users, ssids);
	}

	/* 3: unref invs2 (same array): the trailing 4 and 5 are trimmed */
	arm_smmu_invs_unref(test_a, invs2);
	{
		static const u32 ids[] = { 1, 1, 3 };
		static const int users[] = { 1, 1, 1 };
		static const u32 ssids[] = { 0, 0, 0 };

		VERIFY(test_a, 0, ids, users, ssids);
	}

	/* 4: merge invs3 (new array) */
	test_a = merge(test_a, invs3);
	{
		static const u32 ids[] = { 1, 1, 3, 5, 6 };
		static const int users[] = { 2, 1, 1, 1, 1 };
		static const u32 ssids[] = { 0, 0, 0, 0, 0 };

		VERIFY(test_a, 0, ids, users, ssids);
	}

	/* 5: unref invs1 (same array): two trash entries kept in the middle */
	arm_smmu_invs_unref(test_a, invs1);
	{
		static const u32 ids[] = { 1, 1, 3, 5, 6 };
		static const int users[] = { 1, 0, 0, 1, 1 };
		static const u32 ssids[] = { 0, 0, 0, 0, 0 };

		VERIFY(test_a, 2, ids, users, ssids);
	}

	/* 6: purge (new array) */
	test_a = purge(test_a);
	{
		static const u32 ids[] = { 1, 5, 6 };
		static const int users[] = { 1, 1, 1 };
		static const u32 ssids[] = { 0, 0, 0 };

		VERIFY(test_a, 0, ids, users, ssids);
	}

	/* 7: unref invs3 (same array): everything trailing, all trimmed */
	arm_smmu_invs_unref(test_a, invs3);
	assert_int_equal(test_a->num_invs, 0);
	assert_int_equal(test_a->num_trashes, 0);

	/* 8: merge invs4 (new array) */
	test_a = merge(test_a, invs4);
	{
		static const u32 ids[] = { 10, 10, 12 };
		static const int users[] = { 1, 1, 1 };
		static const u32 ssids[] = { 1, 3, 1 };

		VERIFY(test_a, 0, ids, users, ssids);
	}

	/* 9: merge invs5 (new array): SSID order, the duplicate gets 2 */
	test_a = merge(test_a, invs5);
	{
		static const u32 ids[] = { 10, 10, 10, 12, 12 };
		static const int users[] = { 1, 1, 2, 1, 1 };
		static const u32 ssids[] = { 1, 2, 3, 1, 2 };

		VERIFY(test_a, 0, ids, users, ssids);
	}

	/* 10: unref invs5 (same array): 12/2 is trimmed as the tail */
	arm_smmu_invs_unref(test_a, invs5);
	{
		static const u32 ids[] = { 10, 10, 10, 12 };
		static const int users[] = { 1, 0, 1, 1 };
		static const u32 ssids[] = { 1, 2, 3, 1 };

		VERIFY(test_a, 1, ids, users, ssids);
	}

	/* 11: purge (new array) */
	test_a = purge(test_a);
	{
		static const u32 ids[] = { 10, 10, 12 };
		static const int users[] = { 1, 1, 1 };
		static const u32 ssids[] = { 1, 3, 1 };

		VERIFY(test_a, 0, ids, users, ssids);
	}

	assert_int_equal(khooks_warn_count(), 0);
	kfree(test_a);
	kfree(invs1);
	kfree(invs2);
	kfree(invs3);
	kfree(invs4);
	kfree(invs5);
}

static void test_sort_order(void **state)
{
	struct arm_smmu_device smmus[2];
	struct arm_smmu_inv a = {
		.smmu = &smmus[0], .type = INV_TYPE_ATS, .id = 9, .ssid = 1
	};
	struct arm_smmu_inv b = a;

	assert_int_equal(arm_smmu_inv_cmp(&a, &b), 0);
	b.smmu = &smmus[1];
	b.type = INV_TYPE_S1_ASID;
	assert_int_equal(arm_smmu_inv_cmp(&a, &b), -1); /* SMMU first */
	b = a;
	b.type = INV_TYPE_ATS_FULL;
	b.id = 1;
	assert_int_equal(arm_smmu_inv_cmp(&a, &b), -1); /* then type */
	b = a;
	b.id = 8;
	b.ssid = 7;
	assert_int_equal(arm_smmu_inv_cmp(&a, &b), 1); /* then ID */
	b = a;
	b.ssid = 0;
	assert_int_equal(arm_smmu_inv_cmp(&a, &b), 1); /* then SSID for ATS */
	a.type = b.type = INV_TYPE_S2_VMID;
	assert_int_equal(arm_smmu_inv_cmp(&a, &b), 0); /* not for others */
}

static void test_warn_paths(void **state)
{
	static const struct fixture_ent unsorted[] = {
		{ INV_TYPE_ATS, 5 },
		{ INV_TYPE_ATS, 4 },
	};
	static const struct fixture_ent missing[] = {
		{ INV_TYPE_ATS, 7 },
	};
	struct arm_smmu_invs *bad = fixture(unsorted, N(unsorted));
	struct arm_smmu_invs *absent = fixture(missing, N(missing));
	struct arm_smmu_invs *invs = arm_smmu_invs_alloc(0);
	struct arm_smmu_invs *new_invs;

	khooks_warn_reset();
	new_invs = arm_smmu_invs_merge(invs, bad);
	assert_false(IS_ERR(new_invs));
	assert_int_equal(khooks_warn_count(), 1);
	kfree(invs);
	invs = new_invs;

	/* An entry that is not in the array: WARN, and nothing changes */
	arm_smmu_invs_unref(invs, absent);
	assert_int_equal(khooks_warn_count(), 2);
	assert_int_equal(invs->num_invs, 2);
	assert_int_equal(invs->inv[0].users, 1);
	assert_int_equal(invs->inv[1].users, 1);

	/* Nothing to purge: NULL, no WARN */
	assert_null(arm_smmu_invs_purge(invs));
	assert_int_equal(khooks_warn_count(), 2);

	/* Allocation failure: -ENOMEM, the old array untouched */
	khooks_slab_fail_nth(1);
	new_invs = arm_smmu_invs_merge(invs, absent);
	assert_ptr_equal(new_invs, ERR_PTR(-ENOMEM));
	assert_int_equal(invs->num_invs, 2);

	khooks_warn_reset();
	kfree(invs);
	kfree(bad);
	kfree(absent);
}

/*
 * The reference model: the physical array as a plain list of (key, users),
 * with the rules of kernel-semantics.md §1.4-§1.6 written the obvious way.
 */
#define MODEL_SMMUS 2
#define MODEL_TYPES 5
#define MODEL_IDS 3
#define MODEL_SSIDS 2
#define MODEL_KEYS (MODEL_SMMUS * MODEL_TYPES * MODEL_IDS * MODEL_SSIDS)

struct model {
	int key[MODEL_KEYS * 2];
	int users[MODEL_KEYS * 2];
	size_t num_invs;
	size_t num_trashes;
};

static struct arm_smmu_device model_smmus[MODEL_SMMUS];

/* Keys enumerate entries in sort order; non-ATS types use SSID 0 only */
static bool model_key_valid(int key)
{
	int type = key / (MODEL_IDS * MODEL_SSIDS) % MODEL_TYPES;
	int ssid = key % MODEL_SSIDS;

	return ssid == 0 || type == INV_TYPE_ATS;
}

static void model_key_to_inv(int key, struct arm_smmu_inv *inv)
{
	memset(inv, 0, sizeof(*inv));
	inv->ssid = key % MODEL_SSIDS;
	inv->id = key / MODEL_SSIDS % MODEL_IDS;
	inv->type = key / (MODEL_IDS * MODEL_SSIDS) % MODEL_TYPES;
	inv->smmu = &model_smmus[key / (MODEL_TYPES * MODEL_IDS * MODEL_SSIDS)];
}

static void model_merge(struct model *m, const bool *in)
{
	int users[MODEL_KEYS] = { 0 };
	size_t i;
	int k;

	for (i = 0; i < m->num_invs; i++)
		users[m->key[i]] += m->users[i];
	m->num_invs = 0;
	for (k = 0; k < MODEL_KEYS; k++) {
		if (!users[k] && !in[k])
			continue;
		m->key[m->num_invs] = k;
		m->users[m->num_invs++] = users[k] + in[k];
	}
	m->num_trashes = 0;
}

static void model_unref(struct model *m, const bool *in)
{
	size_t i, last = 0;

	for (i = 0; i < m->num_invs; i++) {
		if (in[m->key[i]] && m->users[i]) {
			if (!--m->users[i])
				m->num_trashes++;
		}
		if (m->users[i])
			last = i + 1;
	}
	for (i = last; i < m->num_invs; i++)
		m->num_trashes -= !m->users[i] ? 1 : 0;
	m->num_invs = last;
}

/* Trash counted below num_invs */
static size_t model_trashes(const struct model *m)
{
	size_t i, n = 0;

	for (i = 0; i < m->num_invs; i++)
		n += !m->users[i];
	return n;
}

static void model_purge(struct model *m)
{
	size_t i, n = 0;

	if (!m->num_invs || !m->num_trashes)
		return;
	for (i = 0; i < m->num_invs; i++) {
		if (!m->users[i])
			continue;
		m->key[n] = m->key[i];
		m->users[n++] = m->users[i];
	}
	m->num_invs = n;
	m->num_trashes = 0;
}

static void model_check(const struct model *m, struct arm_smmu_invs *invs,
			unsigned long op)
{
	bool has_ats = false;
	size_t i;

	if (invs->num_invs != m->num_invs ||
	    invs->num_trashes != m->num_trashes)
		fail_msg("op %lu: num_invs %zu/%zu num_trashes %zu/%zu", op,
			 invs->num_invs, m->num_invs, invs->num_trashes,
			 m->num_trashes);
	assert_int_equal(model_trashes(m), m->num_trashes);
	for (i = 0; i < m->num_invs; i++) {
		struct arm_smmu_inv want;

		model_key_to_inv(m->key[i], &want);
		if (arm_smmu_inv_cmp(&invs->inv[i], &want) ||
		    invs->inv[i].users != m->users[i])
			fail_msg("op %lu: entry %zu differs (users %d/%d)", op,
				 i, invs->inv[i].users, m->users[i]);
		if (m->users[i] && arm_smmu_inv_is_ats(&want))
			has_ats = true;
	}
	/* has_ats may stay set by an unref; it is exact after merge/purge */
	if (has_ats)
		assert_true(invs->has_ats);
}

static struct arm_smmu_invs *model_list(const bool *in)
{
	struct arm_smmu_invs *list;
	size_t n = 0;
	int k;

	for (k = 0; k < MODEL_KEYS; k++)
		n += in[k];
	list = arm_smmu_invs_alloc(n);
	assert_non_null(list);
	n = 0;
	for (k = 0; k < MODEL_KEYS; k++)
		if (in[k])
			model_key_to_inv(k, &list->inv[n++]);
	return list;
}

static void test_random_vs_model(void **state)
{
	const char *env = getenv("ATCBENCH_RANDOM_OPS");
	unsigned long ops = env ? strtoul(env, NULL, 0) : RANDOM_OPS_DEFAULT;
	u64 rng = test_seed("test_random_vs_model");
	struct arm_smmu_invs *invs = arm_smmu_invs_alloc(0);
	struct model m = { 0 };
	unsigned long op, failed_allocs = 0;

	khooks_warn_reset();
	for (op = 0; op < ops; op++) {
		bool in[MODEL_KEYS] = { 0 };
		unsigned int kind = test_rand(&rng) % 8;
		struct arm_smmu_invs *list, *new_invs;
		size_t i;
		int k;

		if (kind < 4) {
			/* merge a random subset (mostly small, as attaches are) */
			unsigned int n = 1 + test_rand(&rng) % 4;

			while (n--) {
				k = test_rand(&rng) % MODEL_KEYS;
				in[k] = model_key_valid(k);
			}
			list = model_list(in);
			if (test_rand(&rng) % 64 == 0) {
				khooks_slab_fail_nth(1);
				assert_ptr_equal(arm_smmu_invs_merge(invs,
								     list),
						 ERR_PTR(-ENOMEM));
				failed_allocs++;
			} else {
				new_invs = arm_smmu_invs_merge(invs, list);
				assert_false(IS_ERR(new_invs));
				kfree(invs);
				invs = new_invs;
				model_merge(&m, in);
			}
		} else if (kind < 7) {
			/* unref a random subset of the live entries */
			for (i = 0; i < m.num_invs; i++)
				if (m.users[i] && test_rand(&rng) % 3 == 0)
					in[m.key[i]] = true;
			list = model_list(in);
			arm_smmu_invs_unref(invs, list);
			model_unref(&m, in);
		} else {
			list = NULL;
			new_invs = arm_smmu_invs_purge(invs);
			if (new_invs) {
				kfree(invs);
				invs = new_invs;
			}
			model_purge(&m);
		}
		kfree(list);
		model_check(&m, invs, op);
	}

	printf("test_random_vs_model: %lu operations, %lu injected allocation failures, final num_invs=%zu\n",
	       ops, failed_allocs, invs->num_invs);
	assert_int_equal(khooks_warn_count(), 0);
	kfree(invs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_kunit_table),
		cmocka_unit_test(test_sort_order),
		cmocka_unit_test(test_warn_paths),
		cmocka_unit_test(test_random_vs_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
