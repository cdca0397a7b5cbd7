/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lat: a log-linear latency histogram in the HdrHistogram scheme, written
 * here (HdrHistogram_c is not packaged in Debian 12).
 *
 * Values are nanoseconds from 0 to LAT_MAX_NS.  With d significant digits,
 * S = 2^ceil(log2(2 * 10^d)) sub-buckets: values below S are counted
 * exactly; above, each power of two [2^m, 2^(m+1)) is cut into S/2 equal
 * sub-buckets, so a value is known within 1/(S/2) <= 10^-d of itself.
 * Values above LAT_MAX_NS are counted in @overflow (their max is kept).
 *
 * One histogram per thread: lat_record() is a handful of instructions, never
 * allocates, never locks and is not atomic.  Histograms of equal precision
 * are merged by adding counters (lat_merge()) after the threads are joined.
 *
 * Percentiles follow HdrHistogram: the value at p is the highest value
 * equivalent to the bucket in which the cumulative count first reaches
 * ceil(p/100 * count), capped by the exact maximum.
 */
#ifndef LAT_H
#define LAT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define LAT_MIN_DIGITS 1
#define LAT_MAX_DIGITS 4
#define LAT_DEFAULT_DIGITS 3
#define LAT_MAX_SHIFT 37 /* values below 2^37 ns, about 137 s */
#define LAT_MAX_NS ((UINT64_C(1) << LAT_MAX_SHIFT) - 1)

struct lat_hist {
	unsigned int digits;
	unsigned int sub_shift; /* log2(S) */
	uint32_t counts_len;
	uint64_t count; /* values recorded, overflow included */
	uint64_t overflow; /* values above LAT_MAX_NS */
	uint64_t min, max;
	uint64_t sum; /* of all values, for the mean */
	uint64_t counts[];
};

/* Allocate a histogram of @digits significant digits; -EINVAL, -ENOMEM */
int lat_create(unsigned int digits, struct lat_hist **out);
void lat_destroy(struct lat_hist *h);
void lat_reset(struct lat_hist *h);

/*
 * The counter index of @ns (below LAT_MAX_NS), without a branch: @ns's
 * power of two m, floored at s - 1 by or-ing in the sub-bucket mask, gives
 * the shift b = m - s + 1 (0 for the exact values below S); the index is
 * b * S/2 + (ns >> b), where ns >> b lies in [S/2, S) once b > 0.  A
 * branch on "ns < S" mispredicts on streams that straddle S (a 2 us body
 * at 3 digits, S = 2048 ns), which costs more than the whole record.
 */
static inline uint32_t lat_index(const struct lat_hist *h, uint64_t ns)
{
	unsigned int s = h->sub_shift;
	unsigned int m = 63 - __builtin_clzll(ns | ((UINT64_C(1) << s) - 1));
	unsigned int b = m - s + 1;

	return (b << (s - 1)) + (uint32_t)(ns >> b);
}

/* Record @n values of @ns */
static inline void lat_record_n(struct lat_hist *h, uint64_t ns, uint64_t n)
{
	if (ns > LAT_MAX_NS)
		h->overflow += n;
	else
		h->counts[lat_index(h, ns)] += n;
	h->count += n;
	h->sum += ns * n;
	if (ns < h->min)
		h->min = ns;
	if (ns > h->max)
		h->max = ns;
}

static inline void lat_record(struct lat_hist *h, uint64_t ns)
{
	lat_record_n(h, ns, 1);
}

/* Lowest and highest values that share @idx's counter */
uint64_t lat_lowest(const struct lat_hist *h, uint32_t idx);
uint64_t lat_highest(const struct lat_hist *h, uint32_t idx);

/* Add @from into @to; -EINVAL if their precisions differ */
int lat_merge(struct lat_hist *to, const struct lat_hist *from);

/* The value at percentile @p (0..100); 0 for an empty histogram */
uint64_t lat_percentile(const struct lat_hist *h, double p);
double lat_mean(const struct lat_hist *h);
/* The standard deviation, from the buckets' midpoints (HdrHistogram's) */
double lat_stddev(const struct lat_hist *h);

/*
 * HdrHistogram's classic .hgrm text: Value (in microseconds), Percentile,
 * TotalCount, 1/(1-Percentile), with 5 ticks per half distance and the
 * Mean/Max/Buckets footer.  Returns 0 or -EIO.
 */
int lat_write_hgrm(const struct lat_hist *h, FILE *f);
/* The same, in the shape results_write_with() takes */
int lat_hgrm_writer(FILE *f, const void *h);

/*
 * JSON object: digits, unit, count, overflow, min, max, mean, the summary
 * percentiles (p50 p90 p99 p99.9 p99.99) and, with @bins, the non-empty
 * counters as [lowest_ns, count] pairs, from which lat_record_n() rebuilds
 * the histogram for a later merge.
 */
int lat_write_json(const struct lat_hist *h, FILE *f, bool bins);

#endif /* LAT_H */
