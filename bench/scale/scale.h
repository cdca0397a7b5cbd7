/* SPDX-License-Identifier: GPL-2.0 */
/* scale: "atcbench scale" (bench/scale/internal.h) */
#ifndef SCALE_H
#define SCALE_H

int scale_cmd(int argc, char **argv);

#endif /* SCALE_H */
