// SPDX-License-Identifier: GPL-2.0
/* replay: text-driven invalidation-array operations (see replay.h) */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <arm-smmu-v3/arm-smmu-v3.h>
#include <sim/cmd.h>
#include <sim/smmu.h>

#include "lib/opt.h"
#include "replay/replay.h"

#define EXIT_USAGE 2

struct replay {
	/* An array, so that pointer order is index order */
	struct arm_smmu_device smmus[REPLAY_MAX_SMMUS];
	struct sim_smmu *hw[REPLAY_MAX_SMMUS];
	struct arm_smmu_invs *invs;
	bool range_inv;
	bool no_trace;
	FILE *out;
	FILE *err;
	unsigned long lineno;
};

static const struct {
	const char *name;
	enum arm_smmu_inv_type type;
	u8 size_opcode;
	u8 nsize_opcode;
} replay_types[] = {
	{ "s1_asid", INV_TYPE_S1_ASID, CMDQ_OP_TLBI_NH_VA,
	  CMDQ_OP_TLBI_NH_ASID },
	{ "s2_vmid", INV_TYPE_S2_VMID, CMDQ_OP_TLBI_S2_IPA,
	  CMDQ_OP_TLBI_S12_VMALL },
	{ "s2_vmid_s1_clear", INV_TYPE_S2_VMID_S1_CLEAR, CMDQ_OP_TLBI_NH_ALL,
	  CMDQ_OP_TLBI_NH_ALL },
	{ "ats", INV_TYPE_ATS, CMDQ_OP_ATC_INV, CMDQ_OP_ATC_INV },
	{ "ats_full", INV_TYPE_ATS_FULL, CMDQ_OP_ATC_INV, CMDQ_OP_ATC_INV },
};

__attribute__((format(printf, 2, 3))) static int
replay_error(struct replay *r, const char *fmt, ...)
{
	va_list ap;

	fprintf(r->err, "line %lu: ", r->lineno);
	va_start(ap, fmt);
	vfprintf(r->err, fmt, ap);
	va_end(ap);
	fputc('\n', r->err);
	return -EINVAL;
}

/*
 * Parse an unsigned number of at most @max: decimal, or 0x-hex if @hex.
 * The whole of @s must be the number.
 */
static int replay_parse_u64(const char *s, bool hex, u64 max, u64 *val)
{
	int base = 10;
	char *end;

	if (hex && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!isxdigit((unsigned char)s[0]) ||
	    (base == 10 && !isdigit((unsigned char)s[0])))
		return -EINVAL;
	errno = 0;
	*val = strtoull(s, &end, base);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || *val > max)
		return -ERANGE;
	return 0;
}

static const char *replay_type_name(u8 type)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(replay_types); i++)
		if (replay_types[i].type == type)
			return replay_types[i].name;
	return "?";
}

static void replay_trace(void *arg, const u64 *cmd)
{
	struct replay *r = arg;
	char line[256];

	sim_cmd_format(cmd, line, sizeof(line));
	fprintf(r->out, "%s\n", line);
}

/* SMMU @idx, probed when an entry first names it */
static int replay_probe(struct replay *r, unsigned int idx)
{
	const struct sim_smmu_config cfg = {
		.ats = true,
		.range_inv = r->range_inv,
		.cmdq_shift = 8,
	};
	int ret;

	if (r->hw[idx])
		return 0;
	ret = sim_smmu_probe(&cfg, 1, &r->smmus[idx], &r->hw[idx]);
	if (ret)
		return ret;
	if (!r->no_trace)
		sim_smmu_set_trace(r->hw[idx], replay_trace, r);
	return 0;
}

/* ENTRY = TYPE:ID[/SSID][@SMMU] */
static int replay_parse_entry(struct replay *r, char *tok,
			      struct arm_smmu_inv *inv)
{
	char *id_s, *ssid_s, *smmu_s;
	u64 id, ssid = 0, smmu = 0;
	unsigned int t;
	int ret;

	id_s = strchr(tok, ':');
	if (!id_s)
		return replay_error(r, "'%s': expected TYPE:ID[/SSID][@SMMU]",
				    tok);
	*id_s++ = '\0';
	smmu_s = strchr(id_s, '@');
	if (smmu_s)
		*smmu_s++ = '\0';
	ssid_s = strchr(id_s, '/');
	if (ssid_s)
		*ssid_s++ = '\0';

	for (t = 0; t < ARRAY_SIZE(replay_types); t++)
		if (!strcmp(tok, replay_types[t].name))
			break;
	if (t == ARRAY_SIZE(replay_types))
		return replay_error(
			r,
			"unknown type '%s' (s1_asid s2_vmid s2_vmid_s1_clear ats ats_full)",
			tok);

	if (replay_parse_u64(id_s, false,
			     replay_types[t].type >= INV_TYPE_ATS ?
				     U32_MAX :
				     REPLAY_MAX_TAG,
			     &id))
		return replay_error(r, "%s: bad ID '%s'", tok, id_s);
	if (ssid_s) {
		if (replay_parse_u64(ssid_s, false, REPLAY_MAX_SSID, &ssid))
			return replay_error(r, "%s: bad SSID '%s' (0..%u)", tok,
					    ssid_s, REPLAY_MAX_SSID);
		/* "/0" on any type, as the output prints it */
		if (ssid && replay_types[t].type != INV_TYPE_ATS)
			return replay_error(
				r, "%s: only ats entries take an SSID", tok);
	}
	if (smmu_s &&
	    replay_parse_u64(smmu_s, false, REPLAY_MAX_SMMUS - 1, &smmu))
		return replay_error(r, "%s: bad SMMU '%s' (0..%d)", tok, smmu_s,
				    REPLAY_MAX_SMMUS - 1);
	ret = replay_probe(r, smmu);
	if (ret)
		return ret;

	*inv = (struct arm_smmu_inv){
		.smmu = &r->smmus[smmu],
		.type = replay_types[t].type,
		.size_opcode = replay_types[t].size_opcode,
		.nsize_opcode = replay_types[t].nsize_opcode,
		.pgsize = SZ_4K,
		.id = id,
		.ssid = ssid,
	};
	return 0;
}

static void replay_print_inv(struct replay *r, const struct arm_smmu_inv *inv)
{
	fprintf(r->out, "%s:%u/%u@%td", replay_type_name(inv->type), inv->id,
		inv->ssid, inv->smmu - r->smmus);
}

static void replay_print_invs(struct replay *r)
{
	struct arm_smmu_invs *invs = r->invs;
	size_t i;

	fprintf(r->out, "num_invs=%zu num_trashes=%zu has_ats=%d\n",
		invs->num_invs, invs->num_trashes, invs->has_ats);
	for (i = 0; i < invs->num_invs; i++) {
		fputs("  ", r->out);
		replay_print_inv(r, &invs->inv[i]);
		fprintf(r->out, " users=%d\n", invs->inv[i].users);
	}
}

/* Parse the entries of a merge/unref line into a new sorted build array */
static int replay_parse_list(struct replay *r, const char *op, char **toks,
			     int ntoks, struct arm_smmu_invs **out)
{
	struct arm_smmu_invs *list;
	int i, ret;

	if (!ntoks)
		return replay_error(r, "%s needs at least one entry", op);
	list = arm_smmu_invs_alloc(ntoks);
	if (!list)
		return -ENOMEM;
	for (i = 0; i < ntoks; i++) {
		ret = replay_parse_entry(r, toks[i], &list->inv[i]);
		if (ret)
			goto err;
		if (i &&
		    arm_smmu_inv_cmp(&list->inv[i - 1], &list->inv[i]) >= 0) {
			ret = replay_error(
				r,
				"%s list is not sorted: entry %d does not sort after entry %d",
				op, i + 1, i);
			goto err;
		}
	}
	*out = list;
	return 0;
err:
	kfree(list);
	return ret;
}

static int replay_merge(struct replay *r, char **toks, int ntoks)
{
	struct arm_smmu_invs *list, *new_invs;
	int ret;

	ret = replay_parse_list(r, "merge", toks, ntoks, &list);
	if (ret)
		return ret;
	new_invs = arm_smmu_invs_merge(r->invs, list);
	kfree(list);
	if (IS_ERR(new_invs))
		return PTR_ERR(new_invs);
	kfree(r->invs);
	r->invs = new_invs;
	replay_print_invs(r);
	return 0;
}

static int replay_unref(struct replay *r, char **toks, int ntoks)
{
	struct arm_smmu_invs *list;
	int ret;

	ret = replay_parse_list(r, "unref", toks, ntoks, &list);
	if (ret)
		return ret;
	arm_smmu_invs_unref(r->invs, list);
	kfree(list);
	replay_print_invs(r);
	return 0;
}

static int replay_purge(struct replay *r, int ntoks)
{
	struct arm_smmu_invs *new_invs;

	if (ntoks)
		return replay_error(r, "purge takes no argument");
	new_invs = arm_smmu_invs_purge(r->invs);
	if (new_invs) {
		kfree(r->invs);
		r->invs = new_invs;
	}
	replay_print_invs(r);
	return 0;
}

static int replay_walk(struct replay *r, char **toks, int ntoks)
{
	u64 iova, size, granule;

	if (ntoks != 3)
		return replay_error(r, "walk takes IOVA SIZE GRANULE");
	if (replay_parse_u64(toks[0], true, U64_MAX, &iova))
		return replay_error(r, "walk: bad IOVA '%s'", toks[0]);
	if (replay_parse_u64(toks[1], true, U64_MAX, &size))
		return replay_error(r, "walk: bad SIZE '%s'", toks[1]);
	if (replay_parse_u64(toks[2], true, SZ_1G, &granule))
		return replay_error(r, "walk: bad GRANULE '%s'", toks[2]);
	if (size) {
		if (granule < SZ_4K || !is_power_of_2(granule))
			return replay_error(
				r,
				"walk: GRANULE must be a power of two from 0x1000 to 0x40000000");
		if (iova + size - 1 < iova)
			return replay_error(r, "walk: IOVA + SIZE overflows");
		/* as iommu_unmap() requires: whole pages of the domain */
		if ((iova | size) & (SZ_4K - 1))
			return replay_error(
				r,
				"walk: IOVA and SIZE must be multiples of 0x1000 (the domain's page size)");
	}

	arm_smmu_domain_inv_range(&(struct arm_smmu_domain){ .invs = r->invs },
				  iova, size, granule, true);
	return 0;
}

/* Split @line at blanks into at most @max tokens; -E2BIG beyond */
static int replay_split(char *line, char **toks, int max)
{
	int n = 0;
	char *save, *tok;

	for (tok = strtok_r(line, " \t\r\n", &save); tok;
	     tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == max)
			return -E2BIG;
		toks[n++] = tok;
	}
	return n;
}

static int replay_line(struct replay *r, char *line, char **toks, int max)
{
	char *hash = strchr(line, '#');
	int ntoks;

	if (hash)
		*hash = '\0';
	ntoks = replay_split(line, toks, max);
	if (ntoks < 0)
		return replay_error(r, "too many entries");
	if (!ntoks)
		return 0;

	if (!strcmp(toks[0], "merge"))
		return replay_merge(r, toks + 1, ntoks - 1);
	if (!strcmp(toks[0], "unref"))
		return replay_unref(r, toks + 1, ntoks - 1);
	if (!strcmp(toks[0], "purge"))
		return replay_purge(r, ntoks - 1);
	if (!strcmp(toks[0], "walk"))
		return replay_walk(r, toks + 1, ntoks - 1);
	return replay_error(
		r, "unknown operation '%s' (merge unref purge walk)", toks[0]);
}

static void replay_free(struct replay *r)
{
	unsigned int i;

	for (i = 0; i < REPLAY_MAX_SMMUS; i++)
		if (r->hw[i])
			sim_smmu_remove(&r->smmus[i], r->hw[i]);
	kfree(r->invs);
	kfree(r);
}

int replay_run(FILE *in, FILE *out, FILE *err, const struct replay_opts *opts)
{
	/* A line of REPLAY_LINE_MAX bytes has at most half as many tokens */
	const int max_toks = REPLAY_LINE_MAX / 2;
	char *line = NULL, **toks;
	size_t cap = 0;
	ssize_t len;
	struct replay *r;
	int ret = 0;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	toks = calloc(max_toks, sizeof(*toks));
	if (!r || !toks) {
		kfree(r);
		free(toks);
		return -ENOMEM;
	}
	r->out = out;
	r->err = err;
	r->range_inv = opts->range_inv;
	r->no_trace = opts->no_trace;
	r->invs = arm_smmu_invs_alloc(0);
	if (!r->invs)
		ret = -ENOMEM;

	while (!ret && (len = getline(&line, &cap, in)) >= 0) {
		r->lineno++;
		if (len > REPLAY_LINE_MAX)
			ret = replay_error(r, "line longer than %d bytes",
					   REPLAY_LINE_MAX);
		else if (strlen(line) != (size_t)len)
			ret = replay_error(r, "NUL byte in line");
		else
			ret = replay_line(r, line, toks, max_toks);
		fflush(out);
	}
	if (!ret && ferror(in))
		ret = -EIO;

	free(line);
	free(toks);
	replay_free(r);
	return ret;
}

static void replay_usage(FILE *f)
{
	fputs("usage: atcbench replay [--range-inv] [FILE|-]\n"
	      "\n"
	      "Apply invalidation-array operations, one a line, from FILE (or\n"
	      "standard input) and print the array after each (README.md,\n"
	      "\"atcbench replay\").  --range-inv: the SMMU has range\n"
	      "invalidation (IDR3.RIL).  Exit status: 0, 1 a run-time failure,\n"
	      "2 bad input (a line it cannot read).\n",
	      f);
}

static const struct opt replay_opts[] = {
	{ .name = "range_inv",
	  .type = OPT_FLAG,
	  .off = offsetof(struct replay_opts, range_inv),
	  .help = "the SMMUs have range invalidation (IDR3.RIL)" },
};

int replay_cmd(int argc, char **argv)
{
	struct replay_opts opts = {};
	const struct opt_group g = OPT_GROUP(replay_opts, &opts);
	const char *path = NULL;
	FILE *in = stdin;
	int npos, ret;

	ret = opt_parse("replay", &g, 1, argc, argv, &path, 1, &npos);
	if (ret > 0) {
		replay_usage(stdout);
		fputs("\noptions:\n", stdout);
		opt_help(stdout, &g, 1, true);
		return 0;
	}
	if (ret)
		return EXIT_USAGE;
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
