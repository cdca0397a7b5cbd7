/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: atomic bit operations on unsigned long words.
 *
 * set_bit()/clear_bit() are atomic and unordered; test_and_set_bit() and
 * test_and_clear_bit() are atomic and fully ordered, as in the kernel;
 * the __ forms are plain (caller serialises).
 */
#pragma once
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/log2.h>
#include <linux/types.h>

static inline void set_bit(unsigned long nr, unsigned long *addr)
{
#ifdef KHOOKS_WMM
	khooks_wmm_rmw(addr + BIT_WORD(nr), sizeof(*addr), KHOOKS_WMM_OR,
		       BIT_MASK(nr));
#else
	__atomic_fetch_or(addr + BIT_WORD(nr), BIT_MASK(nr), __ATOMIC_RELAXED);
#endif
}

static inline void clear_bit(unsigned long nr, unsigned long *addr)
{
#ifdef KHOOKS_WMM
	khooks_wmm_rmw(addr + BIT_WORD(nr), sizeof(*addr), KHOOKS_WMM_AND,
		       ~BIT_MASK(nr));
#else
	__atomic_fetch_and(addr + BIT_WORD(nr), ~BIT_MASK(nr),
			   __ATOMIC_RELAXED);
#endif
}

static inline bool test_bit(unsigned long nr, const unsigned long *addr)
{
	__wmm_access(addr + BIT_WORD(nr), __ATOMIC_RELAXED);
	return __atomic_load_n(addr + BIT_WORD(nr), __ATOMIC_RELAXED) &
	       BIT_MASK(nr);
}

static inline bool test_and_set_bit(unsigned long nr, unsigned long *addr)
{
	__wmm_rmw(addr + BIT_WORD(nr), __ATOMIC_SEQ_CST);
	return __atomic_fetch_or(addr + BIT_WORD(nr), BIT_MASK(nr),
				 __ATOMIC_SEQ_CST) &
	       BIT_MASK(nr);
}

static inline bool test_and_clear_bit(unsigned long nr, unsigned long *addr)
{
	__wmm_rmw(addr + BIT_WORD(nr), __ATOMIC_SEQ_CST);
	return __atomic_fetch_and(addr + BIT_WORD(nr), ~BIT_MASK(nr),
				  __ATOMIC_SEQ_CST) &
	       BIT_MASK(nr);
}

static inline void __set_bit(unsigned long nr, unsigned long *addr)
{
	addr[BIT_WORD(nr)] |= BIT_MASK(nr);
}

static inline void __clear_bit(unsigned long nr, unsigned long *addr)
{
	addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}

/* Index of the next set bit at or after @offset, or @size if none */
/*
 * Set bits of a word, by halves: pairs, nibbles, bytes, then one multiply
 * sums the bytes (no call into libgcc where the CPU baseline has no
 * population-count instruction)
 */
static inline unsigned int hweight_long(unsigned long w)
{
	w -= (w >> 1) & 0x5555555555555555UL;
	w = (w & 0x3333333333333333UL) + ((w >> 2) & 0x3333333333333333UL);
	w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0fUL;
	return (w * 0x0101010101010101UL) >> 56;
}

static inline unsigned int hweight8(unsigned int w)
{
	return hweight_long(w & 0xff);
}

/* 1 + the index of the lowest set bit, 0 for none (libc's, where declared) */
#define ffs(x) __builtin_ffs(x)

static inline unsigned long find_next_bit(const unsigned long *addr,
					  unsigned long size,
					  unsigned long offset)
{
	unsigned long word;

	if (offset >= size)
		return size;
	word = READ_ONCE(addr[BIT_WORD(offset)]) &
	       (~0UL << (offset % BITS_PER_LONG));
	for (;;) {
		if (word) {
			offset =
				(offset & ~(BITS_PER_LONG - 1UL)) + __ffs(word);
			return offset < size ? offset : size;
		}
		offset = (offset | (BITS_PER_LONG - 1UL)) + 1;
		if (offset >= size)
			return size;
		word = READ_ONCE(addr[BIT_WORD(offset)]);
	}
}

#define find_first_bit(addr, size) find_next_bit(addr, size, 0)
#define for_each_set_bit(bit, addr, size)                        \
	for ((bit) = find_first_bit(addr, size); (bit) < (size); \
	     (bit) = find_next_bit(addr, size, (bit) + 1))
