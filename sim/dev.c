// SPDX-License-Identifier: GPL-2.0
/* sim_dev: simulated ATS endpoints (see dev.h) */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>

#include "dev.h"

static const char *const sim_dev_state_names[] = {
	[SIM_DEV_RESPONSIVE] = "responsive",
	[SIM_DEV_UNRESPONSIVE] = "unresponsive",
	[SIM_DEV_SLOW] = "slow",
	[SIM_DEV_RESETTING] = "resetting",
	[SIM_DEV_SURPRISE_RESET] = "surprise-reset",
};

void sim_dev_init(struct sim_dev *dev, u32 sid, u64 latency_ns)
{
	memset(dev, 0, sizeof(*dev));
	dev->sid = sid;
	dev->latency_ns = latency_ns;
	dev->state = SIM_DEV_RESPONSIVE;
	spin_lock_init(&dev->atc_lock);
}

int sim_dev_atc_alloc(struct sim_dev *dev, unsigned int pages)
{
	if (!pages || pages > SIM_DEV_MAX_ATC_PAGES)
		return -EINVAL;
	dev->atc = calloc(pages, sizeof(*dev->atc));
	if (!dev->atc)
		return -ENOMEM;
	dev->atc_pages = pages;
	return 0;
}

void sim_dev_atc_free(struct sim_dev *dev)
{
	free(dev->atc);
	dev->atc = NULL;
	dev->atc_pages = 0;
}

u64 sim_dev_atc_drop_range(struct sim_dev *dev, u64 first, u64 num,
			   unsigned int *held, unsigned int max,
			   unsigned int *nheld)
{
	unsigned int n = 0;
	u64 i, end;

	*nheld = 0;
	if (!dev->atc || first >= dev->atc_pages)
		return 0;
	end = num > dev->atc_pages - first ? dev->atc_pages : first + num;
	/*
	 * Fills hold the lock too: an empty entry stays empty, no store.  The
	 * run ends before the first entry held once @held is full.
	 */
	spin_lock(&dev->atc_lock);
	for (i = first; i < end; i++) {
		if (!__atomic_load_n(&dev->atc[i], __ATOMIC_RELAXED))
			continue;
		if (held && n == max)
			break;
		if (__atomic_exchange_n(&dev->atc[i], 0, __ATOMIC_RELAXED) &&
		    held)
			held[n++] = i;
	}
	spin_unlock(&dev->atc_lock);
	*nheld = n;
	return i - first;
}

void sim_dev_reset(struct sim_dev *dev)
{
	unsigned int nheld;

	sim_dev_atc_drop_range(dev, 0, dev->atc_pages, NULL, 0, &nheld);
	__atomic_fetch_add(&dev->resets, 1, __ATOMIC_RELEASE);
}

void sim_dev_set_state(struct sim_dev *dev, enum sim_dev_state state,
		       u64 slow_delay_ns)
{
	__atomic_store_n(&dev->slow_delay_ns, slow_delay_ns, __ATOMIC_RELAXED);
	__atomic_store_n(&dev->state, state, __ATOMIC_RELEASE);
}

enum sim_dev_state sim_dev_state(const struct sim_dev *dev)
{
	return __atomic_load_n(&dev->state, __ATOMIC_ACQUIRE);
}

const char *sim_dev_state_name(enum sim_dev_state state)
{
	return state < SIM_DEV_NR_STATES ? sim_dev_state_names[state] : "?";
}

int sim_dev_parse_state(const char *name, enum sim_dev_state *state)
{
	unsigned int i;

	for (i = 0; i < SIM_DEV_NR_STATES; i++) {
		if (!strcmp(name, sim_dev_state_names[i])) {
			*state = i;
			return 0;
		}
	}
	return -EINVAL;
}

void sim_dev_lose_next(struct sim_dev *dev, bool lose)
{
	__atomic_store_n(&dev->lose_next, lose, __ATOMIC_RELAXED);
}

/* Whether this ATC_INV is the one sim_dev_lose_next() armed */
static bool sim_dev_lose(struct sim_dev *dev)
{
	return __atomic_load_n(&dev->lose_next, __ATOMIC_RELAXED) &&
	       __atomic_exchange_n(&dev->lose_next, false, __ATOMIC_RELAXED);
}

u64 sim_dev_atc_inv(struct sim_dev *dev, u64 now_ns, bool drop)
{
	u64 answer;

	__atomic_fetch_add(&dev->atc_invs, 1, __ATOMIC_RELAXED);
	drop = drop || sim_dev_lose(dev);
	switch (drop ? SIM_DEV_UNRESPONSIVE : sim_dev_state(dev)) {
	case SIM_DEV_RESPONSIVE:
		answer = now_ns +
			 __atomic_load_n(&dev->latency_ns, __ATOMIC_RELAXED);
		break;
	case SIM_DEV_SLOW:
		answer = now_ns +
			 __atomic_load_n(&dev->slow_delay_ns, __ATOMIC_RELAXED);
		break;
	default:
		answer = SIM_DEV_NEVER;
		break;
	}
	if (answer == SIM_DEV_NEVER)
		__atomic_fetch_add(&dev->atc_invs_dropped, 1, __ATOMIC_RELAXED);
	return answer;
}

void sim_dev_quiesce(struct sim_dev *dev, bool quiesce)
{
	spin_lock(&dev->atc_lock);
	__atomic_store_n(&dev->quiesced, quiesce, __ATOMIC_RELAXED);
	spin_unlock(&dev->atc_lock);
}
