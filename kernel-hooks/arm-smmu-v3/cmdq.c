// SPDX-License-Identifier: GPL-2.0
/*
 * The SMMUv3 command queue: command encoding, insertion, CMD_SYNC completion
 * and the batch API.
 *
 * This is the single-lock queue: insertion and the CMD_SYNC wait are
 * serialised by cmdq->lock.  The batch API and arm_smmu_cmdq_issue_cmdlist()
 * are the interface the lock-free shared-ownership queue implements too.
 *
 * Written for atcbench from the semantics of the upstream driver
 * (drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c); the names are the kernel's.
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/barrier.h>

#include "arm-smmu-v3.h"

/* Low-level queue manipulation functions */
static bool queue_has_space(struct arm_smmu_ll_queue *q, u32 n)
{
	u32 space, prod, cons;

	prod = Q_IDX(q, q->prod);
	cons = Q_IDX(q, q->cons);

	if (Q_WRP(q, q->prod) == Q_WRP(q, q->cons))
		space = (1 << q->max_n_shift) - (prod - cons);
	else
		space = cons - prod;

	return space >= n;
}

static bool queue_consumed(struct arm_smmu_ll_queue *q, u32 prod)
{
	return ((Q_WRP(q, q->cons) == Q_WRP(q, prod)) &&
		(Q_IDX(q, q->cons) > Q_IDX(q, prod))) ||
	       ((Q_WRP(q, q->cons) != Q_WRP(q, prod)) &&
		(Q_IDX(q, q->cons) <= Q_IDX(q, prod)));
}

static u32 queue_inc_prod_n(struct arm_smmu_ll_queue *q, int n)
{
	u32 prod = (Q_WRP(q, q->prod) | Q_IDX(q, q->prod)) + n;

	return Q_OVF(q->prod) | Q_WRP(q, prod) | Q_IDX(q, prod);
}

static void queue_poll_init(struct arm_smmu_device *smmu,
			    struct arm_smmu_queue_poll *qp)
{
	qp->delay = 1;
	qp->spin_cnt = 0;
	qp->wfe = !!(smmu->features & ARM_SMMU_FEAT_SEV);
	qp->timeout = ktime_add_us(ktime_get(), ARM_SMMU_POLL_TIMEOUT_US);
}

static int queue_poll(struct arm_smmu_queue_poll *qp)
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

static void queue_write(__le64 *dst, u64 *src, size_t n_dwords)
{
	int i;

	for (i = 0; i < n_dwords; ++i)
		*dst++ = cpu_to_le64(*src++);
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
	case CMDQ_OP_CFGI_ALL:
		break;
	case CMDQ_OP_CFGI_STE:
		cmd[0] |= FIELD_PREP(CMDQ_CFGI_0_SID, ent->atc.sid);
		cmd[1] |= FIELD_PREP(CMDQ_CFGI_1_LEAF, 1);
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

static void arm_smmu_cmdq_build_sync_cmd(u64 *cmd, struct arm_smmu_device *smmu,
					 struct arm_smmu_queue *q, u32 prod)
{
	struct arm_smmu_cmdq_ent ent = {
		.opcode = CMDQ_OP_CMD_SYNC,
	};

	arm_smmu_cmdq_build_cmd(cmd, &ent);
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
	size_t qsz;

	q->ent_dwords = CMDQ_ENT_DWORDS;
	qsz = ((1 << q->llq.max_n_shift) * q->ent_dwords) << 3;
	q->base = dma_alloc_coherent(smmu->dev, qsz, &q->base_dma, GFP_KERNEL);
	if (!q->base)
		return -ENOMEM;

	q->prod_reg = smmu->base + ARM_SMMU_CMDQ_PROD;
	q->cons_reg = smmu->base + ARM_SMMU_CMDQ_CONS;
	q->llq.prod = q->llq.cons = 0;
	q->q_base = Q_BASE_RWA;
	q->q_base |= q->base_dma & Q_BASE_ADDR_MASK;
	q->q_base |= FIELD_PREP(Q_BASE_LOG2SIZE, q->llq.max_n_shift);
	spin_lock_init(&cmdq->lock);
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

	dma_free_coherent(smmu->dev,
			  ((1 << q->llq.max_n_shift) * q->ent_dwords) << 3,
			  q->base, q->base_dma);
	q->base = NULL;
}

/* Wait for the SMMU to consume up to and including @llq->prod */
static int arm_smmu_cmdq_poll_until_consumed(struct arm_smmu_device *smmu,
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
		/* readl(), not _relaxed: order the CONS read before our exit */
		llq->cons = readl(cmdq->q.cons_reg);
	} while (!ret);

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
 * The commands of one call are inserted contiguously, never interleaved
 * with another caller's.
 *
 * Return: 0, or -ETIMEDOUT when the queue did not drain or the CMD_SYNC did
 * not complete within ARM_SMMU_POLL_TIMEOUT_US.
 */
int arm_smmu_cmdq_issue_cmdlist(struct arm_smmu_device *smmu,
				struct arm_smmu_cmdq *cmdq, u64 *cmds, int n,
				bool sync)
{
	struct arm_smmu_ll_queue llq = {
		.max_n_shift = cmdq->q.llq.max_n_shift,
	};
	struct arm_smmu_queue_poll qp;
	unsigned long flags;
	u32 prod, sync_prod;
	int i, ret = 0;

	spin_lock_irqsave(&cmdq->lock, flags);
	llq.val = READ_ONCE(cmdq->q.llq.val);

	/* 1. Wait for space: refresh the shadow cons from the CONS register */
	queue_poll_init(smmu, &qp);
	while (!queue_has_space(&llq, n + sync)) {
		llq.cons = readl_relaxed(cmdq->q.cons_reg);
		if (queue_has_space(&llq, n + sync))
			break;
		ret = queue_poll(&qp);
		if (ret) {
			dev_err_ratelimited(smmu->dev, "CMDQ timeout\n");
			goto out_unlock;
		}
	}

	/* 2. Write the commands and the CMD_SYNC into the queue memory */
	for (i = 0; i < n; ++i) {
		u64 *cmd = &cmds[i * CMDQ_ENT_DWORDS];

		prod = queue_inc_prod_n(&llq, i);
		queue_write(Q_ENT(&cmdq->q, prod), cmd, CMDQ_ENT_DWORDS);
	}

	sync_prod = queue_inc_prod_n(&llq, n);
	if (sync) {
		u64 cmd_sync[CMDQ_ENT_DWORDS];

		arm_smmu_cmdq_build_sync_cmd(cmd_sync, smmu, &cmdq->q,
					     sync_prod);
		queue_write(Q_ENT(&cmdq->q, sync_prod), cmd_sync,
			    CMDQ_ENT_DWORDS);
	}

	/*
	 * 3. Publish: the commands must be visible to the SMMU before the new
	 * PROD is.  Pairs with the SMMU's read of PROD before the queue.
	 */
	llq.prod = queue_inc_prod_n(&llq, n + sync);
	dma_wmb();
	writel_relaxed(llq.prod, cmdq->q.prod_reg);
	WRITE_ONCE(cmdq->q.llq.prod, llq.prod);

	/* 4. Wait for our CMD_SYNC */
	if (sync) {
		llq.prod = sync_prod;
		ret = arm_smmu_cmdq_poll_until_consumed(smmu, cmdq, &llq);
		if (ret)
			dev_err_ratelimited(
				smmu->dev,
				"CMD_SYNC timeout at 0x%08x [hwprod 0x%08x, hwcons 0x%08x]\n",
				llq.prod, readl_relaxed(cmdq->q.prod_reg),
				readl_relaxed(cmdq->q.cons_reg));
		WRITE_ONCE(cmdq->q.llq.cons, llq.cons);
	}

out_unlock:
	spin_unlock_irqrestore(&cmdq->lock, flags);
	return ret;
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

	return arm_smmu_cmdq_issue_cmdlist(smmu, &smmu->cmdq, cmd, 1, true);
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
	cmds->cmdq = &smmu->cmdq;
}

/**
 * arm_smmu_cmdq_batch_add() - add a command to a batch
 * @smmu: the SMMU
 * @cmds: the batch
 * @cmd: the command
 *
 * A full batch of CMDQ_BATCH_ENTRIES commands is issued without a CMD_SYNC:
 * only arm_smmu_cmdq_batch_submit() ends a batch with one.
 */
void arm_smmu_cmdq_batch_add(struct arm_smmu_device *smmu,
			     struct arm_smmu_cmdq_batch *cmds,
			     struct arm_smmu_cmdq_ent *cmd)
{
	int index;

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
