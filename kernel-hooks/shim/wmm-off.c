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

/* The harness's own stores and barriers, as the model would do them off */
void khooks_wmm_store(void *p, const void *val, size_t size)
{
	switch (size) {
	case 1:
		__atomic_store_n((uint8_t *)p, *(const uint8_t *)val,
				 __ATOMIC_RELEASE);
		break;
	case 2:
		__atomic_store_n((uint16_t *)p, *(const uint16_t *)val,
				 __ATOMIC_RELEASE);
		break;
	case 4:
		__atomic_store_n((uint32_t *)p, *(const uint32_t *)val,
				 __ATOMIC_RELEASE);
		break;
	default:
		__atomic_store_n((uint64_t *)p, *(const uint64_t *)val,
				 __ATOMIC_RELEASE);
		break;
	}
}

void khooks_wmm_fence(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}
