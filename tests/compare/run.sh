#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/compare.sh end to end, on a scratch repository made of this
# tree's files (so uncommitted changes are what is tested), with three
# commits: base; slow (base + tests/compare/slow-walker.sh: +6 %
# instructions and +8-10 % CPU time in the walker); broken (base + a syntax
# error).
#   base vs base (two builds): no regression, exit 0; the instruction-count
#     and virtual-time evidence all "same"
#   base vs slow: exit 1, the walker's instruction counts REGRESSED, in all
#     and outside sim/ (the wall-clock rows are reported, not asserted: time
#     on a shared VM)
#   base vs broken: exit 2, "does not build"; a bad ref: exit 2
#   ATCBENCH (the argument): atcbench compare --gate on the slow folder
# usage: tests/compare/run.sh ATCBENCH
set -euo pipefail
atcbench=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
seed=${ATCBENCH_SEED:-1}
echo "seed: $seed"

# The verdict rules on hand-made folders: instruction counts, band 1 %
mkdir -p "$tmp/rules/base" "$tmp/rules/head"
icount() { # DIR ROWS...: with sim_per_op when the rows have a fifth field
	local dir=$1 sim=
	shift
	[[ $(awk -F'\t' '{ print NF }' <<<"$1") != 5 ]] || sim=$'\tsim_per_op'
	{
		printf 'benchmark\titerations\tinstructions\tinstructions_per_op%s\n' "$sim"
		printf '%s\n' "$@"
	} >"$dir/icount.tsv"
}
icount "$tmp/rules/base" "in-band	1	0	1000.0" "over	1	0	1000.0" \
	"under	1	0	1000.0" "gone	1	0	5.0"
icount "$tmp/rules/head" "in-band	1	0	1009.0" "over	1	0	1011.0" \
	"under	1	0	989.0" "new	1	0	5.0"
rc=0
"$atcbench" compare "$tmp/rules/base" "$tmp/rules/head" >/dev/null || rc=$?
got=$(jq -r '.rows[] | "\(.name):\(.verdict):\(.change_pct != null)"' \
	"$tmp/rules/compare.json" | sort | tr '\n' ' ')
want="gone:gone:false in-band:same:true new:new:false over:REGRESSED:true under:improved:true "
[[ $rc == 1 && $got == "$want" ]] || {
	echo "FAIL: verdict rules: exit $rc, $got"
	exit 1
}
# With the simulation's column (icount.sh's sim_per_op), each benchmark has a
# twin without those instructions: a change in sim/ alone leaves it the same,
# and one side without the column (an older icount.tsv) makes none
mkdir -p "$tmp/sim/base" "$tmp/sim/head" "$tmp/sim/old"
icount "$tmp/sim/base" "simfaster	1	0	1000.0	200.0" "kernelslower	1	0	1000.0	200.0"
icount "$tmp/sim/head" "simfaster	1	0	900.0	100.0" "kernelslower	1	0	1100.0	200.0"
rc=0
"$atcbench" compare "$tmp/sim/base" "$tmp/sim/head" >/dev/null || rc=$?
got=$(jq -r '.rows[] | "\(.name):\(.verdict):\(.base):\(.head)"' \
	"$tmp/sim/compare.json" | tr '\n' ' ')
want="simfaster:improved:1000:900 simfaster outside sim/:same:800:800 kernelslower:REGRESSED:1000:1100 kernelslower outside sim/:REGRESSED:800:900 "
[[ $rc == 1 && $got == "$want" ]] || {
	echo "FAIL: the rows outside sim/: exit $rc, $got"
	exit 1
}
icount "$tmp/sim/old" "simfaster	1	0	1000.0" "kernelslower	1	0	1000.0"
"$atcbench" compare "$tmp/sim/old" "$tmp/sim/head" >/dev/null || true
got=$(jq -r '[.rows[] | select(.name | endswith("outside sim/"))] | length' \
	"$tmp/sim/compare.json")
[[ $got == 0 ]] || {
	echo "FAIL: rows outside sim/ from a side without the column: $got"
	exit 1
}
# Wall clock +20 % (p = 0.001) on "in-band" (instructions same) and "over"
micro() { # DIR NS
	jq -n --argjson t "$2" '{benchmarks: [range(9) | {name: "in-band",
	  run_type: "iteration", threads: 1, cpu_time: $t, time_unit: "ns"},
	  {name: "over", run_type: "iteration", threads: 1, cpu_time: $t,
	  time_unit: "ns"}]}' >"$1/micro.json"
}
micro "$tmp/rules/base" 100
micro "$tmp/rules/head" 120
jq -n '[{name: "in-band", utest: {cpu_pvalue: 0.001}},
	{name: "over", utest: {cpu_pvalue: 0.001}}]' >"$tmp/rules/utest.json"
rc=0
"$atcbench" compare "$tmp/rules/base" "$tmp/rules/head" \
	--utest "$tmp/rules/utest.json" >/dev/null || rc=$?
got=$(jq -r '.rows[] | select(.evidence == "time") | "\(.name):\(.verdict)"' \
	"$tmp/rules/compare.json" | sort | tr '\n' ' ')
want="in-band:noise? over:REGRESSED "
[[ $rc == 1 && $got == "$want" ]] &&
	jq -e '.gate | index("time") == null' "$tmp/rules/compare.json" >/dev/null &&
	grep -q "1 wall-clock changes with the same instruction count" \
		"$tmp/rules/compare.txt" || {
	echo "FAIL: noise? and the default gate: exit $rc, $got"
	cat "$tmp/rules/compare.txt"
	exit 1
}
rm "$tmp/rules/base/icount.tsv" "$tmp/rules/head/icount.tsv"
rc=0
"$atcbench" compare "$tmp/rules/base" "$tmp/rules/head" \
	--utest "$tmp/rules/utest.json" >/dev/null || rc=$?
((rc == 0)) || {
	echo "FAIL: wall clock alone gates by default: exit $rc"
	exit 1
}
rc=0
"$atcbench" compare "$tmp/rules/base" "$tmp/rules/head" --gate time \
	--utest "$tmp/rules/utest.json" >/dev/null || rc=$?
((rc == 1)) || {
	echo "FAIL: --gate time: exit $rc"
	exit 1
}
echo "ok: verdict rules, noise?, the default gate, the rows outside sim/"

# Counts are facts: hand-edited kernel runs, ATC_INV/op 1 -> 0 (a lost
# invalidation) exits 1 under --gate kernel, "fewer", never "improved"
kjson() { # DIR ATC_INVS_PER_OP
	jq -n --argjson a "$2" '{schema_version: 1, kind: "kernel",
	  name: "dio-2d", ops: 800, cmds_per_op: (1 + $a), syncs_per_op: 2,
	  lists_per_op: 2, atc_inv_domain_calls: null,
	  smmu_opcodes: {CMD_SYNC: 1600, CMD_TLBI_NH_VA: 800,
	                 CMD_ATC_INV: (800 * $a)},
	  list_sizes: (if $a > 0 then [{cmds: 1, sync: true, lists: 1600}]
	    else [{cmds: 1, sync: true, lists: 800},
	          {cmds: 0, sync: true, lists: 800}] end), ats: true,
	  atc_inv: (if $a > 0 then [{sid: 256, ssid: 0, ssv: false, size: 0,
	            global: false, fails: false, count: (800 * $a)}] else [] end),
	  ats_sids: [256]}' >"$1/kernel-dio-2d.json"
}
mkdir -p "$tmp/k/base" "$tmp/k/head"
kjson "$tmp/k/base" 1
kjson "$tmp/k/head" 0
rc=0
"$atcbench" compare "$tmp/k/base" "$tmp/k/head" --gate kernel >/dev/null || rc=$?
row=$(jq -r '.rows[] | select(.name == "dio-2d ATC_INV/op") |
	"\(.verdict) \(.direction) \(.words) \(.fails)"' "$tmp/k/compare.json")
[[ $rc == 1 && $row == "changed fewer fewer ATC_INV true" ]] &&
	! grep "ATC_INV" "$tmp/k/compare.txt" | grep -qi improved &&
	head -n 1 "$tmp/k/compare.txt" | grep -q '^CHANGED: fewer ATC_INV' &&
	grep -q "ATS device 0x100 received no ATC invalidation for 800 unmaps" \
		"$tmp/k/compare.txt" &&
	awk 'length > 72 { print "over 72 columns: " $0; bad = 1 } END { exit bad }' \
		"$tmp/k/compare.txt" || {
	echo "FAIL: ATC_INV/op 1 -> 0: exit $rc, row '$row'"
	cat "$tmp/k/compare.txt"
	exit 1
}
# ... and the other way is a change too, not a regression to "fix"
rc=0
"$atcbench" compare "$tmp/k/head" "$tmp/k/base" --gate kernel --out "$tmp/k" >/dev/null || rc=$?
row=$(jq -r '.rows[] | select(.name == "dio-2d ATC_INV/op") | "\(.verdict) \(.direction)"' \
	"$tmp/k/compare.json")
[[ $rc == 1 && $row == "changed more" ]] || {
	echo "FAIL: ATC_INV/op 0 -> 1: exit $rc, row '$row'"
	exit 1
}
# A count that changes in evidence that does not gate: exit 0, advisory
rc=0
"$atcbench" compare "$tmp/k/base" "$tmp/k/head" --gate instr >/dev/null || rc=$?
[[ $rc == 0 ]] && grep -q "(advisory)" "$tmp/k/compare.txt" || {
	echo "FAIL: a count outside the gate: exit $rc"
	exit 1
}
# A violation in head exits 1 whatever gates, even when base had more
sjson() { # DIR VIOLATIONS TIMEOUTS
	jq -n --argjson v "$2" --argjson t "$3" '{schema_version: 1,
	  kind: "stress", name: "s", clock: "virtual", ops: 100, timeouts: $t,
	  innocent_quarantines: 0, atc_invs_to_broken: 0, warns: 0,
	  oracle_violations: $v, smmu_commands: 300, metrics: {}}' >"$1/stress-v-s.json"
}
mkdir -p "$tmp/s/base" "$tmp/s/head"
sjson "$tmp/s/base" 5 4
sjson "$tmp/s/head" 1 4
rc=0
"$atcbench" compare "$tmp/s/base" "$tmp/s/head" --gate instr >/dev/null || rc=$?
row=$(jq -r '.rows[] | select(.name == "s violations") | .verdict' "$tmp/s/compare.json")
[[ $rc == 1 && $row == VIOLATION ]] &&
	head -n 1 "$tmp/s/compare.txt" | grep -q '^VIOLATION: 1 oracle violations' || {
	echo "FAIL: a violation in head: exit $rc, row '$row'"
	cat "$tmp/s/compare.txt"
	exit 1
}
# Fewer ATC timeouts is a changed count (gated), not an improvement
sjson "$tmp/s/head" 0 3
rc=0
"$atcbench" compare "$tmp/s/base" "$tmp/s/head" >/dev/null || rc=$?
row=$(jq -r '.rows[] | select(.name == "s timeouts") | "\(.verdict) \(.direction)"' \
	"$tmp/s/compare.json")
[[ $rc == 1 && $row == "changed fewer" ]] || {
	echo "FAIL: fewer timeouts: exit $rc, row '$row'"
	exit 1
}
echo "ok: counts are facts (kernel, stress), violations always fail"

repo=$tmp/repo
mkdir -p "$repo"
(cd "$root" && git ls-files -z --cached --others --exclude-standard |
	xargs -0 cp --parents -t "$repo" 2>/dev/null) || true
git -C "$repo" init -q
git -C "$repo" -c user.name=t -c user.email=t@t add -A
git -C "$repo" -c user.name=t -c user.email=t@t commit -qm base
git -C "$repo" tag base
"$root/tests/compare/slow-walker.sh" "$repo"
git -C "$repo" -c user.name=t -c user.email=t@t commit -qam slow
git -C "$repo" tag slow
git -C "$repo" checkout -q base
echo "this is not C" >>"$repo/kernel-hooks/arm-smmu-v3/arm-smmu-v3-invs.c"
git -C "$repo" -c user.name=t -c user.email=t@t commit -qam broken
git -C "$repo" tag broken

compare() { # EXPECTED_EXIT NAME ARGS...
	local want=$1 name=$2 rc=0
	shift 2
	"$root/scripts/compare.sh" --quick --no-plots --seed "$seed" \
		--repo "$repo" --out "$tmp/$name" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || rc=$?
	if ((rc != want)); then
		echo "FAIL: $name: exit $rc, expected $want"
		tail -n 30 "$tmp/$name.out" "$tmp/$name.err"
		exit 1
	fi
	echo "ok: $name: exit $rc"
}
verdicts() { # DIR EVIDENCE: "name verdict" lines
	jq -r --arg e "$2" '.rows[] | select(.evidence == $e)
	  | "\(.name) \(.verdict)"' "$1/compare.json"
}

compare 0 same --evidence instr,stress,sweep base base
# The reviewer's report: the count of unchanged rows, and the command
grep -q "^Changed: 0 of " "$tmp/same/report.txt" &&
	grep -q "^Unchanged: " "$tmp/same/report.txt" &&
	grep -A2 "^Reproduce:" "$tmp/same/report.txt" | grep -q "scripts/compare.sh --quick --no-plots" || {
	echo "FAIL: same: report.txt lacks the counts or the command"
	cat "$tmp/same/report.txt"
	exit 1
}
awk 'length > 72 { print "FAIL: report line over 72 columns: " $0; exit 1 }' "$tmp/same/report.txt"
for side in base head; do
	d=$(jq -r ".$side.dir" "$tmp/same/compare.json")
	[ -f "$tmp/same/$d/env.json" ] || {
		echo "FAIL: compare.json's $side.dir '$d' is not the $side folder"
		exit 1
	}
done
for e in instr stress sweep; do
	n=$(verdicts "$tmp/same" $e | wc -l)
	bad=$(verdicts "$tmp/same" $e | grep -vc ' same$' || true)
	((n > 0 && bad == 0)) || {
		echo "FAIL: same ref: $e: $n rows, $bad not same"
		verdicts "$tmp/same" $e
		exit 1
	}
done
[[ -s $tmp/same/report.txt ]] && grep -q "^Verdict: no change that gates" "$tmp/same/report.txt" || {
	echo "FAIL: same ref: report.txt"
	exit 1
}
awk 'length > 72 { print; bad = 1 } END { exit bad }' "$tmp/same/report.txt" || {
	echo "FAIL: report.txt wider than 72 columns"
	exit 1
}

compare 1 slow --evidence time,instr --filter 'walker/rcu/entries:(64|512)' base slow
for b in walker/rcu/entries:{64,512}{,' outside sim/'}; do
	verdicts "$tmp/slow" instr | grep -qx "$b REGRESSED" || {
		echo "FAIL: slow walker: $b not REGRESSED by instruction count"
		verdicts "$tmp/slow" instr
		exit 1
	}
done
n=$(jq '[.rows[] | select(.evidence == "time" and .p_value != null)] | length' "$tmp/slow/compare.json")
((n >= 2)) || {
	echo "FAIL: slow walker: $n wall-clock rows with a p-value"
	exit 1
}
echo "slow walker, wall clock (reported, not asserted):"
jq -r '.rows[] | select(.evidence == "time")
  | "  \(.name) \(.change_pct * 10 | round / 10)% p=\(.p_value) \(.verdict)"' "$tmp/slow/compare.json"

# --gate: the walker's regression is advisory when only sweep gates
mkdir -p "$tmp/gate"
rc=0
"$atcbench" compare "$tmp/slow/base" "$tmp/slow/head" --out "$tmp/gate" \
	--utest "$tmp/slow/micro-utest.json" --gate sweep >/dev/null || rc=$?
((rc == 0)) && grep -q "(advisory)" "$tmp/gate/compare.txt" &&
	grep -q "regressed in evidence that does not gate" "$tmp/gate/compare.txt" || {
	echo "FAIL: --gate sweep: exit $rc"
	cat "$tmp/gate/compare.txt"
	exit 1
}
rc=0
"$atcbench" compare "$tmp/slow/base" "$tmp/slow/head" --out "$tmp/gate" \
	--gate bogus >/dev/null 2>&1 || rc=$?
((rc == 2)) || {
	echo "FAIL: --gate bogus: exit $rc"
	exit 1
}
echo "ok: --gate"

compare 2 broken --evidence instr base broken
grep -q "does not build" "$tmp/broken.err" || {
	echo "FAIL: broken ref: no reason given"
	cat "$tmp/broken.err"
	exit 1
}
compare 2 badref base no-such-ref
grep -q "no such commit" "$tmp/badref.err" || {
	echo "FAIL: bad ref: no reason given"
	exit 1
}
echo "compare: all passed"
