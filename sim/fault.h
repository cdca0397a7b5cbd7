/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_fault: seeded, deterministic fault plans for the simulated devices.
 *
 * Text format, one statement per line ('#' starts a comment; times are an
 * integer with a unit: ns, us, ms or s, counted from the start of the run):
 *
 *   seed N                            the plan's own seed (else the run's)
 *   drop SID PROB [from T1 to T2]     each ATC_INV to SID goes unanswered
 *                                     with probability PROB (0..1), only
 *                                     within [T1, T2) if given
 *   illegal PROB [from T1 to T2]      each command other than a CMD_SYNC
 *                                     that an SMMU consumes is read with
 *                                     PROB as an illegal opcode (its slot
 *                                     corrupted: sim_smmu_inject_illegal())
 *   at T SID STATE [DELAY] [for D]    at T, SID's device enters STATE
 *                                     (responsive, unresponsive, slow DELAY,
 *                                     resetting, surprise-reset); "for D"
 *                                     makes it responsive again after D
 *
 * Example: "at 5ms 3 unresponsive for 20ms".
 *
 * Determinism: each drop or illegal rule draws from its own generator,
 * seeded from the plan's seed and the rule's line, in the order its SID's
 * ATC_INVs arrive (an illegal rule's: the order the SMMUs consume commands);
 * events fire in time order (ties in file order).  Runs in virtual time are
 * therefore reproducible from the seed.
 *
 * Synchronisation: a plan is shared by the SMMUs of a run; its mutable
 * state (generators, next event) is under its own lock.
 */
#ifndef SIM_FAULT_H
#define SIM_FAULT_H

#include <stddef.h>
#include <linux/types.h>

#include "dev.h"

#define SIM_FAULT_MAX_STATEMENTS 4096
#define SIM_FAULT_MAX_LINE 1024
#define SIM_FAULT_MAX_TIME_NS (86400ULL * 1000000000ULL) /* one day */

struct sim_fault_plan;

/* Called when an event fires: put SID's device in @state */
typedef void (*sim_fault_apply_fn)(void *arg, u32 sid, enum sim_dev_state state,
				   u64 delay_ns);

/*
 * Parse @text.  On error returns -EINVAL and writes "line N: reason" to
 * @err; -ENOMEM when out of memory.  @seed is used unless the plan has a
 * "seed" line.
 */
int sim_fault_parse(const char *text, u64 seed, struct sim_fault_plan **out,
		    char *err, size_t errlen);
/* The same for a file; -errno when it cannot be read */
int sim_fault_parse_file(const char *path, u64 seed,
			 struct sim_fault_plan **out, char *err, size_t errlen);
void sim_fault_free(struct sim_fault_plan *plan);
u64 sim_fault_seed(const struct sim_fault_plan *plan);

/* Set the run's time origin and rewind the plan */
void sim_fault_start(struct sim_fault_plan *plan, u64 t0_ns);
/* Fire the events due at @now_ns */
void sim_fault_tick(struct sim_fault_plan *plan, u64 now_ns,
		    sim_fault_apply_fn apply, void *arg);
/* Whether the ATC_INV to @sid arriving at @now_ns goes unanswered */
bool sim_fault_drop(struct sim_fault_plan *plan, u32 sid, u64 now_ns);
/* Whether the plan has illegal rules (else sim_fault_illegal() never fires) */
bool sim_fault_has_illegal(const struct sim_fault_plan *plan);
/* Whether the command an SMMU consumes at @now_ns is read as illegal */
bool sim_fault_illegal(struct sim_fault_plan *plan, u64 now_ns);
/* SIDs the plan names, for checking them against the devices */
size_t sim_fault_sids(const struct sim_fault_plan *plan, u32 *sids, size_t max);

#endif /* SIM_FAULT_H */
