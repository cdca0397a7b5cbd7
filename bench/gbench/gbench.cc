// SPDX-License-Identifier: GPL-2.0
// gbench: the C binding of Google Benchmark (see gbench.h).  This is the
// only C++ file of atcbench.
#include <benchmark/benchmark.h>

#include <valgrind/callgrind.h>

#include <cerrno>
#include <new>
#include <string>

#include "gbench/gbench.h"
extern "C" {
#include "lib/load.h"
}

struct gbench_state {
	benchmark::State *st;
	int64_t calls; /* of gbench_keep_running() */
	bool collecting; /* callgrind collects (icount mode only) */
	bool counting; /* past the warm-up iteration (icount mode only) */
};

/* Iterations of every benchmark in icount mode; 0 otherwise */
static int64_t gbench_icount_iterations;
/* Run once between the warm-up iteration and the counted ones */
static void (*gbench_icount_quiesce_fn)(void);

static void gbench_collect(struct gbench_state *st, bool on)
{
	if (st->collecting == on)
		return;
	CALLGRIND_TOGGLE_COLLECT;
	st->collecting = on;
}

extern "C" void gbench_icount(int64_t iterations)
{
	gbench_icount_iterations = iterations;
}

extern "C" void gbench_icount_quiesce(void (*fn)(void))
{
	gbench_icount_quiesce_fn = fn;
}

extern "C" bool gbench_icount_mode(void)
{
	return gbench_icount_iterations > 0;
}

extern "C" bool gbench_on_valgrind(void)
{
	return RUNNING_ON_VALGRIND;
}

static benchmark::State &S(struct gbench_state *st)
{
	return *st->st;
}

static benchmark::internal::Benchmark *B(struct gbench *b)
{
	return reinterpret_cast<benchmark::internal::Benchmark *>(b);
}

/* The load counters of a run since @a: load_others_cpus, _steal, _under */
static void gbench_load_counters(benchmark::State *state,
				 const struct load_sample *a)
{
	const auto avg = benchmark::Counter::kAvgThreads;
	struct load l;

	if (load_since(a, &l))
		return;
	state->counters["load_others_cpus"] = benchmark::Counter(l.others, avg);
	state->counters["load_steal"] = benchmark::Counter(l.steal, avg);
	state->counters["load_under"] = benchmark::Counter(l.under, avg);
}

extern "C" struct gbench *gbench_register(const char *name, gbench_fn fn,
					  void *arg)
{
	try {
		std::string desc(name);
		auto *b = benchmark::RegisterBenchmark(
			name, [fn, arg, desc](benchmark::State &state) {
				struct gbench_state st = { &state, 0, false,
							   false };
				struct load_sample l0;

				if (gbench_icount_iterations) {
					fn(&st, arg);
					gbench_collect(&st, false);
					CALLGRIND_DUMP_STATS_AT(desc.c_str());
					return;
				}
				/*
				 * What else ran while it was measured, in its
				 * row: the same figure from every thread
				 */
				int err = load_sample(&l0);

				fn(&st, arg);
				if (!err)
					gbench_load_counters(&state, &l0);
			});
		if (gbench_icount_iterations) {
			/* The first iteration is the uncounted warm-up */
			b->Iterations(gbench_icount_iterations + 1);
			b->Repetitions(1);
		}
		return reinterpret_cast<struct gbench *>(b);
	} catch (const std::bad_alloc &) {
		return nullptr;
	}
}

extern "C" void gbench_threads(struct gbench *b, int threads)
{
	B(b)->Threads(threads);
}

extern "C" void gbench_use_real_time(struct gbench *b)
{
	B(b)->UseRealTime();
}

extern "C" void gbench_use_manual_time(struct gbench *b)
{
	B(b)->UseManualTime();
}

extern "C" void gbench_min_time(struct gbench *b, double seconds)
{
	B(b)->MinTime(seconds);
}

extern "C" void gbench_iterations(struct gbench *b, int64_t iterations)
{
	B(b)->Iterations(iterations);
}

/*
 * icount mode: the iteration that follows the first call is the warm-up
 * (first touches, lazily built state); at the second call the quiesce hook
 * settles what the warm-up left in flight, then callgrind collects until the
 * last call.
 */
static void gbench_icount_step(struct gbench_state *st, bool more)
{
	if (++st->calls == 2 && more) {
		if (gbench_icount_quiesce_fn)
			gbench_icount_quiesce_fn();
		st->counting = true;
	}
	gbench_collect(st, more && st->counting);
}

extern "C" bool gbench_keep_running(struct gbench_state *st)
{
	bool more = S(st).KeepRunning();

	if (__builtin_expect(gbench_icount_iterations != 0, 0))
		gbench_icount_step(st, more);
	return more;
}

extern "C" int gbench_thread_index(const struct gbench_state *st)
{
	return st->st->thread_index();
}

extern "C" int gbench_thread_count(const struct gbench_state *st)
{
	return st->st->threads();
}

extern "C" int64_t gbench_iterations_done(const struct gbench_state *st)
{
	return st->st->iterations();
}

extern "C" void gbench_pause_timing(struct gbench_state *st)
{
	if (gbench_icount_iterations)
		gbench_collect(st, false);
	S(st).PauseTiming();
}

extern "C" void gbench_resume_timing(struct gbench_state *st)
{
	S(st).ResumeTiming();
	if (gbench_icount_iterations)
		gbench_collect(st, st->counting);
}

extern "C" void gbench_set_iteration_time(struct gbench_state *st,
					  double seconds)
{
	S(st).SetIterationTime(seconds);
}

extern "C" void gbench_counter(struct gbench_state *st, const char *name,
			       double value, unsigned int flags)
{
	int f = benchmark::Counter::kDefaults;

	if (flags & GBENCH_COUNTER_RATE)
		f |= benchmark::Counter::kIsRate;
	if (flags & GBENCH_COUNTER_AVG_THREADS)
		f |= benchmark::Counter::kAvgThreads;
	if (flags & GBENCH_COUNTER_ITERATION_INVARIANT)
		f |= benchmark::Counter::kIsIterationInvariant;
	if (flags & GBENCH_COUNTER_AVG_ITERATIONS)
		f |= benchmark::Counter::kAvgIterations;
	if (flags & GBENCH_COUNTER_INVERT)
		f |= benchmark::Counter::kInvert;
	S(st).counters[name] = benchmark::Counter(
		value, static_cast<benchmark::Counter::Flags>(f));
}

extern "C" void gbench_set_items_processed(struct gbench_state *st,
					   int64_t items)
{
	S(st).SetItemsProcessed(items);
}

extern "C" void gbench_set_label(struct gbench_state *st, const char *label)
{
	S(st).SetLabel(label);
}

extern "C" void gbench_skip_with_error(struct gbench_state *st,
				       const char *msg)
{
	S(st).SkipWithError(msg);
}

extern "C" void gbench_add_context(const char *key, const char *value)
{
	benchmark::AddCustomContext(key, value);
}

extern "C" int gbench_init(int *argc, char **argv)
{
	benchmark::Initialize(argc, argv);
	if (benchmark::ReportUnrecognizedArguments(*argc, argv))
		return -EINVAL;
	return 0;
}

extern "C" size_t gbench_run(void)
{
	return benchmark::RunSpecifiedBenchmarks();
}

extern "C" void gbench_shutdown(void)
{
	benchmark::Shutdown();
}
