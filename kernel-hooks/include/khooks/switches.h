/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Harness switches in kernel-form code: the injected bugs that atcbench's
 * oracle must catch (stress --inject-bug), the race windows they widen, the
 * choice between two proposals of the quarantine series, and the cmdq lock
 * of before an upstream fix (scale --cmdq-lock).  A kernel has none of
 * them.
 *
 * Like liburcu's debug-yield.h, this header is empty unless the build asks
 * for the switches (KHOOKS_SWITCHES, CMake's ATCBENCH_SWITCHES, on by
 * default because atcbench's commands offer them): without it
 * khooks_switch() is a constant false, khooks_race_window() nothing, and
 * the code around them compiles as if they were not there
 * (tests/khooks-pristine checks that no switch is referenced then).
 *
 * Synchronisation: a switch is set with khooks_switch_set() before the
 * threads that run the code start, or between runs; it is read with
 * READ_ONCE() and ordered by nothing else.
 */
#ifndef KHOOKS_SWITCHES_H
#define KHOOKS_SWITCHES_H

#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/delay.h>
#include <linux/types.h>

enum khooks_switch {
	/*
	 * Clear EATS with the v2 series' lockless read-modify-write of STE
	 * qword 1, which loses a concurrent STE write (window: 50 us)
	 */
	KHOOKS_BUG_STE_RMW_RACE,
	/*
	 * Publish the new domain's invalidation array after the STE switch
	 * (window: 20 us), so the device's translations of the new domain
	 * escape its invalidations
	 */
	KHOOKS_BUG_INSTALL_INVS_AFTER_STE,
	/* Lift a device's blocking after a reset that failed */
	KHOOKS_BUG_LIFT_ON_FAILED_RESET,
	/*
	 * Quarantine by retyping the master's array entries INV_TYPE_ATS_BROKEN
	 * (the v4 review's proposal) instead of the v2 series' ats_broken
	 * flag checked by the walker
	 */
	KHOOKS_QUARANTINE_INV_TYPE,
	/*
	 * The cmdq lock as before commit df180b1a: the exclusive unlock resets
	 * the counter to 0, dropping the shared waiters' increments, and a
	 * shared locker that found it exclusive retries a cmpxchg
	 */
	KHOOKS_CMDQ_LOCK_PRE_DF180B1A,
	KHOOKS_NR_SWITCHES,
};

/*
 * For tests: what runs inside an open race window instead of the delay, so
 * that a test puts the racing step there deterministically (NULL: the
 * delay).  Set with khooks_race_window_set() like a switch.
 */
typedef void (*khooks_window_fn)(enum khooks_switch sw, void *arg);
void khooks_race_window_set(khooks_window_fn fn, void *arg);

#ifdef KHOOKS_SWITCHES
extern unsigned long khooks_switches;
extern khooks_window_fn khooks_window;
extern void *khooks_window_arg;

static inline bool khooks_switch(enum khooks_switch sw)
{
	return READ_ONCE(khooks_switches) & BIT(sw);
}
#else
static inline bool khooks_switch(enum khooks_switch sw)
{
	return false;
}
#endif

/* For the harness: 0, or -EOPNOTSUPP to turn one on without the switches */
int khooks_switch_set(enum khooks_switch sw, bool on);
/* Whether the kernel-form code was built with the switches */
bool khooks_switches_built(void);

/*
 * While @sw is on, widen a race window by @us microseconds (or run the
 * tests' step there)
 */
static inline void khooks_race_window(enum khooks_switch sw, unsigned long us)
{
	if (!khooks_switch(sw))
		return;
#ifdef KHOOKS_SWITCHES
	{
		khooks_window_fn fn = READ_ONCE(khooks_window);

		if (fn) {
			fn(sw, READ_ONCE(khooks_window_arg));
			return;
		}
	}
#endif
	udelay(us);
}

#endif /* KHOOKS_SWITCHES_H */
