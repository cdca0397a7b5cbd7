#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# atcbench micro's errors (ctest label "smoke"): a filter that matches
# nothing, an unknown flag, --icount outside callgrind and a listing exit
# as they should and leave no file, complete or temporary, where
# --benchmark_out pointed.  Nothing random, nothing timed.
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
[ $fail = 0 ] && echo "micro errors: all checks passed" && rm -rf "$work"
exit $fail
