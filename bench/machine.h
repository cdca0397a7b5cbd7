/* SPDX-License-Identifier: GPL-2.0 */
/* machine: the env and topo commands (see machine.c) */
#ifndef MACHINE_H
#define MACHINE_H

/* "atcbench env DIR": write DIR/env.json */
int machine_env_cmd(int argc, char **argv);
/* "atcbench topo [--pin PLAN] [--threads N]" */
int machine_topo_cmd(int argc, char **argv);

#endif /* MACHINE_H */
