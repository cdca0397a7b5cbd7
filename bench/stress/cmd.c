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
	char out[RESULTS_PATH_MAX];
	const char *name;
	bool show;
};

/*
 * The option at argv[0], "--KEY VALUE" or "--KEY=VALUE" ('-' and '_' the
 * same in KEY): the arguments it took (1 or 2), 0 for --help, -EINVAL
 * after saying why
 */
static int stress_option(int argc, char **argv, struct stress_config *cfg,
			 struct stress_cmd_opts *o)
{
	const char *value, *eq = strchr(argv[0], '=');
	char key[64], err[512];
	int used = eq ? 1 : 2;
	size_t k;

	if (!strcmp(argv[0], "--show")) {
		o->show = true;
		return 1;
	}
	if (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))
		return 0;
	if (strncmp(argv[0], "--", 2) || (!eq && argc < 2)) {
		fprintf(stderr,
			"atcbench stress: expected --KEY VALUE or --KEY=VALUE, "
			"got '%s'\n",
			argv[0]);
		return -EINVAL;
	}
	snprintf(key, sizeof(key), "%.*s",
		 (int)(eq ? eq - argv[0] - 2 : strlen(argv[0]) - 2),
		 argv[0] + 2);
	for (k = 0; key[k]; k++)
		if (key[k] == '-')
			key[k] = '_';
	value = eq ? eq + 1 : argv[1];
	if (!strcmp(key, "out")) {
		if (strlen(value) >= RESULTS_PATH_MAX - 64) {
			fprintf(stderr,
				"atcbench stress: --out: path longer than %d\n",
				RESULTS_PATH_MAX - 64);
			return -EINVAL;
		}
		strcpy(o->out, value);
	} else if (!strcmp(key, "name")) {
		if (strlen(value) >= STRESS_MAX_NAME ||
		    !stress_name_ok(value)) {
			fprintf(stderr,
				"atcbench stress: --name: 1 to %d letters, "
				"digits, '-', '_' or '.'\n",
				STRESS_MAX_NAME - 1);
			return -EINVAL;
		}
		o->name = value;
	} else if (stress_config_set(cfg, key, value, err, sizeof(err))) {
		fprintf(stderr, "atcbench stress: --%s\n", err);
		return -EINVAL;
	}
	return used;
}

int stress_cmd(int argc, char **argv)
{
	struct stress_config cfg;
	struct stress_result res;
	struct stress_cmd_opts opts = {};
	char err[512], cmdline[2048] = "";
	char *out = opts.out;
	size_t cl = 0;
	int i, ret;

	for (i = 0; i < argc && cl < sizeof(cmdline); i++)
		cl += snprintf(cmdline + cl, sizeof(cmdline) - cl, "%s%s",
			       i ? " " : "atcbench ", argv[i]);
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		stress_help(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	if (stress_load(argv[1], &cfg, err, sizeof(err))) {
		fprintf(stderr, "atcbench stress: %s\n", err);
		return EXIT_USAGE;
	}
	for (i = 2; i < argc; i += ret) {
		ret = stress_option(argc - i, argv + i, &cfg, &opts);
		if (ret < 0)
			return EXIT_USAGE;
		if (!ret) {
			stress_help(stdout);
			return 0;
		}
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
	printf("%s: %llu ops in %.2f s (%.0f ops/s), timeouts %llu, "
	       "quarantines %llu, atc_invs_to_broken %llu, warns %llu, "
	       "oracle_violations %llu%s\n",
	       cfg.name, res.ops, res.seconds, res.ops_per_s, res.timeouts,
	       res.quarantines, res.spam, res.warns, res.violations,
	       res.interrupted ? " (interrupted)" : "");
	if (res.cpu_seconds > 0)
		printf("%s: simulated %.0f operations per CPU second "
		       "(%llu in %.2f CPU s)\n",
		       cfg.name, res.ops / res.cpu_seconds, res.ops,
		       res.cpu_seconds);
	printf("results: %s/stress-%s.json\n", out, cfg.name);
	if (res.violations) {
		printf("oracle: %llu violations; reproduce with: atcbench "
		       "stress %s --seed %llu%s%s\n",
		       res.violations, argv[1], cfg.seed,
		       cfg.inject_bug ? " --inject-bug " : "",
		       cfg.inject_bug ? stress_bug_names[cfg.inject_bug] : "");
		return EXIT_FAILURE;
	}
	return 0;
}

int stress_scenarios_cmd(int argc, char **argv)
{
	const struct stress_scenario *s;
	bool show = argc > 1 && !strcmp(argv[1], "--show");

	if (argc > 1 && !show) {
		fputs(strcmp(argv[1], "--help") ?
			      "atcbench scenarios: unknown option\n" :
			      "usage: atcbench scenarios [--show]\n",
		      strcmp(argv[1], "--help") ? stderr : stdout);
		return strcmp(argv[1], "--help") ? EXIT_USAGE : 0;
	}
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
