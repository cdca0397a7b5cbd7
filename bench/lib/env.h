/* SPDX-License-Identifier: GPL-2.0 */
/*
 * env: the machine and the build a results folder was measured with, in
 * its env.json (results/README.md describes the fields)
 */
#ifndef ENV_H
#define ENV_H

#include <stdbool.h>
#include <stddef.h>

/* env.json's "schema_version" (results/README.md describes the schema) */
#define ENV_SCHEMA_VERSION 1

/*
 * Write @dir/env.json: git, compiler and flags, kernel, CPU, topology and
 * NUMA mode, library versions, clock, seed, command line.
 */
int env_write(const char *dir, const char *cmdline, const char *clock,
	      unsigned long long seed);
/*
 * The same for one side of a comparison: @ref (what the user named) and
 * @sha (its commit) as "ref" and "git_sha", atcbench's own commit as
 * "atcbench_git_sha"
 */
int env_write_ref(const char *dir, const char *cmdline, const char *clock,
		  unsigned long long seed, const char *ref, const char *sha);

/* A real-kernel run's guest, env.json's "guest" */
struct env_guest {
	const char *topology, *dma_mode;
	unsigned int devices;
	bool ats;
};
/*
 * The same for a real-kernel run (clock "tcg"): @ref and @sha as
 * env_write_ref() (NULL: none), and the guest
 */
int env_write_guest(const char *dir, const char *cmdline, const char *ref,
		    const char *sha, const struct env_guest *guest);

/*
 * "atcbench COMMAND ARGS...", from a command's @argc and @argv (argv[0]
 * its name), into @buf of @len bytes: cut at @len - 1 bytes
 */
void env_cmdline(char *buf, size_t len, int argc, char **argv);

/*
 * Hand the command @cmd (@argc, @argv) to atcbench-wmm, the virtual-CPU
 * build beside this binary: no return if it runs, else says why on stderr
 * and returns a negative errno
 */
int env_exec_wmm(const char *cmd, int argc, char **argv);

#endif /* ENV_H */
