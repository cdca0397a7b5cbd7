/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_cmd: decode SMMUv3 commands as the specification names them, for
 * traces, `atcbench replay` and tests.
 */
#ifndef SIM_CMD_H
#define SIM_CMD_H

#include <linux/types.h>

/* "CMD_ATC_INV", ...; NULL for an opcode atcbench does not model */
const char *sim_cmd_name(u8 opcode);

/*
 * Format one command (two words) as its name and key=value fields, e.g.
 * "CMD_ATC_INV sid=3 ssid=0 ssv=0 addr=0x8000 size=2".  Returns the length
 * snprintf() would have written.
 */
int sim_cmd_format(const u64 *cmd, char *buf, size_t len);

#endif /* SIM_CMD_H */
