#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# atc-storm.sh - seed 003's symptom, upstream against the series, in one
# results folder: Debian's 7.3 on atcbench's patched QEMU with two ATS
# devices, the first of which stops answering ATC invalidations for a while
# (atcbench kernel run --atc-timeout), and the series' code in simulation
# with the same topology and a device that stops answering (atcbench stress
# timeout-storm); then the plots (atc-storm-NAME beside the usual ones) and
# report.txt, with the two side by side.
#
# usage: scripts/atc-storm.sh [OUT]   (default results/<run-id>-atc-storm)
#   FAULT (default 256@2000c+200c) is the --atc-timeout of the real run:
#   SID 0x100, from the SMMU's 2000th command for 200 commands.  The first
#   run builds the patched QEMU (about 20 minutes, cached).
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
out=${1:-results/$(date -u +%Y%m%dT%H%M%SZ)-$(hostname -s)-atc-storm}
fault=${FAULT:-256@2000c+200c}

scripts/deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
bin=build/release/atcbench

# Exit 1 when the ATC oracle saw stale ATC entries (upstream keeps using a
# device whose ATC invalidation timed out): everything is written first
status=0
"$bin" kernel run --kernel 7.3 --ats --devices 2 --ops 400 \
	--atc-timeout "$fault" --name upstream --out "$out" >/dev/null || status=$?
# The series: two domains of one device each, as the guest has; one fault
# from 1.5 s into a 2 s measurement, lasting past its end
"$bin" stress timeout-storm --domains 2 --devices 1 --mappers 2 \
	--duration 2s --fault-interval 1500ms --fault-duration 1s \
	--progress off --name series --out "$out" >/dev/null || status=$?
scripts/plot.sh "$out" >/dev/null
"$bin" report "$out"
exit "$status"
