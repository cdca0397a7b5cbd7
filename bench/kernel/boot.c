// SPDX-License-Identifier: GPL-2.0
/*
 * kernel: a kernel to boot (fetched, built or given) and its run under QEMU
 * through the scripts in kernel-hooks/real/
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel/internal.h"

/* The folder of the kernel scripts: $ATCBENCH_KERNEL_SCRIPTS or the tree's */
static const char *kernel_scripts(void)
{
	const char *d = getenv("ATCBENCH_KERNEL_SCRIPTS");

	return d && *d ? d : ATCBENCH_SOURCE_DIR "/kernel-hooks/real";
}

/*
 * Run @argv (stdin closed); its stdout into @out when @out is not NULL.
 * Returns the exit status, KERNEL_INTERRUPTED when Ctrl-C or SIGTERM
 * stopped it, or -errno.  While it runs this process ignores those
 * signals: the script ends first (run.sh stops QEMU and says so), so no
 * line of it comes after the shell's prompt.
 */
static int kernel_spawn(char *const argv[], char *out, size_t outlen)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old[2];
	int pipefd[2] = { -1, -1 }, status, ret;
	size_t got = 0;
	pid_t pid;

	if (out && pipe(pipefd))
		return -errno;
	sigaction(SIGINT, &ign, &old[0]);
	sigaction(SIGTERM, &ign, &old[1]);
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		goto out;
	}
	if (!pid) {
		sigaction(SIGINT, &old[0], NULL);
		sigaction(SIGTERM, &old[1], NULL);
		if (out) {
			dup2(pipefd[1], STDOUT_FILENO);
			close(pipefd[0]);
			close(pipefd[1]);
		}
		execv(argv[0], argv);
		fprintf(stderr, "atcbench kernel: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	if (out) {
		ssize_t n;

		close(pipefd[1]);
		while ((n = read(pipefd[0], out + got, outlen - 1 - got)) > 0)
			got += n;
		out[got] = '\0';
		close(pipefd[0]);
		out[strcspn(out, "\n")] = '\0';
	}
	if (waitpid(pid, &status, 0) < 0)
		ret = -errno;
	else if (WIFSIGNALED(status))
		ret = WTERMSIG(status) == SIGINT ||
				      WTERMSIG(status) == SIGTERM ?
			      KERNEL_INTERRUPTED :
			      128 + WTERMSIG(status);
	else
		ret = WEXITSTATUS(status);
out:
	sigaction(SIGINT, &old[0], NULL);
	sigaction(SIGTERM, &old[1], NULL);
	return ret;
}

/* A folder of build.sh's, @dir, as the kernel to boot */
static void kernel_src_built(const char *dir, const char *tree, const char *ref,
			     struct kernel_src *k)
{
	snprintf(k->dir, sizeof(k->dir), "%s", dir);
	snprintf(k->image, sizeof(k->image), "%.*s/Image",
		 (int)sizeof(k->image) - 7, dir);
	snprintf(k->modules, sizeof(k->modules), "%.*s/modules",
		 (int)sizeof(k->modules) - 9, dir);
	kernel_read_line(dir, "commit", k->sha, sizeof(k->sha));
	if (ref)
		snprintf(k->source, sizeof(k->source),
			 "tree %.*s at %.12s (%.32s)",
			 (int)sizeof(k->source) - 64, tree, k->sha, ref);
	else
		snprintf(k->source, sizeof(k->source), "tree %.*s (its files)",
			 (int)sizeof(k->source) - 64, tree);
}

/*
 * Run kernel-hooks/real/@argv[0] with the rest of @argv; the folder it
 * prints into @dir.  Returns 0, or an exit status.
 */
static int kernel_script_folder(char *argv[], char *dir, size_t len)
{
	char script[RESULTS_PATH_MAX];
	int ret;

	snprintf(script, sizeof(script), "%s/%s", kernel_scripts(), argv[0]);
	argv[0] = script;
	ret = kernel_spawn(argv, dir, len);
	if (!ret || ret == KERNEL_INTERRUPTED)
		return ret;
	return ret == EXIT_USAGE || ret < 0 ? EXIT_USAGE : EXIT_FAILURE;
}

int kernel_resolve(const char *tree, const char *ref, char *sha, size_t len)
{
	char *resolve[] = { "build.sh",	 "--tree",    (char *)tree,
			    "--resolve", (char *)ref, NULL };

	return kernel_script_folder(resolve, sha, len);
}

/*
 * The kernel to boot: Debian's (--kernel, fetched once), one built from a
 * tree (--tree at @ref, or its files: built once per commit) or the
 * user's (--image).  Returns 0, or an exit status.
 */
int kernel_get(const struct kernel_opts *o, const char *ref,
	       struct kernel_src *k)
{
	char dir[RESULTS_PATH_MAX];
	int ret;

	memset(k, 0, sizeof(*k));
	if (o->image) {
		snprintf(k->image, sizeof(k->image), "%s", o->image);
		snprintf(k->modules, sizeof(k->modules), "%s",
			 o->modules ? o->modules : "");
		snprintf(k->source, sizeof(k->source), "image %s", o->image);
		return 0;
	}
	if (o->tree) {
		char *build[] = { "build.sh",	   "--tree",
				  (char *)o->tree, ref ? "--ref" : NULL,
				  (char *)ref,	   NULL };

		ret = kernel_script_folder(build, dir, sizeof(dir));
		if (ret)
			fprintf(stderr,
				"atcbench kernel: no kernel built from %s%s%s\n",
				o->tree, ref ? " at " : "", ref ? ref : "");
		else
			kernel_src_built(dir, o->tree, ref, k);
		return ret;
	}
	{
		char *fetch[] = { "fetch.sh", (char *)o->kernel, NULL };

		ret = kernel_script_folder(fetch, dir, sizeof(dir));
		if (ret) {
			fprintf(stderr, "atcbench kernel: no kernel %s\n",
				o->kernel);
			return ret;
		}
		/* fetch.sh printed the cached folder */
		kernel_src_built(dir, NULL, NULL, k);
		snprintf(k->source, sizeof(k->source), "Debian %.*s",
			 (int)sizeof(k->source) - 8, o->kernel);
		return 0;
	}
}

/*
 * Boot @k under QEMU (run.sh) with @o's devices and workload, and write
 * @out's kernel-@name files.  Returns 0, or an exit status.
 */
int kernel_boot(const struct kernel_opts *o, const struct kernel_src *k,
		const char *out, const char *name)
{
	char script[RESULTS_PATH_MAX], raw[RESULTS_PATH_MAX];
	char qemu[RESULTS_PATH_MAX], num[8][24];
	char *run[48] = {};
	int n = 0, ret;

	if (snprintf(raw, sizeof(raw), "%s/kernel-%s", out, name) >=
	    (int)sizeof(raw) - 8) {
		fprintf(stderr, "atcbench kernel: %s: path too long\n", out);
		return EXIT_USAGE;
	}
	if (o->ats) {
		char *build[] = { script, NULL };

		/* Built once, cached: it says so when it builds */
		snprintf(script, sizeof(script), "%s/qemu-ats.sh",
			 kernel_scripts());
		ret = kernel_spawn(build, qemu, sizeof(qemu));
		if (ret == KERNEL_INTERRUPTED)
			return ret;
		if (ret) {
			fprintf(stderr,
				"atcbench kernel: no ATS-capable QEMU\n");
			return EXIT_FAILURE;
		}
	}
	snprintf(script, sizeof(script), "%s/run.sh", kernel_scripts());
	snprintf(num[0], sizeof(num[0]), "%u", o->devices);
	snprintf(num[1], sizeof(num[1]), "%u", o->ops);
	snprintf(num[2], sizeof(num[2]), "%u", o->timeout);
	snprintf(num[3], sizeof(num[3]), "%llu",
		 (unsigned long long)o->atc_delay_ns);
	run[n++] = script;
	run[n++] = "--image";
	run[n++] = (char *)k->image;
	run[n++] = "--out";
	run[n++] = raw;
	run[n++] = "--devices";
	run[n++] = num[0];
	run[n++] = "--ops";
	run[n++] = num[1];
	run[n++] = "--timeout";
	run[n++] = num[2];
	run[n++] = "--workload";
	run[n++] = (char *)kernel_workload_names[o->workload];
	run[n++] = "--topology";
	run[n++] = (char *)kernel_topology_names[kernel_topology_of(o)];
	run[n++] = "--dma-mode";
	run[n++] = (char *)kernel_dma_mode_names[o->dma_mode];
	snprintf(num[4], sizeof(num[4]), "%u", o->threads);
	snprintf(num[5], sizeof(num[5]), "%u", o->seconds);
	snprintf(num[6], sizeof(num[6]), "%u", o->granule);
	run[n++] = "--threads";
	run[n++] = num[4];
	run[n++] = "--seconds";
	run[n++] = num[5];
	run[n++] = "--granule";
	run[n++] = num[6];
	if (k->modules[0]) {
		run[n++] = "--modules";
		run[n++] = (char *)k->modules;
	}
	if (o->ats) {
		run[n++] = "--ats";
		run[n++] = "--qemu";
		run[n++] = qemu;
		run[n++] = "--atc-timeout-delay";
		run[n++] = num[3];
	}
	if (o->atc_timeout) {
		run[n++] = "--atc-timeout";
		run[n++] = (char *)o->atc_timeout;
	}
	if (o->atc_slow) {
		snprintf(num[7], sizeof(num[7]), "%llu",
			 (unsigned long long)o->atc_slow_delay_ns);
		run[n++] = "--atc-slow";
		run[n++] = (char *)o->atc_slow;
		run[n++] = "--atc-slow-delay";
		run[n++] = num[7];
	}
	ret = kernel_spawn(run, NULL, 0);
	if (ret == KERNEL_INTERRUPTED) {
		fprintf(stderr, "atcbench kernel: interrupted (%s)\n", raw);
		return ret;
	}
	if (ret) {
		fprintf(stderr, "atcbench kernel: the run failed (%s)\n", raw);
		return EXIT_USAGE;
	}
	strcat(raw, "/trace");
	return kernel_convert(raw, out, name, k->source) ? EXIT_FAILURE : 0;
}
