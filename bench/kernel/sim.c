// SPDX-License-Identifier: GPL-2.0
/*
 * kernel_sim: the simulated twin of a real-kernel run (see kernel.h), for
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
	struct sim_world world; /* rcu: a domain per device, from the world */
	struct arm_smmu_devlist_domain *dl_domains[KERNEL_MAX_DEVICES];
	unsigned int devices, attached;
	bool devlist, ats;
};

static void kernel_sim_free(struct kernel_sim_world *w)
{
	unsigned int i;

	for (i = 0; w->devlist && i < w->devices; i++) {
		if (i < w->attached)
			arm_smmu_devlist_detach(w->dl_domains[i],
						w->world.masters[i].master,
						IOMMU_NO_PASID);
		if (!IS_ERR_OR_NULL(w->dl_domains[i]))
			arm_smmu_devlist_domain_free(w->dl_domains[i]);
	}
	sim_world_destroy(&w->world);
}

/*
 * QEMU's virt SMMUv3: no MSI (CMD_SYNC polled), RIL; with ATS (run.sh
 * --ats) IDR0.ATS, and device i behind root port i: requester ID, so SID,
 * (i + 1) << 8.  Each device is in a group of its own: its own DMA domain.
 */
static int kernel_sim_build(struct kernel_sim_world *w)
{
	const struct sim_world_config cfg = {
		.hw = { .range_inv = true, .cmdq_shift = 8, .ats = w->ats },
		.num_sids = w->ats ? (w->devices + 1) << 8 : w->devices,
		.num_domains = w->devlist ? 0 : w->devices,
		.num_masters = w->devices,
		.first_sid = w->ats ? 1 << 8 : 0,
		.sid_stride = w->ats ? 1 << 8 : 1,
		.no_ats = !w->ats,
	};
	unsigned int i;
	int ret;

	ret = sim_world_create(&w->world, &cfg);
	for (i = 0; !ret && i < w->devices; i++) {
		struct arm_smmu_master *master = w->world.masters[i].master;

		if (w->devlist) {
			w->dl_domains[i] = arm_smmu_devlist_domain_alloc(
				&w->world.smmu[0], ARM_SMMU_DOMAIN_S1, i + 1);
			if (IS_ERR(w->dl_domains[i]))
				return PTR_ERR(w->dl_domains[i]);
			ret = arm_smmu_devlist_attach(w->dl_domains[i], master,
						      IOMMU_NO_PASID);
		} else {
			ret = arm_smmu_attach_dev(master, w->world.domains[i],
						  IOMMU_NO_PASID);
		}
		if (!ret)
			w->attached++;
	}
	return ret;
}

/* What the twin's trace says of itself, as a real run's says of its kernel */
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

int kernel_sim_run(unsigned int devices, unsigned long ops, bool devlist,
		   bool ats, struct kernel_trace *t)
{
	struct kernel_sim_world w = { .devices = devices,
				      .devlist = devlist,
				      .ats = ats };
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
	if (ats)
		sim_smmu_set_trace(w.world.hw[0], kernel_sim_trace, t);

	for (op = 0; op < 256; op++)
		before[op] = sim_smmu_cmd_count(w.world.hw[0], op);
	kernel_sim_cur = t;
	arm_smmu_trace_probes.cmdq_issue_start = kernel_sim_probe_start;
	arm_smmu_trace_probes.cmdq_issue_done = kernel_sim_probe;
	for (i = 0; i < ops; i++) {
		unsigned long iova =
			KERNEL_SIM_IOVA + (i % KERNEL_SIM_PAGES) * SZ_4K;
		unsigned int d = i % devices;
		u64 t0 = local_clock();

		if (devlist)
			arm_smmu_devlist_domain_inv_range(w.dl_domains[d], iova,
							  SZ_4K, SZ_4K, true);
		else
			arm_smmu_domain_inv_range(w.world.domains[d], iova,
						  SZ_4K, SZ_4K, true);
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
