/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: local_clock(), the cheap per-CPU clock of tracing, supplied by the
 * platform (see <khooks/platform.h>).
 */
#pragma once
#include <khooks/platform.h>
