#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The instruction counts repeat exactly (ctest label "stress", release
# build only: callgrind cannot run a sanitized binary): every icount
# benchmark, REPEAT passes at compare.sh --quick's 20 iterations, with a
# busy loop beside them.  The full check is scripts/icount-check.sh's
# default, 20 passes.
# usage: run.sh ATCBENCH [REPEAT]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
exec "$root/scripts/icount-check.sh" --repeat "${2:-4}" --load "$1"
