// SPDX-License-Identifier: GPL-2.0
/* WARN/BUG and printk for the kernel-form code (see <linux/bug.h>) */
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/printk.h>
#include <khooks/vcpu.h>

static unsigned long khooks_warns;
static int khooks_max_level = LOGLEVEL_WARNING;

void __khooks_warn(struct khooks_warn_site *site)
{
	__atomic_fetch_add(&site->hits, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&khooks_warns, 1, __ATOMIC_RELAXED);
	if (!__atomic_exchange_n(&site->printed, true, __ATOMIC_RELAXED))
		fprintf(stderr, "warn: %s:%d: %s\n", site->file, site->line,
			site->cond);
}

void __khooks_bug(const char *file, int line, const char *cond)
{
	fprintf(stderr, "BUG: %s:%d: %s\n", file, line, cond);
	abort();
}

unsigned long khooks_warn_count(void)
{
	return __atomic_load_n(&khooks_warns, __ATOMIC_RELAXED);
}

void khooks_warn_reset(void)
{
	__atomic_store_n(&khooks_warns, 0, __ATOMIC_RELAXED);
}

void khooks_printk_level(int max_level)
{
	__atomic_store_n(&khooks_max_level, max_level, __ATOMIC_RELAXED);
}

/* Per thread, and per virtual CPU of <khooks/vcpu.h> inside a run */
static __thread unsigned long khooks_errs;
static unsigned long khooks_vcpu_errs[KHOOKS_VCPU_MAX_CPUS];

static unsigned long *khooks_errs_self(void)
{
	unsigned int cpu = khooks_vcpu_self();

	return cpu == KHOOKS_VCPU_NONE ? &khooks_errs : &khooks_vcpu_errs[cpu];
}

void khooks_printk_count(int level)
{
	if (level <= LOGLEVEL_ERR)
		(*khooks_errs_self())++;
}

unsigned long khooks_err_count(void)
{
	return *khooks_errs_self();
}

void khooks_printk(int level, const char *fmt, ...)
{
	va_list ap;

	khooks_printk_count(level);
	if (level > __atomic_load_n(&khooks_max_level, __ATOMIC_RELAXED))
		return;
	fprintf(stderr, "kernel: <%d> ", level);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

bool __khooks_ratelimit(long long *last_ns)
{
	struct timespec ts;
	long long now, last;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = ts.tv_sec * 1000000000LL + ts.tv_nsec;
	last = __atomic_load_n(last_ns, __ATOMIC_RELAXED);
	if (last && now - last < 1000000000LL)
		return false;
	return __atomic_compare_exchange_n(last_ns, &last, now, false,
					   __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

/*
 * A waiter spins with cpu_relax() for a while, then yields, then sleeps:
 * userspace cannot stop the scheduler from preempting the thread it waits
 * for (the kernel waits with interrupts off).  sched_yield() only helps a
 * thread queued on the same CPU; a short sleep idles this CPU, so the load
 * balancer can run the preempted thread here.
 */
bool (*khooks_wait_event)(void);

void khooks_spin_backoff(unsigned int *spins)
{
	static const struct timespec nap = { .tv_nsec = 1000 };

	++*spins;
	/* The virtual CPUs share one thread: a wait point is their yield */
	if (khooks_vcpu_self() != KHOOKS_VCPU_NONE) {
		cpu_relax();
		return;
	}
	if (*spins < 256)
		cpu_relax();
	else if (*spins < 256 + 16)
		sched_yield();
	else
		nanosleep(&nap, NULL);
	if (*spins >= 256)
		__wmm_fence(); /* a thread that sleeps empties its buffer */
}
