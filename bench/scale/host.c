// SPDX-License-Identifier: GPL-2.0
/*
 * scale: the "host" profile, this machine as the cost model sees one: its
 * layout from hwloc (topo_layout()), and the time a cache line takes from
 * one core to another at each level, measured here by two threads pinned
 * at that distance passing a line back and forth.  The point time and the
 * MMIO time are kunpeng920-96's (not measured).
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/topo.h"
#include "scale/internal.h"

#define SCALE_HOST_ROUNDS 1000 /* round trips a trial */
#define SCALE_HOST_TRIALS 101 /* at most; the fastest is the figure */
#define SCALE_HOST_BUDGET_NS (500ULL * 1000 * 1000) /* then no more trials */
#define SCALE_HOST_SOURCE_BYTES 256

/* The line two pinned threads pass back and forth */
struct scale_host_pair {
	struct topo *t;
	struct topo_slot slot[2];
	_Alignas(64) u64 turn; /* odd: the second's turn; even: the first's */
	_Alignas(64) bool stop;
};

static u64 scale_host_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The second thread: answers each odd turn with the next even one */
static void *scale_host_echo(void *arg)
{
	struct scale_host_pair *pp = arg;
	u64 v;

	topo_bind_self(pp->t, &pp->slot[1]);
	while (!__atomic_load_n(&pp->stop, __ATOMIC_RELAXED)) {
		v = __atomic_load_n(&pp->turn, __ATOMIC_ACQUIRE);
		if (v & 1)
			__atomic_store_n(&pp->turn, v + 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/*
 * One transfer from PU @a to PU @b: a round trip halved, the fastest
 * trial's mean.  A host that deschedules one of the two threads makes a
 * trial slow, not the figure: the fastest trial is the one it left alone.
 */
static int scale_host_transfer(struct topo *t, int a, int b, u64 *ns)
{
	u64 best = UINT64_MAX, k = 0, r, t0, start, i;
	struct scale_host_pair *pp;
	pthread_t echo;
	int ret;

	if (posix_memalign((void **)&pp, 64, sizeof(*pp)))
		return -ENOMEM;
	memset(pp, 0, sizeof(*pp));
	pp->t = t;
	pp->slot[0].cpu = a;
	pp->slot[1].cpu = b;
	ret = -pthread_create(&echo, NULL, scale_host_echo, pp);
	if (ret) {
		free(pp);
		return ret;
	}
	topo_bind_self(t, &pp->slot[0]);
	start = scale_host_now_ns();
	for (i = 0; i < SCALE_HOST_TRIALS &&
		    (!i || scale_host_now_ns() - start < SCALE_HOST_BUDGET_NS);
	     i++) {
		t0 = scale_host_now_ns();
		for (r = 0; r < SCALE_HOST_ROUNDS; r++, k += 2) {
			__atomic_store_n(&pp->turn, k + 1, __ATOMIC_RELEASE);
			while (__atomic_load_n(&pp->turn, __ATOMIC_ACQUIRE) !=
			       k + 2)
				;
		}
		t0 = (scale_host_now_ns() - t0) / (2 * SCALE_HOST_ROUNDS);
		if (t0 < best)
			best = t0;
	}
	__atomic_store_n(&pp->stop, true, __ATOMIC_RELAXED);
	pthread_join(echo, NULL);
	free(pp);
	*ns = best ?: 1;
	return 0;
}

int scale_host_profile(struct sim_cost_profile *p)
{
	static char source[SCALE_HOST_SOURCE_BYTES];
	static struct sim_cost_profile host;
	static int ret = 1; /* measured once a process */
	const char *how = "measured (a pinned ping-pong, at the time of the "
			  "run)";
	struct topo_layout l;
	struct topo t;
	u64 lat[TOPO_NR_LEVELS];
	unsigned int lvl;

	if (ret <= 0)
		goto out;
	ret = sim_cost_profile_find("kunpeng920-96", &host);
	if (!ret)
		ret = topo_init(&t);
	if (ret)
		goto out;
	ret = topo_layout(&t, &l);
	if (ret)
		goto fini;
	snprintf(host.name, sizeof(host.name), "host");
	host.cores_per_cluster = l.cores_per_cluster;
	host.clusters_per_die = l.clusters_per_die;
	host.dies_per_socket = l.dies_per_package;
	host.sockets = l.packages;
	/*
	 * Each level this machine has, measured (a synthetic topology cannot
	 * be: kunpeng920-96's); one it has not, which no transfer crosses,
	 * the nearest level's measured, below it first
	 */
	for (lvl = 0; lvl < TOPO_NR_LEVELS; lvl++) {
		lat[lvl] = 0;
		if (t.synthetic || !t.can_bind) {
			how = "not measured (topology not this machine's): "
			      "kunpeng920-96's";
			lat[lvl] = host.lat_ns[lvl];
		} else if (l.peer[lvl] >= 0) {
			ret = scale_host_transfer(&t, l.first, l.peer[lvl],
						  &lat[lvl]);
			if (ret)
				goto fini;
		}
	}
	for (lvl = 1; lvl < TOPO_NR_LEVELS; lvl++)
		lat[lvl] = lat[lvl] ?: lat[lvl - 1];
	for (lvl = TOPO_NR_LEVELS - 1; lvl > 0; lvl--)
		lat[lvl - 1] = lat[lvl - 1] ?: lat[lvl];
	for (lvl = 0; lvl < TOPO_NR_LEVELS; lvl++)
		host.lat_ns[lvl] = lat[lvl] ?: host.lat_ns[lvl];
	snprintf(source, sizeof(source),
		 "this machine: layout from hwloc; transfers %s; point and "
		 "MMIO: kunpeng920-96's",
		 how);
	host.source = source;
fini:
	topo_fini(&t);
out:
	if (!ret)
		*p = host;
	return ret;
}
