/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: printk and the pr_*()/dev_*() families.  Messages go to stderr with
 * their level; khooks_printk_level() silences the noisy ones during
 * measurements.  The _ratelimited forms print at most one message per
 * second per call site.
 */
#pragma once
#include <linux/compiler.h>

#define LOGLEVEL_ERR 3
#define LOGLEVEL_WARNING 4
#define LOGLEVEL_INFO 6
#define LOGLEVEL_DEBUG 7

__attribute__((__format__(__printf__, 2, 3))) void
khooks_printk(int level, const char *fmt, ...);
bool __khooks_ratelimit(long long *last_ns);
void khooks_printk_level(int max_level);
/*
 * Messages of level @level or more urgent, printed or not (silenced,
 * rate-limited), count for the calling thread (the calling virtual CPU in a
 * run of <khooks/vcpu.h>): khooks_err_count() is how many errors it logged,
 * so a harness can tell that a call it made into the kernel-form code
 * reported one (a CMD_SYNC timeout)
 */
void khooks_printk_count(int level);
unsigned long khooks_err_count(void);

#define pr_err(fmt, ...) khooks_printk(LOGLEVEL_ERR, fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...) khooks_printk(LOGLEVEL_WARNING, fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...) khooks_printk(LOGLEVEL_INFO, fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) khooks_printk(LOGLEVEL_DEBUG, fmt, ##__VA_ARGS__)
#define __pr_ratelimited(lvl, fmt, ...)                         \
	do {                                                    \
		static long long __last_ns;                     \
		if (__khooks_ratelimit(&__last_ns))             \
			khooks_printk(lvl, fmt, ##__VA_ARGS__); \
		else                                            \
			khooks_printk_count(lvl);               \
	} while (0)
#define pr_err_ratelimited(fmt, ...) \
	__pr_ratelimited(LOGLEVEL_ERR, fmt, ##__VA_ARGS__)
#define pr_warn_ratelimited(fmt, ...) \
	__pr_ratelimited(LOGLEVEL_WARNING, fmt, ##__VA_ARGS__)
#define dev_err(dev, fmt, ...) pr_err(fmt, ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...) pr_warn(fmt, ##__VA_ARGS__)
#define dev_info(dev, fmt, ...) pr_info(fmt, ##__VA_ARGS__)
#define dev_err_ratelimited(dev, fmt, ...) \
	pr_err_ratelimited(fmt, ##__VA_ARGS__)
#define pci_err(pdev, fmt, ...) pr_err(fmt, ##__VA_ARGS__)
#define pci_warn(pdev, fmt, ...) pr_warn(fmt, ##__VA_ARGS__)
