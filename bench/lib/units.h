/* SPDX-License-Identifier: GPL-2.0 */
/* units: durations on the command line and in scenario files */
#ifndef UNITS_H
#define UNITS_H

#include <linux/types.h>

/*
 * A duration into *@ns: a decimal number ("3", "1.5") and a unit, ns, us,
 * ms, s, m or h; a bare number is seconds, as fio reads it.  0, -EINVAL
 * (not that: a sign, an exponent, hex, NaN, Infinity, an unknown unit),
 * -ERANGE (2^64 ns or more).
 */
int units_parse_ns(const char *s, u64 *ns);

/* For the messages about a bad duration */
#define UNITS_DURATION_SYNTAX "seconds, or a number with ns, us, ms, s, m or h"

#endif /* UNITS_H */
