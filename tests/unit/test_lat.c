// SPDX-License-Identifier: GPL-2.0
/*
 * The latency histogram: percentiles against the exact percentiles of known
 * samples (relative error within the precision), merging equals recording
 * into one histogram, bucket boundaries, overflow, and the .hgrm and JSON
 * outputs.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/lat.h"

#include "unit/khooks_test.h"

#define NSAMPLES 200000

static u64 seed;

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Log-uniform values from 1 ns to about 10 s, with a cluster of repeats */
static void samples(u64 *v, size_t n, u64 *rng)
{
	size_t i;

	for (i = 0; i < n; i++) {
		double e = (double)(test_rand(rng) % 1000000) / 1000000.0;

		v[i] = (i % 7 == 0) ? 1500 : (u64)exp(e * log(1e10)) + 1;
	}
}

static void test_percentiles_exact(void **state)
{
	static const double ps[] = {
		0, 1, 50, 90, 99, 99.9, 99.99, 99.999, 100
	};
	u64 *v = malloc(NSAMPLES * sizeof(*v));
	u64 rng = seed;
	unsigned int d, k;

	assert_non_null(v);
	samples(v, NSAMPLES, &rng);
	for (d = LAT_MIN_DIGITS; d <= LAT_MAX_DIGITS; d++) {
		struct lat_hist *h;
		double tol = pow(10, -(double)d);
		size_t i;

		assert_int_equal(lat_create(d, &h), 0);
		for (i = 0; i < NSAMPLES; i++)
			lat_record(h, v[i]);
		qsort(v, NSAMPLES, sizeof(*v), cmp_u64);
		for (k = 0; k < sizeof(ps) / sizeof(ps[0]); k++) {
			/* HdrHistogram_c's rank: rounded, at least 1 */
			size_t rank = (size_t)(ps[k] / 100.0 * NSAMPLES + 0.5);
			u64 exact = v[rank ? rank - 1 : 0];
			u64 got = lat_percentile(h, ps[k]);

			if (fabs((double)got - (double)exact) > tol * exact) {
				fprintf(stderr,
					"digits %u p%g: %llu vs exact %llu\n",
					d, ps[k], got, exact);
				fail();
			}
		}
		/* min and max: their counters' lowest and highest values */
		assert_int_equal(lat_count(h), NSAMPLES);
		assert_true(lat_min(h) <= v[0] &&
			    lat_min(h) >= v[0] - tol * v[0]);
		assert_true(lat_max(h) >= v[NSAMPLES - 1] &&
			    lat_max(h) <= v[NSAMPLES - 1] * (1 + tol));
		assert_int_equal(lat_index(h, lat_min(h)), lat_index(h, v[0]));
		assert_int_equal(lat_index(h, lat_max(h)),
				 lat_index(h, v[NSAMPLES - 1]));
		lat_destroy(h);
		samples(v, NSAMPLES, &rng);
	}
	free(v);
}

static void test_merge_equals_one(void **state)
{
	struct lat_hist *a, *b, *one;
	u64 rng = seed ^ 0x5555;
	unsigned int i;

	assert_int_equal(lat_create(3, &a), 0);
	assert_int_equal(lat_create(3, &b), 0);
	assert_int_equal(lat_create(3, &one), 0);
	for (i = 0; i < NSAMPLES; i++) {
		u64 x = test_rand(&rng) % (1ULL << (test_rand(&rng) % 40));

		lat_record(test_rand(&rng) & 1 ? a : b, x);
		lat_record(one, x);
	}
	assert_int_equal(lat_merge(a, b), 0);
	assert_int_equal(lat_count(a), lat_count(one));
	assert_int_equal(a->overflow, one->overflow);
	assert_int_equal(a->overflow_sum, one->overflow_sum);
	assert_int_equal(a->overflow_max, one->overflow_max);
	assert_int_equal(lat_min(a), lat_min(one));
	assert_int_equal(lat_max(a), lat_max(one));
	assert_true(lat_mean(a) == lat_mean(one));
	assert_memory_equal(a->counts, one->counts,
			    one->counts_len * sizeof(one->counts[0]));
	assert_true(one->overflow > 0);
	lat_destroy(b);
	/* another precision, another range: refused */
	assert_int_equal(lat_create(2, &b), 0);
	assert_int_equal(lat_merge(a, b), -EINVAL);
	lat_destroy(b);
	assert_int_equal(lat_create_range(3, LAT_DEFAULT_HIGHEST_NS + 1, &b),
			 0);
	assert_int_equal(lat_merge(a, b), -EINVAL);
	lat_destroy(a);
	lat_destroy(b);
	lat_destroy(one);
}

/* Every value lies in its counter's bounds; counters tile the range */
/* Every counter's bounds map back to it, at every precision */
static void test_buckets(void **state)
{
	static const u32 subs[] = { 0, 32, 256, 2048, 32768 };
	struct lat_hist *h;
	unsigned int d;
	u32 i;

	for (d = LAT_MIN_DIGITS; d <= LAT_MAX_DIGITS; d++) {
		u64 exact = 1ULL << 63;

		assert_int_equal(lat_create(d, &h), 0);
		assert_int_equal(1u << h->sub_shift, subs[d]);
		assert_int_equal(lat_lowest(h, 0), 0);
		for (i = 0; i + 1 < h->counts_len; i++) {
			u64 lo = lat_lowest(h, i), hi = lat_highest(h, i);

			assert_int_equal(lat_lowest(h, i + 1), hi + 1);
			assert_int_equal(lat_index(h, lo), i);
			assert_int_equal(lat_index(h, hi), i);
			assert_int_equal(lat_index(h, lo + (hi - lo) / 2), i);
			/* The relative width is within the precision */
			if (lo >= subs[d] && exact > lo)
				exact = lo;
			assert_true(lo < subs[d] ||
				    (hi - lo + 1) * pow(10, d) <= lo);
		}
		assert_int_equal(exact, subs[d]); /* exact below S */
		assert_int_equal(lat_highest(h, h->counts_len - 1), h->highest);
		assert_int_equal(h->highest, LAT_DEFAULT_HIGHEST_NS);
		lat_destroy(h);
	}
	assert_int_equal(lat_create(3, &h), 0);
	assert_int_equal(lat_create(0, &h), -EINVAL);
	assert_int_equal(lat_create(LAT_MAX_DIGITS + 1, &h), -EINVAL);
	lat_destroy(h);
}

/*
 * The range chosen at run time: an hour at 3 digits takes HdrHistogram_c's
 * counters for (1, 3600 s, 3) (33,792), the counters reach past the value
 * asked for, an hour's stall is counted, not overflowed; the limits
 */
static void test_range(void **state)
{
	const u64 hour = 3600ULL * 1000000000ULL;
	struct lat_hist *h;

	assert_int_equal(lat_create_range(3, hour, &h), 0);
	assert_int_equal(h->counts_len, 33792);
	assert_true(h->highest >= hour);
	assert_int_equal(lat_highest(h, h->counts_len - 1), h->highest);
	assert_int_equal(lat_memory(h),
			 sizeof(*h) + 33792 * sizeof(h->counts[0]));
	lat_record(h, hour);
	lat_record(h, 1);
	assert_int_equal(h->overflow, 0);
	assert_int_equal(lat_count(h), 2);
	assert_int_equal(lat_percentile(h, 100), lat_max(h));
	assert_true(lat_max(h) >= hour && lat_max(h) <= hour + hour / 1000);
	lat_destroy(h);

	assert_int_equal(lat_create_range(3, LAT_HIGHEST_MAX_NS, &h), 0);
	assert_int_equal(h->highest, LAT_HIGHEST_MAX_NS);
	lat_destroy(h);
	assert_int_equal(lat_create_range(1, LAT_HIGHEST_MIN_NS, &h), 0);
	assert_true(h->highest >= LAT_HIGHEST_MIN_NS);
	lat_destroy(h);
	assert_int_equal(lat_create_range(3, LAT_HIGHEST_MAX_NS + 1, &h),
			 -EINVAL);
	assert_int_equal(lat_create_range(3, LAT_HIGHEST_MIN_NS - 1, &h),
			 -EINVAL);
}

static void test_overflow(void **state)
{
	struct lat_hist *h;

	assert_int_equal(lat_create(2, &h), 0);
	assert_int_equal(lat_percentile(h, 50), 0);
	lat_record(h, 10);
	lat_record(h, h->highest + 1);
	lat_record(h, 200ULL * 1000000000ULL);
	assert_int_equal(lat_count(h), 3);
	assert_int_equal(h->overflow, 2);
	assert_int_equal(lat_max(h), 200ULL * 1000000000ULL);
	assert_true(lat_mean(h) ==
		    (10.0 + h->highest + 1 + 200ULL * 1000000000ULL) / 3);
	assert_int_equal(lat_percentile(h, 30), 10);
	assert_int_equal(lat_percentile(h, 50), 200ULL * 1000000000ULL);
	assert_int_equal(lat_percentile(h, 100), 200ULL * 1000000000ULL);
	lat_destroy(h);
}

/* The .hgrm rows: increasing values and counts, 1/(1-p), the inf row */
static void test_hgrm(void **state)
{
	char *buf = NULL, *line, *save;
	double last_v = -1, last_p = -1;
	unsigned int rows = 0, infs = 0;
	struct lat_hist *h;
	size_t len = 0;
	u64 i, last_c = 0, p50;
	FILE *f;

	assert_int_equal(lat_create(3, &h), 0);
	for (i = 1; i <= 100000; i++)
		lat_record(h, i * 10);
	f = open_memstream(&buf, &len);
	assert_int_equal(lat_write_hgrm(h, f), 0);
	fclose(f);
	assert_non_null(strstr(buf, "1/(1-Percentile)"));
	assert_non_null(strstr(buf, "Total count    =       100000"));
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		double v, p;
		unsigned long long c;
		char inv[32];

		if (sscanf(line, "%lf %lf %llu %31s", &v, &p, &c, inv) != 4)
			continue;
		assert_true(v >= last_v && p > last_p && c >= last_c);
		if (!strcmp(inv, "inf")) {
			infs++;
			/* the highest value equivalent to 10^6 ns */
			assert_true(p == 1.0 && c == 100000);
			assert_true(v == lat_max(h) / 1000.0 && v >= 1000.0 &&
				    v <= 1001.0);
		} else {
			assert_true(fabs(atof(inv) - 1 / (1 - p)) <
				    0.01 * atof(inv));
		}
		last_v = v, last_p = p, last_c = c, rows++;
	}
	assert_int_equal(infs, 1);
	assert_true(rows > 50 && rows < 400);
	free(buf);

	f = open_memstream(&buf, &len);
	assert_int_equal(lat_write_json(h, f, true), 0);
	fclose(f);
	assert_non_null(strstr(buf, "\"count\": 100000"));
	/* The median of 10, 20, .. 10^6 is 500000, within 10^-3 */
	assert_non_null(strstr(buf, "\"p50\": "));
	p50 = strtoull(strstr(buf, "\"p50\": ") + 7, NULL, 10);
	assert_true(p50 >= 500000 && p50 <= 500500);
	assert_non_null(strstr(buf, "\"bins\": [[10, 1], "));
	free(buf);
	lat_destroy(h);
}

/*
 * HdrHistogram_c 0.11.10's own .hgrm of four streams (tests/unit/lat-hdr/,
 * written by hdr_percentiles_print(h, f, 5, 1000.0, CLASSIC) after
 * hdr_init(1, highest, digits) and hdr_record_value() of each value, with a
 * program outside this tree: nothing of HdrHistogram is in it), then its
 * hdr_value_at_percentile() at 17 percentiles, hdr_min() and hdr_max(),
 * against ours, byte for byte: every row's value, percentile and count, the
 * footer's mean, deviation, max, count and bucket counts, every percentile
 */
static u64 golden_value(u64 i, unsigned int bits)
{
	u64 x = (i + 1) * 0x9e3779b97f4a7c15ULL;

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return (x >> 8) & ((1ULL << (1 + (x & 63) % bits)) - 1);
}

static void test_hdr_golden(void **state)
{
	static const struct {
		const char *file;
		unsigned int digits;
		u64 highest;
		u64 n;
		/* else: 10, 20, .. 10 n, plus @bits ms */
		unsigned int bits;
		bool linear;
	} g[] = {
		{ "linear-3d.hgrm", 3, (1ULL << 37) - 1, 100000, 0, true },
		{ "offset-2d.hgrm", 2, (1ULL << 37) - 1, 100000, 5, true },
		{ "mixed-3d.hgrm", 3, (1ULL << 37) - 1, 200000, 36, false },
		{ "hour-2d.hgrm", 2, 3600ULL * 1000000000ULL, 200000, 41,
		  false },
		{ "hour-4d.hgrm", 4, 3600ULL * 1000000000ULL, 200000, 41,
		  false },
	};
	static const double ps[] = { 0,	   0.1,	 1,	10,	25, 33.3,
				     50,   66.7, 75,	90,	95, 99,
				     99.5, 99.9, 99.99, 99.999, 100 };
	unsigned int k;

	for (k = 0; k < sizeof(g) / sizeof(g[0]); k++) {
		char path[512], *ours = NULL, want[16384];
		struct lat_hist *h;
		size_t len = 0, n;
		FILE *f;
		u64 i;

		snprintf(path, sizeof(path), "%s/%s", LAT_GOLDEN_DIR,
			 g[k].file);
		f = fopen(path, "r");
		assert_non_null(f);
		n = fread(want, 1, sizeof(want) - 1, f);
		fclose(f);
		want[n] = 0;
		assert_int_equal(
			lat_create_range(g[k].digits, g[k].highest, &h), 0);
		for (i = 0; i < g[k].n; i++)
			lat_record(h, g[k].linear ?
					      (i + 1) * 10 +
						      g[k].bits * 1000000ULL :
					      golden_value(i, g[k].bits));
		f = open_memstream(&ours, &len);
		assert_int_equal(lat_write_hgrm(h, f), 0);
		/* then hdr_value_at_percentile(), hdr_min() and hdr_max() */
		for (i = 0; i < sizeof(ps) / sizeof(ps[0]); i++)
			fprintf(f, "#p %g %llu\n", ps[i],
				(unsigned long long)lat_percentile(h, ps[i]));
		fprintf(f, "#min %llu max %llu\n",
			(unsigned long long)lat_min(h),
			(unsigned long long)lat_max(h));
		fclose(f);
		if (strcmp(ours, want)) {
			fprintf(stderr,
				"%s: ours differs from HdrHistogram's:\n%s",
				g[k].file, ours);
			fail();
		}
		free(ours);
		lat_destroy(h);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percentiles_exact),
		cmocka_unit_test(test_merge_equals_one),
		cmocka_unit_test(test_buckets),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_hgrm),
		cmocka_unit_test(test_hdr_golden),
	};

	seed = test_seed("test_lat");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
