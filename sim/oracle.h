/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_oracle: the correctness oracle of the stress runs (DESIGN.md).
 *
 * Each page of each domain has a generation: even when unmapped, odd when
 * mapped; map and unmap bump it.  A translation request of a device, served
 * while its STE allows translated requests (valid, translating, EATS; the
 * STE the SMMU has cached, sim/stec.h, not the stream table's) and
 * the page is mapped, caches the page's (domain, generation) in the
 * device's ATC (sim_dev).  When the invalidation of an unmap returns, the
 * mapper records the page's generation as completed; from then on,
 *
 *   a device whose STE allows translated requests and whose ATC holds an
 *   entry of that domain and page older than the completed generation
 *
 * is a violation (a stale translation).  With the SMMUs' TLBs (sim/tlb.h),
 * a translation request is served from the TLB of the stream's SMMU when
 * it holds the page and fills it otherwise, and the TLB of the domain's
 * SMMU must not hold such an entry either: an ATC invalidated before the
 * TLB's invalidation completed is refilled from the TLB (by a later
 * translation, or at once by a device's refetch) and caught.  So is lifting
 * a quarantine (the device allowed translated requests again) without a
 * successful device reset, which empties its ATC, since the quarantine
 * began.  A stream finds its domain among those of its own SMMU: a
 * domain's TLBI sent to another SMMU leaves the stale entry in the TLB the
 * check looks at.
 *
 * Synchronisation: generations and ATC entries are __atomic.  A mapper
 * bumps the generation (release) before it invalidates, and records the
 * completed generation after the invalidation returned; only that mapper
 * changes its pages.  Translations run under the device's ATC lock (see
 * sim/dev.h), and the STE read, TLB lookup, walk and fill under the TLB's
 * (sim/tlb.h).  The first violation is kept under the oracle's lock.
 */
#ifndef SIM_ORACLE_H
#define SIM_ORACLE_H

#include <linux/types.h>

#include "dev.h"

#define SIM_ORACLE_MAX_SMMUS 4
#define SIM_ORACLE_MAX_DOMAINS 1024
#define SIM_ORACLE_MAX_PAGES (1u << 20)
/* The stream of a violation that is no device's (the SMMU's TLB) */
#define SIM_ORACLE_NO_SID U32_MAX

struct sim_oracle;
struct sim_tlb;
struct sim_smmu;

/* The first violation seen, for the report and the reproducer */
struct sim_oracle_violation {
	u64 t_ns; /* sim_clock time */
	u32 sid; /* SIM_ORACLE_NO_SID: the SMMU's TLB */
	unsigned int domain, page;
	u64 held, completed; /* generations */
	const char *what; /* "stale translation" or "quarantine lifted ..." */
	/* a stale translation: after what ("a completed invalidation"), or NULL */
	const char *after;
};

/*
 * An oracle over @num_domains domains of @pages pages and @num_sids streams
 * (stream IDs unique across the SMMUs).  Before use, each SMMU gets its
 * stream table (sim_oracle_set_smmu()), and each stream and domain its SMMU
 * (0 unless set).
 */
int sim_oracle_create(unsigned int num_sids, unsigned int num_domains,
		      unsigned int pages, struct sim_oracle **out);
void sim_oracle_destroy(struct sim_oracle *o);
/*
 * SMMU @smmu (below SIM_ORACLE_MAX_SMMUS) is @hw: the STEs of its streams
 * are the ones it uses (sim_smmu_ste(): its STE cache's), and its
 * translations go through its TLB (sim_smmu_tlb()), which the checks look
 * at too (none: no TLB)
 */
int sim_oracle_set_smmu(struct sim_oracle *o, unsigned int smmu,
			struct sim_smmu *hw);
/* Stream @sid is behind SMMU @smmu */
int sim_oracle_set_stream(struct sim_oracle *o, u32 sid, unsigned int smmu);
/*
 * STEs of @domain, a domain of SMMU @smmu: stage 1 carrying ASID @id, or
 * with @s2 stage 2 carrying VMID @id
 */
int sim_oracle_set_domain(struct sim_oracle *o, unsigned int domain, bool s2,
			  u16 id, unsigned int smmu);

/*
 * How an unmap clears a page's entry: by @store(@pte, @val), the store of the
 * CPU that unmaps (a weakly ordered CPU's goes through its store buffer, so
 * that only the walker's smp_mb() makes it visible before the invalidation
 * array is read); NULL: a release store.  The unmapping CPU's later map of
 * the page must find the store performed (a barrier in between).
 */
void sim_oracle_set_unmap_store(struct sim_oracle *o,
				void (*store)(u64 *pte, u64 val));

void sim_oracle_map(struct sim_oracle *o, unsigned int domain,
		    unsigned int page, unsigned int num);
void sim_oracle_unmap(struct sim_oracle *o, unsigned int domain,
		      unsigned int page, unsigned int num);
/* The invalidation of the last unmap of these pages returned */
void sim_oracle_inv_done(struct sim_oracle *o, unsigned int domain,
			 unsigned int page, unsigned int num);

/*
 * A translation request of @dev for @page: 0 when cached, -EPERM when its
 * STE does not allow translated requests, -ENOENT when not mapped, -EAGAIN
 * when its driver has quiesced it (none is made).
 */
int sim_oracle_translate(struct sim_oracle *o, struct sim_dev *dev,
			 unsigned int page);
/*
 * An untranslated DMA of stream @sid to @page: translated by the SMMU (its
 * TLB filled), cached by no device.  0, -EPERM when its STE does not
 * translate, -ENOENT when not mapped.
 */
int sim_oracle_dma(struct sim_oracle *o, u32 sid, unsigned int page);
/*
 * A device asks again for the @num pages of @pages after an ATC
 * invalidation, in their order (a sim_smmu_refetch_fn; @arg is the oracle)
 */
void sim_oracle_refetch(void *arg, struct sim_dev *dev,
			const unsigned int *pages, unsigned int num);
/* Whether the STE of @sid allows translated requests */
bool sim_oracle_ats_allowed(struct sim_oracle *o, u32 sid);

/* How the invalidation before a check returned */
enum sim_oracle_after {
	SIM_ORACLE_COMPLETED,
	/* it reported an error on the way (a CMD_SYNC timeout) */
	SIM_ORACLE_GAVE_UP,
	/* so, while the host kept its thread off the CPU (the simulation's) */
	SIM_ORACLE_GAVE_UP_HOST,
};

/*
 * Check the pages of @domain in every device of @devs and in the TLB, after
 * their invalidation returned as @after says (an enum sim_oracle_after;
 * one that gave up did not complete).  Returns violations.
 */
unsigned int sim_oracle_check(struct sim_oracle *o, struct sim_dev *const *devs,
			      unsigned int num_devs, unsigned int domain,
			      unsigned int page, unsigned int num,
			      unsigned int after);
/* Check every page of @dev */
unsigned int sim_oracle_check_dev(struct sim_oracle *o, struct sim_dev *dev);

/*
 * @dev was blocked (quarantined, or prepared for a reset): lifting the block
 * needs a successful reset from now on
 */
void sim_oracle_quarantined(struct sim_oracle *o, struct sim_dev *dev);
/* @dev's quarantine was lifted; returns 1 (a violation) if no reset since */
unsigned int sim_oracle_lifted(struct sim_oracle *o, struct sim_dev *dev);

/*
 * A violation the harness saw itself, where it knows the truth (an innocent
 * device quarantined, an attach the reset protocol should have refused):
 * counted and kept as the first like the oracle's own
 */
void sim_oracle_report(struct sim_oracle *o, u32 sid, const char *what);
/* @n of them at once (none when 0) */
void sim_oracle_report_n(struct sim_oracle *o, u32 sid, const char *what,
			 u64 n);

u64 sim_oracle_violations(struct sim_oracle *o);
/*
 * Of them, the stale translations after an invalidation that reported an
 * error on the way (a CMD_SYNC the driver gave up on): what a real-time
 * run gets when the host does not run the simulated SMMU for as long as
 * the driver's CMD_SYNC time-out
 */
u64 sim_oracle_violations_gave_up(struct sim_oracle *o);
/*
 * Of them, after a give-up while the host starved the waiting thread
 * (SIM_ORACLE_GAVE_UP_HOST): the simulation's, not the driver's
 */
u64 sim_oracle_violations_host(struct sim_oracle *o);
/*
 * @n violations counted after a give-up (SIM_ORACLE_GAVE_UP) turn out to
 * be after one the host caused, which a harness may learn only later
 * (stress: a thread the host kept from running, bench/stress/runq.c)
 */
void sim_oracle_blame_host(struct sim_oracle *o, u64 n);
/* The first violation; false if none */
bool sim_oracle_first(struct sim_oracle *o, struct sim_oracle_violation *v);

#endif /* SIM_ORACLE_H */
