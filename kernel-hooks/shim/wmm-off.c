// SPDX-License-Identifier: GPL-2.0
/*
 * The khooks build without the weakly ordered CPU of <khooks/wmm.h>: a
 * thread that asks to become one stays what it is (the khooks_wmm build
 * links shim/wmm.c instead)
 */
#include <khooks/wmm.h>

void khooks_wmm_thread_start(uint64_t seed)
{
	(void)seed;
}

void khooks_wmm_thread_stop(void)
{
}

void khooks_wmm_after_stores(void (*fn)(void *arg), void *arg)
{
	fn(arg);
}
