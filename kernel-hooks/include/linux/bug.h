/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: WARN_ON() and friends count instead of tainting, BUG_ON() aborts.
 *
 * Every WARN site counts its hits; the first hit of a site prints one
 * "warn: FILE:LINE: COND" line on stderr (later hits of the same site are only
 * counted, so a stress run cannot flood the terminal).  Harness code reads the
 * total with khooks_warn_count() and reports it.
 */
#pragma once
#include <linux/compiler.h>
#include <linux/types.h>

struct khooks_warn_site {
	const char *file;
	const char *cond;
	int line;
	bool printed;
	unsigned long hits;
};

void __khooks_warn(struct khooks_warn_site *site);
void __khooks_bug(const char *file, int line, const char *cond)
	__attribute__((__noreturn__));
unsigned long khooks_warn_count(void);
void khooks_warn_reset(void);

#define __WARN_SITE(condition, text)                              \
	({                                                        \
		bool __ret_warn = !!(condition);                  \
		if (unlikely(__ret_warn)) {                       \
			static struct khooks_warn_site __site = { \
				.file = __FILE__,                 \
				.cond = text,                     \
				.line = __LINE__,                 \
			};                                        \
			__khooks_warn(&__site);                   \
		}                                                 \
		unlikely(__ret_warn);                             \
	})

#define WARN_ON(condition) __WARN_SITE(condition, "WARN_ON(" #condition ")")
#define WARN_ON_ONCE(condition) \
	__WARN_SITE(condition, "WARN_ON_ONCE(" #condition ")")
#define WARN(condition, fmt, ...) __WARN_SITE(condition, fmt)
#define WARN_ONCE(condition, fmt, ...) __WARN_SITE(condition, fmt)

#define BUG() __khooks_bug(__FILE__, __LINE__, "BUG()")
#define BUG_ON(condition)                                             \
	do {                                                          \
		if (unlikely(condition))                              \
			__khooks_bug(__FILE__, __LINE__, #condition); \
	} while (0)
