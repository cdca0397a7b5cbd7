#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# heartbeat.sh - say what a long, silent step is doing: every
# HEARTBEAT_SECONDS (default 10) in which LOG got no new line, print one
# line "LABEL: M min S s: still running" and, from what LOG holds, what:
# the tests a ctest run started and has not finished, or a build's last
# "[N/M]" step.  Runs until killed; test.sh and compare.sh start it in the
# background beside ctest and the builds.
#
# usage: scripts/heartbeat.sh LABEL LOG
set -uo pipefail
case ${1:-} in
-h | --help)
	sed -n 's/^# \{0,1\}//; 4,11p' "$0"
	exit 0
	;;
esac
(($# == 2)) || {
	echo "usage: scripts/heartbeat.sh LABEL LOG" >&2
	exit 2
}
label=$1 log=$2 every=${HEARTBEAT_SECONDS:-10}
[[ $every =~ ^[1-9][0-9]*$ ]] || {
	echo "heartbeat.sh: HEARTBEAT_SECONDS: a whole number of seconds, not '$every'" >&2
	exit 2
}
t0=$SECONDS last=$(wc -l <"$log" 2>/dev/null || echo 0)
while sleep "$every"; do
	lines=$(wc -l <"$log" 2>/dev/null || echo 0)
	if ((lines == last)); then
		what=$(awk '/ Start +[0-9]+: / { s[$NF] = 1; ctest = 1 }
		  / Test +#[0-9]+: / { for (i = 1; i < NF; i++)
		      if ($i ~ /^#[0-9]+:$/) delete s[$(i + 1)] }
		  /^\[[0-9]+\/[0-9]+\]/ { step = $1 }
		  END { if (ctest) for (n in s) printf " %s", n
			else if (step != "") printf " step %s", step }' "$log" 2>/dev/null)
		t=$((SECONDS - t0))
		echo "$label: $((t / 60)) min $((t % 60)) s: still running${what:+:$what}"
	fi
	last=$lines
done
