#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Nothing lost: runs of stress (virtual and real time), isolate --sweep and
# micro are sent SIGINT (once, twice, to the process group), SIGTERM or
# SIGKILL at a random moment, KILLS times (default 20).  Afterwards every
# JSON file in the results folder parses; after SIGINT or SIGTERM the
# interrupted run's result is there and says so (micro, which has no partial
# output, leaves none; a run the signal reaches before its handler, while
# it starts, dies of it and leaves none), and no temporary file is left;
# after SIGKILL a result is there only if the run had finished.  The moments and choices
# come from the printed seed (ATCBENCH_SEED=N replays them).
#
# usage: run.sh ATCBENCH WORKDIR [KILLS]
set -uo pipefail
bin=$1 work=$2 kills=${3:-20}
seed=${ATCBENCH_SEED:-$(date +%s)}
echo "kill: seed=$seed (ATCBENCH_SEED=$seed to reproduce)"
RANDOM=$seed
rm -rf "$work"
mkdir -p "$work"
fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}

cases=(stress-virtual stress-real isolate micro)
signals=(INT INT2 INTPG TERM KILL)

start() { # CASE DIR: start it in a process group of its own; $pid
	local d=$2
	case $1 in
	stress-virtual) set -- stress baseline --clock virtual --duration 3s ;;
	stress-real) set -- stress timeout-storm --duration 3s ;;
	isolate) set -- isolate --sweep --trials 4000 ;;
	micro) set -- micro --benchmark_filter=walker/rcu/entries:64/ \
		--benchmark_min_time=0.2 --benchmark_out="$d/micro.json" ;;
	esac
	case $1 in
	stress) set -- "$@" --progress off --seed 1 --out "$d" ;;
	isolate) set -- "$@" --out "$d" ;;
	esac
	setsid "$bin" "$@" >"$d/out" 2>"$d/err" &
	pid=$!
}

for ((i = 1; i <= kills; i++)); do
	case=${cases[RANDOM % ${#cases[@]}]}
	sig=${signals[RANDOM % ${#signals[@]}]}
	ms=$((RANDOM % 2500))
	d=$work/$i-$case-$sig
	mkdir -p "$d"
	start "$case" "$d"
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	alive=0
	kill -0 "$pid" 2>/dev/null && alive=1
	case $sig in
	INT) kill -INT "$pid" 2>/dev/null ;;
	INT2) kill -INT "$pid" 2>/dev/null
		sleep 0.0$((RANDOM % 10))
		kill -INT "$pid" 2>/dev/null ;;
	INTPG) kill -INT -- "-$pid" 2>/dev/null ;;
	TERM) kill -TERM "$pid" 2>/dev/null ;;
	KILL) kill -KILL "$pid" 2>/dev/null ;;
	esac
	wait "$pid"
	st=$?
	echo "kill $i: $case, SIG$sig after $ms ms ($([[ $alive == 1 ]] && echo running || echo finished)), exit $st"

	# every JSON file parses, whatever the signal
	for j in "$d"/*.json; do
		[[ -e $j ]] || continue
		jq empty "$j" 2>/dev/null || bad "kill $i: $j does not parse"
	done
	result=$(ls "$d"/stress-*.json "$d"/isolate.json "$d"/micro.json 2>/dev/null | head -n 1)
	if [[ $sig == KILL ]]; then
		# a result only from a run that had finished: complete, not cut
		[[ -z $result || $alive == 0 ]] || {
			# the run may have finished between the check and the kill
			jq -e '.interrupted != true' "$result" >/dev/null ||
				bad "kill $i: SIGKILL left an interrupted result"
		}
		continue
	fi
	ls "$d" | grep -q '\.tmp\.' && bad "kill $i: a temporary file is left: $(ls "$d")"
	case $case in
	micro)
		[[ $alive == 0 || -z $result ]] ||
			jq -e '.benchmarks | length > 0' "$result" >/dev/null ||
			bad "kill $i: micro left an incomplete micro.json"
		;;
	*)
		# killed by the signal itself: it came outside the run's
		# handler, while it set up (no result) or after its write (a
		# second SIGINT, or one after the run ended: a whole result)
		if ((st == 130 || st == 143)); then
			[[ -z $result ]] ||
				jq -e '.interrupted | type == "boolean"' "$result" >/dev/null ||
				bad "kill $i: died of SIG$sig and left $result"
			continue
		fi
		[[ -n $result ]] || {
			bad "kill $i: no result after SIG$sig (exit $st): $(cat "$d/err")"
			continue
		}
		# interrupted, or finished in the moment before the signal
		jq -e '.interrupted | type == "boolean"' "$result" >/dev/null ||
			bad "kill $i: $result does not say whether it was interrupted"
		[[ $alive == 1 ]] || jq -e '.interrupted == false' "$result" >/dev/null ||
			bad "kill $i: a finished run says it was interrupted"
		;;
	esac
done
[[ $fail == 0 ]] && echo "kill: $kills kills, nothing lost"
exit $fail
