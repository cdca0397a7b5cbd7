// SPDX-License-Identifier: GPL-2.0
/*
 * atcbench: the command: a table of subcommands, each in its own module.
 * Exit status: 0 success, 1 failure at run time, 2 bad usage or bad input.
 * Built as atcbench-wmm (ATCBENCH_WMM): stress alone, on the weakly ordered
 * CPU of <khooks/wmm.h>.
 */
#include <stdio.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/rcupdate.h>

#include "compare/compare.h"
#include "gitinfo.h"
#include "isolate/isolate.h"
#include "kernel/kernel.h"
#include "machine.h"
#include "micro/micro.h"
#include "replay/replay.h"
#include "scale/scale.h"
#include "report/report.h"
#include "review/review.h"
#include "stress/stress.h"

#define EXIT_USAGE 2
#ifdef ATCBENCH_WMM
#define ATCBENCH_NAME "atcbench-wmm"
#else
#define ATCBENCH_NAME "atcbench"
#endif

struct atcbench_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args, *help; /* for the usage: at most 78 columns */
};

static const struct atcbench_cmd atcbench_cmds[] = {
#ifndef ATCBENCH_WMM
	{ "micro", micro_cmd, "[--benchmark_*...] | --icount N",
	  "the micro benchmarks (Google Benchmark; micro --help)" },
	{ "replay", replay_cmd, "[--range-inv] [FILE|-]",
	  "invalidation-array operations and the array after each" },
	{ "isolate", isolate_cmd, "--strategy S --n N --faulty L | --sweep",
	  "fault isolation in virtual time: an episode, or the sweep" },
#endif
	{ "stress", stress_cmd, "SCENARIO|FILE [--KEY VALUE...]",
	  "a stress run: mappers, translators, churn, faults, the oracle" },
	{ "scenarios", stress_scenarios_cmd, "[--show]",
	  "the built-in stress scenarios" },
	{ "scale", scale_cmd, "--out DIR [--profile P] [--cpus LIST] ...",
	  "the hot path on many virtual CPUs, against the published curve" },
	{ "review", review_cmd, "--out DIR [OPTIONS]",
	  "the reviewers' questions, answered in modelled time" },
#ifndef ATCBENCH_WMM
	{ "report", report_cmd, "DIR", "write and print DIR/report.txt" },
	{ "compare", compare_cmd, "BASE_DIR HEAD_DIR [OPTIONS]",
	  "verdicts on two results folders (scripts/compare.sh)" },
	{ "kernel", kernel_cmd, "run|sim|convert|build|compare ...",
	  "the real kernel's path under QEMU, traced (kernel --help)" },
	{ "env", machine_env_cmd, "DIR",
	  "write DIR/env.json (the build, machine, libraries)" },
	{ "topo", machine_topo_cmd, "[--pin PLAN] [--threads N]",
	  "the topology, its mode and a pinning plan" },
#endif
};

static void usage(FILE *f)
{
	size_t i;

	fputs("usage: " ATCBENCH_NAME " COMMAND [OPTIONS]   (" ATCBENCH_NAME
	      " COMMAND --help)\n"
	      "\ncommands:\n",
	      f);
	for (i = 0; i < ARRAY_SIZE(atcbench_cmds); i++)
		fprintf(f, "  %-9s %s\n  %9s   %s\n", atcbench_cmds[i].name,
			atcbench_cmds[i].args, "", atcbench_cmds[i].help);
	fputs("  help      this text; --version: the build\n"
	      "\nexit status: 0 success, 1 run-time failure, 2 bad usage or "
	      "input\n",
	      f);
}

int main(int argc, char **argv)
{
	const struct atcbench_cmd *cmd = NULL;
	size_t i;
	int ret;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf(ATCBENCH_NAME " %s (%s%s), gcc %s\n", ATCBENCH_GIT_SHA,
		       ATCBENCH_GIT_BRANCH, ATCBENCH_GIT_DIRTY ? ", dirty" : "",
		       __VERSION__);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(atcbench_cmds) && !cmd; i++)
		if (!strcmp(argv[1], atcbench_cmds[i].name))
			cmd = &atcbench_cmds[i];
	if (!cmd) {
		fprintf(stderr,
			ATCBENCH_NAME ": unknown command '%s' (" ATCBENCH_NAME
				      " help lists them)\n",
			argv[1]);
		return EXIT_USAGE;
	}

	/* Every thread that runs kernel-form code is an RCU reader */
	rcu_register_thread();
	ret = cmd->fn(argc - 1, argv + 1);
	rcu_barrier();
	rcu_unregister_thread();
	return ret;
}
