/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_cost: what an access costs a time-ordered virtual CPU of
 * <khooks/vcpu.h> (KHOOKS_VCPU_TIME), on a machine described by a profile.
 *
 * Memory is cache lines of SIM_COST_LINE_BYTES, each with the CPU that
 * wrote it last (its owner) and the CPUs that hold a copy of it as it is:
 *  - every point costs the profile's @point_ps: the instructions that run
 *    between two points of the kernel-form code;
 *  - a load of a line this CPU holds no copy of costs a transfer from the
 *    owner, lat[distance(owner, cpu)] (from the home, memory and the L3 of
 *    CPU 0's die, for a line no CPU wrote);
 *  - a store or an RMW to a line this CPU does not own alone costs a
 *    transfer too, and serialises on the line: the line moves to one CPU
 *    at a time, so a write that comes while it is still on its way to
 *    another waits for it first (the cmpxchg storm of many CPUs on one
 *    word);
 *  - an MMIO access costs @mmio_ns;
 *  - with @rmw_home_ns (far atomics), an RMW runs at the line's home
 *    instead, which takes one at a time for that long, a round trip away.
 * A transfer takes its latency within +-SIM_COST_JITTER_PCT (25 %), drawn
 * from @seed: with none, CPUs that retry a cmpxchg fall into a period in
 * which the same ones always lose, which an interconnect's arbitration
 * does not keep up.
 * The distance of two CPUs is the level of the topology they share last:
 * cluster, die, package (another die of the socket) or socket (another
 * socket); virtual CPU i is core i, clusters filled first.
 *
 * A profile names a machine: its topology and latencies, and where each
 * figure comes from (docs/decisions.md).  One is named here,
 * kunpeng920-96; atcbench scale builds one of the machine it runs on from
 * hwloc and a measurement (bench/scale/host.c).
 *
 * Synchronisation: none.  The virtual CPUs run on one thread; a sim_cost
 * is used by one run at a time.
 */
#ifndef SIM_COST_H
#define SIM_COST_H

#include <linux/types.h>
#include <khooks/vcpu.h>

#define SIM_COST_LINE_BYTES 64
#define SIM_COST_MAX_CPUS KHOOKS_VCPU_MAX_CPUS
#define SIM_COST_NAME_MAX 32

enum sim_cost_level {
	SIM_COST_CLUSTER, /* another core of the cluster */
	SIM_COST_DIE, /* another cluster of the die */
	SIM_COST_PACKAGE, /* another die of the socket */
	SIM_COST_SOCKET, /* another socket */
	SIM_COST_NR_LEVELS,
};

struct sim_cost_profile {
	char name[SIM_COST_NAME_MAX];
	unsigned int cores_per_cluster, clusters_per_die, dies_per_socket;
	unsigned int sockets;
	u64 point_ps; /* a point's instructions, in picoseconds */
	u64 lat_ns[SIM_COST_NR_LEVELS]; /* a line's transfer, by distance */
	u64 mmio_ns;
	u64 rmw_home_ns; /* 0: atomics take the line; else far, this long */
	const char *source; /* where the figures come from (one line) */
};

/* The named profiles (NULL-terminated by name), for --help */
extern const struct sim_cost_profile sim_cost_profiles[];

/* The profile called @name into @p: 0, or -ENOENT */
int sim_cost_profile_find(const char *name, struct sim_cost_profile *p);
/* How many cores @p has */
unsigned int sim_cost_profile_cores(const struct sim_cost_profile *p);

struct sim_cost;

struct sim_cost_stats {
	u64 points;
	u64 transfers; /* lines moved to another CPU */
	u64 line_wait_ns; /* writes waiting for a line still in flight */
	u64 transfer_ns; /* time in transfers */
};

/* Per line: what @sim_cost_line() reports */
struct sim_cost_line_stats {
	u64 loads, stores, rmws;
	u64 transfers;
	u64 wait_ns;
};

/*
 * A cost model for @cpus virtual CPUs on @p: -EINVAL when @p has fewer
 * cores, or no line fits; -ENOMEM
 */
int sim_cost_create(const struct sim_cost_profile *p, unsigned int cpus,
		    u64 seed, struct sim_cost **out);
void sim_cost_destroy(struct sim_cost *c);

/* khooks_vcpu_config.cost, with @arg the sim_cost */
uint64_t sim_cost_fn(void *arg, unsigned int cpu, enum khooks_vcpu_op op,
		     const volatile void *p, size_t size);

void sim_cost_stats(const struct sim_cost *c, struct sim_cost_stats *st);
/* The counters of the line that holds @p (zeros if never touched) */
void sim_cost_line(const struct sim_cost *c, const volatile void *p,
		   struct sim_cost_line_stats *st);

#endif /* SIM_COST_H */
