// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual CPUs of <khooks/vcpu.h>.  The khooks_vcpu build links this
 * file beside shim/wmm.c, whose hooks call khooks_vcpu_access() first: the
 * points of <khooks/wmm.h> are where the running CPU may lose its turn.
 *
 * Each CPU is a ucontext on a stack of its own; a switch is one
 * swapcontext() from the CPU that loses its turn to the one that takes it,
 * and a CPU that returns goes back to khooks_vcpu_run(), which starts the
 * next.  The sanitizers are told of every switch (fibers), so ASan's stack
 * checks and TSan's shadow stacks follow the CPUs.  Two policies choose
 * the next CPU: PCT's priorities (vcpu_pick()) or, with
 * KHOOKS_VCPU_TIME, each CPU's clock (vcpu_pick_time()).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <khooks/vcpu.h>
#include <khooks/wmm.h>

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef __SANITIZE_THREAD__
#include <sanitizer/tsan_interface.h>
#endif

struct vcpu {
	ucontext_t ctx;
	void *stack;
	int64_t prio; /* the highest runnable one runs */
	uint64_t off_until; /* preempted: off until this step */
	uint64_t clock; /* KHOOKS_VCPU_TIME: its time, in ns */
	/* KHOOKS_VCPU_TIME: waits for a write to @watch, an event, @wake_by */
	bool blocked;
	uintptr_t watch; /* the cache line it last read, 0: none */
	uintptr_t wrote; /* the line its last access writes, once done */
	uint64_t wake_by; /* blocked: its wait ends then at the latest */
	bool done;
	bool waiting; /* its last point was a wait */
	/* its waits in a row that found every other CPU waiting */
	unsigned int quiet;
	void *tsan_fiber;
};

static struct {
	bool on;
	struct vcpu *cpu;
	unsigned int n, cur;
	ucontext_t main;
	void *main_tsan_fiber;
	const void *main_stack; /* its bounds, for ASan, from the first switch */
	size_t main_stack_size, stack_bytes;
	uint64_t change[KHOOKS_VCPU_MAX_CHANGE_POINTS]; /* sorted step numbers */
	unsigned int nchange, next_change;
	int64_t low; /* the next priority below every other */
	uint64_t max_steps;
	bool livelock;
	/* in cfg->step, or held (khooks_vcpu_hold()): points are not steps */
	bool in_step;
	uint64_t run_len; /* steps the running CPU took since it took over */
	void (*step)(void *arg);
	void *step_arg;
	void (*swap)(unsigned int from, unsigned int to, void *arg);
	void *swap_arg;
	uint64_t rng; /* the run's choices after its set-up */
	uint32_t preempt_one_in;
	uint32_t preempt_buffered_one_in;
	unsigned int preempt_max_log2;
	enum khooks_vcpu_policy policy;
	uint64_t (*cost)(void *arg, unsigned int cpu, enum khooks_vcpu_op op,
			 const volatile void *p, size_t size);
	uint64_t (*next_event)(void *arg);
	void *cost_arg;
	uint64_t wait_max_ns;
	khooks_vcpu_fn fn;
	void *arg;
	struct khooks_vcpu_stats st;
} vc = { .cur = KHOOKS_VCPU_NONE };

/* splitmix64: the run's choices */
static uint64_t vcpu_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * Hand the thread from the context @from to @to (whose stack is @stack, or
 * NULL for the caller of khooks_vcpu_run()).  @exiting: @from never runs
 * again, so ASan may drop its fake stack.
 */
static void vcpu_swap(ucontext_t *from, ucontext_t *to, const void *stack,
		      void *tsan_fiber, bool exiting)
{
#ifdef __SANITIZE_ADDRESS__
	void *fake = NULL;

	__sanitizer_start_switch_fiber(
		exiting ? NULL : &fake, stack ? stack : vc.main_stack,
		stack ? vc.stack_bytes : vc.main_stack_size);
#endif
#ifdef __SANITIZE_THREAD__
	__tsan_switch_to_fiber(tsan_fiber, 0);
#endif
	(void)stack;
	(void)tsan_fiber;
	(void)exiting;
	swapcontext(from, to);
#ifdef __SANITIZE_ADDRESS__
	__sanitizer_finish_switch_fiber(fake, NULL, NULL);
#endif
}

/*
 * KHOOKS_VCPU_TIME: the CPU left whose clock is earliest, then the highest
 * (@awake: of those not blocked)
 */
static unsigned int vcpu_earliest(bool awake)
{
	unsigned int i, best = KHOOKS_VCPU_NONE;

	for (i = 0; i < vc.n; i++) {
		const struct vcpu *c = &vc.cpu[i];

		if (c->done || (awake && c->blocked))
			continue;
		if (best == KHOOKS_VCPU_NONE || c->clock < vc.cpu[best].clock ||
		    (c->clock == vc.cpu[best].clock &&
		     c->prio > vc.cpu[best].prio))
			best = i;
	}
	return best;
}

/*
 * KHOOKS_VCPU_TIME: the earliest CPU not blocked.  A waiting CPU wakes at
 * the platform's next event or at the end of its longest wait, whichever
 * is first, once no CPU awake is earlier; CPUs that all wait with neither
 * spin on, each wait at its cost.
 */
static unsigned int vcpu_pick_time(void)
{
	uint64_t t = vc.next_event ? vc.next_event(vc.cost_arg) : UINT64_MAX;
	unsigned int i, best = vcpu_earliest(true);
	uint64_t now = best == KHOOKS_VCPU_NONE ? UINT64_MAX :
						  vc.cpu[best].clock;
	bool woke = false;

	for (i = 0; i < vc.n; i++) {
		struct vcpu *c = &vc.cpu[i];
		uint64_t w = c->wake_by < t ? c->wake_by : t;

		if (c->done || !c->blocked || w == UINT64_MAX || w > now)
			continue;
		c->blocked = false;
		if (c->clock < w)
			c->clock = w;
		woke = true;
	}
	if (best == KHOOKS_VCPU_NONE && !woke)
		for (i = 0; i < vc.n; i++)
			vc.cpu[i].blocked = false;
	return vcpu_earliest(true);
}

/*
 * The runnable CPU of highest priority, or when every CPU left is
 * preempted the one due first (KHOOKS_VCPU_NONE: none left)
 */
static unsigned int vcpu_pick(void)
{
	unsigned int i, best = KHOOKS_VCPU_NONE, due = KHOOKS_VCPU_NONE;

	if (vc.policy == KHOOKS_VCPU_TIME)
		return vcpu_pick_time();

	for (i = 0; i < vc.n; i++) {
		struct vcpu *c = &vc.cpu[i];

		if (c->done)
			continue;
		if (c->off_until > vc.st.steps) {
			if (due == KHOOKS_VCPU_NONE ||
			    c->off_until < vc.cpu[due].off_until)
				due = i;
		} else if (best == KHOOKS_VCPU_NONE ||
			   c->prio > vc.cpu[best].prio) {
			best = i;
		}
	}
	return best != KHOOKS_VCPU_NONE ? best : due;
}

/*
 * A KHOOKS_VCPU_TIME run's CPU is running: what khooks_vcpu_timed() reads
 * (inline: the platform's clock asks it on every read), kept by
 * vcpu_set_cur() and the run's start and end
 */
bool khooks_vcpu_timed_now;

static void vcpu_timed_update(void)
{
	__atomic_store_n(&khooks_vcpu_timed_now,
			 vc.cur != KHOOKS_VCPU_NONE &&
				 vc.policy == KHOOKS_VCPU_TIME,
			 __ATOMIC_RELAXED);
}

/* The running CPU becomes @to (KHOOKS_VCPU_NONE: the caller of the run) */
static void vcpu_set_cur(unsigned int to)
{
	if (vc.swap)
		vc.swap(vc.cur, to, vc.swap_arg);
	vc.cur = to;
	vcpu_timed_update();
}

static void vcpu_to_main(bool exiting)
{
	struct vcpu *self = &vc.cpu[vc.cur];

	vcpu_set_cur(KHOOKS_VCPU_NONE);
	vcpu_swap(&self->ctx, &vc.main, NULL, vc.main_tsan_fiber, exiting);
}

/* The cache line of @p (0: no address) */
static uintptr_t vcpu_line(const volatile void *p)
{
	return p ? (uintptr_t)p / KHOOKS_VCPU_LINE_BYTES + 1 : 0;
}

/*
 * KHOOKS_VCPU_TIME: the CPUs blocked on cache line @line see it written at
 * @self's time (0: no line)
 */
static void vcpu_wake(const struct vcpu *self, uintptr_t line)
{
	unsigned int i;

	for (i = 0; line && i < vc.n; i++) {
		struct vcpu *c = &vc.cpu[i];

		if (!c->blocked || c->watch != line)
			continue;
		c->blocked = false;
		if (c->clock < self->clock)
			c->clock = self->clock;
	}
}

static void vcpu_entry(unsigned int lo, unsigned int hi)
{
	unsigned int i = lo | (unsigned int)((uint64_t)hi << 16);

#ifdef __SANITIZE_ADDRESS__
	__sanitizer_finish_switch_fiber(NULL, &vc.main_stack,
					&vc.main_stack_size);
#endif
	/* An empty buffer, the model off (a run a livelock left had one) */
	khooks_wmm_thread_start(0);
	khooks_wmm_thread_stop();
	vc.fn(i, vc.arg);
	khooks_wmm_thread_stop(); /* its buffered stores, if it had any */
	if (vc.policy == KHOOKS_VCPU_TIME)
		vcpu_wake(&vc.cpu[i], vc.cpu[i].wrote);
	vc.cpu[i].done = true;
	vcpu_to_main(true);
}

/*
 * Whether every CPU but @self that has not returned stopped at a wait, and
 * no CPU holds stores in its buffer (those the waits will let out yet)
 */
static bool vcpu_others_waiting(unsigned int self)
{
	unsigned int i;

	for (i = 0; i < vc.n; i++)
		if ((i != self && !vc.cpu[i].done && !vc.cpu[i].waiting) ||
		    khooks_wmm_buffered(i))
			return false;
	return true;
}

/*
 * The platform's step (its points are not steps).  KHOOKS_VCPU_TIME: on
 * the CPU about to run, whose clock is the earliest, so the platform never
 * acts ahead of a CPU that could still see it before.
 */
static void vcpu_step(void)
{
	if (!vc.step)
		return;
	vc.in_step = true;
	vc.step(vc.step_arg);
	vc.in_step = false;
}

/*
 * KHOOKS_VCPU_TIME: CPU @self's clock moves on by what the access costs.  A
 * wait blocks it until another CPU writes the cache line it last read (a
 * store, an RMW, an MMIO write), which it then sees at that CPU's time, or
 * until the platform's next event: an arm64 WFE woken by its monitor.  A
 * write wakes at its CPU's next point, once performed (or, buffered by a
 * weakly ordered CPU, when it leaves the buffer: khooks_vcpu_written()).
 */
static void vcpu_charge(struct vcpu *self, enum khooks_vcpu_op op,
			const volatile void *p, size_t size)
{
	uintptr_t line = vcpu_line(p);

	vcpu_wake(self, self->wrote);
	self->wrote = 0;
	self->clock += vc.cost ? vc.cost(vc.cost_arg, vc.cur, op, p, size) : 1;
	switch (op) {
	case KHOOKS_VCPU_WAIT:
		/*
		 * A core that waits does not hold its stores back; an MMIO
		 * write among them may give the platform work, which its
		 * next event must then count
		 */
		if (khooks_wmm_buffered(vc.cur)) {
			khooks_wmm_fence();
			vcpu_step();
		}
		self->blocked = true;
		self->wake_by = vc.wait_max_ns ? self->clock + vc.wait_max_ns :
						 UINT64_MAX;
		break;
	case KHOOKS_VCPU_LOAD:
		self->watch = line;
		break;
	case KHOOKS_VCPU_RMW:
		self->watch = line;
		self->wrote = line;
		break;
	case KHOOKS_VCPU_STORE:
	case KHOOKS_VCPU_MMIO:
		self->wrote = line;
		break;
	default:
		break;
	}
}

/* Whether to preempt @cpu at this step (its odds, drawn from the seed) */
static bool vcpu_preempt_now(unsigned int cpu)
{
	uint32_t one_in = vc.preempt_one_in;

	if (vc.preempt_buffered_one_in && khooks_wmm_buffered(cpu))
		one_in = vc.preempt_buffered_one_in;
	return one_in && vcpu_rand(&vc.rng) % one_in == 0;
}

/*
 * An interleaving point of the running CPU, before an access @op of @size
 * bytes at @p (KHOOKS_VCPU_WAIT: it spins on another); @pause: it then
 * stays off for that many steps of the others
 */
static void vcpu_point(enum khooks_vcpu_op op, const volatile void *p,
		       size_t size, uint64_t pause)
{
	bool wait = op == KHOOKS_VCPU_WAIT;
	unsigned int prev = vc.cur, next;
	struct vcpu *self;

	if (prev == KHOOKS_VCPU_NONE || vc.in_step)
		return;
	self = &vc.cpu[prev];
	self->waiting = wait;
	if (wait && vc.policy == KHOOKS_VCPU_PCT)
		self->quiet = vcpu_others_waiting(prev) ? self->quiet + 1 : 0;
	vc.st.steps++;
	if (vc.policy == KHOOKS_VCPU_TIME)
		vcpu_charge(self, op, p, size);
	else
		vcpu_step();
	if (vc.policy == KHOOKS_VCPU_TIME) {
		vc.st.waits += wait;
	} else if (wait) {
		vc.st.waits++;
		self->prio = vc.low--;
		self->off_until = vc.st.steps + pause;
	} else if (++vc.run_len >= KHOOKS_VCPU_SLICE) {
		self->prio = vc.low--; /* a busy loop yields too */
	} else if (vcpu_preempt_now(prev)) {
		self->prio = vc.low--;
		self->off_until =
			vc.st.steps + (1ULL << (vcpu_rand(&vc.rng) %
						(vc.preempt_max_log2 + 1)));
		/* Some of its stores leave while it is off: no nested points */
		vc.in_step = true;
		khooks_wmm_interrupted();
		vc.in_step = false;
	}
	while (vc.next_change < vc.nchange &&
	       vc.change[vc.next_change] <= vc.st.steps) {
		vc.next_change++;
		self->prio = vc.low--;
	}
	if (vc.st.steps >= vc.max_steps) {
		vc.livelock = true;
		vcpu_to_main(false); /* never resumed */
	}
	next = vcpu_pick();
	if (next != prev)
		vcpu_set_cur(next);
	if (vc.policy == KHOOKS_VCPU_TIME)
		vcpu_step();
	if (next == prev)
		return;
	vc.run_len = 0;
	vc.st.switches++;
	vcpu_swap(&self->ctx, &vc.cpu[next].ctx, vc.cpu[next].stack,
		  vc.cpu[next].tsan_fiber, false);
}

static int vcpu_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void vcpu_free(void)
{
	unsigned int i;

	for (i = 0; i < vc.n; i++) {
#ifdef __SANITIZE_THREAD__
		if (vc.cpu[i].tsan_fiber)
			__tsan_destroy_fiber(vc.cpu[i].tsan_fiber);
#endif
		free(vc.cpu[i].stack);
	}
	free(vc.cpu);
	vc.cpu = NULL;
	vc.n = 0;
	vc.on = false;
}

/* Priorities: a random permutation of n .. 2n-1, above every demotion */
static void vcpu_priorities(uint64_t *rng)
{
	unsigned int i, j;
	int64_t t;

	for (i = 0; i < vc.n; i++)
		vc.cpu[i].prio = (int64_t)vc.n + i;
	for (i = vc.n - 1; i > 0; i--) {
		j = vcpu_rand(rng) % (i + 1);
		t = vc.cpu[i].prio;
		vc.cpu[i].prio = vc.cpu[j].prio;
		vc.cpu[j].prio = t;
	}
	vc.low = vc.n - 1;
}

/* CPU @i's context, to start at vcpu_entry(); -ENOMEM */
static int vcpu_make(unsigned int i)
{
	struct vcpu *c = &vc.cpu[i];

	c->stack = malloc(vc.stack_bytes);
	if (!c->stack || getcontext(&c->ctx))
		return -ENOMEM;
	c->ctx.uc_stack.ss_sp = c->stack;
	c->ctx.uc_stack.ss_size = vc.stack_bytes;
	c->ctx.uc_link = NULL;
	makecontext(&c->ctx, (void (*)(void))vcpu_entry, 2, i & 0xffff,
		    i >> 16);
#ifdef __SANITIZE_THREAD__
	c->tsan_fiber = __tsan_create_fiber(0);
#endif
	return 0;
}

int khooks_vcpu_run(const struct khooks_vcpu_config *cfg, khooks_vcpu_fn fn,
		    void *arg, struct khooks_vcpu_stats *stats)
{
	uint64_t rng = cfg->seed;
	unsigned int i, next;
	int ret;

	if (vc.on || !cfg->cpus || cfg->cpus > KHOOKS_VCPU_MAX_CPUS ||
	    cfg->change_points > KHOOKS_VCPU_MAX_CHANGE_POINTS ||
	    cfg->preempt_max_log2 > KHOOKS_VCPU_MAX_PREEMPT_LOG2 ||
	    cfg->policy > KHOOKS_VCPU_TIME || !cfg->horizon || !cfg->max_steps)
		return -EINVAL;
	memset(&vc.st, 0, sizeof(vc.st));
	vc.stack_bytes = cfg->stack_bytes ?: KHOOKS_VCPU_STACK_BYTES;
	vc.cpu = calloc(cfg->cpus, sizeof(*vc.cpu));
	if (!vc.cpu)
		return -ENOMEM;
	vc.on = true;
	vc.n = cfg->cpus;
	vc.fn = fn;
	vc.arg = arg;
	vc.max_steps = cfg->max_steps;
	vc.livelock = false;
	vc.step = cfg->step;
	vc.step_arg = cfg->step_arg;
	vc.swap = cfg->swap;
	vc.swap_arg = cfg->swap_arg;
	vc.preempt_one_in = cfg->preempt_one_in;
	vc.preempt_max_log2 = cfg->preempt_max_log2;
	vc.preempt_buffered_one_in = cfg->preempt_buffered_one_in;
	vc.policy = cfg->policy;
	vc.cost = cfg->cost;
	vc.next_event = cfg->next_event;
	vc.cost_arg = cfg->cost_arg;
	vc.wait_max_ns = cfg->wait_max_ns;
	vcpu_priorities(&rng);
	vc.nchange = cfg->change_points;
	vc.next_change = 0;
	for (i = 0; i < vc.nchange; i++)
		vc.change[i] = 1 + vcpu_rand(&rng) % cfg->horizon;
	qsort(vc.change, vc.nchange, sizeof(vc.change[0]), vcpu_cmp_u64);
	vc.rng = rng;
#ifdef __SANITIZE_THREAD__
	vc.main_tsan_fiber = __tsan_get_current_fiber();
#endif
	for (i = 0; i < vc.n; i++) {
		if (vcpu_make(i)) {
			vcpu_free();
			return -ENOMEM;
		}
	}
	while (!vc.livelock && (next = vcpu_pick()) != KHOOKS_VCPU_NONE) {
		vcpu_set_cur(next);
		if (vc.policy == KHOOKS_VCPU_TIME)
			vcpu_step();
		vc.run_len = 0;
		vc.st.switches++;
		vcpu_swap(&vc.main, &vc.cpu[next].ctx, vc.cpu[next].stack,
			  vc.cpu[next].tsan_fiber, false);
	}
	if (stats)
		*stats = vc.st;
	ret = vc.livelock ? -EDEADLK : 0;
	vcpu_free();
	return ret;
}

bool khooks_vcpu_supported(void)
{
	return true;
}

void khooks_vcpu_reset(void)
{
	if (!vc.on)
		return;
	vc.cur = KHOOKS_VCPU_NONE;
	vcpu_timed_update();
	vcpu_free();
}

void khooks_vcpu_point(bool wait)
{
	vcpu_point(wait ? KHOOKS_VCPU_WAIT : KHOOKS_VCPU_POINT, NULL, 0, 0);
}

void khooks_vcpu_access(enum khooks_vcpu_op op, const volatile void *p,
			size_t size)
{
	vcpu_point(op, p, size, 0);
}

void khooks_vcpu_pause(uint64_t steps)
{
	vcpu_point(KHOOKS_VCPU_WAIT, NULL, 0, steps);
}

void khooks_vcpu_written(const volatile void *p)
{
	unsigned int i;

	if (!khooks_vcpu_timed())
		return;
	if (p) {
		vcpu_wake(&vc.cpu[vc.cur], vcpu_line(p));
		return;
	}
	for (i = 0; i < vc.n; i++)
		vcpu_wake(&vc.cpu[vc.cur], vc.cpu[i].watch);
}

bool khooks_vcpu_hold(bool hold)
{
	bool was = vc.in_step;

	vc.in_step = hold;
	return was;
}

uint64_t khooks_vcpu_clock(void)
{
	return khooks_vcpu_timed() ? vc.cpu[vc.cur].clock : 0;
}

void khooks_vcpu_delay(uint64_t ns)
{
	if (!khooks_vcpu_timed())
		return;
	/* A core's stores leave its buffer while it spends that time */
	if (khooks_wmm_buffered(vc.cur))
		khooks_wmm_fence();
	vc.cpu[vc.cur].clock += ns;
	vcpu_point(KHOOKS_VCPU_POINT, NULL, 0, 0);
}

unsigned int khooks_vcpu_self(void)
{
	return vc.cur;
}

/*
 * Twice in a row: between the two waits every other CPU ran (a wait drops
 * its CPU below every other) and came back to a wait, so none of them found
 * what it waits for, whatever was stored before
 */
bool khooks_vcpu_all_waiting(void)
{
	return vc.cur != KHOOKS_VCPU_NONE && vc.cpu[vc.cur].quiet >= 2 &&
	       vcpu_others_waiting(vc.cur);
}
