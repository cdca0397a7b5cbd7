// SPDX-License-Identifier: GPL-2.0
/*
 * kernel: reading a trace folder (atc-trace.sh's files, run.sh's QEMU
 * counts) into struct kernel_trace
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/internal.h"

const char *const kernel_point_roles[4] = { "issue", "op", "atc", "skip" };

static const char *const kernel_probe_names[KP_NR] = {
	"issue", "issue_ret", "op", "op_ret", "atc", "skip",
};

static FILE *kernel_open(const char *dir, const char *name)
{
	char path[RESULTS_PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return fopen(path, "r");
}

/* The first line of @dir/@name into @buf; "" when the file is missing */
void kernel_read_line(const char *dir, const char *name, char *buf, size_t len)
{
	FILE *f = kernel_open(dir, name);

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(buf, len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/*
 * A hist trigger's output: "{ KEY: VALUE, KEY: VALUE } hitcount: N" lines,
 * several histograms one after the other.  Latencies (key "lat") go into
 * @lat, list shapes (keys "n" and "sync", and common_cpu: summed) into
 * @t; other histograms are skipped.  The events a histogram dropped (its
 * "Dropped:" line) are added to *@dropped.
 */
static int kernel_parse_hist(const char *dir, const char *name,
			     struct lat_hist *lat, struct kernel_trace *t,
			     unsigned long long *dropped, char *err,
			     size_t errlen)
{
	char line[KERNEL_LINE_MAX];
	unsigned int lineno = 0;
	FILE *f = kernel_open(dir, name);

	if (!f) {
		snprintf(err, errlen, "%s/%s: %s", dir, name, strerror(errno));
		return -ENOENT;
	}
	while (fgets(line, sizeof(line), f)) {
		long long lat_v = -1, n_v = -1, sync_v = -1;
		unsigned long long count;
		char *p = line, *close;
		unsigned int i;

		lineno++;
		/* Events the trigger could not record: the counts fall short */
		if (sscanf(line, " Dropped: %llu", &count) == 1) {
			*dropped += count;
			continue;
		}
		/* Only the histograms keyed on a latency or a list's shape */
		if (strncmp(line, "{ lat:", 6) && strncmp(line, "{ n:", 4))
			continue;
		close = strchr(line, '}');
		if (!close || sscanf(close, "} hitcount: %llu", &count) != 1)
			goto bad;
		*close = '\0';
		for (p = line + 1; p && *p;) {
			char key[16];
			long long v;

			if (sscanf(p, " %15[a-z_0-9]: %lld", key, &v) != 2)
				goto bad;
			if (!strcmp(key, "lat"))
				lat_v = v;
			else if (!strcmp(key, "n"))
				n_v = v;
			else if (!strcmp(key, "sync"))
				sync_v = v;
			p = strchr(p, ',');
			if (p)
				p++;
		}
		if (lat_v >= 0 && lat) {
			lat_record_n(lat, lat_v, count);
		} else if (n_v >= 0 && sync_v >= 0 && t) {
			/* one line per CPU and shape: summed by shape */
			for (i = 0; i < t->nsizes; i++)
				if (t->sizes[i].n == n_v &&
				    t->sizes[i].sync == !!sync_v)
					break;
			if (i == KERNEL_MAX_SIZES)
				goto bad;
			if (i == t->nsizes) {
				t->sizes[i].n = n_v;
				t->sizes[i].sync = sync_v;
				t->sizes[t->nsizes++].count = 0;
			}
			t->sizes[i].count += count;
		}
	}
	fclose(f);
	return 0;
bad:
	snprintf(err, errlen, "%s/%s:%u: not a hist trigger line", dir, name,
		 lineno);
	fclose(f);
	return -EINVAL;
}

static void kernel_parse_points(const char *dir, struct kernel_trace *t)
{
	char line[KERNEL_LINE_MAX], role[16], fn[128], where[128];
	FILE *f = kernel_open(dir, "points");
	unsigned int i;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%15s %127s %127s", role, fn, where) != 3)
			continue;
		for (i = 0; i < 4; i++) {
			if (strcmp(role, kernel_point_roles[i]))
				continue;
			snprintf(t->points[i][0], sizeof(t->points[i][0]), "%s",
				 fn);
			snprintf(t->points[i][1], sizeof(t->points[i][1]), "%s",
				 where);
		}
	}
	fclose(f);
}

static int kernel_parse_profile(const char *dir, struct kernel_trace *t,
				char *err, size_t errlen)
{
	char line[KERNEL_LINE_MAX], name[64];
	unsigned long long hits;
	FILE *f = kernel_open(dir, "kprobe_profile");
	unsigned int i;

	if (!f) {
		snprintf(err, errlen, "%s/kprobe_profile: %s", dir,
			 strerror(errno));
		return -ENOENT;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %llu", name, &hits) != 2)
			continue;
		for (i = 0; i < KP_NR; i++) {
			if (strcmp(name, kernel_probe_names[i]))
				continue;
			t->hits[i] = hits;
			t->probed[i] = true;
		}
	}
	fclose(f);
	if (!t->probed[KP_ISSUE] || !t->probed[KP_OP]) {
		snprintf(err, errlen, "%s/kprobe_profile: no issue or op probe",
			 dir);
		return -EINVAL;
	}
	return 0;
}

static void kernel_parse_opcodes(const char *dir, struct kernel_trace *t)
{
	char line[KERNEL_LINE_MAX], name[32];
	unsigned long long count;
	FILE *f = kernel_open(dir, "qemu-opcodes");

	if (!f)
		return;
	t->have_opcodes = true;
	while (fgets(line, sizeof(line), f) &&
	       t->nopcodes < KERNEL_MAX_OPCODES) {
		if (sscanf(line, "%31s %llu", name, &count) != 2)
			continue;
		snprintf(t->opcodes[t->nopcodes].name,
			 sizeof(t->opcodes[0].name), "%s", name);
		t->opcodes[t->nopcodes++].count = count;
	}
	fclose(f);
}

/* run.sh --ats: "sid=0x100 ssid=0x0 ssv=0 size=0 global=0 fails=0 count=N" */
static int kernel_parse_atc(const char *dir, struct kernel_trace *t, char *err,
			    size_t errlen)
{
	char line[KERNEL_LINE_MAX];
	unsigned int lineno = 0;
	FILE *f = kernel_open(dir, "qemu-atc-inv");

	if (!f)
		return 0;
	t->ats = true;
	while (fgets(line, sizeof(line), f)) {
		struct kernel_atc_inv *a = &t->atc[t->natc];
		int ssv, global, fails;

		lineno++;
		if (t->natc == KERNEL_MAX_ATC ||
		    sscanf(line,
			   "sid=%x ssid=%x ssv=%d size=%u global=%d fails=%d "
			   "count=%llu",
			   &a->sid, &a->ssid, &ssv, &a->size, &global, &fails,
			   &a->count) != 7) {
			snprintf(err, errlen, "%s/qemu-atc-inv:%u: %s", dir,
				 lineno,
				 t->natc == KERNEL_MAX_ATC ?
					 "too many shapes" :
					 "not a shape line");
			fclose(f);
			return -EINVAL;
		}
		a->ssv = ssv;
		a->global = global;
		a->fails = fails;
		t->natc++;
	}
	fclose(f);
	return 0;
}

static struct kernel_atc_sid *kernel_oracle_sid(struct kernel_trace *t,
						unsigned int sid)
{
	unsigned int i;

	for (i = 0; i < t->nsids; i++)
		if (t->sids[i].sid == sid)
			return &t->sids[i];
	if (t->nsids == KERNEL_MAX_SIDS)
		return NULL;
	t->sids[t->nsids].sid = sid;
	return &t->sids[t->nsids++];
}

/*
 * run.sh --ats's qemu-atc-oracle: "eats SID", "stale SID IOVA CACHED
 * WALKED MAPPED", "order SID IOVA" (hexadecimal)
 */
static int kernel_parse_oracle(const char *dir, struct kernel_trace *t,
			       char *err, size_t errlen)
{
	char line[KERNEL_LINE_MAX], what[16];
	unsigned long long iova;
	unsigned int lineno = 0, sid;
	struct kernel_atc_sid *s;
	FILE *f = kernel_open(dir, "qemu-atc-oracle");

	if (!f)
		return 0;
	t->oracle = true;
	while (fgets(line, sizeof(line), f)) {
		int n = sscanf(line, "%15s %x %llx", what, &sid, &iova);

		lineno++;
		s = n >= 2 ? kernel_oracle_sid(t, sid) : NULL;
		if (!s || (strcmp(what, "eats") && n != 3) ||
		    (strcmp(what, "eats") && strcmp(what, "stale") &&
		     strcmp(what, "order"))) {
			snprintf(err, errlen, "%s/qemu-atc-oracle:%u: %s", dir,
				 lineno,
				 n >= 2 && !s ? "too many SIDs" :
						"not an oracle line");
			fclose(f);
			return -EINVAL;
		}
		if (!strcmp(what, "eats")) {
			s->eats = true;
		} else if (!strcmp(what, "order")) {
			s->order++;
		} else {
			if (s->stale < KERNEL_ORACLE_FIRST)
				s->first[s->stale] = iova;
			s->stale++;
		}
	}
	fclose(f);
	return 0;
}

/*
 * dmabench's three lines: "dma mapping benchmark: threads:T seconds:S
 * node:N dir:D granule: G", "average map latency(us):M standard
 * deviation:SD", and the same for unmap
 */
static int kernel_parse_dmabench(const char *dir, struct kernel_trace *t,
				 char *err, size_t errlen)
{
	struct kernel_dmabench *d = &t->dmabench;
	FILE *f = kernel_open(dir, "dmabench");
	unsigned int i;
	bool ok;

	if (!f)
		return 0;
	for (i = 0; i < 3 && fgets(d->lines[i], sizeof(d->lines[i]), f); i++)
		d->lines[i][strcspn(d->lines[i], "\n")] = '\0';
	fclose(f);
	ok = i == 3 &&
	     sscanf(d->lines[0],
		    "dma mapping benchmark: threads:%u seconds:%u node:%*d "
		    "dir:%*s granule: %u",
		    &d->threads, &d->seconds, &d->granule) == 3 &&
	     sscanf(d->lines[1],
		    "average map latency(us):%lf standard deviation:%lf",
		    &d->map_us, &d->map_sd_us) == 2 &&
	     sscanf(d->lines[2],
		    "average unmap latency(us):%lf standard deviation:%lf",
		    &d->unmap_us, &d->unmap_sd_us) == 2;
	if (!ok) {
		snprintf(err, errlen, "%s/dmabench: not the client's 3 lines",
			 dir);
		return -EINVAL;
	}
	d->ran = true;
	return 0;
}

/* "SECOND COUNT" lines of @name into @per_s, seconds into t->nseconds */
static int kernel_parse_per_s(const char *dir, const char *name,
			      unsigned long long *per_s, struct kernel_trace *t,
			      char *err, size_t errlen)
{
	char line[KERNEL_LINE_MAX];
	unsigned long long count;
	unsigned int s;
	FILE *f = kernel_open(dir, name);

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%u %llu", &s, &count) != 2 ||
		    s >= KERNEL_MAX_SECONDS) {
			snprintf(err, errlen,
				 "%s/%s: not SECOND COUNT under %d", dir, name,
				 KERNEL_MAX_SECONDS);
			fclose(f);
			return -EINVAL;
		}
		per_s[s] = count;
		if (s + 1 > t->nseconds)
			t->nseconds = s + 1;
	}
	fclose(f);
	return 0;
}

int kernel_trace_load(const char *dir, struct kernel_trace *t, char *err,
		      size_t errlen)
{
	char buf[32];
	int ret;

	memset(t, 0, sizeof(*t));
	ret = lat_create(LAT_DEFAULT_DIGITS, &t->issue_lat);
	if (!ret)
		ret = lat_create(LAT_DEFAULT_DIGITS, &t->op_lat);
	if (ret) {
		snprintf(err, errlen, "out of memory");
		return ret;
	}
	kernel_read_line(dir, "kernel", t->kernel, sizeof(t->kernel));
	kernel_read_line(dir, "qemu-version", t->qemu, sizeof(t->qemu));
	kernel_read_line(dir, "workload", t->workload, sizeof(t->workload));
	kernel_read_line(dir, "devices", buf, sizeof(buf));
	kernel_read_line(dir, "topology", t->topology, sizeof(t->topology));
	kernel_read_line(dir, "dma-mode", t->dma_mode, sizeof(t->dma_mode));
	snprintf(t->times, sizeof(t->times), "%s",
		 *t->qemu ? KERNEL_TIMES_NOTE :
			    "measured on the machine that ran the trace");
	t->devices = *buf ? strtol(buf, NULL, 10) : -1;
	if (!*t->kernel) {
		snprintf(err, errlen,
			 "%s: no atc-trace.sh output (no 'kernel' file)", dir);
		return -EINVAL;
	}
	kernel_parse_points(dir, t);
	kernel_parse_opcodes(dir, t);
	kernel_read_line(dir, "atc-timeout", t->atc_timeout,
			 sizeof(t->atc_timeout));
	kernel_read_line(dir, "atc-slow", t->atc_slow, sizeof(t->atc_slow));
	ret = kernel_parse_atc(dir, t, err, errlen);
	if (!ret)
		ret = kernel_parse_oracle(dir, t, err, errlen);
	if (!ret)
		ret = kernel_parse_dmabench(dir, t, err, errlen);
	if (!ret)
		ret = kernel_parse_per_s(dir, "qemu-atc-errors", t->smmu_errors,
					 t, err, errlen);
	if (!ret)
		ret = kernel_parse_per_s(dir, "kernel-cmdq-errors",
					 t->kernel_errors, t, err, errlen);
	if (!ret)
		ret = kernel_parse_per_s(dir, "kernel-sync-timeouts",
					 t->sync_timeouts, t, err, errlen);
	if (!ret)
		ret = kernel_parse_profile(dir, t, err, errlen);
	if (!ret)
		ret = kernel_parse_hist(dir, "hist-issue", NULL, t,
					&t->dropped_shapes, err, errlen);
	if (!ret)
		ret = kernel_parse_hist(dir, "hist-issue_lat", t->issue_lat,
					NULL, &t->dropped_latencies, err,
					errlen);
	if (!ret)
		ret = kernel_parse_hist(dir, "hist-op_lat", t->op_lat, NULL,
					&t->dropped_latencies, err, errlen);
	return ret;
}

void kernel_trace_free(struct kernel_trace *t)
{
	lat_destroy(t->issue_lat);
	lat_destroy(t->op_lat);
}
