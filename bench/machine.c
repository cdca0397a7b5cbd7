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
#include "lib/results.h"
#include "lib/topo.h"
#include "machine.h"

#define EXIT_USAGE 2

int machine_env_cmd(int argc, char **argv)
{
	int ret;

	if (argc == 2 &&
	    (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs("usage: atcbench env DIR: write DIR/env.json\n", stdout);
		return 0;
	}
	if (argc != 2 || argv[1][0] == '-') {
		fputs("usage: atcbench env DIR\n", stderr);
		return EXIT_USAGE;
	}
	ret = results_mkdir(argv[1]);
	if (!ret)
		ret = env_write(argv[1], "atcbench env", "none", 0);
	if (ret) {
		fprintf(stderr, "atcbench env: %s: %s\n", argv[1],
			strerror(-ret));
		return EXIT_FAILURE;
	}
	return 0;
}

int machine_topo_cmd(int argc, char **argv)
{
	struct topo_slot slots[TOPO_MAX_THREADS];
	enum topo_plan_kind kind = TOPO_LIST;
	const char *pin = "compact";
	unsigned long threads = 0;
	char err[256], *end;
	struct topo t;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			puts("usage: atcbench topo [--pin compact|spread|"
			     "per-node|CPULIST] [--threads N]");
			return 0;
		}
		if (strcmp(argv[i], "--pin") && strcmp(argv[i], "--threads")) {
			fprintf(stderr,
				"atcbench topo: unknown option '%s' (--help)\n",
				argv[i]);
			return EXIT_USAGE;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "atcbench topo: %s needs a value\n",
				argv[i]);
			return EXIT_USAGE;
		}
		if (!strcmp(argv[i], "--pin")) {
			pin = argv[++i];
		} else {
			errno = 0;
			threads = strtoul(argv[++i], &end, 10);
			if (*end || errno || !threads ||
			    threads > TOPO_MAX_THREADS) {
				fprintf(stderr,
					"atcbench topo: --threads: 1..%d\n",
					TOPO_MAX_THREADS);
				return EXIT_USAGE;
			}
		}
	}
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
