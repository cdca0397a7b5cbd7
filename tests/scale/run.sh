#!/bin/sh
# atcbench scale from the command line: a short curve on the kunpeng920-96
# profile, its files and plots, the same figures for the same seed (twice, and from
# atcbench, which hands the command to atcbench-wmm), other figures for
# another seed, the fetch-add and spinlock queues, the time's shares, the
# walker on both designs, and bad options (exit 2).  Its speed and the fit are
# measured by hand (docs/decisions.md), not here.
# usage: run.sh ATCBENCH WORKDIR
set -eu
root_dir=$(cd "$(dirname "$0")/../.." && pwd)
bin=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
fail=0
run() {
	"$bin" scale --cpus 1,2,8 --warmup 20us --duration 200us "$@" \
		>"$work/out" 2>&1 || {
		echo "FAIL: scale $*: exit $?"
		cat "$work/out"
		fail=1
	}
}
# The figures of a run, without the host's time
figures() {
	jq -S 'del(.points[].wall_s, .points[].cpu_s, .points[].points_per_cpu_s, .points[].machine_load)' "$1/scale.json"
}

run --out "$work/a"
run --out "$work/b"
run --out "$work/c" --seed 2
for f in scale.json scale.tsv scale.png scale.svg env.json; do
	[ -s "$work/a/$f" ] || {
		echo "FAIL: no $f"
		fail=1
	}
done
n=$(jq '[.points[] | select(.ops_per_cpu_s > 0 and .cpus > 0)] | length' "$work/a/scale.json")
[ "$n" = 3 ] || {
	echo "FAIL: 3 points with cpus and ops_per_cpu_s expected, got $n"
	fail=1
}
[ "$(jq -r .modelled "$work/a/scale.json")" = true ] || {
	echo "FAIL: the figures are not marked modelled"
	fail=1
}
if [ "$(figures "$work/a")" != "$(figures "$work/b")" ]; then
	echo "FAIL: the same seed gave other figures"
	fail=1
fi
if [ "$(figures "$work/a")" = "$(figures "$work/c")" ]; then
	echo "FAIL: another seed gave the same figures"
	fail=1
fi

# The fetch-add queue, held against the published atomic-add row
run --out "$work/f" --queue fetch-add
[ "$(jq -r '.queue + " " + (.points[1].published_row // "none")' "$work/f/scale.json")" = "fetch-add atomic-add" ] || {
	echo "FAIL: --queue fetch-add is not compared with the atomic-add row"
	fail=1
}

# The spinlock queue: no published row; the time's shares sum to 1
run --out "$work/l" --queue locked
[ "$(jq -r '[.queue, (.points[2].published_row // "none"), (.points[2].ops > 0)] | join(" ")' "$work/l/scale.json")" = "locked none true" ] || {
	echo "FAIL: --queue locked: no operations, or held against a published row"
	fail=1
}
bad_sum=$(jq -s '[.[].points[] | .time_share | add | select(. < 0.999 or . > 1.001)] | length' "$work/a/scale.json" "$work/l/scale.json")
[ "$bad_sum" = 0 ] || {
	echo "FAIL: $bad_sum points whose time shares do not sum to 1"
	fail=1
}

# The walker on both designs: a TLBI list and an ATC_INV list per unmap
for w in rcu devlist; do
	run --out "$work/w-$w" --workload walker --walker $w --entries 4
	[ "$(jq -r '[.workload, .walker, .entries, ([.points[] | select(.ops > 0 and .lists >= 2 * .ops)] | length)] | join(" ")' "$work/w-$w/scale.json")" = "walker $w 4 3" ] || {
		echo "FAIL: --workload walker --walker $w: not two lists an operation"
		fail=1
	}
done

# The host profile on a synthetic machine (2 packages of 2 L3s of 3 L2s of
# 4 cores): its layout from hwloc; its transfers cannot be measured there
HWLOC_SYNTHETIC="package:2 l3:2 l2:3 core:4 pu:1" run --out "$work/h" \
	--profile host --cpus 1,48 --duration 20us
[ "$(jq -c '[.profile, .layout, .transfer_ns, [.points[].cpus]]' "$work/h/scale.json")" = '["host",[4,3,2,2],[89,89,119,319],[1,48]]' ] || {
	echo "FAIL: --profile host on a synthetic machine: $(jq -c '[.profile, .layout, .transfer_ns]' "$work/h/scale.json")"
	fail=1
}
st=0
HWLOC_SYNTHETIC="package:2 l3:2 l2:3 core:4 pu:1" "$bin" scale --profile host \
	--cpus 49 --out "$work/bad" >/dev/null 2>&1 || st=$?
[ $st = 2 ] || {
	echo "FAIL: 49 CPUs on a 48-core host profile: exit $st, not 2"
	fail=1
}

# A queue per CPU is not upstream's queue: no published row beside it
"$bin" scale --workload map-unmap --cmdq per-cpu --cpus 2 --duration 100us \
	--out "$work/q" >/dev/null 2>&1 || {
	echo "FAIL: scale --cmdq per-cpu: exit $?"
	fail=1
}
[ "$(jq '[.points[] | select(has("published"))] | length' "$work/q/scale.json")" = 0 ] || {
	echo "FAIL: scale --cmdq per-cpu held against the published row"
	fail=1
}

# Several folders overlaid
"$root_dir/scripts/plot.sh" --out "$work/v" "$work/a" "$work/l" >/dev/null 2>&1 &&
	[ -s "$work/v/scale-variants.png" ] && [ -s "$work/v/scale-l.png" ] || {
	echo "FAIL: plot.sh did not overlay two scale folders"
	fail=1
}

for bad in "--cpus 0" "--cpus 97" "--profile none" "--duration 1ns" \
	"--workload x" "--cmds 65" "--fit --workload cmdlist" \
	"--fit --queue fetch-add" "--queue ticket" "--cmdq-lock x" \
	"--workload walker --queue locked" "--entries 0" "--walker x" \
	"--fit --profile host" "--cmdq per-cpu --queue locked" \
	"--cmdq ats --workload walker" "--queues 4" "--fit --cmdq per-cpu" \
	"--workload hol --cpus 1,2" "--workload hol --slow-ns 2ms" \
	"--workload hol --slow-ns 1ms --slow-timeout"; do
	# shellcheck disable=SC2086
	if "$bin" scale --out "$work/bad" $bad >/dev/null 2>&1; then
		echo "FAIL: scale $bad accepted"
		fail=1
	else
		st=$?
		[ $st = 2 ] || {
			echo "FAIL: scale $bad: exit $st, not 2"
			fail=1
		}
	fi
done
"$bin" scale --help | grep -q -- "--profile" || {
	echo "FAIL: no --help"
	fail=1
}
exit $fail
