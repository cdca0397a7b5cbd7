/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: kernel integer types on top of the UAPI ones (<linux/types.h> of the
 * installed kernel headers provides __u32, __le64, ...).
 */
#pragma once
#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;
typedef u64 dma_addr_t;
typedef u64 phys_addr_t;
typedef unsigned int gfp_t;
typedef u32 ioasid_t;

#define __iomem
#define __rcu
#define __force
#define __bitwise
