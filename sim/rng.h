/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_rng: splitmix64, the seeded generator of every random choice of a
 * simulation (fault plans, isolation sweeps), so that a seed reproduces a run.
 */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <linux/types.h>

/* One step of splitmix64 on a counter: also a good 64-bit hash */
static inline u64 sim_rng_mix(u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static inline u64 sim_rng_next(u64 *state)
{
	*state = sim_rng_mix(*state);
	return *state;
}

/* Uniform in [0, 1) */
static inline double sim_rng_uniform(u64 *state)
{
	return (sim_rng_next(state) >> 11) * (1.0 / (1ULL << 53));
}

/* Uniform in [0, bound), bound > 0 (multiply-shift; bias below 2^-32) */
static inline u32 sim_rng_below(u64 *state, u32 bound)
{
	return (u32)(((sim_rng_next(state) >> 32) * bound) >> 32);
}

#endif /* SIM_RNG_H */
