/* SPDX-License-Identifier: GPL-2.0 */
/* units: durations on the command line and in scenario files */
#ifndef UNITS_H
#define UNITS_H

#include <linux/types.h>

/*
 * "50us", "1ms", "1.5s", "100ns" or a bare number of nanoseconds into *@ns:
 * 0, -EINVAL (not a duration, or an unknown unit), -ERANGE (above 2^64 ns).
 */
int units_parse_ns(const char *s, u64 *ns);

#endif /* UNITS_H */
