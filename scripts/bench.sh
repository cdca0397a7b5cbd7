#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh - install what is missing, build the release preset, run the
# default suite (micro benchmarks, every stress scenario, the isolation
# sweep, the reviewers' questions, the many-CPU curve of each command
# queue), draw the plots, write results/<run-id>/ and print the report.
#
# usage: scripts/bench.sh [--benchmark_* flags for the micro suite]
#   run-id = <UTC date>-<host>-<short sha>; RESULTS_DIR overrides results/.
#   By default every benchmark runs 5 times, randomly interleaved, for at
#   least 0.2 s each; flags given here come later and win.
#   STRESS_SECONDS (default 4) is the length of each fault-scenario run;
#   baseline and churn run their default 10 s.
# Exit status: 0; 1 when a run failed or found a violation or a WARN: every
# run still runs and everything is written, each failed run is a line of
# results/<run-id>/failed-runs (with its command), and report.txt starts
# with them; 2 bad arguments.
set -euo pipefail
cd "$(dirname "$0")/.."

for a in "$@"; do
	case $a in
	-h | --help)
		awk 'NR >= 4 && !/^#/ { exit } NR >= 4 { sub(/^# ?/, ""); print }' "$0"
		exit 0
		;;
	--benchmark_*) ;;
	*)
		echo "bench.sh: $a: only --benchmark_* flags (--help)" >&2
		exit 2
		;;
	esac
done

scripts/deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"

sha=$(git rev-parse --short HEAD 2>/dev/null || echo nogit)
run_id="$(date -u +%Y%m%dT%H%M%SZ)-$(hostname -s)-$sha"
out="${RESULTS_DIR:-results}/$run_id"
mkdir -p "$out"

# A run's machine_load (bench/lib/load.h) as load_fmt() prints it: others
# to a hundredth of a CPU, steal to a tenth of a percent
jq_load='def dec(n): (. * pow(10; n) | round) as $v | pow(10; n) as $p
	| "\($v / $p | floor).\($p + $v % $p | tostring | .[1:])";
def load: "others \(.others_cpus | dec(2)) CPUs, steal \(.steal * 100 | dec(1)) %"
	+ (if .under_load then ", UNDER LOAD" else "" end);'

# A run that fails (or, for stress, finds a violation or a WARN: exit 1)
# does not stop the suite: it is written to failed-runs, with the command
# that reproduces it, and bench.sh exits 1 after everything is written
fail() { # WHAT STATUS COMMAND...
	local what=$1 rc=$2
	shift 2
	echo "$what: exit $rc: $*" >>"$out/failed-runs"
	echo "bench.sh: FAILED: $what (exit $rc)" >&2
}
run() { # WHAT COMMAND...
	local what=$1 rc=0
	shift
	"$@" || rc=$?
	((rc == 0)) || fail "$what" $rc "$@"
}

run micro build/release/atcbench micro \
	--benchmark_repetitions=5 --benchmark_enable_random_interleaving=true \
	--benchmark_min_time=0.2 \
	--benchmark_out="$out/micro.json" --benchmark_out_format=json "$@"

# The design comparisons (time ratios of medians) are report.txt's, at the
# end: CPU time for one thread, wall time for several, as compare judges
# them (bench.sh printed its own in wall time, which contradicted them)

# What stress adds to an operation, against its floor on this machine: two
# clock reads and one record in one loop (measure/op_floor), same run
echo
[[ ! -s $out/micro.json ]] || jq -r '[.benchmarks[] | select(.aggregate_name == "median")
        | {key: .run_name, value: .cpu_time}] | from_entries
  | select(.["measure/op_floor"] and .["measure/mapper_op_overhead"])
  | "Measurement overhead per stress operation: \(.["measure/mapper_op_overhead"]
      * 10 | round / 10) ns; its floor, 2 clock reads + 1 record: \(
      .["measure/op_floor"] * 10 | round / 10) ns (ratio \(
      .["measure/mapper_op_overhead"] / .["measure/op_floor"] * 100 | round
      / 100))"' "$out/micro.json"
# The histogram's record, the harness's cost per measured operation; it
# was measured against HdrHistogram_c 0.11.10 outside the tree (HDR is not
# packaged), and that ratio is quoted, not measured here
[[ ! -s $out/micro.json ]] || jq -r '[.benchmarks[] | select(.aggregate_name == "median"
        and .run_name == "measure/lat_record")][0] // empty
  | "Histogram record (measure/lat_record): \(.cpu_time * 100 | round / 100) ns;"
    + " HdrHistogram_c 0.11.10 takes 1.8 to 2.7 times as long on the same"
    + " streams (lat/HDR 0.37 to 0.55, measured out of tree: docs/decisions.md)"' \
	"$out/micro.json"
# Each micro run carries what else the machine did meanwhile (load.h):
# the runs measured under load are named, with it
[[ ! -s $out/micro.json ]] || jq -r "$jq_load"'[.benchmarks[] | select(.run_type == "iteration")] as $all
  | [$all[] | select((.load_under // 0) > 0)] as $l
  | "micro: \($l | length) of \($all | length) runs measured under load (LOAD_OTHERS_MAX, LOAD_STEAL_MAX: bench/lib/load.h)"
    + ([$l[] | "\n  \(.name) #\(.repetition_index): "
        + ({others_cpus: .load_others_cpus, steal: .load_steal} | load)] | join(""))' \
	"$out/micro.json"

# The simulation's share of what the walker benchmarks measure: callgrind's
# instructions of sim/'s code inside the timed loop (sim-share.tsv)
echo
cg=$(mktemp -d)
run icount scripts/icount.sh --filter '^walker/|^cmdq/sync_bitmap/' \
	build/release/atcbench "$cg/icount.tsv"
echo "Simulation's share of the walker benchmarks' instructions:"
{
	printf 'benchmark\tinstructions_per_op\tsim_per_op\tsim_share\n'
	[[ ! -s $cg/icount.tsv ]] || awk -F'\t' 'NR > 1 {
		printf "%s\t%s\t%s\t%.3f\n", $1, $4, $5, $5 / $4 }' "$cg/icount.tsv"
} >"$out/sim-share.tsv"
# The goal (issue 31): at most 5 % from 64 entries, where the kernel's walk
# is long enough to be measured; above it, a row says so
awk -F'\t' 'NR > 1 { row[NR] = $0; if (length($1) > w) w = length($1) }
	END { for (i = 2; i <= NR; i++) { split(row[i], f, "\t")
		n = f[1]; sub(/.*entries:/, "", n)
		printf "  %-*s %5.1f %% (%.0f of %.0f instructions)%s\n", w, f[1],
			f[4] * 100, f[3], f[2],
			(n + 0 >= 64 && f[4] > 0.05) ? " ABOVE 5 % GOAL" : "" } }' \
	"$out/sim-share.tsv"
# The quarantine series' hot-path cost, exact (callgrind; this build's ISA):
# the ats_broken flag's per-entry lookup against the retyping proposal's
# walk, and the per-CMD_SYNC timeout check against the same loop without it
echo
echo "The series' hot-path cost, in instructions (exact, $(uname -m)):"
[[ ! -s $cg/icount.tsv ]] || awk -F'\t' '
	{ per[$1] = $4 }
	END {
		for (n = 8; n <= 4096; n *= 8) {
			a = per["walker/rcu/entries:" n]
			b = per["walker/rcu-invtype/entries:" n]
			if (a != "" && b != "")
				printf "  ats_broken lookup, %4d entries: %.1f per ATS entry\n", n, (a - b) / (n - 1)
		}
		t = per["cmdq/sync_bitmap/test_and_clear_bit"]
		z = per["cmdq/sync_bitmap/none"]
		if (t != "" && z != "")
			printf "  ATC timeout check: %.1f per CMD_SYNC\n", t - z
	}' "$cg/icount.tsv"
rm -rf "$cg"

# The isolation sweep (virtual time, deterministic for its seed); its
# speed line is kept for the summary of the simulation's speed
echo
run isolate build/release/atcbench isolate --sweep --seed 1 --out "$out" \
	2>&1 | tee "$out/.isolate.log" # + episodes/s
echo "mean isolation time (ms) and innocent devices quarantined, k = 1:"
[[ ! -s $out/isolate.json ]] || jq -r '.cells[] | select(.k == 1 and (.n == 8 or .n == 64 or .n == 512))
  | "  timeout \(.timeout_ns / 1000) us  n \(.n)  \(.strategy)"
    + "  \(.time_ns / 1e6 * 1000 | round / 1000) ms"
    + "  innocent \(.innocent_broken)"
    + (if .optimum_ns then "  optimum \(.optimum_ns / 1e6 * 1000 | round / 1000) ms" else "" end)' \
  "$out/isolate.json"

# The stress scenarios: baseline (1 and 2 mappers, three runs each) and
# churn at their defaults; each fault scenario with every isolation strategy
secs=${STRESS_SECONDS:-4}
stress() {
	local rc=0 name=$1 prev= a
	for a in "$@"; do
		[[ $prev != --name ]] || name=$a
		prev=$a
	done
	build/release/atcbench stress "$@" --seed 1 --out "$out" --progress off \
		>"$out/.stress.log" || rc=$?
	grep -v "^results:" "$out/.stress.log" || true
	rm -f "$out/.stress.log"
	((rc == 0)) ||
		fail "stress $name" $rc atcbench stress "$@" --seed 1 --progress off
}
echo
# three runs of each mapper count: the throughput plot's median and bar
for rep in "" -r2 -r3; do
	stress baseline --name "baseline$rep"
	stress baseline --mappers 1 --name "baseline-1mapper$rep"
done
stress churn
for strategy in linear bisect bisect-infer adaptive whole-batch; do
	stress timeout-storm --duration "${secs}s" --strategy $strategy \
		--name "storm-$strategy"
	stress reset-race --duration "${secs}s" --strategy $strategy \
		--name "reset-$strategy"
	stress dpc --duration "${secs}s" --strategy $strategy \
		--name "dpc-$strategy"
done
stress reset-race --duration "${secs}s" --reset-prepare false \
	--name reset-unprepared
# Virtual time, one core: the model's latencies, and how fast it simulates
# each scenario
stress baseline --clock virtual --name baseline-virtual
for scenario in churn timeout-storm reset-race dpc; do
	stress $scenario --clock virtual --duration "${secs}s" \
		--name "$scenario-virtual"
done
# The paths the defaults leave out, for the oracle: CMD_SYNC polled, not
# MSI; multi-page unmaps; batches big enough for bisection; a churner;
# range TLBIs (IDR3.RIL) of stage 1 and of stage 2; devices without ATS
# sharing a domain (whose TLB entries only the array's TLBIs reach); a
# device attached at a PASID (ATS entries and ATC_INVs with SSIDs); two
# SMMUs, each with its domains, queue, stream table and TLB
stress timeout-storm --clock virtual --duration 1s --msi false \
	--op-pages 3 --devices 16 --strategy bisect --churners 1 \
	--name oracle-wide
stress timeout-storm --clock virtual --duration 1s --smmus 2 --domains 4 \
	--churners 1 --fault-interval 20ms --fault-duration 5ms \
	--name oracle-smmus
stress churn --clock virtual --duration 1s --op-pages 5 --range-inv true \
	--non-ats 1 --pasid 1 --name oracle-ril
stress churn --clock virtual --duration 1s --nested true --op-pages 3 \
	--range-inv true --non-ats 2 --name oracle-nested

# How fast the simulation runs (goal: 10^6 operations or episodes per CPU
# second, issue 31): its figures are modelled and do not depend on it, but
# a slow model is a short run
echo
echo "The simulation's speed, per CPU second (goal 1 M), beside the machine's load:"
for f in "$out"/stress-*.json; do
	jq -r "$jq_load"'select(.clock == "virtual" and .sim_cpu_s > 0)
	  | (.ops / .sim_cpu_s) as $r
	  | "  \(.name): \($r / 1e6 | dec(2)) M operations"
	    + (if $r < 1e6 then " (BELOW GOAL)" else "" end)
	    + (.machine_load | if . then "; " + load else "" end)' "$f"
done
sed -n 's/^atcbench isolate: \([0-9]*\) episodes in .*: \([0-9]*\) episodes\/s (\(.*\))$/\2 \3/p' \
	"$out/.isolate.log" | while read -r rate load; do
	awk -v r="$rate" -v l="$load" 'BEGIN { printf "  isolation sweep: %.2f M episodes%s; %s\n",
		r / 1e6, r < 1e6 ? " (BELOW GOAL)" : "", l }'
done
rm -f "$out/.isolate.log"

# The reviewers' questions (atcbench review, modelled time): its report
# is printed here and kept in review/
echo
run review build/release/atcbench review --out "$out/review"

# Many CPUs in virtual time: the map+unmap curve on the kunpeng920-96
# profile beside the published one, with each command queue (modelled
# time; each folder has its plot), and how fast the scheduler runs
for q in lockfree fetch-add locked; do
	echo
	run "scale $q" build/release/atcbench scale --queue $q \
		--out "$out/scale-$q"
done
run "scale plots" scripts/plot.sh --out "$out" "$out/scale-lockfree" \
	"$out/scale-fetch-add" "$out/scale-locked" # + scale-variants
echo
echo "scale: interleaving points per host CPU second (goal: 10^6 at 96 CPUs):"
[[ ! -s $out/scale-lockfree/scale.json ]] || jq -r "$jq_load"'.points[]
  | "  \(.cpus) CPUs: \(.points_per_cpu_s / 1e6 | dec(2)) M"
    + " (\(.steps) points in \(.cpu_s) s; "
    + (.machine_load | if . then load else "load not measured" end) + ")"' \
	"$out/scale-lockfree/scale.json"

run plots scripts/plot.sh "$out"
echo
# report.txt starts with the violations, WARNs and failed runs
run report build/release/atcbench report "$out"
echo
echo "results: $out"
if [[ -s $out/failed-runs ]]; then
	echo "bench.sh: $(wc -l <"$out/failed-runs") run(s) failed or found" \
		"a violation or a WARN: $out/failed-runs, report.txt's first lines" >&2
	exit 1
fi
