// SPDX-License-Identifier: GPL-2.0
/* sim_cost: what an access costs a time-ordered virtual CPU (cost.h) */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cost.h"

/* Lines tracked at once (open addressing); a run touches a few thousand */
#define SIM_COST_LINES_SHIFT 16
#define SIM_COST_PROBES 32
/* Per CPU, the versions of the lines it holds a copy of (direct-mapped) */
#define SIM_COST_SEEN_SHIFT 10
#define SIM_COST_NO_CPU UINT16_MAX

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
		.lat_ns = { 40, 40, 40 + 30, 40 + 230 },
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
	u32 version;
	u64 busy_until; /* in flight to its owner until then */
	struct sim_cost_line_stats st;
};

struct sim_cost_seen {
	uintptr_t tag;
	u32 version;
};

struct sim_cost {
	struct sim_cost_profile p;
	unsigned int cpus;
	struct sim_cost_line *lines;
	struct sim_cost_seen *seen; /* cpus << SIM_COST_SEEN_SHIFT */
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
		    struct sim_cost **out)
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
	c->lines = calloc(1u << SIM_COST_LINES_SHIFT, sizeof(*c->lines));
	c->seen = calloc((size_t)cpus << SIM_COST_SEEN_SHIFT, sizeof(*c->seen));
	if (!c->lines || !c->seen) {
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
	free(c->seen);
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

static uintptr_t sim_cost_tag(const volatile void *p)
{
	return (uintptr_t)p / SIM_COST_LINE_BYTES + 1;
}

static unsigned int sim_cost_hash(uintptr_t tag, unsigned int shift)
{
	return (unsigned int)((tag * 0x9e3779b97f4a7c15ULL) >> (64 - shift));
}

/*
 * The line of @tag, made on first touch (owned by no CPU: memory); a full
 * neighbourhood gives up its first slot (the line is then cold again)
 */
static struct sim_cost_line *sim_cost_find(struct sim_cost *c, uintptr_t tag,
					   bool make)
{
	unsigned int mask = (1u << SIM_COST_LINES_SHIFT) - 1;
	unsigned int h = sim_cost_hash(tag, SIM_COST_LINES_SHIFT), i;
	struct sim_cost_line *l;

	for (i = 0; i < SIM_COST_PROBES; i++) {
		l = &c->lines[(h + i) & mask];
		if (l->tag == tag)
			return l;
		if (!l->tag)
			break;
	}
	if (!make)
		return NULL;
	if (i == SIM_COST_PROBES)
		l = &c->lines[h];
	memset(l, 0, sizeof(*l));
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
	enum sim_cost_level lvl = SIM_COST_DIE;
	u64 ns;

	if (l->owner != SIM_COST_NO_CPU && l->owner != cpu)
		lvl = sim_cost_level(c, cpu, l->owner);
	ns = c->p.lat_ns[lvl];
	l->st.transfers++;
	c->st.transfers++;
	c->st.transfer_ns += ns;
	return ns;
}

static u64 sim_cost_load(struct sim_cost *c, struct sim_cost_line *l,
			 unsigned int cpu)
{
	struct sim_cost_seen *s =
		&c->seen[((size_t)cpu << SIM_COST_SEEN_SHIFT) +
			 sim_cost_hash(l->tag, SIM_COST_SEEN_SHIFT)];

	l->st.loads++;
	if (l->owner == cpu || (s->tag == l->tag && s->version == l->version))
		return 0;
	s->tag = l->tag;
	s->version = l->version;
	if (l->owner != SIM_COST_NO_CPU)
		l->shared = true;
	return sim_cost_transfer(c, l, cpu);
}

/* A write at @now on @cpu's clock: waits for the line, then takes it */
static u64 sim_cost_write(struct sim_cost *c, struct sim_cost_line *l,
			  unsigned int cpu, u64 now)
{
	u64 wait = 0, ns;

	if (l->owner == cpu && !l->shared) {
		l->version++;
		return 0;
	}
	if (l->busy_until > now) {
		wait = l->busy_until - now;
		l->st.wait_ns += wait;
		c->st.line_wait_ns += wait;
	}
	ns = sim_cost_transfer(c, l, cpu);
	l->busy_until = now + wait + ns;
	l->owner = cpu;
	l->shared = false;
	l->version++;
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
	switch (op) {
	case KHOOKS_VCPU_LOAD:
		return ns + sim_cost_load(c, l, cpu);
	case KHOOKS_VCPU_STORE:
		l->st.stores++;
		return ns + sim_cost_write(c, l, cpu, now + ns);
	case KHOOKS_VCPU_RMW:
		l->st.rmws++;
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
