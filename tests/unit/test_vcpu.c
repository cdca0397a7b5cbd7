// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual CPUs' time-ordered policy (<khooks/vcpu.h>,
 * KHOOKS_VCPU_TIME), through its public interface: the CPU whose clock is
 * earliest runs, each point costs what the cost function says, a delay
 * moves only its CPU's clock, a wait blocks until another CPU stores or the
 * platform's next event, and the seed decides only ties; and the platform's
 * virtual clock (sim/clock.h) on such CPUs.  And PCT's preemption of a CPU
 * with stores buffered, which lets some of them out while it is off.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <linux/kernel.h>
#include <khooks/vcpu.h>
#include <khooks/wmm.h>
#include <sim/clock.h>

#define T_CPUS 3
#define T_POINTS 100
#define T_LOG (T_CPUS * (T_POINTS + 4))
#define T_MAX_STEPS 1000000

/* What the CPUs did: which one resumed, at what time on its clock */
struct t_log {
	unsigned int n;
	struct {
		unsigned int cpu;
		uint64_t clock;
	} e[T_LOG];
};

struct t_run {
	struct t_log log;
	uint64_t word, flag;
	uint64_t end[T_CPUS];
	unsigned int spins;
	uint64_t event; /* the platform's next event (UINT64_MAX: none) */
};

static void t_record(struct t_run *t, unsigned int cpu)
{
	assert_true(t->log.n < T_LOG);
	t->log.e[t->log.n].cpu = cpu;
	t->log.e[t->log.n++].clock = khooks_vcpu_clock();
}

/* CPU i's points cost i + 1 ns */
static uint64_t t_cost(void *arg, unsigned int cpu, enum khooks_vcpu_op op,
		       const volatile void *p, size_t size)
{
	(void)arg;
	(void)op;
	(void)p;
	(void)size;
	return cpu + 1;
}

static uint64_t t_next_event(void *arg)
{
	return ((struct t_run *)arg)->event;
}

/* T_CPUS time-ordered CPUs, CPU i's points i + 1 ns, @t's event */
static struct khooks_vcpu_config t_config(struct t_run *t, uint64_t seed)
{
	return (struct khooks_vcpu_config){
		.cpus = T_CPUS,
		.seed = seed,
		.horizon = 1,
		.max_steps = T_MAX_STEPS,
		.policy = KHOOKS_VCPU_TIME,
		.cost = t_cost,
		.next_event = t_next_event,
		.cost_arg = t,
	};
}

static int t_run(struct t_run *t, uint64_t seed, khooks_vcpu_fn fn)
{
	const struct khooks_vcpu_config cfg = t_config(t, seed);

	return khooks_vcpu_run(&cfg, fn, t, NULL);
}

/* Each CPU loads T_POINTS times, and notes when it resumed */
static void t_loads(unsigned int cpu, void *arg)
{
	struct t_run *t = arg;
	unsigned int i;

	for (i = 0; i < T_POINTS; i++) {
		khooks_vcpu_access(KHOOKS_VCPU_LOAD, &t->word, sizeof(t->word));
		t_record(t, cpu);
	}
	t->end[cpu] = khooks_vcpu_clock();
}

static void test_earliest_runs(void **state)
{
	struct t_run t = { .event = UINT64_MAX };
	unsigned int i;

	(void)state;
	assert_int_equal(t_run(&t, 1, t_loads), 0);
	assert_int_equal(t.log.n, T_CPUS * T_POINTS);
	/* Whoever resumes is the earliest: time never goes back */
	for (i = 1; i < t.log.n; i++)
		assert_true(t.log.e[i].clock >= t.log.e[i - 1].clock);
	for (i = 0; i < T_CPUS; i++)
		assert_int_equal(t.end[i], (uint64_t)T_POINTS * (i + 1));
	/* Outside the run there is no clock */
	assert_int_equal(khooks_vcpu_clock(), 0);
	assert_false(khooks_vcpu_timed());
}

/* CPU 0 sleeps 1 us; the others load meanwhile */
static void t_delay(unsigned int cpu, void *arg)
{
	struct t_run *t = arg;

	if (cpu) {
		t_loads(cpu, arg);
		return;
	}
	khooks_vcpu_delay(1000);
	t_record(t, cpu);
	t->end[cpu] = khooks_vcpu_clock();
}

static void test_delay_moves_its_cpu_only(void **state)
{
	struct t_run t = { .event = UINT64_MAX };
	unsigned int i;

	(void)state;
	assert_int_equal(t_run(&t, 1, t_delay), 0);
	/* The others (2 and 3 ns a point) all end before 1 us */
	assert_int_equal(t.log.e[t.log.n - 1].cpu, 0);
	for (i = 0; i + 1 < t.log.n; i++)
		assert_int_not_equal(t.log.e[i].cpu, 0);
	assert_int_equal(t.end[0], 1000 + 1);
	assert_int_equal(t.end[1], T_POINTS * 2);
}

/*
 * CPU 0 waits for a flag CPU 2 sets after its loads; CPU 1 only loads: the
 * waiter is not woken by loads, and sees the store at CPU 2's time
 */
static void t_wait(unsigned int cpu, void *arg)
{
	struct t_run *t = arg;

	if (cpu == 1) {
		t_loads(cpu, arg);
		return;
	}
	if (cpu == 2) {
		t_loads(cpu, arg);
		khooks_vcpu_access(KHOOKS_VCPU_STORE, &t->flag,
				   sizeof(t->flag));
		t->flag = 1;
		return;
	}
	for (;;) {
		khooks_vcpu_access(KHOOKS_VCPU_LOAD, &t->flag, sizeof(t->flag));
		if (t->flag)
			break;
		t->spins++;
		khooks_vcpu_access(KHOOKS_VCPU_WAIT, NULL, 0);
	}
	t->end[0] = khooks_vcpu_clock();
}

static void test_wait_blocks_until_a_store(void **state)
{
	struct t_run t = { .event = UINT64_MAX };

	(void)state;
	assert_int_equal(t_run(&t, 1, t_wait), 0);
	/* Woken by the store's point (the flag not yet set), then set */
	assert_true(t.spins <= 2);
	assert_true(t.end[0] >= t.end[2]);
}

/* Every CPU waits on a flag no CPU sets: the platform's event wakes them */
static void t_event(unsigned int cpu, void *arg)
{
	struct t_run *t = arg;

	(void)cpu;
	while (khooks_vcpu_clock() < 5000) {
		khooks_vcpu_access(KHOOKS_VCPU_WAIT, NULL, 0);
		t->spins++;
	}
}

static void test_all_waiting_wakes_at_the_event(void **state)
{
	struct t_run t = { .event = 5000 };

	(void)state;
	assert_int_equal(t_run(&t, 1, t_event), 0);
	/* One wait each to block, one more each once woken at 5 us */
	assert_true(t.spins <= 2 * T_CPUS);
}

/* Equal costs everywhere: the seed decides ties, the same seed the same */
static uint64_t t_flat(void *arg, unsigned int cpu, enum khooks_vcpu_op op,
		       const volatile void *p, size_t size)
{
	(void)arg;
	(void)cpu;
	(void)op;
	(void)p;
	(void)size;
	return 1;
}

static void t_order(struct t_run *t, uint64_t seed)
{
	struct khooks_vcpu_config cfg = t_config(t, seed);

	memset(t, 0, sizeof(*t));
	t->event = UINT64_MAX;
	cfg.cost = t_flat;
	assert_int_equal(khooks_vcpu_run(&cfg, t_loads, t, NULL), 0);
}

static void test_seed_breaks_ties(void **state)
{
	static struct t_run a, b;
	unsigned int seed, differ = 0;

	(void)state;
	t_order(&a, 1);
	t_order(&b, 1);
	assert_memory_equal(&a.log, &b.log, sizeof(a.log));
	for (seed = 2; seed < 10; seed++) {
		t_order(&b, seed);
		differ += memcmp(&a.log, &b.log, sizeof(a.log)) != 0;
	}
	assert_true(differ > 0);
}

/*
 * The platform on time-ordered CPUs: a device (a poller) that answers at
 * 500 ns, a CPU that waits for it while another runs far ahead, and a
 * kernel delay
 */
#define T_ANSWER_NS 500

static u64 t_device(void *arg)
{
	struct t_run *t = arg;

	if (sim_clock_now_ns() < T_ANSWER_NS)
		return T_ANSWER_NS;
	t->flag = 1;
	return SIM_CLOCK_NEVER;
}

static void t_platform(unsigned int cpu, void *arg)
{
	struct t_run *t = arg;
	unsigned int i;

	switch (cpu) {
	case 0:
		while (khooks_vcpu_access(KHOOKS_VCPU_LOAD, &t->flag, 8),
		       !t->flag) {
			t->spins++;
			khooks_vcpu_access(KHOOKS_VCPU_WAIT, NULL, 0);
		}
		break;
	case 1:
		for (i = 0; i < 10 * T_POINTS; i++)
			khooks_vcpu_access(KHOOKS_VCPU_LOAD, &t->word, 8);
		break;
	default:
		sim_clock_kernel_delay_ns(1000);
		break;
	}
	t->end[cpu] = sim_clock_now_ns();
	assert_int_equal(t->end[cpu], khooks_vcpu_clock());
}

static void test_platform_time(void **state)
{
	struct t_run t = { 0 };
	struct khooks_vcpu_config cfg = t_config(&t, 1);

	(void)state;
	cfg.next_event = sim_clock_next_event;
	cfg.step = sim_clock_step;
	cfg.wait_max_ns = SIM_CLOCK_EVTSTRM_NS;
	assert_int_equal(sim_clock_init(SIM_CLOCK_VIRTUAL), 0);
	assert_int_equal(sim_clock_add_poller(t_device, &t), 0);
	assert_int_equal(khooks_vcpu_run(&cfg, t_platform, &t, NULL), 0);
	sim_clock_del_poller(t_device, &t);
	/* The answer woke the waiter at its time, not CPU 1's */
	assert_in_range(t.end[0], T_ANSWER_NS, T_ANSWER_NS + 10);
	assert_true(t.spins <= 2);
	assert_int_equal(t.end[1], 10 * T_POINTS * 2);
	/* The delay is CPU 2's alone: 1 us and the point after it */
	assert_int_equal(t.end[2], 1000 + 3);
	/* The shared clock kept the latest time a CPU saw */
	assert_int_equal(sim_clock_now_ns(), t.end[1]);
}

/*
 * PCT with preemption: CPU 0, weakly ordered, stores x then y and stops at
 * a third point with both buffered; CPU 1 reads y, then x, until CPU 0
 * is done.  Only stores that leave while CPU 0 is off can show y without x.
 */
#define T_SB_SEEDS 64

struct t_sb {
	uint64_t x, y, z;
	uint64_t seed;
	bool done; /* CPU 0's stores have all left */
	bool y_without_x;
};

static uint64_t t_sb_load(uint64_t *p)
{
	khooks_wmm_access(p, sizeof(*p), __ATOMIC_RELAXED);
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void t_sb(unsigned int cpu, void *arg)
{
	struct t_sb *t = arg;
	const uint64_t one = 1;

	if (cpu == 0) {
		khooks_wmm_thread_start(t->seed);
		khooks_wmm_store(&t->x, &one, sizeof(one));
		khooks_wmm_store(&t->y, &one, sizeof(one));
		t_sb_load(&t->z);
		khooks_wmm_thread_stop();
		__atomic_store_n(&t->done, true, __ATOMIC_RELAXED);
		return;
	}
	while (!__atomic_load_n(&t->done, __ATOMIC_RELAXED))
		if (t_sb_load(&t->y) && !t_sb_load(&t->x))
			t->y_without_x = true;
}

/* Of seeds 1..T_SB_SEEDS, how many let CPU 1 see y without x */
static unsigned int t_sb_seeds(uint32_t buffered_one_in)
{
	unsigned int seen = 0;
	uint64_t seed;

	for (seed = 1; seed <= T_SB_SEEDS; seed++) {
		const struct khooks_vcpu_config cfg = {
			.cpus = 2,
			.seed = seed,
			.horizon = 1,
			.max_steps = T_MAX_STEPS,
			.preempt_max_log2 = 4,
			.preempt_buffered_one_in = buffered_one_in,
		};
		struct t_sb t = { .seed = seed };

		assert_int_equal(khooks_vcpu_run(&cfg, t_sb, &t, NULL), 0);
		seen += t.y_without_x;
	}
	return seen;
}

static void test_preempted_with_stores_buffered(void **state)
{
	unsigned int with = t_sb_seeds(1), without = t_sb_seeds(0);

	(void)state;
	printf("y seen without x: %u of %u seeds preempting CPU 0 while its "
	       "stores are buffered, %u without\n",
	       with, T_SB_SEEDS, without);
	/* Its buffer drains only at its end, all at once, unless preempted */
	assert_int_equal(without, 0);
	/* Each store leaves with odds 1 in 2 at each of two preemptions */
	assert_in_range(with, 1, T_SB_SEEDS - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_earliest_runs),
		cmocka_unit_test(test_delay_moves_its_cpu_only),
		cmocka_unit_test(test_wait_blocks_until_a_store),
		cmocka_unit_test(test_all_waiting_wakes_at_the_event),
		cmocka_unit_test(test_seed_breaks_ties),
		cmocka_unit_test(test_platform_time),
		cmocka_unit_test(test_preempted_with_stores_buffered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
