/* SPDX-License-Identifier: GPL-2.0 */
/*
 * micro: the Google Benchmark suites of the hot path, run by
 * `atcbench micro`.
 */
#ifndef MICRO_H
#define MICRO_H

/* "atcbench micro [--icount N] [--benchmark_*...]" (cmd.c) */
int micro_cmd(int argc, char **argv);

/* Build the simulated worlds and register every benchmark */
int micro_register(void);
/* Tear down what micro_register() built, after gbench_run() */
void micro_unregister(void);

/* array.c: invs/{merge,unref,purge}/entries:N for the @n sizes @entries */
int micro_array_register(const unsigned int *entries, unsigned int n);

/* measure.c: the measure/ suite, and its teardown */
int micro_register_measure(void);
void micro_measure_unregister(void);

/* cmdq.c: the command queue suites (micro_register() calls them) */
int micro_cmdq_register(void);
void micro_cmdq_unregister(void);

#endif /* MICRO_H */
