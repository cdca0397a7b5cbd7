#!/bin/sh
# The cmdq lock on a tiny queue (issue 29, item 5): eight CPUs issue
# 63-command lists with a CMD_SYNC on a 256-entry queue, so most of them
# wait for space and take the lock exclusive to refresh cons, while the
# others wait for the lock shared.  With the unlock as it was before
# df180b1a (an exclusive unlock that drops the shared waiters' increments)
# a shared waiter starves: no progress, its wait still under way.  With
# upstream's, every list completes and no shared wait is long.  Virtual
# time: the figures are a function of the seed, not of the host's load.
# usage: tiny-queue.sh ATCBENCH WORKDIR
set -eu
bin=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
fail=0
args="--workload cmdlist --cmds 63 --cmdq-shift 8 --cpus 8 --duration 1ms
	--max-steps 1000000"
for lock in old new; do
	# shellcheck disable=SC2086
	"$bin" scale $args --cmdq-lock $lock --out "$work/$lock" \
		>"$work/$lock.out" 2>&1 || true
	[ -s "$work/$lock/scale.json" ] || {
		echo "FAIL: --cmdq-lock $lock: no scale.json"
		cat "$work/$lock.out"
		exit 1
	}
	echo "--cmdq-lock $lock: $(jq -c '.points[0] | {livelock, ops, kernel_errors, lock_wait_max_ns: .wait_max_ns.lock}' "$work/$lock/scale.json")"
done
# Old: no progress, a shared waiter waiting for at least a millisecond
[ "$(jq -r '.points[0] | .livelock and .wait_max_ns.lock >= 1000000' "$work/old/scale.json")" = true ] || {
	echo "FAIL: the old unlock did not starve a shared waiter"
	fail=1
}
grep -q "no progress" "$work/old.out" || {
	echo "FAIL: the old unlock's starvation was not reported"
	fail=1
}
# New: progress, no error, every shared wait under 10 us
[ "$(jq -r '.points[0] | (.livelock | not) and .ops > 0 and .kernel_errors == 0 and .wait_max_ns.lock < 10000' "$work/new/scale.json")" = true ] || {
	echo "FAIL: upstream's unlock starved a shared waiter, or the run failed"
	cat "$work/new.out"
	fail=1
}
exit $fail
