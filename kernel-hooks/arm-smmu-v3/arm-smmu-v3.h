/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IOMMU API for ARM architected SMMUv3 implementations: the subset of
 * drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h that the ATC invalidation hot
 * path needs, with the kernel's names and layouts.  Written for atcbench from
 * the public semantics of the driver; UPSTREAM.md in this folder
 * maps each part to the upstream code it models.
 */
#ifndef _ARM_SMMU_V3_H
#define _ARM_SMMU_V3_H

#include <linux/atomic.h>
#include <linux/bitfield.h>
#include <linux/interrupt.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "arm-smmu-v3-atc.h"

/* The kernel's column-aligned defines and members: */
/* clang-format off */

/* MMIO registers */
#define ARM_SMMU_IDR0			0x0
#define IDR0_ATS			(1 << 10)
#define IDR0_MSI			(1 << 13)
#define IDR0_SEV			(1 << 14)
#define IDR0_COHACC			(1 << 4)

#define ARM_SMMU_IDR1			0x4
#define IDR1_CMDQS			GENMASK(25, 21)

#define ARM_SMMU_IDR3			0xc
#define IDR3_RIL			(1 << 10)

#define ARM_SMMU_CR0			0x20
#define CR0_CMDQEN			(1 << 3)

#define ARM_SMMU_GERROR			0x60
#define GERROR_SFM_ERR			(1 << 8)
#define GERROR_MSI_GERROR_ABT_ERR	(1 << 7)
#define GERROR_MSI_PRIQ_ABT_ERR		(1 << 6)
#define GERROR_MSI_EVTQ_ABT_ERR		(1 << 5)
#define GERROR_MSI_CMDQ_ABT_ERR		(1 << 4)
#define GERROR_PRIQ_ABT_ERR		(1 << 3)
#define GERROR_EVTQ_ABT_ERR		(1 << 2)
#define GERROR_CMDQ_ERR			(1 << 0)
#define GERROR_ERR_MASK			0x1fd

#define ARM_SMMU_GERRORN		0x64

#define ARM_SMMU_CMDQ_BASE		0x90
#define ARM_SMMU_CMDQ_PROD		0x98
#define ARM_SMMU_CMDQ_CONS		0x9c

#define ARM_SMMU_REG_SZ			0x100

#define Q_BASE_RWA			(1UL << 62)
#define Q_BASE_ADDR_MASK		GENMASK_ULL(51, 5)
#define Q_BASE_LOG2SIZE			GENMASK(4, 0)

/* Queue pointers: index, wrap bit above it, overflow/owned flag on top */
#define Q_IDX(llq, p)			((p) & ((1 << (llq)->max_n_shift) - 1))
#define Q_WRP(llq, p)			((p) & (1 << (llq)->max_n_shift))
#define Q_OVERFLOW_FLAG			(1U << 31)
#define Q_OVF(p)			((p) & Q_OVERFLOW_FLAG)
#define Q_ENT(q, p)			((q)->base +			\
					 Q_IDX(&((q)->llq), p) *	\
					 (q)->ent_dwords)

/* Command queue */
#define CMDQ_ENT_SZ_SHIFT		4
#define CMDQ_ENT_DWORDS			((1 << CMDQ_ENT_SZ_SHIFT) >> 3)
#define CMDQ_MAX_SZ_SHIFT		(20 - CMDQ_ENT_SZ_SHIFT)

#define CMDQ_CONS_ERR			GENMASK(30, 24)
#define CMDQ_ERR_CERROR_NONE_IDX	0
#define CMDQ_ERR_CERROR_ILL_IDX		1
#define CMDQ_ERR_CERROR_ABT_IDX		2
#define CMDQ_ERR_CERROR_ATC_INV_IDX	3

#define CMDQ_PROD_OWNED_FLAG		Q_OVERFLOW_FLAG

/*
 * This is used to size the command queue and therefore must be at least
 * BITS_PER_LONG so that the valid_map works correctly (it relies on the
 * total number of queue entries being a multiple of BITS_PER_LONG).
 */
#define CMDQ_BATCH_ENTRIES		BITS_PER_LONG

#define CMDQ_0_OP			GENMASK_ULL(7, 0)
#define CMDQ_0_SSV			(1UL << 11)

#define CMDQ_CFGI_0_SID			GENMASK_ULL(63, 32)
#define CMDQ_CFGI_1_LEAF		(1UL << 0)
#define CMDQ_CFGI_1_RANGE		GENMASK_ULL(4, 0)

#define CMDQ_TLBI_0_NUM			GENMASK_ULL(16, 12)
#define CMDQ_TLBI_RANGE_NUM_MAX		31
#define CMDQ_TLBI_0_SCALE		GENMASK_ULL(24, 20)
#define CMDQ_TLBI_0_VMID		GENMASK_ULL(47, 32)
#define CMDQ_TLBI_0_ASID		GENMASK_ULL(63, 48)
#define CMDQ_TLBI_1_LEAF		(1UL << 0)
#define CMDQ_TLBI_1_TTL			GENMASK_ULL(9, 8)
#define CMDQ_TLBI_1_TG			GENMASK_ULL(11, 10)
#define CMDQ_TLBI_1_VA_MASK		GENMASK_ULL(63, 12)
#define CMDQ_TLBI_1_IPA_MASK		GENMASK_ULL(51, 12)

#define CMDQ_ATC_0_SSID			GENMASK_ULL(31, 12)
#define CMDQ_ATC_0_SID			GENMASK_ULL(63, 32)
#define CMDQ_ATC_0_GLOBAL		(1UL << 9)
#define CMDQ_ATC_1_SIZE			GENMASK_ULL(5, 0)
#define CMDQ_ATC_1_ADDR_MASK		GENMASK_ULL(63, 12)

#define CMDQ_SYNC_0_CS			GENMASK_ULL(13, 12)
#define CMDQ_SYNC_0_CS_NONE		0
#define CMDQ_SYNC_0_CS_IRQ		1
#define CMDQ_SYNC_0_CS_SEV		2
#define CMDQ_SYNC_0_MSH			GENMASK_ULL(23, 22)
#define CMDQ_SYNC_0_MSIATTR		GENMASK_ULL(27, 24)
#define CMDQ_SYNC_0_MSIDATA		GENMASK_ULL(63, 32)
#define CMDQ_SYNC_1_MSIADDR_MASK	GENMASK_ULL(51, 2)

#define ARM_SMMU_SH_ISH			3
#define ARM_SMMU_MEMATTR_OIWB		0xf

/* High-level queue structures */
#define ARM_SMMU_POLL_TIMEOUT_US	1000000 /* 1s! */
#define ARM_SMMU_POLL_SPIN_COUNT	10

/*
 * The CMD_SYNC poll timeout, ARM_SMMU_POLL_TIMEOUT_US in the kernel; a
 * variable here so that the simulation can scale it with its hardware
 * timeouts.
 */
extern unsigned int arm_smmu_poll_timeout_us;

/* ATC invalidates are always on 4096-bytes pages */
#define ATC_INV_SIZE_ALL		52

/* Stream table entry: the fields the hot path touches */
#define STRTAB_STE_DWORDS		8
#define STRTAB_STE_0_V			(1UL << 0)
#define STRTAB_STE_0_CFG		GENMASK_ULL(3, 1)
#define STRTAB_STE_0_CFG_ABORT		0
#define STRTAB_STE_0_CFG_BYPASS		4
#define STRTAB_STE_0_CFG_S1_TRANS	5
#define STRTAB_STE_0_CFG_S2_TRANS	6
/*
 * The simulation has no context descriptor tables: a stage-1 STE carries its
 * ASID where the S1ContextPtr would point to the CD holding it.
 */
#define STRTAB_STE_0_S1CTXPTR_ASID	GENMASK_ULL(63, 48)
#define STRTAB_STE_1_EATS		GENMASK_ULL(29, 28)
#define STRTAB_STE_1_S1CIR		GENMASK_ULL(3, 2)
#define STRTAB_STE_1_S1COR		GENMASK_ULL(5, 4)
#define STRTAB_STE_1_S1CSH		GENMASK_ULL(7, 6)
#define STRTAB_STE_1_S1C_CACHE_WBRA	1UL
#define STRTAB_STE_1_SHCFG		GENMASK_ULL(45, 44)
#define STRTAB_STE_1_SHCFG_INCOMING	1UL
#define STRTAB_STE_1_EATS_ABT		0UL
#define STRTAB_STE_1_EATS_TRANS		1UL
#define STRTAB_STE_2_S2VMID		GENMASK_ULL(15, 0)

struct arm_smmu_ste {
	__le64 data[STRTAB_STE_DWORDS];
};

#define NUM_ENTRY_QWORDS		8

struct arm_smmu_entry_writer;

/**
 * struct arm_smmu_entry_writer_ops - how arm_smmu_write_entry() updates
 * one kind of entry
 * @get_used: the bits of an entry the SMMU uses, given its value
 * @get_update_safe: bits used by both @cur and @target that may change
 *                   without ordering (optional)
 * @sync: make the entry's words written so far visible to the SMMU and
 *        drop what it cached of the entry
 */
struct arm_smmu_entry_writer_ops {
	void (*get_used)(const __le64 *entry, __le64 *used);
	void (*get_update_safe)(const __le64 *cur, const __le64 *target,
				__le64 *safe_bits);
	void (*sync)(struct arm_smmu_entry_writer *writer);
};

/**
 * struct arm_smmu_entry_writer - one entry update in progress
 * @ops: the kind of entry
 * @master: the master whose entry it is
 */
struct arm_smmu_entry_writer {
	const struct arm_smmu_entry_writer_ops *ops;
	struct arm_smmu_master *master;
};

enum arm_smmu_cmdq_opcode {
	CMDQ_OP_PREFETCH_CFG		= 0x1,
	CMDQ_OP_CFGI_STE		= 0x3,
	CMDQ_OP_CFGI_ALL		= 0x4,
	CMDQ_OP_CFGI_CD			= 0x5,
	CMDQ_OP_TLBI_NH_ALL		= 0x10,
	CMDQ_OP_TLBI_NH_ASID		= 0x11,
	CMDQ_OP_TLBI_NH_VA		= 0x12,
	CMDQ_OP_TLBI_EL2_ALL		= 0x20,
	CMDQ_OP_TLBI_EL2_ASID		= 0x21,
	CMDQ_OP_TLBI_EL2_VA		= 0x22,
	CMDQ_OP_TLBI_S12_VMALL		= 0x28,
	CMDQ_OP_TLBI_S2_IPA		= 0x2a,
	CMDQ_OP_TLBI_NSNH_ALL		= 0x30,
	CMDQ_OP_ATC_INV			= 0x40,
	CMDQ_OP_PRI_RESP		= 0x41,
	CMDQ_OP_RESUME			= 0x44,
	CMDQ_OP_CMD_SYNC		= 0x46,
};

struct arm_smmu_cmdq_ent {
	/* Common fields */
	u8				opcode;
	bool				substream_valid;

	/* Command-specific fields */
	union {
		struct {
			u8			num;
			u8			scale;
			u16			asid;
			u16			vmid;
			bool			leaf;
			u8			ttl;
			u8			tg;
			u64			addr;
		} tlbi;

		struct {
			u32			sid;
			union {
				bool		leaf;
				u8		span;
			};
		} cfgi;

		struct {
			u32			sid;
			u32			ssid;
			u64			addr;
			u8			size;
			bool			global;
		} atc;

		struct {
			u64			msiaddr;
		} sync;
	};
};

struct arm_smmu_ll_queue {
	union {
		u64			val;
		struct {
			u32		prod;
			u32		cons;
		};
		struct {
			atomic_t	prod;
			atomic_t	cons;
		} atomic;
		u8			__pad[SMP_CACHE_BYTES];
	} ____cacheline_aligned_in_smp;
	u32				max_n_shift;
};

struct arm_smmu_queue {
	struct arm_smmu_ll_queue	llq;
	int				irq; /* Wired interrupt */

	__le64				*base;
	dma_addr_t			base_dma;
	u64				q_base;

	size_t				ent_dwords;

	u32 __iomem			*prod_reg;
	u32 __iomem			*cons_reg;
};

struct arm_smmu_queue_poll {
	ktime_t				timeout;
	unsigned int			delay;
	unsigned int			spin_cnt;
	bool				wfe;
};

/**
 * struct arm_smmu_cmdq - a command queue with lock-free insertion
 * @q: the queue memory, its registers and the shadow prod/cons word
 * @valid_map: one bit per slot, flipped when the slot's command is written;
 *             a slot is valid when its bit differs from its lap's wrap bit
 * @owner_prod: where the next owner's gathered range starts
 * @lock: shared by CMD_SYNC waiters, exclusive to refresh the shadow cons
 * @atc_sync_timeouts: one bit per slot, set by the CMDQ error handler when
 *                     the CMD_SYNC in that slot completed with an ATC
 *                     invalidation timeout; its issuer tests and clears it
 * @supports_cmd: whether a command may go on this queue (NULL: any); a
 *                batch moving to another queue is issued with a CMD_SYNC
 *
 * Synchronisation contract of the insertion (arm_smmu_cmdq_issue_cmdlist()):
 *
 *  - Space is claimed by cmpxchg on the 64-bit prod/cons word (@q.llq.val).
 *    The first CPU to claim after the owned flag was cleared becomes the
 *    owner; later claims set the flag again and are gathered by it.
 *  - Each CPU writes its own slots, then dma_wmb() (pairs with the SMMU's
 *    read of PROD before the queue) and flips its bits in @valid_map.
 *  - The owner waits for @owner_prod to reach its start (the previous owner
 *    is done), clears the owned flag (stops gathering), polls @valid_map
 *    until every gathered slot is written, writes PROD, and publishes the
 *    end with a release store to @owner_prod.
 *  - A CMD_SYNC issuer holds @lock shared from before marking its slots
 *    valid until its sync completed, so that the queue cannot wrap over its
 *    slot twice unnoticed: the shadow cons moves only under @lock exclusive
 *    or by the last shared holder.
 *  - @atc_sync_timeouts: set_bit() by the error handler before it
 *    acknowledges the error (GERRORN), after which the SMMU completes the
 *    CMD_SYNC; the issuer's test_and_clear_bit() follows its observation of
 *    that completion.
 *
 * Queue memory is written with WRITE_ONCE() and read by the simulated SMMU
 * with atomic loads: it is memory a device reads concurrently.
 */
struct arm_smmu_cmdq {
	struct arm_smmu_queue		q;
	atomic_long_t			*valid_map;
	atomic_t			owner_prod;
	atomic_t			lock;
	unsigned long			*atc_sync_timeouts;
	bool (*supports_cmd)(struct arm_smmu_cmdq_ent *ent);
};

static inline bool arm_smmu_cmdq_supports_cmd(struct arm_smmu_cmdq *cmdq,
					       struct arm_smmu_cmdq_ent *ent)
{
	return cmdq->supports_cmd ? cmdq->supports_cmd(ent) : true;
}

struct arm_smmu_cmdq_batch {
	u64				cmds[CMDQ_BATCH_ENTRIES * CMDQ_ENT_DWORDS];
	struct arm_smmu_cmdq		*cmdq;
	int				num;
};

struct arm_smmu_device;

/**
 * struct arm_smmu_impl_ops - implementation hooks
 * @device_reset: after the command queue is enabled: enable the
 *                implementation's own queues
 * @device_remove: before the SMMU's structures are freed
 * @init_structures: after the command queue is allocated: allocate the
 *                   implementation's own
 * @get_secondary_cmdq: the queue for a command (NULL: the SMMU's own), as
 *                      tegra241-cmdqv's per-CPU virtual command queues
 * @issue_cmdlist: replaces the lock-free insertion (atcbench: the locked
 *                 baseline of kernel-hooks/variants/cmdq-locked.c); same
 *                 contract as arm_smmu_cmdq_issue_cmdlist()
 */
struct arm_smmu_impl_ops {
	int (*device_reset)(struct arm_smmu_device *smmu);
	void (*device_remove)(struct arm_smmu_device *smmu);
	int (*init_structures)(struct arm_smmu_device *smmu);
	struct arm_smmu_cmdq *(*get_secondary_cmdq)(
		struct arm_smmu_device *smmu, struct arm_smmu_cmdq_ent *ent);
	int (*issue_cmdlist)(struct arm_smmu_device *smmu,
			     struct arm_smmu_cmdq *cmdq, u64 *cmds, int n,
			     bool sync);
};

/* An SMMUv3 instance */
struct arm_smmu_device {
	struct device			*dev;
	void __iomem			*base;
	const struct arm_smmu_impl_ops	*impl_ops;
	int				gerr_irq;

#define ARM_SMMU_FEAT_ATS		(1 << 4)
#define ARM_SMMU_FEAT_SEV		(1 << 5)
#define ARM_SMMU_FEAT_MSI		(1 << 6)
#define ARM_SMMU_FEAT_COHERENCY		(1 << 7)
#define ARM_SMMU_FEAT_RANGE_INV		(1 << 15)
	u32				features;

#define ARM_SMMU_OPT_MSIPOLL		(1 << 2)
	u32				options;

	struct arm_smmu_cmdq		cmdq;

	/* The stream table, linear, indexed by SID */
	struct arm_smmu_ste		*strtab;
	unsigned int			num_sids;
	/* Serialises STE writes with the surgical EATS update */
	spinlock_t			ste_lock;
	/* The master of each SID (the driver's rb-tree of streams) */
	struct arm_smmu_master		**sid_masters;

	/* ATC timeout isolation (proposed: arm-smmu-v3-atc.h) */
	const struct arm_smmu_atc_isolate_ops *atc_isolate_ops;
	struct arm_smmu_atc_stats	atc_stats;
	atomic_long_t			atc_isolations;
	atomic_long_t			atc_isolation_tests;
};

struct arm_smmu_stream {
	u32				id;
	struct arm_smmu_master		*master;
};

/* The invalidation array (see arm-smmu-v3-invs.c) */
enum arm_smmu_inv_type {
	INV_TYPE_S1_ASID,
	INV_TYPE_S2_VMID,
	INV_TYPE_S2_VMID_S1_CLEAR,
	INV_TYPE_ATS,
	INV_TYPE_ATS_FULL,
	/* An ATS entry of a quarantined master (the v4 review's proposal) */
	INV_TYPE_ATS_BROKEN,
};

/**
 * struct arm_smmu_inv - one invalidation a domain must issue
 * @smmu: the SMMU instance whose command queue takes the commands
 * @type: enum arm_smmu_inv_type; the order of the enum is the order in which
 *        commands go to the queue (TLBIs before ATC invalidations)
 * @size_opcode: opcode of a ranged invalidation
 * @nsize_opcode: opcode of a whole-tag invalidation
 * @pgsize: smallest page size of the domain, for TLBI range encoding
 * @id: ASID, VMID or SID
 * @ssid: substream ID, for INV_TYPE_ATS only
 * @users: how many attached masters need this entry; 0 marks a trash entry
 *         to be purged.  Written with WRITE_ONCE() under arm_smmu_asid_lock,
 *         read with READ_ONCE() by lockless readers.
 */
struct arm_smmu_inv {
	struct arm_smmu_device		*smmu;
	u8				type;
	u8				size_opcode;
	u8				nsize_opcode;
	u32				pgsize;
	u32				id;
	u32				ssid;
	int				users;
};

static inline bool arm_smmu_inv_is_ats(const struct arm_smmu_inv *inv)
{
	u8 type = READ_ONCE(inv->type);

	return type == INV_TYPE_ATS || type == INV_TYPE_ATS_FULL ||
	       type == INV_TYPE_ATS_BROKEN;
}

/**
 * struct arm_smmu_invs - the per-domain invalidation array
 * @max_invs: capacity of @inv
 * @num_invs: entries in use; may be below @max_invs once trailing trash is
 *            trimmed by arm_smmu_invs_unref().  Read once per pass with
 *            READ_ONCE(); written with WRITE_ONCE() under @rwlock.
 * @num_trashes: entries with users == 0 below @num_invs, for the purge
 * @rwlock: fences ATS invalidations: readers take it only if @has_ats, the
 *          unref takes it for writing around the @num_invs update, so when
 *          the unref returns no reader can still issue an ATC_INV for an
 *          entry it removed
 * @has_ats: the array holds an INV_TYPE_ATS or INV_TYPE_ATS_FULL entry
 * @rcu: for kfree_rcu()
 * @inv: the entries, sorted by arm_smmu_inv_cmp()
 *
 * The array is read on every invalidation of the domain and changed on
 * attach and detach.  It is designed to make the invalidation path lockless:
 * an updater builds a new array and publishes it with rcu_assign_pointer(),
 * or shrinks the current one in place (users to 0, @num_invs trimmed), and
 * retired arrays are freed after a grace period.
 *
 * Synchronisation, in the style of a urcu table: "X" = the pair needs the
 * external lock (arm_smmu_asid_lock), "-" = no lock needed.
 *
 *                      merge  unref  purge  domain_inv_range
 *   merge                X      X      X          -
 *   unref                       X      X          -  (rwlock if has_ats)
 *   purge                              X          -
 *   domain_inv_range                              -
 */
struct arm_smmu_invs {
	size_t				max_invs;
	size_t				num_invs;
	size_t				num_trashes;
	rwlock_t			rwlock;
	bool				has_ats;
	struct rcu_head			rcu;
	struct arm_smmu_inv		inv[] __counted_by(max_invs);
};

struct arm_smmu_invs *arm_smmu_invs_alloc(size_t num_invs);
int arm_smmu_inv_cmp(const struct arm_smmu_inv *inv_l,
		     const struct arm_smmu_inv *inv_r);
struct arm_smmu_invs *arm_smmu_invs_merge(struct arm_smmu_invs *invs,
					  struct arm_smmu_invs *to_merge);
void arm_smmu_invs_unref(struct arm_smmu_invs *invs,
			 struct arm_smmu_invs *to_unref);
struct arm_smmu_invs *arm_smmu_invs_purge(struct arm_smmu_invs *invs);

/*
 * Visit the live entries (users != 0) below the current num_invs.  Safe for
 * lockless readers: the bound is read once and trash is skipped.
 */
#define arm_smmu_invs_for_each_entry(invs, idx, cur)			\
	for (size_t __end = ((idx) = 0, READ_ONCE((invs)->num_invs));	\
	     idx < __end && ((cur) = &(invs)->inv[idx], true); idx++)	\
		if (!READ_ONCE((cur)->users))				\
			continue;					\
		else

enum arm_smmu_domain_stage {
	ARM_SMMU_DOMAIN_S1 = 0,
	ARM_SMMU_DOMAIN_S2,
};

/**
 * struct arm_smmu_domain - a paging domain (the part the hot path needs)
 * @smmu: the SMMU the domain was finalised on
 * @stage: stage 1 (ASID) or stage 2 (VMID)
 * @asid: for stage 1
 * @vmid: for stage 2
 * @nest_parent: a stage-2 domain that stage-1 domains nest on: attaching it
 *               adds an INV_TYPE_S2_VMID_S1_CLEAR entry and INV_TYPE_ATS_FULL
 * @pgsize: smallest page size, for the TLBI range encoding
 * @invs: the RCU-protected invalidation array
 */
struct arm_smmu_domain {
	struct iommu_domain		domain;
	struct arm_smmu_device		*smmu;
	enum arm_smmu_domain_stage	stage;
	u16				asid;
	u16				vmid;
	bool				nest_parent;
	u32				pgsize;
	struct arm_smmu_invs __rcu	*invs;
};

/**
 * struct arm_smmu_master - an endpoint behind the SMMU
 * @smmu: its SMMU
 * @streams: its stream IDs, sorted at probe
 * @num_streams: number of @streams
 * @ats_supported: the endpoint has an ATS capability
 * @ats_enabled: ATS is enabled (EATS set in its STEs)
 * @domain: the attached paging domain, or NULL (blocked)
 * @ssid: the PASID of the attachment (IOMMU_NO_PASID for the RID)
 * @build_invs: scratch array for attach: the entries this master needs in
 *              a domain's array; pre-allocated so that detach cannot fail
 * @dev: the endpoint's device (a PCI function), or NULL for none
 * @ats_broken: an ATC invalidation to this master timed out: EATS is cleared
 *              in its STEs and no ATC_INV is sent to it until a successful
 *              reset (arm_smmu_reset_device_done()).  Set under
 *              @smmu->ste_lock, read locklessly with READ_ONCE().
 */
struct arm_smmu_master {
	struct device			*dev;
	bool				ats_broken;
	struct arm_smmu_device		*smmu;
	struct arm_smmu_stream		*streams;
	unsigned int			num_streams;
	bool				ats_supported;
	bool				ats_enabled;
	struct arm_smmu_domain		*domain;
	ioasid_t			ssid;
	struct arm_smmu_invs		*build_invs;
};

/**
 * struct arm_smmu_inv_state - what an attach changes in one domain's array
 * @invs_ptr: &domain->invs, or NULL when the domain's array does not change
 * @old_invs: the array before the attach
 * @new_invs: new domain: the merged array to install;
 *            old domain: the master's build_invs, to unref
 */
struct arm_smmu_inv_state {
	struct arm_smmu_invs __rcu	**invs_ptr;
	struct arm_smmu_invs		*old_invs;
	struct arm_smmu_invs		*new_invs;
};

struct arm_smmu_attach_state {
	struct arm_smmu_master		*master;
	struct arm_smmu_domain		*old_domain;
	struct arm_smmu_domain		*new_domain;
	ioasid_t			ssid;
	bool				ats_enabled;
	struct arm_smmu_inv_state	old_domain_invst;
	struct arm_smmu_inv_state	new_domain_invst;
};

extern struct mutex arm_smmu_asid_lock;

/*
 * Low-level queue manipulation, shared by the lock-free queue (arm-smmu-v3-cmdq.c) and
 * the locked baseline (variants/cmdq-locked.c).
 */
void queue_poll_init(struct arm_smmu_device *smmu,
		     struct arm_smmu_queue_poll *qp);
int queue_poll(struct arm_smmu_queue_poll *qp);

static inline bool queue_has_space(struct arm_smmu_ll_queue *q, u32 n)
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

static inline bool queue_full(struct arm_smmu_ll_queue *q)
{
	return Q_IDX(q, q->prod) == Q_IDX(q, q->cons) &&
	       Q_WRP(q, q->prod) != Q_WRP(q, q->cons);
}

static inline bool queue_consumed(struct arm_smmu_ll_queue *q, u32 prod)
{
	return ((Q_WRP(q, q->cons) == Q_WRP(q, prod)) &&
		(Q_IDX(q, q->cons) > Q_IDX(q, prod))) ||
	       ((Q_WRP(q, q->cons) != Q_WRP(q, prod)) &&
		(Q_IDX(q, q->cons) <= Q_IDX(q, prod)));
}

static inline u32 queue_inc_prod_n(struct arm_smmu_ll_queue *q, int n)
{
	u32 prod = (Q_WRP(q, q->prod) | Q_IDX(q, q->prod)) + n;

	return Q_OVF(q->prod) | Q_WRP(q, prod) | Q_IDX(q, prod);
}

/* The SMMU reads queue memory concurrently: single-copy atomic stores */
static inline void queue_write(__le64 *dst, u64 *src, size_t n_dwords)
{
	size_t i;

	for (i = 0; i < n_dwords; ++i)
		WRITE_ONCE(dst[i], cpu_to_le64(src[i]));
}

static inline void queue_read(u64 *dst, __le64 *src, size_t n_dwords)
{
	size_t i;

	for (i = 0; i < n_dwords; ++i)
		dst[i] = le64_to_cpu(READ_ONCE(src[i]));
}

/* The master of a stream ID, or NULL (the driver's rb-tree of streams) */
static inline struct arm_smmu_master *
arm_smmu_find_master(struct arm_smmu_device *smmu, u32 sid)
{
	if (sid >= smmu->num_sids)
		return NULL;
	return READ_ONCE(smmu->sid_masters[sid]);
}

/* arm-smmu-v3.c */
int arm_smmu_device_hw_probe(struct arm_smmu_device *smmu);
int arm_smmu_device_init(struct arm_smmu_device *smmu, unsigned int num_sids);
void arm_smmu_device_free(struct arm_smmu_device *smmu);
struct arm_smmu_master *arm_smmu_probe_master(struct arm_smmu_device *smmu,
					      const u32 *sids,
					      unsigned int num_sids,
					      bool ats_supported);
void arm_smmu_release_master(struct arm_smmu_master *master);
struct arm_smmu_domain *arm_smmu_domain_alloc(struct arm_smmu_device *smmu,
					      enum arm_smmu_domain_stage stage,
					      u16 id, bool nest_parent);
void arm_smmu_domain_free(struct arm_smmu_domain *smmu_domain);
int arm_smmu_attach_dev(struct arm_smmu_master *master,
			struct arm_smmu_domain *smmu_domain, ioasid_t ssid);
void arm_smmu_attach_dev_blocked(struct arm_smmu_master *master);
void arm_smmu_make_ste(struct arm_smmu_ste *target,
		       enum arm_smmu_domain_stage stage, u16 id,
		       bool ats_enabled);
void arm_smmu_make_abort_ste(struct arm_smmu_ste *target);
void arm_smmu_get_ste_used(const __le64 *ent, __le64 *used_bits);
void arm_smmu_get_ste_update_safe(const __le64 *cur, const __le64 *target,
				  __le64 *safe_bits);
void arm_smmu_write_entry(struct arm_smmu_entry_writer *writer, __le64 *entry,
			  const __le64 *target);
void arm_smmu_install_ste_for_dev(struct arm_smmu_master *master,
				  const struct arm_smmu_ste *target);
int arm_smmu_atc_inv_master(struct arm_smmu_master *master, ioasid_t ssid);
void arm_smmu_master_set_dev(struct arm_smmu_master *master,
			     struct device *dev);
bool arm_smmu_master_disable_ats(struct arm_smmu_master *master);
void arm_smmu_reset_device_done(struct device *dev);
extern const struct iommu_ops arm_smmu_ops;
extern const struct iommu_domain_ops arm_smmu_domain_ops;

/* arm-smmu-v3-invs.c: attach-time array updates and the invalidation walker */
void arm_smmu_master_build_invs(struct arm_smmu_master *master,
				bool ats_enabled, ioasid_t ssid,
				struct arm_smmu_domain *smmu_domain);
int arm_smmu_attach_prepare_invs(struct arm_smmu_attach_state *state,
				 struct arm_smmu_domain *new_smmu_domain);
void arm_smmu_install_new_domain_invs(struct arm_smmu_attach_state *state);
void arm_smmu_install_old_domain_invs(struct arm_smmu_attach_state *state);
void arm_smmu_domain_inv_range(struct arm_smmu_domain *smmu_domain,
			       unsigned long iova, size_t size,
			       unsigned int granule, bool leaf);

static inline void arm_smmu_domain_inv(struct arm_smmu_domain *smmu_domain)
{
	arm_smmu_domain_inv_range(smmu_domain, 0, 0, 0, false);
}

/* arm-smmu-v3-cmdq.c: command building, the queue and the batch API */
int arm_smmu_cmdq_build_cmd(u64 *cmd, struct arm_smmu_cmdq_ent *ent);
void arm_smmu_cmdq_build_sync_cmd(u64 *cmd, struct arm_smmu_device *smmu,
				  struct arm_smmu_queue *q, u32 prod);
int arm_smmu_cmdq_poll_until_sync(struct arm_smmu_device *smmu,
				  struct arm_smmu_cmdq *cmdq,
				  struct arm_smmu_ll_queue *llq);
int arm_smmu_cmdq_sync_result(struct arm_smmu_device *smmu,
			      struct arm_smmu_cmdq *cmdq, u32 sync_prod,
			      int ret);
irqreturn_t arm_smmu_gerror_handler(int irq, void *dev);
int arm_smmu_cmdq_init(struct arm_smmu_device *smmu,
		       struct arm_smmu_cmdq *cmdq);
void __arm_smmu_cmdq_skip_err(struct arm_smmu_device *smmu,
			      struct arm_smmu_cmdq *cmdq);
void arm_smmu_cmdq_free(struct arm_smmu_device *smmu,
			struct arm_smmu_cmdq *cmdq);
int arm_smmu_cmdq_issue_cmdlist(struct arm_smmu_device *smmu,
				struct arm_smmu_cmdq *cmdq, u64 *cmds, int n,
				bool sync);
int arm_smmu_cmdq_issue_cmd_with_sync(struct arm_smmu_device *smmu,
				      struct arm_smmu_cmdq_ent *ent);
void arm_smmu_cmdq_batch_init(struct arm_smmu_device *smmu,
			      struct arm_smmu_cmdq_batch *cmds,
			      struct arm_smmu_cmdq_ent *ent);
void arm_smmu_cmdq_batch_add(struct arm_smmu_device *smmu,
			     struct arm_smmu_cmdq_batch *cmds,
			     struct arm_smmu_cmdq_ent *cmd);
int arm_smmu_cmdq_batch_submit(struct arm_smmu_device *smmu,
			       struct arm_smmu_cmdq_batch *cmds);
void arm_smmu_cmdq_batch_retry(struct arm_smmu_device *smmu,
			       struct arm_smmu_cmdq_batch *cmds);
void arm_smmu_cmdq_batch_add_range(struct arm_smmu_device *smmu,
				   struct arm_smmu_cmdq_batch *cmds,
				   struct arm_smmu_cmdq_ent *cmd,
				   unsigned long iova, size_t size,
				   size_t granule, size_t pgsize);
void arm_smmu_atc_inv_to_cmd(int ssid, unsigned long iova, size_t size,
			     struct arm_smmu_cmdq_ent *cmd);
/* clang-format on */

#endif /* _ARM_SMMU_V3_H */
