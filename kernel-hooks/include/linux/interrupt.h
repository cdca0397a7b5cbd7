/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: interrupt lines.  request_irq()/free_irq() are supplied by the
 * platform (see <khooks/platform.h>), which calls the handler when its
 * device raises the line; a handler never runs concurrently with itself, as
 * in the kernel.
 */
#pragma once
#include <khooks/platform.h>

#define IRQF_SHARED 0x00000080
#define IRQF_ONESHOT 0x00002000
