/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gbench: a small C binding of Google Benchmark (1.7.1, as Debian ships it).
 *
 * Register benchmarks with a C function and an argument pointer, tune them
 * (threads, clocks, minimum time), then gbench_init() with the command line
 * (which consumes the --benchmark_* flags), gbench_run() and
 * gbench_shutdown().  Inside a benchmark, loop on gbench_keep_running().
 *
 * Threads: a benchmark with threads > 1 runs its function once per thread,
 * all threads entering the loop together.  Counters set by several threads
 * are summed (use GBENCH_COUNTER_AVG_THREADS to average them).
 */
#ifndef GBENCH_H
#define GBENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct gbench; /* a registered benchmark */
struct gbench_state; /* the running state of one thread */

typedef void (*gbench_fn)(struct gbench_state *st, void *arg);

/* Counter flags, as benchmark::Counter::Flags */
enum gbench_counter_flags {
	GBENCH_COUNTER_DEFAULT = 0,
	GBENCH_COUNTER_RATE = 1 << 0, /* divided by the duration */
	GBENCH_COUNTER_AVG_THREADS = 1 << 1, /* divided by the threads */
	GBENCH_COUNTER_ITERATION_INVARIANT = 1 << 2, /* times iterations */
	GBENCH_COUNTER_AVG_ITERATIONS = 1 << 3, /* divided by iterations */
	GBENCH_COUNTER_INVERT = 1 << 4, /* 1/x, applied last */
};

/*
 * Instruction counts (callgrind mode): gbench_icount(n), before any
 * registration, makes every benchmark registered afterwards run exactly
 * 1 + @n iterations, once.  The first is an uncounted warm-up; then the hook
 * given to gbench_icount_quiesce() runs (uncounted: it settles background
 * work the warm-up started, such as RCU callbacks), and callgrind collects
 * over the @n iterations left (from the second gbench_keep_running() to the
 * last, minus the paused stretches).  One profile is dumped per benchmark,
 * described by its registered name; run the process under
 * `valgrind --tool=callgrind --collect-atstart=no` with LD_BIND_NOW=1 (lazy
 * symbol binding in a window is not the code under test).  The cost per
 * iteration is the profile's total over @n.  Outside that mode the
 * collection toggles are never reached.
 */
void gbench_icount(int64_t iterations);
void gbench_icount_quiesce(void (*fn)(void));
bool gbench_icount_mode(void);
/* Whether the process runs under valgrind */
bool gbench_on_valgrind(void);

/* Registration (before gbench_run()); NULL when out of memory */
struct gbench *gbench_register(const char *name, gbench_fn fn, void *arg);
void gbench_threads(struct gbench *b, int threads);
void gbench_use_real_time(struct gbench *b);
void gbench_use_manual_time(struct gbench *b);
void gbench_min_time(struct gbench *b, double seconds);
void gbench_iterations(struct gbench *b, int64_t iterations);

/* Running */
bool gbench_keep_running(struct gbench_state *st);
int gbench_thread_index(const struct gbench_state *st);
int gbench_thread_count(const struct gbench_state *st);
int64_t gbench_iterations_done(const struct gbench_state *st);
void gbench_pause_timing(struct gbench_state *st);
void gbench_resume_timing(struct gbench_state *st);
void gbench_set_iteration_time(struct gbench_state *st, double seconds);
void gbench_counter(struct gbench_state *st, const char *name, double value,
		    unsigned int flags);
void gbench_set_items_processed(struct gbench_state *st, int64_t items);
void gbench_set_label(struct gbench_state *st, const char *label);
void gbench_skip_with_error(struct gbench_state *st, const char *msg);

/* Process */
void gbench_add_context(const char *key, const char *value);
/* Consumes the --benchmark_* flags; -EINVAL for an unknown flag */
int gbench_init(int *argc, char **argv);
/* Returns the number of benchmarks run */
size_t gbench_run(void);
void gbench_shutdown(void);

#ifdef __cplusplus
}
#endif

#endif /* GBENCH_H */
