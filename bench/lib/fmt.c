// SPDX-License-Identifier: GPL-2.0
/* fmt: numbers for the text reports (see fmt.h) */
#include <stdio.h>
#include <string.h>

#include "lib/fmt.h"

const char *fmt_ns(double ns, char *buf, size_t len)
{
	static const struct {
		double div;
		const char *unit;
	} units[] = { { 1e9, "s" }, { 1e6, "ms" }, { 1e3, "us" } };
	unsigned int i;

	if (ns < 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	for (i = 0; i < 3; i++) {
		double v = ns / units[i].div;

		if (v < 1)
			continue;
		snprintf(buf, len,
			 v < 10	 ? "%.2f%s" :
			 v < 100 ? "%.1f%s" :
				   "%.0f%s",
			 v, units[i].unit);
		return buf;
	}
	snprintf(buf, len, "%.0fns", ns);
	return buf;
}

const char *fmt_count(double v, char *buf, size_t len)
{
	if (v >= 1e6)
		snprintf(buf, len, "%.2fM", v / 1e6);
	else if (v >= 1e4)
		snprintf(buf, len, "%.1fk", v / 1e3);
	else
		snprintf(buf, len, "%.0f", v);
	return buf;
}

void fmt_command(FILE *f, const char *cmd, unsigned int indent)
{
	unsigned int col = indent;
	const char *w = cmd, *sp;
	size_t n;

	fprintf(f, "%*s", (int)indent, "");
	while (*w) {
		sp = strchr(w, ' ');
		n = sp ? (size_t)(sp - w) : strlen(w);
		if (col > indent + 2 && col + 1 + n + 2 > FMT_COLUMNS) {
			fprintf(f, " \\\n%*s", (int)indent + 2, "");
			col = indent + 2;
		} else if (w != cmd) {
			fputc(' ', f);
			col++;
		}
		fwrite(w, 1, n, f);
		col += n;
		w += n;
		while (*w == ' ')
			w++;
	}
	fputc('\n', f);
}
