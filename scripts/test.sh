#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# test.sh - install what is missing, build, and run every test through ctest:
# the ASan+UBSan and TSan builds run every test (labels unit, stress, smoke);
# the release build runs the tests that need an uninstrumented binary (the
# instruction counts under callgrind); the fuzz build (clang) a short
# libFuzzer pass over each parser (label fuzz).  Ends with one summary of all builds;
# the exit status is 0 when every test of every build passed, 1 otherwise.
#
# usage: scripts/test.sh [-h|--help]
# Environment: ATCBENCH_SEED fixes the seed of the randomised tests (each
# test prints the seed it used); JOBS sets the parallelism (default: nproc).
set -euo pipefail
cd "$(dirname "$0")/.."

case ${1:-} in
-h | --help)
	sed -n 's/^# \{0,1\}//; 4,13p' "$0"
	exit 0
	;;
"") ;;
*)
	echo "test.sh: takes no arguments (--help)" >&2
	exit 2
	;;
esac

scripts/deps.sh
jobs=${JOBS:-$(nproc)}
presets=(asan tsan release fuzz)

for preset in "${presets[@]}"; do
	cmake --preset "$preset" >/dev/null
	cmake --build --preset "$preset" -j "$jobs"
done

# Every 10 s without a new line of ctest's output, which tests still run
# (a kernel test is silent for minutes): scripts/heartbeat.sh
hb=
trap '[[ -z $hb ]] || kill "$hb" 2>/dev/null' EXIT

# One line per preset: "PRESET: N passed, N failed, N skipped[: names]"
summary=() total_pass=0 total_fail=0 total_skip=0
for preset in "${presets[@]}"; do
	echo "== ctest: $preset =="
	log=build/$preset/ctest.log
	failed_log=build/$preset/Testing/Temporary/LastTestsFailed.log
	rm -f "$failed_log"
	rc=0
	: >"$log"
	scripts/heartbeat.sh "test.sh: $preset" "$log" &
	hb=$!
	ctest --preset "$preset" -j "$jobs" 2>&1 | tee "$log" || rc=$?
	kill "$hb" 2>/dev/null || true
	wait "$hb" 2>/dev/null || true
	hb=
	line=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" |
		tail -n 1 || true)
	if [[ -z $line ]]; then
		# ctest itself failed (no test list, a crash): count it as a failure
		summary+=("$preset: ctest did not complete (exit $rc)")
		total_fail=$((total_fail + 1))
		continue
	fi
	read -r nfail ntotal < <(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1 \2/' <<<"$line")
	names=
	[[ ! -s $failed_log ]] || names=$(cut -d: -f2- "$failed_log" | paste -sd' ')
	if ((rc != 0 && nfail == 0)); then
		nfail=1 names="(ctest exit $rc)"
	fi
	# Skipped (a test that needs what this machine lacks): not passed
	nskip=$(grep -c ' (Skipped)$' "$log" || true)
	summary+=("$preset: $((ntotal - nfail - nskip)) passed, $nfail failed, $nskip skipped${names:+: $names}")
	total_pass=$((total_pass + ntotal - nfail - nskip))
	total_fail=$((total_fail + nfail))
	total_skip=$((total_skip + nskip))
done

echo
echo "== summary =="
printf '%s\n' "${summary[@]}"
echo "total: $total_pass passed, $total_fail failed, $total_skip skipped"
((total_fail == 0))
