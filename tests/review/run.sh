#!/bin/sh
# atcbench review from the command line: its files and plots; the batching
# question's arithmetic (the costs of one sync for k devices and of one
# each, the break-even from the search time, k = 1 and whole-batch having
# none); head-of-line blocking's (every point passed its checks, the delay
# grows with the slow device's latency on one queue and is smaller with a
# queue per CPU, a point's reproduce line gives its figures); the same
# figures for the same seed; bad options (exit 2).
# usage: run.sh ATCBENCH WORKDIR
set -eu
bin=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
fail=0
# head-of-line at 2 CPUs (the CPUs set: 2 and 4), its shortest measure:
# fast enough under ASan and TSan
args="--grid-n 1,2,8 --grid-timeout 1ms,50ms --trials 20"
args="$args --hol-cpus 2 --hol-duration 2ms"
# shellcheck disable=SC2086
# stderr apart: ASan warns there about the virtual CPUs' swapcontext()
"$bin" review $args --out "$work/a" >"$work/a.out" 2>"$work/a.err" || {
	echo "FAIL: review: exit $?"
	cat "$work/a.out" "$work/a.err"
	exit 1
}
# shellcheck disable=SC2086
"$bin" review $args --out "$work/b" >/dev/null 2>&1
for f in review.json review.txt review-batching.tsv review-batching.png \
	review-batching.svg review-hol.tsv review-hol.png review-hol.svg \
	env.json; do
	[ -s "$work/a/$f" ] || {
		echo "FAIL: no $f"
		fail=1
	}
done
grep -v "^plot.sh: " "$work/a.out" | cmp -s "$work/a/review.txt" - || {
	echo "FAIL: the printed report is not review.txt"
	fail=1
}
grep -q "^reproduce: atcbench review $args --out $work/a\$" "$work/a/review.txt" || {
	echo "FAIL: no reproduce line"
	fail=1
}
awk '!/^reproduce: / && length > 72 { bad = 1 } END { exit bad }' \
	"$work/a/review.txt" || {
	echo "FAIL: review.txt wider than 72 columns (its reproduce line aside)"
	fail=1
}
# The arithmetic, row by row: sync 2 us, ATC_INV 100 ns (the defaults)
bad=$(jq '[.batching[] | select(
	.ok_batched_ns != 2000 + 100 * .k or
	.ok_per_device_ns != 2100 * .k or
	(.k == 1 and .break_even != null) or
	(.strategy == "whole-batch" and .k > 1 and
	 (.break_even != null or .batching_always_pays != true or
	  .innocent != .k - 1)) or
	(.k > 1 and .strategy != "whole-batch" and
	 ((.break_even - (.k - 1) * 2000 / .iso_ns) | fabs) > 1e-4 * .break_even) or
	(.k > 1 and .strategy == "linear" and .iso_ns < .timeout_ns))]
	| length' "$work/a/review.json")
[ "$bad" = 0 ] || {
	echo "FAIL: $bad rows whose figures do not follow the model"
	fail=1
}
[ "$(jq -r '.modelled' "$work/a/review.json")" = true ] || {
	echo "FAIL: not marked modelled"
	fail=1
}
if ! cmp -s "$work/a/review.json" "$work/b/review.json"; then
	# the reproduce line names the folder: compare without it
	[ "$(jq -S 'del(.reproduce)' "$work/a/review.json")" = \
		"$(jq -S 'del(.reproduce)' "$work/b/review.json")" ] || {
		echo "FAIL: the same seed gave other figures"
		fail=1
	}
fi
# report.txt's section, from a results folder with review/ as bench.sh
# writes it
mkdir -p "$work/r"
"$bin" isolate --sweep --grid-n 8 --grid-k 1 --trials 5 --out "$work/r" \
	>/dev/null 2>&1
cp -r "$work/a" "$work/r/review"
"$bin" report "$work/r" >/dev/null 2>&1 || true
grep -A3 "^Batching k ATS devices under one CMD_SYNC" "$work/r/report.txt" |
	grep -qE "^linear +1 in [0-9]+" || {
	echo "FAIL: report.txt has no batching section"
	fail=1
}
# its reproduce line, continued with backslashes within 72 columns, is
# review.json's
got=$(awk '/^Batching k ATS devices/ { on = 1 } on && /^  atcbench review/ { cmd = 1 }
	cmd { line = $0; sub(/^ +/, "", line); c = sub(/ \\$/, "", line)
	      out = out (out == "" ? "" : " ") line; if (!c) { print out; exit } }' \
	"$work/r/report.txt")
[ "$got" = "$(jq -r .reproduce "$work/a/review.json")" ] || {
	echo "FAIL: report.txt's reproduce line: $got"
	fail=1
}

# Head-of-line blocking: 35 points, none failed; on one queue the delay
# grows with the slow device's latency (10us, 100us, 1ms, then the
# timeout); with a queue per CPU it is smaller at each
hol() { jq -r "$1" "$work/a/review.json"; }
[ "$(hol '[.hol.points[] | select(.failed | not)] | length')" = 35 ] || {
	echo "FAIL: head-of-line: not 35 points, or some failed"
	fail=1
}
lat='.hol.points[] | select(.set == "latency" and (.slow_ns > 0 or .timeout))'
[ "$(hol "[$lat | select(.cmdq == \"single\") | .hol_ns] |
	. == sort and .[0] > 0 and length == 4")" = true ] || {
	echo "FAIL: head-of-line: one queue's delay not growing with the latency"
	fail=1
}
[ "$(hol "[$lat | select(.cmdq == \"single\") | .hol_ns] as \$s |
	[$lat | select(.cmdq == \"per-cpu\") | .hol_ns] as \$p |
	[range(4) | \$p[.] < \$s[.]] | all")" = true ] || {
	echo "FAIL: head-of-line: a queue per CPU not smaller"
	fail=1
}
# a point's reproduce line (scale) gives its figures
pt='.hol.points[] | select(.set == "latency" and .cmdq == "single" and .slow_ns == 100000)'
line=$(hol "$pt | .reproduce" | sed "s|--out DIR|--out $work/s|; s|^atcbench ||")
# shellcheck disable=SC2086
"$bin" $line >/dev/null 2>&1 || {
	echo "FAIL: $line: exit $?"
	fail=1
}
[ "$(jq '.points[0] | [.lat_mean_ns, .lat_ns.p99]' "$work/s/scale.json" |
	tr -d ' \n')" = "$(hol "$pt | [.mean_ns, .p99_ns]" | tr -d ' \n')" ] || {
	echo "FAIL: head-of-line: the reproduce line gives other figures"
	fail=1
}

for bad_args in "" "--out $work/c --grid-n 0" "--out $work/c --hol-cpus 1" \
	"--out $work/c --hol-duration 1s" "--out $work/c --hol-duration 1ms" "--out $work/c --trials 0" \
	"--out $work/c --strategies none" "--out $work/c --x 1"; do
	st=0
	# shellcheck disable=SC2086
	"$bin" review $bad_args >/dev/null 2>&1 || st=$?
	[ $st = 2 ] || {
		echo "FAIL: review $bad_args: exit $st, not 2"
		fail=1
	}
done
"$bin" review --help | grep -q -- "--grid-timeout" || {
	echo "FAIL: no --help"
	fail=1
}
exit $fail
