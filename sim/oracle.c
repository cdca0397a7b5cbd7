// SPDX-License-Identifier: GPL-2.0
/* sim_oracle: stale translations and unjustified lifts (see oracle.h) */
#include <errno.h>
#include <stdlib.h>
#include <linux/bitfield.h>
#include <linux/spinlock.h>
#include <arm-smmu-v3/arm-smmu-v3.h>

#include "clock.h"
#include "oracle.h"
#include "smmu.h"
#include "tlb.h"

#define SIM_ORACLE_NO_QUARANTINE U64_MAX
#define SIM_ORACLE_GEN_BITS 40
/*
 * A stream's memo: its STE's generation in the cache, above the domain it
 * translates through plus one (0: none; SIM_ORACLE_MAX_DOMAINS fits)
 */
#define SIM_ORACLE_MEMO_SHIFT 11
#define SIM_ORACLE_MEMO_DOMAIN ((1ULL << SIM_ORACLE_MEMO_SHIFT) - 1)

struct sim_oracle_smmu {
	struct sim_oracle *o;
	unsigned int idx;
	struct sim_smmu *hw;
	struct sim_tlb *tlb;
};

struct sim_oracle {
	struct sim_oracle_smmu smmu[SIM_ORACLE_MAX_SMMUS];
	unsigned int num_sids, num_domains, pages;
	u8 *sid_smmu; /* per SID */
	u16 *ids; /* per domain: its ASID, or VMID when s2 */
	bool *s2;
	u8 *domain_smmu;
	u64 *gen; /* [domain][page] */
	void (*unmap_store)(u64 *pte, u64 val);
	u64 *completed; /* [domain][page] */
	u64 *quarantine_resets; /* per SID: dev->resets when quarantined */
	u64 *ste_memo; /* per SID, for translated requests (see above) */
	u64 violations;
	u64 violations_gave_up; /* of them, after an invalidation's error */
	u64 violations_host; /* of them, after one the host starved */
	spinlock_t lock;
	bool have_first;
	struct sim_oracle_violation first;
};

int sim_oracle_create(unsigned int num_sids, unsigned int num_domains,
		      unsigned int pages, struct sim_oracle **out)
{
	struct sim_oracle *o;
	size_t n = (size_t)num_domains * pages;
	unsigned int i;

	if (!num_domains || num_domains > SIM_ORACLE_MAX_DOMAINS || !pages ||
	    pages > SIM_ORACLE_MAX_PAGES)
		return -EINVAL;
	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->num_sids = num_sids;
	o->num_domains = num_domains;
	o->pages = pages;
	o->ids = calloc(num_domains, sizeof(*o->ids));
	o->s2 = calloc(num_domains, sizeof(*o->s2));
	o->domain_smmu = calloc(num_domains, sizeof(*o->domain_smmu));
	o->sid_smmu = calloc(num_sids ?: 1, sizeof(*o->sid_smmu));
	o->gen = calloc(n, sizeof(*o->gen));
	o->completed = calloc(n, sizeof(*o->completed));
	o->quarantine_resets = calloc(num_sids ?: 1, sizeof(u64));
	o->ste_memo = calloc(num_sids ?: 1, sizeof(*o->ste_memo));
	if (!o->ids || !o->s2 || !o->domain_smmu || !o->sid_smmu || !o->gen ||
	    !o->completed || !o->quarantine_resets || !o->ste_memo) {
		sim_oracle_destroy(o);
		return -ENOMEM;
	}
	for (i = 0; i < num_sids; i++)
		o->quarantine_resets[i] = SIM_ORACLE_NO_QUARANTINE;
	spin_lock_init(&o->lock);
	*out = o;
	return 0;
}

void sim_oracle_destroy(struct sim_oracle *o)
{
	if (!o)
		return;
	free(o->ids);
	free(o->s2);
	free(o->domain_smmu);
	free(o->sid_smmu);
	free(o->gen);
	free(o->completed);
	free(o->quarantine_resets);
	free(o->ste_memo);
	free(o);
}

static bool sim_oracle_ste_legal(void *arg, u32 sid, const u64 *ste);

/*
 * What a domain is changed: no memo holds.  A stream moved to another SMMU,
 * or an SMMU replaced, needs none of this: generations are unique across
 * STE caches, so a memo of another cache's never matches.
 */
static void sim_oracle_forget_memos(struct sim_oracle *o)
{
	unsigned int i;

	for (i = 0; i < o->num_sids; i++)
		__atomic_store_n(&o->ste_memo[i], 0, __ATOMIC_RELAXED);
}

int sim_oracle_set_smmu(struct sim_oracle *o, unsigned int smmu,
			struct sim_smmu *hw)
{
	if (smmu >= SIM_ORACLE_MAX_SMMUS)
		return -EINVAL;
	o->smmu[smmu] = (struct sim_oracle_smmu){
		.o = o, .idx = smmu, .hw = hw, .tlb = sim_smmu_tlb(hw)
	};
	sim_smmu_set_ste_judge(hw, sim_oracle_ste_legal, &o->smmu[smmu]);
	return 0;
}

int sim_oracle_set_stream(struct sim_oracle *o, u32 sid, unsigned int smmu)
{
	if (sid >= o->num_sids || smmu >= SIM_ORACLE_MAX_SMMUS)
		return -EINVAL;
	o->sid_smmu[sid] = smmu;
	return 0;
}

int sim_oracle_set_domain(struct sim_oracle *o, unsigned int domain, bool s2,
			  u16 id, unsigned int smmu)
{
	if (domain >= o->num_domains || smmu >= SIM_ORACLE_MAX_SMMUS)
		return -EINVAL;
	o->ids[domain] = id;
	o->s2[domain] = s2;
	o->domain_smmu[domain] = smmu;
	sim_oracle_forget_memos(o);
	return 0;
}

/* The TLB of the SMMU behind stream @sid (NULL: none) */
static struct sim_tlb *sim_oracle_sid_tlb(struct sim_oracle *o, u32 sid)
{
	return sid < o->num_sids ? o->smmu[o->sid_smmu[sid]].tlb : NULL;
}

static u64 *sim_oracle_slot(u64 *arr, struct sim_oracle *o, unsigned int domain,
			    unsigned int page)
{
	return &arr[(size_t)domain * o->pages + page];
}

static void sim_oracle_bump(struct sim_oracle *o, unsigned int domain,
			    unsigned int page, unsigned int num, bool map)
{
	unsigned int i;

	for (i = page; i < page + num && i < o->pages; i++) {
		u64 *g = sim_oracle_slot(o->gen, o, domain, i);
		u64 v = __atomic_load_n(g, __ATOMIC_RELAXED);

		/* Pairs with the acquire of a translation's read */
		if ((v & 1) == map)
			continue;
		if (!map && o->unmap_store)
			o->unmap_store(g, v + 1);
		else
			__atomic_store_n(g, v + 1, __ATOMIC_RELEASE);
	}
}

void sim_oracle_set_unmap_store(struct sim_oracle *o,
				void (*store)(u64 *pte, u64 val))
{
	o->unmap_store = store;
}

void sim_oracle_map(struct sim_oracle *o, unsigned int domain,
		    unsigned int page, unsigned int num)
{
	sim_oracle_bump(o, domain, page, num, true);
}

void sim_oracle_unmap(struct sim_oracle *o, unsigned int domain,
		      unsigned int page, unsigned int num)
{
	sim_oracle_bump(o, domain, page, num, false);
}

void sim_oracle_inv_done(struct sim_oracle *o, unsigned int domain,
			 unsigned int page, unsigned int num)
{
	unsigned int i;

	for (i = page; i < page + num && i < o->pages; i++)
		__atomic_store_n(
			sim_oracle_slot(o->completed, o, domain, i),
			__atomic_load_n(sim_oracle_slot(o->gen, o, domain, i),
					__ATOMIC_RELAXED),
			__ATOMIC_RELEASE);
}

/*
 * The domain of SMMU @smmu that the STE @ste translates through, or -1;
 * with @ats, for translated requests (EATS set) only
 */
static int sim_oracle_words_domain(struct sim_oracle *o, unsigned int smmu,
				   const u64 *ste, bool ats)
{
	unsigned int i, cfg = FIELD_GET(STRTAB_STE_0_CFG, ste[0]);
	bool s2 = cfg == STRTAB_STE_0_CFG_S2_TRANS;
	u16 id;

	if (!(ste[0] & STRTAB_STE_0_V) ||
	    (cfg != STRTAB_STE_0_CFG_S1_TRANS && !s2) ||
	    (ats && !FIELD_GET(STRTAB_STE_1_EATS, ste[1])))
		return -1;
	id = s2 ? FIELD_GET(STRTAB_STE_2_S2VMID, ste[2]) :
		  FIELD_GET(STRTAB_STE_0_S1CTXPTR_ASID, ste[0]);
	for (i = 0; i < o->num_domains; i++)
		if (o->s2[i] == s2 && o->ids[i] == id &&
		    o->domain_smmu[i] == smmu)
			return i;
	return -1;
}

/*
 * The domain a stream's STE translates through (as the SMMU sees it;
 * @translate: for a translation request, which may find it evicted).
 * A stream whose cached STE has not changed since the last time gives the
 * domain found then (the memo of its generation, sim_smmu_ste_gen()): the
 * same STE gives the same domain.  Without @translate the lookup itself is
 * not made, as it would change nothing; a translation's lookup always runs
 * (its eviction is drawn each time), and only its decoding is remembered.
 */
static __always_inline int sim_oracle_ste_domain(struct sim_oracle *o, u32 sid,
						 bool ats, bool translate)
{
	u64 ste[STRTAB_STE_DWORDS], memo, gen;
	struct sim_smmu *hw;
	unsigned int smmu;
	int domain;

	if (sid >= o->num_sids)
		return -1;
	smmu = o->sid_smmu[sid];
	hw = o->smmu[smmu].hw;
	if (!hw)
		return -1;
	memo = __atomic_load_n(&o->ste_memo[sid], __ATOMIC_RELAXED);
	if (translate) {
		gen = sim_smmu_ste_translate(hw, sid, ste);
	} else {
		if (ats && memo &&
		    memo >> SIM_ORACLE_MEMO_SHIFT == sim_smmu_ste_gen(hw, sid))
			return (int)(memo & SIM_ORACLE_MEMO_DOMAIN) - 1;
		gen = sim_smmu_ste(hw, sid, ste);
	}
	if (ats && gen && memo >> SIM_ORACLE_MEMO_SHIFT == gen)
		return (int)(memo & SIM_ORACLE_MEMO_DOMAIN) - 1;
	domain = sim_oracle_words_domain(o, smmu, ste, ats);
	if (ats && gen)
		__atomic_store_n(&o->ste_memo[sid],
				 gen << SIM_ORACLE_MEMO_SHIFT | (domain + 1),
				 __ATOMIC_RELAXED);
	return domain;
}

/*
 * An STE the driver could mean (a sim_stec_judge_fn): not valid, abort,
 * or a domain of this SMMU as the driver's STEs carry it: stage 1 with its
 * ASID, the CD fetch attributes of arm_smmu_make_ste() and VMID 0; stage 2
 * with its VMID and SHCFG "incoming".  EATS either way.
 */
static bool sim_oracle_ste_legal(void *arg, u32 sid, const u64 *ste)
{
	const struct sim_oracle_smmu *os = arg;
	const u64 s1_attrs =
		FIELD_PREP(STRTAB_STE_1_S1CIR, STRTAB_STE_1_S1C_CACHE_WBRA) |
		FIELD_PREP(STRTAB_STE_1_S1COR, STRTAB_STE_1_S1C_CACHE_WBRA) |
		FIELD_PREP(STRTAB_STE_1_S1CSH, ARM_SMMU_SH_ISH);
	const u64 s1_mask = STRTAB_STE_1_S1CIR | STRTAB_STE_1_S1COR |
			    STRTAB_STE_1_S1CSH;
	unsigned int cfg = FIELD_GET(STRTAB_STE_0_CFG, ste[0]);

	if (!(ste[0] & STRTAB_STE_0_V) || cfg == STRTAB_STE_0_CFG_ABORT)
		return true;
	if (sim_oracle_words_domain(os->o, os->idx, ste, false) < 0)
		return false;
	if (cfg == STRTAB_STE_0_CFG_S1_TRANS)
		return (ste[1] & s1_mask) == s1_attrs &&
		       !FIELD_GET(STRTAB_STE_2_S2VMID, ste[2]);
	return FIELD_GET(STRTAB_STE_1_SHCFG, ste[1]) ==
	       STRTAB_STE_1_SHCFG_INCOMING;
}

bool sim_oracle_ats_allowed(struct sim_oracle *o, u32 sid)
{
	return sim_oracle_ste_domain(o, sid, true, false) >= 0;
}

/* The SMMU's tag for the translations of @domain */
static struct sim_tlb_tag sim_oracle_tag(struct sim_oracle *o,
					 unsigned int domain)
{
	struct sim_tlb_tag tag = { .s2 = o->s2[domain] };

	if (tag.s2)
		tag.vmid = o->ids[domain];
	else
		tag.asid = o->ids[domain];
	return tag;
}

/* The page table: what a translation caches, or 0 when not mapped */
static u64 sim_oracle_walk(struct sim_oracle *o, unsigned int domain,
			   unsigned int page)
{
	u64 gen = __atomic_load_n(sim_oracle_slot(o->gen, o, domain, page),
				  __ATOMIC_ACQUIRE);

	return gen & 1 ? ((u64)(domain + 1) << SIM_ORACLE_GEN_BITS) | gen : 0;
}

/*
 * The SMMU serves a translation request: STE, then TLB or page table, as
 * one step against a TLBI (the caller holds @tlb's lock, if there is a
 * TLB).  0 with the translation in *@val (0: not mapped), or -EPERM when
 * the STE does not translate.
 */
static __always_inline int sim_oracle_serve_locked(struct sim_oracle *o,
						   struct sim_tlb *tlb, u32 sid,
						   bool ats, unsigned int page,
						   u64 *val)
{
	struct sim_tlb_tag tag;
	int domain;

	domain = sim_oracle_ste_domain(o, sid, ats, true);
	if (domain < 0)
		return -EPERM;
	if (!tlb) {
		*val = sim_oracle_walk(o, domain, page);
		return 0;
	}
	tag = sim_oracle_tag(o, domain);
	*val = sim_tlb_lookup(tlb, &tag, page);
	if (!*val) {
		*val = sim_oracle_walk(o, domain, page);
		if (*val)
			sim_tlb_fill(tlb, &tag, page, *val);
	}
	return 0;
}

static int sim_oracle_serve(struct sim_oracle *o, u32 sid, bool ats,
			    unsigned int page, u64 *val)
{
	struct sim_tlb *tlb = sim_oracle_sid_tlb(o, sid);
	int ret;

	if (tlb)
		sim_tlb_lock(tlb);
	ret = sim_oracle_serve_locked(o, tlb, sid, ats, page, val);
	if (tlb)
		sim_tlb_unlock(tlb);
	return ret;
}

/*
 * @dev's translation requests for the @num pages of @pages, one after
 * another under one hold of its ATC's lock and the TLB's: each as
 * sim_oracle_translate() makes it (a page outside its ATC, none of which a
 * device without one has, is -EINVAL); the last one's return value
 */
static int sim_oracle_translate_pages(struct sim_oracle *o, struct sim_dev *dev,
				      const unsigned int *pages,
				      unsigned int num)
{
	struct sim_tlb *tlb;
	unsigned int i;
	int ret = 0;
	u64 v;

	tlb = sim_oracle_sid_tlb(o, dev->sid);
	spin_lock(&dev->atc_lock);
	if (__atomic_load_n(&dev->quiesced, __ATOMIC_RELAXED)) {
		spin_unlock(&dev->atc_lock);
		return -EAGAIN;
	}
	if (tlb)
		sim_tlb_lock(tlb);
	for (i = 0; i < num; i++) {
		if (pages[i] >= dev->atc_pages || pages[i] >= o->pages) {
			ret = -EINVAL;
			continue;
		}
		ret = sim_oracle_serve_locked(o, tlb, dev->sid, true, pages[i],
					      &v);
		if (!ret && !v)
			ret = -ENOENT;
		if (!ret)
			__atomic_store_n(&dev->atc[pages[i]], v,
					 __ATOMIC_RELAXED);
	}
	if (tlb)
		sim_tlb_unlock(tlb);
	spin_unlock(&dev->atc_lock);
	return ret;
}

int sim_oracle_translate(struct sim_oracle *o, struct sim_dev *dev,
			 unsigned int page)
{
	/* A page outside the ATC is -EINVAL, quiesced device or not */
	if (page >= dev->atc_pages || page >= o->pages)
		return -EINVAL;
	return sim_oracle_translate_pages(o, dev, &page, 1);
}

int sim_oracle_dma(struct sim_oracle *o, u32 sid, unsigned int page)
{
	int ret;
	u64 v;

	if (page >= o->pages)
		return -EINVAL;
	ret = sim_oracle_serve(o, sid, false, page, &v);
	return ret ? ret : v ? 0 : -ENOENT;
}

void sim_oracle_refetch(void *arg, struct sim_dev *dev,
			const unsigned int *pages, unsigned int num)
{
	sim_oracle_translate_pages(arg, dev, pages, num);
}

/* What the invalidation that a stale entry outlived was */
static const char *const sim_oracle_after[] = {
	"a completed invalidation",
	"an invalidation that reported an error (a CMD_SYNC the driver gave up "
	"on, -ETIMEDOUT: the ATC_INVs behind it may not have run)",
	"an invalidation that gave up while the host kept its thread off the "
	"CPU (the simulation's time-out, not the driver's)",
};

/* @n violations like @v (the first of them kept, if first) */
static void sim_oracle_violations_add(struct sim_oracle *o,
				      const struct sim_oracle_violation *v,
				      u64 n)
{
	__atomic_fetch_add(&o->violations, n, __ATOMIC_RELAXED);
	if (v->after == sim_oracle_after[SIM_ORACLE_GAVE_UP])
		__atomic_fetch_add(&o->violations_gave_up, n, __ATOMIC_RELAXED);
	if (v->after == sim_oracle_after[SIM_ORACLE_GAVE_UP_HOST])
		__atomic_fetch_add(&o->violations_host, n, __ATOMIC_RELAXED);
	spin_lock(&o->lock);
	if (!o->have_first) {
		o->first = *v;
		o->first.t_ns = sim_clock_now_ns();
		o->have_first = true;
	}
	spin_unlock(&o->lock);
}

static void sim_oracle_violation(struct sim_oracle *o,
				 const struct sim_oracle_violation *v)
{
	sim_oracle_violations_add(o, v, 1);
}

/*
 * Whether @e, a cached translation of @page (ATC or TLB entry), is older
 * than the page's completed invalidation; fills in @v if so.  With
 * @only_domain >= 0, an entry of another domain is not looked at.
 */
static __always_inline bool sim_oracle_stale(struct sim_oracle *o, u64 e,
					     int only_domain, unsigned int page,
					     struct sim_oracle_violation *v)
{
	unsigned int domain = (e >> SIM_ORACLE_GEN_BITS) - 1;
	u64 held = e & ((1ULL << SIM_ORACLE_GEN_BITS) - 1), done;

	if (!e || domain >= o->num_domains ||
	    (only_domain >= 0 && domain != (unsigned int)only_domain))
		return false;
	done = __atomic_load_n(sim_oracle_slot(o->completed, o, domain, page),
			       __ATOMIC_ACQUIRE);
	if (held >= done)
		return false;
	v->domain = domain;
	v->page = page;
	v->held = held;
	v->completed = done;
	return true;
}

/* @dev's ATC holds @v's stale entry (out of line: the rare path) */
static noinline void sim_oracle_stale_atc(struct sim_oracle *o,
					  const struct sim_dev *dev,
					  struct sim_oracle_violation *v,
					  unsigned int after)
{
	v->t_ns = 0;
	v->sid = dev->sid;
	v->what = "stale translation in a device's ATC";
	v->after = sim_oracle_after[after];
	sim_oracle_violation(o, v);
}

/* Inline in sim_oracle_check()'s loop over the devices: one a device */
static __always_inline unsigned int
sim_oracle_check_pages(struct sim_oracle *o, struct sim_dev *dev,
		       int only_domain, unsigned int page, unsigned int num,
		       unsigned int after)
{
	unsigned int i, end = min3(page + num, dev->atc_pages, o->pages);
	unsigned int found = 0;

	if (!dev->atc || sim_oracle_ste_domain(o, dev->sid, true, false) < 0)
		return 0;
	for (i = page; i < end; i++) {
		u64 e = __atomic_load_n(&dev->atc[i], __ATOMIC_RELAXED);
		struct sim_oracle_violation v;

		/* An empty entry holds nothing stale: the common case */
		if (!e || !sim_oracle_stale(o, e, only_domain, i, &v))
			continue;
		sim_oracle_stale_atc(o, dev, &v, after);
		found++;
	}
	return found;
}

/* The TLB of @domain's SMMU must not serve an invalidated page either */
static unsigned int sim_oracle_check_tlb(struct sim_oracle *o,
					 unsigned int domain, unsigned int page,
					 unsigned int num, unsigned int after)
{
	struct sim_tlb_tag tag;
	struct sim_tlb *tlb;
	unsigned int i, found = 0;

	if (domain >= o->num_domains)
		return 0;
	tlb = o->smmu[o->domain_smmu[domain]].tlb;
	if (!tlb)
		return 0;
	tag = sim_oracle_tag(o, domain);
	for (i = page; i < page + num && i < o->pages; i++) {
		struct sim_oracle_violation v = {
			.sid = SIM_ORACLE_NO_SID,
			.what = "stale translation in the SMMU's TLB",
			.after = sim_oracle_after[after],
		};

		if (sim_oracle_stale(o, sim_tlb_peek(tlb, &tag, i), domain, i,
				     &v)) {
			sim_oracle_violation(o, &v);
			found++;
		}
	}
	return found;
}

unsigned int sim_oracle_check(struct sim_oracle *o, struct sim_dev *const *devs,
			      unsigned int num_devs, unsigned int domain,
			      unsigned int page, unsigned int num,
			      unsigned int after)
{
	unsigned int i, found = 0;

	for (i = 0; i < num_devs; i++)
		found += sim_oracle_check_pages(o, devs[i], domain, page, num,
						after);
	return found + sim_oracle_check_tlb(o, domain, page, num, after);
}

unsigned int sim_oracle_check_dev(struct sim_oracle *o, struct sim_dev *dev)
{
	return sim_oracle_check_pages(o, dev, -1, 0, o->pages,
				      SIM_ORACLE_COMPLETED);
}

void sim_oracle_quarantined(struct sim_oracle *o, struct sim_dev *dev)
{
	if (dev->sid < o->num_sids)
		__atomic_store_n(&o->quarantine_resets[dev->sid],
				 __atomic_load_n(&dev->resets,
						 __ATOMIC_ACQUIRE),
				 __ATOMIC_RELAXED);
}

unsigned int sim_oracle_lifted(struct sim_oracle *o, struct sim_dev *dev)
{
	u64 at;

	if (dev->sid >= o->num_sids)
		return 0;
	at = __atomic_exchange_n(&o->quarantine_resets[dev->sid],
				 SIM_ORACLE_NO_QUARANTINE, __ATOMIC_RELAXED);
	if (at == SIM_ORACLE_NO_QUARANTINE ||
	    __atomic_load_n(&dev->resets, __ATOMIC_ACQUIRE) != at)
		return 0;
	sim_oracle_violation(o, &(struct sim_oracle_violation){
					.sid = dev->sid,
					.what = "quarantine lifted without a "
						"device reset",
				});
	return 1;
}

void sim_oracle_report_n(struct sim_oracle *o, u32 sid, const char *what, u64 n)
{
	if (n)
		sim_oracle_violations_add(o,
					  &(struct sim_oracle_violation){
						  .sid = sid, .what = what },
					  n);
}

void sim_oracle_report(struct sim_oracle *o, u32 sid, const char *what)
{
	sim_oracle_report_n(o, sid, what, 1);
}

u64 sim_oracle_violations(struct sim_oracle *o)
{
	return __atomic_load_n(&o->violations, __ATOMIC_RELAXED);
}

u64 sim_oracle_violations_gave_up(struct sim_oracle *o)
{
	return __atomic_load_n(&o->violations_gave_up, __ATOMIC_RELAXED);
}

u64 sim_oracle_violations_host(struct sim_oracle *o)
{
	return __atomic_load_n(&o->violations_host, __ATOMIC_RELAXED);
}

void sim_oracle_blame_host(struct sim_oracle *o, u64 n)
{
	__atomic_fetch_sub(&o->violations_gave_up, n, __ATOMIC_RELAXED);
	__atomic_fetch_add(&o->violations_host, n, __ATOMIC_RELAXED);
}

bool sim_oracle_first(struct sim_oracle *o, struct sim_oracle_violation *v)
{
	bool have;

	spin_lock(&o->lock);
	have = o->have_first;
	if (have)
		*v = o->first;
	spin_unlock(&o->lock);
	return have;
}
