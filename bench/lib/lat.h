/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lat: a log-linear latency histogram in the HdrHistogram scheme, written
 * here (HdrHistogram_c is not packaged in Debian 12).
 *
 * Values are nanoseconds from 0 to a highest value chosen when the
 * histogram is created (lat_create_range(), up to LAT_HIGHEST_MAX_NS: an
 * hour-long soak's stalls fit).  With d significant digits,
 * S = 2^ceil(log2(2 * 10^d)) sub-buckets: values below S are counted
 * exactly; above, each power of two [2^m, 2^(m+1)) is cut into S/2 equal
 * sub-buckets, so a value is known within 1/(S/2) <= 10^-d of itself.  The
 * counters are HdrHistogram_c's for a lowest discernible value of 1 and the
 * same highest value: the same index of every value, the same memory.
 * Values above the highest are counted in @overflow, with their exact sum
 * and maximum (HdrHistogram refuses them).
 *
 * One histogram per thread: lat_record() is one counter increment (the
 * index: a few shifts, no branch but the overflow's), never allocates, never
 * locks and is not atomic.  The total, minimum, maximum and mean are read
 * from the counters, not kept per record.  Histograms of the same precision
 * and range are merged by adding counters (lat_merge()) after the threads
 * are joined.
 *
 * Every figure read follows HdrHistogram_c 0.11.10: the value at percentile
 * p is the highest value equivalent to the first counter at which the
 * cumulative count reaches (long)(p / 100 * count + 0.5), at least 1 (the
 * lowest equivalent value for p = 0); min and max are the lowest and the
 * highest value equivalent to the first and the last counter in use; the
 * mean and standard deviation weigh each counter's median equivalent value
 * (lowest + width / 2).  Overflowed values enter them at their maximum
 * (percentiles, max) and their exact sum (mean).
 */
#ifndef LAT_H
#define LAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define LAT_MIN_DIGITS 1
#define LAT_MAX_DIGITS 4
#define LAT_DEFAULT_DIGITS 3
/* lat_create()'s range: values below 2^37 ns, about 137 s */
#define LAT_DEFAULT_HIGHEST_NS ((UINT64_C(1) << 37) - 1)
/* The widest range: below 2^45 ns, about 9.8 hours */
#define LAT_HIGHEST_MAX_NS ((UINT64_C(1) << 45) - 1)
/* The narrowest: twice the exact counters of the finest precision */
#define LAT_HIGHEST_MIN_NS (UINT64_C(1) << 16)

struct lat_hist {
	unsigned int digits;
	unsigned int sub_shift; /* log2(S) */
	unsigned int half_shift; /* log2(S/2), for lat_index() */
	uint64_t sub_mask; /* S - 1, for lat_index() */
	uint32_t counts_len;
	uint64_t highest; /* the highest value counted; above: overflow */
	uint64_t overflow; /* values above @highest, */
	uint64_t overflow_sum, overflow_max; /* their sum and maximum */
	uint64_t counts[];
};

/*
 * Allocate a histogram of @digits significant digits counting values up to
 * at least @highest_ns (LAT_HIGHEST_MIN_NS to LAT_HIGHEST_MAX_NS; the
 * counters' reach, a power of two less one, may go further); -EINVAL,
 * -ENOMEM
 */
int lat_create_range(unsigned int digits, uint64_t highest_ns,
		     struct lat_hist **out);
/* The same up to LAT_DEFAULT_HIGHEST_NS */
int lat_create(unsigned int digits, struct lat_hist **out);
void lat_destroy(struct lat_hist *h);
void lat_reset(struct lat_hist *h);
/* Bytes a histogram takes (its counters and its header) */
size_t lat_memory(const struct lat_hist *h);

/*
 * The counter index of @ns (at most @h->highest), without a branch: @ns's
 * power of two m, floored at s - 1 by or-ing in the sub-bucket mask, gives
 * the shift b = m - s + 1 (0 for the exact values below S); the index is
 * b * S/2 + (ns >> b), where ns >> b lies in [S/2, S) once b > 0 (the
 * shifts and the mask precomputed: one load each, no arithmetic).  A
 * branch on "ns < S" mispredicts on streams that straddle S (a 2 us body
 * at 3 digits, S = 2048 ns), which costs more than the whole record.
 */
static inline uint32_t lat_index(const struct lat_hist *h, uint64_t ns)
{
	unsigned int half = h->half_shift;
	/* 63 ^ clz: the power of two, one bsr (63 - clz makes two more) */
	unsigned int b = (63 ^ __builtin_clzll(ns | h->sub_mask)) - half;

	return (b << half) + (uint32_t)(ns >> b);
}

/* A value above the range: counted apart (out of line: it is rare) */
void lat_record_overflow(struct lat_hist *h, uint64_t ns, uint64_t n);

/* Record @n values of @ns */
static inline void lat_record_n(struct lat_hist *h, uint64_t ns, uint64_t n)
{
	if (__builtin_expect(ns > h->highest, 0))
		lat_record_overflow(h, ns, n);
	else
		h->counts[lat_index(h, ns)] += n;
}

static inline void lat_record(struct lat_hist *h, uint64_t ns)
{
	lat_record_n(h, ns, 1);
}

/* Lowest and highest values that share @idx's counter */
uint64_t lat_lowest(const struct lat_hist *h, uint32_t idx);
uint64_t lat_highest(const struct lat_hist *h, uint32_t idx);

/* Add @from into @to; -EINVAL if their precisions or ranges differ */
int lat_merge(struct lat_hist *to, const struct lat_hist *from);

/* Values recorded, overflow included */
uint64_t lat_count(const struct lat_hist *h);
/* The lowest and highest values recorded, as above; 0 when empty */
uint64_t lat_min(const struct lat_hist *h);
uint64_t lat_max(const struct lat_hist *h);
/* The value at percentile @p (0..100), as above; 0 for an empty histogram */
uint64_t lat_percentile(const struct lat_hist *h, double p);
double lat_mean(const struct lat_hist *h);
double lat_stddev(const struct lat_hist *h);

/*
 * HdrHistogram_c's classic .hgrm text (hdr_percentiles_print(), 5 ticks per
 * half distance, values in microseconds): the same rows and footer, byte
 * for byte, then a line of the overflow if there is one.  Returns 0 or
 * -EIO.
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
