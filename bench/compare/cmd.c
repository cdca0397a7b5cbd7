// SPDX-License-Identifier: GPL-2.0
/*
 * compare: "atcbench compare BASE_DIR HEAD_DIR": options, the run, the exit
 * status
 */

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compare/internal.h"
#include "lib/opt.h"
#include "lib/results.h"

/* The last line of compare.txt: what sets the exit status, first */
static void compare_summary(const struct compare *c, FILE *t)
{
	const unsigned int *n = c->verdicts, *fail = c->fails;
	unsigned int advisory = n[CV_REGRESSED] - fail[CV_REGRESSED] +
				n[CV_CHANGED] - fail[CV_CHANGED];

	fprintf(t,
		"%s: %u violations, %u counts changed (%u fewer),\n"
		"  %u regressed, %u improved, %zu compared\n",
		n[CV_VIOLATION]	   ? "VIOLATION" :
		fail[CV_CHANGED]   ? "COUNTS CHANGED" :
		fail[CV_REGRESSED] ? "REGRESSED" :
				     "no change that gates",
		n[CV_VIOLATION], n[CV_CHANGED], c->fewer, n[CV_REGRESSED],
		n[CV_IMPROVED], c->n);
	if (advisory)
		fprintf(t,
			"(and %u changed or regressed in evidence that does "
			"not gate)\n",
			advisory);
	if (n[CV_NOISE])
		fprintf(t,
			"(%u wall-clock changes with the same instruction "
			"count: noise?)\n",
			n[CV_NOISE]);
}

/* Run every comparison, write the files; 0, 1 (fails) or -errno */
static int compare_run(struct compare *c)
{
	char *txt = NULL, *js = NULL;
	size_t txt_len, js_len;
	unsigned int fails;
	FILE *t, *j;
	int ret;

	ret = compare_micro(c);
	if (!ret)
		ret = compare_icount(c);
	if (!ret)
		ret = compare_stress(c);
	if (!ret)
		ret = compare_sweep(c);
	if (!ret)
		ret = compare_kernel(c);
	if (ret)
		return ret;
	if (!c->n)
		return compare_fail(c, "no evidence in %s and %s", c->o->dir[0],
				    c->o->dir[1]);
	compare_mark_noise(c);
	fails = compare_tally(c);

	t = open_memstream(&txt, &txt_len);
	j = open_memstream(&js, &js_len);
	if (!t || !j) {
		if (t)
			fclose(t);
		free(txt);
		return -ENOMEM;
	}
	compare_headline(c, t);
	compare_table(c, t);
	compare_summary(c, t);
	compare_json(c, j);
	fclose(t);
	fclose(j);
	fwrite(txt, 1, txt_len, stdout);
	ret = compare_write(c->o->out, "compare.txt", txt, txt_len);
	if (!ret)
		ret = compare_write(c->o->out, "compare.json", js, js_len);
	free(txt);
	free(js);
	if (ret)
		return compare_fail(c, "cannot write to %s: %s", c->o->out,
				    strerror(-ret));
	return fails ? 1 : 0;
}

/* "--gate time,instr,stress,sweep": the evidence that sets the exit */
static int compare_gate_arg(const struct opt *o, const char *arg, void *field,
			    char *err, size_t errlen)
{
	char buf[64], *tok, *save;
	bool *gate = field;
	unsigned int k;

	memset(gate, 0, CK_NR * sizeof(*gate));
	snprintf(buf, sizeof(buf), "%s", arg);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (k = 0; k < CK_NR && strcmp(tok, compare_kind_names[k]);
		     k++)
			;
		if (k == CK_NR) {
			snprintf(err, errlen,
				 "%s: %s is not one of time, instr, stress, "
				 "sweep, kernel",
				 o->name, tok);
			return -EINVAL;
		}
		gate[k] = true;
	}
	return 0;
}

#define CO(n, t, field, hi, fn, a, h)                                   \
	{                                                               \
		.name = n, .type = t,                                   \
		.off = offsetof(struct compare_opts, field), .max = hi, \
		.parse = fn, .arg = a, .help = h                        \
	}

static const struct opt compare_opts[] = {
	CO("utest", OPT_STR, utest, 0, NULL, "FILE",
	   "compare.py's -d output for micro.json's wall clock"),
	CO("band", OPT_REAL, band_pct, COMPARE_MAX_BAND_PCT, NULL, "PCT",
	   "wall-clock noise band"),
	CO("icount_band", OPT_REAL, icount_band_pct, COMPARE_MAX_BAND_PCT, NULL,
	   "PCT", "instruction-count band"),
	CO("alpha", OPT_REAL, alpha, 1, NULL, "A",
	   "a wall-clock change counts when p < A"),
	CO("gate", OPT_FUNC, gate, 0, compare_gate_arg, "LIST",
	   "the evidence whose regressions set the exit status, of time, "
	   "instr, stress, sweep, kernel (default instr,stress,sweep,kernel)"),
	CO("out", OPT_STR, out, 0, NULL, "DIR",
	   "where compare.txt and compare.json go (default: the parent of "
	   "HEAD_DIR)"),
};

static void compare_usage(FILE *f)
{
	fputs("usage: atcbench compare BASE_DIR HEAD_DIR [--utest FILE]\n"
	      "         [--band PCT] [--icount-band PCT] [--alpha A] "
	      "[--out DIR]\n"
	      "         [--gate time,instr,stress,sweep,kernel]\n"
	      "\n"
	      "Compare two results folders (scripts/compare.sh makes them):\n"
	      "  micro.json   wall clock: --utest is compare.py's -d output;\n"
	      "               a change counts when p < A (default 0.05) and\n"
	      "               the median moved by more than PCT (default 5)\n"
	      "  icount.tsv   instructions per op: --icount-band (default 1);\n"
	      "               with sim_per_op, each also outside sim/\n"
	      "  stress-*.json (virtual clock), isolate.json: exact\n"
	      "  kernel-*.json  real-kernel runs: commands per op, exact\n"
	      "Each row is one of three classes:\n"
	      "  cost        latency, time, instructions, innocent devices:\n"
	      "              lower is better, REGRESSED or improved\n"
	      "  count       invalidations sent (TLBI, ATC_INV, CMD_SYNC,\n"
	      "              commands, lists, timeouts): never better or\n"
	      "              worse; any change is \"changed\", FEWER or MORE\n"
	      "              (a lost invalidation is fewer)\n"
	      "  violations  oracle violations, WARNs, stale ATC hits: any in\n"
	      "              head is VIOLATION, whatever base had\n"
	      "A wall-clock change whose instruction count is the same is\n"
	      "\"noise?\", never a regression.  Writes compare.txt (violations\n"
	      "and changed counts first, a fall first) and compare.json to\n"
	      "--out (default: the parent of HEAD_DIR).\n"
	      "Exit 1: a violation in any evidence, or a changed count or a\n"
	      "regression in the --gate evidence (default:\n"
	      "instr,stress,sweep,kernel, the deterministic evidence; the rest\n"
	      "is advisory); 0: none of these; 2: could not compare.\n",
	      f);
}

int compare_cmd(int argc, char **argv)
{
	struct compare_opts o = {
		.band_pct = COMPARE_DEFAULT_BAND_PCT,
		.icount_band_pct = COMPARE_DEFAULT_ICOUNT_BAND_PCT,
		.alpha = COMPARE_DEFAULT_ALPHA,
		/* the deterministic evidence; time gates when named */
		.gate = { [CK_INSTR] = true,
			  [CK_STRESS] = true,
			  [CK_SWEEP] = true,
			  [CK_KERNEL] = true },
	};
	const struct opt_group g = OPT_GROUP(compare_opts, &o);
	struct compare c = { .o = &o };
	char out[RESULTS_PATH_MAX];
	int ndirs, ret, i;

	ret = opt_parse("compare", &g, 1, argc, argv, o.dir, 2, &ndirs);
	if (ret > 0) {
		compare_usage(stdout);
		fputs("\noptions (--KEY VALUE or --KEY=VALUE):\n", stdout);
		opt_help(stdout, &g, 1, true);
		return 0;
	}
	if (ret)
		return EXIT_USAGE;
	if (ndirs != 2) {
		fprintf(stderr,
			"atcbench compare: BASE_DIR and HEAD_DIR (--help)\n");
		return EXIT_USAGE;
	}
	if (!o.out) {
		char *slash;

		snprintf(out, sizeof(out), "%s", o.dir[1]);
		slash = strrchr(out, '/');
		if (slash)
			*slash = 0;
		else
			snprintf(out, sizeof(out), ".");
		o.out = out;
	}
	for (i = 0; i < 2; i++) {
		char err[RESULTS_PATH_MAX + 256];

		if (results_check_dir(o.dir[i], err, sizeof(err))) {
			fprintf(stderr,
				"atcbench compare: could not compare: "
				"%s\n",
				err);
			return EXIT_USAGE;
		}
	}
	c.rows = calloc(COMPARE_MAX_ROWS, sizeof(*c.rows));
	if (!c.rows)
		return EXIT_FAILURE;
	ret = compare_run(&c);
	free(c.rows);
	if (ret < 0) {
		fprintf(stderr, "atcbench compare: could not compare: %s\n",
			c.reason[0] ? c.reason : strerror(-ret));
		return EXIT_USAGE;
	}
	return ret;
}
