// SPDX-License-Identifier: GPL-2.0
/*
 * The time-ordered CPUs' cost model (sim/cost.h) through its public
 * interface, on virtual CPUs of <khooks/vcpu.h>: a point costs the
 * profile's point time; writes to a line others write move it between
 * CPUs one at a time, at the latency of their distance; a line each CPU
 * keeps to itself costs nothing more; a load costs a transfer only when
 * the line changed since the CPU's last copy.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/kernel.h>
#include <khooks/vcpu.h>
#include <sim/cost.h>

#define T_ROUNDS 100
#define T_MAX_CPUS 64
#define T_MAX_STEPS 10000000

/* A profile of round figures: 1 ns a point, 10/20/50/200 ns a transfer */
static const struct sim_cost_profile t_profile = {
	.name = "test",
	.cores_per_cluster = 4,
	.clusters_per_die = 2,
	.dies_per_socket = 2,
	.sockets = 2,
	.point_ps = 1000,
	.lat_ns = { 10, 20, 50, 200 },
	.mmio_ns = 100,
};

struct t_run {
	uint64_t shared; /* one line all of them write */
	uint64_t own[T_MAX_CPUS][8]; /* a line each */
	uint64_t end[T_MAX_CPUS];
	bool separate;
	unsigned int partner; /* not 0: only CPUs 0 and this one write */
};

/* T_ROUNDS RMWs, on the shared line or on the CPU's own */
static void t_rmws(unsigned int cpu, void *arg)
{
	struct t_run *t = arg;
	uint64_t *p = t->separate ? &t->own[cpu][0] : &t->shared;
	unsigned int i;

	if (t->partner && cpu && cpu != t->partner)
		return;
	for (i = 0; i < T_ROUNDS; i++) {
		khooks_vcpu_access(KHOOKS_VCPU_RMW, p, sizeof(*p));
		(*p)++;
	}
	t->end[cpu] = khooks_vcpu_clock();
}

static struct sim_cost *t_run(struct t_run *t, unsigned int cpus,
			      khooks_vcpu_fn fn)
{
	struct sim_cost *c;
	const struct khooks_vcpu_config cfg = {
		.cpus = cpus,
		.seed = 1,
		.horizon = 1,
		.max_steps = T_MAX_STEPS,
		.policy = KHOOKS_VCPU_TIME,
		.cost = sim_cost_fn,
	};
	struct khooks_vcpu_config run = cfg;

	assert_int_equal(sim_cost_create(&t_profile, cpus, 1, &c), 0);
	run.cost_arg = c;
	assert_int_equal(khooks_vcpu_run(&run, fn, t, NULL), 0);
	return c;
}

/* Alone on its line, a CPU pays its points and one first transfer */
static void test_own_lines(void **state)
{
	struct t_run t = { .separate = true };
	struct sim_cost_stats st;
	struct sim_cost *c;
	unsigned int i;

	(void)state;
	c = t_run(&t, 4, t_rmws);
	/* Its first write fetches the line: 20 ns, +-25 % */
	for (i = 0; i < 4; i++)
		assert_in_range(t.end[i], T_ROUNDS + 15, T_ROUNDS + 25);
	sim_cost_stats(c, &st);
	assert_int_equal(st.transfers, 4);
	assert_int_equal(st.line_wait_ns, 0);
	sim_cost_destroy(c);
}

/*
 * Two CPUs of a cluster on one line: each write moves it (10 ns), one at a
 * time, so 2 * T_ROUNDS writes take about that many transfers in all
 */
static void test_one_line_serialises(void **state)
{
	struct t_run t = { 0 };
	struct sim_cost_line_stats ls;
	struct sim_cost *c;
	uint64_t end;

	(void)state;
	c = t_run(&t, 2, t_rmws);
	end = max(t.end[0], t.end[1]);
	sim_cost_line(c, &t.shared, &ls);
	assert_int_equal(ls.rmws, 2 * T_ROUNDS);
	assert_true(ls.transfers >= 2 * T_ROUNDS - 2);
	/* Serialised: at least a transfer (10 ns, -25 %) per write */
	assert_true(end >= (2 * T_ROUNDS - 2) * 10 * 3 / 4);
	assert_true(end <= 2 * T_ROUNDS * (13 + 1) + 25);
	sim_cost_destroy(c);
}

/* The farther apart, the longer: a cluster, a die, a package, a socket */
static void test_distance(void **state)
{
	static const unsigned int other[] = { 1, 4, 8, 16 };
	static const uint64_t lat[] = { 10, 20, 50, 200 };
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(other); i++) {
		struct t_run t = { .partner = other[i] };
		struct sim_cost_line_stats ls;
		struct sim_cost *c;
		uint64_t end;

		/* CPUs 0 and other[i]: those between have nothing to do */
		c = t_run(&t, other[i] + 1, t_rmws);
		end = max(t.end[0], t.end[other[i]]);
		sim_cost_line(c, &t.shared, &ls);
		printf("CPU 0 and CPU %u: %llu ns for %llu writes\n", other[i],
		       (unsigned long long)end, (unsigned long long)ls.rmws);
		assert_true(end >= lat[i] * 3 / 4 * 2 * T_ROUNDS - 2 * lat[i]);
		sim_cost_destroy(c);
	}
}

static void t_reader(unsigned int cpu, void *arg)
{
	struct t_run *t = arg;
	unsigned int i;

	for (i = 0; i < T_ROUNDS; i++)
		khooks_vcpu_access(KHOOKS_VCPU_LOAD, &t->shared,
				   sizeof(t->shared));
	t->end[cpu] = khooks_vcpu_clock();
}

/* Loads of a line nobody writes: one transfer, then hits */
static void test_loads_hit(void **state)
{
	struct t_run t = { 0 };
	struct sim_cost_line_stats ls;
	struct sim_cost *c;

	(void)state;
	c = t_run(&t, 2, t_reader);
	sim_cost_line(c, &t.shared, &ls);
	assert_int_equal(ls.loads, 2 * T_ROUNDS);
	assert_int_equal(ls.transfers, 2);
	assert_in_range(t.end[0], T_ROUNDS + 15, T_ROUNDS + 25);
	sim_cost_destroy(c);
}

/*
 * The same run, its objects elsewhere in memory (another offset within a
 * page and a line): the same times; another seed: others
 */
static void test_deterministic(void **state)
{
	struct t_run *a = calloc(1, sizeof(*a) + 4096);
	struct t_run *b = (struct t_run *)((char *)a + 4096 - 24);
	struct sim_cost *c;
	uint64_t end_a[T_MAX_CPUS];
	unsigned int i;

	(void)state;
	assert_non_null(a);
	c = t_run(a, 8, t_rmws);
	sim_cost_destroy(c);
	memcpy(end_a, a->end, sizeof(end_a));
	memset(b, 0, sizeof(*b));
	c = t_run(b, 8, t_rmws);
	sim_cost_destroy(c);
	for (i = 0; i < 8; i++)
		assert_int_equal(b->end[i], end_a[i]);
	free(a);
}

static void test_profiles(void **state)
{
	struct sim_cost_profile p;
	struct sim_cost *c;

	(void)state;
	assert_int_equal(sim_cost_profile_find("kunpeng920-96", &p), 0);
	assert_int_equal(sim_cost_profile_cores(&p), 96);
	assert_true(p.lat_ns[SIM_COST_SOCKET] > p.lat_ns[SIM_COST_PACKAGE]);
	assert_int_equal(sim_cost_profile_find("none", &p), -ENOENT);
	assert_int_equal(sim_cost_create(&t_profile, 33, 1, &c), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_own_lines),
		cmocka_unit_test(test_one_line_serialises),
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_loads_hit),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_profiles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
