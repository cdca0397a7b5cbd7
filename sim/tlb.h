/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_tlb: the simulated SMMU's own TLB, for the correctness oracle.
 *
 * Entries are leaf translations of 4 KiB pages, tagged as the SMMU tags
 * them: stage 1 by (VMID, ASID), stage 2 by VMID.  A value is opaque to the
 * TLB and never 0 (0 is a miss); the oracle stores the page's (domain,
 * generation) there, as in a device's ATC.  Only @pages pages from address
 * 0 are held; a translation beyond them is not cached.  There are
 * SIM_TLB_TAGS tags' worth of entries: when a new tag finds them all taken,
 * the oldest tag's entries are evicted, as a TLB may drop any entry at any
 * time.
 *
 * A TLBI command (sim_tlb_invalidate()) removes what the SMMUv3
 * specification says it removes:
 *   TLBI_NH_VA     stage-1 entries of (VMID, ASID) at VA, or with TG != 0
 *                  the range of (NUM + 1) << SCALE granules of size TG
 *   TLBI_NH_ASID   stage-1 entries of (VMID, ASID)
 *   TLBI_NH_ALL    stage-1 entries of VMID
 *   TLBI_S2_IPA    stage-2 entries of VMID at IPA, or the range as above
 *   TLBI_S12_VMALL every entry of VMID
 *   TLBI_NSNH_ALL  every entry
 * and nothing for the EL2 forms (no EL2 entries are modelled) or any other
 * command.  A range (TG != 0) with a TTL hint removes only the entries of
 * the level TTL names: with 4 KiB granules (TG 1) the entries here are
 * level-3 leaves, so TTL 1 or 2 removes none of them, as an SMMU that
 * honours the hint would keep them (TTL 0: any level; with a 16 or 64 KiB
 * TG, where these 4 KiB entries stand for no level of that granule's
 * tables, the hint is not judged).  When a TLBI takes effect is the SMMU's business: sim_smmu
 * applies it when a later CMD_SYNC completes, the latest the architecture
 * allows.
 *
 * Synchronisation: a translation (STE read, lookup, walk, fill) holds the
 * TLB's lock, and so does sim_tlb_invalidate(): a fill either precedes a
 * TLBI (which removes it) or follows it, and then read the STE and walked
 * the page table that the TLBI invalidated for.  Entries are __atomic, so
 * sim_tlb_peek() reads them without the lock.  Lock order: a device's ATC
 * lock, then the TLB's.
 */
#ifndef SIM_TLB_H
#define SIM_TLB_H

#include <linux/types.h>

#define SIM_TLB_TAGS 256
#define SIM_TLB_MAX_PAGES (1u << 20)

struct sim_tlb;

/* A stage-1 tag (VMID 0, as the driver's stage-1 domains) or a stage-2 one */
struct sim_tlb_tag {
	bool s2;
	u16 vmid;
	u16 asid; /* stage 1 only */
};

int sim_tlb_create(unsigned int pages, struct sim_tlb **out);
void sim_tlb_destroy(struct sim_tlb *tlb);

/*
 * A translation: between sim_tlb_lock() and sim_tlb_unlock() the caller
 * reads the STE, looks the page up and on a miss walks the page table and
 * fills the entry, all one step against an invalidation
 */
void sim_tlb_lock(struct sim_tlb *tlb);
void sim_tlb_unlock(struct sim_tlb *tlb);
/* What the TLB holds for @page of @tag (0: a miss); under the lock */
u64 sim_tlb_lookup(struct sim_tlb *tlb, const struct sim_tlb_tag *tag,
		   unsigned int page);
/* Cache @val for @page of @tag (nothing beyond the pages); under the lock */
void sim_tlb_fill(struct sim_tlb *tlb, const struct sim_tlb_tag *tag,
		  unsigned int page, u64 val);
/* What the TLB holds for @page of @tag (0: nothing), without the lock */
u64 sim_tlb_peek(struct sim_tlb *tlb, const struct sim_tlb_tag *tag,
		 unsigned int page);
/* Apply the TLBI command @cmd (two words); other commands do nothing */
void sim_tlb_invalidate(struct sim_tlb *tlb, const u64 *cmd);
/* Whether the SMMU hands @opcode to sim_tlb_invalidate() */
bool sim_tlb_is_tlbi(u8 opcode);

#endif /* SIM_TLB_H */
