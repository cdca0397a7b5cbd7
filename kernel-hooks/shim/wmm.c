// SPDX-License-Identifier: GPL-2.0
/*
 * The store buffer of <khooks/wmm.h>: one per thread (per virtual CPU in
 * the khooks_vcpu build), of up to WMM_DEPTH entries.  An entry leaves it
 * by wmm_commit(), which first commits every older entry it must follow
 * (overlapping bytes, or both MMIO writes).
 */
#include <stdbool.h>
#include <string.h>
#include <khooks/platform.h>
#include <khooks/vcpu.h>
#include <khooks/wmm.h>

#define WMM_DEPTH 32
#define WMM_WAIT_ONE_IN 8 /* a wait commits each entry with these odds */
#define WMM_LOAD_ONE_IN 16 /* a load or RMW counts as a wait with these */

/* Which entries leave the buffer (wmm_leave()) */
enum wmm_pick { WMM_ALL, WMM_OVERLAP, WMM_RANDOM, WMM_HALF, WMM_MMIO };

struct wmm_entry {
	volatile void *addr;
	uint64_t val;
	uint64_t seq; /* program order */
	unsigned char size;
	unsigned char op; /* enum khooks_wmm_op */
	bool mmio;
	bool pick; /* chosen to leave by the current wait */
};

/* A call waiting until the stores older than @seq have left the buffer */
struct wmm_after {
	void (*fn)(void *arg);
	void *arg;
	uint64_t seq;
};

struct wmm_buf {
	bool on;
	bool busy; /* committing: what the commit calls is not buffered */
	bool calling; /* in a wmm_after call: no nested ones */
	uint64_t rng;
	uint64_t seq;
	unsigned int n;
	struct wmm_entry e[WMM_DEPTH];
	unsigned int nafter;
	struct wmm_after after[WMM_DEPTH];
};

#ifdef KHOOKS_VCPU
/*
 * The khooks_vcpu build: a buffer per virtual CPU of <khooks/vcpu.h> (and
 * the thread's own for code outside a run: real threads are CPUs too), and
 * every hook first an interleaving point
 */
static struct wmm_buf wmm_bufs[KHOOKS_VCPU_MAX_CPUS];
static __thread struct wmm_buf wmm_thread;

static struct wmm_buf *wmm_cur(void)
{
	unsigned int cpu = khooks_vcpu_self();

	return cpu == KHOOKS_VCPU_NONE ? &wmm_thread : &wmm_bufs[cpu];
}
#define wmm (*wmm_cur())
#define WMM_POINT(op, p, size) khooks_vcpu_access(op, p, size)
#define WMM_WRITTEN(p) khooks_vcpu_written(p)

unsigned int khooks_wmm_buffered(unsigned int cpu)
{
	return wmm_bufs[cpu].on ? wmm_bufs[cpu].n : 0;
}

#else
static __thread struct wmm_buf wmm;
#define WMM_POINT(op, p, size) ((void)0)
#define WMM_WRITTEN(p) ((void)0)
#endif

static uint64_t wmm_rand(void)
{
	/* splitmix64 */
	uint64_t z = (wmm.rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static bool wmm_overlap(const struct wmm_entry *e, const void *p, size_t size)
{
	uintptr_t a = (uintptr_t)e->addr, b = (uintptr_t)p;

	return a < b + size && b < a + e->size;
}

static bool wmm_must_follow(const struct wmm_entry *later,
			    const struct wmm_entry *earlier)
{
	if (later->mmio || earlier->mmio)
		return later->mmio && earlier->mmio;
	return wmm_overlap(earlier, (const void *)later->addr, later->size);
}

#define WMM_PERFORM(type, p, e)                                         \
	do {                                                            \
		type *__q = (p), __v = (type)(e)->val;                  \
                                                                        \
		switch ((e)->op) {                                      \
		case KHOOKS_WMM_STORE:                                  \
			__atomic_store_n(__q, __v, __ATOMIC_RELEASE);   \
			break;                                          \
		case KHOOKS_WMM_ADD:                                    \
			__atomic_fetch_add(__q, __v, __ATOMIC_RELEASE); \
			break;                                          \
		case KHOOKS_WMM_SUB:                                    \
			__atomic_fetch_sub(__q, __v, __ATOMIC_RELEASE); \
			break;                                          \
		case KHOOKS_WMM_OR:                                     \
			__atomic_fetch_or(__q, __v, __ATOMIC_RELEASE);  \
			break;                                          \
		case KHOOKS_WMM_AND:                                    \
			__atomic_fetch_and(__q, __v, __ATOMIC_RELEASE); \
			break;                                          \
		default:                                                \
			__atomic_fetch_xor(__q, __v, __ATOMIC_RELEASE); \
			break;                                          \
		}                                                       \
	} while (0)

static void wmm_perform(const struct wmm_entry *e)
{
	void *p = (void *)e->addr;

	WMM_WRITTEN(e->addr);
	if (e->mmio) {
		if (e->size == 8)
			writeq_relaxed(e->val, e->addr);
		else
			writel_relaxed((uint32_t)e->val, e->addr);
		return;
	}
	/* release: ThreadSanitizer keeps the edges of the stores it delays */
	switch (e->size) {
	case 1:
		WMM_PERFORM(uint8_t, p, e);
		break;
	case 2:
		WMM_PERFORM(uint16_t, p, e);
		break;
	case 4:
		WMM_PERFORM(uint32_t, p, e);
		break;
	default:
		WMM_PERFORM(uint64_t, p, e);
		break;
	}
}

static unsigned int wmm_index(uint64_t seq)
{
	unsigned int i = 0;

	while (wmm.e[i].seq != seq)
		i++;
	return i;
}

/* Commit entry @i, after the older entries it must follow */
static void wmm_commit(unsigned int i)
{
	struct wmm_entry e = wmm.e[i];
	unsigned int j;

	for (;;) {
		for (j = 0; j < i && !wmm_must_follow(&e, &wmm.e[j]); j++)
			;
		if (j == i)
			break;
		wmm_commit(j);
		i = wmm_index(e.seq); /* it moved down */
	}
	memmove(&wmm.e[i], &wmm.e[i + 1], (wmm.n - i - 1) * sizeof(wmm.e[0]));
	wmm.n--;
	wmm.busy = true;
	wmm_perform(&e);
	wmm.busy = false;
}

static bool wmm_active(void)
{
	return wmm.on && !wmm.busy;
}

/* The wmm_after calls whose stores have all left the buffer, in order */
static void wmm_call_after(void)
{
	uint64_t oldest = UINT64_MAX;
	unsigned int i;

	if (wmm.calling || !wmm.nafter)
		return;
	for (i = 0; i < wmm.n; i++)
		if (wmm.e[i].seq < oldest)
			oldest = wmm.e[i].seq;
	wmm.calling = true;
	while (wmm.nafter && wmm.after[0].seq <= oldest) {
		struct wmm_after a = wmm.after[0];

		memmove(&wmm.after[0], &wmm.after[1],
			--wmm.nafter * sizeof(wmm.after[0]));
		a.fn(a.arg);
	}
	wmm.calling = false;
}

/*
 * Commit the entries @how picks (WMM_OVERLAP: those that overlap @size
 * bytes at @p), in an order of the model's choice
 */
static void wmm_leave(enum wmm_pick how, const void *p, size_t size)
{
	unsigned int i, picked;

	if (!wmm_active())
		return;
	for (i = 0; i < wmm.n; i++) {
		struct wmm_entry *e = &wmm.e[i];

		switch (how) {
		case WMM_ALL:
			e->pick = true;
			break;
		case WMM_OVERLAP:
			e->pick = !e->mmio && wmm_overlap(e, p, size);
			break;
		case WMM_RANDOM:
			e->pick = wmm_rand() % WMM_WAIT_ONE_IN == 0;
			break;
		case WMM_HALF:
			e->pick = wmm_rand() % 2;
			break;
		case WMM_MMIO:
			e->pick = e->mmio;
			break;
		}
	}
	for (;;) {
		picked = 0;
		for (i = 0; i < wmm.n; i++)
			picked += wmm.e[i].pick;
		if (!picked)
			break;
		picked = wmm_rand() % picked;
		for (i = 0; !wmm.e[i].pick || picked--; i++)
			;
		wmm_commit(i);
	}
	wmm_call_after();
}

/* A store or RMW: into the buffer, or to memory when the model is off */
static void wmm_put(const struct wmm_entry *e)
{
	if (!wmm_active()) {
		wmm_perform(e);
		return;
	}
	if (wmm.n == WMM_DEPTH) {
		wmm_commit(wmm_rand() % wmm.n);
		wmm_call_after();
	}
	wmm.e[wmm.n] = *e;
	wmm.e[wmm.n].seq = wmm.seq++;
	wmm.e[wmm.n].pick = false;
	wmm.n++;
}

void khooks_wmm_after_stores(void (*fn)(void *arg), void *arg)
{
	/* No room to wait: empty the buffer, then nothing waits */
	if (wmm_active() && wmm.nafter == WMM_DEPTH)
		wmm_leave(WMM_ALL, NULL, 0);
	if (!wmm_active() || !wmm.n) {
		fn(arg);
		return;
	}
	wmm.after[wmm.nafter++] =
		(struct wmm_after){ .fn = fn, .arg = arg, .seq = wmm.seq };
}

static void wmm_fence(void)
{
	wmm_leave(WMM_ALL, NULL, 0);
}

#ifdef KHOOKS_VCPU
void khooks_wmm_interrupted(void)
{
	wmm_leave(WMM_HALF, NULL, 0);
}
#endif

static void wmm_wait(void)
{
	wmm_leave(WMM_RANDOM, NULL, 0);
}

void khooks_wmm_thread_start(uint64_t seed)
{
	wmm.rng = seed;
	wmm.seq = 0;
	wmm.n = 0;
	wmm.on = true;
}

void khooks_wmm_thread_stop(void)
{
	wmm_fence();
	wmm.on = false;
}

void khooks_wmm_store(void *p, const void *val, size_t size)
{
	struct wmm_entry e = { .addr = p, .size = size };

	WMM_POINT(KHOOKS_VCPU_STORE, p, size);
	memcpy(&e.val, val, size);
	wmm_put(&e);
}

void khooks_wmm_rmw(void *p, size_t size, enum khooks_wmm_op op, uint64_t val)
{
	WMM_POINT(KHOOKS_VCPU_STORE, p, size);
	wmm_put(&(struct wmm_entry){
		.addr = p, .val = val, .size = size, .op = op });
}

void khooks_wmm_mmio_write(volatile void *addr, uint64_t val, size_t size)
{
	WMM_POINT(KHOOKS_VCPU_MMIO, addr, size);
	wmm_put(&(struct wmm_entry){
		.addr = addr, .val = val, .size = size, .mmio = true });
}

void khooks_wmm_fence(void)
{
	wmm_fence();
}

void khooks_wmm_access(const void *p, size_t size, int order)
{
	WMM_POINT(order & KHOOKS_WMM_RMW ? KHOOKS_VCPU_RMW : KHOOKS_VCPU_LOAD,
		  p, size);
	order &= ~KHOOKS_WMM_RMW;
	if (order == __ATOMIC_RELEASE || order == __ATOMIC_ACQ_REL ||
	    order == __ATOMIC_SEQ_CST) {
		wmm_fence();
		return;
	}
	/* Stores drain in bounded time, even under a loop that only loads */
	if (wmm_active() && wmm_rand() % WMM_LOAD_ONE_IN == 0)
		wmm_wait();
	wmm_leave(WMM_OVERLAP, p, size);
}

void khooks_wmm_wait(void)
{
	WMM_POINT(KHOOKS_VCPU_WAIT, NULL, 0);
	wmm_wait();
}

void khooks_wmm_mmio_read(void)
{
	WMM_POINT(KHOOKS_VCPU_MMIO, NULL, 0);
	wmm_leave(WMM_MMIO, NULL, 0);
}
