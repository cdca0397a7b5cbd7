// SPDX-License-Identifier: GPL-2.0
/* lat: log-linear latency histogram (see lat.h) */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/lat.h"

#define LAT_HGRM_TICKS 5 /* ticks per half distance to 100 % */

int lat_create(unsigned int digits, struct lat_hist **out)
{
	unsigned int s = 0, buckets;
	uint64_t largest_exact = 2, len;
	struct lat_hist *h;
	unsigned int i;

	if (digits < LAT_MIN_DIGITS || digits > LAT_MAX_DIGITS)
		return -EINVAL;
	for (i = 0; i < digits; i++)
		largest_exact *= 10;
	while ((UINT64_C(1) << s) < largest_exact)
		s++;
	/* Buckets 1.. cover [2^m, 2^(m+1)) for m = s .. LAT_MAX_SHIFT - 1 */
	buckets = LAT_MAX_SHIFT - s;
	len = (UINT64_C(1) << s) + ((uint64_t)buckets << (s - 1));
	h = calloc(1, sizeof(*h) + len * sizeof(h->counts[0]));
	if (!h)
		return -ENOMEM;
	h->digits = digits;
	h->sub_shift = s;
	h->counts_len = len;
	h->min = UINT64_MAX;
	*out = h;
	return 0;
}

void lat_destroy(struct lat_hist *h)
{
	free(h);
}

void lat_reset(struct lat_hist *h)
{
	memset(h->counts, 0, h->counts_len * sizeof(h->counts[0]));
	h->count = h->overflow = h->max = h->sum = 0;
	h->min = UINT64_MAX;
}

/* The sub-bucket width of @idx's bucket, as a shift */
static unsigned int lat_width_shift(const struct lat_hist *h, uint32_t idx)
{
	unsigned int s = h->sub_shift;

	if (idx < (1u << s))
		return 0;
	return (idx - (1u << s)) / (1u << (s - 1)) + 1;
}

uint64_t lat_lowest(const struct lat_hist *h, uint32_t idx)
{
	unsigned int s = h->sub_shift, b = lat_width_shift(h, idx);
	uint64_t sub;

	if (!b)
		return idx;
	sub = (idx - (1u << s)) % (1u << (s - 1)) + (1u << (s - 1));
	return sub << b;
}

uint64_t lat_highest(const struct lat_hist *h, uint32_t idx)
{
	return lat_lowest(h, idx) + (UINT64_C(1) << lat_width_shift(h, idx)) -
	       1;
}

int lat_merge(struct lat_hist *to, const struct lat_hist *from)
{
	uint32_t i;

	if (to->digits != from->digits)
		return -EINVAL;
	for (i = 0; i < to->counts_len; i++)
		to->counts[i] += from->counts[i];
	to->count += from->count;
	to->overflow += from->overflow;
	to->sum += from->sum;
	if (from->min < to->min)
		to->min = from->min;
	if (from->max > to->max)
		to->max = from->max;
	return 0;
}

uint64_t lat_percentile(const struct lat_hist *h, double p)
{
	uint64_t target, cum = 0;
	uint32_t i;

	if (!h->count)
		return 0;
	if (p >= 100.0)
		return h->max;
	target = (uint64_t)ceil(p / 100.0 * (double)h->count);
	if (target < 1)
		target = 1;
	for (i = 0; i < h->counts_len; i++) {
		cum += h->counts[i];
		if (cum >= target) {
			uint64_t v = lat_highest(h, i);

			return v < h->max ? v : h->max;
		}
	}
	return h->max; /* in the overflow */
}

double lat_mean(const struct lat_hist *h)
{
	return h->count ? (double)h->sum / (double)h->count : 0.0;
}

double lat_stddev(const struct lat_hist *h)
{
	double mean = lat_mean(h), acc = 0.0;
	uint32_t i;

	if (!h->count)
		return 0.0;
	for (i = 0; i < h->counts_len; i++) {
		double mid, d;

		if (!h->counts[i])
			continue;
		mid = (lat_lowest(h, i) + lat_highest(h, i)) / 2.0;
		d = mid - mean;
		acc += d * d * (double)h->counts[i];
	}
	if (h->overflow) {
		double d = (double)h->max - mean;

		acc += d * d * (double)h->overflow;
	}
	return sqrt(acc / (double)h->count);
}

/* The next percentile to report: LAT_HGRM_TICKS steps per half distance */
static double lat_next_percentile(double p)
{
	double half = exp2(floor(log2(100.0 / (100.0 - p))) + 1);

	return p + 100.0 / (half * LAT_HGRM_TICKS);
}

static void lat_hgrm_row(FILE *f, uint64_t ns, double p, uint64_t cum)
{
	if (p >= 100.0)
		fprintf(f, "%12.3f %12.6f %12llu %14s\n", ns / 1000.0, 1.0,
			(unsigned long long)cum, "inf");
	else
		fprintf(f, "%12.3f %12.6f %12llu %14.2f\n", ns / 1000.0,
			p / 100.0, (unsigned long long)cum,
			1.0 / (1.0 - p / 100.0));
}

/* Emit the rows reached once @cum values are at or below @ns */
static bool lat_hgrm_step(const struct lat_hist *h, FILE *f, uint64_t ns,
			  uint64_t cum, double *p)
{
	if (ns > h->max)
		ns = h->max;
	while ((double)cum * 100.0 >= *p * (double)h->count) {
		if (cum == h->count) {
			lat_hgrm_row(f, ns, *p, cum);
			lat_hgrm_row(f, h->max, 100.0, cum);
			return true;
		}
		lat_hgrm_row(f, ns, *p, cum);
		*p = lat_next_percentile(*p);
	}
	return false;
}

int lat_write_hgrm(const struct lat_hist *h, FILE *f)
{
	unsigned int s = h->sub_shift;
	uint64_t cum = 0;
	bool done = false;
	double p = 0.0;
	uint32_t i;

	fprintf(f, "%12s %12s %12s %14s\n\n", "Value", "Percentile",
		"TotalCount", "1/(1-Percentile)");
	for (i = 0; i < h->counts_len && h->count && !done; i++) {
		if (!h->counts[i])
			continue;
		cum += h->counts[i];
		done = lat_hgrm_step(h, f, lat_highest(h, i), cum, &p);
	}
	if (h->overflow && !done)
		lat_hgrm_step(h, f, h->max, cum + h->overflow, &p);
	fprintf(f, "#[Mean    = %12.3f, StdDeviation   = %12.3f]\n",
		lat_mean(h) / 1000.0, lat_stddev(h) / 1000.0);
	fprintf(f, "#[Max     = %12.3f, Total count    = %12llu]\n",
		h->max / 1000.0, (unsigned long long)h->count);
	fprintf(f, "#[Buckets = %12u, SubBuckets     = %12u]\n",
		1 + (h->counts_len - (1u << s)) / (1u << (s - 1)), 1u << s);
	fprintf(f, "#[Unit    = microseconds, Overflow = %llu above %llu ns]\n",
		(unsigned long long)h->overflow,
		(unsigned long long)LAT_MAX_NS);
	return ferror(f) ? -EIO : 0;
}

int lat_write_json(const struct lat_hist *h, FILE *f, bool bins)
{
	static const struct {
		const char *key;
		double p;
	} pcts[] = { { "p50", 50.0 },
		     { "p90", 90.0 },
		     { "p99", 99.0 },
		     { "p99_9", 99.9 },
		     { "p99_99", 99.99 } };
	const char *sep = "";
	unsigned int k;
	uint32_t i;

	fprintf(f,
		"{\"digits\": %u, \"unit\": \"ns\", \"count\": %llu, "
		"\"overflow\": %llu, \"min\": %llu, \"max\": %llu, "
		"\"mean\": %.1f",
		h->digits, (unsigned long long)h->count,
		(unsigned long long)h->overflow,
		(unsigned long long)(h->count ? h->min : 0),
		(unsigned long long)h->max, lat_mean(h));
	for (k = 0; k < sizeof(pcts) / sizeof(pcts[0]); k++)
		fprintf(f, ", \"%s\": %llu", pcts[k].key,
			(unsigned long long)lat_percentile(h, pcts[k].p));
	if (bins) {
		fputs(", \"bins\": [", f);
		for (i = 0; i < h->counts_len; i++) {
			if (!h->counts[i])
				continue;
			fprintf(f, "%s[%llu, %llu]", sep,
				(unsigned long long)lat_lowest(h, i),
				(unsigned long long)h->counts[i]);
			sep = ", ";
		}
		fputc(']', f);
	}
	fputc('}', f);
	return ferror(f) ? -EIO : 0;
}

int lat_hgrm_writer(FILE *f, const void *h)
{
	return lat_write_hgrm(h, f);
}
