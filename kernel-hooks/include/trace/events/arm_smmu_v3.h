/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: the hot path's tracepoints.  In a kernel these would be
 * TRACE_EVENT()s; here each is a probe the harness may register (NULL: the
 * tracepoint is off and costs one load).  Probes run in the context of the
 * traced code (the mapper's thread for cmdq_issue_* and atc_isolate) and must
 * not sleep.
 */
#pragma once
#include <linux/compiler.h>
#include <linux/types.h>

/* Where a command list waits: the stages of arm_smmu_cmdq_issue_cmdlist() */
enum arm_smmu_cmdq_wait {
	ARM_SMMU_CMDQ_WAIT_SPACE, /* the queue looks full: poll_until_not_full */
	ARM_SMMU_CMDQ_WAIT_LOCK, /* the shared lock, held exclusive */
	/* the previous owner's PROD write (a variant: an earlier caller's) */
	ARM_SMMU_CMDQ_WAIT_OWNER,
	ARM_SMMU_CMDQ_WAIT_VALID, /* the gathered slots' valid bits */
	ARM_SMMU_CMDQ_WAIT_SYNC, /* the CMD_SYNC's completion */
	ARM_SMMU_CMDQ_NR_WAITS,
};

struct arm_smmu_trace_probes {
	/*
	 * A command list: about to be inserted, inserted (PROD written), and
	 * done (its CMD_SYNC, if any, waited for: @ret).  A probe that wants
	 * times reads its own clock, as a kernel tracepoint's ring buffer
	 * does: the traced code takes no timestamp.
	 */
	void (*cmdq_issue_start)(int n);
	void (*cmdq_issue_inserted)(int n);
	void (*cmdq_issue_done)(int n, bool sync, int ret);
	/* A wait of a command list begins (@done false) or ends */
	void (*cmdq_wait)(enum arm_smmu_cmdq_wait wait, bool done);
	/*
	 * An isolation episode: begins; ended, over @num_sids SIDs, after
	 * @tests tests, having found @broken of them (a probe that wants its
	 * duration reads its own clock at both)
	 */
	void (*atc_isolate_start)(void);
	void (*atc_isolate)(unsigned int num_sids, unsigned int tests,
			    unsigned int broken);
	/* A stream's ATS was quarantined (ats_broken, EATS cleared) */
	void (*master_quarantine)(u32 sid);
};

extern struct arm_smmu_trace_probes arm_smmu_trace_probes;

static inline void trace_arm_smmu_cmdq_issue_start(int n)
{
	void (*probe)(int) = READ_ONCE(arm_smmu_trace_probes.cmdq_issue_start);

	if (probe)
		probe(n);
}

static inline void trace_arm_smmu_cmdq_issue_inserted(int n)
{
	void (*probe)(int) =
		READ_ONCE(arm_smmu_trace_probes.cmdq_issue_inserted);

	if (probe)
		probe(n);
}

static inline void trace_arm_smmu_cmdq_issue_done(int n, bool sync, int ret)
{
	void (*probe)(int, bool, int) =
		READ_ONCE(arm_smmu_trace_probes.cmdq_issue_done);

	if (probe)
		probe(n, sync, ret);
}

/*
 * Only the virtual-CPU build has it (atcbench scale reads it): elsewhere it
 * compiles to nothing, so the hot path other builds measure is unchanged.
 * Unlike the others, no READ_ONCE(): a kernel tracepoint is a patched
 * branch, not a load, so on a virtual CPU this is no interleaving point and
 * costs nothing (turning it on changes no schedule).  The others keep their
 * point, as every recorded race-finder seed was found with it.
 */
#ifdef KHOOKS_VCPU
static inline void trace_arm_smmu_cmdq_wait(enum arm_smmu_cmdq_wait wait,
					    bool done)
{
	void (*probe)(enum arm_smmu_cmdq_wait, bool) = __atomic_load_n(
		&arm_smmu_trace_probes.cmdq_wait, __ATOMIC_RELAXED);

	if (probe)
		probe(wait, done);
}
#else
static inline void trace_arm_smmu_cmdq_wait(enum arm_smmu_cmdq_wait wait,
					    bool done)
{
}
#endif

static inline void trace_arm_smmu_atc_isolate_start(void)
{
	void (*probe)(void) =
		READ_ONCE(arm_smmu_trace_probes.atc_isolate_start);

	if (probe)
		probe();
}

static inline void trace_arm_smmu_atc_isolate(unsigned int num_sids,
					      unsigned int tests,
					      unsigned int broken)
{
	void (*probe)(unsigned int, unsigned int, unsigned int) =
		READ_ONCE(arm_smmu_trace_probes.atc_isolate);

	if (probe)
		probe(num_sids, tests, broken);
}

static inline void trace_arm_smmu_master_quarantine(u32 sid)
{
	void (*probe)(u32) = READ_ONCE(arm_smmu_trace_probes.master_quarantine);

	if (probe)
		probe(sid);
}
