#!/bin/bash
# atcbench stress on other worlds, in virtual time (ctest stress_worlds,
# label "stress"): stage-2 nesting parents, range TLBIs with devices
# without ATS and a PASID, two SMMUs, illegal commands, lost completions;
# each judged by the oracle as ever.
# usage: worlds.sh ATCBENCH WORKDIR
# shellcheck source=tests/stress/lib.sh
. "$(dirname "$0")/lib.sh"

# Stage-2 nesting parents: the S2 walk and ATS_FULL invalidations, judged
run 0 churn --clock virtual --duration 200ms --warmup 0 --nested true \
	--name nested
[ "$(field "$work/stress-nested.json" .translations)" -gt 0 ] &&
	[ "$(field "$work/stress-nested.json" .attaches)" -gt 0 ] ||
	bad "nested: no translation through a stage-2 STE, or no attach"
# Range TLBIs, devices without ATS (their DMA fills the SMMU's TLB) and a
# device at a PASID (ATC_INVs with SSIDs), judged like any run
run 0 churn --clock virtual --duration 100ms --warmup 0 --range-inv true \
	--op-pages 5 --non-ats 1 --pasid 1 --name ril
# Two SMMUs, two domains each: both execute commands, devices move between
# the domains of their SMMU, timeouts are isolated on both, judged as ever
run 0 timeout-storm --clock virtual --duration 300ms --warmup 0 --smmus 2 \
	--domains 4 --churners 1 --fault-interval 20ms --fault-duration 5ms \
	--name smmus
jq -e '(.smmu_commands_each | length == 2 and all(. > 0)) and
	.attaches > 0 and .quarantines > 0' "$work/stress-smmus.json" >/dev/null ||
	bad "smmus: an SMMU without commands, or no attach or quarantine: $(jq -c '[.smmu_commands_each, .attaches, .quarantines]' "$work/stress-smmus.json")"
# Illegal commands on two SMMUs while a churner moves devices: each is
# replaced by the driver's error handler (no storm), judged as ever
run 0 churn --clock virtual --duration 100ms --warmup 0 --smmus 2 \
	--domains 4 --fault illegal --fault-interval 2ms --fault-duration 1ms \
	--name illegal
jq -e '.illegal_commands > 0 and .illegal_commands == .smmu_errors and
	.illegal_storms == 0' "$work/stress-illegal.json" >/dev/null ||
	bad "illegal: $(jq -c '[.illegal_commands, .smmu_errors, .illegal_storms]' "$work/stress-illegal.json")"
# Lost completions: each fault makes a device leave one ATC_INV unanswered
# (its entries kept); each is at most one timeout, isolated, judged as ever
# with the mappers' prefetches filling the ATCs they invalidate
run 0 churn --clock virtual --duration 100ms --warmup 0 --fault lost \
	--fault-interval 2ms --fault-duration 1ms --name lost
jq -e '.timeouts > 0 and .timeouts <= .faults and .prefetches > 0' \
	"$work/stress-lost.json" >/dev/null ||
	bad "lost: $(jq -c '[.timeouts, .faults, .prefetches]' "$work/stress-lost.json")"

finish "stress worlds"
