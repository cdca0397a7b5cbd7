#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# icount-check.sh - are the instruction counts deterministic?  Runs
# scripts/icount.sh REPEAT times on one binary, optionally with a CPU-heavy
# process beside it, and checks that every benchmark gave the same count
# every time.  compare's instruction-count evidence relies on this.
#
# usage: scripts/icount-check.sh [--repeat R] [--iterations N] [--filter RE]
#                                [--load] [--keep DIR] ATCBENCH
#   --repeat      passes over the benchmarks (default 20)
#   --iterations  per benchmark and pass (default 20: compare.sh --quick's)
#   --filter      only the benchmarks that match RE
#   --load        a busy loop on one CPU for the whole check
#   --keep        keep every pass's callgrind dumps in DIR/pass-I/ (for
#                 callgrind_annotate --auto=no A B, to find what differs)
#
# Prints one line per benchmark whose counts differ, then a summary line.
# Exit status: 0 every count repeated, 1 some did not, 2 could not check.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

usage() {
	sed -n 's/^# \{0,1\}//; 4,18p' "$0"
}
die() {
	echo "icount-check.sh: $*" >&2
	exit 2
}

repeat=20 iterations=20 filter=. load=0 keep=
while (($#)); do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--load) load=1; shift; continue ;;
	--repeat | --iterations | --filter | --keep)
		(($# >= 2)) || die "$1 needs a value"
		case $1 in
		--repeat) repeat=$2 ;;
		--iterations) iterations=$2 ;;
		--filter) filter=$2 ;;
		--keep) keep=$2 ;;
		esac
		shift 2
		;;
	-*) die "unknown option $1 (--help lists them)" ;;
	*) break ;;
	esac
done
(($# == 1)) && [[ -x $1 ]] || die "usage: icount-check.sh [options] ATCBENCH (--help)"
[[ $repeat =~ ^[0-9]+$ ]] && ((repeat >= 2 && repeat <= 1000)) ||
	die "--repeat takes 2 to 1000"
bin=$1
tmp=$(mktemp -d)
hog=
cleanup() {
	[[ -z $hog ]] || kill "$hog" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
if ((load)); then
	(while :; do :; done) &
	hog=$!
fi

for ((i = 1; i <= repeat; i++)); do
	echo "icount-check.sh: pass $i/$repeat" >&2
	args=(--iterations "$iterations" --filter "$filter")
	[[ -z $keep ]] || args+=(--keep "$keep/pass-$i")
	"$root/scripts/icount.sh" "${args[@]}" "$bin" "$tmp/$i.tsv" ||
		die "pass $i failed"
done

# benchmark -> the distinct counts seen, in order of first appearance
awk -F"\t" -v passes="$repeat" -v iters="$iterations" '
	FNR == 1 { next }
	{
		n[$1]++
		if (!(($1, $3) in seen)) {
			seen[$1, $3] = 1
			vals[$1] = vals[$1] (vals[$1] == "" ? "" : " ") $3
			kinds[$1]++
		}
		if (!($1 in order)) { order[$1] = ++nb; names[nb] = $1 }
	}
	END {
		bad = 0
		for (i = 1; i <= nb; i++) {
			b = names[i]
			if (n[b] != passes) {
				printf "%s: in %d of %d passes\n", b, n[b], passes
				bad++
			} else if (kinds[b] > 1) {
				printf "%s: %d counts: %s\n", b, kinds[b], vals[b]
				bad++
			}
		}
		printf "icount-check: %d benchmarks, %d passes of %s iterations: %d repeated exactly, %d did not\n",
			nb, passes, iters, nb - bad, bad
		exit bad ? 1 : 0
	}' "$tmp"/*.tsv
