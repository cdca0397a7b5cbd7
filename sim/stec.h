/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_stec: the simulated SMMU's configuration cache (its STEs), and the
 * check that no STE it could fetch is torn.
 *
 * Caching, as the SMMUv3 specification allows it: an STE may be fetched
 * whenever it is valid and kept until a CFGI that covers it (CFGI_STE of its
 * SID, CFGI_STE_RANGE or CFGI_ALL over it) is followed by a CMD_SYNC that
 * completes.  The SMMU keeps it that long (the latest the architecture
 * allows) and fetches at moments of its own, seeded:
 *  - on a translation that misses, or that finds its STE evicted
 *    (sim_stec_translate()): by the seed's coin a cached STE is dropped
 *    and fetched again as memory has it now, possibly between two of the
 *    driver's writes;
 *  - when a sync completes an invalidation: each dropped STE is, by the
 *    seed's coin, fetched again at once, so a CFGI issued before the
 *    words it should publish leaves the old configuration cached;
 *  - after each completed sync, the STE of one stream it has seen, by the
 *    seed, so that an STE changed without a CFGI is likely cached already.
 * A fetch reads each 64-bit word on its own (single-copy atomicity of a
 * word only).  The stage-1 context lives in the STE in this simulation (no
 * CD tables, arm-smmu-v3.h), so this is also its CD cache; CFGI_CD drops
 * nothing.
 *
 * Torn STEs: between two CFGIs of a SID the driver writes some of its
 * words, and the SMMU may fetch the STE between any two of those writes,
 * so it may hold any mix, word by word, of the STE as of the previous CFGI
 * (old) and as of this one (new).  Each such mix must be legal: not valid
 * (V = 0), or behaving as old or as new: equal to it in every bit it uses
 * (by V and CFG: a stage-1 STE its context, the attributes of its CD
 * fetch, EATS and VMID; a stage-2 one EATS, SHCFG and VMID; a bypass one
 * SHCFG).  EATS is exempt: the driver changes it only while the device's
 * ATS is disabled (arm_smmu_get_ste_update_safe()'s rule, written here
 * from the specification, not shared with the driver).  And with a judge
 * (the oracle's, which knows the domains), each mix, the step's end
 * included, must be a configuration the driver could mean: a step whose
 * every word is in order but which ends in no domain's STE (a stage-2 CFG
 * with a stage-1 STE's VMID) is caught there.  An illegal mix is a torn
 * STE, counted once per CFGI, the first kept with its words.
 *
 * Synchronisation: every call takes the cache's lock, the innermost of the
 * simulation's (after the SMMU's, a device's ATC lock and the TLB's); it
 * calls nothing outside.  The stream table words are read with acquire
 * loads (the driver writes them with WRITE_ONCE() after a dma_wmb(), and
 * issues the CFGI after them).
 */
#ifndef SIM_STEC_H
#define SIM_STEC_H

#include <linux/types.h>
#include <arm-smmu-v3/arm-smmu-v3.h>

struct sim_stec;

/*
 * Whether @ste is a configuration the driver could mean for @sid (not
 * whether it is the one it meant): a judge the oracle gives, which knows
 * the domains
 */
typedef bool (*sim_stec_judge_fn)(void *arg, u32 sid, const u64 *ste);

/* The first torn STE: the two sides of the step and the mix that is torn */
struct sim_stec_torn {
	u32 sid;
	u64 old[STRTAB_STE_DWORDS], new[STRTAB_STE_DWORDS];
	u8 from_new; /* bit i: word i of the mix is new's */
};

struct sim_stec_stats {
	u64 fetches; /* STEs read from the stream table */
	u64 torn; /* CFGIs whose step could be fetched torn */
};

/*
 * The cache of an SMMU whose stream table is @strtab (@num_sids STEs); its
 * own fetches are chosen by @seed
 */
int sim_stec_create(const struct arm_smmu_ste *strtab, unsigned int num_sids,
		    u64 seed, struct sim_stec **out);
void sim_stec_destroy(struct sim_stec *c);
/*
 * Judge every STE a step could leave fetchable with @fn too (NULL: only
 * the old-or-new rule); set before the SMMU runs commands
 */
void sim_stec_set_judge(struct sim_stec *c, sim_stec_judge_fn fn, void *arg);
/*
 * The STE the SMMU uses for @sid, fetched if not cached, into @ste.
 * Returns its entry's generation (0: no entry caches it, @ste is memory's)
 */
u64 sim_stec_get(struct sim_stec *c, u32 sid, u64 *ste);
/*
 * The generation of @sid's entry now (0: none), read without the lock.
 * While it is still the one sim_stec_get() returned, the entry has held
 * the same STE since: another get would find it cached, the same, and
 * change nothing.  Generations are unique across caches.
 */
u64 sim_stec_gen(struct sim_stec *c, u32 sid);
/*
 * The same for a translation: the SMMU may first have evicted it.  Returns
 * the generation as sim_stec_get() does.
 */
u64 sim_stec_translate(struct sim_stec *c, u32 sid, u64 *ste);
/* Whether @opcode invalidates STEs (CFGI_STE, CFGI_STE_RANGE / ALL) */
bool sim_stec_is_cfgi(u8 opcode);
/* The SMMU executes the CFGI @cmd: checks its step, pending a sync */
void sim_stec_cfgi(struct sim_stec *c, const u64 *cmd);
/* A CMD_SYNC completed: so did every CFGI before it */
void sim_stec_sync(struct sim_stec *c);
/* Counters; the first torn STE into @first when there is one */
void sim_stec_stats(struct sim_stec *c, struct sim_stec_stats *st,
		    struct sim_stec_torn *first);

#endif /* SIM_STEC_H */
