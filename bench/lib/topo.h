/* SPDX-License-Identifier: GPL-2.0 */
/*
 * topo: the machine's topology (hwloc), where each worker thread runs (a
 * pinning plan), and memory local to its NUMA node (libnuma).
 *
 * Plans, for N threads over the PUs hwloc reports:
 *   compact    thread i on PU i (mod PUs): fill a core, then the next
 *   spread     first one PU per core, alternating packages, then the SMT
 *              siblings
 *   per-node   round-robin over NUMA nodes, compact within a node
 *   LIST       an explicit list of OS CPU numbers ("0,2,4-7"), reused
 *              round-robin
 *
 * The mode recorded with the results:
 *   real         bound threads, NUMA-local memory on a multi-node machine
 *   single-node  bound threads, one NUMA node (or NUMA refused by the kernel)
 *   simulated    a topology that is not this machine (HWLOC_SYNTHETIC,
 *                HWLOC_XMLFILE): the plan is computed, binding is a no-op
 *   unbound      binding was refused: the run went on without it
 * A run never fails because binding is refused.
 */
#ifndef TOPO_H
#define TOPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define TOPO_MAX_THREADS 256
#define TOPO_MAX_CPUS 4096
#define TOPO_LIST_MAX 1024 /* bytes of an explicit CPU list */

enum topo_mode {
	TOPO_REAL,
	TOPO_SINGLE_NODE,
	TOPO_SIMULATED,
	TOPO_UNBOUND,
};

enum topo_plan_kind {
	TOPO_COMPACT,
	TOPO_SPREAD,
	TOPO_PER_NODE,
	TOPO_LIST,
};

/* Where one worker runs */
struct topo_slot {
	int cpu; /* OS index of the PU */
	int node; /* OS index of its NUMA node */
};

struct topo {
	void *hwloc; /* hwloc_topology_t */
	unsigned int pus, cores, packages, nodes;
	bool synthetic; /* not this system */
	bool can_bind; /* hwloc can bind threads here */
	bool numa; /* libnuma usable and more than one node */
	bool bind_failed; /* a binding was refused */
	char desc[128]; /* HWLOC_SYNTHETIC / HWLOC_XMLFILE, or "" */
};

/* Load the topology (honours HWLOC_SYNTHETIC); a negative errno */
int topo_init(struct topo *t);
void topo_fini(struct topo *t);
enum topo_mode topo_mode(const struct topo *t);
const char *topo_mode_name(enum topo_mode mode);
/* "compact", "spread", "per-node"; else it is a CPU list: -EINVAL */
int topo_parse_plan(const char *s, enum topo_plan_kind *kind);

/*
 * Compute the slots of @nthreads workers.  @list is the CPU list of
 * TOPO_LIST.  -EINVAL with a reason in @err for a bad list (syntax, a CPU
 * that is not in the topology).
 */
int topo_plan(const struct topo *t, enum topo_plan_kind kind, const char *list,
	      unsigned int nthreads, struct topo_slot *slots, char *err,
	      size_t errlen);

/* Bind the calling thread to @slot; a refusal is recorded, not fatal */
void topo_bind_self(struct topo *t, const struct topo_slot *slot);

/* @size zeroed bytes on @node where NUMA is usable, else anywhere */
void *topo_alloc(const struct topo *t, size_t size, int node);
void topo_free(const struct topo *t, void *p, size_t size);

/*
 * The machine as nested levels of sharing, as atcbench scale's cost model
 * sees one (sim/cost.h): a cluster is the cores under one L2 (a core alone
 * without a shared L2), a die the clusters under one L3 (the package
 * without an L3), a package hwloc's.  @peer[l]: the OS index of the first
 * PU of the first core that shares level @l with the first core and no
 * level below it (-1: none, a level this machine has one of).
 */
enum topo_level {
	TOPO_LEVEL_CLUSTER,
	TOPO_LEVEL_DIE,
	TOPO_LEVEL_PACKAGE,
	TOPO_LEVEL_SOCKET, /* another package */
	TOPO_NR_LEVELS,
};

struct topo_layout {
	unsigned int cores_per_cluster, clusters_per_die, dies_per_package;
	unsigned int packages;
	int first; /* the OS index of the first core's first PU */
	int peer[TOPO_NR_LEVELS];
};

/* @t's layout: 0, or -EINVAL when its levels are not all alike */
int topo_layout(const struct topo *t, struct topo_layout *l);

/* The topology, its mode and the plan, for "atcbench topo" */
void topo_print(const struct topo *t, const struct topo_slot *slots,
		unsigned int nthreads, FILE *f);
/* The same as a JSON object (env.json) */
void topo_json(const struct topo *t, const char *plan, FILE *f);

#endif /* TOPO_H */
