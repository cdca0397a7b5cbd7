#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# atcbench micro's errors (ctest label "smoke"): a filter that matches
# nothing, an unknown flag, --icount outside callgrind and a listing exit
# as they should and leave no file, complete or temporary, where
# --benchmark_out pointed; and a run's report shows the designs' ratios
# (their values are not checked: times).  Nothing random.
# usage: run.sh ATCBENCH WORKDIR
set -u
bin=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}
expect() { # STATUS WHAT ARGS...
	local want=$1 what=$2 st
	shift 2
	"$bin" micro "$@" --benchmark_out="$work/m.json" >"$work/out" 2>&1
	st=$?
	[ "$st" = "$want" ] || bad "$what: exit $st, want $want: $(tail -n 2 "$work/out")"
	[ -z "$(ls -A "$work" | grep -v '^out$')" ] ||
		bad "$what: left $(ls -A "$work" | grep -v '^out$' | tr '\n' ' ')"
}
expect 2 "a filter that matches nothing" --benchmark_filter=no-such-benchmark
expect 2 "an unknown flag" --benchmark_no_such_flag=1
expect 2 "--icount outside callgrind" --icount 5
expect 0 "a listing" --benchmark_list_tests
"$bin" micro --benchmark_list_tests | grep -q "^walker/" || bad "the listing has no walker/"

# A single run's report sets the designs against each other
mkdir -p "$work/run"
"$bin" micro --benchmark_filter='^walker/(rcu|devlist)/entries:8/' \
	--benchmark_min_time=0.01 --benchmark_repetitions=3 \
	--benchmark_out="$work/run/micro.json" >/dev/null 2>&1 || bad "micro run exited $?"
"$bin" report "$work/run" >"$work/report" 2>&1 || bad "report exited $?"
grep -A1 "RCU array / locked device list, walker:" "$work/report" |
	grep -qE "entries:8/threads:1 [0-9]+\.[0-9]{2}" || bad "report: no walker ratio: $(cat "$work/report")"
# Google Benchmark writes NaN for a counter it cannot compute: still read
sed -i '0,/"iterations": /s//"hits": NaN, "iterations": /' "$work/run/micro.json"
grep -q '"hits": NaN' "$work/run/micro.json" || bad "no NaN put in micro.json"
"$bin" report "$work/run" 2>&1 | grep -q "RCU array / locked device list, walker:" ||
	bad "report: a micro.json with NaN is not read"
rm -rf "$work/run" "$work/report"

[ $fail = 0 ] && echo "micro errors: all checks passed" && rm -rf "$work"
exit $fail
