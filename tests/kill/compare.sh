#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Nothing lost, for scripts/compare.sh (too slow for ctest: each run builds
# two refs): KILLS runs of `compare.sh --quick BASE HEAD` are sent SIGINT,
# SIGTERM or SIGKILL (to the process group, as a terminal or CI does) at a
# random moment of their first MAXS seconds.  Afterwards the comparison
# folder is either absent or whole (every JSON parses, compare.json is
# there); after SIGINT or SIGTERM neither its staging folder nor a worktree
# is left; after SIGKILL only the staging folder (<out>.tmp.PID, a
# temporary) may be.  A comparison has no meaningful half: an interrupted
# one is not written (docs/decisions.md).  Moments and signals come from
# the printed seed (ATCBENCH_SEED=N replays them).
#
# usage: tests/kill/compare.sh WORKDIR [KILLS [MAXS [BASE [HEAD]]]]
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$1 kills=${2:-3} maxs=${3:-200} base=${4:-HEAD~1} head=${5:-HEAD}
seed=${ATCBENCH_SEED:-$(date +%s)}
echo "kill-compare: seed=$seed (ATCBENCH_SEED=$seed to reproduce)"
RANDOM=$seed
rm -rf "$work"
mkdir -p "$work"
fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}
signals=(INT TERM KILL)

for ((i = 1; i <= kills; i++)); do
	sig=${signals[RANDOM % ${#signals[@]}]}
	s=$((RANDOM % maxs))
	out=$work/$i-$sig
	# a background job of a script starts with SIGINT ignored, which bash
	# cannot undo: reset it first, as a terminal's job has it
	setsid /usr/bin/python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$root/scripts/compare.sh" --quick \
		--out "$out" "$base" "$head" >"$work/$i.log" 2>&1 &
	pid=$!
	sleep "$s"
	alive=0
	kill -0 "$pid" 2>/dev/null && alive=1
	kill "-$sig" -- "-$pid" 2>/dev/null
	wait "$pid"
	st=$?
	echo "kill $i: SIG$sig after $s s ($([[ $alive == 1 ]] && echo running || echo finished)), exit $st"
	[[ $sig == KILL || ! -e $out.failed ]] ||
		bad "kill $i: $out.failed left after SIG$sig (a step taken for a failure)"
	if [[ -d $out ]]; then
		[[ -f $out/compare.json ]] || bad "kill $i: $out without compare.json"
		while IFS= read -r j; do
			jq empty "$j" 2>/dev/null || bad "kill $i: $j does not parse"
		done < <(find "$out" -name '*.json')
		[[ $alive == 0 ]] && continue
	fi
	left=$(ls -d "$out".tmp.* 2>/dev/null)
	if [[ $sig != KILL && -n $left ]]; then
		bad "kill $i: staging left after SIG$sig: $left"
	fi
	git -C "$root" worktree prune
	if [[ $sig != KILL ]] && git -C "$root" worktree list | grep -q atcbench-compare; then
		bad "kill $i: a worktree left after SIG$sig"
	fi
	# what SIGKILL left: the staging folder, the worktrees
	rm -rf "$out".tmp.* "$out.failed"
	git -C "$root" worktree list --porcelain |
		sed -n 's/^worktree \(.*atcbench-compare\..*\)$/\1/p' |
		xargs -r -n1 git -C "$root" worktree remove --force
done
((fail == 0)) && echo "kill-compare: $kills kills, nothing half-written"
exit $fail
