// SPDX-License-Identifier: GPL-2.0
/*
 * Pinning plans on synthetic topologies (HWLOC_SYNTHETIC) of 1, 2 and 4
 * NUMA nodes, the CPU list syntax and its errors, and this machine's mode.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/topo.h"

#include "unit/khooks_test.h"

static void load(struct topo *t, const char *synthetic)
{
	setenv("HWLOC_SYNTHETIC", synthetic, 1);
	assert_int_equal(topo_init(t), 0);
	unsetenv("HWLOC_SYNTHETIC");
	assert_true(t->synthetic);
	assert_int_equal(topo_mode(t), TOPO_SIMULATED);
}

static void plan(struct topo *t, const char *how, unsigned int n,
		 struct topo_slot *slots)
{
	enum topo_plan_kind kind = TOPO_LIST;
	char err[256] = "";

	topo_parse_plan(how, &kind);
	assert_int_equal(topo_plan(t, kind, how, n, slots, err, sizeof(err)),
			 0);
}

static void test_one_node(void **state)
{
	struct topo_slot s[4];
	struct topo t;

	load(&t, "pack:1 numa:1 core:2 pu:1");
	assert_int_equal(t.nodes, 1);
	assert_int_equal(t.pus, 2);
	plan(&t, "compact", 4, s);
	assert_int_equal(s[0].cpu, 0);
	assert_int_equal(s[1].cpu, 1);
	assert_int_equal(s[2].cpu, 0); /* oversubscribed: wraps */
	plan(&t, "per-node", 3, s);
	assert_true(s[0].node == 0 && s[1].node == 0 && s[2].node == 0);
	assert_true(s[0].cpu == 0 && s[1].cpu == 1 && s[2].cpu == 0);
	topo_fini(&t);
}

static void test_two_nodes(void **state)
{
	struct topo_slot s[4];
	struct topo t;

	load(&t, "pack:2 numa:1 core:2 pu:1");
	assert_int_equal(t.nodes, 2);
	assert_int_equal(t.pus, 4);
	plan(&t, "compact", 4, s);
	assert_true(s[0].cpu == 0 && s[1].cpu == 1 && s[2].cpu == 2);
	assert_true(s[0].node == 0 && s[1].node == 0 && s[2].node == 1);
	/* Spread alternates packages */
	plan(&t, "spread", 4, s);
	assert_true(s[0].node == 0 && s[1].node == 1);
	assert_true(s[2].node == 0 && s[3].node == 1);
	assert_true(s[0].cpu != s[2].cpu && s[1].cpu != s[3].cpu);
	plan(&t, "per-node", 4, s);
	assert_true(s[0].node == 0 && s[1].node == 1 && s[2].node == 0);
	assert_true(s[0].cpu == 0 && s[1].cpu == 2 && s[2].cpu == 1 &&
		    s[3].cpu == 3);
	plan(&t, "3,1", 3, s);
	assert_true(s[0].cpu == 3 && s[0].node == 1);
	assert_true(s[1].cpu == 1 && s[1].node == 0 && s[2].cpu == 3);
	topo_fini(&t);
}

static void test_four_nodes_smt(void **state)
{
	struct topo_slot s[16];
	unsigned int i, per_node[4] = { 0 };
	struct topo t;

	load(&t, "pack:2 numa:2 core:2 pu:2");
	assert_int_equal(t.nodes, 4);
	assert_int_equal(t.pus, 16);
	assert_int_equal(t.cores, 8);
	plan(&t, "per-node", 16, s);
	for (i = 0; i < 16; i++) {
		assert_int_equal(s[i].node, i % 4);
		per_node[s[i].node]++;
	}
	for (i = 0; i < 4; i++)
		assert_int_equal(per_node[i], 4);
	/* Spread: one PU per core before any SMT sibling */
	plan(&t, "spread", 8, s);
	for (i = 0; i < 8; i++) {
		unsigned int j;

		for (j = 0; j < i; j++)
			assert_true(s[i].cpu / 2 != s[j].cpu / 2);
	}
	plan(&t, "0-2,15", 4, s);
	assert_true(s[0].cpu == 0 && s[2].cpu == 2 && s[3].cpu == 15);
	assert_int_equal(s[3].node, 3);
	topo_fini(&t);
}

static void test_list_errors(void **state)
{
	static const char *const bad[] = { "4",	  "0-9", "a", "1,,2",
					   "2-1", "0;1", "" };
	struct topo_slot s[2];
	struct topo t;
	unsigned int i;

	load(&t, "pack:2 numa:1 core:2 pu:1");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[256] = "";

		assert_int_equal(topo_plan(&t, TOPO_LIST, bad[i], 2, s, err,
					   sizeof(err)),
				 -EINVAL);
		printf("'%s': %s\n", bad[i], err);
		assert_true(err[0]);
	}
	{
		char err[64];

		assert_int_equal(topo_plan(&t, TOPO_COMPACT, NULL, 0, s, err,
					   sizeof(err)),
				 -EINVAL);
	}
	topo_fini(&t);
}

/* This machine: a mode is chosen, and the run goes on whatever it is */
static void test_this_machine(void **state)
{
	struct topo_slot s[2];
	struct topo t;
	void *p;

	unsetenv("HWLOC_SYNTHETIC");
	assert_int_equal(topo_init(&t), 0);
	assert_false(t.synthetic);
	plan(&t, "compact", 2, s);
	topo_bind_self(&t, &s[0]);
	p = topo_alloc(&t, 1 << 16, s[0].node);
	assert_non_null(p);
	topo_free(&t, p, 1 << 16);
	topo_print(&t, s, 2, stdout);
	assert_int_not_equal(topo_mode(&t), TOPO_SIMULATED);
	topo_fini(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_node),
		cmocka_unit_test(test_two_nodes),
		cmocka_unit_test(test_four_nodes_smt),
		cmocka_unit_test(test_list_errors),
		cmocka_unit_test(test_this_machine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
