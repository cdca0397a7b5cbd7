/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kernel: the real kernel's invalidation path, measured the way atcbench
 * measures its own ("atcbench kernel run|convert").
 *
 * run: get a kernel (kernel-hooks/real/fetch.sh: a Debian arm64 package,
 * cached; or the user's Image), boot it under QEMU with an SMMUv3 and
 * virtio-blk devices behind it, trace a mapping workload with
 * kernel-hooks/real/atc-trace.sh (kernel-hooks/real/run.sh), convert.
 * convert: turn atc-trace.sh's output folder (from QEMU or from a real
 * machine) into a results folder's files:
 *   kernel-NAME.json           counts (exact) and latency histograms
 *   kernel-NAME-METRIC.hgrm    cmdq_issue and inv, HdrHistogram text
 * which report, compare and plot.sh read like the stress runs' files.
 */
#ifndef KERNEL_H
#define KERNEL_H

#include <stdbool.h>

#include "lib/lat.h"

/* The file's "schema_version" (results/README.md describes the schema) */
#define KERNEL_SCHEMA_VERSION 1

#define KERNEL_MAX_OPCODES 64 /* distinct opcodes QEMU names */
#define KERNEL_MAX_SIZES 256 /* distinct (commands, sync) list shapes */
#define KERNEL_MAX_ATC 256 /* distinct ATC_INV shapes (SID, SSID, ...) */
#define KERNEL_ATC_SPEC_MAX 127 /* characters of an --atc-timeout */
#define KERNEL_MAX_SECONDS 3600 /* the window's seconds, for error rates */
#define KERNEL_MAX_SIDS 64 /* SIDs the ATC oracle reports on */
#define KERNEL_ORACLE_FIRST 4 /* stale IOVAs kept per SID */

/*
 * What atc-trace.sh (and run.sh) left in a trace folder, or what the
 * simulated twin of a run counted (kernel_sim_run())
 */
enum { KP_ISSUE, KP_ISSUE_RET, KP_OP, KP_OP_RET, KP_ATC, KP_SKIP, KP_NR };

struct kernel_trace {
	char kernel[128], qemu[32], workload[32];
	char times[96]; /* what the latencies measure */
	char points[4][2][128]; /* issue, op, atc, skip: function, where */
	unsigned long long hits[KP_NR]; /* per probe */
	bool probed[KP_NR];
	struct {
		long n;
		bool sync;
		unsigned long long count;
	} sizes[KERNEL_MAX_SIZES];
	unsigned int nsizes;
	/*
	 * Events the tracer's histograms dropped: list shapes (then the
	 * shapes do not add up to the lists: not exact) and latencies
	 */
	unsigned long long dropped_shapes, dropped_latencies;
	struct {
		char name[32];
		unsigned long long count;
	} opcodes[KERNEL_MAX_OPCODES];
	unsigned int nopcodes;
	bool have_opcodes; /* the SMMU's own count (QEMU, simulation) */
	/* ATS (run.sh --ats): the ATC_INVs the SMMU executed, by shape */
	struct kernel_atc_inv {
		unsigned int sid, ssid, size;
		bool ssv, global, fails;
		unsigned long long count;
	} atc[KERNEL_MAX_ATC];
	unsigned int natc;
	bool ats;
	/*
	 * The ATC oracle of qemu-ats.patch (run.sh --ats), over the whole run:
	 * per SID the SMMU saw used with EATS, the stale ATC hits (with the
	 * first IOVAs) and the ATC_INVs ahead of their TLBI's CMD_SYNC
	 */
	struct kernel_atc_sid {
		unsigned int sid;
		bool eats;
		unsigned long long stale, order;
		unsigned long long first[KERNEL_ORACLE_FIRST]; /* stale IOVAs */
	} sids[KERNEL_MAX_SIDS];
	unsigned int nsids;
	bool oracle;
	char atc_timeout[KERNEL_ATC_SPEC_MAX +
			 1]; /* injected ATC timeouts, or "" */
	/* slow ATC answers, "SPEC DELAY_NS", or "" */
	char atc_slow[KERNEL_ATC_SPEC_MAX + 24];
	/*
	 * ATC timeouts per second of the window: reported by the SMMU
	 * (CERROR_ATC_INV_SYNC) and by the kernel ("CMDQ error" lines), and
	 * the kernel's CMD_SYNC waits that gave up ("CMD_SYNC timeout")
	 */
	unsigned long long smmu_errors[KERNEL_MAX_SECONDS];
	unsigned long long kernel_errors[KERNEL_MAX_SECONDS];
	unsigned long long sync_timeouts[KERNEL_MAX_SECONDS];
	unsigned int nseconds;
	long devices;
	char topology[16], dma_mode[16]; /* run.sh's, or "" (hardware) */
	/* dmabench: what the kernel's DMA map benchmark returned */
	struct kernel_dmabench {
		unsigned int threads, seconds, granule;
		double map_us, map_sd_us, unmap_us, unmap_sd_us;
		char lines[3][128]; /* as printed, the selftest's format */
		bool ran;
	} dmabench;
	struct lat_hist *issue_lat, *op_lat;
};

int kernel_cmd(int argc, char **argv);

#endif /* KERNEL_H */
