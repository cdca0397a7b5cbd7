/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: the hot path's tracepoints.  In a kernel these would be
 * TRACE_EVENT()s; here each is a probe the harness may register (NULL: the
 * tracepoint is off and costs one load).  Probes run in the context of the
 * traced code (the mapper's thread for cmdq_issue and atc_isolate) and must
 * not sleep.
 */
#pragma once
#include <linux/compiler.h>
#include <linux/types.h>

struct arm_smmu_trace_probes {
	/* A command list inserted (@insert_ns) and its CMD_SYNC waited for */
	void (*cmdq_issue)(int n, u64 insert_ns, u64 sync_ns, int ret);
	/* An isolation episode over @num_sids SIDs ended */
	void (*atc_isolate)(unsigned int num_sids, unsigned int tests,
			    unsigned int broken, u64 ns);
	/* A stream's ATS was quarantined (ats_broken, EATS cleared) */
	void (*master_quarantine)(u32 sid);
};

extern struct arm_smmu_trace_probes arm_smmu_trace_probes;

static inline bool trace_arm_smmu_cmdq_issue_enabled(void)
{
	return READ_ONCE(arm_smmu_trace_probes.cmdq_issue);
}

static inline void trace_arm_smmu_cmdq_issue(int n, u64 insert_ns, u64 sync_ns,
					     int ret)
{
	void (*probe)(int, u64, u64, int) =
		READ_ONCE(arm_smmu_trace_probes.cmdq_issue);

	if (probe)
		probe(n, insert_ns, sync_ns, ret);
}

static inline void trace_arm_smmu_atc_isolate(unsigned int num_sids,
					      unsigned int tests,
					      unsigned int broken, u64 ns)
{
	void (*probe)(unsigned int, unsigned int, unsigned int, u64) =
		READ_ONCE(arm_smmu_trace_probes.atc_isolate);

	if (probe)
		probe(num_sids, tests, broken, ns);
}

static inline void trace_arm_smmu_master_quarantine(u32 sid)
{
	void (*probe)(u32) = READ_ONCE(arm_smmu_trace_probes.master_quarantine);

	if (probe)
		probe(sid);
}
