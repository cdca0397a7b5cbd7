/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: MMIO accessors, supplied by the platform (see <khooks/platform.h>
 * for their ordering).
 */
#pragma once
#include <khooks/platform.h>
