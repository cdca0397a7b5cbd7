// SPDX-License-Identifier: GPL-2.0
/*
 * The RCU-protected invalidation array of an SMMUv3 domain: merge, unref and
 * purge, the attach-time install steps, and the domain invalidation walker.
 *
 * Written for atcbench from the semantics of the upstream driver
 * (drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c); the names are the kernel's.
 */
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/lockdep.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/barrier.h>
#include <khooks/switches.h>

#include "arm-smmu-v3.h"

/**
 * arm_smmu_invs_alloc() - allocate an invalidation array
 * @num_invs: number of entries
 *
 * The entries are zeroed: a new array of @num_invs entries is all trash until
 * the caller fills it.
 *
 * Return: the array, or NULL when out of memory.
 */
struct arm_smmu_invs *arm_smmu_invs_alloc(size_t num_invs)
{
	struct arm_smmu_invs *new_invs;

	new_invs = kzalloc(struct_size(new_invs, inv, num_invs), GFP_KERNEL);
	if (!new_invs)
		return NULL;
	new_invs->max_invs = num_invs;
	new_invs->num_invs = num_invs;
	rwlock_init(&new_invs->rwlock);
	return new_invs;
}

/* A retyped INV_TYPE_ATS_BROKEN entry keeps the place of its INV_TYPE_ATS */
static u8 arm_smmu_inv_sort_type(const struct arm_smmu_inv *inv)
{
	u8 type = READ_ONCE(inv->type);

	return type == INV_TYPE_ATS_BROKEN ? INV_TYPE_ATS : type;
}

/**
 * arm_smmu_inv_cmp() - the sort order of invalidation entries
 * @inv_l: left entry
 * @inv_r: right entry
 *
 * Entries sort by SMMU instance, so that one batch goes to one command queue,
 * then by type, so that TLBIs come before ATC invalidations, then by ID, and
 * for two ATS entries by SSID.
 *
 * Return: -1, 0 or 1 as @inv_l sorts before, with or after @inv_r.
 */
int arm_smmu_inv_cmp(const struct arm_smmu_inv *inv_l,
		     const struct arm_smmu_inv *inv_r)
{
	if (inv_l->smmu != inv_r->smmu)
		return cmp_int((uintptr_t)inv_l->smmu, (uintptr_t)inv_r->smmu);
	if (arm_smmu_inv_sort_type(inv_l) != arm_smmu_inv_sort_type(inv_r))
		return cmp_int(arm_smmu_inv_sort_type(inv_l),
			       arm_smmu_inv_sort_type(inv_r));
	if (inv_l->id != inv_r->id)
		return cmp_int(inv_l->id, inv_r->id);
	if (arm_smmu_inv_is_ats(inv_l) && arm_smmu_inv_is_ats(inv_r))
		return cmp_int(inv_l->ssid, inv_r->ssid);
	return 0;
}

/*
 * One step of a merge-walk of @invs_l (an installed array, whose trash is
 * skipped) against @invs_r (a build array, all live).  Moves *@idx_l past
 * trash and compares the two heads; an exhausted side sorts last.
 */
static int arm_smmu_invs_iter_next_cmp(struct arm_smmu_invs *invs_l,
				       size_t *idx_l,
				       struct arm_smmu_invs *invs_r,
				       size_t idx_r)
{
	while (*idx_l < invs_l->num_invs &&
	       !READ_ONCE(invs_l->inv[*idx_l].users))
		(*idx_l)++;

	if (*idx_l >= invs_l->num_invs)
		return 1;
	if (idx_r >= invs_r->num_invs)
		return -1;
	return arm_smmu_inv_cmp(&invs_l->inv[*idx_l], &invs_r->inv[idx_r]);
}

/*
 * Merge-walk two sorted arrays.  @cmp < 0: only the left entry @idx_l is
 * taken; @cmp > 0: only the right one @idx_r; @cmp == 0: both are equal.
 */
#define arm_smmu_invs_for_each_cmp(invs_l, idx_l, invs_r, idx_r, cmp)         \
	for (idx_l = idx_r = 0,                                               \
	    cmp = arm_smmu_invs_iter_next_cmp(invs_l, &idx_l, invs_r, idx_r); \
	     idx_l < (invs_l)->num_invs || idx_r < (invs_r)->num_invs;        \
	     idx_l += (cmp <= 0), idx_r += (cmp >= 0),                        \
	    cmp = arm_smmu_invs_iter_next_cmp(invs_l, &idx_l, invs_r, idx_r))

static void arm_smmu_invs_update_caps(struct arm_smmu_invs *invs)
{
	struct arm_smmu_inv *inv;
	size_t i;

	invs->has_ats = false;
	arm_smmu_invs_for_each_entry(invs, i, inv) {
		if (arm_smmu_inv_is_ats(inv)) {
			invs->has_ats = true;
			break;
		}
	}
}

/**
 * arm_smmu_invs_merge() - merge a build array into an installed array
 * @invs: the installed array; its trash entries are dropped
 * @to_merge: the sorted entries to add (users are not read)
 *
 * An entry present in both arrays gains a user; a new entry starts with one.
 * The caller must hold arm_smmu_asid_lock (no lockdep assertion, so that
 * tests can call it), publish the result and free @invs after a grace period.
 *
 * Return: the new array, or ERR_PTR(-ENOMEM).
 */
struct arm_smmu_invs *arm_smmu_invs_merge(struct arm_smmu_invs *invs,
					  struct arm_smmu_invs *to_merge)
{
	struct arm_smmu_invs *new_invs;
	struct arm_smmu_inv *out;
	size_t num_invs = 0;
	size_t i, j;
	int cmp;

	arm_smmu_invs_for_each_cmp(invs, i, to_merge, j, cmp)
		num_invs++;

	new_invs = arm_smmu_invs_alloc(num_invs);
	if (!new_invs)
		return ERR_PTR(-ENOMEM);

	out = new_invs->inv;
	arm_smmu_invs_for_each_cmp(invs, i, to_merge, j, cmp) {
		if (cmp < 0) {
			*out = invs->inv[i];
		} else if (cmp == 0) {
			*out = invs->inv[i];
			WRITE_ONCE(out->users, READ_ONCE(out->users) + 1);
		} else {
			*out = to_merge->inv[j];
			WRITE_ONCE(out->users, 1);
		}

		/* Also catches an unsorted @to_merge */
		if (out != new_invs->inv)
			WARN_ON_ONCE(arm_smmu_inv_cmp(out - 1, out) == 1);
		out++;
	}

	WARN_ON(out != new_invs->inv + new_invs->num_invs);
	arm_smmu_invs_update_caps(new_invs);
	return new_invs;
}

/**
 * arm_smmu_invs_unref() - drop a user from entries of an installed array
 * @invs: the installed array, changed in place
 * @to_unref: the sorted entries to drop; on return an entry's users is 1 if
 *            it is still in use in @invs, 0 if it became trash
 *
 * Cannot fail, for the paths that cannot (attaching a blocking domain).  An
 * entry losing its last user becomes trash (users == 0) that readers skip;
 * trailing trash is cut off by lowering num_invs, under the write side of
 * the rwlock so that no reader is still issuing an ATC invalidation for a
 * cut-off entry when this returns.  The caller must hold arm_smmu_asid_lock.
 */
void arm_smmu_invs_unref(struct arm_smmu_invs *invs,
			 struct arm_smmu_invs *to_unref)
{
	unsigned long flags;
	size_t num_invs = 0;
	size_t i, j;
	int cmp;

	arm_smmu_invs_for_each_cmp(invs, i, to_unref, j, cmp) {
		struct arm_smmu_inv *inv = &invs->inv[i];
		int users;

		if (cmp < 0) {
			num_invs = i + 1;
			continue;
		}
		/* Missing from @invs, or already trash */
		if (WARN_ON(cmp > 0))
			continue;

		users = READ_ONCE(inv->users) - 1;
		if (WARN_ON(users < 0))
			continue;
		WRITE_ONCE(inv->users, users);
		if (users) {
			to_unref->inv[j].users = 1;
			num_invs = i + 1;
		} else {
			to_unref->inv[j].users = 0;
			invs->num_trashes++;
		}
	}

	/* Trailing trash is cut off, so it no longer counts */
	invs->num_trashes -= invs->num_invs - num_invs;

	/* The lock is required to fence concurrent ATS operations */
	write_lock_irqsave(&invs->rwlock, flags);
	WRITE_ONCE(invs->num_invs, num_invs);
	write_unlock_irqrestore(&invs->rwlock, flags);
}

/**
 * arm_smmu_invs_purge() - copy the live entries of an array into a new one
 * @invs: the installed array
 *
 * Purging is an optimisation, never needed for correctness.  The caller must
 * hold arm_smmu_asid_lock.
 *
 * Return: the new array, or NULL if there is no trash to drop, the array is
 * empty, or memory is short.
 */
struct arm_smmu_invs *arm_smmu_invs_purge(struct arm_smmu_invs *invs)
{
	struct arm_smmu_invs *new_invs;
	struct arm_smmu_inv *inv;
	size_t num_invs = 0;
	size_t i;

	if (WARN_ON(invs->num_invs < invs->num_trashes))
		return NULL;
	if (!invs->num_invs || !invs->num_trashes)
		return NULL;

	new_invs = arm_smmu_invs_alloc(invs->num_invs - invs->num_trashes);
	if (!new_invs)
		return NULL;

	arm_smmu_invs_for_each_entry(invs, i, inv) {
		if (WARN_ON(num_invs == new_invs->max_invs))
			break;
		new_invs->inv[num_invs++] = *inv;
	}

	WARN_ON(num_invs != new_invs->num_invs);
	arm_smmu_invs_update_caps(new_invs);
	return new_invs;
}

/**
 * arm_smmu_master_build_invs() - fill the master's build array for a domain
 * @master: the master being attached or detached
 * @ats_enabled: ATS is (to be) enabled for the attachment
 * @ssid: the PASID of the attachment
 * @smmu_domain: the paging domain
 *
 * One S1_ASID or S2_VMID entry, an S2_VMID_S1_CLEAR entry for a nesting
 * parent, and with ATS one ATS entry per stream ID (ATS_FULL for a nesting
 * parent).  The result is sorted by construction: the stream IDs were sorted
 * at probe.  The caller must hold the master's group mutex.
 */
void arm_smmu_master_build_invs(struct arm_smmu_master *master,
				bool ats_enabled, ioasid_t ssid,
				struct arm_smmu_domain *smmu_domain)
{
	struct arm_smmu_invs *build_invs = master->build_invs;
	struct arm_smmu_inv *inv = build_invs->inv;
	unsigned int i;

	memset(build_invs->inv, 0,
	       build_invs->max_invs * sizeof(build_invs->inv[0]));

	inv->smmu = master->smmu;
	inv->pgsize = smmu_domain->pgsize;
	if (smmu_domain->stage == ARM_SMMU_DOMAIN_S1) {
		inv->type = INV_TYPE_S1_ASID;
		inv->id = smmu_domain->asid;
		inv->size_opcode = CMDQ_OP_TLBI_NH_VA;
		inv->nsize_opcode = CMDQ_OP_TLBI_NH_ASID;
	} else {
		inv->type = INV_TYPE_S2_VMID;
		inv->id = smmu_domain->vmid;
		inv->size_opcode = CMDQ_OP_TLBI_S2_IPA;
		inv->nsize_opcode = CMDQ_OP_TLBI_S12_VMALL;
	}
	inv++;

	if (smmu_domain->nest_parent) {
		inv->smmu = master->smmu;
		inv->type = INV_TYPE_S2_VMID_S1_CLEAR;
		inv->id = smmu_domain->vmid;
		inv->size_opcode = CMDQ_OP_TLBI_NH_ALL;
		inv->nsize_opcode = CMDQ_OP_TLBI_NH_ALL;
		inv++;
	}

	for (i = 0; ats_enabled && i < master->num_streams; i++, inv++) {
		inv->smmu = master->smmu;
		inv->type = smmu_domain->nest_parent ? INV_TYPE_ATS_FULL :
						       INV_TYPE_ATS;
		inv->id = master->streams[i].id;
		inv->ssid = ssid;
		inv->size_opcode = CMDQ_OP_ATC_INV;
		inv->nsize_opcode = CMDQ_OP_ATC_INV;
	}

	build_invs->num_invs = inv - build_invs->inv;
	WARN_ON(build_invs->num_invs > build_invs->max_invs);
}

/**
 * arm_smmu_attach_prepare_invs() - compute the arrays an attach installs
 * @state: the attach; @state->old_domain is the domain being left
 * @new_smmu_domain: the paging domain being attached, or NULL for a blocking
 *                   or identity attach, which only unrefs the old domain
 *
 * Only the new domain's merge can fail; the old domain's side is an unref of
 * the master's build array, prepared here and done after the STE switch.
 *
 * Return: 0 or -ENOMEM.
 */
int arm_smmu_attach_prepare_invs(struct arm_smmu_attach_state *state,
				 struct arm_smmu_domain *new_smmu_domain)
{
	struct arm_smmu_master *master = state->master;
	struct arm_smmu_inv_state *invst;

	lockdep_assert_held(&arm_smmu_asid_lock);

	if (new_smmu_domain) {
		invst = &state->new_domain_invst;
		invst->invs_ptr = &new_smmu_domain->invs;
		invst->old_invs = rcu_dereference_protected(
			new_smmu_domain->invs,
			lockdep_is_held(&arm_smmu_asid_lock));
		arm_smmu_master_build_invs(master, state->ats_enabled,
					   state->ssid, new_smmu_domain);
		invst->new_invs = arm_smmu_invs_merge(invst->old_invs,
						      master->build_invs);
		if (IS_ERR(invst->new_invs))
			return PTR_ERR(invst->new_invs);
	}

	if (state->old_domain) {
		invst = &state->old_domain_invst;
		invst->invs_ptr = &state->old_domain->invs;
		/* Re-attaching the same domain: unref the merged array */
		if (state->old_domain == new_smmu_domain)
			invst->old_invs = state->new_domain_invst.new_invs;
		else
			invst->old_invs = rcu_dereference_protected(
				state->old_domain->invs,
				lockdep_is_held(&arm_smmu_asid_lock));
		arm_smmu_master_build_invs(master, master->ats_enabled,
					   master->ssid, state->old_domain);
		invst->new_invs = master->build_invs;
	}
	return 0;
}

/**
 * arm_smmu_install_new_domain_invs() - publish the new domain's array
 * @state: the attach
 *
 * Must be installed before arm_smmu_install_ste_for_dev(): from the STE
 * switch on, invalidations of the new domain must reach the master.
 */
void arm_smmu_install_new_domain_invs(struct arm_smmu_attach_state *state)
{
	struct arm_smmu_inv_state *invst = &state->new_domain_invst;

	if (!invst->invs_ptr)
		return;

	rcu_assign_pointer(*invst->invs_ptr, invst->new_invs);
	/*
	 * Order the publication before the STE store that follows, against an
	 * unmap that changed an IOPTE and then loads the array: pairs with the
	 * smp_mb() at the start of arm_smmu_domain_inv_range().  Upstream has
	 * no barrier here and relies on the dma_wmb() at the start of
	 * arm_smmu_write_entry(), which suffices since the device reaches the
	 * new domain only through that STE; this one also orders the later
	 * loads (docs/decisions.md, mutant 32).
	 */
	smp_mb();
	kfree_rcu(invst->old_invs, rcu);
}

/*
 * A tag (ASID or VMID) that is in no array must be left clean in the IOTLB:
 * when the last master using it leaves, flush it.
 */
static void arm_smmu_inv_flush_iotlb_tag(struct arm_smmu_inv *inv)
{
	struct arm_smmu_cmdq_ent cmd = { .opcode = inv->nsize_opcode };

	switch (inv->type) {
	case INV_TYPE_S1_ASID:
		cmd.tlbi.asid = inv->id;
		break;
	case INV_TYPE_S2_VMID:
		cmd.tlbi.vmid = inv->id;
		break;
	default:
		return;
	}
	arm_smmu_cmdq_issue_cmd_with_sync(inv->smmu, &cmd);
}

/**
 * arm_smmu_install_old_domain_invs() - drop the master from the old domain
 * @state: the attach
 *
 * Should be installed after arm_smmu_install_ste_for_dev(): until the STE
 * switch, invalidations of the old domain must still reach the master.
 */
void arm_smmu_install_old_domain_invs(struct arm_smmu_attach_state *state)
{
	struct arm_smmu_inv_state *invst = &state->old_domain_invst;
	struct arm_smmu_invs *old_invs = invst->old_invs;
	struct arm_smmu_invs *new_invs;

	lockdep_assert_held(&arm_smmu_asid_lock);

	if (!invst->invs_ptr)
		return;

	arm_smmu_invs_unref(old_invs, invst->new_invs);
	if (!invst->new_invs->inv[0].users)
		arm_smmu_inv_flush_iotlb_tag(&invst->new_invs->inv[0]);

	new_invs = arm_smmu_invs_purge(old_invs);
	if (!new_invs)
		return;

	rcu_assign_pointer(*invst->invs_ptr, new_invs);
	kfree_rcu(old_invs, rcu);
}

/*
 * A range of more than 512 TLBI operations (MAX_DVM_OPS of arm64) is cheaper
 * as one whole-tag invalidation, unless the SMMU has range invalidation.
 */
static bool arm_smmu_inv_size_too_big(struct arm_smmu_device *smmu, size_t size,
				      size_t granule)
{
	size_t max_tlbi_ops;

	/* 0 size means invalidate all */
	if (!size || size == SIZE_MAX)
		return true;

	if (smmu->features & ARM_SMMU_FEAT_RANGE_INV)
		return false;

	max_tlbi_ops = 1 << (ilog2(granule) - 3);
	return size >= max_tlbi_ops * granule;
}

static void arm_smmu_inv_to_cmdq_batch(struct arm_smmu_inv *inv,
				       struct arm_smmu_cmdq_batch *cmds,
				       struct arm_smmu_cmdq_ent *cmd,
				       unsigned long iova, size_t size,
				       unsigned int granule)
{
	if (arm_smmu_inv_size_too_big(inv->smmu, size, granule)) {
		cmd->opcode = inv->nsize_opcode;
		arm_smmu_cmdq_batch_add(inv->smmu, cmds, cmd);
		return;
	}

	cmd->opcode = inv->size_opcode;
	arm_smmu_cmdq_batch_add_range(inv->smmu, cmds, cmd, iova, size, granule,
				      inv->pgsize);
}

static inline bool arm_smmu_invs_end_batch(struct arm_smmu_inv *cur,
					   struct arm_smmu_inv *next)
{
	/* Changing smmu means changing command queue */
	if (cur->smmu != next->smmu)
		return true;
	/* The batch for S2 TLBI must be done before nested S1 ASIDs */
	if (next->type == INV_TYPE_S2_VMID_S1_CLEAR &&
	    cur->type != INV_TYPE_S2_VMID_S1_CLEAR)
		return true;
	/* ATS must be after a sync of the S1/S2 invalidations */
	if (arm_smmu_inv_is_ats(next) && !arm_smmu_inv_is_ats(cur))
		return true;
	return false;
}

/*
 * A master quarantined after an ATC timeout gets no more ATC invalidations:
 * it does not answer them, and each would time out again.  In the INV_TYPE
 * mode its INV_TYPE_ATS entries were retyped instead; INV_TYPE_ATS_FULL
 * entries (nesting parents) are not retyped and always use the flag.
 */
static bool arm_smmu_inv_ats_broken(struct arm_smmu_inv *inv, u8 type)
{
	struct arm_smmu_master *master;

	if (khooks_switch(KHOOKS_QUARANTINE_INV_TYPE) && type == INV_TYPE_ATS)
		return false;
	master = arm_smmu_find_master(inv->smmu, inv->id);
	return master && READ_ONCE(master->ats_broken);
}

/* A batch that timed out on an ATC invalidation: find and quarantine */
static void arm_smmu_inv_batch_submit(struct arm_smmu_device *smmu,
				      struct arm_smmu_cmdq_batch *cmds)
{
	if (arm_smmu_cmdq_batch_submit(smmu, cmds) == -EIO)
		arm_smmu_cmdq_batch_retry(smmu, cmds);
}

static void __arm_smmu_domain_inv_range(struct arm_smmu_invs *invs,
					unsigned long iova, size_t size,
					unsigned int granule, bool leaf)
{
	struct arm_smmu_cmdq_batch cmds = {};
	struct arm_smmu_inv *cur, *end;

	end = invs->inv + READ_ONCE(invs->num_invs);
	for (cur = invs->inv; cur != end && !READ_ONCE(cur->users); cur++)
		;

	while (cur != end) {
		struct arm_smmu_device *smmu = cur->smmu;
		struct arm_smmu_cmdq_ent cmd = {
			.opcode = cur->size_opcode,
		};
		struct arm_smmu_inv *next;
		u8 type;

		/* The first command of a batch picks the command queue */
		if (!cmds.num)
			arm_smmu_cmdq_batch_init(smmu, &cmds, &cmd);

		/* Retyped concurrently by a quarantine: read once */
		type = READ_ONCE(cur->type);
		switch (type) {
		case INV_TYPE_S1_ASID:
			cmd.tlbi.asid = cur->id;
			cmd.tlbi.leaf = leaf;
			arm_smmu_inv_to_cmdq_batch(cur, &cmds, &cmd, iova, size,
						   granule);
			break;
		case INV_TYPE_S2_VMID:
			cmd.tlbi.vmid = cur->id;
			cmd.tlbi.leaf = leaf;
			arm_smmu_inv_to_cmdq_batch(cur, &cmds, &cmd, iova, size,
						   granule);
			break;
		case INV_TYPE_S2_VMID_S1_CLEAR:
			/* CMDQ_OP_TLBI_S12_VMALL already flushed S1 entries */
			if (arm_smmu_inv_size_too_big(smmu, size, granule))
				break;
			cmd.tlbi.vmid = cur->id;
			arm_smmu_cmdq_batch_add(smmu, &cmds, &cmd);
			break;
		case INV_TYPE_ATS:
		case INV_TYPE_ATS_FULL:
			if (arm_smmu_inv_ats_broken(cur, type))
				break;
			if (type == INV_TYPE_ATS)
				arm_smmu_atc_inv_to_cmd(cur->ssid, iova, size,
							&cmd);
			else
				arm_smmu_atc_inv_to_cmd(IOMMU_NO_PASID, 0, 0,
							&cmd);
			cmd.atc.sid = cur->id;
			/*
			 * Every batch of ATC invalidations carries its own
			 * CMD_SYNC, so that a timeout is pinned to one batch
			 * of one issuer: a full one is submitted, not flushed
			 * without a sync.
			 */
			if (cmds.num == CMDQ_BATCH_ENTRIES) {
				arm_smmu_inv_batch_submit(smmu, &cmds);
				arm_smmu_cmdq_batch_init(smmu, &cmds, &cmd);
			}
			arm_smmu_cmdq_batch_add(smmu, &cmds, &cmd);
			break;
		case INV_TYPE_ATS_BROKEN:
			/* Quarantined (KHOOKS_QUARANTINE_INV_TYPE) */
			break;
		default:
			WARN_ON_ONCE(1);
			break;
		}

		/* Skip any trash entry in-between */
		for (next = cur + 1; next != end && !READ_ONCE(next->users);
		     next++)
			;

		/* An entry that added nothing (S1_CLEAR skip) sends no sync */
		if (cmds.num &&
		    (next == end || arm_smmu_invs_end_batch(cur, next))) {
			arm_smmu_inv_batch_submit(smmu, &cmds);
			cmds.num = 0;
		}
		cur = next;
	}
}

/**
 * arm_smmu_domain_inv_range() - invalidate a range for every user of a domain
 * @smmu_domain: the domain whose IOPTEs changed
 * @iova: start of the range
 * @size: length of the range; 0 invalidates everything
 * @granule: the page size of the change
 * @leaf: only leaf entries changed
 *
 * Walks the domain's array under RCU and sends, per SMMU, the TLBIs, then the
 * S1 clear of a nesting parent, then the ATC invalidations, each group ended
 * by a CMD_SYNC.  The read side of the array's rwlock is taken only when the
 * array holds ATS entries: it fences arm_smmu_invs_unref().
 */
void arm_smmu_domain_inv_range(struct arm_smmu_domain *smmu_domain,
			       unsigned long iova, size_t size,
			       unsigned int granule, bool leaf)
{
	struct arm_smmu_invs *invs;

	/*
	 * The IOPTE change must be visible before the array is loaded, against
	 * a concurrent attach that publishes a new array and then switches the
	 * STE (store-buffering): pairs with the smp_mb() in
	 * arm_smmu_install_new_domain_invs().
	 */
	smp_mb();

	rcu_read_lock();
	invs = rcu_dereference(smmu_domain->invs);

	/*
	 * Avoid locking unless ATS is in use.  No ATC invalidation can be
	 * going on after a domain is detached.
	 */
	if (invs->has_ats) {
		unsigned long flags;

		read_lock_irqsave(&invs->rwlock, flags);
		__arm_smmu_domain_inv_range(invs, iova, size, granule, leaf);
		read_unlock_irqrestore(&invs->rwlock, flags);
	} else {
		__arm_smmu_domain_inv_range(invs, iova, size, granule, leaf);
	}

	rcu_read_unlock();
}
