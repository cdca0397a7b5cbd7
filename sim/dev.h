/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_dev: a simulated PCIe endpoint with an ATS capability: its stream ID,
 * how long it takes to answer an ATC invalidation, and its state.
 *
 *   responsive      answers after latency_ns
 *   unresponsive    never answers
 *   slow            answers after slow_delay_ns
 *   resetting       ignores invalidations, as PCIe allows during a reset
 *   surprise-reset  link down without warning (DPC): never answers
 *
 * Synchronisation: the state and delays are __atomic, so a fault plan or a
 * test may change them while the SMMU consults them; counters are relaxed
 * atomics.
 */
#ifndef SIM_DEV_H
#define SIM_DEV_H

#include <linux/types.h>

#define SIM_DEV_NEVER U64_MAX
#define SIM_DEV_MAX_DELAY_NS (3600ULL * 1000000000ULL) /* one hour */

enum sim_dev_state {
	SIM_DEV_RESPONSIVE,
	SIM_DEV_UNRESPONSIVE,
	SIM_DEV_SLOW,
	SIM_DEV_RESETTING,
	SIM_DEV_SURPRISE_RESET,
	SIM_DEV_NR_STATES,
};

struct sim_dev {
	u32 sid;
	enum sim_dev_state state;
	u64 latency_ns;
	u64 slow_delay_ns;
	u64 atc_invs; /* ATC_INVs received */
	u64 atc_invs_dropped; /* not answered */
};

void sim_dev_init(struct sim_dev *dev, u32 sid, u64 latency_ns);
void sim_dev_set_state(struct sim_dev *dev, enum sim_dev_state state,
		       u64 slow_delay_ns);
enum sim_dev_state sim_dev_state(const struct sim_dev *dev);
const char *sim_dev_state_name(enum sim_dev_state state);
/* Parse a state name; -EINVAL if unknown */
int sim_dev_parse_state(const char *name, enum sim_dev_state *state);

/*
 * The device receives an ATC_INV at @now_ns; @drop forces no answer (a
 * fault plan's decision).  Returns when it answers, or SIM_DEV_NEVER.
 */
u64 sim_dev_atc_inv(struct sim_dev *dev, u64 now_ns, bool drop);

#endif /* SIM_DEV_H */
