#!/bin/sh
# report.txt's STALLS paragraph: one header, every line within 72 columns,
# whatever the runs' names (a run whose item ended a line exactly at column
# 72 used to print the header again, mid-line).  Runs of 1 to 6 stalled
# runs with names of 1 to 40 characters.
# usage: stalls.sh ATCBENCH WORKDIR
set -eu
bin=$1
work=$2
fail=0
name() { # LENGTH INDEX
	printf 'r%s' "$2" | awk -v n="$1" '{ s = $0; while (length(s) < n) s = s "x"; print substr(s, 1, n) }'
}
for len in $(seq 1 40); do
	for runs in 1 2 3 6; do
		d=$work/$len-$runs
		rm -rf "$d"
		mkdir -p "$d"
		for i in $(seq 1 "$runs"); do
			printf '{"kind":"stress","schema_version":1,"name":"%s","stalls":%s,"stall_threshold_ns":100000000,"stall_max_ns":1500000000}\n' \
				"$(name "$len" "$i")" "$i" >"$d/stress-$i.json"
		done
		"$bin" report "$d" >"$d/out" 2>&1 || true
		n=$(grep -c "STALLS" "$d/out" || true)
		[ "$n" = 1 ] || {
			echo "FAIL: names of $len, $runs runs: $n STALLS headers"
			fail=1
		}
		awk -v f="$d" 'length > 72 { print "FAIL: " f ": a line of " length " columns: " $0; bad = 1 } END { exit bad }' "$d/report.txt" || fail=1
		for i in $(seq 1 "$runs"); do
			grep -q " $(name "$len" "$i") $i " "$d/report.txt" ||
				{ echo "FAIL: names of $len, $runs runs: run $i missing"; fail=1; }
		done
	done
done
exit $fail
