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
 * The ATC (optional, for the correctness oracle): one entry per 4 KiB page
 * of the IOVA window, 0 when empty, else what sim_oracle_translate() cached
 * there.  A device whose @ssid is not 0 does its DMA with that PASID, so its
 * entries are that PASID's.  An answered ATC_INV empties the pages of its
 * range, if it has no SSID (SSV clear: every PASID's and the RID's entries)
 * or the device's; a successful reset (sim_dev_reset()) empties it all.
 * An ATC_INV the device leaves unanswered (its state, a plan's drop, or a
 * lost completion armed with sim_dev_lose_next()) changes nothing in it:
 * the entries stay, which real hardware may do.  A device its driver has
 * quiesced (sim_dev_quiesce()) asks for no translation.
 *
 * Synchronisation: the state and delays are __atomic, so a fault plan or a
 * test may change them while the SMMU consults them; counters are relaxed
 * atomics.  ATC fills and invalidations hold @atc_lock, so a translation
 * completes either before an invalidation (which then removes it) or after
 * it (and sees the page table it invalidated for), as ATS orders them;
 * entries are __atomic, so the oracle reads them without the lock.
 */
#ifndef SIM_DEV_H
#define SIM_DEV_H

#include <linux/spinlock.h>
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
	u32 ssid; /* the PASID its requests carry; 0: none (__atomic) */
	enum sim_dev_state state;
	u64 latency_ns;
	u64 slow_delay_ns;
	u64 atc_invs; /* ATC_INVs received */
	u64 atc_invs_dropped; /* not answered */
	bool lose_next; /* leave the next ATC_INV unanswered, whatever the state */
	bool quiesced; /* its driver stopped its DMA: no translation request */
	spinlock_t atc_lock;
	u64 *atc;
	unsigned int atc_pages;
	u64 resets; /* successful resets */
};

#define SIM_DEV_MAX_ATC_PAGES (1u << 20)

void sim_dev_init(struct sim_dev *dev, u32 sid, u64 latency_ns);
void sim_dev_set_state(struct sim_dev *dev, enum sim_dev_state state,
		       u64 slow_delay_ns);
enum sim_dev_state sim_dev_state(const struct sim_dev *dev);
const char *sim_dev_state_name(enum sim_dev_state state);
/* Parse a state name; -EINVAL if unknown */
int sim_dev_parse_state(const char *name, enum sim_dev_state *state);

/* Give the device an ATC of @pages pages: -EINVAL, -ENOMEM */
int sim_dev_atc_alloc(struct sim_dev *dev, unsigned int pages);
void sim_dev_atc_free(struct sim_dev *dev);
/*
 * The ATC drops the pages of [@first, @first + @num) under one hold of its
 * lock, each page it held a translation for into @held (up to @max of them,
 * their count in *@nheld; @held NULL: none recorded, no limit): returns how
 * many pages it went through, fewer than @num when @held filled up or the
 * ATC ends
 */
u64 sim_dev_atc_drop_range(struct sim_dev *dev, u64 first, u64 num,
			   unsigned int *held, unsigned int max,
			   unsigned int *nheld);
/* A successful reset: the ATC is empty */
void sim_dev_reset(struct sim_dev *dev);
/*
 * Its driver stops (@quiesce) or resumes its DMA: under @atc_lock, so no
 * translation request is under way across the change
 */
void sim_dev_quiesce(struct sim_dev *dev, bool quiesce);

/* Whether the device's next ATC_INV goes unanswered (a lost completion) */
void sim_dev_lose_next(struct sim_dev *dev, bool lose);

/*
 * The device receives an ATC_INV at @now_ns; @drop forces no answer (a
 * fault plan's decision).  Returns when it answers, or SIM_DEV_NEVER.
 */
u64 sim_dev_atc_inv(struct sim_dev *dev, u64 now_ns, bool drop);

#endif /* SIM_DEV_H */
