#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bisect.sh - the test for `git bisect run`: compare.sh of GOOD against
# the commit bisect checked out, its verdict as bisect's exit status.
#
# usage: bisect.sh [compare.sh's options] GOOD
# Bisect checks other commits out, so run a copy from outside the tree:
#   mkdir -p /tmp/atcb && cp -r scripts /tmp/atcb/
#   git bisect start BAD GOOD
#   git bisect run /tmp/atcb/scripts/bisect.sh --quick GOOD
#   git bisect reset
# The options go to compare.sh (--quick, --gate, --evidence...; --repo is
# the repository of the current folder); each step writes its comparison
# under the copy's results/.
#
# Exit status: 0 good (nothing that gates changed), 1 bad (a violation, a
# changed invalidation count or a regression: compare.sh's exit 1), 125
# skip (the commit could not be compared: it does not build, or a tool
# failed), 128 abort the bisection (bad usage, not in a git repository).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
compare=${ATCBENCH_COMPARE:-$here/compare.sh}

usage() {
	awk 'NR >= 4 && !/^#/ { exit } NR >= 4 { sub(/^# ?/, ""); print }' "$0"
}
case ${1:-} in
-h | --help)
	usage
	exit 0
	;;
esac
if (($# < 1)) || [[ ${!#} == -* ]]; then
	echo "bisect.sh: which commit is good? (--help)" >&2
	exit 128
fi
repo=$(git rev-parse --show-toplevel 2>/dev/null) || {
	echo "bisect.sh: not in a git repository" >&2
	exit 128
}
good=${!#}
opts=("${@:1:$#-1}")

"$compare" --repo "$repo" "${opts[@]}" "$good" HEAD
rc=$?
case $rc in
0 | 1) exit $rc ;;
*)
	echo "bisect.sh: compare.sh exited $rc: skipping $(git -C "$repo" rev-parse --short HEAD)" >&2
	exit 125
	;;
esac
