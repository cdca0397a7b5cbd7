// SPDX-License-Identifier: GPL-2.0
/* topo: topology, pinning plans and node-local memory (see topo.h) */
#include <errno.h>
#include <hwloc.h>
#include <numa.h>
#include <numaif.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/topo.h"

/*
 * libnuma's weak warning hook: it warns on stderr about nodes it cannot
 * read (containers); the mode is recorded instead.
 */
void numa_warn(int num, char *fmt, ...)
{
}

int topo_init(struct topo *t)
{
	const struct hwloc_topology_support *sup;
	const char *env;
	hwloc_topology_t h;

	memset(t, 0, sizeof(*t));
	if (hwloc_topology_init(&h))
		return -ENOMEM;
	if (hwloc_topology_load(h)) {
		hwloc_topology_destroy(h);
		return -EINVAL;
	}
	t->hwloc = h;
	t->pus = hwloc_get_nbobjs_by_type(h, HWLOC_OBJ_PU);
	t->cores = hwloc_get_nbobjs_by_type(h, HWLOC_OBJ_CORE);
	t->packages = hwloc_get_nbobjs_by_type(h, HWLOC_OBJ_PACKAGE);
	t->nodes = hwloc_get_nbobjs_by_type(h, HWLOC_OBJ_NUMANODE);
	if (!t->nodes)
		t->nodes = 1;
	t->synthetic = !hwloc_topology_is_thissystem(h);
	sup = hwloc_topology_get_support(h);
	t->can_bind = !t->synthetic && sup->cpubind->set_thisthread_cpubind;
	/*
	 * libnuma 2.0.16 reports NUMA available where the kernel refuses the
	 * memory policy calls (EPERM in containers): ask the kernel directly.
	 */
	t->numa = !t->synthetic && t->nodes > 1 && numa_available() >= 0 &&
		  !get_mempolicy(NULL, NULL, 0, NULL, 0);
	env = getenv("HWLOC_SYNTHETIC");
	if (!env)
		env = getenv("HWLOC_XMLFILE");
	if (env && t->synthetic)
		snprintf(t->desc, sizeof(t->desc), "%s", env);
	return t->pus ? 0 : -ENODEV;
}

void topo_fini(struct topo *t)
{
	if (t->hwloc)
		hwloc_topology_destroy(t->hwloc);
	t->hwloc = NULL;
}

enum topo_mode topo_mode(const struct topo *t)
{
	if (t->synthetic)
		return TOPO_SIMULATED;
	if (!t->can_bind || t->bind_failed)
		return TOPO_UNBOUND;
	return t->numa ? TOPO_REAL : TOPO_SINGLE_NODE;
}

const char *topo_mode_name(enum topo_mode mode)
{
	static const char *const names[] = {
		[TOPO_REAL] = "real",
		[TOPO_SINGLE_NODE] = "single-node",
		[TOPO_SIMULATED] = "simulated",
		[TOPO_UNBOUND] = "unbound",
	};

	return names[mode];
}

int topo_parse_plan(const char *s, enum topo_plan_kind *kind)
{
	if (!strcmp(s, "compact"))
		*kind = TOPO_COMPACT;
	else if (!strcmp(s, "spread"))
		*kind = TOPO_SPREAD;
	else if (!strcmp(s, "per-node"))
		*kind = TOPO_PER_NODE;
	else
		return -EINVAL;
	return 0;
}

static hwloc_obj_t topo_pu(const struct topo *t, unsigned int i)
{
	return hwloc_get_obj_by_type(t->hwloc, HWLOC_OBJ_PU, i);
}

/* OS index of the NUMA node holding @pu (the first if none does) */
static int topo_node_of(const struct topo *t, hwloc_obj_t pu)
{
	hwloc_obj_t node = NULL;

	while ((node = hwloc_get_next_obj_by_type(t->hwloc, HWLOC_OBJ_NUMANODE,
						  node)))
		if (hwloc_bitmap_isset(node->cpuset, pu->os_index))
			return node->os_index;
	node = hwloc_get_obj_by_type(t->hwloc, HWLOC_OBJ_NUMANODE, 0);
	return node ? (int)node->os_index : 0;
}

static struct topo_slot topo_slot_of(const struct topo *t, hwloc_obj_t pu)
{
	return (struct topo_slot){ .cpu = pu->os_index,
				   .node = topo_node_of(t, pu) };
}

/* The spread order's key: SMT rank, core within package, package */
static unsigned long topo_spread_key(const struct topo *t, hwloc_obj_t pu)
{
	hwloc_obj_t core =
		hwloc_get_ancestor_obj_by_type(t->hwloc, HWLOC_OBJ_CORE, pu);
	hwloc_obj_t pkg =
		hwloc_get_ancestor_obj_by_type(t->hwloc, HWLOC_OBJ_PACKAGE, pu);
	unsigned int per_pkg = t->packages ? t->cores / t->packages : 0;
	unsigned long smt = core ? pu->sibling_rank : 0;
	unsigned long crank = core && per_pkg ? core->logical_index % per_pkg :
						0;

	return (smt << 40) | (crank << 20) | (pkg ? pkg->logical_index : 0);
}

static int topo_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* "0,2,4-7": OS CPU numbers of the topology */
static int topo_parse_list(const struct topo *t, const char *list, int *cpus,
			   unsigned int *num, char *err, size_t errlen)
{
	const char *s = list;

	*num = 0;
	if (strlen(list) >= TOPO_LIST_MAX)
		return topo_err(err, errlen, "CPU list longer than %d bytes",
				TOPO_LIST_MAX - 1);
	while (*s) {
		char *end;
		long lo, hi;
		long c;

		lo = strtol(s, &end, 10);
		if (end == s || lo < 0)
			return topo_err(err, errlen,
					"'%s' is neither compact, spread, "
					"per-node nor a CPU list like 0,2-3",
					list);
		hi = lo;
		if (*end == '-') {
			s = end + 1;
			hi = strtol(s, &end, 10);
			if (end == s || hi < lo)
				return topo_err(err, errlen,
						"bad CPU range in '%s'", list);
		}
		for (c = lo; c <= hi; c++) {
			if (!hwloc_get_pu_obj_by_os_index(t->hwloc, c))
				return topo_err(
					err, errlen,
					"CPU %ld is not in the topology "
					"(%u PUs)",
					c, t->pus);
			if (*num == TOPO_MAX_CPUS)
				return topo_err(err, errlen,
						"more than %d CPUs in the list",
						TOPO_MAX_CPUS);
			cpus[(*num)++] = c;
		}
		if (*end == ',')
			end++;
		else if (*end)
			return topo_err(err, errlen, "bad CPU list '%s'", list);
		s = end;
	}
	if (!*num)
		return topo_err(err, errlen, "empty CPU list");
	return 0;
}

int topo_plan(const struct topo *t, enum topo_plan_kind kind, const char *list,
	      unsigned int nthreads, struct topo_slot *slots, char *err,
	      size_t errlen)
{
	unsigned int i, j, n = t->pus;
	hwloc_obj_t *order;
	int *cpus;
	int ret = 0;

	if (!nthreads || nthreads > TOPO_MAX_THREADS)
		return topo_err(err, errlen, "threads must be 1..%d",
				TOPO_MAX_THREADS);
	order = calloc(n, sizeof(*order));
	cpus = calloc(n + TOPO_MAX_CPUS, sizeof(*cpus));
	if (!order || !cpus) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++)
		order[i] = topo_pu(t, i);

	switch (kind) {
	case TOPO_COMPACT:
		for (i = 0; i < nthreads; i++)
			slots[i] = topo_slot_of(t, order[i % n]);
		break;
	case TOPO_SPREAD:
		/* Insertion sort by key: stable, n is small */
		for (i = 1; i < n; i++) {
			hwloc_obj_t pu = order[i];

			for (j = i; j > 0 && topo_spread_key(t, order[j - 1]) >
						     topo_spread_key(t, pu);
			     j--)
				order[j] = order[j - 1];
			order[j] = pu;
		}
		for (i = 0; i < nthreads; i++)
			slots[i] = topo_slot_of(t, order[i % n]);
		break;
	case TOPO_PER_NODE:
		for (i = 0; i < nthreads; i++) {
			hwloc_obj_t node = hwloc_get_obj_by_type(
				t->hwloc, HWLOC_OBJ_NUMANODE, i % t->nodes);
			unsigned int m = 0;

			/* The node's PUs; a node without CPUs takes any */
			for (j = 0; j < n; j++)
				if (!node ||
				    hwloc_bitmap_isset(node->cpuset,
						       order[j]->os_index))
					cpus[m++] = j;
			if (!m)
				cpus[m++] = 0;
			slots[i] = topo_slot_of(
				t, order[cpus[(i / t->nodes) % m]]);
			if (node)
				slots[i].node = node->os_index;
		}
		break;
	case TOPO_LIST:
		ret = topo_parse_list(t, list, cpus, &n, err, errlen);
		for (i = 0; !ret && i < nthreads; i++)
			slots[i] =
				topo_slot_of(t, hwloc_get_pu_obj_by_os_index(
							t->hwloc, cpus[i % n]));
		break;
	}
out:
	free(order);
	free(cpus);
	return ret;
}

/* @core's ancestor of @type, or @fallback when it has none */
static hwloc_obj_t topo_group(hwloc_topology_t h, hwloc_obj_t core,
			      hwloc_obj_type_t type, hwloc_obj_t fallback)
{
	hwloc_obj_t o = hwloc_get_ancestor_obj_by_type(h, type, core);

	return o ? o : fallback;
}

/* How many cores @o holds */
static unsigned int topo_cores_in(hwloc_topology_t h, hwloc_obj_t o)
{
	return hwloc_get_nbobjs_inside_cpuset_by_type(h, o->cpuset,
						      HWLOC_OBJ_CORE);
}

int topo_layout(const struct topo *t, struct topo_layout *l)
{
	hwloc_topology_t h = t->hwloc;
	hwloc_obj_t core0 = hwloc_get_obj_by_type(h, HWLOC_OBJ_CORE, 0);
	hwloc_obj_t g0[TOPO_NR_LEVELS], g[TOPO_NR_LEVELS], core;
	unsigned int i, lvl, n[TOPO_NR_LEVELS], n0[TOPO_NR_LEVELS];

	if (!core0)
		return -EINVAL;
	memset(l, 0, sizeof(*l));
	for (lvl = 0; lvl < TOPO_NR_LEVELS; lvl++)
		l->peer[lvl] = -1;
	l->packages = t->packages ?: 1;
	for (i = 0; (core = hwloc_get_obj_by_type(h, HWLOC_OBJ_CORE, i)); i++) {
		/* The core's cluster, die and package (a machine: the root) */
		g[TOPO_LEVEL_PACKAGE] = topo_group(h, core, HWLOC_OBJ_PACKAGE,
						   hwloc_get_root_obj(h));
		g[TOPO_LEVEL_DIE] = topo_group(h, core, HWLOC_OBJ_L3CACHE,
					       g[TOPO_LEVEL_PACKAGE]);
		g[TOPO_LEVEL_CLUSTER] =
			topo_group(h, core, HWLOC_OBJ_L2CACHE, core);
		if (topo_cores_in(h, g[TOPO_LEVEL_CLUSTER]) >
		    topo_cores_in(h, g[TOPO_LEVEL_DIE]))
			g[TOPO_LEVEL_CLUSTER] = g[TOPO_LEVEL_DIE];
		for (lvl = 0; lvl < TOPO_LEVEL_SOCKET; lvl++)
			n[lvl] = topo_cores_in(h, g[lvl]);
		if (!i) {
			memcpy(g0, g, sizeof(g0));
			memcpy(n0, n, sizeof(n0));
			l->first = core->first_child ?
					   (int)core->first_child->os_index :
					   (int)core->os_index;
			continue;
		}
		/* Every cluster, die and package alike, or no layout */
		if (memcmp(n, n0, sizeof(unsigned int) * TOPO_LEVEL_SOCKET))
			return -EINVAL;
		for (lvl = 0; lvl < TOPO_LEVEL_SOCKET && g[lvl] != g0[lvl];
		     lvl++)
			;
		if (l->peer[lvl] < 0)
			l->peer[lvl] =
				core->first_child ?
					(int)core->first_child->os_index :
					(int)core->os_index;
	}
	l->cores_per_cluster = n0[TOPO_LEVEL_CLUSTER];
	l->clusters_per_die = n0[TOPO_LEVEL_DIE] / n0[TOPO_LEVEL_CLUSTER];
	l->dies_per_package = n0[TOPO_LEVEL_PACKAGE] / n0[TOPO_LEVEL_DIE];
	if (l->cores_per_cluster * l->clusters_per_die * l->dies_per_package *
		    l->packages !=
	    t->cores)
		return -EINVAL;
	return 0;
}

void topo_bind_self(struct topo *t, const struct topo_slot *slot)
{
	hwloc_bitmap_t set;

	if (!t->can_bind)
		return;
	set = hwloc_bitmap_alloc();
	if (!set) {
		__atomic_store_n(&t->bind_failed, true, __ATOMIC_RELAXED);
		return;
	}
	hwloc_bitmap_only(set, slot->cpu);
	if (hwloc_set_cpubind(t->hwloc, set, HWLOC_CPUBIND_THREAD))
		__atomic_store_n(&t->bind_failed, true, __ATOMIC_RELAXED);
	hwloc_bitmap_free(set);
}

void *topo_alloc(const struct topo *t, size_t size, int node)
{
	void *p;

	if (t->numa) {
		p = numa_alloc_onnode(size, node);
		if (p)
			memset(p, 0, size);
		return p;
	}
	return calloc(1, size);
}

void topo_free(const struct topo *t, void *p, size_t size)
{
	if (t->numa)
		numa_free(p, size);
	else
		free(p);
}

void topo_print(const struct topo *t, const struct topo_slot *slots,
		unsigned int nthreads, FILE *f)
{
	hwloc_obj_t node = NULL;
	unsigned int i;

	fprintf(f,
		"topology: %u packages, %u cores, %u PUs, %u NUMA nodes%s%s\n",
		t->packages, t->cores, t->pus, t->nodes,
		t->synthetic ? ", synthetic: " : "", t->desc);
	while ((node = hwloc_get_next_obj_by_type(t->hwloc, HWLOC_OBJ_NUMANODE,
						  node))) {
		char cpus[256];

		hwloc_bitmap_list_snprintf(cpus, sizeof(cpus), node->cpuset);
		fprintf(f, "  node %u: cpus %s, %llu MiB\n", node->os_index,
			cpus,
			(unsigned long long)(node->attr->numanode.local_memory >>
					     20));
	}
	fprintf(f, "mode: %s (thread binding %s, NUMA memory %s)\n",
		topo_mode_name(topo_mode(t)),
		t->can_bind ? "supported" : "not possible",
		t->numa ? "usable" : "not used");
	for (i = 0; i < nthreads; i++)
		fprintf(f, "  thread %u: cpu %d node %d\n", i, slots[i].cpu,
			slots[i].node);
}

void topo_json(const struct topo *t, const char *plan, FILE *f)
{
	fprintf(f,
		"{\"packages\": %u, \"cores\": %u, \"pus\": %u, "
		"\"numa_nodes\": %u, \"mode\": \"%s\", \"synthetic\": %s, "
		"\"synthetic_desc\": \"%s\", \"can_bind\": %s, "
		"\"numa_memory\": %s, \"plan\": \"%s\"}",
		t->packages, t->cores, t->pus, t->nodes,
		topo_mode_name(topo_mode(t)), t->synthetic ? "true" : "false",
		t->desc, t->can_bind ? "true" : "false",
		t->numa ? "true" : "false", plan);
}
