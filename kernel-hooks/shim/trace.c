// SPDX-License-Identifier: GPL-2.0
/* The tracepoints' probes (see <trace/events/arm_smmu_v3.h>) */
#include <trace/events/arm_smmu_v3.h>

struct arm_smmu_trace_probes arm_smmu_trace_probes;
