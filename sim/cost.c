// SPDX-License-Identifier: GPL-2.0
/* sim_cost: what an access costs a time-ordered virtual CPU (cost.h) */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bitmap.h>
#include <linux/bitops.h>

#include "cost.h"
#include "rng.h"

/* Lines, by address (open addressing); a run touches a few thousand */
#define SIM_COST_LINES_SHIFT 12 /* to start with */
#define SIM_COST_NO_CPU UINT16_MAX
/* A transfer takes its latency within +-this percentage, drawn per transfer */
#define SIM_COST_JITTER_PCT 25

/*
 * kunpeng920-96: Kunpeng 920-4826, 2 sockets of 2 compute dies (SCCLs) of
 * 6 clusters of 4 TaiShan v110 cores (the cluster topology of Barry Song's
 * cluster-scheduler series, 2021: 4 CPUs per cluster sharing L3 tags, 6
 * clusters per NUMA node).  Inter-die: under 30 ns on the interposer; socket
 * to socket: under 230 ns through HCCS (Xia et al., "Kunpeng 920: The First
 * 7-nm Chiplet-Based 64-Core ARM SoC for Cloud Services", IEEE Micro 41(4),
 * 2021).  The cluster and die transfers and the point time are the fit of
 * docs/decisions.md (Garry's 2- and 8-CPU points); no figure for them is
 * published.
 */
const struct sim_cost_profile sim_cost_profiles[] = {
	{
		.name = "kunpeng920-96",
		.cores_per_cluster = 4,
		.clusters_per_die = 6,
		.dies_per_socket = 2,
		.sockets = 2,
		.point_ps = 2000,
		.lat_ns = { 89, 89, 89 + 30, 89 + 230 },
		.mmio_ns = 100,
		.source =
			"topology: Barry Song's cluster-scheduler series (2021); "
			"die +30 ns, socket +230 ns: IEEE Micro 41(4) 2021; "
			"cluster/die and point: fitted (docs/decisions.md)",
	},
	{ .name = "" },
};

struct sim_cost_line {
	uintptr_t tag; /* line address + 1; 0: free */
	u16 owner; /* the CPU that wrote it last, or SIM_COST_NO_CPU */
	bool shared; /* another CPU read it since that write */
	u64 busy_until; /* in flight to its owner until then */
	/* The CPUs holding a copy of it as it is now */
	unsigned long holders[BITS_TO_LONGS(SIM_COST_MAX_CPUS)];
	struct sim_cost_line_stats st;
};

struct sim_cost {
	struct sim_cost_profile p;
	unsigned int cpus;
	u64 rng;
	struct sim_cost_line *lines;
	unsigned int num_lines; /* in use: the table grows at half full */
	unsigned int lines_shift;
	struct sim_cost_stats st;
};

int sim_cost_profile_find(const char *name, struct sim_cost_profile *p)
{
	const struct sim_cost_profile *q;

	for (q = sim_cost_profiles; q->name[0]; q++)
		if (!strcmp(q->name, name)) {
			*p = *q;
			return 0;
		}
	return -ENOENT;
}

unsigned int sim_cost_profile_cores(const struct sim_cost_profile *p)
{
	return p->cores_per_cluster * p->clusters_per_die * p->dies_per_socket *
	       p->sockets;
}

int sim_cost_create(const struct sim_cost_profile *p, unsigned int cpus,
		    u64 seed, struct sim_cost **out)
{
	struct sim_cost *c;

	if (!cpus || cpus > SIM_COST_MAX_CPUS ||
	    cpus > sim_cost_profile_cores(p))
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->p = *p;
	c->cpus = cpus;
	c->rng = seed;
	c->lines_shift = SIM_COST_LINES_SHIFT;
	c->lines = calloc(1u << c->lines_shift, sizeof(*c->lines));
	if (!c->lines) {
		sim_cost_destroy(c);
		return -ENOMEM;
	}
	*out = c;
	return 0;
}

void sim_cost_destroy(struct sim_cost *c)
{
	if (!c)
		return;
	free(c->lines);
	free(c);
}

/* The level of the topology CPUs @a and @b share last */
static enum sim_cost_level sim_cost_level(const struct sim_cost *c,
					  unsigned int a, unsigned int b)
{
	unsigned int cluster = c->p.cores_per_cluster;
	unsigned int die = cluster * c->p.clusters_per_die;
	unsigned int socket = die * c->p.dies_per_socket;

	if (a / cluster == b / cluster)
		return SIM_COST_CLUSTER;
	if (a / die == b / die)
		return SIM_COST_DIE;
	if (a / socket == b / socket)
		return SIM_COST_PACKAGE;
	return SIM_COST_SOCKET;
}

/*
 * How far the lines' home is from @cpu: memory and the L3 of CPU 0's die
 * (one node's allocation), a die's distance at least
 */
static enum sim_cost_level sim_cost_home(const struct sim_cost *c,
					 unsigned int cpu)
{
	enum sim_cost_level lvl = sim_cost_level(c, cpu, 0);

	return lvl > SIM_COST_DIE ? lvl : SIM_COST_DIE;
}

static uintptr_t sim_cost_tag(const volatile void *p)
{
	return (uintptr_t)p / SIM_COST_LINE_BYTES + 1;
}

static unsigned int sim_cost_hash(uintptr_t tag, unsigned int shift)
{
	return (unsigned int)((tag * 0x9e3779b97f4a7c15ULL) >> (64 - shift));
}

/* The slot of @tag in @lines (2^@shift of them): its own, or a free one */
static struct sim_cost_line *sim_cost_slot(struct sim_cost_line *lines,
					   unsigned int shift, uintptr_t tag)
{
	unsigned int mask = (1u << shift) - 1;
	unsigned int i = sim_cost_hash(tag, shift);

	while (lines[i].tag && lines[i].tag != tag)
		i = (i + 1) & mask;
	return &lines[i];
}

/* Twice the slots: -ENOMEM leaves the table as it was */
static int sim_cost_grow(struct sim_cost *c)
{
	unsigned int shift = c->lines_shift + 1, i;
	struct sim_cost_line *lines = calloc(1u << shift, sizeof(*lines));

	if (!lines)
		return -ENOMEM;
	for (i = 0; i < 1u << c->lines_shift; i++)
		if (c->lines[i].tag)
			*sim_cost_slot(lines, shift, c->lines[i].tag) =
				c->lines[i];
	free(c->lines);
	c->lines = lines;
	c->lines_shift = shift;
	return 0;
}

/*
 * The line of @tag, made on first touch (owned by no CPU: memory); NULL
 * when not touched yet (@make false) or no memory is left.  Every line
 * keeps its slot until the table grows: no line is forgotten, so nothing
 * depends on where the run's objects were allocated.
 */
static struct sim_cost_line *sim_cost_find(struct sim_cost *c, uintptr_t tag,
					   bool make)
{
	struct sim_cost_line *l = sim_cost_slot(c->lines, c->lines_shift, tag);

	if (l->tag || !make)
		return l->tag ? l : NULL;
	if (2 * (c->num_lines + 1) > 1u << c->lines_shift) {
		if (sim_cost_grow(c))
			return NULL;
		l = sim_cost_slot(c->lines, c->lines_shift, tag);
	}
	c->num_lines++;
	l->tag = tag;
	l->owner = SIM_COST_NO_CPU;
	return l;
}

/*
 * A transfer of @l to @cpu: from its owner, or at a die's distance from
 * the L3 (a line no CPU wrote yet) or to invalidate the copies others read
 * (an owner's write to a shared line)
 */
static u64 sim_cost_transfer(struct sim_cost *c, struct sim_cost_line *l,
			     unsigned int cpu)
{
	enum sim_cost_level lvl = sim_cost_home(c, cpu);
	u64 ns;

	if (l->owner != SIM_COST_NO_CPU && l->owner != cpu)
		lvl = sim_cost_level(c, cpu, l->owner);
	ns = c->p.lat_ns[lvl];
	/* No two transfers alike: arbitration is not a clock */
	ns += ns * (sim_rng_next(&c->rng) % (2 * SIM_COST_JITTER_PCT + 1)) /
		      100 -
	      ns * SIM_COST_JITTER_PCT / 100;
	l->st.transfers++;
	c->st.transfers++;
	c->st.transfer_ns += ns;
	return ns;
}

static u64 sim_cost_load(struct sim_cost *c, struct sim_cost_line *l,
			 unsigned int cpu)
{
	l->st.loads++;
	if (l->owner == cpu || test_bit(cpu, l->holders))
		return 0;
	__set_bit(cpu, l->holders);
	if (l->owner != SIM_COST_NO_CPU)
		l->shared = true;
	return sim_cost_transfer(c, l, cpu);
}

/* A write: only its CPU holds the line as it is now (none: far) */
static void sim_cost_written(struct sim_cost_line *l, unsigned int owner)
{
	bitmap_zero(l->holders, SIM_COST_MAX_CPUS);
	if (owner != SIM_COST_NO_CPU)
		__set_bit(owner, l->holders);
	l->owner = owner;
	l->shared = false;
}

/*
 * A far atomic (the profile's rmw_home_ns): it runs at the line's home,
 * which takes one at a time for rmw_home_ns, a round trip away; no CPU
 * holds the line afterwards
 */
static u64 sim_cost_far_rmw(struct sim_cost *c, struct sim_cost_line *l,
			    unsigned int cpu, u64 now)
{
	u64 wait = 0, ns;

	if (l->busy_until > now) {
		wait = l->busy_until - now;
		l->st.wait_ns += wait;
		c->st.line_wait_ns += wait;
	}
	l->busy_until = now + wait + c->p.rmw_home_ns;
	ns = sim_cost_transfer(c, l, cpu);
	sim_cost_written(l, SIM_COST_NO_CPU);
	return wait + ns;
}

static u64 sim_cost_write(struct sim_cost *c, struct sim_cost_line *l,
			  unsigned int cpu, u64 now)
{
	u64 wait = 0, ns;

	if (l->owner == cpu && !l->shared)
		return 0;
	if (l->busy_until > now) {
		wait = l->busy_until - now;
		l->st.wait_ns += wait;
		c->st.line_wait_ns += wait;
	}
	ns = sim_cost_transfer(c, l, cpu);
	l->busy_until = now + wait + ns;
	sim_cost_written(l, cpu);
	return wait + ns;
}

uint64_t sim_cost_fn(void *arg, unsigned int cpu, enum khooks_vcpu_op op,
		     const volatile void *p, size_t size)
{
	struct sim_cost *c = arg;
	u64 ns = (c->p.point_ps + 500) / 1000, now = khooks_vcpu_clock();
	struct sim_cost_line *l;

	(void)size;
	c->st.points++;
	if (op == KHOOKS_VCPU_MMIO)
		return ns + c->p.mmio_ns;
	if (!p || op == KHOOKS_VCPU_POINT || op == KHOOKS_VCPU_WAIT)
		return ns;
	l = sim_cost_find(c, sim_cost_tag(p), true);
	if (!l)
		return ns; /* no memory left to track it: a hit */
	switch (op) {
	case KHOOKS_VCPU_LOAD:
		return ns + sim_cost_load(c, l, cpu);
	case KHOOKS_VCPU_STORE:
		l->st.stores++;
		return ns + sim_cost_write(c, l, cpu, now + ns);
	case KHOOKS_VCPU_RMW:
		l->st.rmws++;
		if (c->p.rmw_home_ns)
			return ns + sim_cost_far_rmw(c, l, cpu, now + ns);
		return ns + sim_cost_write(c, l, cpu, now + ns);
	default:
		return ns;
	}
}

void sim_cost_stats(const struct sim_cost *c, struct sim_cost_stats *st)
{
	*st = c->st;
}

void sim_cost_line(const struct sim_cost *c, const volatile void *p,
		   struct sim_cost_line_stats *st)
{
	struct sim_cost_line *l =
		sim_cost_find((struct sim_cost *)c, sim_cost_tag(p), false);

	memset(st, 0, sizeof(*st));
	if (l)
		*st = l->st;
}
