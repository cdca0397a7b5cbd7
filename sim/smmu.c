// SPDX-License-Identifier: GPL-2.0
/* sim_smmu: the hardware side of a simulated SMMUv3 (see smmu.h) */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include <linux/bitfield.h>
#include <linux/spinlock.h>
#include <arm-smmu-v3/arm-smmu-v3.h>

#include "clock.h"
#include "cmd.h"
#include "irq.h"
#include "mmio.h"
#include <khooks/vcpu.h>
#include <variants/cmdq-multi.h>

#include "smmu.h"
#include "stec.h"
#include "tlb.h"

/* No PROD value (index and wrap bit fit in 17 bits) */
#define SIM_SMMU_NO_PROD U32_MAX
/*
 * An illegal command met this many times in a row at one slot, no CMD_SYNC
 * consumed between: the driver acknowledges the error without replacing the
 * command, and the SMMU stays stalled rather than interrupt for ever
 */
#define SIM_SMMU_ILL_STORM 16
/* Pages an ATC drop asks again for at most, per hold of the ATC's lock */
#define SIM_SMMU_DROP_BATCH 64
/* What an injected corruption makes of a command's opcode: none has it */
#define SIM_SMMU_ILL_OPCODE 0xff

enum sim_smmu_cmd_kind {
	SIM_SMMU_CMD_PLAIN, /* CFGI_CD, PREFETCH, ...: it takes its time */
	SIM_SMMU_CMD_CFGI, /* CFGI_STE / _ALL: the STE cache's, at a CMD_SYNC */
	SIM_SMMU_CMD_TLBI, /* a TLBI, with a TLB: pending until a CMD_SYNC */
	SIM_SMMU_CMD_ATC_INV,
	SIM_SMMU_CMD_SYNC,
	SIM_SMMU_CMD_ILLEGAL,
};

/*
 * A command queue: the SMMU's own (queue 0: CMDQ_BASE, _PROD, _CONS, the
 * global GERROR pair) or one of cfg.num_queues more (ARM_SMMU_MQ(n - 1) of
 * variants/cmdq-multi.h: the same registers, a GERROR pair and CONFIG.EN
 * of its own).  Each is consumed in order by an engine of its own, in time
 * of its own: a CMD_SYNC waiting for an ATC_INV holds up its queue only.
 */
struct sim_smmu_queue {
	/* Registers */
	u64 base;
	u32 prod;
	u32 cons;
	u32 gerror; /* queue 0: the SMMU's GERROR and GERRORN */
	u32 gerrorn;
	u32 config; /* queue 0: unused (CR0.CMDQEN enables it) */

	/* Consumer state, under the SMMU's lock */
	__le64 *ring; /* BASE decoded when written: the slots, */
	u32 mask; /* an index's bits and its wrap bit, */
	u32 idx_mask; /* an index's bits */
	u32 head; /* next command (index and wrap bit) */
	bool stalled; /* an error waits for its acknowledgement */
	u64 busy_until; /* the time it has executed up to */
	bool idle; /* it had consumed everything (busy_until is past) */
	u64 wake; /* its next event as of the last advance, */
	u32 wake_prod; /* with PROD at this value (SIM_SMMU_NO_PROD: unknown) */
	u64 batch_done; /* latest answer of the ATC_INVs in flight */
	u64 batch_fail; /* latest deadline of the unanswered ones */
	bool batch_failed;
	u32 ill_head; /* the slot of the last illegal command, */
	u64 ill_syncs; /* the CMD_SYNCs consumed before it, */
	unsigned int ill_repeats; /* and how often it stalled there */
};

struct sim_smmu {
	/* The register window the driver maps; only its address is used */
	u8 window[ARM_SMMU_MQ(ARM_SMMU_MQ_MAX)];
	struct sim_smmu_config cfg;
	int irq;
	u32 idr0, idr1, idr3;
	u32 cr0;

	spinlock_t lock;
	bool may_corrupt; /* ill_next, or a plan with illegal rules */
	bool ill_next; /* corrupt the next command (not a CMD_SYNC) */

	/* Devices by SID (has_devs: any), and the fault plan */
	struct sim_dev **devs;
	bool has_devs;
	unsigned int num_sids;
	struct sim_fault_plan *plan;

	/* The TLB (cfg.tlb_pages), and the TLBIs no CMD_SYNC completed yet */
	struct sim_tlb *tlb;
	u64 (*tlbi)[CMDQ_ENT_DWORDS];
	unsigned int num_tlbi, max_tlbi;
	sim_smmu_refetch_fn refetch;
	void *refetch_arg;

	/* The cache of the stream table the driver set up */
	struct sim_stec *stec;

	sim_smmu_trace_fn trace;
	void *trace_arg;
	u64 cmd_count[256];
	/* By opcode: how the consumer treats it, and the time it takes */
	u8 kind[256];
	u64 cost[256];
	struct sim_smmu_stats stats;

	/* Threaded mode */
	pthread_t thread;
	pthread_mutex_t wait_lock;
	pthread_cond_t wait_cond;
	bool stop;
	bool kick;

	/* The SMMU's own queue and cfg.num_queues more */
	unsigned int num_queues;
	struct sim_smmu_queue q[];
};

/* A counter only the consumer writes, read by anyone */
static void sim_smmu_stat_add(u64 *ctr, u64 n)
{
	__atomic_store_n(ctr, *ctr + n, __ATOMIC_RELAXED);
}

static void sim_smmu_stat_inc(u64 *ctr)
{
	sim_smmu_stat_add(ctr, 1);
}

static void sim_smmu_fault_apply(void *arg, u32 sid, enum sim_dev_state state,
				 u64 delay_ns)
{
	struct sim_smmu *smmu = arg;

	if (sid < smmu->num_sids && smmu->devs[sid])
		sim_dev_set_state(smmu->devs[sid], state, delay_ns);
}

/* Stall @q with @err at the command at head: the driver's handler must ack */
static void sim_smmu_stall(struct sim_smmu *smmu, struct sim_smmu_queue *q,
			   u32 err)
{
	__atomic_store_n(&q->cons, q->head | FIELD_PREP(CMDQ_CONS_ERR, err),
			 __ATOMIC_RELEASE);
	__atomic_store_n(&q->gerror, q->gerror ^ GERROR_CMDQ_ERR,
			 __ATOMIC_RELEASE);
	q->stalled = true;
	sim_smmu_stat_inc(&smmu->stats.errors);
}

/*
 * The device answered an ATC_INV: its ATC drops the command's range (with
 * SSV, only if its entries are that PASID's), and with a refetch hook it
 * asks again for each translation it lost
 */
static void sim_smmu_atc_drop(struct sim_smmu *smmu, struct sim_dev *dev,
			      const u64 *cmd)
{
	u64 size = FIELD_GET(CMDQ_ATC_1_SIZE, cmd[1]);
	u64 pages = size >= ATC_INV_SIZE_ALL ? U64_MAX : 1ULL << size;
	u64 first = (cmd[1] & CMDQ_ATC_1_ADDR_MASK) >> 12, done;
	u32 ssid = __atomic_load_n(&dev->ssid, __ATOMIC_RELAXED);
	unsigned int held[SIM_SMMU_DROP_BATCH], nheld;

	if ((cmd[0] & CMDQ_0_SSV) &&
	    (!ssid || FIELD_GET(CMDQ_ATC_0_SSID, cmd[0]) != ssid))
		return;

	/*
	 * A lock per run of pages, not per page; each page it held is asked
	 * for again before the next run is dropped
	 */
	while (pages) {
		done = sim_dev_atc_drop_range(dev, first, pages, held,
					      ARRAY_SIZE(held), &nheld);
		if (smmu->refetch && nheld)
			smmu->refetch(smmu->refetch_arg, dev, held, nheld);
		if (!done)
			break;
		first += done;
		pages -= done;
	}
}

/* A CMD_SYNC completed: so did every TLBI before it */
static void sim_smmu_tlbi_complete(struct sim_smmu *smmu)
{
	unsigned int i;

	for (i = 0; i < smmu->num_tlbi; i++)
		sim_tlb_invalidate(smmu->tlb, smmu->tlbi[i]);
	smmu->num_tlbi = 0;
}

/* A TLBI, pending until a CMD_SYNC */
static void sim_smmu_tlbi_add(struct sim_smmu *smmu, const u64 *cmd)
{
	/* More than a queue's worth: this one completes now */
	if (smmu->num_tlbi == smmu->max_tlbi)
		sim_smmu_tlbi_complete(smmu);
	smmu->tlbi[smmu->num_tlbi][0] = cmd[0];
	smmu->tlbi[smmu->num_tlbi++][1] = cmd[1];
}

/* may_corrupt, the one flag the consumer's loop tests, from what sets it */
static void sim_smmu_may_corrupt_update(struct sim_smmu *smmu)
{
	smmu->may_corrupt = smmu->ill_next ||
			    (smmu->plan && sim_fault_has_illegal(smmu->plan));
}

/*
 * Whether the command at head is read corrupted: once after
 * sim_smmu_inject_illegal(), or as the fault plan's illegal rules draw
 */
static bool sim_smmu_corrupted(struct sim_smmu *smmu, u64 t)
{
	if (smmu->ill_next) {
		smmu->ill_next = false;
		sim_smmu_may_corrupt_update(smmu);
		return true;
	}
	return smmu->plan && sim_fault_illegal(smmu->plan, t);
}

/*
 * The command @cmd (kind @kind) at @ent read corrupted: its slot now holds
 * an opcode no SMMU implements, as corrupted queue memory would, so the SMMU
 * stops with CERROR_ILL until the driver writes something else there
 * (arm_smmu_cmdq_skip_err(): a CMD_SYNC).  The command is lost, by the
 * fault and not by the driver: the model applies its effect first, the
 * oracle's excuse for exactly what the fault took (a TLBI completes at the
 * next CMD_SYNC, a CFGI is seen, an ATC_INV drops its range from the
 * device's ATC without a time-out of its own).
 */
static void sim_smmu_corrupt(struct sim_smmu *smmu, __le64 *ent, u64 *cmd,
			     enum sim_smmu_cmd_kind kind)
{
	u32 sid;

	cmd[1] = le64_to_cpu(__atomic_load_n(&ent[1], __ATOMIC_RELAXED));
	switch (kind) {
	case SIM_SMMU_CMD_TLBI:
		sim_smmu_tlbi_add(smmu, cmd);
		break;
	case SIM_SMMU_CMD_CFGI:
		if (smmu->stec)
			sim_stec_cfgi(smmu->stec, cmd);
		break;
	case SIM_SMMU_CMD_ATC_INV:
		sid = FIELD_GET(CMDQ_ATC_0_SID, cmd[0]);
		if (sid < smmu->num_sids && smmu->devs[sid])
			sim_smmu_atc_drop(smmu, smmu->devs[sid], cmd);
		break;
	default:
		break;
	}
	cmd[0] = (cmd[0] & ~CMDQ_0_OP) |
		 FIELD_PREP(CMDQ_0_OP, SIM_SMMU_ILL_OPCODE);
	__atomic_store_n(&ent[0], cpu_to_le64(cmd[0]), __ATOMIC_RELAXED);
	sim_smmu_stat_inc(&smmu->stats.illegal_injected);
}

/*
 * Stop at the illegal command at head: raise CERROR_ILL, unless the driver
 * left it there SIM_SMMU_ILL_STORM times (the SMMU then stays stalled, and
 * the storm is counted).  Returns whether to raise the interrupt.
 */
static bool sim_smmu_illegal(struct sim_smmu *smmu, struct sim_smmu_queue *q,
			     u32 head)
{
	u64 syncs = smmu->cmd_count[CMDQ_OP_CMD_SYNC];

	/* Another command: counted once, however often it is met again */
	if (head != q->ill_head || syncs != q->ill_syncs) {
		q->ill_repeats = 0;
		sim_smmu_stat_inc(&smmu->stats.illegal);
	}
	q->ill_head = head;
	q->ill_syncs = syncs;
	q->head = head;
	if (++q->ill_repeats == SIM_SMMU_ILL_STORM) {
		q->stalled = true;
		__atomic_store_n(&q->cons, head, __ATOMIC_RELEASE);
		sim_smmu_stat_inc(&smmu->stats.illegal_storms);
		return false;
	}
	sim_smmu_stall(smmu, q, CMDQ_ERR_CERROR_ILL_IDX);
	return true;
}

/*
 * Where the CMD_SYNC @cmd writes its completion: only into the command
 * queue (@base, @idx_mask + 1 slots), where the driver points it; an
 * address elsewhere (a half-written or corrupted command) is counted and
 * not written, where a real SMMU would scribble over some memory
 */
static u32 *sim_smmu_msi(struct sim_smmu *smmu, __le64 *base, u32 idx_mask,
			 const u64 *cmd)
{
	uintptr_t addr = cmd[1] & CMDQ_SYNC_1_MSIADDR_MASK;
	uintptr_t start = (uintptr_t)base;
	size_t size = ((size_t)idx_mask + 1) * CMDQ_ENT_DWORDS * sizeof(*base);

	if (addr >= start && addr - start + sizeof(u32) <= size)
		return (u32 *)addr;
	sim_smmu_stat_inc(&smmu->stats.bad_msis);
	return NULL;
}

/*
 * The CMD_SYNC at @head found an ATC_INV before it unanswered by its
 * deadline @t: the queue stops there with CERROR_ATC_INV (*@raise)
 */
static noinline u64 sim_smmu_sync_timeout(struct sim_smmu *smmu,
					  struct sim_smmu_queue *q, u32 head,
					  u64 t, bool *raise)
{
	q->batch_failed = false;
	q->batch_done = q->batch_fail = 0;
	q->busy_until = t;
	q->head = head;
	sim_smmu_stat_inc(&smmu->stats.atc_timeouts);
	sim_smmu_stall(smmu, q, CMDQ_ERR_CERROR_ATC_INV_IDX);
	*raise = true;
	return SIM_DEV_NEVER;
}

/*
 * The illegal command at @head, decoded by @end: the queue stops there, and
 * retries it after (*@raise: signal the error)
 */
static u64 sim_smmu_stop_illegal(struct sim_smmu *smmu,
				 struct sim_smmu_queue *q, u32 head, u64 end,
				 bool *raise)
{
	q->busy_until = end;
	*raise = sim_smmu_illegal(smmu, q, head);
	return SIM_DEV_NEVER;
}

/* An ATC_INV reaches its device @dev at @t */
static void sim_smmu_atc_inv(struct sim_smmu *smmu, struct sim_smmu_queue *q,
			     struct sim_dev *dev, const u64 *cmd, u64 t)
{
	u64 deadline = t + smmu->cfg.atc_timeout_ns;
	bool drop = smmu->plan && sim_fault_drop(smmu->plan, dev->sid, t);
	u64 answer = sim_dev_atc_inv(dev, t, drop);

	if (answer > deadline) {
		q->batch_failed = true;
		q->batch_fail = max(q->batch_fail, deadline);
	} else {
		q->batch_done = max(q->batch_done, answer);
		sim_smmu_atc_drop(smmu, dev, cmd);
	}
}

/* Queue 0 is on with CR0.CMDQEN, the others with their CONFIG.EN too */
static bool sim_smmu_queue_enabled(struct sim_smmu *smmu,
				   struct sim_smmu_queue *q)
{
	if (!(__atomic_load_n(&smmu->cr0, __ATOMIC_ACQUIRE) & CR0_CMDQEN))
		return false;
	return q == smmu->q ||
	       (__atomic_load_n(&q->config, __ATOMIC_ACQUIRE) & MQ_CONFIG_EN);
}

/* sim_smmu_exec()'s loop, out of line: for a kind whose commands do more */
static noinline void sim_smmu_exec_each(struct sim_smmu *smmu,
					struct sim_smmu_queue *q,
					enum sim_smmu_cmd_kind kind,
					__le64 *ent, u32 n, u64 t, u64 cost)
{
	u64 cmd[CMDQ_ENT_DWORDS];
	u32 sid;

	for (; n; n--, ent += CMDQ_ENT_DWORDS, t += cost) {
		cmd[0] =
			le64_to_cpu(__atomic_load_n(&ent[0], __ATOMIC_RELAXED));
		cmd[1] =
			le64_to_cpu(__atomic_load_n(&ent[1], __ATOMIC_RELAXED));
		switch (kind) {
		case SIM_SMMU_CMD_CFGI:
			/* None before the driver set up its stream table */
			if (smmu->stec)
				sim_stec_cfgi(smmu->stec, cmd);
			break;
		case SIM_SMMU_CMD_TLBI:
			sim_smmu_tlbi_add(smmu, cmd);
			break;
		case SIM_SMMU_CMD_ATC_INV:
			sid = FIELD_GET(CMDQ_ATC_0_SID, cmd[0]);
			if (sid < smmu->num_sids && smmu->devs[sid])
				sim_smmu_atc_inv(smmu, q, smmu->devs[sid], cmd,
						 t);
			break;
		default:
			break;
		}
	}
}

/*
 * The effects of @n commands of kind @kind from @ent on, in slots that do not
 * wrap, the first starting at @t and each taking @cost: what a PLAIN command
 * does is take its time, and an ATC_INV to a SID without a device is
 * answered at once (the sync after it waits for nothing)
 */
static inline void sim_smmu_exec(struct sim_smmu *smmu,
				 struct sim_smmu_queue *q,
				 enum sim_smmu_cmd_kind kind, __le64 *ent,
				 u32 n, u64 t, u64 cost)
{
	if (kind != SIM_SMMU_CMD_PLAIN &&
	    (kind != SIM_SMMU_CMD_ATC_INV || smmu->has_devs))
		sim_smmu_exec_each(smmu, q, kind, ent, n, t, cost);
}

/*
 * The opcode of the command at @ent: CMDQ_0_OP is the low byte of a
 * little-endian word, its first byte in memory whatever the host's order
 */
static inline u8 sim_smmu_opcode(const __le64 *ent)
{
	return __atomic_load_n((const u8 *)ent, __ATOMIC_RELAXED);
}

/*
 * Where the run of @opcode that goes on at @p ends, at @lim at the latest:
 * the opcode bytes compared four slots a step, then one by one
 */
static __le64 *sim_smmu_run_end(__le64 *p, __le64 *lim, u8 opcode)
{
	const size_t step = 4 * CMDQ_ENT_DWORDS;
	size_t k;

	for (k = (lim - p) / step;
	     k && sim_smmu_opcode(p) == opcode &&
	     sim_smmu_opcode(p + CMDQ_ENT_DWORDS) == opcode &&
	     sim_smmu_opcode(p + 2 * CMDQ_ENT_DWORDS) == opcode &&
	     sim_smmu_opcode(p + 3 * CMDQ_ENT_DWORDS) == opcode;
	     k--)
		p += step;
	while (p < lim && sim_smmu_opcode(p) == opcode)
		p += CMDQ_ENT_DWORDS;
	return p;
}

/*
 * Execute what has completed by @now, in virtual time of its own: a command
 * starts when the one before it ends (busy_until), or when it arrives on an
 * idle SMMU, and its effects (CONS past it, the MSI of a CMD_SYNC) are seen
 * once it ends.  CONS is published once per call, and before any MSI.
 * @prod is PROD as the caller read it.  Returns when the next command ends
 * (SIM_DEV_NEVER: only a PROD write or an acknowledgement gives it work);
 * sets *@raise when an error must be signalled.
 *
 * The loop is the simulation's share of every invalidation the benchmarks
 * measure, so it consumes a run of commands of one opcode in one pass: the
 * opcode decoded once, the run found by comparing each slot's opcode byte,
 * cut where the queue wraps and where a command would end after @now (the
 * run's commands all take the same time), counted once.  A CMD_SYNC or an
 * illegal command is a run of one; so is every command while a trace or a
 * corruption must see each one (@one), with the same effects in the same
 * order and time.
 */
static u64 __sim_smmu_advance(struct sim_smmu *smmu, struct sim_smmu_queue *q,
			      u32 prod, bool *raise)
{
	u32 mask = q->mask, idx_mask = q->idx_mask;
	__le64 *base = q->ring;
	u32 head = q->head;
	u64 now = sim_clock_now_ns(), t, next = SIM_DEV_NEVER;
	bool one = smmu->trace || smmu->may_corrupt;
	u32 *msi = NULL;

	if (!sim_smmu_queue_enabled(smmu, q) || !base || q->stalled)
		return SIM_DEV_NEVER;
	if (smmu->plan)
		sim_fault_tick(smmu->plan, now, sim_smmu_fault_apply, smmu);

	prod &= mask;
	if (head == prod)
		return SIM_DEV_NEVER;
	/* Work arriving on an idle SMMU starts now */
	if (q->idle)
		q->busy_until = max(q->busy_until, now);
	q->idle = false;
	t = q->busy_until;

	while (head != prod) {
		__le64 *ent = &base[(head & idx_mask) * CMDQ_ENT_DWORDS], *p;
		u64 cmd[CMDQ_ENT_DWORDS], end, cost;
		enum sim_smmu_cmd_kind kind;
		u32 n = 1, room;
		u8 opcode;

		cmd[0] =
			le64_to_cpu(__atomic_load_n(&ent[0], __ATOMIC_RELAXED));
		opcode = FIELD_GET(CMDQ_0_OP, cmd[0]);
		cost = smmu->cost[opcode];
		end = t + cost;
		kind = smmu->kind[opcode];

		switch (kind) {
		case SIM_SMMU_CMD_SYNC:
			/* It waits for every ATC_INV before it */
			t = max3(t, q->batch_done, q->batch_fail);
			if (unlikely(q->batch_failed)) {
				if (t > now) {
					end = t;
					goto out;
				}
				return sim_smmu_sync_timeout(smmu, q, head, t,
							     raise);
			}
			end = t + cost;
			if (end > now)
				goto out;
			q->batch_done = q->batch_fail = 0;
			sim_smmu_tlbi_complete(smmu);
			if (smmu->stec)
				sim_stec_sync(smmu->stec);
			cmd[1] = le64_to_cpu(
				__atomic_load_n(&ent[1], __ATOMIC_RELAXED));
			if (FIELD_GET(CMDQ_SYNC_0_CS, cmd[0]) ==
			    CMDQ_SYNC_0_CS_IRQ)
				msi = sim_smmu_msi(smmu, base, idx_mask, cmd);
			break;
		case SIM_SMMU_CMD_ILLEGAL:
			if (end > now)
				goto out;
			return sim_smmu_stop_illegal(smmu, q, head, end, raise);
		default:
			if (end > now)
				goto out;
			if (unlikely(one)) {
				if (smmu->may_corrupt &&
				    sim_smmu_corrupted(smmu, t)) {
					sim_smmu_corrupt(smmu, ent, cmd, kind);
					return sim_smmu_stop_illegal(
						smmu, q, head, end, raise);
				}
			} else {
				/* The run: what fits before the wrap, PROD and @now */
				room = min(idx_mask + 1 - (head & idx_mask),
					   (prod - head) & mask);
				if (cost && t + (u64)room * cost > now)
					room = (now - t) / cost;
				p = sim_smmu_run_end(
					ent + CMDQ_ENT_DWORDS,
					ent + (size_t)room * CMDQ_ENT_DWORDS,
					opcode);
				n = (p - ent) / CMDQ_ENT_DWORDS;
			}
			sim_smmu_exec(smmu, q, kind, ent, n, t, cost);
			end = t + n * cost;
			break;
		}

		if (smmu->trace) {
			cmd[1] = le64_to_cpu(
				__atomic_load_n(&ent[1], __ATOMIC_RELAXED));
			smmu->trace(smmu->trace_arg, cmd);
		}
		sim_smmu_stat_add(&smmu->cmd_count[opcode], n);
		t = end;
		head = (head + n) & mask;
		/*
		 * The completion MSI after CONS: a driver that saw it takes
		 * CONS to be past the sync (arm_smmu_cmdq_poll_until_msi()),
		 * and a CONS read after that must not go back a slot, or the
		 * queue would look a lap emptier than it is.
		 */
		if (msi) {
			__atomic_store_n(&q->cons, head, __ATOMIC_RELEASE);
			__atomic_store_n(msi, 0, __ATOMIC_RELEASE);
			khooks_vcpu_written(msi);
			khooks_vcpu_written(NULL); /* CONS */
			msi = NULL;
		}
		continue;
out:
		next = end;
		break;
	}
	q->busy_until = t;
	q->idle = head == prod;
	if (head != q->head) {
		q->head = head;
		__atomic_store_n(&q->cons, head, __ATOMIC_RELEASE);
		khooks_vcpu_written(NULL); /* CONS */
	}
	return next;
}

/* Nothing queued: CONS has caught up with PROD (cheap, lock-free check) */
static bool sim_smmu_idle(struct sim_smmu_queue *q)
{
	u32 prod = __atomic_load_n(&q->prod, __ATOMIC_ACQUIRE);
	u32 cons = __atomic_load_n(&q->cons, __ATOMIC_ACQUIRE);

	return prod == (cons & ~CMDQ_CONS_ERR);
}

/*
 * The next event as of the last advance holds until then unless PROD moved
 * (or the state changed otherwise: sim_smmu_forget_wake()).  Written under
 * the lock, read without it: a stale pair only makes a poller skip an
 * advance that a later poll does.
 */
static void sim_smmu_forget_wake(struct sim_smmu_queue *q)
{
	__atomic_store_n(&q->wake_prod, SIM_SMMU_NO_PROD, __ATOMIC_RELEASE);
	sim_clock_kick();
}

static void sim_smmu_forget_wakes(struct sim_smmu *smmu)
{
	unsigned int i;

	for (i = 0; i < smmu->num_queues; i++)
		sim_smmu_forget_wake(&smmu->q[i]);
}

/* Nothing queued on any queue */
static bool sim_smmu_all_idle(struct sim_smmu *smmu)
{
	unsigned int i;

	if (!sim_smmu_idle(smmu->q))
		return false;
	for (i = 1; i < smmu->num_queues; i++)
		if (!sim_smmu_idle(&smmu->q[i]))
			return false;
	return true;
}

/*
 * Advance @q, under the SMMU's lock: its next event, recorded with the
 * PROD it was computed for (*@raise: an error to signal, nothing recorded)
 */
static inline u64 sim_smmu_advance_queue(struct sim_smmu *smmu,
					 struct sim_smmu_queue *q, bool *raise)
{
	u32 prod = __atomic_load_n(&q->prod, __ATOMIC_ACQUIRE);
	u64 wake = __sim_smmu_advance(smmu, q, prod, raise);

	if (*raise) {
		sim_smmu_forget_wake(q);
		return SIM_DEV_NEVER;
	}
	__atomic_store_n(&q->wake, wake, __ATOMIC_RELAXED);
	__atomic_store_n(&q->wake_prod, prod, __ATOMIC_RELEASE);
	return wake;
}

/* Every queue of several advanced, under the lock: the earliest next event */
static noinline u64 sim_smmu_advance_queues(struct sim_smmu *smmu, bool *raise)
{
	u64 next = SIM_DEV_NEVER;
	bool q_raise;
	unsigned int i;

	for (i = 0; i < smmu->num_queues; i++) {
		q_raise = false;
		next = min(next,
			   sim_smmu_advance_queue(smmu, &smmu->q[i], &q_raise));
		*raise |= q_raise;
	}
	return next;
}

/*
 * One consumer at a time; the interrupt runs with the lock dropped.  Every
 * queue is advanced; returns the earliest next event.
 */
static noinline u64 sim_smmu_run_locked(struct sim_smmu *smmu)
{
	bool raise;
	u64 next;

	if (sim_smmu_all_idle(smmu))
		return SIM_DEV_NEVER;
	do {
		raise = false;
		if (!spin_trylock(&smmu->lock))
			return sim_clock_now_ns(); /* another thread advances */
		/* One queue, the common case, without the loop */
		if (likely(smmu->num_queues == 1))
			next = sim_smmu_advance_queue(smmu, smmu->q, &raise);
		else
			next = sim_smmu_advance_queues(smmu, &raise);
		spin_unlock(&smmu->lock);
		if (raise)
			sim_irq_raise(smmu->irq);
	} while (raise);
	return next;
}

/* sim_smmu_run() with several queues: each one's last event, or advance */
static noinline u64 sim_smmu_run_queues(struct sim_smmu *smmu)
{
	u64 next = SIM_DEV_NEVER, now = 0;
	unsigned int i;

	for (i = 0; i < smmu->num_queues; i++) {
		struct sim_smmu_queue *q = &smmu->q[i];
		u32 prod = __atomic_load_n(&q->prod, __ATOMIC_ACQUIRE);
		u64 wake;

		if (__atomic_load_n(&q->wake_prod, __ATOMIC_ACQUIRE) != prod)
			return sim_smmu_run_locked(smmu);
		wake = __atomic_load_n(&q->wake, __ATOMIC_RELAXED);
		/* Idle until PROD moves: no clock to read */
		if (wake == SIM_DEV_NEVER)
			continue;
		if (!now)
			now = sim_clock_now_ns();
		if (wake <= now)
			return sim_smmu_run_locked(smmu);
		next = min(next, wake);
	}
	return next;
}

/* Advance unless nothing can have happened since the last time */
static u64 sim_smmu_run(struct sim_smmu *smmu)
{
	struct sim_smmu_queue *q = smmu->q;
	u32 prod;

	if (unlikely(smmu->num_queues > 1))
		return sim_smmu_run_queues(smmu);
	prod = __atomic_load_n(&q->prod, __ATOMIC_ACQUIRE);
	if (__atomic_load_n(&q->wake_prod, __ATOMIC_ACQUIRE) == prod) {
		u64 wake = __atomic_load_n(&q->wake, __ATOMIC_RELAXED);

		/* Idle until PROD moves: no clock to read */
		if (wake == SIM_DEV_NEVER || wake > sim_clock_now_ns())
			return wake;
	}
	return sim_smmu_run_locked(smmu);
}

void sim_smmu_stall_for(struct sim_smmu *smmu, u64 ns)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&smmu->lock, flags);
	for (i = 0; i < smmu->num_queues; i++) {
		struct sim_smmu_queue *q = &smmu->q[i];

		q->busy_until = max(q->busy_until, sim_clock_now_ns() + ns);
	}
	sim_smmu_forget_wakes(smmu);
	spin_unlock_irqrestore(&smmu->lock, flags);
}

void sim_smmu_advance(struct sim_smmu *smmu)
{
	if (!smmu->cfg.threaded)
		sim_smmu_run(smmu);
}

static u64 sim_smmu_poll(void *arg)
{
	return sim_smmu_run(arg);
}

static void sim_smmu_kick(struct sim_smmu *smmu)
{
	/*
	 * Inline, the clock's pollers are kicked after the run (which
	 * publishes what it did), and only when it leaves something to do:
	 * its next event may then come sooner.  A thread of its own polls
	 * nothing (and the kick's shared counter stays off the mappers' path).
	 */
	if (!smmu->cfg.threaded) {
		/* PROD moved: sim_smmu_run()'s test of the last event fails */
		if (sim_smmu_run_locked(smmu) != SIM_DEV_NEVER)
			sim_clock_kick();
		return;
	}
	pthread_mutex_lock(&smmu->wait_lock);
	smmu->kick = true;
	pthread_cond_signal(&smmu->wait_cond);
	pthread_mutex_unlock(&smmu->wait_lock);
}

static void *sim_smmu_thread(void *arg)
{
	struct sim_smmu *smmu = arg;

	pthread_mutex_lock(&smmu->wait_lock);
	while (!smmu->stop) {
		u64 wake;

		smmu->kick = false;
		pthread_mutex_unlock(&smmu->wait_lock);
		wake = sim_smmu_run(smmu);
		pthread_mutex_lock(&smmu->wait_lock);
		if (smmu->kick || smmu->stop)
			continue;
		if (wake == SIM_DEV_NEVER) {
			pthread_cond_wait(&smmu->wait_cond, &smmu->wait_lock);
		} else if (wake > sim_clock_now_ns()) {
			/* sim_clock's real sources share CLOCK_MONOTONIC's origin */
			struct timespec ts;
			u64 now_mono, delta = wake - sim_clock_now_ns();

			clock_gettime(CLOCK_MONOTONIC, &ts);
			now_mono = (u64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec +
				   delta;
			ts.tv_sec = now_mono / NSEC_PER_SEC;
			ts.tv_nsec = now_mono % NSEC_PER_SEC;
			pthread_cond_timedwait(&smmu->wait_cond,
					       &smmu->wait_lock, &ts);
		}
	}
	pthread_mutex_unlock(&smmu->wait_lock);
	return NULL;
}

/*
 * The queue whose registers @offset is in, @offset made the register's as
 * queue 0 has it (CMDQ_BASE, _PROD, _CONS, GERROR, GERRORN), or
 * ARM_SMMU_MQ_CONFIG; NULL: not a queue's
 */
static struct sim_smmu_queue *sim_smmu_reg_queue(struct sim_smmu *smmu,
						 size_t *offset)
{
	static const size_t reg[ARM_SMMU_MQ_SZ] = {
		[ARM_SMMU_MQ_CONS] = ARM_SMMU_CMDQ_CONS,
		[ARM_SMMU_MQ_PROD] = ARM_SMMU_CMDQ_PROD,
		[ARM_SMMU_MQ_GERROR] = ARM_SMMU_GERROR,
		[ARM_SMMU_MQ_GERRORN] = ARM_SMMU_GERRORN,
		[ARM_SMMU_MQ_BASE] = ARM_SMMU_CMDQ_BASE,
		[ARM_SMMU_MQ_CONFIG] = ARM_SMMU_MQ_CONFIG,
	};
	size_t n, off = *offset;

	if (off < ARM_SMMU_REG_SZ) {
		switch (off) {
		case ARM_SMMU_CMDQ_BASE:
		case ARM_SMMU_CMDQ_PROD:
		case ARM_SMMU_CMDQ_CONS:
		case ARM_SMMU_GERROR:
		case ARM_SMMU_GERRORN:
			return &smmu->q[0];
		default:
			return NULL;
		}
	}
	n = (off - ARM_SMMU_REG_SZ) / ARM_SMMU_MQ_SZ + 1;
	off = (off - ARM_SMMU_REG_SZ) % ARM_SMMU_MQ_SZ;
	if (n >= smmu->num_queues || !reg[off])
		return NULL;
	*offset = reg[off];
	return &smmu->q[n];
}

static u64 sim_smmu_read(void *opaque, size_t offset, unsigned int width)
{
	struct sim_smmu *smmu = opaque;
	struct sim_smmu_queue *q = smmu->q;

	/* The hot one first: the SMMU's CONS */
	if (offset != ARM_SMMU_CMDQ_CONS)
		q = sim_smmu_reg_queue(smmu, &offset);
	if (!q) {
		switch (offset) {
		case ARM_SMMU_IDR0:
			return smmu->idr0;
		case ARM_SMMU_IDR1:
			return smmu->idr1;
		case ARM_SMMU_IDR3:
			return smmu->idr3;
		case ARM_SMMU_CR0:
			return __atomic_load_n(&smmu->cr0, __ATOMIC_ACQUIRE);
		default:
			return 0;
		}
	}
	switch (offset) {
	case ARM_SMMU_GERROR:
		return __atomic_load_n(&q->gerror, __ATOMIC_ACQUIRE);
	case ARM_SMMU_GERRORN:
		return __atomic_load_n(&q->gerrorn, __ATOMIC_ACQUIRE);
	case ARM_SMMU_CMDQ_BASE:
		return __atomic_load_n(&q->base, __ATOMIC_ACQUIRE);
	case ARM_SMMU_CMDQ_PROD:
		return __atomic_load_n(&q->prod, __ATOMIC_ACQUIRE);
	case ARM_SMMU_CMDQ_CONS:
		sim_smmu_advance(smmu);
		return __atomic_load_n(&q->cons, __ATOMIC_ACQUIRE);
	case ARM_SMMU_MQ_CONFIG:
		return __atomic_load_n(&q->config, __ATOMIC_ACQUIRE);
	default:
		return 0;
	}
}

/* @q's PROD written: the SMMU has work */
static inline void sim_smmu_write_prod(struct sim_smmu *smmu,
				       struct sim_smmu_queue *q, u32 val)
{
	__atomic_store_n(&q->prod, val, __ATOMIC_RELEASE);
	sim_smmu_kick(smmu);
}

/* Every register but the SMMU's own PROD (sim_smmu_write()'s hot one) */
static noinline void sim_smmu_write_reg(struct sim_smmu *smmu, size_t offset,
					u64 val)
{
	struct sim_smmu_queue *q = sim_smmu_reg_queue(smmu, &offset);
	unsigned long flags;

	if (q && offset == ARM_SMMU_CMDQ_PROD) {
		sim_smmu_write_prod(smmu, q, val);
		return;
	}

	spin_lock_irqsave(&smmu->lock, flags);
	if (!q) {
		sim_smmu_forget_wakes(smmu);
		if (offset == ARM_SMMU_CR0)
			__atomic_store_n(&smmu->cr0, (u32)val,
					 __ATOMIC_RELEASE);
		spin_unlock_irqrestore(&smmu->lock, flags);
		return;
	}
	sim_smmu_forget_wake(q);
	switch (offset) {
	case ARM_SMMU_GERRORN:
		__atomic_store_n(&q->gerrorn, (u32)val, __ATOMIC_RELEASE);
		if (q->stalled && !((q->gerror ^ (u32)val) & GERROR_CMDQ_ERR)) {
			q->stalled = false;
			/* The repeated command starts at the acknowledgement */
			q->busy_until = max(q->busy_until, sim_clock_now_ns());
		}
		spin_unlock_irqrestore(&smmu->lock, flags);
		if (smmu->cfg.threaded)
			sim_smmu_kick(smmu);
		return;
	case ARM_SMMU_CMDQ_BASE:
		__atomic_store_n(&q->base, val, __ATOMIC_RELEASE);
		q->ring = (__le64 *)(uintptr_t)(val & Q_BASE_ADDR_MASK);
		q->idx_mask = (1U << FIELD_GET(Q_BASE_LOG2SIZE, val)) - 1;
		q->mask = (q->idx_mask << 1) | 1;
		break;
	case ARM_SMMU_CMDQ_CONS:
		q->head = (u32)val & ~CMDQ_CONS_ERR;
		__atomic_store_n(&q->cons, (u32)val, __ATOMIC_RELEASE);
		break;
	case ARM_SMMU_MQ_CONFIG:
		__atomic_store_n(&q->config, (u32)val, __ATOMIC_RELEASE);
		break;
	default:
		break;
	}
	spin_unlock_irqrestore(&smmu->lock, flags);
}

static void sim_smmu_write(void *opaque, size_t offset, u64 val,
			   unsigned int width)
{
	struct sim_smmu *smmu = opaque;

	if (offset == ARM_SMMU_CMDQ_PROD)
		sim_smmu_write_prod(smmu, smmu->q, val);
	else
		sim_smmu_write_reg(smmu, offset, val);
}

static const struct sim_mmio_ops sim_smmu_mmio_ops = {
	.read = sim_smmu_read,
	.write = sim_smmu_write,
};

static void sim_smmu_init_costs(struct sim_smmu *smmu)
{
	unsigned int op;

	for (op = 0; op < ARRAY_SIZE(smmu->kind); op++) {
		if (op == CMDQ_OP_ATC_INV) {
			smmu->kind[op] = SIM_SMMU_CMD_ATC_INV;
			smmu->cost[op] = smmu->cfg.lat.atc_inv_ns;
		} else if (op == CMDQ_OP_CMD_SYNC) {
			smmu->kind[op] = SIM_SMMU_CMD_SYNC;
			smmu->cost[op] = smmu->cfg.lat.sync_ns;
		} else if (smmu->cfg.tlb_pages && sim_tlb_is_tlbi(op)) {
			smmu->kind[op] = SIM_SMMU_CMD_TLBI;
			smmu->cost[op] = smmu->cfg.lat.cmd_ns;
		} else if (sim_stec_is_cfgi(op)) {
			smmu->kind[op] = SIM_SMMU_CMD_CFGI;
			smmu->cost[op] = smmu->cfg.lat.cmd_ns;
		} else if (sim_cmd_name(op)) {
			smmu->kind[op] = SIM_SMMU_CMD_PLAIN;
			smmu->cost[op] = smmu->cfg.lat.cmd_ns;
		} else {
			smmu->kind[op] = SIM_SMMU_CMD_ILLEGAL;
			smmu->cost[op] = smmu->cfg.lat.cmd_ns;
		}
	}
}

int sim_smmu_create(const struct sim_smmu_config *cfg, unsigned int num_sids,
		    struct sim_smmu **out)
{
	struct sim_smmu *smmu;
	pthread_condattr_t attr;
	unsigned int i;
	int ret;

	if (cfg->cmdq_shift < SIM_SMMU_CMDQ_SHIFT_MIN ||
	    cfg->cmdq_shift > SIM_SMMU_CMDQ_SHIFT_MAX || !num_sids ||
	    num_sids > SIM_SMMU_MAX_SIDS ||
	    cfg->lat.cmd_ns > SIM_SMMU_MAX_LATENCY_NS ||
	    cfg->lat.atc_inv_ns > SIM_SMMU_MAX_LATENCY_NS ||
	    cfg->lat.sync_ns > SIM_SMMU_MAX_LATENCY_NS ||
	    cfg->atc_timeout_ns > SIM_SMMU_MAX_LATENCY_NS ||
	    cfg->num_queues > ARM_SMMU_MQ_MAX)
		return -EINVAL;
	if (cfg->threaded && sim_clock_source() == SIM_CLOCK_VIRTUAL)
		return -EINVAL;
	if (cfg->tlb_pages > SIM_TLB_MAX_PAGES ||
	    (cfg->tlb_pages && cfg->num_queues))
		return -EINVAL;

	smmu = calloc(1, sizeof(*smmu) +
				 (cfg->num_queues + 1) * sizeof(smmu->q[0]));
	if (!smmu)
		return -ENOMEM;
	smmu->cfg = *cfg;
	sim_smmu_init_costs(smmu);
	smmu->num_queues = cfg->num_queues + 1;
	for (i = 0; i < smmu->num_queues; i++) {
		smmu->q[i].idle = true;
		smmu->q[i].wake_prod = SIM_SMMU_NO_PROD;
		/* No illegal command yet */
		smmu->q[i].ill_head = SIM_SMMU_NO_PROD;
	}
	if (!smmu->cfg.atc_timeout_ns)
		smmu->cfg.atc_timeout_ns = SIM_SMMU_ATC_TIMEOUT_DEFAULT_NS;
	smmu->num_sids = num_sids;
	smmu->devs = calloc(num_sids, sizeof(*smmu->devs));
	smmu->irq = sim_irq_alloc();
	if (!smmu->devs || smmu->irq < 0) {
		ret = smmu->devs ? smmu->irq : -ENOMEM;
		goto err_free;
	}
	if (cfg->tlb_pages) {
		ret = sim_tlb_create(cfg->tlb_pages, &smmu->tlb);
		if (ret)
			goto err_free;
		/* Between two syncs: at most a queue's worth */
		smmu->max_tlbi = 1U << cfg->cmdq_shift;
		smmu->tlbi = calloc(smmu->max_tlbi, sizeof(*smmu->tlbi));
		if (!smmu->tlbi) {
			ret = -ENOMEM;
			goto err_free;
		}
	}

	smmu->idr0 = IDR0_COHACC;
	if (cfg->ats)
		smmu->idr0 |= IDR0_ATS;
	if (cfg->msi)
		smmu->idr0 |= IDR0_MSI;
	if (cfg->sev)
		smmu->idr0 |= IDR0_SEV;
	smmu->idr1 = FIELD_PREP(IDR1_CMDQS, cfg->cmdq_shift);
	smmu->idr3 = cfg->range_inv ? IDR3_RIL : 0;
	spin_lock_init(&smmu->lock);

	ret = sim_mmio_register(smmu->window, ARM_SMMU_MQ(cfg->num_queues),
				&sim_smmu_mmio_ops, smmu);
	if (ret)
		goto err_free;

	if (cfg->threaded) {
		pthread_mutex_init(&smmu->wait_lock, NULL);
		pthread_condattr_init(&attr);
		pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
		pthread_cond_init(&smmu->wait_cond, &attr);
		pthread_condattr_destroy(&attr);
		ret = -pthread_create(&smmu->thread, NULL, sim_smmu_thread,
				      smmu);
	} else {
		ret = sim_clock_add_poller(sim_smmu_poll, smmu);
	}
	if (ret) {
		sim_mmio_unregister(smmu->window);
		goto err_free;
	}
	*out = smmu;
	return 0;

err_free:
	if (smmu->irq > 0)
		sim_irq_release(smmu->irq);
	sim_tlb_destroy(smmu->tlb);
	free(smmu->tlbi);
	free(smmu->devs);
	free(smmu);
	return ret;
}

void sim_smmu_destroy(struct sim_smmu *smmu)
{
	if (!smmu)
		return;
	if (smmu->cfg.threaded) {
		pthread_mutex_lock(&smmu->wait_lock);
		smmu->stop = true;
		pthread_cond_signal(&smmu->wait_cond);
		pthread_mutex_unlock(&smmu->wait_lock);
		pthread_join(smmu->thread, NULL);
		pthread_cond_destroy(&smmu->wait_cond);
		pthread_mutex_destroy(&smmu->wait_lock);
	} else {
		sim_clock_del_poller(sim_smmu_poll, smmu);
	}
	sim_mmio_unregister(smmu->window);
	sim_irq_release(smmu->irq);
	sim_stec_destroy(smmu->stec);
	sim_tlb_destroy(smmu->tlb);
	free(smmu->tlbi);
	free(smmu->devs);
	free(smmu);
}

void __iomem *sim_smmu_base(struct sim_smmu *smmu)
{
	return smmu->window;
}

int sim_smmu_irq(struct sim_smmu *smmu)
{
	return smmu->irq;
}

void sim_smmu_set_trace(struct sim_smmu *smmu, sim_smmu_trace_fn fn, void *arg)
{
	unsigned long flags;

	spin_lock_irqsave(&smmu->lock, flags);
	smmu->trace = fn;
	smmu->trace_arg = arg;
	spin_unlock_irqrestore(&smmu->lock, flags);
}

int sim_smmu_add_dev(struct sim_smmu *smmu, struct sim_dev *dev)
{
	unsigned long flags;

	if (dev->sid >= smmu->num_sids)
		return -ERANGE;
	spin_lock_irqsave(&smmu->lock, flags);
	smmu->devs[dev->sid] = dev;
	smmu->has_devs = true;
	spin_unlock_irqrestore(&smmu->lock, flags);
	return 0;
}

struct sim_tlb *sim_smmu_tlb(struct sim_smmu *smmu)
{
	return smmu->tlb;
}

int sim_smmu_set_strtab(struct sim_smmu *smmu,
			const struct arm_smmu_ste *strtab,
			unsigned int num_sids)
{
	struct sim_stec *stec = NULL, *old;
	unsigned long flags;
	int ret;

	ret = sim_stec_create(strtab, num_sids, smmu->cfg.seed, &stec);
	if (ret)
		return ret;
	spin_lock_irqsave(&smmu->lock, flags);
	old = smmu->stec;
	smmu->stec = stec;
	spin_unlock_irqrestore(&smmu->lock, flags);
	sim_stec_destroy(old);
	return 0;
}

u64 sim_smmu_ste(struct sim_smmu *smmu, u32 sid, u64 *ste)
{
	if (smmu->stec)
		return sim_stec_get(smmu->stec, sid, ste);
	memset(ste, 0, STRTAB_STE_DWORDS * sizeof(*ste));
	return 0;
}

u64 sim_smmu_ste_gen(struct sim_smmu *smmu, u32 sid)
{
	return smmu->stec ? sim_stec_gen(smmu->stec, sid) : 0;
}

u64 sim_smmu_ste_translate(struct sim_smmu *smmu, u32 sid, u64 *ste)
{
	if (smmu->stec)
		return sim_stec_translate(smmu->stec, sid, ste);
	memset(ste, 0, STRTAB_STE_DWORDS * sizeof(*ste));
	return 0;
}

void sim_smmu_set_ste_judge(struct sim_smmu *smmu, sim_stec_judge_fn fn,
			    void *arg)
{
	if (smmu->stec)
		sim_stec_set_judge(smmu->stec, fn, arg);
}

bool sim_smmu_torn_ste(struct sim_smmu *smmu, struct sim_stec_torn *first)
{
	struct sim_stec_stats st;

	if (!smmu->stec)
		return false;
	sim_stec_stats(smmu->stec, &st, first);
	return st.torn;
}

void sim_smmu_set_refetch(struct sim_smmu *smmu, sim_smmu_refetch_fn fn,
			  void *arg)
{
	unsigned long flags;

	spin_lock_irqsave(&smmu->lock, flags);
	smmu->refetch = fn;
	smmu->refetch_arg = arg;
	spin_unlock_irqrestore(&smmu->lock, flags);
}

void sim_smmu_set_fault_plan(struct sim_smmu *smmu, struct sim_fault_plan *plan)
{
	unsigned long flags;

	spin_lock_irqsave(&smmu->lock, flags);
	smmu->plan = plan;
	sim_smmu_may_corrupt_update(smmu);
	spin_unlock_irqrestore(&smmu->lock, flags);
}

void sim_smmu_inject_illegal(struct sim_smmu *smmu)
{
	unsigned long flags;

	spin_lock_irqsave(&smmu->lock, flags);
	smmu->ill_next = true;
	sim_smmu_may_corrupt_update(smmu);
	spin_unlock_irqrestore(&smmu->lock, flags);
}

u64 sim_smmu_cmd_count(struct sim_smmu *smmu, u8 opcode)
{
	return __atomic_load_n(&smmu->cmd_count[opcode], __ATOMIC_RELAXED);
}

void sim_smmu_stats(struct sim_smmu *smmu, struct sim_smmu_stats *st)
{
	unsigned int op;

	/* Counted once per command, by opcode */
	st->cmds = 0;
	for (op = 0; op < ARRAY_SIZE(smmu->cmd_count); op++)
		st->cmds += sim_smmu_cmd_count(smmu, op);
	st->syncs = sim_smmu_cmd_count(smmu, CMDQ_OP_CMD_SYNC);
	st->atc_invs = sim_smmu_cmd_count(smmu, CMDQ_OP_ATC_INV);
	st->atc_timeouts =
		__atomic_load_n(&smmu->stats.atc_timeouts, __ATOMIC_RELAXED);
	st->errors = __atomic_load_n(&smmu->stats.errors, __ATOMIC_RELAXED);
	st->illegal = __atomic_load_n(&smmu->stats.illegal, __ATOMIC_RELAXED);
	st->illegal_injected = __atomic_load_n(&smmu->stats.illegal_injected,
					       __ATOMIC_RELAXED);
	st->illegal_storms =
		__atomic_load_n(&smmu->stats.illegal_storms, __ATOMIC_RELAXED);
	st->bad_msis = __atomic_load_n(&smmu->stats.bad_msis, __ATOMIC_RELAXED);
	st->ste_fetches = st->torn_stes = 0;
	if (smmu->stec) {
		struct sim_stec_stats c;

		sim_stec_stats(smmu->stec, &c, NULL);
		st->ste_fetches = c.fetches;
		st->torn_stes = c.torn;
	}
}

int sim_smmu_probe(const struct sim_smmu_config *cfg, unsigned int num_sids,
		   struct arm_smmu_device *smmu, struct sim_smmu **hw)
{
	int ret;

	ret = sim_smmu_create(cfg, num_sids, hw);
	if (ret)
		return ret;

	smmu->base = sim_smmu_base(*hw);
	smmu->gerr_irq = sim_smmu_irq(*hw);
	ret = arm_smmu_device_init(smmu, num_sids);
	if (!ret) {
		/* What the driver wrote to STRTAB_BASE */
		ret = sim_smmu_set_strtab(*hw, smmu->strtab, num_sids);
		if (ret)
			arm_smmu_device_free(smmu);
	}
	if (ret) {
		sim_smmu_destroy(*hw);
		*hw = NULL;
	}
	return ret;
}

void sim_smmu_remove(struct arm_smmu_device *smmu, struct sim_smmu *hw)
{
	arm_smmu_device_free(smmu);
	sim_smmu_destroy(hw);
}
