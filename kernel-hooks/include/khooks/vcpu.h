/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Virtual CPUs: several CPUs' code run one at a time on the calling thread,
 * switched at the shims' interleaving points, in an order that is a
 * function of a seed and nothing else.
 *
 * The khooks_vcpu build of the kernel-form files (KHOOKS_WMM and
 * KHOOKS_VCPU, shim/wmm.c beside shim/vcpu.c) makes every point of
 * <khooks/wmm.h> a point where the running CPU may lose its turn: each
 * READ_ONCE(), load of an atomic or value-returning RMW, WRITE_ONCE() and
 * store, RMW that returns nothing, MMIO access, and each wait (cpu_relax(),
 * a lock's spin, udelay(), a smp_cond_load_*() spin).  Memory is sequentially
 * consistent, an access performed when its CPU reaches it, unless the CPU
 * starts a store buffer (khooks_wmm_thread_start()): it is then the weakly
 * ordered CPU of <khooks/wmm.h>, with a buffer of its own, drained when
 * its function returns.
 *
 * Which CPU runs is chosen as PCT does (Burckhardt, Kothari, Musuvathi,
 * Nagarakatte, "A Randomized Scheduler with Probabilistic Guarantees of
 * Finding Bugs", ASPLOS 2010): every CPU gets a distinct random priority,
 * the runnable CPU of highest priority runs, and at @change_points steps
 * drawn at random from the first @horizon the running CPU drops below every
 * other.  A bug that needs d such ordering constraints among n CPUs and k
 * steps is found by one seed with probability 1 / (n k^(d-1)) at least.
 * A CPU that waits (it spins on something another CPU must change) drops
 * below every other too, so a spin never starves the CPU it waits for; so
 * does one that ran KHOOKS_VCPU_SLICE steps in a row without waiting (a
 * loop that polls without cpu_relax(), as the queue's wait for space does
 * once the queue is no longer full).  A run longer than any horizon (a
 * harness's whole stress run) may also preempt the running CPU at each step
 * with odds of 1 in @preempt_one_in, drawn from the seed: it drops below
 * every other and stays off for 2^k steps of the others, k drawn from
 * 0..@preempt_max_log2 (an interrupt, a slow core, a hypervisor's
 * preemption: nothing real hardware cannot do), so that a window another
 * CPU's whole operation must fall into, waits and all, is opened for it
 * (a CPU merely dropped would be back at the others' first wait).  While
 * its store buffer (<khooks/wmm.h>) holds stores, the odds are 1 in
 * @preempt_buffered_one_in instead, and as it stops each of them leaves
 * with odds of 1 in 2 (khooks_wmm_interrupted()): the rest stay hidden
 * from the others for the whole window, though later ones may have left
 * (the store-buffering and message-passing shapes).  When every CPU is
 * off, the one due first runs.
 * Run after run, with the same seed and the same code, the same CPU takes
 * each step: a race found by a seed is replayed by it.
 *
 * Outside khooks_vcpu_run() the points do nothing more than the access
 * itself.  Only the khooks_vcpu library runs CPUs; the other builds have
 * stubs (khooks_vcpu_supported() is false, khooks_vcpu_run() returns
 * -EOPNOTSUPP, every thread is outside a run).
 *
 * Synchronisation: one thread runs every CPU; khooks_vcpu_run() is not
 * reentrant and is called by one thread at a time.
 */
#ifndef KHOOKS_VCPU_H
#define KHOOKS_VCPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KHOOKS_VCPU_MAX_CPUS 256
#define KHOOKS_VCPU_MAX_CHANGE_POINTS 64
#define KHOOKS_VCPU_NONE (~0u)
#define KHOOKS_VCPU_SLICE 4096
#define KHOOKS_VCPU_MAX_PREEMPT_LOG2 24
#define KHOOKS_VCPU_LINE_BYTES 64 /* what a wait watches (arm64's CWG) */

/* What an interleaving point is (the access that follows it) */
enum khooks_vcpu_op {
	KHOOKS_VCPU_POINT, /* the harness's own point: no access */
	KHOOKS_VCPU_LOAD, /* READ_ONCE(), an acquire, test_bit() */
	KHOOKS_VCPU_STORE, /* a store, a release, an RMW returning nothing */
	KHOOKS_VCPU_RMW, /* cmpxchg(), xchg(), a value-returning RMW */
	KHOOKS_VCPU_MMIO, /* a device register read or written */
	KHOOKS_VCPU_WAIT, /* cpu_relax(), a spin, a delay, a harness's wait */
};

/*
 * Which CPU runs next.  PCT: the priorities above (a race finder: the order
 * is adversarial, time is the caller's).  KHOOKS_VCPU_TIME: each CPU has a
 * clock, which each of its points moves on by @cost (1 ns without one) and
 * khooks_vcpu_delay() by its delay; the CPU whose clock is earliest runs,
 * the seed's priorities breaking ties, so the CPUs' work overlaps in time
 * as on a machine with as many cores.  A wait there blocks its CPU until
 * another CPU writes the cache line it last read (a store, an RMW, an MMIO
 * write), which it then sees at that CPU's time, until the platform's next
 * event (@next_event), or for @wait_max_ns at most (arm64's event stream),
 * whichever comes first once no CPU awake is earlier: a WFE and its
 * monitor.
 */
enum khooks_vcpu_policy {
	KHOOKS_VCPU_PCT,
	KHOOKS_VCPU_TIME,
};

struct khooks_vcpu_config {
	unsigned int cpus; /* 1..KHOOKS_VCPU_MAX_CPUS */
	uint64_t seed;
	unsigned int change_points; /* 0..KHOOKS_VCPU_MAX_CHANGE_POINTS */
	uint64_t horizon; /* steps the change points are drawn from (>= 1) */
	uint64_t max_steps; /* a run longer than this is a livelock */
	uint32_t preempt_one_in; /* 0: never; else each step's odds, 1 in N */
	unsigned int preempt_max_log2; /* 0..KHOOKS_VCPU_MAX_PREEMPT_LOG2 */
	uint32_t preempt_buffered_one_in; /* stores buffered; 0: as above */
	size_t stack_bytes; /* per CPU; 0: KHOOKS_VCPU_STACK_BYTES */
	/*
	 * Called at every point, before the choice, on the CPU that reached
	 * it (KHOOKS_VCPU_TIME: after it, as the CPU chosen, the earliest),
	 * not again from within itself: where the platform's time moves on,
	 * so that a loop that only reads a register still sees the hardware
	 * progress.  NULL: time moves only when the code waits.
	 */
	void (*step)(void *arg);
	void *step_arg;
	/*
	 * Called before each change of the running CPU, from @from to @to
	 * (KHOOKS_VCPU_NONE: the caller of khooks_vcpu_run()), on the thread
	 * that runs them all: where a harness swaps what it keeps per thread.
	 * NULL: nothing to swap.
	 */
	void (*swap)(unsigned int from, unsigned int to, void *arg);
	void *swap_arg;
	enum khooks_vcpu_policy policy;
	/*
	 * KHOOKS_VCPU_TIME: the time, in ns, that CPU @cpu spends on the
	 * access @op of @size bytes at @p that follows a point (NULL: 1 ns
	 * each); and the platform's next event, an absolute time (NULL or
	 * U64_MAX: none)
	 */
	uint64_t (*cost)(void *arg, unsigned int cpu, enum khooks_vcpu_op op,
			 const volatile void *p, size_t size);
	uint64_t (*next_event)(void *arg);
	void *cost_arg;
	uint64_t wait_max_ns; /* KHOOKS_VCPU_TIME; 0: until woken */
};

#define KHOOKS_VCPU_STACK_BYTES (1u << 20)

struct khooks_vcpu_stats {
	uint64_t steps; /* interleaving points reached */
	uint64_t switches; /* times another CPU took over */
	uint64_t waits; /* points that were waits */
};

/* What each CPU runs: @cpu is 0..cpus-1 */
typedef void (*khooks_vcpu_fn)(unsigned int cpu, void *arg);

/* Whether this build runs virtual CPUs (the khooks_vcpu library) */
bool khooks_vcpu_supported(void);

/*
 * Run @fn on @cfg->cpus virtual CPUs until each has returned.  Returns 0;
 * -EINVAL for a configuration out of its limits; -ENOMEM; -EDEADLK when the run
 * reached @cfg->max_steps (its CPUs are abandoned where they stood: the
 * world they share is not to be used again).  @stats may be NULL.
 */
int khooks_vcpu_run(const struct khooks_vcpu_config *cfg, khooks_vcpu_fn fn,
		    void *arg, struct khooks_vcpu_stats *stats);

/*
 * Forget a run that a longjmp() left (a failed assertion or a signal caught
 * inside a CPU): its CPUs are abandoned, and the caller's code no longer
 * counts as theirs
 */
void khooks_vcpu_reset(void);

/*
 * An interleaving point for the harness's own loops (nothing outside a
 * run); @wait: a wait, so the CPU drops below every other
 */
void khooks_vcpu_point(bool wait);

/*
 * The point before an access @op of @size bytes at @p (NULL: none known),
 * from the shims of <khooks/wmm.h>; a KHOOKS_VCPU_WAIT is a wait
 */
void khooks_vcpu_access(enum khooks_vcpu_op op, const volatile void *p,
			size_t size);

/*
 * A wait after which the running CPU stays off for @steps steps of the
 * others (a harness's sleep; it runs earlier only if every CPU is off)
 */
void khooks_vcpu_pause(uint64_t steps);

/* The running virtual CPU, or KHOOKS_VCPU_NONE outside a run */
unsigned int khooks_vcpu_self(void);

/*
 * KHOOKS_VCPU_TIME runs: the running CPU's clock, in ns (the platform's
 * time on it); khooks_vcpu_delay() lets its buffered stores out (a core's
 * store buffer drains while it spends that time), moves it on by @ns, then
 * lets an earlier CPU run.  Outside such a run: 0, and nothing.
 */
extern bool khooks_vcpu_timed_now; /* set by the run, read by anyone */
static inline bool khooks_vcpu_timed(void)
{
	return __atomic_load_n(&khooks_vcpu_timed_now, __ATOMIC_RELAXED);
}
/*
 * With @hold, the running CPU keeps its turn: its points are not points
 * (a platform's work the others must not see half done).  Returns the
 * previous setting, to restore.
 */
bool khooks_vcpu_hold(bool hold);
/*
 * Memory at @p was written now: by a store the running CPU had buffered
 * (<khooks/wmm.h>), or by the platform (a device's write, an MSI); NULL: a
 * register the CPUs may be polling changed, so every waiting CPU looks again
 */
void khooks_vcpu_written(const volatile void *p);
uint64_t khooks_vcpu_clock(void);
void khooks_vcpu_delay(uint64_t ns);

/*
 * Whether every other CPU of the run that has not returned stopped at a
 * wait (it spins on something: none is preempted or busy), at this CPU's
 * last two waits, so that each of them looked again at what it waits for
 * in between and found it still missing: only time can move the run on, and
 * a platform's clock may jump
 */
bool khooks_vcpu_all_waiting(void);

#endif /* KHOOKS_VCPU_H */
