#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# report.txt's load warnings.  The 1-minute load average when the results
# began lags by a minute (after a build it is high while every run finds
# the machine idle): it warns only when no run measured its own load.  The
# runs that did (micro's load_under, a real-time stress run's machine_load)
# warn by how many of them were under load.
# usage: load.sh ATCBENCH WORKDIR
set -eu
bin=$1
work=$2
fail=0
rm -rf "$work"
env() { # DIR: load 1.5 on 2 CPUs when the results began
	mkdir -p "$1"
	printf '{"schema_version": 1, "kind": "env", "online_cpus": 2, "tuning": {"load_avg": [1.5, 1.0, 0.5]}}\n' >"$1/env.json"
}
micro() { # DIR LOAD_UNDER...: one walker run each, NaN as Google Benchmark writes it
	dir=$1
	shift
	{
		printf '{"benchmarks": ['
		sep=
		for u in "$@"; do
			printf '%s{"name": "walker/rcu/entries:8", "run_type": "iteration", "threads": 1, "cpu_time": 100, "real_time": 100, "time_unit": "ns", "load_under": %s}' "$sep" "$u"
			sep=,
		done
		printf ', {"name": "walker/rcu/entries:8_cv", "run_type": "aggregate", "load_under": NaN}]}\n'
	} >"$dir/micro.json"
}
stress() { # DIR [UNDER]: a real-time stress run, with its load when UNDER is given
	load=
	[ $# -lt 2 ] || load=", \"machine_load\": {\"others_cpus\": 0.9, \"steal\": 0, \"under_load\": $2}"
	printf '{"schema_version": 1, "kind": "stress", "name": "s", "clock": "tsc"%s}\n' "$load" >"$1/stress-s.json"
}
check() { # DIR WANT_LOADED_MACHINE WANT_RUNS_LINE
	"$bin" report "$1" >/dev/null 2>&1 || true
	got_avg=0 got_runs=
	grep -q '^WARNING: loaded machine: load 1.50 on 2 CPUs' "$1/report.txt" && got_avg=1
	got_runs=$(sed -n 's/^WARNING: \([0-9]* of [0-9]*\) wall-clock runs measured under.*/\1/p' "$1/report.txt")
	if [ "$got_avg" != "$2" ] || [ "$got_runs" != "$3" ]; then
		echo "FAIL: $1: load-average warning $got_avg (want $2), runs under load '$got_runs' (want '$3')"
		cat "$1/report.txt"
		fail=1
	fi
}
# Every run measured, none under load: no warning, whatever the average
env "$work/idle"
micro "$work/idle" 0 0
stress "$work/idle" 0
check "$work/idle" 0 ""
# One of three under load: said, with the count
env "$work/one"
micro "$work/one" 0 1
stress "$work/one" 0
check "$work/one" 0 "1 of 3"
# Results from before the runs measured their load: the average warns
env "$work/old"
stress "$work/old"
check "$work/old" 1 ""
[ "$fail" = 0 ] && echo "ok: report.txt's load warnings"
exit $fail
