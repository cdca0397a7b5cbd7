#!/bin/sh
# atcbench isolate from the command line: the hand-worked episodes, the JSON
# form, bad options (exit 2), and a sweep: the same files for the same seed,
# other files for another.  (The default sweep's speed is measured by
# scripts/bench.sh, not here.)
# usage: run.sh ATCBENCH WORKDIR
set -eu
bin=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
fail=0

expect() {
	want=$1
	shift
	got=$("$bin" isolate "$@")
	if [ "$got" != "$want" ]; then
		echo "FAIL: isolate $*"
		echo "  want: $want"
		echo "  got:  $got"
		fail=1
	fi
}

expect "syncs=8 timeouts=1 broken=3 innocent_broken=0 time_ns=1016800" \
	--strategy linear --n 8 --faulty 3
expect "syncs=6 timeouts=3 broken=3 innocent_broken=0 time_ns=3013400" \
	--strategy bisect --n 8 --faulty 3
expect "syncs=10 timeouts=6 broken=0,7 innocent_broken=0 time_ns=6022000" \
	--strategy bisect --n 8 --faulty 0,7
expect "syncs=0 timeouts=0 broken=0,1,2,3,4,5,6,7 innocent_broken=7 time_ns=0" \
	--strategy whole-batch --n 8 --faulty 3
expect "syncs=3 timeouts=0 broken=7 innocent_broken=1 time_ns=6700" \
	--strategy bisect-infer --n 8 --faulty none
expect "syncs=0 timeouts=0 broken=0 innocent_broken=0 time_ns=0" \
	--strategy adaptive --n 1 --faulty 0
expect "syncs=4 timeouts=2 broken=4 innocent_broken=0 time_ns=100008700" \
	--strategy bisect --n 5 --faulty 4 --timeout 50ms

json=$("$bin" isolate --strategy bisect --n 8 --faulty 0,7 --json)
if [ "$(echo "$json" | jq -c '[.syncs, .timeouts, .broken, .innocent_broken]')" != '[10,6,[0,7],0]' ]; then
	echo "FAIL: --json: $json"
	fail=1
fi

bad() {
	rc=0
	"$bin" isolate "$@" >/dev/null 2>"$work/err" || rc=$?
	if [ $rc -ne 2 ] || ! [ -s "$work/err" ]; then
		echo "FAIL: isolate $*: exit $rc, want 2 and a message"
		fail=1
	fi
}
bad --strategy frob --n 8 --faulty 1
bad --strategy linear --n 0 --faulty none
bad --strategy linear --n 65537 --faulty none
bad --strategy linear --n 8 --faulty 8
bad --strategy linear --n 8 --faulty 1,1
bad --strategy linear --n 8
bad --strategy linear --n 8 --faulty 1 --timeout 5h
bad --strategy linear --n 8 --faulty 1 --timeout 11m
bad --sweep --grid-k 17
bad --sweep --trials 0
bad --sweep --n 8
bad --frob

grid="--grid-n 1,2,8,64,512 --trials 40"
"$bin" isolate --sweep --seed 42 $grid --out "$work/a" 2>/dev/null
"$bin" isolate --sweep --seed 42 $grid --out "$work/b" 2>/dev/null
"$bin" isolate --sweep --seed 43 $grid --out "$work/c" 2>/dev/null
cmp -s "$work/a/isolate.json" "$work/b/isolate.json" ||
	{ echo "FAIL: same seed, different isolate.json"; fail=1; }
cmp -s "$work/a/isolate.tsv" "$work/b/isolate.tsv" ||
	{ echo "FAIL: same seed, different isolate.tsv"; fail=1; }
cmp -s "$work/a/isolate.tsv" "$work/c/isolate.tsv" &&
	{ echo "FAIL: another seed, the same sweep"; fail=1; }
jq -e '.cells | length == 400' "$work/a/isolate.json" >/dev/null ||
	{ echo "FAIL: isolate.json"; fail=1; }

[ $fail -eq 0 ] && echo "isolate: all checks passed"
exit $fail
