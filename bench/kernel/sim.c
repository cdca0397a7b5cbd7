// SPDX-License-Identifier: GPL-2.0
/*
 * kernel_sim: the simulated twin of a real-kernel run (see internal.h), for
 * holding atcbench's kernel-form code against the real driver: the same
 * topology and the same invalidations, counted the way atc-trace.sh and
 * QEMU count them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/sched/clock.h>
#include <arm-smmu-v3/arm-smmu-v3.h>
#include <trace/events/arm_smmu_v3.h>
#include <variants/devlist.h>
#include <sim/cmd.h>
#include <sim/smmu.h>
#include <sim/world.h>

#include "kernel/internal.h"

#define KERNEL_SIM_IOVA 0x100000UL
#define KERNEL_SIM_PAGES 256 /* the pages the invalidations cycle over */

/*
 * The issue probe's view: lists by size.  The probe does not say whether a
 * list ended in a CMD_SYNC: kernel_sim_run() marks them all synced when the
 * SMMU executed one CMD_SYNC per list, and none otherwise.
 */
static struct kernel_trace *kernel_sim_cur;

static u64 kernel_sim_t0;

static void kernel_sim_probe_start(int n)
{
	kernel_sim_t0 = local_clock();
}

static void kernel_sim_probe(int n, bool sync, int ret)
{
	struct kernel_trace *t = kernel_sim_cur;
	unsigned int i;

	t->hits[KP_ISSUE]++;
	lat_record(t->issue_lat, local_clock() - kernel_sim_t0);
	for (i = 0; i < t->nsizes; i++)
		if (t->sizes[i].n == n)
			break;
	if (i == t->nsizes) {
		if (t->nsizes == KERNEL_MAX_SIZES)
			return;
		t->sizes[t->nsizes++] = (typeof(t->sizes[0])){ n, false, 0 };
	}
	t->sizes[i].count++;
}

/* The SMMU's view of ATS: every ATC_INV it executes, by shape */
static void kernel_sim_trace(void *arg, const u64 *cmd)
{
	struct kernel_trace *t = arg;
	struct kernel_atc_inv a = {};
	unsigned int i;

	if (FIELD_GET(CMDQ_0_OP, cmd[0]) != CMDQ_OP_ATC_INV)
		return;
	a.sid = FIELD_GET(CMDQ_ATC_0_SID, cmd[0]);
	a.ssid = FIELD_GET(CMDQ_ATC_0_SSID, cmd[0]);
	a.ssv = cmd[0] & CMDQ_0_SSV;
	a.global = cmd[0] & CMDQ_ATC_0_GLOBAL;
	a.size = FIELD_GET(CMDQ_ATC_1_SIZE, cmd[1]);
	for (i = 0; i < t->natc; i++)
		if (t->atc[i].sid == a.sid && t->atc[i].ssid == a.ssid &&
		    t->atc[i].ssv == a.ssv && t->atc[i].global == a.global &&
		    t->atc[i].size == a.size)
			break;
	if (i == t->natc) {
		if (t->natc == KERNEL_MAX_ATC)
			return;
		t->atc[t->natc++] = a;
	}
	t->atc[i].count++;
}

struct kernel_sim_world {
	struct sim_world world; /* rcu: the domains, from the world */
	struct arm_smmu_devlist_domain *dl_domains[KERNEL_MAX_DEVICES];
	u32 sids[KERNEL_MAX_DEVICES];
	enum kernel_topology topo;
	unsigned int devices, domains, attached;
	bool devlist, ats;
};

static void kernel_sim_free(struct kernel_sim_world *w)
{
	unsigned int i;

	for (i = 0; w->devlist && i < w->attached; i++)
		arm_smmu_devlist_detach(
			w->dl_domains[kernel_guest_domain(w->topo, i)],
			w->world.masters[i].master, IOMMU_NO_PASID);
	for (i = 0; w->devlist && i < w->domains; i++)
		if (!IS_ERR_OR_NULL(w->dl_domains[i]))
			arm_smmu_devlist_domain_free(w->dl_domains[i]);
	sim_world_destroy(&w->world);
}

/* The domain of each device as the guest's topology groups them */
static int kernel_sim_build(struct kernel_sim_world *w)
{
	struct sim_world_config cfg = {
		.hw = { .range_inv = true, .cmdq_shift = 8, .ats = w->ats },
		.num_masters = w->devices,
		.sids = w->sids,
		.no_ats = !w->ats,
	};
	unsigned int i;
	int ret;

	for (i = 0; i < w->devices; i++) {
		w->sids[i] = kernel_guest_sid(w->topo, i);
		w->domains =
			max(w->domains, kernel_guest_domain(w->topo, i) + 1);
	}
	cfg.num_domains = w->devlist ? 0 : w->domains;
	ret = sim_world_create(&w->world, &cfg);
	for (i = 0; !ret && w->devlist && i < w->domains; i++) {
		w->dl_domains[i] = arm_smmu_devlist_domain_alloc(
			&w->world.smmu[0], ARM_SMMU_DOMAIN_S1, i + 1);
		if (IS_ERR(w->dl_domains[i]))
			ret = PTR_ERR(w->dl_domains[i]);
	}
	for (i = 0; !ret && i < w->devices; i++) {
		struct arm_smmu_master *master = w->world.masters[i].master;
		unsigned int d = kernel_guest_domain(w->topo, i);

		if (w->devlist)
			ret = arm_smmu_devlist_attach(w->dl_domains[d], master,
						      IOMMU_NO_PASID);
		else
			ret = arm_smmu_attach_dev(master, w->world.domains[d],
						  IOMMU_NO_PASID);
		if (!ret)
			w->attached++;
	}
	return ret;
}

static void kernel_sim_describe(struct kernel_trace *t, unsigned int devices,
				bool devlist, bool ats)
{
	unsigned int op;

	snprintf(t->kernel, sizeof(t->kernel), "sim-%s",
		 devlist ? "devlist" : "rcu");
	snprintf(t->workload, sizeof(t->workload), "dio");
	snprintf(t->times, sizeof(t->times),
		 "the software on a zero-latency simulated SMMU");
	snprintf(t->points[0][0], sizeof(t->points[0][0]),
		 "arm_smmu_cmdq_issue_cmdlist");
	snprintf(t->points[1][0], sizeof(t->points[1][0]), "%s",
		 devlist ? "arm_smmu_devlist_domain_inv_range" :
			   "arm_smmu_domain_inv_range");
	snprintf(t->points[2][1], sizeof(t->points[2][1]), "absent");
	snprintf(t->points[3][1], sizeof(t->points[3][1]), "absent");
	for (op = 0; op < 2; op++)
		snprintf(t->points[op][1], sizeof(t->points[op][1]), "%s",
			 t->points[op][0]);
	t->devices = devices;
	t->probed[KP_ISSUE] = t->probed[KP_OP] = true;
	t->ats = ats;
}

int kernel_sim_run(const struct kernel_opts *o, struct kernel_trace *t)
{
	struct kernel_sim_world w = { .devices = o->devices,
				      .devlist = o->design == 1,
				      .ats = o->ats,
				      .topo = kernel_topology_of(o) };
	unsigned int devices = o->devices;
	bool devlist = w.devlist, ats = o->ats, lazy = o->dma_mode == KD_LAZY;
	u64 before[256];
	unsigned long i;
	unsigned int op;
	int ret;

	if (!devices || devices > KERNEL_MAX_DEVICES)
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	ret = lat_create(LAT_DEFAULT_DIGITS, &t->issue_lat);
	if (!ret)
		ret = lat_create(LAT_DEFAULT_DIGITS, &t->op_lat);
	if (!ret)
		ret = kernel_sim_build(&w);
	if (ret)
		goto out;

	kernel_sim_describe(t, devices, devlist, ats);
	snprintf(t->topology, sizeof(t->topology), "%s",
		 kernel_topology_names[w.topo]);
	snprintf(t->dma_mode, sizeof(t->dma_mode), "%s",
		 kernel_dma_mode_names[o->dma_mode]);
	if (ats)
		sim_smmu_set_trace(w.world.hw[0], kernel_sim_trace, t);

	for (op = 0; op < 256; op++)
		before[op] = sim_smmu_cmd_count(w.world.hw[0], op);
	kernel_sim_cur = t;
	arm_smmu_trace_probes.cmdq_issue_start = kernel_sim_probe_start;
	arm_smmu_trace_probes.cmdq_issue_done = kernel_sim_probe;
	for (i = 0; i < o->ops; i++) {
		/* strict: one page per unmap; lazy: a flush queue's whole domain */
		unsigned long iova =
			lazy ? 0 :
			       KERNEL_SIM_IOVA + (i % KERNEL_SIM_PAGES) * SZ_4K;
		size_t size = lazy ? 0 : SZ_4K;
		unsigned int d = kernel_guest_domain(w.topo, i % devices);
		u64 t0 = local_clock();

		if (devlist)
			arm_smmu_devlist_domain_inv_range(w.dl_domains[d], iova,
							  size, SZ_4K, !lazy);
		else
			arm_smmu_domain_inv_range(w.world.domains[d], iova,
						  size, SZ_4K, !lazy);
		lat_record(t->op_lat, local_clock() - t0);
		t->hits[KP_OP]++;
	}
	arm_smmu_trace_probes.cmdq_issue_start = NULL;
	arm_smmu_trace_probes.cmdq_issue_done = NULL;
	kernel_sim_cur = NULL;
	sim_smmu_set_trace(w.world.hw[0], NULL, NULL);

	t->have_opcodes = true;
	for (op = 0; op < 256 && t->nopcodes < KERNEL_MAX_OPCODES; op++) {
		u64 n = sim_smmu_cmd_count(w.world.hw[0], op) - before[op];

		if (!n)
			continue;
		snprintf(t->opcodes[t->nopcodes].name,
			 sizeof(t->opcodes[0].name), "%s", sim_cmd_name(op));
		t->opcodes[t->nopcodes++].count = n;
	}
	if (sim_smmu_cmd_count(w.world.hw[0], CMDQ_OP_CMD_SYNC) -
		    before[CMDQ_OP_CMD_SYNC] ==
	    t->hits[KP_ISSUE])
		for (i = 0; i < t->nsizes; i++)
			t->sizes[i].sync = true;
out:
	kernel_sim_free(&w);
	return ret;
}
