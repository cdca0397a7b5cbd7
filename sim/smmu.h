/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_smmu: the hardware side of a simulated SMMUv3.
 *
 * It owns a register window (mapped through sim_mmio) that the kernel-form
 * driver reads and writes with readl()/writel(), and consumes the command
 * queue from CONS up to PROD:
 *  - each command takes the time of its class (struct sim_smmu_latency);
 *  - an ATC_INV goes to the device of its SID (sim_dev, possibly overruled
 *    by the fault plan); the SMMU goes on with the next command;
 *  - a CMD_SYNC completes only once every earlier ATC_INV is answered, by
 *    zeroing its own first word (MSI) or by moving CONS past it;
 *  - when a device does not answer within atc_timeout_ns, the CMD_SYNC that
 *    follows reports it: CONS points at the sync with CONS.ERR = ATC_INV,
 *    GERROR.CMDQ_ERR toggles, the queue stalls and the GERROR interrupt is
 *    raised; once the driver acknowledges (GERRORN) the sync is repeated
 *    and completes;
 *  - an opcode it does not know stalls the queue with CONS.ERR = ILL;
 *  - it caches STEs (sim/stec.h): a CFGI drops the STEs it covers when a
 *    later CMD_SYNC completes, and each CFGI's step is checked for an STE
 *    that could be fetched torn;
 *  - with cfg.num_queues, more command queues (variants/cmdq-multi.h: the
 *    registers at ARM_SMMU_MQ(n), each with its own GERROR pair and
 *    CONFIG.EN), each consumed in order by an engine of its own, in time
 *    of its own, as if the SMMU had one per queue: a CMD_SYNC that waits
 *    for an ATC_INV holds up its own queue only.  A queue's error stalls
 *    that queue and raises the GERROR interrupt.  It is a timing model:
 *    the queues are advanced one after another, not in time order across
 *    them, so a CMD_SYNC may complete another queue's CFGIs that are later
 *    in time; with a TLB (which the oracle judges) it is refused;
 *  - with a TLB (sim/tlb.h), a TLBI takes effect when a later CMD_SYNC
 *    completes, the latest the architecture allows: an ATC_INV between
 *    them leaves the TLB as it was, and a device that asks for the
 *    translation again (the refetch hook) gets what the TLB still holds.
 *
 * Time (see sim/clock.h): in inline mode the SMMU has no thread; it is
 * advanced when PROD is written, when CONS is read and whenever the kernel
 * reads the clock (a clock poller).  In threaded mode a thread of its own
 * advances it, sleeping until PROD changes or its next deadline.
 *
 * Synchronisation: registers are __atomic variables.  PROD is read with
 * acquire semantics before the queue memory (pairs with the driver's
 * dma_wmb() before its PROD write; the driver writes queue memory with
 * WRITE_ONCE() and the SMMU reads it with atomic loads).  CONS and the MSI
 * word are stored with release semantics after the command's effects (pairs
 * with the driver's readl() of CONS and its poll of the MSI word).  The
 * consumer state (the pending TLBIs too) is under the SMMU's lock; the
 * interrupt is raised with the lock dropped, so the handler can access the
 * registers.  Lock order: the SMMU's, a device's ATC lock (a drop, a
 * refetch), the TLB's.
 */
#ifndef SIM_SMMU_H
#define SIM_SMMU_H

#include <linux/types.h>

#include "dev.h"
#include "fault.h"

#define SIM_SMMU_CMDQ_SHIFT_MIN 7 /* above ilog2(CMDQ_BATCH_ENTRIES) */
#define SIM_SMMU_CMDQ_SHIFT_MAX 16 /* CMDQ_MAX_SZ_SHIFT */
#define SIM_SMMU_MAX_SIDS (1u << 20)
#define SIM_SMMU_MAX_LATENCY_NS (1000ULL * 1000000000ULL) /* 1000 s */
/* A 50 ms hardware ATC timeout, scaled down 250 times */
#define SIM_SMMU_ATC_TIMEOUT_DEFAULT_NS (200 * 1000)

struct sim_smmu;
struct sim_tlb;
struct arm_smmu_device;

/* Time each class of command occupies the SMMU */
struct sim_smmu_latency {
	u64 cmd_ns; /* TLBI, CFGI and the other commands */
	u64 atc_inv_ns; /* sending an ATC_INV to its device */
	u64 sync_ns; /* completing a CMD_SYNC */
};

/**
 * struct sim_smmu_config - the simulated SMMU
 * @ats: IDR0.ATS
 * @range_inv: IDR3.RIL (range TLBI)
 * @msi: IDR0.MSI and coherent access: CMD_SYNC completes by MSI
 * @sev: IDR0.SEV
 * @threaded: a consumer thread of its own (else advanced inline)
 * @cmdq_shift: log2 of the command queue depth (IDR1.CMDQS)
 * @lat: command latencies
 * @atc_timeout_ns: the hardware ATC invalidation completion timeout (0:
 *                  SIM_SMMU_ATC_TIMEOUT_DEFAULT_NS)
 * @tlb_pages: a TLB of this many 4 KiB pages from address 0 (0: none)
 * @num_queues: command queues besides the SMMU's own (0..ARM_SMMU_MQ_MAX)
 * @seed: the SMMU's own choices (which STEs its cache fetches when)
 */
struct sim_smmu_config {
	bool ats;
	bool range_inv;
	bool msi;
	bool sev;
	bool threaded;
	unsigned int cmdq_shift;
	struct sim_smmu_latency lat;
	u64 atc_timeout_ns;
	unsigned int tlb_pages;
	unsigned int num_queues;
	u64 seed;
};

/* Called for each command the SMMU executes, in queue order */
typedef void (*sim_smmu_trace_fn)(void *arg, const u64 *cmd);

struct sim_smmu_stats {
	u64 cmds; /* commands executed */
	u64 syncs; /* CMD_SYNCs completed */
	u64 atc_invs; /* ATC_INVs sent to devices */
	u64 atc_timeouts; /* CMD_SYNCs that reported an ATC timeout */
	u64 errors; /* CMDQ errors of any kind */
	u64 illegal; /* illegal commands met (a repeat at one slot: once) */
	u64 illegal_injected; /* commands read corrupted, on purpose */
	u64 illegal_storms; /* illegal commands the driver left in place */
	u64 bad_msis; /* CMD_SYNC completions aimed outside the queue */
	u64 ste_fetches; /* STEs its cache read from the stream table */
	u64 torn_stes; /* CFGIs of an update that could be fetched torn */
};

int sim_smmu_create(const struct sim_smmu_config *cfg, unsigned int num_sids,
		    struct sim_smmu **out);
void sim_smmu_destroy(struct sim_smmu *smmu);
void __iomem *sim_smmu_base(struct sim_smmu *smmu);
int sim_smmu_irq(struct sim_smmu *smmu);
void sim_smmu_set_trace(struct sim_smmu *smmu, sim_smmu_trace_fn fn, void *arg);
/* The SMMU consumes no command for the next @ns (a stalled SMMU) */
void sim_smmu_stall_for(struct sim_smmu *smmu, u64 ns);
/*
 * The next command other than a CMD_SYNC that the SMMU consumes is read
 * corrupted: an illegal opcode, written into its slot, CERROR_ILL (and the
 * fault plan's "illegal" rules, sim/fault.h).  The effect of the command the
 * fault took is applied (the oracle's excuse); the driver must replace the
 * slot, or SIM_SMMU_ILL_STORM errors at that slot stall the SMMU for good.
 */
void sim_smmu_inject_illegal(struct sim_smmu *smmu);
/* Put @dev behind the SMMU at its SID (the SIDs of no device answer at once) */
int sim_smmu_add_dev(struct sim_smmu *smmu, struct sim_dev *dev);
/* The TLB of cfg.tlb_pages, or NULL */
struct sim_tlb *sim_smmu_tlb(struct sim_smmu *smmu);
/*
 * The stream table the driver set up (STRTAB_BASE): @num_sids STEs at
 * @strtab, which the SMMU caches (sim/stec.h; sim_smmu_probe() sets it)
 */
int sim_smmu_set_strtab(struct sim_smmu *smmu,
			const struct arm_smmu_ste *strtab,
			unsigned int num_sids);
/*
 * The STE the SMMU uses for @sid now, its words into @ste: the cached one
 * (fetched if not cached); before sim_smmu_set_strtab(), zeros.  Returns
 * its generation in the STE cache (sim_stec_get(); 0: not cached)
 */
u64 sim_smmu_ste(struct sim_smmu *smmu, u32 sid, u64 *ste);
/*
 * The generation of @sid's STE in the cache now (sim_stec_gen()): while it
 * is the one sim_smmu_ste() returned, another call would return the same
 * STE and change nothing
 */
u64 sim_smmu_ste_gen(struct sim_smmu *smmu, u32 sid);
/*
 * The same for a translation request: the SMMU may evict and refetch it
 * (its generation returned the same way)
 */
u64 sim_smmu_ste_translate(struct sim_smmu *smmu, u32 sid, u64 *ste);
struct sim_stec_torn;
typedef bool (*sim_stec_judge_fn)(void *arg, u32 sid, const u64 *ste);
/* Judge the STEs its cache could fetch with @fn too (sim_stec_set_judge()) */
void sim_smmu_set_ste_judge(struct sim_smmu *smmu, sim_stec_judge_fn fn,
			    void *arg);
/* Whether a torn STE could be fetched; the first into @first */
bool sim_smmu_torn_ste(struct sim_smmu *smmu, struct sim_stec_torn *first);
/*
 * A device whose ATC_INV was answered asks again for each translation it
 * lost (a device still using those pages): @fn makes its translation
 * requests for the @num pages of @pages, in their order, called with the
 * SMMU's lock held (NULL: devices ask for nothing)
 */
typedef void (*sim_smmu_refetch_fn)(void *arg, struct sim_dev *dev,
				    const unsigned int *pages,
				    unsigned int num);
void sim_smmu_set_refetch(struct sim_smmu *smmu, sim_smmu_refetch_fn fn,
			  void *arg);
/* Let @plan decide ATC_INV answers and device states (NULL: none) */
void sim_smmu_set_fault_plan(struct sim_smmu *smmu,
			     struct sim_fault_plan *plan);
/* Commands executed so far with @opcode (0x00..0xff) */
u64 sim_smmu_cmd_count(struct sim_smmu *smmu, u8 opcode);
void sim_smmu_stats(struct sim_smmu *smmu, struct sim_smmu_stats *st);
/* Advance now (what a poller does); for tests and drivers of virtual time */
void sim_smmu_advance(struct sim_smmu *smmu);

/*
 * Create the hardware of @cfg and bring the kernel-form driver up on it:
 * @smmu (zeroed by the caller, except for impl_ops) is probed with a linear
 * stream table of @num_sids entries and the SMMU's GERROR interrupt.
 * sim_smmu_remove() undoes both.
 */
int sim_smmu_probe(const struct sim_smmu_config *cfg, unsigned int num_sids,
		   struct arm_smmu_device *smmu, struct sim_smmu **hw);
void sim_smmu_remove(struct arm_smmu_device *smmu, struct sim_smmu *hw);

#endif /* SIM_SMMU_H */
