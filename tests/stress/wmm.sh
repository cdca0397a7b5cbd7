#!/bin/bash
# atcbench-wmm stress (ctest stress_wmm, label "stress"): the driver on
# weakly ordered CPUs, as threads in real time and as virtual CPUs
# interleaved by the seed's schedule (--clock vcpu): no violation, one seed
# one run, an injected bug caught; atcbench itself has no virtual CPUs.
# usage: wmm.sh ATCBENCH WORKDIR
# shellcheck source=tests/stress/lib.sh
. "$(dirname "$0")/lib.sh"

# atcbench-wmm: the same driver on weakly ordered CPUs (its mappers and
# churners), a real-time churn and timeout storm without a violation
for s in churn timeout-storm; do
	"${bin%/*}/atcbench-wmm" stress $s --duration 300ms --warmup 50ms \
		--churners 1 --seed "$seed" --name "wmm-$s" --out "$work" \
		>"$work/out" 2>"$work/err" ||
		bad "atcbench-wmm stress $s: exit $?: $(cat "$work/err")"
done

# atcbench-wmm --clock vcpu: each role a virtual CPU, interleaved by the
# seed's schedule (adversarial preemptions included): no violation, and the
# same seed gives the same run, whatever runs beside it; atcbench itself
# has no virtual CPUs and says so
for n in 1 2; do
	"${bin%/*}/atcbench-wmm" stress timeout-storm --clock vcpu \
		--duration 20ms --warmup 0 --domains 1 --churners 1 \
		--fault-interval 4ms --fault-duration 1ms --seed "$seed" \
		--name "vcpu$n" --out "$work" >"$work/out" 2>"$work/err" ||
		bad "atcbench-wmm --clock vcpu: exit $?: $(cat "$work/out" "$work/err")"
	jq -S 'del(.command, .name, .topology, .sim_cpu_s, .machine_load)' \
		"$work/stress-vcpu$n.json" >"$work/vcpu$n"
done
cmp -s "$work/vcpu1" "$work/vcpu2" || bad "vcpu runs differ for one seed"
jq -e '.quarantines > 0 and .vcpu_switches > 0 and .ops > 0' \
	"$work/stress-vcpu1.json" >/dev/null ||
	bad "vcpu: $(jq -c '[.ops, .quarantines, .vcpu_switches]' "$work/stress-vcpu1.json")"
"${bin%/*}/atcbench-wmm" stress churn --clock vcpu --duration 10ms \
	--warmup 0 --seed "$seed" --name vcpu-churn --out "$work" \
	>"$work/out" 2>"$work/err" ||
	bad "atcbench-wmm churn --clock vcpu: exit $?: $(cat "$work/out" "$work/err")"
# an injected bug is caught there, and its reproduce line names the binary
"${bin%/*}/atcbench-wmm" stress churn --clock vcpu --duration 20ms \
	--warmup 0 --inject-bug install-invs-after-ste --seed "$seed" \
	--name vcpu-bug --out "$work" >"$work/out" 2>"$work/err"
st=$?
[ $st = 1 ] && grep -q "reproduce with: atcbench-wmm stress churn --seed $seed" \
	"$work/out" ||
	bad "atcbench-wmm --clock vcpu --inject-bug: exit $st: $(cat "$work/out")"
run 2 churn --clock vcpu --duration 10ms
grep -q "atcbench-wmm only" "$work/err" ||
	bad "atcbench --clock vcpu: $(cat "$work/err")"

finish "stress wmm"
