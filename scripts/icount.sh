#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# icount.sh - instructions per operation of the single-thread micro
# benchmarks, counted by callgrind: deterministic where wall-clock time is
# not, so two builds can be compared with a tight band.
#
# usage: scripts/icount.sh [--iterations N] [--jobs J] [--filter RE]
#                          [--keep DIR] ATCBENCH OUT.tsv
#   ATCBENCH  an atcbench binary (a release build)
#   OUT.tsv   benchmark, iterations, instructions, instructions_per_op,
#             sim_per_op (those of the simulation: functions and inlined
#             code of sim/'s files; the rest is the kernel-form code, its
#             shims and the benchmark's loop)
#   --keep    keep each benchmark's callgrind dump in DIR (NAME.cg, the
#             name with '/' as '_'), for callgrind_annotate
#
# Each benchmark runs in a process of its own, N iterations (default 100),
# with address-space randomisation off (setarch -R): every benchmark starts
# from the same heap, whatever ran before it, so the allocator's paths, and
# the counts, repeat exactly.  Callgrind counts only the timed loop (see
# bench/gbench/gbench.h).  Processes run J at a time (default: nproc).
set -euo pipefail

iterations=100 jobs=$(nproc) filter=. keep=
while [[ $# -gt 2 ]]; do
	case $1 in
	--iterations) iterations=$2 ;;
	--jobs) jobs=$2 ;;
	--filter) filter=$2 ;;
	--keep) keep=$2 ;;
	*) break ;;
	esac
	shift 2
done
[[ $# == 2 && -x $1 ]] || {
	echo "usage: scripts/icount.sh [--iterations N] [--jobs J] [--filter RE] [--keep DIR] ATCBENCH OUT.tsv" >&2
	exit 2
}
[[ $iterations =~ ^[0-9]+$ && $iterations -ge 1 && $iterations -le 1000000 ]] || {
	echo "icount.sh: --iterations takes 1 to 1000000" >&2
	exit 2
}
[[ $jobs =~ ^[0-9]+$ && $jobs -ge 1 && $jobs -le 64 ]] || {
	echo "icount.sh: --jobs takes 1 to 64" >&2
	exit 2
}
for tool in valgrind setarch; do
	command -v $tool >/dev/null || {
		echo "icount.sh: $tool is missing (scripts/deps.sh installs it)" >&2
		exit 2
	}
done
bin=$(realpath "$1") out=$2
[[ -z $keep ]] || mkdir -p "$keep" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

names=$("$bin" micro --icount "$iterations" --benchmark_list_tests \
	--benchmark_filter="$filter" | sed 's,/iterations:.*,,')
[[ -n $names ]] || {
	echo "icount.sh: no benchmark matches $filter" >&2
	exit 2
}

# LD_BIND_NOW: every symbol bound at start-up, not on its first call (which
# can fall inside a counted window, and does when that call's timing varies)
count() { # INDEX NAME
	LD_BIND_NOW=1 setarch -R valgrind --tool=callgrind --collect-atstart=no \
		--callgrind-out-file="$tmp/$1.cg" "$bin" micro \
		--icount "$iterations" --benchmark_filter="^$2/iterations:" \
		>"$tmp/$1.log" 2>&1 || {
		echo "icount.sh: $2 failed under callgrind:" >&2
		tail -5 "$tmp/$1.log" >&2
		return 1
	}
}

i=0 failed=0
while read -r name; do
	while (($(jobs -rp | wc -l) >= jobs)); do
		wait -n || failed=1
	done
	count $i "$name" &
	i=$((i + 1))
done <<<"$names"
while (($(jobs -rp | wc -l))); do
	wait -n || failed=1
done
((!failed)) || exit 1

# The instructions of code in sim/'s files, by the file callgrind gives each
# (an inlined line is its file's): a file whose directory is sim, whatever
# the path to the tree
sim_ir() { # DUMP
	callgrind_annotate --inclusive=no --auto=no --threshold=100 "$1" | awk '
		match($0, /^ *[0-9,]+ \( *[0-9.]+%\)  /) {
			ir = $1; gsub(",", "", ir)
			file = substr($0, RLENGTH + 1); sub(/:.*/, "", file)
			if (file ~ /(^|\/)sim\/[^\/]+$/) sim += ir
		}
		END { printf "%d\n", sim }'
}

{
	printf 'benchmark\titerations\tinstructions\tinstructions_per_op\tsim_per_op\n'
	i=0
	while read -r name; do
		# One dump per benchmark: <file>.1, described by the name
		f=$tmp/$i.cg.1
		grep -qxF "desc: Trigger: Client Request: $name" "$f" || {
			echo "icount.sh: no callgrind dump for $name" >&2
			exit 1
		}
		ir=$(sed -n 's/^totals: *//p' "$f")
		sim=$(sim_ir "$f")
		[[ -z $keep ]] || cp "$f" "$keep/${name//\//_}.cg"
		awk -v n="$name" -v it="$iterations" -v ir="$ir" -v sim="$sim" \
			'BEGIN { printf "%s\t%d\t%d\t%.1f\t%.1f\n", n, it, ir, ir / it, sim / it }'
		i=$((i + 1))
	done <<<"$names"
} >"$tmp/out.tsv"
mv "$tmp/out.tsv" "$out.tmp" && mv "$out.tmp" "$out"
