/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: the usual umbrella of small helpers */
#pragma once
#include <limits.h>
#include <linux/bits.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/types.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr)-offsetof(type, member)))
#define DIV_ROUND_UP(n, d) (((n) + (d)-1) / (d))
#define ALIGN(x, a) (((x) + ((a)-1)) & ~((typeof(x))(a)-1))
#define lower_32_bits(n) ((u32)((n)&0xffffffff))
#define upper_32_bits(n) ((u32)((u64)(n) >> 32))
#define U8_MAX ((u8)~0U)
#define U16_MAX ((u16)~0U)
#define U32_MAX ((u32)~0U)
#define U64_MAX ((u64)~0ULL)
#define SZ_4K 0x1000UL
#define SZ_64K 0x10000UL
#define SZ_2M 0x200000UL
#define SZ_1G 0x40000000UL
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define might_sleep() \
	do {          \
	} while (0)
#define cond_resched() \
	do {           \
	} while (0)

/* Byte order: the hosts atcbench runs on are little-endian, as arm64 is */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "little-endian only");
#define cpu_to_le64(x) ((__force __le64)(u64)(x))
#define le64_to_cpu(x) ((__force u64)(__le64)(x))
#define cpu_to_le32(x) ((__force __le32)(u32)(x))
#define le32_to_cpu(x) ((__force u32)(__le32)(x))
