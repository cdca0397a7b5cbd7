#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/heartbeat.sh names what a silent step runs: the ctest tests
# started and not finished, a build's last step.  No timing is checked: the
# test waits (up to a minute) for the first line, whatever the load.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
hb=$root/scripts/heartbeat.sh
tmp=$(mktemp -d)
pid=
trap '[[ -z $pid ]] || kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}

# first_line LABEL LOG: heartbeat.sh's first line about LOG
first_line() {
	local i out
	out=$(mktemp "$tmp/out.XXXXXX")
	HEARTBEAT_SECONDS=1 "$hb" "$1" "$2" >"$out" &
	pid=$!
	for ((i = 0; i < 600; i++)); do
		[[ -s $out ]] && break
		sleep 0.1
	done
	kill $pid
	wait $pid 2>/dev/null
	pid=
	head -n 1 "$out"
}

printf '%s\n' '    Start 20: kernel_qemu' '    Start 22: kernel_ats' \
	'1/6 Test #20: kernel_qemu ......   Passed   89.97 sec' >"$tmp/ctest.log"
line=$(first_line "test.sh: asan" "$tmp/ctest.log")
echo "$line"
[[ $line =~ ^test.sh:\ asan:\ 0\ min\ [0-9]+\ s:\ still\ running:\ kernel_ats$ ]] ||
	bad "ctest log: '$line'"

printf '%s\n' '-- Configuring done' '[12/80] Building C object x.o' >"$tmp/build.log"
line=$(first_line "compare.sh: building base" "$tmp/build.log")
echo "$line"
[[ $line == *"still running: step [12/80]" ]] || bad "build log: '$line'"

"$hb" --help >/dev/null || bad "--help exited $?"
"$hb" only-one-argument 2>/dev/null
[[ $? == 2 ]] || bad "one argument: not exit 2"
HEARTBEAT_SECONDS=1e3 "$hb" x "$tmp/build.log" 2>/dev/null
[[ $? == 2 ]] || bad "HEARTBEAT_SECONDS=1e3: not exit 2"

[[ $fail == 0 ]] && echo "heartbeat: all checks passed"
exit $fail
