// SPDX-License-Identifier: GPL-2.0
/*
 * atcbench: the command.  Exit status: 0 success, 1 failure at run time,
 * 2 bad usage or bad input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rcupdate.h>

#include "compare/compare.h"
#include "gbench/gbench.h"
#include "gitinfo.h"
#include "isolate/isolate.h"
#include "kernel/kernel.h"
#include "lib/env.h"
#include "lib/results.h"
#include "lib/topo.h"
#include "micro/micro.h"
#include "replay/replay.h"
#include "report/report.h"
#include "stress/stress.h"

#define EXIT_USAGE 2
#define MICRO_OUT_FLAG "--benchmark_out="
#define MICRO_ICOUNT_MAX 1000000 /* iterations per benchmark */

static void usage(FILE *f)
{
	fputs("usage: atcbench COMMAND [OPTIONS]\n"
	      "\n"
	      "commands:\n"
	      "  micro [--benchmark_*...]   run the micro benchmarks (Google Benchmark\n"
	      "                             flags pass through; see micro --help)\n"
	      "  micro --icount N [--benchmark_filter=RE]\n"
	      "                             under valgrind --tool=callgrind\n"
	      "                             --collect-atstart=no: the single-thread\n"
	      "                             benchmarks, N iterations each, one\n"
	      "                             callgrind dump each (scripts/icount.sh)\n"
	      "  replay [--range-inv] [FILE|-]\n"
	      "                             apply invalidation-array operations and\n"
	      "                             print the array after each (README.md)\n"
	      "  isolate --strategy S --n N --faulty LIST|none | --sweep\n"
	      "                             fault isolation in virtual time: one\n"
	      "                             episode, or the sweep (isolate --help)\n"
	      "  stress SCENARIO|FILE [--KEY VALUE...]\n"
	      "                             a stress run: mappers, translators,\n"
	      "                             churn, faults, the oracle (stress --help)\n"
	      "  scenarios [--show]         list the built-in scenarios\n"
	      "  report DIR                 write and print DIR/report.txt\n"
	      "  env DIR                    write DIR/env.json (the build, machine,\n"
	      "                             libraries) without running anything\n"
	      "  compare BASE_DIR HEAD_DIR [--utest FILE] [--band PCT]...\n"
	      "                             verdicts of two results folders\n"
	      "                             (scripts/compare.sh; compare --help)\n"
	      "  kernel run --kernel 7.3|6.12|PACKAGE | --image IMAGE\n"
	      "                             the real kernel's path under QEMU,\n"
	      "                             traced (kernel --help)\n"
	      "  kernel convert TRACEDIR    a trace from real hardware into results\n"
	      "  topo [--pin PLAN] [--threads N]\n"
	      "                             the topology, its mode and a pinning plan\n"
	      "  help                       this text\n"
	      "\n"
	      "exit status: 0 success, 1 run-time failure, 2 bad usage or input\n",
	      f);
}

static void micro_context(void)
{
	gbench_add_context("atcbench_git_sha", ATCBENCH_GIT_SHA);
	gbench_add_context("atcbench_git_branch", ATCBENCH_GIT_BRANCH);
	gbench_add_context("atcbench_git_dirty",
			   ATCBENCH_GIT_DIRTY ? "1" : "0");
	gbench_add_context("atcbench_compiler", "gcc " __VERSION__);
#ifdef KHOOKS_RCU_ATOMIC
	gbench_add_context("atcbench_rcu", "atomic-shim");
#else
	gbench_add_context("atcbench_rcu", "liburcu-memb");
#endif
#ifdef NDEBUG
	gbench_add_context("atcbench_build", "release");
#else
	gbench_add_context("atcbench_build", "debug");
#endif
}

/* Take "--icount N" out of the command line; 0 when absent */
static int micro_icount_arg(int *argc, char **argv, long *iterations)
{
	char *end;
	int i;

	*iterations = 0;
	for (i = 1; i < *argc; i++)
		if (!strcmp(argv[i], "--icount"))
			break;
	if (i == *argc)
		return 0;
	errno = 0;
	if (i + 1 < *argc)
		*iterations = strtol(argv[i + 1], &end, 10);
	if (i + 1 == *argc || errno || *end || *iterations < 1 ||
	    *iterations > MICRO_ICOUNT_MAX) {
		fprintf(stderr,
			"atcbench micro: --icount takes 1 to %d iterations\n",
			MICRO_ICOUNT_MAX);
		return -EINVAL;
	}
	memmove(&argv[i], &argv[i + 2], (*argc - i - 1) * sizeof(*argv));
	*argc -= 2;
	return 0;
}

/*
 * Google Benchmark writes --benchmark_out in place; point it at a temporary
 * name and rename it when the run is complete.
 */
static int cmd_micro(int argc, char **argv)
{
	char tmp[RESULTS_PATH_MAX], flag[RESULTS_PATH_MAX + 32];
	const char *out = NULL;
	bool listing = false;
	long icount;
	int i, ret;

	if (micro_icount_arg(&argc, argv, &icount))
		return EXIT_USAGE;
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--benchmark_list_tests") ||
		    !strcmp(argv[i], "--benchmark_list_tests=true"))
			listing = true;
	/* Lazy binding would put the dynamic linker in the counted windows */
	if (icount && !listing &&
	    (!gbench_on_valgrind() || !getenv("LD_BIND_NOW"))) {
		fprintf(stderr, "atcbench micro: --icount runs under "
				"LD_BIND_NOW=1 valgrind --tool=callgrind "
				"--collect-atstart=no (scripts/icount.sh)\n");
		return EXIT_USAGE;
	}
	gbench_icount(icount);

	for (i = 1; i < argc; i++) {
		if (strncmp(argv[i], MICRO_OUT_FLAG, strlen(MICRO_OUT_FLAG)))
			continue;
		out = argv[i] + strlen(MICRO_OUT_FLAG);
		if (!*out || results_tmp_path(out, tmp, sizeof(tmp))) {
			fprintf(stderr, "atcbench micro: bad %s path\n",
				MICRO_OUT_FLAG);
			return EXIT_USAGE;
		}
		snprintf(flag, sizeof(flag), "%s%s", MICRO_OUT_FLAG, tmp);
		argv[i] = flag;
	}

	/* Fail before a long run, not after it, on a folder we cannot write */
	if (out) {
		FILE *f = fopen(tmp, "w");

		if (!f) {
			fprintf(stderr, "atcbench micro: cannot write %s: %s\n",
				tmp, strerror(errno));
			return EXIT_USAGE;
		}
		fclose(f);
	}

	micro_context();
	ret = micro_register();
	if (ret) {
		fprintf(stderr, "atcbench micro: cannot set up: %s\n",
			strerror(-ret));
		micro_unregister();
		return EXIT_FAILURE;
	}
	if (gbench_init(&argc, argv)) {
		micro_unregister();
		return EXIT_USAGE;
	}
	gbench_run();
	gbench_shutdown();
	micro_unregister();

	if (out) {
		ret = results_commit(tmp, out);
		if (ret) {
			fprintf(stderr, "atcbench micro: cannot write %s: %s\n",
				out, strerror(-ret));
			return EXIT_FAILURE;
		}
	}
	return 0;
}

static int cmd_env(int argc, char **argv)
{
	int ret;

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

static int cmd_replay(int argc, char **argv)
{
	struct replay_opts opts = {};
	const char *path = NULL;
	FILE *in = stdin;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--range-inv")) {
			opts.range_inv = true;
		} else if (!strcmp(argv[i], "--help") ||
			   !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (argv[i][0] == '-' && strcmp(argv[i], "-")) {
			fprintf(stderr,
				"atcbench replay: unknown option '%s'\n",
				argv[i]);
			return EXIT_USAGE;
		} else if (path) {
			fprintf(stderr,
				"atcbench replay: one input file only\n");
			return EXIT_USAGE;
		} else {
			path = argv[i];
		}
	}

	if (path && strcmp(path, "-")) {
		in = fopen(path, "r");
		if (!in) {
			fprintf(stderr, "atcbench replay: %s: %s\n", path,
				strerror(errno));
			return EXIT_USAGE;
		}
	}
	ret = replay_run(in, stdout, stderr, &opts);
	if (in != stdin)
		fclose(in);
	if (ret == -EINVAL)
		return EXIT_USAGE;
	if (ret) {
		fprintf(stderr, "atcbench replay: %s\n", strerror(-ret));
		return EXIT_FAILURE;
	}
	return 0;
}

static int cmd_topo(int argc, char **argv)
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
		if (i + 1 >= argc) {
			fprintf(stderr, "atcbench topo: %s needs a value\n",
				argv[i]);
			return EXIT_USAGE;
		}
		if (!strcmp(argv[i], "--pin")) {
			pin = argv[++i];
		} else if (!strcmp(argv[i], "--threads")) {
			errno = 0;
			threads = strtoul(argv[++i], &end, 10);
			if (*end || errno || !threads ||
			    threads > TOPO_MAX_THREADS) {
				fprintf(stderr,
					"atcbench topo: --threads: 1..%d\n",
					TOPO_MAX_THREADS);
				return EXIT_USAGE;
			}
		} else {
			fprintf(stderr, "atcbench topo: unknown option '%s'\n",
				argv[i]);
			return EXIT_USAGE;
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

int main(int argc, char **argv)
{
	int ret;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}

	/* Every thread that runs kernel-form code is an RCU reader */
	rcu_register_thread();
	if (!strcmp(argv[1], "micro")) {
		ret = cmd_micro(argc - 1, argv + 1);
	} else if (!strcmp(argv[1], "replay")) {
		ret = cmd_replay(argc - 1, argv + 1);
	} else if (!strcmp(argv[1], "isolate")) {
		ret = isolate_cmd(argc - 1, argv + 1);
	} else if (!strcmp(argv[1], "stress")) {
		ret = stress_cmd(argc - 1, argv + 1);
	} else if (!strcmp(argv[1], "scenarios")) {
		ret = stress_scenarios_cmd(argc - 1, argv + 1);
	} else if (!strcmp(argv[1], "report")) {
		ret = report_cmd(argc - 1, argv + 1);
	} else if (!strcmp(argv[1], "env")) {
		ret = cmd_env(argc - 1, argv + 1);
	} else if (!strcmp(argv[1], "compare")) {
		ret = compare_cmd(argc - 1, argv + 1);
	} else if (!strcmp(argv[1], "kernel")) {
		ret = kernel_cmd(argc - 1, argv + 1);
	} else if (!strcmp(argv[1], "topo")) {
		ret = cmd_topo(argc - 1, argv + 1);
	} else if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
		   !strcmp(argv[1], "-h")) {
		usage(stdout);
		ret = 0;
	} else {
		fprintf(stderr, "atcbench: unknown command '%s'\n", argv[1]);
		usage(stderr);
		ret = EXIT_USAGE;
	}
	rcu_barrier();
	rcu_unregister_thread();
	return ret;
}
