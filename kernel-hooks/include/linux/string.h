/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: the string functions come from the C library */
#pragma once
#include <string.h>
