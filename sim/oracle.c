// SPDX-License-Identifier: GPL-2.0
/* sim_oracle: stale translations and unjustified lifts (see oracle.h) */
#include <errno.h>
#include <stdlib.h>
#include <linux/bitfield.h>
#include <linux/spinlock.h>
#include <arm-smmu-v3/arm-smmu-v3.h>

#include "clock.h"
#include "oracle.h"

#define SIM_ORACLE_NO_QUARANTINE U64_MAX
#define SIM_ORACLE_GEN_BITS 40

struct sim_oracle {
	const struct arm_smmu_ste *strtab;
	unsigned int num_sids, num_domains, pages;
	u16 *ids; /* per domain: its ASID, or VMID when s2 */
	bool *s2;
	u64 *gen; /* [domain][page] */
	u64 *completed; /* [domain][page] */
	u64 *quarantine_resets; /* per SID: dev->resets when quarantined */
	u64 violations;
	spinlock_t lock;
	bool have_first;
	struct sim_oracle_violation first;
};

int sim_oracle_create(const struct arm_smmu_ste *strtab, unsigned int num_sids,
		      unsigned int num_domains, unsigned int pages,
		      struct sim_oracle **out)
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
	o->strtab = strtab;
	o->num_sids = num_sids;
	o->num_domains = num_domains;
	o->pages = pages;
	o->ids = calloc(num_domains, sizeof(*o->ids));
	o->s2 = calloc(num_domains, sizeof(*o->s2));
	o->gen = calloc(n, sizeof(*o->gen));
	o->completed = calloc(n, sizeof(*o->completed));
	o->quarantine_resets = calloc(num_sids, sizeof(u64));
	if (!o->ids || !o->s2 || !o->gen || !o->completed ||
	    !o->quarantine_resets) {
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
	free(o->gen);
	free(o->completed);
	free(o->quarantine_resets);
	free(o);
}

int sim_oracle_set_domain(struct sim_oracle *o, unsigned int domain, bool s2,
			  u16 id)
{
	if (domain >= o->num_domains)
		return -EINVAL;
	o->ids[domain] = id;
	o->s2[domain] = s2;
	return 0;
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
		if ((v & 1) != map)
			__atomic_store_n(g, v + 1, __ATOMIC_RELEASE);
	}
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

/* The domain a STE translates through for ATS, or -1 */
static int sim_oracle_ste_domain(struct sim_oracle *o, u32 sid)
{
	const struct arm_smmu_ste *ste = &o->strtab[sid];
	u64 d0 = le64_to_cpu(__atomic_load_n(&ste->data[0], __ATOMIC_ACQUIRE));
	u64 d1 = le64_to_cpu(__atomic_load_n(&ste->data[1], __ATOMIC_ACQUIRE));
	u64 d2 = le64_to_cpu(__atomic_load_n(&ste->data[2], __ATOMIC_ACQUIRE));
	unsigned int i, cfg = FIELD_GET(STRTAB_STE_0_CFG, d0);
	bool s2 = cfg == STRTAB_STE_0_CFG_S2_TRANS;
	u16 id;

	if (sid >= o->num_sids || !(d0 & STRTAB_STE_0_V) ||
	    (cfg != STRTAB_STE_0_CFG_S1_TRANS && !s2) ||
	    !FIELD_GET(STRTAB_STE_1_EATS, d1))
		return -1;
	id = s2 ? FIELD_GET(STRTAB_STE_2_S2VMID, d2) :
		  FIELD_GET(STRTAB_STE_0_S1CTXPTR_ASID, d0);
	for (i = 0; i < o->num_domains; i++)
		if (o->s2[i] == s2 && o->ids[i] == id)
			return i;
	return -1;
}

bool sim_oracle_ats_allowed(struct sim_oracle *o, u32 sid)
{
	return sid < o->num_sids && sim_oracle_ste_domain(o, sid) >= 0;
}

int sim_oracle_translate(struct sim_oracle *o, struct sim_dev *dev,
			 unsigned int page)
{
	int domain, ret = 0;
	u64 gen;

	if (!dev->atc || page >= dev->atc_pages || page >= o->pages)
		return -EINVAL;
	spin_lock(&dev->atc_lock);
	domain = sim_oracle_ste_domain(o, dev->sid);
	if (domain < 0) {
		ret = -EPERM;
		goto out;
	}
	gen = __atomic_load_n(sim_oracle_slot(o->gen, o, domain, page),
			      __ATOMIC_ACQUIRE);
	if (!(gen & 1)) {
		ret = -ENOENT;
		goto out;
	}
	__atomic_store_n(&dev->atc[page],
			 ((u64)(domain + 1) << SIM_ORACLE_GEN_BITS) | gen,
			 __ATOMIC_RELAXED);
out:
	spin_unlock(&dev->atc_lock);
	return ret;
}

static void sim_oracle_violation(struct sim_oracle *o,
				 const struct sim_oracle_violation *v)
{
	__atomic_fetch_add(&o->violations, 1, __ATOMIC_RELAXED);
	spin_lock(&o->lock);
	if (!o->have_first) {
		o->first = *v;
		o->first.t_ns = sim_clock_now_ns();
		o->have_first = true;
	}
	spin_unlock(&o->lock);
}

static unsigned int sim_oracle_check_pages(struct sim_oracle *o,
					   struct sim_dev *dev, int only_domain,
					   unsigned int page, unsigned int num)
{
	unsigned int i, found = 0;

	if (!dev->atc || sim_oracle_ste_domain(o, dev->sid) < 0)
		return 0;
	for (i = page; i < page + num && i < dev->atc_pages && i < o->pages;
	     i++) {
		u64 e = __atomic_load_n(&dev->atc[i], __ATOMIC_RELAXED);
		unsigned int domain = (e >> SIM_ORACLE_GEN_BITS) - 1;
		u64 held = e & ((1ULL << SIM_ORACLE_GEN_BITS) - 1), done;

		if (!e || (only_domain >= 0 && domain != (unsigned)only_domain))
			continue;
		done = __atomic_load_n(sim_oracle_slot(o->completed, o, domain,
						       i),
				       __ATOMIC_ACQUIRE);
		if (held < done) {
			struct sim_oracle_violation v = {
				.sid = dev->sid,
				.domain = domain,
				.page = i,
				.held = held,
				.completed = done,
				.what = "stale translation after a completed "
					"invalidation",
			};

			sim_oracle_violation(o, &v);
			found++;
		}
	}
	return found;
}

unsigned int sim_oracle_check(struct sim_oracle *o, struct sim_dev *const *devs,
			      unsigned int num_devs, unsigned int domain,
			      unsigned int page, unsigned int num)
{
	unsigned int i, found = 0;

	for (i = 0; i < num_devs; i++)
		found += sim_oracle_check_pages(o, devs[i], domain, page, num);
	return found;
}

unsigned int sim_oracle_check_dev(struct sim_oracle *o, struct sim_dev *dev)
{
	return sim_oracle_check_pages(o, dev, -1, 0, o->pages);
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

void sim_oracle_report(struct sim_oracle *o, u32 sid, const char *what)
{
	sim_oracle_violation(o, &(struct sim_oracle_violation){ .sid = sid,
								.what = what });
}

u64 sim_oracle_violations(struct sim_oracle *o)
{
	return __atomic_load_n(&o->violations, __ATOMIC_RELAXED);
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
