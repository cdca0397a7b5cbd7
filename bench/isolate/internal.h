/* SPDX-License-Identifier: GPL-2.0 */
/*
 * isolate/internal.h: what the isolate command's files share (isolate.h
 * is the interface)
 */
#ifndef ISOLATE_INTERNAL_H
#define ISOLATE_INTERNAL_H

#include "isolate/isolate.h"

#define EXIT_USAGE 2

/* output.c: isolate.json and isolate.tsv of @count cells into @dir */
int isolate_write(const char *dir, bool interrupted,
		  const struct isolate_grid *grid,
		  const struct isolate_cell *cells, int count);

#endif /* ISOLATE_INTERNAL_H */
