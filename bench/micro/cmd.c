// SPDX-License-Identifier: GPL-2.0
/*
 * micro: "atcbench micro": Google Benchmark's runner over the suites, its
 * output file written atomically, and the callgrind mode (--icount)
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gbench/gbench.h"
#include "gitinfo.h"
#include "lib/opt.h"
#include "lib/results.h"
#include "micro/micro.h"

#define EXIT_USAGE 2
#define MICRO_OUT_FLAG "--benchmark_out="
#define MICRO_ICOUNT_MAX 1000000 /* iterations per benchmark */

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
	u64 n;
	int i;

	*iterations = 0;
	for (i = 1; i < *argc; i++)
		if (!strcmp(argv[i], "--icount"))
			break;
	if (i == *argc)
		return 0;
	if (i + 1 == *argc ||
	    opt_parse_u64(argv[i + 1], 1, MICRO_ICOUNT_MAX, &n)) {
		fprintf(stderr,
			"atcbench micro: --icount takes 1 to %d iterations\n",
			MICRO_ICOUNT_MAX);
		return -EINVAL;
	}
	*iterations = n;
	memmove(&argv[i], &argv[i + 2], (*argc - i - 1) * sizeof(*argv));
	*argc -= 2;
	return 0;
}

/*
 * Interrupted (SIGINT, SIGTERM), Google Benchmark has no partial output to
 * give: the temporary file goes, then the signal does what it would have
 * done (unlink() and raise() are async-signal-safe)
 */
static char micro_tmp[RESULTS_PATH_MAX];

static void micro_on_signal(int sig)
{
	if (micro_tmp[0])
		unlink(micro_tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * The temporary file, made now: fail before a long run, not after it, on a
 * folder that cannot be written.  The handler comes first, so that no
 * signal finds the file without it.
 */
static int micro_tmp_open(const char *tmp)
{
	FILE *f;

	snprintf(micro_tmp, sizeof(micro_tmp), "%s", tmp);
	signal(SIGINT, micro_on_signal);
	signal(SIGTERM, micro_on_signal);
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "atcbench micro: cannot write %s: %s\n", tmp,
			strerror(errno));
		return -errno;
	}
	fclose(f);
	return 0;
}

/*
 * Google Benchmark writes --benchmark_out in place; point it at a temporary
 * name and rename it when the run is complete.
 */
int micro_cmd(int argc, char **argv)
{
	char tmp[RESULTS_PATH_MAX], flag[RESULTS_PATH_MAX + 32];
	const char *out = NULL;
	bool listing = false;
	int i, ret, status = 0;
	size_t ran;
	long icount;

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

	if (out && micro_tmp_open(tmp))
		return EXIT_USAGE;

	micro_context();
	ret = micro_register();
	if (ret) {
		fprintf(stderr, "atcbench micro: cannot set up: %s\n",
			strerror(-ret));
		status = EXIT_FAILURE;
	} else if (gbench_init(&argc, argv)) {
		status = EXIT_USAGE;
	} else {
		ran = gbench_run();
		gbench_shutdown();
		/* Google Benchmark said which filter matched nothing */
		if (!ran && !listing)
			status = EXIT_USAGE;
	}
	micro_unregister();

	/*
	 * The handler stays until the file is renamed or removed: a signal
	 * during the commit's fsync must not leave it behind
	 */
	if (out && (status || listing)) {
		unlink(tmp); /* a failed run, or a listing, writes no file */
	} else if (out) {
		ret = results_commit(tmp, out);
		if (ret) {
			fprintf(stderr, "atcbench micro: cannot write %s: %s\n",
				out, strerror(-ret));
			status = EXIT_FAILURE;
		}
	}
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	micro_tmp[0] = '\0';
	return status;
}
