/* SPDX-License-Identifier: GPL-2.0 */
/* fmt: durations and counts in the few columns a text report gives them */
#ifndef FMT_H
#define FMT_H

#include <stddef.h>
#include <stdio.h>

#define FMT_COLUMNS 72 /* of a text report: fits a mail's quote */

/* A duration in at most 7 columns: 812ns, 1.10us, 12.3us, 1.20ms, 2.00s */
const char *fmt_ns(double ns, char *buf, size_t len);
/* A count in at most 7 columns: 812, 12.3k, 1.20M */
const char *fmt_count(double v, char *buf, size_t len);

/*
 * A command line at @indent columns, continued with " \\" on lines of
 * @indent + 2 within FMT_COLUMNS (a word longer than that stands alone):
 * pasted into a shell, it is the command
 */
void fmt_command(FILE *f, const char *cmd, unsigned int indent);

#endif /* FMT_H */
