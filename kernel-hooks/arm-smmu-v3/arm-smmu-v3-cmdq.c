// SPDX-License-Identifier: GPL-2.0
/*
 * The SMMUv3 command queue: command encoding, lock-free insertion with
 * shared ownership, CMD_SYNC completion, the CMDQ error handler and the
 * batch API.
 *
 * See struct arm_smmu_cmdq for the synchronisation contract.  CMD_SYNC
 * completes by MSI (the SMMU zeroes the sync's own slot) or by polling CONS.
 * An ATC invalidation timeout that the SMMU reports at a CMD_SYNC reaches
 * that sync's issuer as -EIO (through atc_sync_timeouts); a software poll
 * timeout as -ETIMEDOUT.
 *
 * Written for atcbench from the semantics of the upstream driver
 * (drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c); the names are the kernel's.
 */
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/irqflags.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/barrier.h>
#include <khooks/switches.h>
#include <trace/events/arm_smmu_v3.h>

#include "arm-smmu-v3.h"

unsigned int arm_smmu_poll_timeout_us = ARM_SMMU_POLL_TIMEOUT_US;

void queue_poll_init(struct arm_smmu_device *smmu,
		     struct arm_smmu_queue_poll *qp)
{
	qp->delay = 1;
	qp->spin_cnt = 0;
	qp->wfe = !!(smmu->features & ARM_SMMU_FEAT_SEV);
	qp->timeout =
		ktime_add_us(ktime_get(), READ_ONCE(arm_smmu_poll_timeout_us));
}

int queue_poll(struct arm_smmu_queue_poll *qp)
{
	if (ktime_compare(ktime_get(), qp->timeout) > 0)
		return -ETIMEDOUT;

	if (qp->wfe) {
		/* No event stream here: WFE is a pause */
		cpu_relax();
	} else if (++qp->spin_cnt < ARM_SMMU_POLL_SPIN_COUNT) {
		cpu_relax();
	} else {
		udelay(qp->delay);
		qp->delay *= 2;
		qp->spin_cnt = 0;
	}

	return 0;
}

/**
 * arm_smmu_cmdq_build_cmd() - encode a command
 * @cmd: the two command words
 * @ent: the command
 *
 * Return: 0, or -ENOENT for an opcode the queue does not know.
 */
int arm_smmu_cmdq_build_cmd(u64 *cmd, struct arm_smmu_cmdq_ent *ent)
{
	memset(cmd, 0, 1 << CMDQ_ENT_SZ_SHIFT);
	cmd[0] |= FIELD_PREP(CMDQ_0_OP, ent->opcode);

	switch (ent->opcode) {
	case CMDQ_OP_TLBI_EL2_ALL:
	case CMDQ_OP_TLBI_NSNH_ALL:
		break;
	case CMDQ_OP_CFGI_STE:
		cmd[0] |= FIELD_PREP(CMDQ_CFGI_0_SID, ent->cfgi.sid);
		cmd[1] |= FIELD_PREP(CMDQ_CFGI_1_LEAF, ent->cfgi.leaf);
		break;
	case CMDQ_OP_CFGI_ALL:
		/* every stream: a range of 2^(31 + 1) SIDs from 0 */
		cmd[1] |= FIELD_PREP(CMDQ_CFGI_1_RANGE, 31);
		break;
	case CMDQ_OP_TLBI_NH_VA:
		cmd[0] |= FIELD_PREP(CMDQ_TLBI_0_VMID, ent->tlbi.vmid);
		fallthrough;
	case CMDQ_OP_TLBI_EL2_VA:
		cmd[0] |= FIELD_PREP(CMDQ_TLBI_0_NUM, ent->tlbi.num);
		cmd[0] |= FIELD_PREP(CMDQ_TLBI_0_SCALE, ent->tlbi.scale);
		cmd[0] |= FIELD_PREP(CMDQ_TLBI_0_ASID, ent->tlbi.asid);
		cmd[1] |= FIELD_PREP(CMDQ_TLBI_1_LEAF, ent->tlbi.leaf);
		cmd[1] |= FIELD_PREP(CMDQ_TLBI_1_TTL, ent->tlbi.ttl);
		cmd[1] |= FIELD_PREP(CMDQ_TLBI_1_TG, ent->tlbi.tg);
		cmd[1] |= ent->tlbi.addr & CMDQ_TLBI_1_VA_MASK;
		break;
	case CMDQ_OP_TLBI_S2_IPA:
		cmd[0] |= FIELD_PREP(CMDQ_TLBI_0_NUM, ent->tlbi.num);
		cmd[0] |= FIELD_PREP(CMDQ_TLBI_0_SCALE, ent->tlbi.scale);
		cmd[0] |= FIELD_PREP(CMDQ_TLBI_0_VMID, ent->tlbi.vmid);
		cmd[1] |= FIELD_PREP(CMDQ_TLBI_1_LEAF, ent->tlbi.leaf);
		cmd[1] |= FIELD_PREP(CMDQ_TLBI_1_TTL, ent->tlbi.ttl);
		cmd[1] |= FIELD_PREP(CMDQ_TLBI_1_TG, ent->tlbi.tg);
		cmd[1] |= ent->tlbi.addr & CMDQ_TLBI_1_IPA_MASK;
		break;
	case CMDQ_OP_TLBI_NH_ASID:
		cmd[0] |= FIELD_PREP(CMDQ_TLBI_0_ASID, ent->tlbi.asid);
		fallthrough;
	case CMDQ_OP_TLBI_NH_ALL:
	case CMDQ_OP_TLBI_S12_VMALL:
		cmd[0] |= FIELD_PREP(CMDQ_TLBI_0_VMID, ent->tlbi.vmid);
		break;
	case CMDQ_OP_TLBI_EL2_ASID:
		cmd[0] |= FIELD_PREP(CMDQ_TLBI_0_ASID, ent->tlbi.asid);
		break;
	case CMDQ_OP_ATC_INV:
		cmd[0] |= FIELD_PREP(CMDQ_0_SSV, ent->substream_valid);
		cmd[0] |= FIELD_PREP(CMDQ_ATC_0_GLOBAL, ent->atc.global);
		cmd[0] |= FIELD_PREP(CMDQ_ATC_0_SSID, ent->atc.ssid);
		cmd[0] |= FIELD_PREP(CMDQ_ATC_0_SID, ent->atc.sid);
		cmd[1] |= FIELD_PREP(CMDQ_ATC_1_SIZE, ent->atc.size);
		cmd[1] |= ent->atc.addr & CMDQ_ATC_1_ADDR_MASK;
		break;
	case CMDQ_OP_CMD_SYNC:
		if (ent->sync.msiaddr) {
			cmd[0] |=
				FIELD_PREP(CMDQ_SYNC_0_CS, CMDQ_SYNC_0_CS_IRQ);
			cmd[1] |= ent->sync.msiaddr & CMDQ_SYNC_1_MSIADDR_MASK;
		} else {
			cmd[0] |=
				FIELD_PREP(CMDQ_SYNC_0_CS, CMDQ_SYNC_0_CS_SEV);
		}
		cmd[0] |= FIELD_PREP(CMDQ_SYNC_0_MSH, ARM_SMMU_SH_ISH);
		cmd[0] |=
			FIELD_PREP(CMDQ_SYNC_0_MSIATTR, ARM_SMMU_MEMATTR_OIWB);
		break;
	default:
		return -ENOENT;
	}

	return 0;
}

/**
 * arm_smmu_cmdq_build_sync_cmd() - build the CMD_SYNC for slot @prod
 * @cmd: the two command words
 * @smmu: the SMMU
 * @q: the queue the sync goes into
 * @prod: the sync's slot
 *
 * With MSI polling the sync's MSI targets its own slot: the SMMU signals
 * completion by zeroing the first word of the command.
 */
void arm_smmu_cmdq_build_sync_cmd(u64 *cmd, struct arm_smmu_device *smmu,
				  struct arm_smmu_queue *q, u32 prod)
{
	struct arm_smmu_cmdq_ent ent = {
		.opcode = CMDQ_OP_CMD_SYNC,
	};

	if (smmu->options & ARM_SMMU_OPT_MSIPOLL) {
		ent.sync.msiaddr =
			q->base_dma + Q_IDX(&q->llq, prod) * q->ent_dwords * 8;
	}

	arm_smmu_cmdq_build_cmd(cmd, &ent);
}

static const char *const cerror_str[] = {
	[CMDQ_ERR_CERROR_NONE_IDX] = "No error",
	[CMDQ_ERR_CERROR_ILL_IDX] = "Illegal command",
	[CMDQ_ERR_CERROR_ABT_IDX] = "Abort on command fetch",
	[CMDQ_ERR_CERROR_ATC_INV_IDX] = "ATC invalidate timeout",
};

/**
 * __arm_smmu_cmdq_skip_err() - recover @cmdq from the error GERROR reported
 * @smmu: the SMMU
 * @cmdq: its queue whose CONS holds the error
 *
 * An illegal command is replaced by a CMD_SYNC; an ATC invalidation timeout
 * is recorded in @cmdq->atc_sync_timeouts for the waiter of the sync.
 */
void __arm_smmu_cmdq_skip_err(struct arm_smmu_device *smmu,
			      struct arm_smmu_cmdq *cmdq)
{
	struct arm_smmu_queue *q = &cmdq->q;
	u32 cons = readl_relaxed(q->cons_reg);
	u32 idx = FIELD_GET(CMDQ_CONS_ERR, cons);
	struct arm_smmu_cmdq_ent cmd_sync = {
		.opcode = CMDQ_OP_CMD_SYNC,
	};
	u64 cmd[CMDQ_ENT_DWORDS];
	int i;

	dev_err(smmu->dev, "CMDQ error (cons 0x%08x): %s\n", cons,
		idx < ARRAY_SIZE(cerror_str) ? cerror_str[idx] : "Unknown");

	switch (idx) {
	case CMDQ_ERR_CERROR_ABT_IDX:
		dev_err(smmu->dev, "retrying command fetch\n");
		return;
	case CMDQ_ERR_CERROR_NONE_IDX:
		return;
	case CMDQ_ERR_CERROR_ATC_INV_IDX:
		/*
		 * ATC invalidation completion timeout.  CONS still points at
		 * the CMD_SYNC that followed the ATC_INVs: mark its slot, so
		 * that its issuer gets -EIO, and let the SMMU repeat the sync
		 * once the error is acknowledged.  Other waiters are not
		 * affected.  Pairs with test_and_clear_bit() in
		 * arm_smmu_cmdq_sync_result().
		 */
		set_bit(Q_IDX(&q->llq, cons), cmdq->atc_sync_timeouts);
		return;
	case CMDQ_ERR_CERROR_ILL_IDX:
	default:
		break;
	}

	/* A command cannot be skipped: turn it into a CMD_SYNC */
	queue_read(cmd, Q_ENT(q, cons), q->ent_dwords);
	dev_err(smmu->dev, "skipping command in error state:\n");
	for (i = 0; i < ARRAY_SIZE(cmd); ++i)
		dev_err(smmu->dev, "\t0x%016llx\n", (unsigned long long)cmd[i]);

	arm_smmu_cmdq_build_cmd(cmd, &cmd_sync);
	queue_write(Q_ENT(q, cons), cmd, q->ent_dwords);
}

static void arm_smmu_cmdq_skip_err(struct arm_smmu_device *smmu)
{
	__arm_smmu_cmdq_skip_err(smmu, &smmu->cmdq);
}

/**
 * arm_smmu_gerror_handler() - the global error interrupt
 * @irq: the line
 * @dev: the SMMU
 *
 * Return: IRQ_HANDLED, or IRQ_NONE when no error is pending.
 */
irqreturn_t arm_smmu_gerror_handler(int irq, void *dev)
{
	struct arm_smmu_device *smmu = dev;
	u32 gerror, gerrorn, active;

	gerror = readl_relaxed(smmu->base + ARM_SMMU_GERROR);
	gerrorn = readl_relaxed(smmu->base + ARM_SMMU_GERRORN);

	active = gerror ^ gerrorn;
	if (!(active & GERROR_ERR_MASK))
		return IRQ_NONE; /* No errors pending */

	dev_warn(
		smmu->dev,
		"unexpected global error reported (0x%08x), this could be serious\n",
		active);

	if (active & GERROR_CMDQ_ERR)
		arm_smmu_cmdq_skip_err(smmu);

	/* Acknowledge: the SMMU goes on with the queue */
	writel(gerror, smmu->base + ARM_SMMU_GERRORN);
	return IRQ_HANDLED;
}

/**
 * arm_smmu_cmdq_init() - allocate a command queue
 * @smmu: the SMMU; its hw_probe() set the queue depth
 * @cmdq: the queue
 *
 * Return: 0 or -ENOMEM.
 */
int arm_smmu_cmdq_init(struct arm_smmu_device *smmu, struct arm_smmu_cmdq *cmdq)
{
	struct arm_smmu_queue *q = &cmdq->q;
	unsigned int nents = 1 << q->llq.max_n_shift;
	size_t qsz;

	q->ent_dwords = CMDQ_ENT_DWORDS;
	qsz = (nents * q->ent_dwords) << 3;
	q->base = dma_alloc_coherent(smmu->dev, qsz, &q->base_dma, GFP_KERNEL);
	if (!q->base)
		return -ENOMEM;

	q->prod_reg = smmu->base + ARM_SMMU_CMDQ_PROD;
	q->cons_reg = smmu->base + ARM_SMMU_CMDQ_CONS;
	q->llq.prod = q->llq.cons = 0;
	q->q_base = Q_BASE_RWA;
	q->q_base |= q->base_dma & Q_BASE_ADDR_MASK;
	q->q_base |= FIELD_PREP(Q_BASE_LOG2SIZE, q->llq.max_n_shift);

	atomic_set(&cmdq->owner_prod, 0);
	atomic_set(&cmdq->lock, 0);
	cmdq->valid_map = (atomic_long_t *)bitmap_zalloc(nents, GFP_KERNEL);
	cmdq->atc_sync_timeouts = bitmap_zalloc(nents, GFP_KERNEL);
	if (!cmdq->valid_map || !cmdq->atc_sync_timeouts) {
		arm_smmu_cmdq_free(smmu, cmdq);
		return -ENOMEM;
	}
	return 0;
}

/**
 * arm_smmu_cmdq_free() - free a command queue's memory
 * @smmu: the SMMU, with its command queue disabled
 * @cmdq: the queue
 */
void arm_smmu_cmdq_free(struct arm_smmu_device *smmu,
			struct arm_smmu_cmdq *cmdq)
{
	struct arm_smmu_queue *q = &cmdq->q;

	bitmap_free((unsigned long *)cmdq->valid_map);
	bitmap_free(cmdq->atc_sync_timeouts);
	cmdq->valid_map = NULL;
	cmdq->atc_sync_timeouts = NULL;
	if (q->base)
		dma_free_coherent(smmu->dev,
				  ((1 << q->llq.max_n_shift) * q->ent_dwords)
					  << 3,
				  q->base, q->base_dma);
	q->base = NULL;
}

/*
 * The cmdq lock: a reader/writer lock on one atomic_t.  CMD_SYNC waiters
 * hold it shared (the count), the CPU refreshing the shadow cons from the
 * CONS register holds it exclusive (the sign bit, INT_MIN).  As upstream
 * since commit df180b1a ("Improve CMDQ lock fairness and efficiency"): a
 * shared locker that finds it exclusive keeps its increment and waits for
 * the sign bit to clear, and the exclusive unlock clears only that bit.
 * Before, the unlock reset the counter to 0, dropping the waiters' counts,
 * so that each had to win a cmpxchg against the next exclusive trylock: on
 * a small queue, shared waiters starved.
 */
static void arm_smmu_cmdq_shared_lock(struct arm_smmu_cmdq *cmdq)
{
	/*
	 * With an exclusive holder the counter stays negative; the increment
	 * counts this waiter, so no exclusive trylock succeeds before it got
	 * the lock and released it.
	 */
	int val;

	if (atomic_fetch_inc_relaxed(&cmdq->lock) >= 0)
		return;

	trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_LOCK, false);
	if (khooks_switch(KHOOKS_CMDQ_LOCK_PRE_DF180B1A)) {
		/* The unlock dropped the increment: win it back */
		do {
			val = atomic_cond_read_relaxed(&cmdq->lock, VAL >= 0);
		} while (atomic_cmpxchg_relaxed(&cmdq->lock, val, val + 1) !=
			 val);
	} else {
		/* Already counted: the holder's unlock makes it positive */
		atomic_cond_read_relaxed(&cmdq->lock, VAL > 0);
	}
	trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_LOCK, true);
}

static void arm_smmu_cmdq_shared_unlock(struct arm_smmu_cmdq *cmdq)
{
	(void)atomic_dec_return_release(&cmdq->lock);
}

/* Fails if we are the last shared holder: the caller publishes cons then */
static bool arm_smmu_cmdq_shared_tryunlock(struct arm_smmu_cmdq *cmdq)
{
	if (atomic_read(&cmdq->lock) == 1)
		return false;

	arm_smmu_cmdq_shared_unlock(cmdq);
	return true;
}

#define arm_smmu_cmdq_exclusive_trylock_irqsave(cmdq, flags)                \
	({                                                                  \
		bool __ret;                                                 \
		local_irq_save(flags);                                      \
		__ret = !atomic_cmpxchg_relaxed(&(cmdq)->lock, 0, INT_MIN); \
		if (!__ret)                                                 \
			local_irq_restore(flags);                           \
		__ret;                                                      \
	})

/* Clear the sign bit only: the shared waiters' increments stay counted */
#define arm_smmu_cmdq_exclusive_unlock_irqrestore(cmdq, flags)               \
	({                                                                   \
		if (khooks_switch(KHOOKS_CMDQ_LOCK_PRE_DF180B1A))            \
			atomic_set_release(&(cmdq)->lock, 0);                \
		else                                                         \
			atomic_fetch_andnot_release(INT_MIN, &(cmdq)->lock); \
		local_irq_restore(flags);                                    \
	})

/*
 * Flip (@set) or poll for the valid bits of the slots [@sprod, @eprod).  A
 * slot is valid when its bit equals the inverse of its lap's wrap bit: the
 * map is never cleared, its meaning flips each lap.
 */
static void __arm_smmu_cmdq_poll_set_valid_map(struct arm_smmu_cmdq *cmdq,
					       u32 sprod, u32 eprod, bool set)
{
	u32 swidx, sbidx, ewidx, ebidx;
	struct arm_smmu_ll_queue llq = {
		.max_n_shift = cmdq->q.llq.max_n_shift,
		.prod = sprod,
	};

	ewidx = BIT_WORD(Q_IDX(&llq, eprod));
	ebidx = Q_IDX(&llq, eprod) % BITS_PER_LONG;

	while (llq.prod != eprod) {
		unsigned long mask;
		atomic_long_t *ptr;
		u32 limit = BITS_PER_LONG;

		swidx = BIT_WORD(Q_IDX(&llq, llq.prod));
		sbidx = Q_IDX(&llq, llq.prod) % BITS_PER_LONG;

		ptr = &cmdq->valid_map[swidx];

		if ((swidx == ewidx) && (sbidx < ebidx))
			limit = ebidx;

		mask = GENMASK(limit - 1, sbidx);

		/*
		 * The bits of this word flip together: XOR for the writer,
		 * for the poller the value they take this lap (all ones on
		 * an even lap, all zeros on an odd one).
		 */
		if (set) {
			atomic_long_xor(mask, ptr);
		} else {
			unsigned long valid;

			valid = (ULONG_MAX + !!Q_WRP(&llq, llq.prod)) & mask;
			atomic_long_cond_read_relaxed(ptr,
						      (VAL & mask) == valid);
		}

		llq.prod = queue_inc_prod_n(&llq, limit - sbidx);
	}
}

/* Publish the slots [sprod, eprod) */
static void arm_smmu_cmdq_set_valid_map(struct arm_smmu_cmdq *cmdq, u32 sprod,
					u32 eprod)
{
	__arm_smmu_cmdq_poll_set_valid_map(cmdq, sprod, eprod, true);
}

/* Wait until the slots [sprod, eprod) are published */
static void arm_smmu_cmdq_poll_valid_map(struct arm_smmu_cmdq *cmdq, u32 sprod,
					 u32 eprod)
{
	__arm_smmu_cmdq_poll_set_valid_map(cmdq, sprod, eprod, false);
}

/* Wait until the queue has a free slot; refreshes @llq */
static int arm_smmu_cmdq_poll_until_not_full(struct arm_smmu_device *smmu,
					     struct arm_smmu_cmdq *cmdq,
					     struct arm_smmu_ll_queue *llq)
{
	unsigned long flags;
	struct arm_smmu_queue_poll qp;
	int ret = 0;

	/*
	 * Refresh the shadow cons from the register if nobody holds the lock;
	 * otherwise wait for whoever does to refresh it.
	 */
	if (arm_smmu_cmdq_exclusive_trylock_irqsave(cmdq, flags)) {
		WRITE_ONCE(cmdq->q.llq.cons, readl_relaxed(cmdq->q.cons_reg));
		arm_smmu_cmdq_exclusive_unlock_irqrestore(cmdq, flags);
		llq->val = READ_ONCE(cmdq->q.llq.val);
		return 0;
	}

	queue_poll_init(smmu, &qp);
	do {
		llq->val = READ_ONCE(cmdq->q.llq.val);
		if (!queue_full(llq))
			break;

		ret = queue_poll(&qp);
	} while (!ret);

	return ret;
}

/* Wait until the SMMU zeroes the first word of our CMD_SYNC (MSI) */
static int __arm_smmu_cmdq_poll_until_msi(struct arm_smmu_device *smmu,
					  struct arm_smmu_cmdq *cmdq,
					  struct arm_smmu_ll_queue *llq)
{
	int ret = 0;
	struct arm_smmu_queue_poll qp;
	u32 *cmd = (u32 *)(Q_ENT(&cmdq->q, llq->prod));

	queue_poll_init(smmu, &qp);

	/* The MSI is written into the queue: it generates no event */
	qp.wfe = false;
	smp_cond_load_relaxed(cmd, !VAL || (ret = queue_poll(&qp)));
	llq->cons = ret ? llq->prod : queue_inc_prod_n(llq, 1);
	return ret;
}

/* Wait until the SMMU's CONS passes our CMD_SYNC at @llq->prod */
static int __arm_smmu_cmdq_poll_until_consumed(struct arm_smmu_device *smmu,
					       struct arm_smmu_cmdq *cmdq,
					       struct arm_smmu_ll_queue *llq)
{
	struct arm_smmu_queue_poll qp;
	u32 prod = llq->prod;
	int ret = 0;

	queue_poll_init(smmu, &qp);
	llq->val = READ_ONCE(cmdq->q.llq.val);
	do {
		if (queue_consumed(llq, prod))
			break;

		ret = queue_poll(&qp);

		/*
		 * readl(), not readl_relaxed(): the read of CONS must be
		 * ordered before the shared_tryunlock() that follows, so
		 * that a waiter sees the shared locks of other syncs that
		 * completed before ours.
		 */
		llq->cons = readl(cmdq->q.cons_reg);
	} while (!ret);

	return ret;
}

/**
 * arm_smmu_cmdq_poll_until_sync() - wait for the CMD_SYNC at @llq->prod
 * @smmu: the SMMU
 * @cmdq: its command queue
 * @llq: @llq->prod is the sync's slot; @llq->cons is updated
 *
 * Return: 0, or -ETIMEDOUT after arm_smmu_poll_timeout_us.
 */
int arm_smmu_cmdq_poll_until_sync(struct arm_smmu_device *smmu,
				  struct arm_smmu_cmdq *cmdq,
				  struct arm_smmu_ll_queue *llq)
{
	if (smmu->options & ARM_SMMU_OPT_MSIPOLL)
		return __arm_smmu_cmdq_poll_until_msi(smmu, cmdq, llq);

	return __arm_smmu_cmdq_poll_until_consumed(smmu, cmdq, llq);
}

/**
 * arm_smmu_cmdq_write_entries() - copy commands into claimed queue slots
 * @cmdq: the queue
 * @cmds: @n commands of CMDQ_ENT_DWORDS each
 * @prod: the first slot, claimed by the caller
 * @n: number of commands
 *
 * The slots are not valid until the caller marks them in the valid map.
 */
static void arm_smmu_cmdq_write_entries(struct arm_smmu_cmdq *cmdq, u64 *cmds,
					u32 prod, int n)
{
	struct arm_smmu_ll_queue llq = {
		.max_n_shift = cmdq->q.llq.max_n_shift,
		.prod = prod,
	};
	int i;

	for (i = 0; i < n; ++i) {
		u64 *cmd = &cmds[i * CMDQ_ENT_DWORDS];

		prod = queue_inc_prod_n(&llq, i);
		queue_write(Q_ENT(&cmdq->q, prod), cmd, CMDQ_ENT_DWORDS);
	}
}

/**
 * arm_smmu_cmdq_sync_result() - the result of a completed CMD_SYNC wait
 * @smmu: the SMMU
 * @cmdq: its command queue
 * @sync_prod: the sync's slot
 * @ret: what arm_smmu_cmdq_poll_until_sync() returned
 *
 * Return: -EIO if the SMMU reported an ATC invalidation timeout at this
 * sync (the error handler marked its slot), else @ret.
 */
int arm_smmu_cmdq_sync_result(struct arm_smmu_device *smmu,
			      struct arm_smmu_cmdq *cmdq, u32 sync_prod,
			      int ret)
{
	if (test_and_clear_bit(Q_IDX(&cmdq->q.llq, sync_prod),
			       cmdq->atc_sync_timeouts))
		return -EIO;

	if (ret)
		dev_err_ratelimited(
			smmu->dev,
			"CMD_SYNC timeout at 0x%08x [hwprod 0x%08x, hwcons 0x%08x]\n",
			sync_prod, readl_relaxed(cmdq->q.prod_reg),
			readl_relaxed(cmdq->q.cons_reg));
	return ret;
}

/*
 * The lock-free insertion.  What callers may rely on:
 *  - memory written before the call (an STE, a CD) is visible to the SMMU
 *    before any of the commands: dma_wmb() precedes their publication;
 *  - what the caller does after a CMD_SYNC completed is ordered after the
 *    completion (control dependency on the poll);
 *  - the commands of one call are contiguous in the queue: two concurrent
 *    callers' lists never interleave.
 */
static int __arm_smmu_cmdq_issue_cmdlist(struct arm_smmu_device *smmu,
					 struct arm_smmu_cmdq *cmdq, u64 *cmds,
					 int n, bool sync)
{
	u64 cmd_sync[CMDQ_ENT_DWORDS];
	u32 prod;
	unsigned long flags;
	bool owner;
	struct arm_smmu_ll_queue llq, head;
	int ret = 0;

	trace_arm_smmu_cmdq_issue_start(n);
	llq.max_n_shift = cmdq->q.llq.max_n_shift;

	/* 1. Claim n + sync slots */
	local_irq_save(flags);
	llq.val = READ_ONCE(cmdq->q.llq.val);
	do {
		u64 old;

		while (!queue_has_space(&llq, n + sync)) {
			local_irq_restore(flags);
			trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_SPACE,
						 false);
			if (arm_smmu_cmdq_poll_until_not_full(smmu, cmdq, &llq))
				dev_err_ratelimited(smmu->dev,
						    "CMDQ timeout\n");
			trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_SPACE,
						 true);
			local_irq_save(flags);
		}

		head.cons = llq.cons;
		head.prod = queue_inc_prod_n(&llq, n + sync) |
			    CMDQ_PROD_OWNED_FLAG;

		old = cmpxchg_relaxed(&cmdq->q.llq.val, llq.val, head.val);
		if (old == llq.val)
			break;

		llq.val = old;
	} while (1);
	owner = !(llq.prod & CMDQ_PROD_OWNED_FLAG);
	head.prod &= ~CMDQ_PROD_OWNED_FLAG;
	llq.prod &= ~CMDQ_PROD_OWNED_FLAG;

	/* 2. Write our slots (ordered after the claim by dependency) */
	arm_smmu_cmdq_write_entries(cmdq, cmds, llq.prod, n);
	if (sync) {
		prod = queue_inc_prod_n(&llq, n);
		arm_smmu_cmdq_build_sync_cmd(cmd_sync, smmu, &cmdq->q, prod);
		queue_write(Q_ENT(&cmdq->q, prod), cmd_sync, CMDQ_ENT_DWORDS);

		/*
		 * Hold the lock shared from before the slot is valid until
		 * the sync completed: the shadow cons cannot move past our
		 * slot meanwhile, so the queue cannot lap it unnoticed.
		 */
		arm_smmu_cmdq_shared_lock(cmdq);
	}

	/* 3. Publish our slots; the commands are written before the bits */
	dma_wmb();
	arm_smmu_cmdq_set_valid_map(cmdq, llq.prod, head.prod);

	/* 4. The owner drives PROD for everything gathered behind it */
	if (owner) {
		/* a. The previous owner's range must be handed to the SMMU */
		trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_OWNER, false);
		atomic_cond_read_relaxed(&cmdq->owner_prod, VAL == llq.prod);
		trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_OWNER, true);

		/* b. Clear the owned flag: later claims start a new owner */
		prod = atomic_fetch_andnot_relaxed(CMDQ_PROD_OWNED_FLAG,
						   &cmdq->q.llq.atomic.prod);
		prod &= ~CMDQ_PROD_OWNED_FLAG;

		/*
		 * c. Every slot up to @prod must be written, ours included:
		 * polling our own bits too gives (d) its control dependency.
		 */
		trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_VALID, false);
		arm_smmu_cmdq_poll_valid_map(cmdq, llq.prod, prod);
		trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_VALID, true);

		/* d. Hand the range to the SMMU */
		writel_relaxed(prod, cmdq->q.prod_reg);

		/*
		 * e. Release the next owner only after PROD is written, or
		 * it could write an older PROD after ours.
		 */
		atomic_set_release(&cmdq->owner_prod, prod);
	}

	trace_arm_smmu_cmdq_issue_inserted(n);

	/* 5. Wait for our CMD_SYNC */
	if (sync) {
		u32 sync_prod;

		llq.prod = queue_inc_prod_n(&llq, n);
		sync_prod = llq.prod;
		trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_SYNC, false);
		ret = arm_smmu_cmdq_poll_until_sync(smmu, cmdq, &llq);
		trace_arm_smmu_cmdq_wait(ARM_SMMU_CMDQ_WAIT_SYNC, true);
		ret = arm_smmu_cmdq_sync_result(smmu, cmdq, sync_prod, ret);

		/*
		 * The last shared holder out publishes the cons it saw: no
		 * other sync waiter can still need an older one.  The
		 * tryunlock is racy: two holders leaving together may both
		 * succeed, and then nobody publishes until a trylock in
		 * arm_smmu_cmdq_poll_until_not_full() succeeds.
		 */
		if (!arm_smmu_cmdq_shared_tryunlock(cmdq)) {
			WRITE_ONCE(cmdq->q.llq.cons, llq.cons);
			arm_smmu_cmdq_shared_unlock(cmdq);
		}
	}

	local_irq_restore(flags);
	trace_arm_smmu_cmdq_issue_done(n, sync, ret);
	return ret;
}

/**
 * arm_smmu_cmdq_issue_cmdlist() - insert commands, optionally with a sync
 * @smmu: the SMMU
 * @cmdq: its command queue
 * @cmds: @n commands of CMDQ_ENT_DWORDS words each
 * @n: number of commands
 * @sync: append a CMD_SYNC and wait for its completion
 *
 * Return: 0; -EIO when the SMMU reported an ATC invalidation timeout at our
 * CMD_SYNC; -ETIMEDOUT when the CMD_SYNC did not complete within
 * arm_smmu_poll_timeout_us.
 */
int arm_smmu_cmdq_issue_cmdlist(struct arm_smmu_device *smmu,
				struct arm_smmu_cmdq *cmdq, u64 *cmds, int n,
				bool sync)
{
	if (smmu->impl_ops && smmu->impl_ops->issue_cmdlist)
		return smmu->impl_ops->issue_cmdlist(smmu, cmdq, cmds, n, sync);

	return __arm_smmu_cmdq_issue_cmdlist(smmu, cmdq, cmds, n, sync);
}

/* The queue @ent goes on: the implementation's choice, else the SMMU's */
static struct arm_smmu_cmdq *arm_smmu_get_cmdq(struct arm_smmu_device *smmu,
					       struct arm_smmu_cmdq_ent *ent)
{
	struct arm_smmu_cmdq *cmdq = NULL;

	if (smmu->impl_ops && smmu->impl_ops->get_secondary_cmdq)
		cmdq = smmu->impl_ops->get_secondary_cmdq(smmu, ent);

	return cmdq ?: &smmu->cmdq;
}

/**
 * arm_smmu_cmdq_issue_cmd_with_sync() - issue one command and a CMD_SYNC
 * @smmu: the SMMU
 * @ent: the command
 *
 * Return: 0, -EINVAL for an unknown opcode, or as
 * arm_smmu_cmdq_issue_cmdlist().
 */
int arm_smmu_cmdq_issue_cmd_with_sync(struct arm_smmu_device *smmu,
				      struct arm_smmu_cmdq_ent *ent)
{
	u64 cmd[CMDQ_ENT_DWORDS];

	if (unlikely(arm_smmu_cmdq_build_cmd(cmd, ent))) {
		dev_warn(smmu->dev, "ignoring unknown CMDQ opcode 0x%x\n",
			 ent->opcode);
		return -EINVAL;
	}

	return arm_smmu_cmdq_issue_cmdlist(smmu, arm_smmu_get_cmdq(smmu, ent),
					   cmd, 1, true);
}

/**
 * arm_smmu_cmdq_batch_init() - start a batch
 * @smmu: the SMMU
 * @cmds: the batch
 * @ent: its first command, which selects the command queue
 */
void arm_smmu_cmdq_batch_init(struct arm_smmu_device *smmu,
			      struct arm_smmu_cmdq_batch *cmds,
			      struct arm_smmu_cmdq_ent *ent)
{
	cmds->num = 0;
	cmds->cmdq = arm_smmu_get_cmdq(smmu, ent);
}

/**
 * arm_smmu_cmdq_batch_add() - add a command to a batch
 * @smmu: the SMMU
 * @cmds: the batch
 * @cmd: the command
 *
 * A full batch of CMDQ_BATCH_ENTRIES commands is issued without a CMD_SYNC:
 * only arm_smmu_cmdq_batch_submit() ends a batch with one, and a command
 * its queue does not support (arm_smmu_cmdq_supports_cmd()), which moves
 * the batch to the queue arm_smmu_get_cmdq() picks for it.
 */
void arm_smmu_cmdq_batch_add(struct arm_smmu_device *smmu,
			     struct arm_smmu_cmdq_batch *cmds,
			     struct arm_smmu_cmdq_ent *cmd)
{
	bool unsupported_cmd = !arm_smmu_cmdq_supports_cmd(cmds->cmdq, cmd);
	int index;

	/* Another queue: what is on this one is done before the switch */
	if (unlikely(unsupported_cmd)) {
		arm_smmu_cmdq_issue_cmdlist(smmu, cmds->cmdq, cmds->cmds,
					    cmds->num, true);
		arm_smmu_cmdq_batch_init(smmu, cmds, cmd);
	}

	if (cmds->num == CMDQ_BATCH_ENTRIES) {
		arm_smmu_cmdq_issue_cmdlist(smmu, cmds->cmdq, cmds->cmds,
					    cmds->num, false);
		arm_smmu_cmdq_batch_init(smmu, cmds, cmd);
	}

	index = cmds->num * CMDQ_ENT_DWORDS;
	if (unlikely(arm_smmu_cmdq_build_cmd(&cmds->cmds[index], cmd))) {
		dev_warn(smmu->dev, "ignoring unknown CMDQ opcode 0x%x\n",
			 cmd->opcode);
		return;
	}

	cmds->num++;
}

/**
 * arm_smmu_cmdq_batch_submit() - issue a batch with a CMD_SYNC and wait
 * @smmu: the SMMU
 * @cmds: the batch; may be empty (a bare CMD_SYNC)
 *
 * Return: as arm_smmu_cmdq_issue_cmdlist().
 */
int arm_smmu_cmdq_batch_submit(struct arm_smmu_device *smmu,
			       struct arm_smmu_cmdq_batch *cmds)
{
	return arm_smmu_cmdq_issue_cmdlist(smmu, cmds->cmdq, cmds->cmds,
					   cmds->num, true);
}

/**
 * arm_smmu_cmdq_batch_add_range() - add the TLBIs of a range to a batch
 * @smmu: the SMMU
 * @cmds: the batch
 * @cmd: the TLBI command, opcode and tag set
 * @iova: start of the range
 * @size: length of the range, not 0
 * @granule: the page size of the change
 * @pgsize: the smallest page size of the domain
 *
 * With range invalidation (ARM_SMMU_FEAT_RANGE_INV) each command covers
 * NUM+1 blocks of 2^SCALE pages; without it, one command per @granule.
 */
void arm_smmu_cmdq_batch_add_range(struct arm_smmu_device *smmu,
				   struct arm_smmu_cmdq_batch *cmds,
				   struct arm_smmu_cmdq_ent *cmd,
				   unsigned long iova, size_t size,
				   size_t granule, size_t pgsize)
{
	unsigned long end = iova + size, num_pages = 0, tg = 0;
	size_t inv_range = granule;

	if (!size)
		return;

	if (smmu->features & ARM_SMMU_FEAT_RANGE_INV) {
		/* Get the leaf page size */
		tg = __ffs(pgsize);
		num_pages = size >> tg;

		/* Convert page size of 12,14,16 (log2) to 1,2,3 */
		cmd->tlbi.tg = (tg - 10) / 2;

		/*
		 * TTL names the table level of a leaf change.  A non-leaf
		 * change carries a nominal granule, so TTL stays 0 there; but
		 * NUM = SCALE = 0 must then be avoided, hence the extra page.
		 */
		if (cmd->tlbi.leaf)
			cmd->tlbi.ttl = 4 - ((ilog2(granule) - 3) / (tg - 3));
		else if ((num_pages & CMDQ_TLBI_RANGE_NUM_MAX) == 1)
			num_pages++;
	}

	while (iova < end) {
		if (smmu->features & ARM_SMMU_FEAT_RANGE_INV) {
			/*
			 * Each command covers the 5 lowest set bits' worth of
			 * the pages left: NUM+1 blocks of 2^SCALE pages.
			 */
			unsigned long scale, num;

			/* The power of 2 multiple number of pages */
			scale = __ffs(num_pages);
			cmd->tlbi.scale = scale;

			/* How many chunks of 2^scale size we have */
			num = (num_pages >> scale) & CMDQ_TLBI_RANGE_NUM_MAX;
			cmd->tlbi.num = num - 1;

			/* range is num * 2^scale * pgsize */
			inv_range = num << (scale + tg);

			/* Clear out the lower order bits for the next pass */
			num_pages -= num << scale;
		}

		cmd->tlbi.addr = iova;
		arm_smmu_cmdq_batch_add(smmu, cmds, cmd);
		iova += inv_range;
	}
}

/**
 * arm_smmu_atc_inv_to_cmd() - build an ATC_INV for a range
 * @ssid: the PASID, or IOMMU_NO_PASID for all PASIDs
 * @iova: start of the range
 * @size: length of the range; 0 invalidates the whole ATC
 * @cmd: the command to fill (the caller sets the SID)
 *
 * ATS invalidations cover a naturally aligned power-of-two number of 4 KiB
 * pages: the smallest such span that holds [@iova, @iova + @size).  For
 * example pages [8; 11] give start 8 and span 4 (size 2), pages [7; 10] give
 * start 0 and span 16 (size 4).
 */
void arm_smmu_atc_inv_to_cmd(int ssid, unsigned long iova, size_t size,
			     struct arm_smmu_cmdq_ent *cmd)
{
	size_t log2_span;
	size_t span_mask;
	/* ATC invalidates are always on 4096-bytes pages */
	size_t inval_grain_shift = 12;
	unsigned long page_start, page_end;

	/*
	 * Without SSV the TLP has no PASID prefix: the invalidation applies
	 * to all PASIDs, both with and without one.
	 */
	*cmd = (struct arm_smmu_cmdq_ent){
		.opcode = CMDQ_OP_ATC_INV,
		.substream_valid = (ssid != IOMMU_NO_PASID),
		.atc.ssid = ssid,
	};

	if (!size) {
		cmd->atc.size = ATC_INV_SIZE_ALL;
		return;
	}

	page_start = iova >> inval_grain_shift;
	page_end = (iova + size - 1) >> inval_grain_shift;

	/*
	 * The highest bit in which start and end differ gives the span; the
	 * start is then aligned down to it.
	 */
	log2_span = fls_long(page_start ^ page_end);
	span_mask = (1ULL << log2_span) - 1;

	page_start &= ~span_mask;

	cmd->atc.addr = page_start << inval_grain_shift;
	cmd->atc.size = log2_span;
}
