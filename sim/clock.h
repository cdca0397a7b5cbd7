/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_clock: the time the kernel-form code sees through ktime_get(),
 * udelay() and ndelay(), and the simulation's own "now".
 *
 * Three sources behind one interface:
 *   SIM_CLOCK_MONOTONIC  CLOCK_MONOTONIC;
 *   SIM_CLOCK_TSC        the x86 TSC, calibrated against CLOCK_MONOTONIC
 *                        (falls back to monotonic where there is none);
 *   SIM_CLOCK_VIRTUAL    a discrete-event clock: it stands still until
 *                        someone delays or advances it.  Concurrent delays
 *                        move it to the latest of their deadlines, so it is
 *                        meant for single-threaded, deterministic runs.
 * In the real modes a delay spins until its deadline, as the kernel's do.
 *
 * Pollers: simulated hardware that is advanced inline (no thread of its
 * own) registers a poll function, which returns when it next has something
 * to do (its next event; SIM_CLOCK_NEVER).  Every ktime_get() and every spin
 * of a delay calls the registered pollers, so a kernel loop that waits on
 * time also moves the hardware on.  A poller must not call ktime_get()
 * itself; calls nested inside a poller do not poll again.
 *
 * On a time-ordered virtual CPU of <khooks/vcpu.h> (KHOOKS_VCPU_TIME) the
 * time is that CPU's clock: a delay moves it alone, a WFE is the CPU's wait
 * (blocked until another CPU writes what it read, sim_clock_next_event()
 * or the event stream's tick), and the shared virtual time keeps the
 * latest any CPU saw.
 *
 * Waiting in virtual time does not spin: the kernel's udelay()/ndelay() move
 * the clock to the pollers' next event or to their deadline, whichever is
 * first, and smp_cond_load_*() (khooks_wait_event) to the next event or one
 * arm64 event-stream period on (SIM_CLOCK_EVTSTRM_NS), as a WFE wakes.  So
 * a latency in virtual time is what the model's costs make it, not the
 * driver's polling back-off (which real time shows).  sim_clock_delay_ns()
 * is the harness's own delay and always runs to its deadline.
 *
 * Synchronisation: the source is chosen before any thread uses the clock;
 * the virtual time is an __atomic u64 (max-update); the poller table is
 * changed only while no poll runs (set-up and tear-down).  Solo mode
 * (sim_clock_solo()) is the virtual clock for one thread and no pollers:
 * a plain variable, no atomic operation per read or delay; only the thread
 * that turned it on may use the clock until it turns it off.
 */
#ifndef SIM_CLOCK_H
#define SIM_CLOCK_H

#include <linux/kernel.h>
#include <linux/types.h>
#include <khooks/vcpu.h>

#define SIM_CLOCK_MAX_POLLERS 16
#define SIM_CLOCK_NEVER U64_MAX
/* arm64's event stream (ARCH_TIMER_EVT_STREAM_PERIOD_US): a WFE's longest */
#define SIM_CLOCK_EVTSTRM_NS (100 * 1000)

enum sim_clock_source {
	SIM_CLOCK_MONOTONIC,
	SIM_CLOCK_TSC,
	SIM_CLOCK_VIRTUAL,
};

/* Select the source; the TSC is calibrated here (about 20 ms) */
int sim_clock_init(enum sim_clock_source source);
enum sim_clock_source sim_clock_source(void);
const char *sim_clock_name(enum sim_clock_source source);

/*
 * The TSC source's conversion, read-mostly: set by sim_clock_init() before
 * any thread reads the clock.  on: the source is the TSC, so
 * sim_clock_now_ns() reads it inline (the harness's hot path: two reads per
 * measured operation).
 */
struct sim_clock_tsc {
	bool on;
	u64 tsc0, ns0, mult; /* ns = ns0 + ((tsc - tsc0) * mult >> 32) */
};
extern struct sim_clock_tsc sim_clock_tsc;

/*
 * The sources sim_clock_now_ns() does not read inline: monotonic, solo,
 * and a time-ordered virtual CPU's own clock
 */
u64 sim_clock_now_slow_ns(void);

/*
 * The virtual source, read inline (the simulation reads it dozens of times
 * an operation): on, and the shared time, set by sim_clock_init() before
 * any thread reads the clock
 */
extern bool sim_clock_virtual_on;
extern u64 sim_clock_virtual_ns;
/* Solo mode's state (see sim_clock_solo()) */
extern bool sim_clock_is_solo;
extern u64 sim_clock_solo_ns;

/* Nanoseconds since an arbitrary origin, monotonic */
static inline u64 sim_clock_now_ns(void)
{
#if defined(__x86_64__) || defined(__i386__)
	if (__builtin_expect(sim_clock_tsc.on, 1))
		return sim_clock_tsc.ns0 +
		       (u64)(((unsigned __int128)(__builtin_ia32_rdtsc() -
						  sim_clock_tsc.tsc0) *
			      sim_clock_tsc.mult) >>
			     32);
#endif
	/* Virtual, shared: what sim_clock_now_slow_ns() would read */
	if (sim_clock_virtual_on && !sim_clock_is_solo && !khooks_vcpu_timed())
		return __atomic_load_n(&sim_clock_virtual_ns, __ATOMIC_ACQUIRE);
	return sim_clock_now_slow_ns();
}
/* Wait @ns: spin in the real modes, move time on in the virtual mode */
void sim_clock_delay_ns(u64 ns);
/* The platform's delays (sim/platform.c) */
void sim_clock_kernel_delay_ns(u64 ns);
/* Virtual mode: move time on to @t_ns if it is later (no-op otherwise) */
void sim_clock_advance_to(u64 t_ns);

/*
 * Virtual mode, one thread: @on makes the clock a plain variable until
 * called with !@on (-EBUSY outside the virtual mode or with pollers)
 */
int sim_clock_solo(bool on);

/*
 * Returns the time of its next event (SIM_CLOCK_NEVER: none), which must
 * hold until then unless sim_clock_kick() is called: a poll before the
 * earliest next event, with no kick since, runs no poller
 */
typedef u64 (*sim_clock_poll_fn)(void *arg);
int sim_clock_add_poller(sim_clock_poll_fn fn, void *arg);
void sim_clock_del_poller(sim_clock_poll_fn fn, void *arg);
/* Run the pollers now, outside a poll; their earliest next event */
u64 sim_clock_poll_all(void);

/*
 * sim_clock_poll()'s shortcut, read without a lock: the next event as of
 * the last poll and the number of sim_clock_kick()s when that poll began
 * (SIM_CLOCK_SEEN_BUSY while a poll writes the pair), the kicks so far, and
 * whether this thread is inside a poll
 */
#define SIM_CLOCK_SEEN_BUSY (U64_MAX - 1) /* no count of kicks */
extern u64 sim_clock_next_seen, sim_clock_kicks_seen;
extern u64 sim_clock_kicks;
extern __thread bool sim_clock_polling;

/*
 * Run the pollers now (what ktime_get() does); their earliest next event.
 * Every poller's next event holds until then unless it is kicked: a poll
 * before the earliest of them, with no kick since the last poll began, has
 * nothing to do, and returns at once.
 *
 * The pair (next event, kicks when its poll began) is read without a lock.
 * A poll that began before a kick records the count it saw (acquire,
 * pairing with the kick's release after the kicker's own store, PROD say),
 * so the next poll sees the kick and runs them.  Polls run concurrently
 * (every waiting CPU polls), so the pair is published whole: halves of two
 * polls would pair an older poll's next event with a newer one's count,
 * and the shortcut would then skip a kick for good (NEVER, from a poll that
 * ran before PROD moved, beside the count of the kick that moved it): every
 * waiter would spin until some other kick.  A poll marks the count busy
 * while it writes the pair (a seqcount whose count is the pair's own), and
 * one that finds it busy leaves the pair to the other: either pair is right
 * for its own count, and a count behind the kicks only makes the next poll
 * run them.  A reader takes the shortcut only on a count equal to the
 * kicks both before and after it read the next event.
 *
 *   poll (writer)                         reader
 *   kicks0 = kicks (acquire)              k = kicks (acquire)
 *   ... pollers ...                       s = seen (acquire)
 *   seen: s -> BUSY (CAS; BUSY: leave)    next
 *   fence (release)                       fence (acquire)
 *   next                                  shortcut iff s == k
 *   seen = kicks0 (release) ------------> and seen still s
 *
 * A time-ordered virtual CPU always runs them: its scheduler reads the next
 * event.  __sim_clock_poll(true) is the same for a caller that knows the
 * time is the shared virtual one, outside a poller and off a time-ordered
 * CPU: without the tests of the mode.
 */
static __always_inline u64 __sim_clock_poll(bool shared)
{
	u64 kicks = __atomic_load_n(&sim_clock_kicks, __ATOMIC_ACQUIRE);
	/* the count first: the pair read is its poll's or later */
	u64 seen = __atomic_load_n(&sim_clock_kicks_seen, __ATOMIC_ACQUIRE);
	u64 next = __atomic_load_n(&sim_clock_next_seen, __ATOMIC_RELAXED);

	/* Inside a poller: no poll again */
	if (!shared && sim_clock_polling)
		return SIM_CLOCK_NEVER;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	/* Nothing to come: no clock to read */
	if (kicks == seen &&
	    __atomic_load_n(&sim_clock_kicks_seen, __ATOMIC_RELAXED) == seen &&
	    (shared || !khooks_vcpu_timed()) &&
	    (next == SIM_CLOCK_NEVER ||
	     next > (shared ? __atomic_load_n(&sim_clock_virtual_ns,
					      __ATOMIC_ACQUIRE) :
			      sim_clock_now_ns())))
		return next;
	return sim_clock_poll_all();
}

static inline u64 sim_clock_poll(void)
{
	return __sim_clock_poll(false);
}
/*
 * A poller's state changed so that its next event may come sooner than it
 * said (an SMMU's PROD written, an error acknowledged): the next poll runs
 * them all.  Called after the change is stored (release).
 */
void sim_clock_kick(void);
/*
 * A time-ordered run of <khooks/vcpu.h> on this platform: its next_event
 * (the pollers' next event as the last poll returned it; this runs none),
 * its step (a poll), and SIM_CLOCK_EVTSTRM_NS its wait_max_ns; @arg unused
 */
uint64_t sim_clock_next_event(void *arg); /* <khooks/vcpu.h>'s type */
void sim_clock_step(void *arg);

/* The platform's ktime_get(): solo time, or the pollers run first */
static inline u64 sim_clock_ktime_ns(void)
{
	if (sim_clock_is_solo)
		return sim_clock_solo_ns;
	sim_clock_poll();
	return sim_clock_now_ns();
}

#endif /* SIM_CLOCK_H */
