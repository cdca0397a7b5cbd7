// SPDX-License-Identifier: GPL-2.0
/*
 * stress: the host's run queues, as Linux accounts them (real time).
 *
 * A kernel CPU runs the command queue's owner, its CMD_SYNC waits and the
 * error interrupt with interrupts off: nothing preempts them.  Here every
 * role is a thread the host may keep off its CPU while it is ready to run,
 * for longer than the driver's 1 s CMD_SYNC time-out: the others' CMD_SYNCs
 * then time out for the host's sake.  Linux adds to a thread's run_delay
 * (/proc/self/task/TID/schedstat, second field) the time it waited on a run
 * queue, when it runs again.  The harness's thread reads it for every thread
 * of the process every STRESS_RUNQ_PERIOD_NS: a thread whose run_delay grew
 * by d in a period of length p waited once for d - p at least (its other
 * waits of the period fit in the period), ending in that period.  Such a
 * wait of STRESS_HOST_GAP_NS or more is a starvation, kept as the window
 * [period start - d, period end], which covers it.
 *
 * A CMD_SYNC the driver gave up on while a starvation window overlapped
 * its operation is the host's (stress_runq_starved()).  The wait is seen
 * only once the thread ran again, so the judgement comes at the end of the
 * run, after a last sample.  Where /proc has no schedstat the module is off
 * and nothing is the host's on its account.
 *
 * Synchronisation: the harness's thread samples; stress_runq_starved() is
 * called after the roles are joined.  No lock.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stress/internal.h"

/* A thread's run_delay, in ns; -errno when it cannot be read (it exited) */
static int stress_runq_read(int fd, u64 *delay)
{
	char buf[96];
	unsigned long long run, wait;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return n < 0 ? -errno : -ESRCH;
	buf[n] = '\0';
	if (sscanf(buf, "%llu %llu", &run, &wait) != 2)
		return -EINVAL;
	*delay = wait;
	return 0;
}

static void stress_runq_add_window(struct stress_runq *q, u64 from, u64 to)
{
	q->starvations++;
	if (q->nwin == STRESS_RUNQ_MAX_WINDOWS) {
		/* widen the last: an over-wide window only excuses more */
		q->win[q->nwin - 1].to = to;
		return;
	}
	q->win[q->nwin].from = from;
	q->win[q->nwin++].to = to;
}

void stress_runq_step(struct stress_runq *q, struct stress_runq_thread *t,
		      u64 now, u64 delay)
{
	u64 d = delay - t->delay, p = now - t->at;

	if (t->at && delay >= t->delay && d >= p + STRESS_HOST_GAP_NS) {
		q->starved_max_ns = max(q->starved_max_ns, d - p);
		stress_runq_add_window(q, t->at > d ? t->at - d : 0, now);
	}
	t->at = now;
	t->delay = delay;
}

/* The thread @tid: its slot, opened if new; NULL if it cannot be */
static struct stress_runq_thread *stress_runq_thread(struct stress_runq *q,
						     long tid)
{
	char path[64];
	unsigned int i;
	int fd;

	for (i = 0; i < q->n; i++)
		if (q->t[i].tid == tid)
			return &q->t[i];
	if (q->n == STRESS_RUNQ_MAX_THREADS)
		return NULL;
	snprintf(path, sizeof(path), "/proc/self/task/%ld/schedstat", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	q->t[q->n] = (struct stress_runq_thread){ .tid = tid, .fd = fd };
	return &q->t[q->n++];
}

void stress_runq_init(struct stress_runq *q)
{
	int fd = open("/proc/self/schedstat", O_RDONLY | O_CLOEXEC);
	u64 delay;

	memset(q, 0, sizeof(*q));
	q->on = fd >= 0 && !stress_runq_read(fd, &delay);
	if (fd >= 0)
		close(fd);
}

void stress_runq_sample(struct stress_runq *q, u64 now, bool now_anyway)
{
	struct dirent *de;
	unsigned int i, kept;
	DIR *dir;

	if (!q->on || (!now_anyway && q->sample_at &&
		       now - q->sample_at < STRESS_RUNQ_PERIOD_NS))
		return;
	q->sample_at = now;
	dir = opendir("/proc/self/task");
	if (!dir)
		return;
	for (i = 0; i < q->n; i++)
		q->t[i].seen = false;
	while ((de = readdir(dir))) {
		struct stress_runq_thread *t;
		long tid = strtol(de->d_name, NULL, 10);
		u64 delay;

		if (tid <= 0 || !(t = stress_runq_thread(q, tid)))
			continue;
		if (stress_runq_read(t->fd, &delay))
			continue;
		stress_runq_step(q, t, now, delay);
		t->seen = true;
	}
	closedir(dir);
	/* threads that exited leave */
	for (i = kept = 0; i < q->n; i++) {
		if (q->t[i].seen)
			q->t[kept++] = q->t[i];
		else
			close(q->t[i].fd);
	}
	q->n = kept;
}

bool stress_runq_starved(const struct stress_runq *q, u64 from, u64 to)
{
	unsigned int i;

	for (i = 0; i < q->nwin; i++)
		if (q->win[i].from <= to && from <= q->win[i].to)
			return true;
	return false;
}

void stress_runq_fini(struct stress_runq *q)
{
	unsigned int i;

	for (i = 0; i < q->n; i++)
		close(q->t[i].fd);
	q->n = 0;
}
