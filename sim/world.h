/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_world: a simulated machine with the kernel-form driver probed on it,
 * the one set-up every user shares (stress, micro, the tests):
 *
 *   - num_smmus SMMUs of num_sids stream IDs each, probed (sim_smmu_probe),
 *     each with the isolation strategy @isolate_ops;
 *   - num_domains stage-1 domains, ASIDs 1..num_domains (with
 *     @s2_nest_parent: stage-2 nesting parents, VMIDs 1..num_domains;
 *     with @mixed_stages the odd-numbered ones only),
 *     domain d on SMMU d % num_smmus;
 *   - num_masters masters, master i on stream ID first_sid + i * sid_stride
 *     (default: i), so that stream IDs are unique across SMMUs, behind the
 *     SMMU of its domain (sim_world_master_smmu()); each with ATS unless
 *     @no_ats, or unless it
 *     is one of the first @no_ats_per_domain of its domain's masters.
 *     The last @pasid_per_domain masters of each domain are attached at a
 *     PASID, master i at PASID i + 1: their devices' @ssid, which their
 *     requests carry.
 *     With @devices, each has a simulated PCIe device (a sim_dev with an ATC
 *     of @atc_pages pages, added to the SMMU) and a struct pci_dev probed
 *     through the IOMMU core (iommu_probe_device(), so the reset protocol
 *     applies), and master i is attached through the core to domain
 *     i / masters_per_domain (masters_per_domain 0: none attached).
 *     Without @devices, a master is the driver's alone (probe_master), for
 *     callers that attach it themselves.
 *
 * Everything is built in that order (domains, then each master probed and
 * attached before the next), so the commands the set-up issues are the same
 * from run to run.  Not thread-safe: build and destroy from one thread.
 */
#ifndef SIM_WORLD_H
#define SIM_WORLD_H

#include <arm-smmu-v3/arm-smmu-v3.h>
#include <linux/pci.h>

#include "dev.h"
#include "oracle.h"
#include "smmu.h"

#define SIM_WORLD_MAX_SMMUS 4

struct sim_world_config {
	struct sim_smmu_config hw; /* every SMMU's */
	unsigned int num_smmus; /* 1..SIM_WORLD_MAX_SMMUS (0: 1) */
	unsigned int num_sids; /* per SMMU (0: the last master's SID + 1) */
	const struct arm_smmu_atc_isolate_ops *isolate_ops; /* NULL: default */
	unsigned int num_domains;
	bool s2_nest_parent; /* the domains: stage-2 nesting parents */
	bool mixed_stages; /* the odd domains only (ids as their index + 1) */
	unsigned int num_masters;
	u32 first_sid, sid_stride; /* master i's SID (stride 0: 1) */
	const u32 *sids; /* else master i's SID, increasing with i */
	bool no_ats;
	unsigned int no_ats_per_domain; /* with masters_per_domain */
	unsigned int pasid_per_domain; /* with masters_per_domain, stage 1 */
	bool devices;
	unsigned int masters_per_domain;
	unsigned int atc_pages; /* 0: no ATC model */
	u64 dev_latency_ns;
};

struct sim_world_master {
	struct arm_smmu_master *master;
	/* With devices only */
	struct sim_dev sdev;
	struct pci_dev pdev;
	char name[16]; /* "0000:00:DD.F" */
	bool probed; /* by the IOMMU core */
};

struct sim_world {
	struct arm_smmu_device smmu[SIM_WORLD_MAX_SMMUS];
	struct sim_smmu *hw[SIM_WORLD_MAX_SMMUS];
	unsigned int num_smmus;
	struct arm_smmu_domain **domains;
	unsigned int num_domains;
	struct sim_world_master *masters;
	unsigned int num_masters;
	bool devices;
};

/*
 * Build @w from @cfg: 0, or a negative errno (-EINVAL: @cfg out of range),
 * having undone what was built.
 */
int sim_world_create(struct sim_world *w, const struct sim_world_config *cfg);
/*
 * Undo sim_world_create(): pending work flushed, masters released, domains
 * freed, SMMUs removed.  Domains the caller allocated on the world's SMMUs
 * must be freed before; masters the caller attached elsewhere detached.
 */
void sim_world_destroy(struct sim_world *w);

/*
 * The SMMU of master @i: its domain's (i / masters_per_domain), or with no
 * masters_per_domain, i % num_smmus
 */
unsigned int sim_world_master_smmu(const struct sim_world_config *cfg,
				   unsigned int i);

/*
 * An oracle (sim/oracle.h) over the domains of @w, @pages pages each, every
 * page mapped: each SMMU's stream table and TLB, and each master's streams
 * and each domain on its SMMU.  sim_oracle_destroy() frees it.
 */
int sim_world_oracle(struct sim_world *w, unsigned int pages,
		     struct sim_oracle **out);

/* The counters of every SMMU of @w, summed */
struct sim_world_stats {
	struct sim_smmu_stats hw;
	u64 atc_isolations, atc_isolation_tests;
};

void sim_world_stats(struct sim_world *w, struct sim_world_stats *st);

/*
 * Attach master @i (with devices) to @domain through the IOMMU core, at its
 * device's PASID if it has one: as iommu_attach_device()
 */
int sim_world_attach(struct sim_world *w, unsigned int i,
		     struct arm_smmu_domain *domain);
/*
 * The same at PASID @ssid (IOMMU_NO_PASID: the RID), which replaces the
 * master's attachment; the caller then sets its device's @ssid, once the
 * device no longer does DMA with the old one
 */
int sim_world_attach_at(struct sim_world *w, unsigned int i,
			struct arm_smmu_domain *domain, u32 ssid);

#endif /* SIM_WORLD_H */
