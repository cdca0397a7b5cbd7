#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# hol-kernel.sh - head-of-line blocking on the real kernel (issue 30):
# Debian's 7.3 on atcbench's patched QEMU with two ATS devices read at
# once (dio, each read a DMA map and unmap), the second answering its ATC
# invalidations late (atcbench kernel run --atc-slow) or, for a while, not
# at all (--atc-timeout: the timeout storm), against the same run with both
# healthy.  Writes the runs into one folder, the plots and report.txt, and
# prints the invalidations' latency side by side (hol-kernel.txt).
#
# usage: scripts/hol-kernel.sh [OUT]   (default results/<run-id>-hol-kernel)
#   OPS (default 2000) reads a run.  The first run builds the patched QEMU
#   (about 20 minutes, cached).  Times are TCG's, the slow answers QEMU's
#   virtual clock: read the runs against each other, not as hardware's.
# Exit status: 0; 1 when a run failed or found a violation (report.txt
# starts with it), after everything is written; 2 a run could not be made.
set -euo pipefail
cd "$(dirname "$0")/.."
case ${1:-} in
-h | --help)
	sed -n 's/^# \{0,1\}//; 4,17p' "$0"
	exit 0
	;;
esac
out=${1:-results/$(date -u +%Y%m%dT%H%M%SZ)-$(hostname -s)-hol-kernel}
ops=${OPS:-2000}
[[ $ops =~ ^[0-9]+$ ]] && ((ops >= 100 && ops <= 100000)) ||
	{ echo "hol-kernel.sh: OPS takes 100 to 100000" >&2; exit 2; }

scripts/deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
bin=build/release/atcbench

# Device 1 is requester 2 << 8: SID 512; device 0 (SID 256) stays healthy.
# The storm: SID 512's ATC_INVs unanswered from the SMMU's 2000th command
# for 200 commands, each failing CMD_SYNC taking 2 ms
runs=(
	"healthy|"
	"slow-100us|--atc-slow 512@0c --atc-slow-delay 100us"
	"slow-1ms|--atc-slow 512@0c --atc-slow-delay 1ms"
	"storm|--atc-timeout 512@2000c+200c --atc-timeout-delay 2ms"
)
status=0
for r in "${runs[@]}"; do
	name=${r%%|*}
	# shellcheck disable=SC2086
	"$bin" kernel run --kernel 7.3 --ats --devices 2 --ops "$ops" \
		${r#*|} --name "$name" --out "$out" >/dev/null || {
		st=$?
		((st == 1)) || exit 2
		status=1
	}
done
{
	echo "Head-of-line blocking on Debian's 7.3 under QEMU (TCG times):"
	echo "two ATS devices read at once, $ops reads; SID 512 slow or failing."
	echo "Every unmap's invalidation (both devices'); >=1ms: their share at"
	echo "or above 1 ms (the slow device's own are half); to: CMD_SYNC waits"
	echo "the kernel gave up (1 s each)"
	printf '%-10s %7s %7s %7s %7s %5s %7s %7s %4s %3s\n' run mean p50 p99 \
		max '>=1ms' atc_256 atc_512 err to
	for r in "${runs[@]}"; do
		name=${r%%|*}
		jq -r --arg n "$name" '
			def t: if . >= 1e9 then "\(. / 1e9 * 100 | round / 100)s"
				elif . >= 1e6 then "\(. / 1e6 * 10 | round / 10)ms"
				else "\(. / 1e3 | round)us" end;
			def sid($s): [.atc_inv[]? | select(.sid == $s) | .count] | add // 0;
			.metrics.inv_ns as $h |
			[$n, ($h.mean | t), ($h.p50 | t), ($h.p99 | t), ($h.max | t),
			 "\(([$h.bins[] | select(.[0] >= 1000000) | .[1]] | add // 0)
				* 100 / $h.count | floor)%",
			 sid(256), sid(512), (.atc_errors.kernel // 0),
			 (.atc_errors.sync_timeouts // 0)] | @tsv' \
			"$out/kernel-$name.json" |
			awk -F'\t' '{ printf "%-10s %7s %7s %7s %7s %5s %7s %7s %4s %3s\n",
				$1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }'
	done
} | tee "$out/hol-kernel.txt"
scripts/plot.sh "$out" >/dev/null
"$bin" report "$out" >/dev/null || status=1
exit "$status"
