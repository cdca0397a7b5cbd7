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
#define KERNEL_NAME_MAX 63
#define KERNEL_MAX_DEVICES 8
#define KERNEL_MAX_OPS 1000000
#define KERNEL_MIN_TIMEOUT_S 10
#define KERNEL_MAX_TIMEOUT_S 7200
#define KERNEL_LINE_MAX 512
#define KERNEL_MAX_ATC_DELAY_NS (10ULL * 1000 * 1000 * 1000)
#define KERNEL_TIMES_NOTE "TCG: times are emulation times, counts are exact"

struct kernel_opts {
	const char *kernel, *image, *modules, *out, *name;
	const char *tree, *ref, *atc_timeout;
	unsigned int workload; /* kernel_workload_names[] */
	unsigned int design; /* kernel_design_names[] */
	unsigned int devices, ops, timeout;
	u64 atc_delay_ns;
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

/* boot.c */
int kernel_get(const struct kernel_opts *o, const char *ref,
	       struct kernel_src *k);
int kernel_boot(const struct kernel_opts *o, const struct kernel_src *k,
		const char *out, const char *name);

#endif /* KERNEL_INTERNAL_H */
