// SPDX-License-Identifier: GPL-2.0
/* sim_clock: real and virtual time, and inline pollers (see clock.h) */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <asm/barrier.h>
#include <khooks/vcpu.h>

#include "clock.h"

struct sim_clock_poller {
	sim_clock_poll_fn fn;
	void *arg;
};

static enum sim_clock_source sim_clock_src = SIM_CLOCK_MONOTONIC;
bool sim_clock_virtual_on;
u64 sim_clock_virtual_ns;
struct sim_clock_tsc sim_clock_tsc;
static struct sim_clock_poller sim_clock_pollers[SIM_CLOCK_MAX_POLLERS];
static unsigned int sim_clock_num_pollers;
__thread bool sim_clock_polling;
/* By the last poll that published them (see clock.h) */
u64 sim_clock_next_seen = SIM_CLOCK_NEVER, sim_clock_kicks_seen = U64_MAX;
u64 sim_clock_kicks;
/* Solo mode: the virtual time of the one thread that uses the clock */
bool sim_clock_is_solo;
u64 sim_clock_solo_ns;

static bool sim_clock_wfe(void);

static u64 sim_clock_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

#if defined(__x86_64__) || defined(__i386__)
static u64 sim_clock_rdtsc(void)
{
	return __builtin_ia32_rdtsc();
}

/* An invariant TSC ticks at a constant rate across P- and C-states */
static bool sim_clock_tsc_usable(void)
{
	char line[4096];
	bool ok = false;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "flags", 5)) {
			ok = strstr(line, " constant_tsc") &&
			     strstr(line, " nonstop_tsc");
			break;
		}
	}
	fclose(f);
	return ok;
}

static int sim_clock_tsc_calibrate(void)
{
	u64 t0, c0, t1, c1;

	if (!sim_clock_tsc_usable())
		return -ENODEV;
	t0 = sim_clock_mono_ns();
	c0 = sim_clock_rdtsc();
	do {
		t1 = sim_clock_mono_ns();
	} while (t1 - t0 < 20 * NSEC_PER_MSEC);
	c1 = sim_clock_rdtsc();
	if (c1 <= c0)
		return -ENODEV;
	sim_clock_tsc.mult =
		(u64)(((unsigned __int128)(t1 - t0) << 32) / (c1 - c0));
	sim_clock_tsc.tsc0 = c1;
	sim_clock_tsc.ns0 = t1;
	return 0;
}
#else
static u64 sim_clock_rdtsc(void)
{
	return 0;
}

static int sim_clock_tsc_calibrate(void)
{
	return -ENODEV;
}
#endif

int sim_clock_init(enum sim_clock_source source)
{
	int ret = 0;

	switch (source) {
	case SIM_CLOCK_TSC:
		ret = sim_clock_tsc_calibrate();
		if (ret)
			source = SIM_CLOCK_MONOTONIC;
		break;
	case SIM_CLOCK_VIRTUAL:
		__atomic_store_n(&sim_clock_virtual_ns, 0, __ATOMIC_RELAXED);
		break;
	case SIM_CLOCK_MONOTONIC:
		break;
	default:
		return -EINVAL;
	}
	sim_clock_src = source;
	sim_clock_tsc.on = source == SIM_CLOCK_TSC;
	sim_clock_virtual_on = source == SIM_CLOCK_VIRTUAL;
	khooks_wait_event = source == SIM_CLOCK_VIRTUAL ? sim_clock_wfe : NULL;
	return ret;
}

enum sim_clock_source sim_clock_source(void)
{
	return sim_clock_src;
}

const char *sim_clock_name(enum sim_clock_source source)
{
	static const char *const names[] = {
		[SIM_CLOCK_MONOTONIC] = "monotonic",
		[SIM_CLOCK_TSC] = "tsc",
		[SIM_CLOCK_VIRTUAL] = "virtual",
	};

	return source < ARRAY_SIZE(names) ? names[source] : "?";
}

/* The sources but the TSC, which sim_clock_now_ns() reads inline */
/* The virtual time is at least @t_ns (max-update) */
static void sim_clock_raise(u64 t_ns)
{
	u64 now = __atomic_load_n(&sim_clock_virtual_ns, __ATOMIC_RELAXED);

	while (now < t_ns && !__atomic_compare_exchange_n(
				     &sim_clock_virtual_ns, &now, t_ns, false,
				     __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		;
}

/* What sim_clock_now_ns() does not read inline (clock.h) */
u64 sim_clock_now_slow_ns(void)
{
	u64 t;

	if (!sim_clock_virtual_on)
		return sim_clock_mono_ns();
	if (sim_clock_is_solo)
		return sim_clock_solo_ns;
	/* A time-ordered virtual CPU's clock; the shared one keeps the latest */
	t = khooks_vcpu_clock();
	sim_clock_raise(t);
	return t;
}

int sim_clock_solo(bool on)
{
	if (on) {
		if (sim_clock_src != SIM_CLOCK_VIRTUAL || sim_clock_num_pollers)
			return -EBUSY;
		sim_clock_solo_ns = sim_clock_virtual_ns;
		sim_clock_is_solo = true;
	} else if (sim_clock_is_solo) {
		sim_clock_is_solo = false;
		__atomic_store_n(&sim_clock_virtual_ns, sim_clock_solo_ns,
				 __ATOMIC_RELEASE);
	}
	return 0;
}

void sim_clock_advance_to(u64 t_ns)
{
	u64 now;

	if (sim_clock_is_solo) {
		sim_clock_solo_ns = max(sim_clock_solo_ns, t_ns);
		return;
	}
	if (khooks_vcpu_timed()) {
		/* Only the running CPU's time moves on */
		now = khooks_vcpu_clock();
		if (t_ns > now)
			khooks_vcpu_delay(t_ns - now);
		return;
	}
	sim_clock_raise(t_ns);
}

uint64_t sim_clock_next_event(void *arg)
{
	(void)arg;
	return __atomic_load_n(&sim_clock_next_seen, __ATOMIC_RELAXED);
}

void sim_clock_step(void *arg)
{
	(void)arg;
	sim_clock_poll();
}

void sim_clock_kick(void)
{
	__atomic_fetch_add(&sim_clock_kicks, 1, __ATOMIC_RELEASE);
}

/* The @n pollers of several, each once: their earliest next event */
static noinline u64 sim_clock_poll_each(unsigned int n)
{
	u64 next = SIM_CLOCK_NEVER;
	unsigned int i;

	for (i = 0; i < n; i++)
		next = min(next,
			   sim_clock_pollers[i].fn(sim_clock_pollers[i].arg));
	return next;
}

/*
 * A poll's pair, published whole (see clock.h); left to a poll that
 * publishes meanwhile
 */
static void sim_clock_publish(u64 next, u64 kicks)
{
	u64 seen = __atomic_load_n(&sim_clock_kicks_seen, __ATOMIC_RELAXED);

	if (seen == SIM_CLOCK_SEEN_BUSY ||
	    !__atomic_compare_exchange_n(&sim_clock_kicks_seen, &seen,
					 SIM_CLOCK_SEEN_BUSY, false,
					 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&sim_clock_next_seen, next, __ATOMIC_RELAXED);
	__atomic_store_n(&sim_clock_kicks_seen, kicks, __ATOMIC_RELEASE);
}

u64 sim_clock_poll_all(void)
{
	bool timed = khooks_vcpu_timed(), held = false;
	u64 next = SIM_CLOCK_NEVER, kicks;
	unsigned int n;

	kicks = __atomic_load_n(&sim_clock_kicks, __ATOMIC_ACQUIRE);
	sim_clock_polling = true;
	/*
	 * A time-ordered virtual CPU polls in one go: another one, ahead in
	 * time, must not find the SMMU half run
	 */
	if (timed)
		held = khooks_vcpu_hold(true);
	n = __atomic_load_n(&sim_clock_num_pollers, __ATOMIC_ACQUIRE);
	/* One SMMU, the common case, without the loop */
	if (likely(n == 1))
		next = sim_clock_pollers[0].fn(sim_clock_pollers[0].arg);
	else if (n)
		next = sim_clock_poll_each(n);
	if (timed)
		khooks_vcpu_hold(held);
	sim_clock_polling = false;
	sim_clock_publish(next, kicks);
	return next;
}

/*
 * Virtual time, a kernel wait of at most @ns: time moves on to the next
 * event or to the deadline, whichever comes first.  False in the real
 * modes, in solo mode (no pollers, no events) and inside a poller: the
 * caller then delays as usual.  On a virtual CPU of <khooks/vcpu.h> time
 * moves so only once every other CPU waits too: until then the wait is its
 * interleaving point alone, the others run, and their steps are the time
 * (a CPU preempted in a critical section does not make its waiters' time
 * run out); then by an event-stream period at most, as a delay that grew
 * while the others ran was not waited in one go.
 */
static bool sim_clock_wait_until_event(u64 ns)
{
	u64 now, next;

	if (sim_clock_src != SIM_CLOCK_VIRTUAL || sim_clock_is_solo)
		return false;
	/* A time-ordered CPU: a delay is its own, whatever comes first */
	if (khooks_vcpu_timed()) {
		khooks_vcpu_delay(ns);
		return true;
	}
	/*
	 * In a poller, or (the flag is the thread's) another virtual CPU
	 * stopped inside one: on a virtual CPU the wait is its point alone
	 */
	if (sim_clock_polling)
		return khooks_vcpu_self() != KHOOKS_VCPU_NONE;
	if (khooks_vcpu_self() != KHOOKS_VCPU_NONE) {
		if (!khooks_vcpu_all_waiting())
			return true;
		/* a back-off that grew while others ran is not one wait */
		ns = min(ns, (u64)SIM_CLOCK_EVTSTRM_NS);
	}
	/*
	 * From here the time is the shared virtual one, outside a poller and
	 * off a time-ordered CPU: sim_clock_poll(), sim_clock_now_ns() and
	 * sim_clock_advance_to() without their tests of the mode
	 */
	next = __sim_clock_poll(true);
	now = __atomic_load_n(&sim_clock_virtual_ns, __ATOMIC_ACQUIRE);
	sim_clock_raise(min(next, now + ns));
	__sim_clock_poll(true);
	return true;
}

/*
 * khooks_wait_event: a WFE, woken by an event or the event stream.  A
 * time-ordered virtual CPU is already blocked until a store or an event by
 * the wait point before it (see <khooks/vcpu.h>).
 */
static bool sim_clock_wfe(void)
{
	if (khooks_vcpu_timed())
		return true;
	return sim_clock_wait_until_event(SIM_CLOCK_EVTSTRM_NS);
}

void sim_clock_delay_ns(u64 ns)
{
	u64 deadline;

	if (sim_clock_is_solo) {
		sim_clock_solo_ns += ns;
		return;
	}
	deadline = sim_clock_now_ns() + ns;

	if (sim_clock_src == SIM_CLOCK_VIRTUAL) {
		sim_clock_advance_to(deadline);
		sim_clock_poll();
		return;
	}
	while (sim_clock_now_ns() < deadline) {
		sim_clock_poll();
		cpu_relax();
	}
}

int sim_clock_add_poller(sim_clock_poll_fn fn, void *arg)
{
	unsigned int n = sim_clock_num_pollers;

	if (n == SIM_CLOCK_MAX_POLLERS)
		return -ENOSPC;
	if (sim_clock_is_solo)
		return -EBUSY;
	sim_clock_pollers[n] = (struct sim_clock_poller){ fn, arg };
	__atomic_store_n(&sim_clock_num_pollers, n + 1, __ATOMIC_RELEASE);
	sim_clock_kick();
	return 0;
}

void sim_clock_del_poller(sim_clock_poll_fn fn, void *arg)
{
	unsigned int i, n = sim_clock_num_pollers;

	for (i = 0; i < n; i++) {
		if (sim_clock_pollers[i].fn == fn &&
		    sim_clock_pollers[i].arg == arg) {
			sim_clock_pollers[i] = sim_clock_pollers[n - 1];
			__atomic_store_n(&sim_clock_num_pollers, n - 1,
					 __ATOMIC_RELEASE);
			sim_clock_kick();
			return;
		}
	}
}

/* In virtual time a kernel delay ends early at an event (see clock.h) */
void sim_clock_kernel_delay_ns(u64 ns)
{
	if (!sim_clock_wait_until_event(ns))
		sim_clock_delay_ns(ns);
}
