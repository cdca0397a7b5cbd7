// SPDX-License-Identifier: GPL-2.0
/* lat: log-linear latency histogram (see lat.h) */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/lat.h"

#define LAT_HGRM_TICKS 5 /* ticks per half distance to 100 % */
#define LAT_HGRM_SCALE 1000.0 /* ns per microsecond, the .hgrm's unit */

int lat_create_range(unsigned int digits, uint64_t highest_ns,
		     struct lat_hist **out)
{
	unsigned int s = 0, buckets = 1;
	uint64_t largest_exact = 2, len;
	struct lat_hist *h;
	unsigned int i;

	if (digits < LAT_MIN_DIGITS || digits > LAT_MAX_DIGITS ||
	    highest_ns < LAT_HIGHEST_MIN_NS || highest_ns > LAT_HIGHEST_MAX_NS)
		return -EINVAL;
	for (i = 0; i < digits; i++)
		largest_exact *= 10;
	while ((UINT64_C(1) << s) < largest_exact)
		s++;
	/*
	 * HdrHistogram's bucket count: bucket 0 holds [0, 2^s), each next one
	 * doubles the reach; counters: S/2 per bucket and S/2 more
	 */
	while ((UINT64_C(1) << (s + buckets - 1)) <= highest_ns)
		buckets++;
	len = (uint64_t)(buckets + 1) << (s - 1);
	h = calloc(1, sizeof(*h) + len * sizeof(h->counts[0]));
	if (!h)
		return -ENOMEM;
	h->digits = digits;
	h->sub_shift = s;
	h->half_shift = s - 1;
	h->sub_mask = (UINT64_C(1) << s) - 1;
	h->counts_len = len;
	h->highest = (UINT64_C(1) << (s + buckets - 1)) - 1;
	*out = h;
	return 0;
}

int lat_create(unsigned int digits, struct lat_hist **out)
{
	return lat_create_range(digits, LAT_DEFAULT_HIGHEST_NS, out);
}

void lat_destroy(struct lat_hist *h)
{
	free(h);
}

void lat_reset(struct lat_hist *h)
{
	memset(h->counts, 0, h->counts_len * sizeof(h->counts[0]));
	h->overflow = h->overflow_sum = h->overflow_max = 0;
}

size_t lat_memory(const struct lat_hist *h)
{
	return sizeof(*h) + h->counts_len * sizeof(h->counts[0]);
}

void lat_record_overflow(struct lat_hist *h, uint64_t ns, uint64_t n)
{
	h->overflow += n;
	h->overflow_sum += ns * n;
	if (ns > h->overflow_max)
		h->overflow_max = ns;
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

/* HdrHistogram's median equivalent value: lowest + width / 2 */
static uint64_t lat_median(const struct lat_hist *h, uint32_t idx)
{
	return lat_lowest(h, idx) +
	       ((UINT64_C(1) << lat_width_shift(h, idx)) >> 1);
}

int lat_merge(struct lat_hist *to, const struct lat_hist *from)
{
	uint32_t i;

	if (to->digits != from->digits || to->highest != from->highest)
		return -EINVAL;
	for (i = 0; i < to->counts_len; i++)
		to->counts[i] += from->counts[i];
	to->overflow += from->overflow;
	to->overflow_sum += from->overflow_sum;
	if (from->overflow_max > to->overflow_max)
		to->overflow_max = from->overflow_max;
	return 0;
}

uint64_t lat_count(const struct lat_hist *h)
{
	uint64_t n = h->overflow;
	uint32_t i;

	for (i = 0; i < h->counts_len; i++)
		n += h->counts[i];
	return n;
}

uint64_t lat_min(const struct lat_hist *h)
{
	uint32_t i;

	for (i = 0; i < h->counts_len; i++)
		if (h->counts[i])
			return lat_lowest(h, i);
	return h->overflow ? h->highest + 1 : 0;
}

uint64_t lat_max(const struct lat_hist *h)
{
	uint32_t i = h->counts_len;

	if (h->overflow)
		return h->overflow_max;
	while (i--)
		if (h->counts[i])
			return lat_highest(h, i);
	return 0;
}

uint64_t lat_percentile(const struct lat_hist *h, double p)
{
	uint64_t count = lat_count(h), target, cum = 0;
	uint32_t i;

	if (!count)
		return 0;
	if (p > 100.0)
		p = 100.0;
	target = (uint64_t)(p / 100.0 * (double)count + 0.5);
	if (target < 1)
		target = 1;
	for (i = 0; i < h->counts_len; i++) {
		cum += h->counts[i];
		if (cum >= target)
			return p == 0.0 ? lat_lowest(h, i) : lat_highest(h, i);
	}
	return h->overflow_max; /* in the overflow */
}

double lat_mean(const struct lat_hist *h)
{
	uint64_t count = 0, total = h->overflow_sum;
	uint32_t i;

	for (i = 0; i < h->counts_len; i++) {
		if (!h->counts[i])
			continue;
		count += h->counts[i];
		total += h->counts[i] * lat_median(h, i);
	}
	count += h->overflow;
	return count ? (double)total / (double)count : 0.0;
}

double lat_stddev(const struct lat_hist *h)
{
	double mean = lat_mean(h), acc = 0.0, d;
	uint64_t count = lat_count(h);
	uint32_t i;

	if (!count)
		return 0.0;
	for (i = 0; i < h->counts_len; i++) {
		if (!h->counts[i])
			continue;
		d = (double)lat_median(h, i) - mean;
		acc += d * d * (double)h->counts[i];
	}
	if (h->overflow) {
		d = (double)h->overflow_max - mean;
		acc += d * d * (double)h->overflow;
	}
	return sqrt(acc / (double)count);
}

/* The next percentile to report, in hdr_iter_percentile's arithmetic */
static double lat_next_percentile(double p)
{
	int64_t half = (int64_t)(log(100 / (100.0 - p)) / log(2)) + 1;

	return p + 100.0 / (LAT_HGRM_TICKS * (int64_t)pow(2, (double)half));
}

static void lat_hgrm_row(const struct lat_hist *h, FILE *f, uint64_t ns,
			 double p, uint64_t cum)
{
	double q = p / 100.0;

	fprintf(f, "%12.*f %12f %12" PRIu64 " %12.2f\n", (int)h->digits,
		ns / LAT_HGRM_SCALE, q, cum, 1.0 / (1.0 - q));
}

/*
 * hdr_percentiles_print()'s rows: at each counter in use, a row for every
 * percentile step its cumulative count reaches (one at the last counter in
 * use), its value the counter's highest equivalent one; then the 100 % row
 * (HdrHistogram's iterator ends so); overflowed values last, at their
 * maximum
 */
int lat_write_hgrm(const struct lat_hist *h, FILE *f)
{
	uint64_t count = lat_count(h), cum = 0, ns = 0;
	double p = 0.0;
	uint32_t i;

	fprintf(f, "%12s %12s %12s %12s\n\n", "Value", "Percentile",
		"TotalCount", "1/(1-Percentile)");
	for (i = 0; i <= h->counts_len && cum < count; i++) {
		uint64_t n = i < h->counts_len ? h->counts[i] : h->overflow;

		if (!n)
			continue;
		cum += n;
		ns = i < h->counts_len ? lat_highest(h, i) : h->overflow_max;
		/* the last counter in use gives one row, then the 100 % one */
		while (p <= 100.0 * (double)cum / (double)count) {
			lat_hgrm_row(h, f, ns, p, cum);
			p = lat_next_percentile(p);
			if (cum == count)
				break;
		}
	}
	lat_hgrm_row(h, f, ns, 100.0, cum);
	fprintf(f, "#[Mean    = %12.3f, StdDeviation   = %12.3f]\n",
		lat_mean(h) / LAT_HGRM_SCALE, lat_stddev(h) / LAT_HGRM_SCALE);
	fprintf(f, "#[Max     = %12.3f, Total count    = %12" PRIu64 "]\n",
		lat_max(h) / LAT_HGRM_SCALE, count);
	fprintf(f, "#[Buckets = %12u, SubBuckets     = %12u]\n",
		(h->counts_len >> (h->sub_shift - 1)) - 1, 1u << h->sub_shift);
	if (h->overflow)
		fprintf(f,
			"#[Overflow = %" PRIu64 " values above %" PRIu64
			" ns, the highest %.3f us]\n",
			h->overflow, h->highest,
			h->overflow_max / LAT_HGRM_SCALE);
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
		"{\"digits\": %u, \"unit\": \"ns\", \"highest\": %" PRIu64
		", \"count\": %" PRIu64 ", \"overflow\": %" PRIu64
		", \"min\": %" PRIu64 ", \"max\": %" PRIu64 ", \"mean\": %.1f",
		h->digits, h->highest, lat_count(h), h->overflow, lat_min(h),
		lat_max(h), lat_mean(h));
	for (k = 0; k < sizeof(pcts) / sizeof(pcts[0]); k++)
		fprintf(f, ", \"%s\": %" PRIu64, pcts[k].key,
			lat_percentile(h, pcts[k].p));
	if (bins) {
		fputs(", \"bins\": [", f);
		for (i = 0; i < h->counts_len; i++) {
			if (!h->counts[i])
				continue;
			fprintf(f, "%s[%" PRIu64 ", %" PRIu64 "]", sep,
				lat_lowest(h, i), h->counts[i]);
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
