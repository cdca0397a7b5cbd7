#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# test.sh - install what is missing, build the ASan+UBSan and TSan builds,
# and run every test (labels unit, stress, smoke) in both through ctest.
#
# Environment: ATCBENCH_SEED fixes the seed of the randomised tests (each
# test prints the seed it used); JOBS sets the parallelism (default: nproc).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
jobs=${JOBS:-$(nproc)}

for preset in asan tsan; do
	cmake --preset "$preset" >/dev/null
	cmake --build --preset "$preset" -j "$jobs"
done

status=0
for preset in asan tsan; do
	echo "== ctest: $preset =="
	ctest --preset "$preset" -j "$jobs" || status=1
done
exit $status
