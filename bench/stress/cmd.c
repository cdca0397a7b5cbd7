// SPDX-License-Identifier: GPL-2.0
/*
 * stress: the commands, "atcbench stress" and "atcbench scenarios"
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/env.h"
#include "lib/opt.h"
#include "lib/results.h"

#include "stress/internal.h"

/* The commands */

static void stress_help(FILE *f)
{
	fputs("usage: atcbench stress SCENARIO|FILE [--out DIR] [--name NAME]\n"
	      "                       [--show] [--KEY VALUE...]\n"
	      "\n"
	      "Run a built-in scenario (atcbench scenarios) or a file of\n"
	      "'key = value' lines (over the defaults), then write\n"
	      "stress-NAME.json, stress-NAME-METRIC.hgrm and env.json into DIR\n"
	      "(default results/<date>-<host>-<sha>).  --show prints the\n"
	      "configuration and exits.  Ctrl-C stops the run and still writes\n"
	      "the results.  Durations: seconds, or with ns, us, ms, s, m, h.\n"
	      "\n"
	      "keys (--KEY VALUE or --KEY=VALUE; '-' and '_' are the same):\n",
	      f);
	stress_config_print_keys(f);
	fputs("\nexit status: 0 no violation, 1 violations or run-time "
	      "failure, 2 bad usage\n",
	      f);
}

static int stress_load(const char *what, struct stress_config *cfg, char *err,
		       size_t errlen)
{
	const char *base;
	char *text, *dot;
	size_t n;
	FILE *f;
	int ret;

	if (!stress_config_builtin(what, cfg))
		return 0;
	stress_config_defaults(cfg);
	f = fopen(what, "r");
	if (!f)
		return stress_err(err, errlen,
				  "'%s' is neither a scenario (atcbench "
				  "scenarios) nor a readable file: %s",
				  what, strerror(errno));
	text = malloc(STRESS_MAX_FILE + 1);
	n = text ? fread(text, 1, STRESS_MAX_FILE + 1, f) : 0;
	fclose(f);
	if (!text)
		return -ENOMEM;
	if (n > STRESS_MAX_FILE) {
		free(text);
		return stress_err(err, errlen, "%s: larger than %d bytes", what,
				  STRESS_MAX_FILE);
	}
	if (memchr(text, '\0', n)) {
		/* a text file has none; the parser would stop at it */
		n = (char *)memchr(text, '\0', n) - text;
		free(text);
		return stress_err(err, errlen,
				  "%s: a NUL byte at offset %zu (not a text "
				  "file?)",
				  what, n);
	}
	text[n] = '\0';
	ret = stress_config_apply(cfg, text, what, err, errlen);
	free(text);
	base = strrchr(what, '/');
	base = base ? base + 1 : what;
	snprintf(cfg->name, sizeof(cfg->name), "%s", base);
	dot = strrchr(cfg->name, '.');
	if (dot && dot != cfg->name)
		*dot = '\0';
	snprintf(cfg->scenario, sizeof(cfg->scenario), "%s", cfg->name);
	return ret;
}

static bool stress_name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '-' || *s == '_' ||
		      *s == '.'))
			return false;
	return true;
}

/* What the command line sets besides the configuration's keys */
struct stress_cmd_opts {
	char out[RESULTS_PATH_MAX - 64];
	const char *name;
	bool show;
};

static const struct opt stress_cmd_opts[] = {
	{ .name = "out",
	  .type = OPT_TEXT,
	  .off = offsetof(struct stress_cmd_opts, out),
	  .size = sizeof(((struct stress_cmd_opts *)0)->out),
	  .arg = "DIR",
	  .help = "the results folder" },
	{ .name = "name",
	  .type = OPT_STR,
	  .off = offsetof(struct stress_cmd_opts, name),
	  .size = STRESS_MAX_NAME - 1,
	  .arg = "NAME",
	  .help = "names the results (default: the scenario's)" },
	{ .name = "show",
	  .type = OPT_FLAG,
	  .off = offsetof(struct stress_cmd_opts, show),
	  .help = "print the configuration and exit" },
};

/* The options after SCENARIO: 0, 1 for --help, or -EINVAL after saying why */
static int stress_options(int argc, char **argv, struct stress_config *cfg,
			  struct stress_cmd_opts *o)
{
	struct opt_group groups[] = {
		OPT_GROUP(stress_cmd_opts, o),
		{ .base = cfg },
	};
	int npos, ret;

	groups[1].opts = stress_config_keys(&groups[1].num);
	ret = opt_parse("stress", groups, ARRAY_SIZE(groups), argc, argv, NULL,
			0, &npos);
	if (ret)
		return ret;
	if (o->name && !stress_name_ok(o->name)) {
		fprintf(stderr,
			"atcbench stress: --name: 1 to %d letters, digits, "
			"'-', '_' or '.'\n",
			STRESS_MAX_NAME - 1);
		return -EINVAL;
	}
	return 0;
}

/* The run's summary on stdout: 0, or EXIT_FAILURE on violations */
static int stress_print_result(const struct stress_config *cfg,
			       const struct stress_config *scenario_cfg,
			       const struct stress_result *res, const char *out,
			       const char *scenario)
{
	char load[LOAD_FMT_MAX] = "load not measured";

	if (res->have_load)
		load_fmt(&res->load, load, sizeof(load));
	printf("%s: %llu ops in %.2f s (%.0f ops/s), timeouts %llu, "
	       "quarantines %llu, atc_invs_to_broken %llu, warns %llu, "
	       "oracle_violations %llu%s\n",
	       cfg->name, res->ops, res->seconds, res->ops_per_s, res->timeouts,
	       res->quarantines, res->spam, res->warns, res->violations,
	       res->interrupted ? " (interrupted)" : "");
	/* The host's figures, each with what else the host did */
	if (res->cpu_seconds > 0)
		printf("%s: simulated %.0f operations per CPU second "
		       "(%llu in %.2f CPU s; %s)\n",
		       cfg->name, res->ops / res->cpu_seconds, res->ops,
		       res->cpu_seconds, load);
	else
		printf("%s: measured in real time beside: %s\n", cfg->name,
		       load);
	printf("results: %s/stress-%s.json\n", out, cfg->name);
	if (res->violations_host)
		printf("host: %llu stale translations after CMD_SYNCs that "
		       "timed out while the host kept the waiting thread off "
		       "the CPU: the simulation's time-outs, not counted "
		       "against the driver\n",
		       res->violations_host);
	if (res->violations || res->warns) {
		struct stress_config from = *scenario_cfg;

		/* the scenario, its seed, and every key the options changed */
		from.seed = cfg->seed;
		if (res->warns)
			printf("WARN: %llu warnings in the kernel-form code "
			       "(stderr names each WARN once)\n",
			       res->warns);
		/* atcbench-wmm is the build with the virtual CPUs */
		printf("oracle: %llu violations; reproduce with: %s stress %s "
		       "--seed %llu",
		       res->violations,
		       khooks_vcpu_supported() ? "atcbench-wmm" : "atcbench",
		       scenario, cfg->seed);
		stress_config_print_diff(stdout, cfg, &from);
		putchar('\n');
		if (!stress_virtual(cfg))
			printf("(real time: the seed fixes the faults, not the "
			       "host's scheduling; a rerun may not repeat it "
			       "exactly, --clock virtual does)\n");
		return EXIT_FAILURE;
	}
	return 0;
}

int stress_cmd(int argc, char **argv)
{
	struct stress_config cfg, scenario_cfg;
	struct stress_result res;
	struct stress_cmd_opts opts = {};
	char err[512], cmdline[2048] = "";
	char *out = opts.out;
	int ret;

	env_cmdline(cmdline, sizeof(cmdline), argc, argv);
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		stress_help(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	if (stress_load(argv[1], &cfg, err, sizeof(err))) {
		fprintf(stderr, "atcbench stress: %s\n", err);
		return EXIT_USAGE;
	}
	scenario_cfg = cfg;
	/* argv[1], the scenario, stands where getopt expects the command */
	ret = stress_options(argc - 1, argv + 1, &cfg, &opts);
	if (ret < 0)
		return EXIT_USAGE;
	if (ret) {
		stress_help(stdout);
		return 0;
	}
	if (opts.name)
		snprintf(cfg.name, sizeof(cfg.name), "%s", opts.name);
	if (stress_config_check(&cfg, err, sizeof(err))) {
		fprintf(stderr, "atcbench stress: %s\n", err);
		return EXIT_USAGE;
	}
	if (opts.show) {
		stress_config_print(&cfg, stdout);
		return 0;
	}
	if (!*out && results_default_dir(out, sizeof(opts.out))) {
		fprintf(stderr, "atcbench stress: cannot name the results "
				"folder\n");
		return EXIT_FAILURE;
	}
	ret = results_mkdir(out);
	if (!ret)
		ret = env_write(out, cmdline, stress_clock_names[cfg.clock],
				cfg.seed);
	if (ret) {
		fprintf(stderr, "atcbench stress: %s: %s\n", out,
			strerror(-ret));
		return EXIT_USAGE;
	}

	ret = stress_run(&cfg, out, cmdline, &res);
	if (ret == -EINVAL)
		return EXIT_USAGE;
	if (ret) {
		fprintf(stderr, "atcbench stress: %s\n", strerror(-ret));
		return EXIT_FAILURE;
	}
	return stress_print_result(&cfg, &scenario_cfg, &res, out, argv[1]);
}

static const struct opt stress_scenarios_opts[] = {
	{ .name = "show", .type = OPT_FLAG, .help = "each one's keys too" },
};

int stress_scenarios_cmd(int argc, char **argv)
{
	const struct stress_scenario *s;
	bool show = false;
	const struct opt_group g = OPT_GROUP(stress_scenarios_opts, &show);
	int npos, ret;

	ret = opt_parse("scenarios", &g, 1, argc, argv, NULL, 0, &npos);
	if (ret > 0) {
		puts("usage: atcbench scenarios [--show]\n\nThe built-in "
		     "scenarios of atcbench stress.\n\noptions:");
		opt_help(stdout, &g, 1, true);
		return 0;
	}
	if (ret)
		return EXIT_USAGE;
	for (s = stress_scenarios; s->name; s++) {
		printf("%-14s %s\n", s->name, s->summary);
		if (show) {
			const char *p = s->text;

			while (*p) {
				const char *nl = strchr(p, '\n');

				printf("%16s%.*s\n", "", (int)(nl - p), p);
				p = nl + 1;
			}
		}
	}
	return 0;
}
