#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz.sh - the long libFuzzer runs: builds the fuzz preset (clang, ASan +
# UBSan) and runs each target for RUNS executions (default 10^7), starting
# from the tree's corpus (tests/fuzz/corpus/TARGET; new inputs go to
# build/fuzz/corpus/TARGET, never into the tree).  A crash stops with the
# input's path: fix the parser, then keep the input in the tree's corpus as
# a regression input (ctest's fuzz pass replays it).  --jobs J runs J
# fuzzer processes per target, each RUNS/J executions with its own seed,
# sharing the corpus folder (libFuzzer reloads it); the count printed is
# their sum.
#
# usage: scripts/fuzz.sh [--runs N] [--jobs J] [TARGET...]
#   TARGET: replay, fault_plan, scenario, results (default: all four)
#   J: 1 (the default) to FUZZ_MAX_JOBS (64)
# Exit status: 0 no crash, 1 a crash, leak or timeout, 2 bad usage.
set -euo pipefail
cd "$(dirname "$0")/.."
targets_all=(replay fault_plan scenario results)
runs=10000000 jobs=1 targets=()
FUZZ_MAX_JOBS=64
while (($#)); do
	case $1 in
	-h | --help)
		sed -n 's/^# \{0,1\}//; 4,17p' "$0"
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
	--jobs)
		if ! [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || ((${2} > FUZZ_MAX_JOBS)); then
			echo "fuzz.sh: --jobs takes 1 to $FUZZ_MAX_JOBS (FUZZ_MAX_JOBS)" >&2
			exit 2
		fi
		jobs=$2
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
	logs=() pids=()
	for ((j = 0; j < jobs; j++)); do
		logs+=("build/fuzz/fuzz-$t.$j.log")
	done
	echo "fuzz.sh: $t, $runs runs in $jobs job(s) (log: ${logs[*]})"
	scripts/heartbeat.sh "fuzz.sh: $t" "${logs[0]}" &
	hb=$!
	for ((j = 0; j < jobs; j++)); do
		# the first job takes the remainder of RUNS/J
		n=$((runs / jobs + (j == 0 ? runs % jobs : 0)))
		"build/fuzz/tests/fuzz_$t" -runs="$n" -seed=$((j + 1)) \
			-max_len=4096 -timeout=20 -print_final_stats=1 \
			-artifact_prefix="$artifacts/" \
			"$corpus" "tests/fuzz/corpus/$t" >"${logs[j]}" 2>&1 &
		pids+=($!)
	done
	# the first job to fail stops the others
	st=0
	while ((${#pids[@]})); do
		wait -n -p fin "${pids[@]}" || {
			st=1
			kill "${pids[@]}" 2>/dev/null || true
		}
		left=()
		for p in "${pids[@]}"; do
			[[ $p == "$fin" ]] || left+=("$p")
		done
		pids=("${left[@]}")
	done
	kill $hb 2>/dev/null || true
	wait $hb 2>/dev/null || true
	done_runs=$(awk '/^stat::number_of_executed_units/ { n += $2 } END { print n + 0 }' "${logs[@]}")
	echo "fuzz.sh: $t: $done_runs executions"
	if ((st != 0)); then
		grep -hE 'ERROR|SUMMARY' "${logs[@]}" | head -n 5
		echo "fuzz.sh: $t: failed; the input: $(ls -t "$artifacts"/* | head -n 1)" >&2
		exit 1
	fi
done
echo "fuzz.sh: no crash in ${targets[*]} ($runs runs each)"
