/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kernel/internal.h: what the kernel command's files share (kernel.h is
 * the interface): the limits, the options, a kernel to boot
 */
#ifndef KERNEL_INTERNAL_H
#define KERNEL_INTERNAL_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#include "kernel/kernel.h"
#include "lib/results.h"

#define EXIT_USAGE 2
#define KERNEL_INTERRUPTED 130 /* Ctrl-C or SIGTERM stopped a script */
#define KERNEL_NAME_MAX 63
#define KERNEL_MAX_DEVICES 8
#define KERNEL_MAX_OPS 1000000
#define KERNEL_MIN_TIMEOUT_S 10
#define KERNEL_MAX_TIMEOUT_S 7200
#define KERNEL_LINE_MAX 512
#define KERNEL_MAX_ATC_DELAY_NS (10ULL * 1000 * 1000 * 1000)
#define KERNEL_MAX_THREADS 64 /* dmabench's, as run.sh checks them */
#define KERNEL_MAX_SECONDS_DMABENCH 300
#define KERNEL_MAX_GRANULE 1024
#define KERNEL_TIMES_NOTE "TCG: times are emulation times, counts are exact"

/* The guest's PCIe topology and DMA mode (guest.c) */
enum kernel_topology { KT_AUTO, KT_BUS, KT_PORTS, KT_MF };
enum kernel_dma_mode { KD_STRICT, KD_LAZY };
extern const char *const kernel_topology_names[];
extern const char *const kernel_dma_mode_names[];

struct kernel_opts {
	const char *kernel, *image, *modules, *out, *name;
	const char *tree, *ref, *atc_timeout, *atc_slow;
	unsigned int workload; /* kernel_workload_names[] */
	unsigned int design; /* kernel_design_names[] */
	unsigned int topology; /* enum kernel_topology */
	unsigned int dma_mode; /* enum kernel_dma_mode */
	unsigned int devices, ops, timeout;
	unsigned int threads, seconds, granule; /* dmabench */
	u64 atc_delay_ns, atc_slow_delay_ns;
	bool ats;
};

extern const char *const kernel_workload_names[];

/* A kernel to boot: its Image, its modules folder ("" for none), whence */
struct kernel_src {
	char dir[RESULTS_PATH_MAX]; /* fetch.sh's or build.sh's folder, or "" */
	char image[RESULTS_PATH_MAX], modules[RESULTS_PATH_MAX];
	char source[RESULTS_PATH_MAX + 64];
	char sha[64]; /* the commit built (--tree), else "" */
};

/* guest.c */
/* @o's topology, auto resolved: ports with ATS, else bus */
enum kernel_topology kernel_topology_of(const struct kernel_opts *o);
/* Device @i's SID, and the domain it is in (0, 1, ...) */
unsigned int kernel_guest_sid(enum kernel_topology t, unsigned int i);
unsigned int kernel_guest_domain(enum kernel_topology t, unsigned int i);

extern const char *const kernel_point_roles[];
/* trace.c */
void kernel_read_line(const char *dir, const char *name, char *buf, size_t len);
int kernel_trace_load(const char *dir, struct kernel_trace *t, char *err,
		      size_t errlen);
void kernel_trace_free(struct kernel_trace *t);

/* output.c */
/* The ATC oracle's violations, summed over the SIDs */
struct kernel_oracle_totals {
	unsigned long long stale, order;
	unsigned int silent; /* ATS devices that received no ATC_INV */
};
void kernel_oracle_totals(const struct kernel_trace *t,
			  struct kernel_oracle_totals *o);
int kernel_write_results(const char *out, const char *name, const char *source,
			 const struct kernel_trace *t);
int kernel_convert(const char *trace, const char *out, const char *name,
		   const char *source);

/* sim.c */
/*
 * The simulated twin of a real run: the kernel-form code against the
 * simulated SMMU in the topology QEMU gives the guest (an SMMU without MSI,
 * with range invalidation; @o's topology: a domain per device, or per
 * multi-function pair; ATS with @o->ats), @o->ops invalidations spread
 * over the devices: one page each (strict), or a whole domain each (lazy:
 * a flush queue's flush).  @o->design 1: the pre-7.1 device list
 * (variants/devlist.c), else the array.  The ATC_INVs are counted by shape.
 */
int kernel_sim_run(const struct kernel_opts *o, struct kernel_trace *t);

/* boot.c */
/* @ref's commit in @tree, into @sha, building nothing; 0 or an exit status */
int kernel_resolve(const char *tree, const char *ref, char *sha, size_t len);
int kernel_get(const struct kernel_opts *o, const char *ref,
	       struct kernel_src *k);
int kernel_boot(const struct kernel_opts *o, const struct kernel_src *k,
		const char *out, const char *name);

#endif /* KERNEL_INTERNAL_H */
