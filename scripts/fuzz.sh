#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz.sh - the long libFuzzer runs: builds the fuzz preset (clang, ASan +
# UBSan) and runs each target for RUNS executions (default 10^7), starting
# from the tree's corpus (tests/fuzz/corpus/TARGET; new inputs go to
# build/fuzz/corpus/TARGET, never into the tree).  A crash stops with the
# input's path: fix the parser, then keep the input in the tree's corpus as
# a regression input (ctest's fuzz pass replays it).
#
# usage: scripts/fuzz.sh [--runs N] [TARGET...]
#   TARGET: replay, fault_plan, scenario, results (default: all four)
# Exit status: 0 no crash, 1 a crash, leak or timeout, 2 bad usage.
set -euo pipefail
cd "$(dirname "$0")/.."
targets_all=(replay fault_plan scenario results)
runs=10000000 targets=()
while (($#)); do
	case $1 in
	-h | --help)
		sed -n 's/^# \{0,1\}//; 4,14p' "$0"
		exit 0
		;;
	--runs)
		[[ ${2:-} =~ ^[1-9][0-9]*$ ]] || {
			echo "fuzz.sh: --runs takes a decimal count" >&2
			exit 2
		}
		runs=$2
		shift 2
		;;
	replay | fault_plan | scenario | results)
		targets+=("$1")
		shift
		;;
	*)
		echo "fuzz.sh: unknown argument '$1' (--help)" >&2
		exit 2
		;;
	esac
done
((${#targets[@]})) || targets=("${targets_all[@]}")

scripts/deps.sh
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
for t in "${targets[@]}"; do
	corpus=build/fuzz/corpus/$t artifacts=build/fuzz/artifacts/$t
	mkdir -p "$corpus" "$artifacts"
	log=build/fuzz/fuzz-$t.log
	echo "fuzz.sh: $t, $runs runs (log: $log)"
	scripts/heartbeat.sh "fuzz.sh: $t" "$log" &
	hb=$!
	st=0
	build/fuzz/tests/fuzz_$t -runs="$runs" -max_len=4096 -timeout=20 \
		-print_final_stats=1 -artifact_prefix="$artifacts/" \
		"$corpus" "tests/fuzz/corpus/$t" >"$log" 2>&1 || st=$?
	kill $hb 2>/dev/null || true
	wait $hb 2>/dev/null || true
	grep -E '^stat::number_of_executed_units|^Done' "$log" | sed "s/^/fuzz.sh: $t: /"
	if ((st != 0)); then
		grep -E 'ERROR|SUMMARY' "$log" | head -n 5
		echo "fuzz.sh: $t: failed; the input: $(ls -t "$artifacts"/* | head -n 1)" >&2
		exit 1
	fi
done
echo "fuzz.sh: no crash in ${targets[*]} ($runs runs each)"
