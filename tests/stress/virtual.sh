#!/bin/bash
# atcbench stress in virtual time (ctest stress_virtual, label "stress"):
# the fault scenarios with every isolation strategy; a reset without
# prepare/done times out and is quarantined; a virtual run is a function of
# its seed; virtual p50 moves as the model's costs do; an open loop starts
# exactly rate x duration operations.
# usage: virtual.sh ATCBENCH WORKDIR
# shellcheck source=tests/stress/lib.sh
. "$(dirname "$0")/lib.sh"

# Fault scenarios with every strategy, in virtual time (about 10^5
# operations each: virtual time simulates about 10^6 per second)
for s in timeout-storm dpc reset-race; do
	for strat in linear bisect bisect-infer adaptive whole-batch; do
		run 0 "$s" --clock virtual --duration 100ms --warmup 0 \
			--fault-interval 20ms --fault-duration 5ms \
			--strategy "$strat" --name "v-$s-$strat"
		j=$work/stress-v-$s-$strat.json
		[ "$(field "$j" .oracle_violations)" = 0 ] ||
			bad "$s/$strat: violations"
		if [ "$s" != reset-race ]; then
			[ "$(field "$j" .quarantines)" -ge "$(field "$j" .faults)" ] &&
				[ "$(field "$j" .faults)" -gt 0 ] ||
				bad "$s/$strat: a fault went unquarantined"
			grep -q "	timeout	" "$work/stress-v-$s-$strat-events.tsv" ||
				bad "$s/$strat: no timeout event"
		else
			[ "$(field "$j" .resets)" -gt 0 ] &&
				[ "$(field "$j" .timeouts)" = 0 ] ||
				bad "$s/$strat: no reset, or timeouts despite prepare/done"
		fi
	done
done
# Without prepare/done a reset times out and goes through quarantine
run 0 reset-race --clock virtual --duration 100ms --warmup 0 \
	--fault-interval 20ms --fault-duration 5ms --reset-prepare false \
	--name v-reset-unprepared
j=$work/stress-v-reset-unprepared.json
[ "$(field "$j" .timeouts)" -gt 0 ] && [ "$(field "$j" .quarantines)" -gt 0 ] ||
	bad "unprepared resets: no timeout or quarantine"

# Virtual time: the same seed gives the same run
for n in 1 2; do
	run 0 timeout-storm --clock virtual --duration 100ms --churners 1 \
		--warmup 10ms --fault-interval 40ms --fault-duration 20ms \
		--name "det$n"
	jq -S 'del(.command, .name, .topology, .sim_cpu_s, .machine_load)' "$work/stress-det$n.json" \
		>"$work/det$n"
done
cmp -s "$work/det1" "$work/det2" || bad "virtual runs differ for one seed"

# Virtual latencies are the model's: an operation is a TLBI list and an
# ATC list, each ending in a CMD_SYNC, so doubling the sync's cost (50 ns)
# moves p50 by 2 x 50 ns; a device answering 300 ns later, by 300 ns
for c in "sync-latency 50ns" "sync-latency 100ns" "dev-latency 800ns"; do
	read -r k v <<<"$c"
	run 0 baseline --clock virtual --duration 100ms --warmup 0 \
		--"$k" "$v" --name "cost-$k-$v"
done
p50() { field "$work/stress-cost-$1.json" .metrics.inv_ns.p50; }
p0=$(p50 sync-latency-50ns) p1=$(p50 sync-latency-100ns)
p2=$(p50 dev-latency-800ns)
[ $((p1 - p0)) = 100 ] ||
	bad "virtual p50 $p0 -> $p1 ns with the sync cost doubled, want +100"
[ $((p2 - p0)) = 300 ] ||
	bad "virtual p50 $p0 -> $p2 ns with the device 300 ns slower, want +300"

# Open loop: in virtual time a mapper starts exactly rate x duration ops
run 0 baseline --clock virtual --duration 1s --warmup 0 --mappers 2 \
	--rate 5000 --name open
j=$work/stress-open.json
[ "$(field "$j" .load)" = open ] && [ "$(field "$j" .ops)" = 10000 ] ||
	bad "open loop: $(field "$j" .load), $(field "$j" .ops) ops, want 10000"

finish "stress virtual"
