// SPDX-License-Identifier: GPL-2.0
/* The harness switches' state (see <khooks/switches.h>) */
#include <errno.h>
#include <khooks/switches.h>

#ifdef KHOOKS_SWITCHES
unsigned long khooks_switches;
khooks_window_fn khooks_window;
void *khooks_window_arg;

void khooks_race_window_set(khooks_window_fn fn, void *arg)
{
	WRITE_ONCE(khooks_window_arg, arg);
	WRITE_ONCE(khooks_window, fn);
}

bool khooks_switches_built(void)
{
	return true;
}

int khooks_switch_set(enum khooks_switch sw, bool on)
{
	unsigned long mask = READ_ONCE(khooks_switches);

	if (sw >= KHOOKS_NR_SWITCHES)
		return -EINVAL;
	WRITE_ONCE(khooks_switches, on ? mask | BIT(sw) : mask & ~BIT(sw));
	return 0;
}
#else
void khooks_race_window_set(khooks_window_fn fn, void *arg)
{
}

bool khooks_switches_built(void)
{
	return false;
}

int khooks_switch_set(enum khooks_switch sw, bool on)
{
	if (sw >= KHOOKS_NR_SWITCHES)
		return -EINVAL;
	return on ? -EOPNOTSUPP : 0;
}
#endif
