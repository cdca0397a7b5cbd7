// SPDX-License-Identifier: GPL-2.0
/*
 * machine: what atcbench sees of the machine, without running anything:
 * "atcbench env DIR" (env.json) and "atcbench topo" (the topology and a
 * pinning plan)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/env.h"
#include "lib/opt.h"
#include "lib/results.h"
#include "lib/topo.h"
#include "machine.h"

#define EXIT_USAGE 2

int machine_env_cmd(int argc, char **argv)
{
	const struct opt_group g = { .opts = NULL };
	const char *dir = NULL;
	int npos, ret;

	ret = opt_parse("env", &g, 0, argc, argv, &dir, 1, &npos);
	if (ret > 0) {
		fputs("usage: atcbench env DIR: write DIR/env.json\n", stdout);
		return 0;
	}
	if (ret)
		return EXIT_USAGE;
	if (!dir) {
		fputs("usage: atcbench env DIR\n", stderr);
		return EXIT_USAGE;
	}
	ret = results_mkdir(dir);
	if (!ret)
		ret = env_write(dir, "atcbench env", "none", 0);
	if (ret) {
		fprintf(stderr, "atcbench env: %s: %s\n", dir, strerror(-ret));
		return EXIT_FAILURE;
	}
	return 0;
}

struct machine_topo_opts {
	const char *pin;
	unsigned int threads;
};

static const struct opt machine_topo_opts[] = {
	{ .name = "pin",
	  .type = OPT_STR,
	  .off = offsetof(struct machine_topo_opts, pin),
	  .arg = "PLAN",
	  .help = "compact, spread, per-node or a CPU list (0,2-3)" },
	{ .name = "threads",
	  .type = OPT_UINT,
	  .off = offsetof(struct machine_topo_opts, threads),
	  .min = 1,
	  .max = TOPO_MAX_THREADS,
	  .arg = "N",
	  .help = "threads to place (default: one per PU)" },
};

int machine_topo_cmd(int argc, char **argv)
{
	struct machine_topo_opts o = { .pin = "compact" };
	const struct opt_group g = OPT_GROUP(machine_topo_opts, &o);
	struct topo_slot slots[TOPO_MAX_THREADS];
	enum topo_plan_kind kind = TOPO_LIST;
	const char *pin;
	unsigned long threads;
	char err[256];
	struct topo t;
	int ret, npos;

	ret = opt_parse("topo", &g, 1, argc, argv, NULL, 0, &npos);
	if (ret > 0) {
		puts("usage: atcbench topo [--pin PLAN] [--threads N]\n\n"
		     "The machine's topology (hwloc) and where N threads "
		     "would run.\n\noptions:");
		opt_help(stdout, &g, 1, true);
		return 0;
	}
	if (ret)
		return EXIT_USAGE;
	pin = o.pin;
	threads = o.threads;
	ret = topo_init(&t);
	if (ret) {
		fprintf(stderr, "atcbench topo: %s\n", strerror(-ret));
		return EXIT_FAILURE;
	}
	if (!threads)
		threads = t.pus < TOPO_MAX_THREADS ? t.pus : TOPO_MAX_THREADS;
	topo_parse_plan(pin, &kind);
	ret = topo_plan(&t, kind, pin, threads, slots, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "atcbench topo: --pin: %s\n", err);
		topo_fini(&t);
		return EXIT_USAGE;
	}
	printf("plan: %s, %lu threads\n", pin, threads);
	topo_print(&t, slots, threads, stdout);
	topo_fini(&t);
	return 0;
}
