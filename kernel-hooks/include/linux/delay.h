/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: delays, supplied by the platform (see <khooks/platform.h>) */
#pragma once
#include <khooks/platform.h>
