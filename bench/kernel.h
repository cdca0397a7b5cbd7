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

/* The file's "schema_version" (results/README.md describes the schema) */
#define KERNEL_SCHEMA_VERSION 1

int kernel_cmd(int argc, char **argv);

#endif /* KERNEL_H */
