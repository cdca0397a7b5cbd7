// SPDX-License-Identifier: GPL-2.0
/* sim_stec: the simulated SMMU's STE cache and torn-STE check (stec.h) */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bitfield.h>
#include <linux/spinlock.h>

#include "rng.h"
#include "stec.h"

/* A dropped STE is fetched again at once with probability 1/2 */
#define SIM_STEC_REFETCH_ONE_IN 2
/* A translation finds its cached STE evicted, and fetches it, 1 in 8 */
#define SIM_STEC_EVICT_ONE_IN 8

struct sim_stec_ent {
	u64 cached[STRTAB_STE_DWORDS];
	u64 published[STRTAB_STE_DWORDS]; /* as of the last CFGI */
	/*
	 * Moves on (release, under the lock) whenever @valid or @cached
	 * changes; unique across caches (sim_stec_gen())
	 */
	u64 gen;
	bool valid; /* @cached holds the STE */
	bool pending; /* a CFGI awaits its sync */
};

/* Each cache's entries count their generations from a base of its own */
static u64 sim_stec_gen_bases;

struct sim_stec {
	const struct arm_smmu_ste *strtab;
	unsigned int num_sids;
	u64 gen_base;
	spinlock_t lock;
	u64 rng;
	/* By SID, allocated when first seen; the SIDs seen, in that order */
	struct sim_stec_ent **ents;
	u32 *seen;
	unsigned int num_seen;
	/* The SIDs of the CFGIs no sync completed yet */
	u32 *pending;
	unsigned int num_pending;
	/*
	 * Seen entries not cached.  With num_pending, written under @lock and
	 * read without it by sim_stec_sync()'s early exit (__atomic): a sync
	 * with nothing to drop or fetch costs two loads
	 */
	unsigned int uncached;
	struct sim_stec_stats stats;
	struct sim_stec_torn first;
	sim_stec_judge_fn judge;
	void *judge_arg;
};

int sim_stec_create(const struct arm_smmu_ste *strtab, unsigned int num_sids,
		    u64 seed, struct sim_stec **out)
{
	struct sim_stec *c;

	if (!strtab || !num_sids)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->strtab = strtab;
	c->num_sids = num_sids;
	c->gen_base = __atomic_add_fetch(&sim_stec_gen_bases, 1ULL << 32,
					 __ATOMIC_RELAXED);
	c->rng = seed ^ 0x57ec0ca5e5ULL;
	spin_lock_init(&c->lock);
	c->ents = calloc(num_sids, sizeof(*c->ents));
	c->seen = calloc(num_sids, sizeof(*c->seen));
	c->pending = calloc(num_sids, sizeof(*c->pending));
	if (!c->ents || !c->seen || !c->pending) {
		sim_stec_destroy(c);
		return -ENOMEM;
	}
	*out = c;
	return 0;
}

void sim_stec_destroy(struct sim_stec *c)
{
	unsigned int i;

	if (!c)
		return;
	for (i = 0; c->ents && i < c->num_seen; i++)
		free(c->ents[c->seen[i]]);
	free(c->ents);
	free(c->seen);
	free(c->pending);
	free(c);
}

/* The STE of @sid in memory now, a word at a time */
static void sim_stec_read(struct sim_stec *c, u32 sid, u64 *ste)
{
	unsigned int i;

	for (i = 0; i < STRTAB_STE_DWORDS; i++)
		ste[i] = le64_to_cpu(__atomic_load_n(&c->strtab[sid].data[i],
						     __ATOMIC_ACQUIRE));
}

/* The entry of @sid the first time it is looked up (under the lock) */
static noinline struct sim_stec_ent *sim_stec_ent_new(struct sim_stec *c,
						      u32 sid)
{
	struct sim_stec_ent *e;

	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL; /* an SMMU may cache nothing: a miss each time */
	sim_stec_read(c, sid, e->published);
	e->gen = c->gen_base;
	/* read without the lock by sim_stec_gen() */
	__atomic_store_n(&c->ents[sid], e, __ATOMIC_RELEASE);
	c->seen[c->num_seen++] = sid;
	__atomic_store_n(&c->uncached, c->uncached + 1, __ATOMIC_RELAXED);
	return e;
}

/* The entry of @sid, made when first seen (NULL: none can be) */
static inline struct sim_stec_ent *sim_stec_ent(struct sim_stec *c, u32 sid)
{
	struct sim_stec_ent *e;

	if (sid >= c->num_sids)
		return NULL;
	e = c->ents[sid];
	return e ? e : sim_stec_ent_new(c, sid);
}

/* @e's valid or cached changed (pairs with sim_stec_gen()'s acquire) */
static void sim_stec_changed(struct sim_stec_ent *e)
{
	__atomic_store_n(&e->gen, e->gen + 1, __ATOMIC_RELEASE);
}

static void sim_stec_fetch(struct sim_stec *c, u32 sid, struct sim_stec_ent *e)
{
	sim_stec_read(c, sid, e->cached);
	e->valid = true;
	sim_stec_changed(e);
	__atomic_store_n(&c->uncached, c->uncached - 1, __ATOMIC_RELAXED);
	c->stats.fetches++;
}

/* The STE into @ste; its entry's generation after, 0 when none caches it */
static u64 sim_stec_lookup(struct sim_stec *c, u32 sid, u64 *ste,
			   bool translate)
{
	struct sim_stec_ent *e;
	u64 gen = 0;

	spin_lock(&c->lock);
	e = sim_stec_ent(c, sid);
	if (!e) {
		if (sid < c->num_sids)
			sim_stec_read(c, sid, ste);
		else
			memset(ste, 0, STRTAB_STE_DWORDS * sizeof(*ste));
		goto out;
	}
	/* Evicted (the SMMU's choice), then missed: as it is in memory now */
	if (translate && e->valid &&
	    !sim_rng_below(&c->rng, SIM_STEC_EVICT_ONE_IN)) {
		e->valid = false;
		sim_stec_changed(e);
		__atomic_store_n(&c->uncached, c->uncached + 1,
				 __ATOMIC_RELAXED);
	}
	if (!e->valid)
		sim_stec_fetch(c, sid, e);
	memcpy(ste, e->cached, sizeof(e->cached));
	gen = e->gen;
out:
	spin_unlock(&c->lock);
	return gen;
}

u64 sim_stec_get(struct sim_stec *c, u32 sid, u64 *ste)
{
	return sim_stec_lookup(c, sid, ste, false);
}

u64 sim_stec_translate(struct sim_stec *c, u32 sid, u64 *ste)
{
	return sim_stec_lookup(c, sid, ste, true);
}

u64 sim_stec_gen(struct sim_stec *c, u32 sid)
{
	struct sim_stec_ent *e;

	if (sid >= c->num_sids)
		return 0;
	e = __atomic_load_n(&c->ents[sid], __ATOMIC_ACQUIRE);
	return e ? __atomic_load_n(&e->gen, __ATOMIC_ACQUIRE) : 0;
}

/*
 * The bits of @ste the SMMU uses, by its V and CFG (the fields this
 * simulation models), EATS left out (stec.h)
 */
static void sim_stec_used(const u64 *ste, u64 *used)
{
	unsigned int cfg = FIELD_GET(STRTAB_STE_0_CFG, ste[0]);

	memset(used, 0, STRTAB_STE_DWORDS * sizeof(*used));
	used[0] = STRTAB_STE_0_V;
	if (!(ste[0] & STRTAB_STE_0_V))
		return;
	used[0] |= STRTAB_STE_0_CFG;
	switch (cfg) {
	case STRTAB_STE_0_CFG_S1_TRANS:
		used[0] |= STRTAB_STE_0_S1CTXPTR_ASID;
		used[1] |= STRTAB_STE_1_S1CIR | STRTAB_STE_1_S1COR |
			   STRTAB_STE_1_S1CSH;
		used[2] |= STRTAB_STE_2_S2VMID;
		break;
	case STRTAB_STE_0_CFG_S2_TRANS:
		used[1] |= STRTAB_STE_1_SHCFG;
		used[2] |= STRTAB_STE_2_S2VMID;
		break;
	case STRTAB_STE_0_CFG_BYPASS:
		used[1] |= STRTAB_STE_1_SHCFG;
		break;
	default: /* abort, or a reserved CFG: nothing more is read */
		break;
	}
}

/* Whether @mix behaves as @ste: the same in every bit @ste uses */
static bool sim_stec_behaves_as(const u64 *mix, const u64 *ste)
{
	u64 used[STRTAB_STE_DWORDS];
	unsigned int i;

	sim_stec_used(ste, used);
	for (i = 0; i < STRTAB_STE_DWORDS; i++)
		if ((mix[i] ^ ste[i]) & used[i])
			return false;
	return true;
}

void sim_stec_set_judge(struct sim_stec *c, sim_stec_judge_fn fn, void *arg)
{
	spin_lock(&c->lock);
	c->judge = fn;
	c->judge_arg = arg;
	spin_unlock(&c->lock);
}

/*
 * Every word-wise mix of @old and @new of stream @sid is legal; else the
 * first illegal one's words from @new as a mask (0: @old, judged by the
 * step before)
 */
static u8 sim_stec_torn_mix(struct sim_stec *c, u32 sid, const u64 *old,
			    const u64 *new)
{
	u64 mix[STRTAB_STE_DWORDS];
	unsigned int i, diff = 0, m;

	for (i = 0; i < STRTAB_STE_DWORDS; i++)
		if (old[i] != new[i])
			diff |= 1U << i;
	/* Each subset of the differing words: m = (m - diff) & diff */
	for (m = diff & -diff; m; m = (m - diff) & diff) {
		for (i = 0; i < STRTAB_STE_DWORDS; i++)
			mix[i] = m & (1U << i) ? new[i] : old[i];
		if (!(mix[0] & STRTAB_STE_0_V))
			continue;
		if (!sim_stec_behaves_as(mix, old) &&
		    !sim_stec_behaves_as(mix, new))
			return m;
		if (c->judge && !c->judge(c->judge_arg, sid, mix))
			return m;
	}
	return 0;
}

/* A CFGI covers @sid: judge its step, and drop the STE at the next sync */
static void sim_stec_cfgi_sid(struct sim_stec *c, u32 sid)
{
	struct sim_stec_ent *e = sim_stec_ent(c, sid);
	u64 now[STRTAB_STE_DWORDS];
	u8 torn;

	if (!e)
		return;
	sim_stec_read(c, sid, now);
	torn = sim_stec_torn_mix(c, sid, e->published, now);
	if (torn) {
		if (!c->stats.torn) {
			c->first.sid = sid;
			memcpy(c->first.old, e->published,
			       sizeof(c->first.old));
			memcpy(c->first.new, now, sizeof(c->first.new));
			c->first.from_new = torn;
		}
		c->stats.torn++;
	}
	memcpy(e->published, now, sizeof(now));
	if (!e->pending) {
		e->pending = true;
		c->pending[c->num_pending] = sid;
		__atomic_store_n(&c->num_pending, c->num_pending + 1,
				 __ATOMIC_RELAXED);
	}
}

bool sim_stec_is_cfgi(u8 opcode)
{
	return opcode == CMDQ_OP_CFGI_STE || opcode == CMDQ_OP_CFGI_ALL;
}

void sim_stec_cfgi(struct sim_stec *c, const u64 *cmd)
{
	u32 sid = FIELD_GET(CMDQ_CFGI_0_SID, cmd[0]);
	unsigned int i;
	u64 span;

	spin_lock(&c->lock);
	if (FIELD_GET(CMDQ_0_OP, cmd[0]) == CMDQ_OP_CFGI_STE) {
		sim_stec_cfgi_sid(c, sid);
		goto out;
	}
	/* CFGI_STE_RANGE: 2^(RANGE + 1) SIDs, aligned; RANGE 31 is ALL */
	span = 2ULL << FIELD_GET(CMDQ_CFGI_1_RANGE, cmd[1]);
	for (i = 0; i < c->num_seen; i++)
		if ((c->seen[i] & ~(span - 1)) == (sid & ~(span - 1)))
			sim_stec_cfgi_sid(c, c->seen[i]);
out:
	spin_unlock(&c->lock);
}

void sim_stec_sync(struct sim_stec *c)
{
	unsigned int i;

	if (!__atomic_load_n(&c->num_pending, __ATOMIC_RELAXED) &&
	    !__atomic_load_n(&c->uncached, __ATOMIC_RELAXED))
		return;
	spin_lock(&c->lock);
	for (i = 0; i < c->num_pending; i++) {
		u32 sid = c->pending[i];
		struct sim_stec_ent *e = c->ents[sid];

		e->pending = false;
		if (e->valid) {
			e->valid = false;
			sim_stec_changed(e);
			__atomic_store_n(&c->uncached, c->uncached + 1,
					 __ATOMIC_RELAXED);
		}
		if (!sim_rng_below(&c->rng, SIM_STEC_REFETCH_ONE_IN))
			sim_stec_fetch(c, sid, e);
	}
	__atomic_store_n(&c->num_pending, 0, __ATOMIC_RELAXED);
	/* And one stream it has seen, if not cached */
	if (c->num_seen) {
		u32 sid = c->seen[sim_rng_below(&c->rng, c->num_seen)];

		if (!c->ents[sid]->valid)
			sim_stec_fetch(c, sid, c->ents[sid]);
	}
	spin_unlock(&c->lock);
}

void sim_stec_stats(struct sim_stec *c, struct sim_stec_stats *st,
		    struct sim_stec_torn *first)
{
	spin_lock(&c->lock);
	*st = c->stats;
	if (first && c->stats.torn)
		*first = c->first;
	spin_unlock(&c->lock);
}
