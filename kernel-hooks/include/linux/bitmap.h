/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: bitmap allocation and whole-map helpers */
#pragma once
#include <linux/bitops.h>
#include <linux/slab.h>
#include <string.h>

static inline unsigned long *bitmap_zalloc(unsigned int nbits, gfp_t gfp)
{
	return kcalloc(BITS_TO_LONGS(nbits), sizeof(unsigned long), gfp);
}

static inline void bitmap_free(const unsigned long *bitmap)
{
	kfree(bitmap);
}

static inline bool bitmap_empty(const unsigned long *src, unsigned int nbits)
{
	return find_first_bit(src, nbits) >= nbits;
}

static inline unsigned int bitmap_weight(const unsigned long *src,
					 unsigned int nbits)
{
	unsigned int i, w = 0;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++) {
		unsigned long word = READ_ONCE(src[i]);

		if ((i + 1) * BITS_PER_LONG > nbits)
			word &= ~0UL >> ((i + 1) * BITS_PER_LONG - nbits);
		w += hweight_long(word);
	}
	return w;
}

static inline unsigned int bitmap_weight_andnot(const unsigned long *src1,
						const unsigned long *src2,
						unsigned int nbits)
{
	unsigned int i, w = 0;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++) {
		unsigned long word = src1[i] & ~src2[i];

		if ((i + 1) * BITS_PER_LONG > nbits)
			word &= ~0UL >> ((i + 1) * BITS_PER_LONG - nbits);
		w += hweight_long(word);
	}
	return w;
}

/* A word at a time: the bits of the run that fall in each word */
static inline void bitmap_set(unsigned long *map, unsigned int start,
			      unsigned int nbits)
{
	while (nbits) {
		unsigned int bit = start % BITS_PER_LONG;
		unsigned int n = BITS_PER_LONG - bit < nbits ?
					 BITS_PER_LONG - bit :
					 nbits;

		map[start / BITS_PER_LONG] |= (~0UL >> (BITS_PER_LONG - n))
					      << bit;
		start += n;
		nbits -= n;
	}
}

static inline void bitmap_zero(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]
