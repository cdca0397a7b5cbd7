/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: the system workqueue, as one worker thread (kernel-hooks/shim/
 * workqueue.c) that runs queued work in order.  The thread is an RCU reader
 * like any kernel thread.
 */
#pragma once
#include <linux/types.h>

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	work_func_t func;
	struct work_struct *next;
	bool pending;
};

#define INIT_WORK(w, f)                                     \
	do {                                                \
		*(w) = (struct work_struct){ .func = (f) }; \
	} while (0)

/* Queue @work unless it is already queued; true if it was queued */
bool schedule_work(struct work_struct *work);
/* Dequeue @work if queued and wait for it to finish if running */
bool cancel_work_sync(struct work_struct *work);
/* Wait until every work queued so far has run */
void flush_scheduled_work(void);
/*
 * atcbench: with @deferred, queued work runs only in flush_scheduled_work(),
 * on the flushing thread, so that a single-threaded virtual-time run is a
 * function of its seed.
 */
void khooks_workqueue_set_deferred(bool deferred);
