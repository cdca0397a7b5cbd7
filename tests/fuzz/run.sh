#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# A short, seeded libFuzzer pass over one target: the corpus in the tree
# first (the crashes once found are among it), then RUNS new inputs from it
# with a fixed seed (-seed=1: the same inputs each time).  New inputs go to
# a scratch folder, never into the tree.
#
# usage: run.sh FUZZER CORPUS_DIR RUNS
set -uo pipefail
fuzzer=$1 corpus=$2 runs=$3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
if ! "$fuzzer" -seed=1 -runs="$runs" -max_len=4096 -timeout=20 \
	-artifact_prefix="$scratch/" "$scratch" "$corpus" >"$scratch/log" 2>&1; then
	cat "$scratch/log"
	for a in "$scratch"/crash-* "$scratch"/leak-* "$scratch"/timeout-*; do
		[[ -e $a ]] && echo "input: $(od -An -c "$a" | head -n 5)"
	done
	exit 1
fi
grep -E '^Done|^#[0-9]+.*DONE' "$scratch/log" | tail -n 2
