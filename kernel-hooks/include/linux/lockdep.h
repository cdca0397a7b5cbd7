/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: lockdep annotations are no-ops */
#pragma once

#define lockdep_assert_held(l) \
	do {                   \
		(void)(l);     \
	} while (0)
#define lockdep_assert_not_held(l) \
	do {                       \
		(void)(l);         \
	} while (0)
#define lockdep_is_held(l) ((void)(l), 1)
