// SPDX-License-Identifier: GPL-2.0
/*
 * kernel: the commands, "atcbench kernel run|sim|convert|build|compare", and
 * their options
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "compare/compare.h"
#include "kernel/internal.h"
#include "lib/env.h"
#include "lib/json.h"
#include "lib/opt.h"
#include "report/report.h"

const char *const kernel_workload_names[] = { "dio", "dmabench", NULL };
static const char *const kernel_design_names[] = { "rcu", "devlist", NULL };

/* run's, sim's and compare's defaults (sim has no timeout: unused) */
static const struct kernel_opts kernel_defaults = {
	.devices = 1,
	.ops = 2000,
	.timeout = 300,
	.threads = 1,
	.seconds = 2,
	.granule = 1,
};

#define KO(n, t, field, lo, hi, en, a, h)                              \
	{                                                              \
		.name = n, .type = t,                                  \
		.off = offsetof(struct kernel_opts, field), .min = lo, \
		.max = hi, .names = en, .arg = a, .help = h            \
	}

/* Every subcommand's */
static const struct opt kernel_out_opts[] = {
	KO("out", OPT_STR, out, 0, 0, NULL, "DIR",
	   "the results folder (default results/<run-id>)"),
	KO("name", OPT_STR, name, 0, 0, NULL, "NAME",
	   "names the results: 1 to 63 of [A-Za-z0-9._-] (default: run and "
	   "sim WORKLOAD-Nd, convert hw)"),
};

/* Which kernel: run, compare (--tree), build (--tree, --ref) */
static const struct opt kernel_src_opts[] = {
	KO("kernel", OPT_STR, kernel, 0, 0, NULL, "K",
	   "7.3, 6.12, 6.1 or a Debian arm64 kernel package"),
	KO("image", OPT_STR, image, 0, 0, NULL, "IMAGE", "your arm64 Image"),
	KO("modules", OPT_STR, modules, 0, 0, NULL, "DIR",
	   "the modules of --image (virtio_blk.ko)"),
	KO("tree", OPT_STR, tree, 0, 0, NULL, "DIR", "a kernel tree to build"),
	KO("ref", OPT_STR, ref, 0, 0, NULL, "REF",
	   "the commit of --tree to build"),
};

/* The topology: run, compare, sim */
static const struct opt kernel_topo_opts[] = {
	KO("devices", OPT_UINT, devices, 1, KERNEL_MAX_DEVICES, NULL, "N",
	   "devices behind the SMMU"),
	KO("ops", OPT_UINT, ops, 1, KERNEL_MAX_OPS, NULL, "N",
	   "operations traced (4 KiB reads; sim: invalidations)"),
	KO("ats", OPT_FLAG, ats, 0, 0, NULL, NULL,
	   "devices with ATS on (not on the root bus)"),
	KO("topology", OPT_ENUM, topology, 0, 0, kernel_topology_names, "T",
	   "where the devices sit: bus, ports (a domain each), mf (two "
	   "functions of a device share a domain); auto: ports with --ats, "
	   "else bus"),
	KO("dma_mode", OPT_ENUM, dma_mode, 0, 0, kernel_dma_mode_names, "M",
	   "strict (iommu.strict=1) or lazy (=0: the flush queue)"),
};

/* The guest: run, compare */
static const struct opt kernel_run_opts[] = {
	KO("workload", OPT_ENUM, workload, 0, 0, kernel_workload_names, "W",
	   "dio: direct-I/O reads; dmabench: the kernel's DMA map benchmark"),
	KO("threads", OPT_UINT, threads, 1, KERNEL_MAX_THREADS, NULL, "N",
	   "dmabench: threads mapping and unmapping"),
	KO("seconds", OPT_UINT, seconds, 1, KERNEL_MAX_SECONDS_DMABENCH, NULL,
	   "S", "dmabench: how long"),
	KO("granule", OPT_UINT, granule, 1, KERNEL_MAX_GRANULE, NULL, "N",
	   "dmabench: pages per map"),
	KO("timeout", OPT_UINT, timeout, KERNEL_MIN_TIMEOUT_S,
	   KERNEL_MAX_TIMEOUT_S, NULL, "S", "the guest's limit, in seconds"),
	KO("atc_timeout", OPT_STR, atc_timeout, 0, 0, NULL, "SPEC",
	   "leave these SIDs' ATC_INVs unanswered: SIDS@FROM[+FOR][;...]"),
	KO("atc_timeout_delay", OPT_NS, atc_delay_ns, 0,
	   KERNEL_MAX_ATC_DELAY_NS, NULL, "D",
	   "when the CMD_SYNC after them fails"),
	KO("atc_slow", OPT_STR, atc_slow, 0, 0, NULL, "SPEC",
	   "answer these SIDs' ATC_INVs late: SIDS@FROM[+FOR][;...]"),
	KO("atc_slow_delay", OPT_NS, atc_slow_delay_ns, 0,
	   KERNEL_MAX_ATC_DELAY_NS, NULL, "D",
	   "how late: the CMD_SYNC after them, and the queue, wait"),
};

static const struct opt kernel_sim_opts[] = {
	KO("design", OPT_ENUM, design, 0, 0, kernel_design_names, "D",
	   "the array (rcu) or the pre-7.1 device list (devlist)"),
};

enum { KG_OUT = 1, KG_SRC = 2, KG_TOPO = 4, KG_RUN = 8, KG_SIM = 16 };

static unsigned int kernel_groups(unsigned int which, struct kernel_opts *o,
				  struct opt_group *g)
{
	unsigned int n = 0;

	if (which & KG_OUT)
		g[n++] = (struct opt_group)OPT_GROUP(kernel_out_opts, o);
	if (which & KG_SRC)
		g[n++] = (struct opt_group)OPT_GROUP(kernel_src_opts, o);
	if (which & KG_TOPO)
		g[n++] = (struct opt_group)OPT_GROUP(kernel_topo_opts, o);
	if (which & KG_RUN)
		g[n++] = (struct opt_group)OPT_GROUP(kernel_run_opts, o);
	if (which & KG_SIM)
		g[n++] = (struct opt_group)OPT_GROUP(kernel_sim_opts, o);
	return n;
}

static void kernel_usage(FILE *f)
{
	fprintf(f,
		"usage: atcbench kernel run KERNEL [--devices N] [--ops N]\n"
		"                            [--topology T] [--dma-mode M]\n"
		"                            [--workload dio|dmabench [--threads N]\n"
		"                            [--seconds S] [--granule N]]\n"
		"                            [--timeout S] [--name NAME]\n"
		"                            [--ats [--atc-timeout SPEC]\n"
		"                            [--atc-timeout-delay D]\n"
		"                            [--atc-slow SPEC --atc-slow-delay D]]\n"
		"                            [--out DIR]\n"
		"       atcbench kernel sim [--design rcu|devlist] [--devices N] [--ops N]\n"
		"                            [--topology T] [--dma-mode M]\n"
		"                            [--ats] [--name NAME] [--out DIR]\n"
		"       atcbench kernel convert TRACEDIR [--name NAME] [--out DIR]\n"
		"       atcbench kernel build --tree DIR [--ref REF]\n"
		"       atcbench kernel compare --tree DIR BASE HEAD [run's options]\n"
		"\nKERNEL: --kernel SERIES|PACKAGE, --image IMAGE [--modules DIR] or\n"
		"        --tree DIR [--ref REF]\n"
		"\n"
		"run: boot the kernel under QEMU (virt, SMMUv3, TCG) with --devices\n"
		"virtio-blk devices behind the SMMU (1..%d, default 1), trace --ops\n"
		"4 KiB direct-I/O reads (1..%d, default 2000) with atc-trace.sh, and\n"
		"write the results folder (default results/<run-id>), report.txt\n"
		"included.  --kernel: 7.3, 6.12, 6.1 (Debian's newest build) or a\n"
		"Debian arm64 kernel package, downloaded once into the cache\n"
		"(kernel-hooks/real/fetch.sh); --image: your arm64 Image, with\n"
		"--modules holding virtio_blk.ko unless it is built in; --tree: a\n"
		"kernel tree, built as build does.  --timeout: the guest's limit in\n"
		"seconds (%d..%d, default 300).  --ats: the devices with ATS on, on\n"
		"atcbench's patched QEMU (kernel-hooks/real/qemu-ats.sh, built once:\n"
		"about 20 min), whose ATC oracle judges every ATC invalidation;\n"
		"--workload dmabench: instead of the reads, the kernel's DMA map\n"
		"benchmark (CONFIG_DMA_MAP_BENCHMARK, which kernels of kernel build\n"
		"have) on the first device, through atcbench's own client: --threads\n"
		"map and unmap --granule pages for --seconds; its mean and standard\n"
		"deviation lines beside the counts (an operation: an unmap).\n"
		"--topology: bus (the root bus, without ATS), ports (device i\n"
		"behind root port i: SID (i + 1) << 8, a domain each; the default\n"
		"with --ats) or mf (devices 2k and 2k + 1: functions 0 and 1 of one\n"
		"device behind root port k, SIDs (k + 1) << 8 and + 1, one IOMMU\n"
		"group, so one domain of two devices).  --dma-mode: strict\n"
		"(iommu.strict=1, each unmap invalidates) or lazy (iommu.strict=0:\n"
		"the flush queue invalidates whole domains; an operation is a\n"
		"flush).\n"
		"--atc-timeout SIDS@FROM[+FOR][;...] leaves those SIDs' ATC_INVs\n"
		"unanswered (SIDS N or N-M, the SIDs above; FROM, FOR\n"
		"a time, 500ms, or a count of SMMU commands, 1000c) and the CMD_SYNC\n"
		"after them fails after --atc-timeout-delay (default 0).\n"
		"--atc-slow SIDS@FROM[+FOR][;...] answers those SIDs' ATC_INVs\n"
		"late: the CMD_SYNC after them, and every command behind it,\n"
		"waits --atc-slow-delay (head-of-line blocking).\n"
		"sim: the simulated twin of run: atcbench's kernel-form code (the\n"
		"array, or the pre-7.1 devlist) on a simulated SMMU in the same\n"
		"topology and DMA mode, --ops one-page invalidations (lazy: whole\n"
		"domains), counted the same way.\n"
		"convert: the folder atc-trace.sh stop wrote (on real hardware) into\n"
		"kernel-NAME.json and .hgrm files.  NAME: 1 to %d of [A-Za-z0-9._-]\n"
		"(default: run and sim: WORKLOAD-Nd, convert: hw).\n"
		"build: an arm64 Image from a kernel tree with Debian's cross\n"
		"compiler and kernel-hooks/real/atcbench.config; with --ref that\n"
		"commit, built once (the cache keeps it), else the tree's files.\n"
		"Prints the folder that holds it (kernel-hooks/real/build.sh).\n"
		"compare: check that BASE and HEAD are commits of the tree and that\n"
		"DIR can be written, build both, run both with the same options\n"
		"into DIR/base and DIR/head (default DIR\n"
		"results/kernel-compare-<base>-<head>), and compare their exact\n"
		"counts per operation (atcbench compare --gate kernel).\n"
		"Every count (commands, CMD_SYNCs, lists, each opcode, ATC_INVs\n"
		"per SID) is a fact, never better or worse: any change is\n"
		"\"changed\", FEWER or MORE, and a count that fell is reported\n"
		"first.  A stale ATC hit or an ATS device without ATC_INVs\n"
		"(--ats: the ATC oracle) is a VIOLATION.\n"
		"Exit status: run: 0, 1 a violation; compare: 0 the counts are\n"
		"the same and no violation, 1 a count changed or a violation;\n"
		"2 bad options, an unwritable DIR, no kernel, no QEMU, no boot, an\n"
		"absent probe; 130 interrupted (Ctrl-C), once QEMU stopped.\n",
		KERNEL_MAX_DEVICES, KERNEL_MAX_OPS, KERNEL_MIN_TIMEOUT_S,
		KERNEL_MAX_TIMEOUT_S, KERNEL_NAME_MAX);
}

static void kernel_help(FILE *f)
{
	struct kernel_opts o = kernel_defaults;
	struct opt_group g[5];

	kernel_usage(f);
	fputs("\noptions (--KEY VALUE or --KEY=VALUE):\n", f);
	opt_help(f, g, kernel_groups(~0u, &o, g), true);
}

static bool kernel_name_ok(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= KERNEL_NAME_MAX &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789._-") == n &&
	       s[0] != '.';
}

/* The --atc-timeout syntax (qemu-ats.patch checks it again, in full) */
static bool kernel_atc_spec_ok(const char *s)
{
	size_t n = strlen(s);

	return n >= 3 && n <= KERNEL_ATC_SPEC_MAX &&
	       strspn(s, "0123456789@+;-cmnsu") == n && strchr(s, '@');
}

/*
 * The options of @cmd, from @which groups, in argv[1..]; up to @npos
 * operands into @pos[], counted in *@got.  0, 1 after printing the help,
 * or -EINVAL after saying why.
 */
static int kernel_parse(const char *cmd, unsigned int which, int argc,
			char **argv, struct kernel_opts *o, const char **pos,
			int npos, int *got)
{
	struct opt_group g[5];
	char what[32];
	int ret;

	snprintf(what, sizeof(what), "kernel %s", cmd);
	ret = opt_parse(what, g, kernel_groups(which, o, g), argc, argv, pos,
			npos, got);
	if (ret > 0)
		kernel_help(stdout);
	if (ret)
		return ret;
	if (o->name && !kernel_name_ok(o->name)) {
		fprintf(stderr,
			"atcbench %s: --name: 1 to %d of [A-Za-z0-9._-]\n",
			what, KERNEL_NAME_MAX);
		return -EINVAL;
	}
	if ((o->atc_timeout && !kernel_atc_spec_ok(o->atc_timeout)) ||
	    (o->atc_slow && !kernel_atc_spec_ok(o->atc_slow))) {
		fprintf(stderr,
			"atcbench %s: --atc-timeout, --atc-slow: "
			"SIDS@FROM[+FOR][;...] (--help), at most %d "
			"characters\n",
			what, KERNEL_ATC_SPEC_MAX);
		return -EINVAL;
	}
	if (!o->atc_slow != !o->atc_slow_delay_ns) {
		fprintf(stderr,
			"atcbench %s: --atc-slow and --atc-slow-delay go "
			"together\n",
			what);
		return -EINVAL;
	}
	if (o->ats && o->topology == KT_BUS) {
		fprintf(stderr,
			"atcbench %s: --topology bus: an endpoint on the root "
			"bus has no ATS (ports or mf)\n",
			what);
		return -EINVAL;
	}
	if ((o->atc_timeout || o->atc_delay_ns || o->atc_slow) && !o->ats) {
		fprintf(stderr,
			"atcbench %s: --atc-timeout, --atc-timeout-delay and "
			"--atc-slow need --ats\n",
			what);
		return -EINVAL;
	}
	return 0;
}

/* env.json's guest: what @o booted */
static struct env_guest kernel_env_guest(const struct kernel_opts *o)
{
	return (struct env_guest){
		.topology = kernel_topology_names[kernel_topology_of(o)],
		.dma_mode = kernel_dma_mode_names[o->dma_mode],
		.devices = o->devices,
		.ats = o->ats,
	};
}

/*
 * env.json (with the guest of @o, NULL: none) and the report; 1 when the
 * report starts with a violation
 */
static int kernel_finish(const char *out, const char *cmdline,
			 const struct kernel_opts *o)
{
	struct env_guest g;
	FILE *null;
	int ret;

	if (o)
		g = kernel_env_guest(o);
	ret = o ? env_write_guest(out, cmdline, NULL, NULL, &g) :
		  env_write(out, cmdline, "tcg", 0);

	if (ret) {
		fprintf(stderr,
			"atcbench kernel: cannot write %s/env.json: %s\n", out,
			strerror(-ret));
		return EXIT_FAILURE;
	}
	if (report_write(out, stdout))
		return EXIT_FAILURE;
	null = fopen("/dev/null", "w");
	ret = null && report_violations(out, null) ? 1 : 0;
	if (null)
		fclose(null);
	return ret;
}

static int kernel_cmdline(int argc, char **argv, char *buf, size_t len)
{
	size_t used = snprintf(buf, len, "atcbench kernel");
	int i;

	for (i = 0; i < argc && used < len; i++)
		used += snprintf(buf + used, len - used, " %s", argv[i]);
	return used < len ? 0 : -ENAMETOOLONG;
}

/*
 * @dir can be written, or made where its nearest existing folder can be:
 * checked before a boot or a build, nothing made
 */
static int kernel_out_writable(const char *cmd, const char *dir)
{
	char path[RESULTS_PATH_MAX], *slash;
	struct stat st;
	int err = 0;

	snprintf(path, sizeof(path), "%s", dir);
	while (stat(path, &st)) {
		if (errno != ENOENT) {
			err = errno;
			break;
		}
		slash = strrchr(path, '/');
		if (!slash)
			snprintf(path, sizeof(path), ".");
		else if (slash == path)
			path[1] = '\0';
		else
			*slash = '\0';
	}
	if (!err && !S_ISDIR(st.st_mode))
		err = ENOTDIR;
	if (!err && access(path, W_OK))
		err = errno;
	if (err)
		fprintf(stderr, "atcbench kernel %s: --out %s: %s (%s)\n", cmd,
			dir, strerror(err), path);
	return err ? EXIT_USAGE : 0;
}

/* The output folder: --out, or a new one under results/; writable */
static int kernel_out(const struct kernel_opts *o, const char *cmd, char *dir,
		      size_t len)
{
	if (o->out)
		snprintf(dir, len, "%s", o->out);
	else if (results_default_dir(dir, len))
		return EXIT_USAGE;
	return kernel_out_writable(cmd, dir);
}

static void kernel_default_name(const struct kernel_opts *o, char *name,
				size_t len)
{
	if (o->name)
		snprintf(name, len, "%s", o->name);
	else
		snprintf(name, len, "%s-%ud",
			 kernel_workload_names[o->workload], o->devices);
}

/* Which kernel: exactly one source, and what goes with it */
static int kernel_check_source(const struct kernel_opts *o, const char *cmd)
{
	const char *why = NULL;

	if (!!o->kernel + !!o->image + !!o->tree != 1)
		why = "one of --kernel, --image and --tree";
	else if (o->modules && !o->image)
		why = "--modules goes with --image";
	else if (o->ref && !o->tree)
		why = "--ref goes with --tree";
	if (why) {
		fprintf(stderr, "atcbench kernel %s: %s (--help)\n", cmd, why);
		return -EINVAL;
	}
	if (o->image && access(o->image, R_OK)) {
		fprintf(stderr, "atcbench kernel %s: %s: %s\n", cmd, o->image,
			strerror(errno));
		return -errno;
	}
	return 0;
}

static int kernel_run(int argc, char **argv)
{
	struct kernel_opts o = kernel_defaults;
	char out[RESULTS_PATH_MAX], name[KERNEL_NAME_MAX + 1], cmdline[2048];
	struct kernel_src k;
	int got, ret;

	ret = kernel_parse("run", KG_OUT | KG_SRC | KG_TOPO | KG_RUN, argc,
			   argv, &o, NULL, 0, &got);
	if (ret)
		return ret > 0 ? 0 : EXIT_USAGE;
	if (kernel_check_source(&o, "run") ||
	    kernel_out(&o, "run", out, sizeof(out)))
		return EXIT_USAGE;
	kernel_default_name(&o, name, sizeof(name));
	if (kernel_cmdline(argc, argv, cmdline, sizeof(cmdline))) {
		fprintf(stderr, "atcbench kernel run: arguments too long\n");
		return EXIT_USAGE;
	}
	ret = kernel_get(&o, o.ref, &k);
	if (!ret)
		ret = kernel_boot(&o, &k, out, name);
	return ret ? ret : kernel_finish(out, cmdline, &o);
}

static int kernel_build_cmd(int argc, char **argv)
{
	struct kernel_opts o = {};
	struct kernel_src k;
	int got, ret;

	ret = kernel_parse("build", KG_SRC, argc, argv, &o, NULL, 0, &got);
	if (ret)
		return ret > 0 ? 0 : EXIT_USAGE;
	if (!o.tree || o.kernel || o.image || o.modules) {
		fprintf(stderr, "atcbench kernel build: --tree DIR "
				"[--ref REF] only (--help)\n");
		return EXIT_USAGE;
	}
	ret = kernel_get(&o, o.ref, &k);
	if (ret)
		return ret;
	printf("%s\n", k.dir);
	return 0;
}

/* One side of a comparison: its results folder, env.json and report */
static int kernel_compare_side(const struct kernel_opts *o,
			       const struct kernel_src *k, const char *dir,
			       const char *name, const char *ref,
			       const char *cmdline)
{
	struct env_guest g;
	int ret;

	fprintf(stderr, "atcbench kernel compare: running %s (%.12s)\n", ref,
		k->sha);
	ret = results_mkdir(dir);
	if (ret) {
		fprintf(stderr, "atcbench kernel compare: %s: %s\n", dir,
			strerror(-ret));
		return EXIT_USAGE;
	}
	ret = kernel_boot(o, k, dir, name);
	if (ret)
		return ret;
	g = kernel_env_guest(o);
	ret = env_write_guest(dir, cmdline, ref, k->sha, &g);
	if (!ret)
		ret = report_write(dir, NULL);
	if (ret) {
		fprintf(stderr, "atcbench kernel compare: %s: %s\n", dir,
			strerror(-ret));
		return EXIT_FAILURE;
	}
	return 0;
}

static int kernel_print_line(FILE *f, const void *line)
{
	fprintf(f, "%s\n", (const char *)line);
	return 0;
}

/* The closing line's words, from DIR/compare.json */
static const char *kernel_compare_verdict(const char *out)
{
	char path[RESULTS_PATH_MAX + 16], err[128];
	const char *v = "the same counts";
	struct json *cj;

	snprintf(path, sizeof(path), "%s/compare.json", out);
	if (json_parse_file(path, &cj, err, sizeof(err)))
		return "no verdict (compare.json unreadable)";
	if (json_num(cj, "violations", 0))
		v = "VIOLATION (the report's first lines say which)";
	else if (json_num(cj, "changed", 0))
		v = "the counts changed (the report's first lines say which)";
	json_free(cj);
	return v;
}

static int kernel_compare_cmd(int argc, char **argv)
{
	struct kernel_opts o = kernel_defaults;
	char out[RESULTS_PATH_MAX], side[2][RESULTS_PATH_MAX + 8];
	char name[KERNEL_NAME_MAX + 1], cmdline[2048], sha[2][64];
	const char *refs[2] = {};
	struct kernel_src k[2];
	int got, ret, i;

	ret = kernel_parse("compare", KG_OUT | KG_SRC | KG_TOPO | KG_RUN, argc,
			   argv, &o, refs, 2, &got);
	if (ret)
		return ret > 0 ? 0 : EXIT_USAGE;
	if (!o.tree || o.kernel || o.image || o.modules || o.ref || got != 2) {
		fprintf(stderr, "atcbench kernel compare: --tree DIR BASE HEAD "
				"(--help)\n");
		return EXIT_USAGE;
	}
	kernel_default_name(&o, name, sizeof(name));
	if (kernel_cmdline(argc, argv, cmdline, sizeof(cmdline))) {
		fprintf(stderr,
			"atcbench kernel compare: arguments too long\n");
		return EXIT_USAGE;
	}
	/* A flush of a domain of 2 and one of 1 send different counts */
	if (o.dma_mode == KD_LAZY && kernel_topology_of(&o) == KT_MF &&
	    o.devices % 2) {
		fprintf(stderr,
			"atcbench kernel compare: --dma-mode lazy with "
			"--topology mf needs an even --devices: with domains "
			"of two devices and of one, a flush's counts depend on "
			"which domain flushed\n");
		return EXIT_USAGE;
	}
	/*
	 * Both refs exist and the folder can be written before anything is
	 * built; both are built before either runs: a ref that does not
	 * build fails early
	 */
	for (i = 0; i < 2; i++) {
		ret = kernel_resolve(o.tree, refs[i], sha[i], sizeof(sha[i]));
		if (ret) {
			fprintf(stderr,
				"atcbench kernel compare: %s: %s is not a commit "
				"of it; nothing built\n",
				o.tree, refs[i]);
			return EXIT_USAGE;
		}
	}
	if (!strcmp(sha[0], sha[1]))
		fprintf(stderr,
			"atcbench kernel compare: warning: %s and %s are the "
			"same commit (%.12s): the counts can only be the same\n",
			refs[0], refs[1], sha[0]);
	if (o.out)
		snprintf(out, sizeof(out), "%s", o.out);
	else
		snprintf(out, sizeof(out), "results/kernel-compare-%.12s-%.12s",
			 sha[0], sha[1]);
	if (kernel_out_writable("compare", out))
		return EXIT_USAGE;
	for (i = 0; i < 2; i++) {
		ret = kernel_get(&o, refs[i], &k[i]);
		if (ret)
			return ret == KERNEL_INTERRUPTED ? ret : EXIT_USAGE;
	}
	for (i = 0; i < 2; i++) {
		snprintf(side[i], sizeof(side[i]), "%s/%s", out,
			 i ? "head" : "base");
		ret = kernel_compare_side(&o, &k[i], side[i], name, refs[i],
					  cmdline);
		if (ret)
			return ret == KERNEL_INTERRUPTED ? ret : EXIT_USAGE;
	}
	{
		char *cmp[] = { "compare", side[0],  side[1],  "--out",
				out,	   "--gate", "kernel", NULL };

		/* 0 same, 1 a change in the exact counts, 2 could not */
		ret = compare_cmd(7, cmp);
	}
	if (ret != EXIT_USAGE) {
		/* the command, for the report's reproduce block */
		char path[RESULTS_PATH_MAX + 16];

		snprintf(path, sizeof(path), "%s/command", out);
		if (results_write_with(path, kernel_print_line, cmdline))
			ret = EXIT_USAGE;
	}
	if (ret == EXIT_USAGE || report_write(out, NULL))
		return EXIT_USAGE;
	printf("%s (%.12s) -> %s (%.12s): %s\nreport: %s/report.txt\n", refs[0],
	       k[0].sha, refs[1], k[1].sha, kernel_compare_verdict(out), out);
	return ret;
}

static int kernel_convert_cmd(int argc, char **argv)
{
	struct kernel_opts o = {};
	const char *trace = NULL;
	char out[RESULTS_PATH_MAX], cmdline[2048];
	char source[RESULTS_PATH_MAX + 32];
	int got, ret;

	ret = kernel_parse("convert", KG_OUT, argc, argv, &o, &trace, 1, &got);
	if (ret)
		return ret > 0 ? 0 : EXIT_USAGE;
	if (!trace) {
		fprintf(stderr,
			"atcbench kernel convert: which trace folder? (--help)\n");
		return EXIT_USAGE;
	}
	if (kernel_out(&o, "convert", out, sizeof(out)) ||
	    kernel_cmdline(argc, argv, cmdline, sizeof(cmdline)))
		return EXIT_USAGE;
	snprintf(source, sizeof(source), "trace %s", trace);
	if (kernel_convert(trace, out, o.name ? o.name : "hw", source))
		return EXIT_USAGE;
	return kernel_finish(out, cmdline, NULL);
}

static int kernel_sim_cmd(int argc, char **argv)
{
	struct kernel_opts o = kernel_defaults;
	char out[RESULTS_PATH_MAX], cmdline[2048], name[KERNEL_NAME_MAX + 1];
	struct kernel_trace t;
	int got, ret;

	ret = kernel_parse("sim", KG_OUT | KG_TOPO | KG_SIM, argc, argv, &o,
			   NULL, 0, &got);
	if (ret)
		return ret > 0 ? 0 : EXIT_USAGE;
	if (kernel_out(&o, "sim", out, sizeof(out)) ||
	    kernel_cmdline(argc, argv, cmdline, sizeof(cmdline)))
		return EXIT_USAGE;
	kernel_default_name(&o, name, sizeof(name));
	ret = kernel_sim_run(&o, &t);
	if (ret)
		fprintf(stderr, "atcbench kernel sim: %s\n", strerror(-ret));
	else
		ret = kernel_write_results(out, name, "atcbench simulation",
					   &t);
	kernel_trace_free(&t);
	if (ret)
		return EXIT_FAILURE;
	return kernel_finish(out, cmdline, &o);
}

int kernel_cmd(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "sim"))
		return kernel_sim_cmd(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "run"))
		return kernel_run(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "convert"))
		return kernel_convert_cmd(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "build"))
		return kernel_build_cmd(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "compare"))
		return kernel_compare_cmd(argc - 1, argv + 1);
	if (argc >= 2 &&
	    (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		kernel_help(stdout);
		return 0;
	}
	fprintf(stderr, "atcbench kernel: run, sim, convert, build or compare? "
			"(--help)\n");
	return EXIT_USAGE;
}
