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
	} units[] = { { "ns", 1 },  { "us", 1e3 }, { "ms", 1e6 },
		      { "s", 1e9 }, { "m", 60e9 }, { "h", 3600e9 },
		      { "", 1e9 } /* fio's convention: seconds */ };
	size_t digits = strspn(s, "0123456789"), frac = 0;
	unsigned int i;
	char *end;
	double v;

	/* Decimal only: no sign, exponent, hex, NaN or Infinity for strtod */
	if (!digits)
		return -EINVAL;
	if (s[digits] == '.') {
		frac = strspn(s + digits + 1, "0123456789");
		if (!frac)
			return -EINVAL;
		frac++;
	}
	errno = 0;
	v = strtod(s, &end);
	if (errno || end != s + digits + frac)
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
