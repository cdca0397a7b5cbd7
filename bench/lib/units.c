// SPDX-License-Identifier: GPL-2.0
/* units: duration parsing (see units.h) */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>

#include "lib/units.h"

int units_parse_ns(const char *s, u64 *ns)
{
	static const struct {
		const char *suffix;
		double mul;
	} units[] = { { "ns", 1 },
		      { "us", 1e3 },
		      { "ms", 1e6 },
		      { "s", 1e9 },
		      { "", 1 } };
	unsigned int i;
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || v < 0 || *s == '-')
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(units); i++) {
		if (strcmp(end, units[i].suffix))
			continue;
		v *= units[i].mul;
		if (v >= 18446744073709551615.0)
			return -ERANGE;
		*ns = (u64)(v + 0.5);
		return 0;
	}
	return -EINVAL;
}
