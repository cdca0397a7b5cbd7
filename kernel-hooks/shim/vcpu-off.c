// SPDX-License-Identifier: GPL-2.0
/*
 * The builds without the virtual CPUs of <khooks/vcpu.h> (khooks and
 * khooks_wmm): no run starts, and every thread is outside one
 */
#include <errno.h>
#include <khooks/vcpu.h>

bool khooks_vcpu_supported(void)
{
	return false;
}

int khooks_vcpu_run(const struct khooks_vcpu_config *cfg, khooks_vcpu_fn fn,
		    void *arg, struct khooks_vcpu_stats *stats)
{
	(void)cfg;
	(void)fn;
	(void)arg;
	(void)stats;
	return -EOPNOTSUPP;
}

void khooks_vcpu_reset(void)
{
}

void khooks_vcpu_point(bool wait)
{
	(void)wait;
}

void khooks_vcpu_access(enum khooks_vcpu_op op, const volatile void *p,
			size_t size)
{
	(void)op;
	(void)p;
	(void)size;
}

void khooks_vcpu_pause(uint64_t steps)
{
	(void)steps;
}

unsigned int khooks_vcpu_self(void)
{
	return KHOOKS_VCPU_NONE;
}

void khooks_vcpu_written(const volatile void *p)
{
	(void)p;
}

bool khooks_vcpu_hold(bool hold)
{
	(void)hold;
	return false;
}

/* No run: never set */
bool khooks_vcpu_timed_now;

uint64_t khooks_vcpu_clock(void)
{
	return 0;
}

void khooks_vcpu_delay(uint64_t ns)
{
	(void)ns;
}

bool khooks_vcpu_all_waiting(void)
{
	return true;
}
