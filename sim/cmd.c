// SPDX-License-Identifier: GPL-2.0
/* sim_cmd: decode SMMUv3 commands (see cmd.h) */
#include <stdio.h>
#include <arm-smmu-v3/arm-smmu-v3.h>

#include "cmd.h"

const char *sim_cmd_name(u8 opcode)
{
	switch (opcode) {
	case CMDQ_OP_PREFETCH_CFG:
		return "CMD_PREFETCH_CONFIG";
	case CMDQ_OP_CFGI_STE:
		return "CMD_CFGI_STE";
	case CMDQ_OP_CFGI_ALL:
		return "CMD_CFGI_ALL";
	case CMDQ_OP_CFGI_CD:
		return "CMD_CFGI_CD";
	case CMDQ_OP_TLBI_NH_ALL:
		return "CMD_TLBI_NH_ALL";
	case CMDQ_OP_TLBI_NH_ASID:
		return "CMD_TLBI_NH_ASID";
	case CMDQ_OP_TLBI_NH_VA:
		return "CMD_TLBI_NH_VA";
	case CMDQ_OP_TLBI_EL2_ALL:
		return "CMD_TLBI_EL2_ALL";
	case CMDQ_OP_TLBI_EL2_ASID:
		return "CMD_TLBI_EL2_ASID";
	case CMDQ_OP_TLBI_EL2_VA:
		return "CMD_TLBI_EL2_VA";
	case CMDQ_OP_TLBI_S12_VMALL:
		return "CMD_TLBI_S12_VMALL";
	case CMDQ_OP_TLBI_S2_IPA:
		return "CMD_TLBI_S2_IPA";
	case CMDQ_OP_TLBI_NSNH_ALL:
		return "CMD_TLBI_NSNH_ALL";
	case CMDQ_OP_ATC_INV:
		return "CMD_ATC_INV";
	case CMDQ_OP_PRI_RESP:
		return "CMD_PRI_RESP";
	case CMDQ_OP_RESUME:
		return "CMD_RESUME";
	case CMDQ_OP_CMD_SYNC:
		return "CMD_SYNC";
	default:
		return NULL;
	}
}

static int sim_cmd_format_tlbi_range(const u64 *cmd, char *buf, size_t len,
				     const char *name, bool asid, u64 addr_mask)
{
	int n = snprintf(buf, len, "%s", name);

	if (asid)
		n += snprintf(buf + n, len > n ? len - n : 0, " asid=%llu",
			      (unsigned long long)FIELD_GET(CMDQ_TLBI_0_ASID,
							    cmd[0]));
	n += snprintf(
		buf + n, len > n ? len - n : 0,
		" vmid=%llu addr=0x%llx num=%llu scale=%llu leaf=%llu ttl=%llu tg=%llu",
		(unsigned long long)FIELD_GET(CMDQ_TLBI_0_VMID, cmd[0]),
		(unsigned long long)(cmd[1] & addr_mask),
		(unsigned long long)FIELD_GET(CMDQ_TLBI_0_NUM, cmd[0]),
		(unsigned long long)FIELD_GET(CMDQ_TLBI_0_SCALE, cmd[0]),
		(unsigned long long)FIELD_GET(CMDQ_TLBI_1_LEAF, cmd[1]),
		(unsigned long long)FIELD_GET(CMDQ_TLBI_1_TTL, cmd[1]),
		(unsigned long long)FIELD_GET(CMDQ_TLBI_1_TG, cmd[1]));
	return n;
}

int sim_cmd_format(const u64 *cmd, char *buf, size_t len)
{
	u8 opcode = FIELD_GET(CMDQ_0_OP, cmd[0]);
	const char *name = sim_cmd_name(opcode);
	static const char *const cs_names[] = { "none", "irq", "sev", "res" };

	switch (opcode) {
	case CMDQ_OP_ATC_INV:
		return snprintf(
			buf, len,
			"%s sid=%llu ssid=%llu ssv=%llu addr=0x%llx size=%llu",
			name,
			(unsigned long long)FIELD_GET(CMDQ_ATC_0_SID, cmd[0]),
			(unsigned long long)FIELD_GET(CMDQ_ATC_0_SSID, cmd[0]),
			(unsigned long long)FIELD_GET(CMDQ_0_SSV, cmd[0]),
			(unsigned long long)(cmd[1] & CMDQ_ATC_1_ADDR_MASK),
			(unsigned long long)FIELD_GET(CMDQ_ATC_1_SIZE, cmd[1]));
	case CMDQ_OP_TLBI_NH_VA:
		return sim_cmd_format_tlbi_range(cmd, buf, len, name, true,
						 CMDQ_TLBI_1_VA_MASK);
	case CMDQ_OP_TLBI_S2_IPA:
		return sim_cmd_format_tlbi_range(cmd, buf, len, name, false,
						 CMDQ_TLBI_1_IPA_MASK);
	case CMDQ_OP_TLBI_NH_ASID:
		return snprintf(buf, len, "%s asid=%llu vmid=%llu", name,
				(unsigned long long)FIELD_GET(CMDQ_TLBI_0_ASID,
							      cmd[0]),
				(unsigned long long)FIELD_GET(CMDQ_TLBI_0_VMID,
							      cmd[0]));
	case CMDQ_OP_TLBI_NH_ALL:
	case CMDQ_OP_TLBI_S12_VMALL:
		return snprintf(buf, len, "%s vmid=%llu", name,
				(unsigned long long)FIELD_GET(CMDQ_TLBI_0_VMID,
							      cmd[0]));
	case CMDQ_OP_CFGI_STE:
		return snprintf(buf, len, "%s sid=%llu leaf=%llu", name,
				(unsigned long long)FIELD_GET(CMDQ_CFGI_0_SID,
							      cmd[0]),
				(unsigned long long)FIELD_GET(CMDQ_CFGI_1_LEAF,
							      cmd[1]));
	case CMDQ_OP_CMD_SYNC:
		return snprintf(buf, len, "%s cs=%s", name,
				cs_names[FIELD_GET(CMDQ_SYNC_0_CS, cmd[0])]);
	default:
		if (name)
			return snprintf(buf, len, "%s", name);
		return snprintf(buf, len, "CMD_UNKNOWN opcode=0x%02x", opcode);
	}
}
