// SPDX-License-Identifier: GPL-2.0
/* Shim: the system workqueue on one pthread (see linux/workqueue.h) */
#include <pthread.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>

static pthread_mutex_t wq_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wq_cond = PTHREAD_COND_INITIALIZER;
static struct work_struct *wq_head, **wq_tail = &wq_head;
static struct work_struct *wq_running;
static bool wq_started;
static bool wq_deferred;

/* Take the first queued work (under wq_lock) */
static struct work_struct *wq_pop(void)
{
	struct work_struct *work = wq_head;

	wq_head = work->next;
	if (!wq_head)
		wq_tail = &wq_head;
	work->pending = false;
	return work;
}

static void *wq_worker(void *arg)
{
	rcu_register_thread();
	pthread_mutex_lock(&wq_lock);
	for (;;) {
		struct work_struct *work;

		while (!wq_head || wq_deferred)
			pthread_cond_wait(&wq_cond, &wq_lock);
		work = wq_pop();
		wq_running = work;
		pthread_mutex_unlock(&wq_lock);

		work->func(work);

		pthread_mutex_lock(&wq_lock);
		wq_running = NULL;
		pthread_cond_broadcast(&wq_cond);
	}
	return NULL;
}

bool schedule_work(struct work_struct *work)
{
	pthread_t tid;
	bool queued = false;

	pthread_mutex_lock(&wq_lock);
	if (!wq_started && !wq_deferred &&
	    !pthread_create(&tid, NULL, wq_worker, NULL)) {
		pthread_detach(tid);
		wq_started = true;
	}
	if ((wq_started || wq_deferred) && !work->pending) {
		work->pending = true;
		work->next = NULL;
		*wq_tail = work;
		wq_tail = &work->next;
		queued = true;
		pthread_cond_broadcast(&wq_cond);
	}
	pthread_mutex_unlock(&wq_lock);
	return queued;
}

bool cancel_work_sync(struct work_struct *work)
{
	struct work_struct **p;
	bool was_pending = false;

	pthread_mutex_lock(&wq_lock);
	for (p = &wq_head; *p; p = &(*p)->next) {
		if (*p != work)
			continue;
		*p = work->next;
		if (!*p)
			wq_tail = p;
		work->pending = false;
		was_pending = true;
		break;
	}
	while (wq_running == work)
		pthread_cond_wait(&wq_cond, &wq_lock);
	pthread_mutex_unlock(&wq_lock);
	return was_pending;
}

void khooks_workqueue_set_deferred(bool deferred)
{
	flush_scheduled_work();
	pthread_mutex_lock(&wq_lock);
	wq_deferred = deferred;
	pthread_cond_broadcast(&wq_cond);
	pthread_mutex_unlock(&wq_lock);
}

void flush_scheduled_work(void)
{
	pthread_mutex_lock(&wq_lock);
	while (wq_deferred && wq_head) {
		struct work_struct *work = wq_pop();

		pthread_mutex_unlock(&wq_lock);
		work->func(work);
		pthread_mutex_lock(&wq_lock);
	}
	while (wq_head || wq_running)
		pthread_cond_wait(&wq_cond, &wq_lock);
	pthread_mutex_unlock(&wq_lock);
}
