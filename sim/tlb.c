// SPDX-License-Identifier: GPL-2.0
/* sim_tlb: the simulated SMMU's TLB (see tlb.h) */
#include <errno.h>
#include <stdlib.h>
#include <linux/bitfield.h>
#include <linux/spinlock.h>
#include <arm-smmu-v3/arm-smmu-v3.h>

#include "tlb.h"

/* A tag as one word: 0 is a free slot */
#define SIM_TLB_KEY_USED BIT_ULL(63)
#define SIM_TLB_KEY_S2 BIT_ULL(62)

struct sim_tlb_slot {
	u64 key;
	u64 *ent; /* [pages], allocated at the slot's first use */
};

struct sim_tlb {
	spinlock_t lock;
	unsigned int pages;
	unsigned int used; /* slots in use, the first ones: they stay so */
	unsigned int victim; /* the next slot to evict, under @lock */
	struct sim_tlb_slot slot[SIM_TLB_TAGS];
};

static u64 sim_tlb_key(const struct sim_tlb_tag *tag)
{
	return SIM_TLB_KEY_USED | (tag->s2 ? SIM_TLB_KEY_S2 : 0) |
	       (u64)tag->vmid << 16 | (tag->s2 ? 0 : tag->asid);
}

int sim_tlb_create(unsigned int pages, struct sim_tlb **out)
{
	struct sim_tlb *tlb;

	if (!pages || pages > SIM_TLB_MAX_PAGES)
		return -EINVAL;
	tlb = calloc(1, sizeof(*tlb));
	if (!tlb)
		return -ENOMEM;
	spin_lock_init(&tlb->lock);
	tlb->pages = pages;
	*out = tlb;
	return 0;
}

void sim_tlb_destroy(struct sim_tlb *tlb)
{
	unsigned int i;

	if (!tlb)
		return;
	for (i = 0; i < SIM_TLB_TAGS; i++)
		free(tlb->slot[i].ent);
	free(tlb);
}

static struct sim_tlb_slot *sim_tlb_find(struct sim_tlb *tlb, u64 key)
{
	unsigned int i, used = __atomic_load_n(&tlb->used, __ATOMIC_ACQUIRE);

	for (i = 0; i < used; i++)
		if (__atomic_load_n(&tlb->slot[i].key, __ATOMIC_ACQUIRE) == key)
			return &tlb->slot[i];
	return NULL;
}

static void sim_tlb_clear(struct sim_tlb *tlb, struct sim_tlb_slot *s,
			  u64 first, u64 num)
{
	u64 i, end;

	if (!s->ent || first >= tlb->pages)
		return;
	end = num > tlb->pages - first ? tlb->pages : first + num;
	for (i = first; i < end; i++)
		__atomic_store_n(&s->ent[i], 0, __ATOMIC_RELAXED);
}

/* A slot for @key, evicting the oldest tag if need be; NULL: no memory */
static struct sim_tlb_slot *sim_tlb_get(struct sim_tlb *tlb, u64 key)
{
	struct sim_tlb_slot *s = sim_tlb_find(tlb, key);
	unsigned int i;

	if (s)
		return s;
	i = tlb->used;
	if (i == SIM_TLB_TAGS) {
		i = tlb->victim;
		tlb->victim = (i + 1) % SIM_TLB_TAGS;
	}
	s = &tlb->slot[i];
	/* Unpublished before its entries go, so a peek sees no stale mix */
	__atomic_store_n(&s->key, 0, __ATOMIC_RELEASE);
	if (!s->ent) {
		u64 *ent = calloc(tlb->pages, sizeof(*ent));

		if (!ent)
			return NULL;
		__atomic_store_n(&s->ent, ent, __ATOMIC_RELEASE);
	}
	sim_tlb_clear(tlb, s, 0, tlb->pages);
	__atomic_store_n(&s->key, key, __ATOMIC_RELEASE);
	if (i == tlb->used)
		__atomic_store_n(&tlb->used, i + 1, __ATOMIC_RELEASE);
	return s;
}

void sim_tlb_lock(struct sim_tlb *tlb)
{
	spin_lock(&tlb->lock);
}

void sim_tlb_unlock(struct sim_tlb *tlb)
{
	spin_unlock(&tlb->lock);
}

u64 sim_tlb_lookup(struct sim_tlb *tlb, const struct sim_tlb_tag *tag,
		   unsigned int page)
{
	struct sim_tlb_slot *s = sim_tlb_find(tlb, sim_tlb_key(tag));

	if (!s || page >= tlb->pages)
		return 0;
	return __atomic_load_n(&s->ent[page], __ATOMIC_RELAXED);
}

void sim_tlb_fill(struct sim_tlb *tlb, const struct sim_tlb_tag *tag,
		  unsigned int page, u64 val)
{
	struct sim_tlb_slot *s;

	if (page >= tlb->pages)
		return;
	s = sim_tlb_get(tlb, sim_tlb_key(tag));
	if (s)
		__atomic_store_n(&s->ent[page], val, __ATOMIC_RELAXED);
}

u64 sim_tlb_peek(struct sim_tlb *tlb, const struct sim_tlb_tag *tag,
		 unsigned int page)
{
	struct sim_tlb_slot *s = sim_tlb_find(tlb, sim_tlb_key(tag));
	u64 *ent;

	if (!s || page >= tlb->pages)
		return 0;
	ent = __atomic_load_n(&s->ent, __ATOMIC_ACQUIRE);
	return ent ? __atomic_load_n(&ent[page], __ATOMIC_RELAXED) : 0;
}

bool sim_tlb_is_tlbi(u8 opcode)
{
	switch (opcode) {
	case CMDQ_OP_TLBI_NH_ALL:
	case CMDQ_OP_TLBI_NH_ASID:
	case CMDQ_OP_TLBI_NH_VA:
	case CMDQ_OP_TLBI_S12_VMALL:
	case CMDQ_OP_TLBI_S2_IPA:
	case CMDQ_OP_TLBI_NSNH_ALL:
		return true;
	default:
		return false;
	}
}

/* The level of the entries held: leaves of 4 KiB pages */
#define SIM_TLB_LEVEL 3

/*
 * The 4 KiB pages a TLBI by address covers: one page (TG = 0: the entry
 * holding the address, a 4 KiB leaf here), else (NUM + 1) << SCALE granules
 * of 4, 16 or 64 KiB; none when a 4 KiB range's TTL names another level
 * than this TLB's entries (tlb.h)
 */
static void sim_tlb_range(const u64 *cmd, u64 addr_mask, u64 *first, u64 *num)
{
	u64 tg = FIELD_GET(CMDQ_TLBI_1_TG, cmd[1]);
	u64 ttl = FIELD_GET(CMDQ_TLBI_1_TTL, cmd[1]);
	u64 granules = (FIELD_GET(CMDQ_TLBI_0_NUM, cmd[0]) + 1)
		       << FIELD_GET(CMDQ_TLBI_0_SCALE, cmd[0]);

	*first = (cmd[1] & addr_mask) >> 12;
	/* TG 1, 2, 3: granules of 2^12, 2^14, 2^16 bytes */
	*num = tg ? granules << (2 * (tg - 1)) : 1;
	if (tg == 1 && ttl && ttl != SIM_TLB_LEVEL)
		*num = 0;
}

void sim_tlb_invalidate(struct sim_tlb *tlb, const u64 *cmd)
{
	u8 opcode = FIELD_GET(CMDQ_0_OP, cmd[0]);
	u64 vmid = FIELD_GET(CMDQ_TLBI_0_VMID, cmd[0]);
	u64 asid = FIELD_GET(CMDQ_TLBI_0_ASID, cmd[0]);
	u64 first = 0, num = U64_MAX, key = 0, mask = ~0ULL;
	unsigned int i;

	switch (opcode) {
	case CMDQ_OP_TLBI_NH_VA:
		sim_tlb_range(cmd, CMDQ_TLBI_1_VA_MASK, &first, &num);
		fallthrough;
	case CMDQ_OP_TLBI_NH_ASID:
		key = sim_tlb_key(
			&(struct sim_tlb_tag){ .vmid = vmid, .asid = asid });
		break;
	case CMDQ_OP_TLBI_NH_ALL:
		/* Every ASID of the VMID, stage 1 */
		key = sim_tlb_key(&(struct sim_tlb_tag){ .vmid = vmid });
		mask = ~(u64)U16_MAX;
		break;
	case CMDQ_OP_TLBI_S2_IPA:
		sim_tlb_range(cmd, CMDQ_TLBI_1_IPA_MASK, &first, &num);
		key = sim_tlb_key(
			&(struct sim_tlb_tag){ .s2 = true, .vmid = vmid });
		break;
	case CMDQ_OP_TLBI_S12_VMALL:
		/* Both stages of the VMID */
		key = sim_tlb_key(&(struct sim_tlb_tag){ .vmid = vmid });
		mask = ~(SIM_TLB_KEY_S2 | U16_MAX);
		break;
	case CMDQ_OP_TLBI_NSNH_ALL:
		key = mask = SIM_TLB_KEY_USED;
		break;
	default:
		return;
	}

	spin_lock(&tlb->lock);
	for (i = 0; i < tlb->used; i++) {
		struct sim_tlb_slot *s = &tlb->slot[i];

		if (s->key && (s->key & mask) == (key & mask))
			sim_tlb_clear(tlb, s, first, num);
	}
	spin_unlock(&tlb->lock);
}
