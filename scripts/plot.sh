#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# plot.sh - draw the plots of a results folder (SVG and PNG, into it):
#   latency-<name>.{svg,png}   percentile distribution of every metric of
#                              stress run <name> (1/(1-p) axis)
#   latency-inv.{svg,png}      end-to-end invalidation latency of every run
#   isolation-k1.{svg,png}     isolation time versus n per strategy, one
#                              panel per timeout (from isolate.tsv)
# usage: scripts/plot.sh DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[[ $# == 1 && -d $1 ]] || {
	echo "usage: scripts/plot.sh DIR" >&2
	exit 2
}
command -v gnuplot >/dev/null || {
	echo "plot.sh: gnuplot is missing (scripts/deps.sh installs it)" >&2
	exit 2
}
dir=$1
sha=$(jq -r '.git_sha[0:12] // "?"' "$dir/env.json" 2>/dev/null || echo "?")
made=0

gp() { # SCRIPT EXPR
	gnuplot -e "$2" "$root/plots/$1"
	made=$((made + 1))
}

all_files="" all_titles=""
for j in "$dir"/stress-*.json; do
	[[ -f $j ]] || continue
	name=$(jq -r .name "$j")
	files="" titles=""
	for m in inv cmdq_insert cmdq_sync bystander_inv isolation time_to_quarantine; do
		h="$dir/stress-$name-$m.hgrm"
		[[ -f $h ]] || continue
		files+="$h " titles+="$m "
	done
	[[ -n $files ]] || continue
	gp latency.gp "files='$files'; titles='$titles'; out='$dir/latency-$name'; ttl='stress $name: latency distribution ($sha)'"
	if [[ -f $dir/stress-$name-inv.hgrm ]]; then
		all_files+="$dir/stress-$name-inv.hgrm " all_titles+="$name "
	fi
done
if [[ -n $all_files ]]; then
	gp latency.gp "files='$all_files'; titles='$all_titles'; out='$dir/latency-inv'; ttl='arm_smmu_domain_inv_range() end to end, every scenario ($sha)'"
fi
if [[ -f $dir/isolate.tsv ]]; then
	gp isolation.gp "tsv='$dir/isolate.tsv'; k=1; out='$dir/isolation-k1'; ttl='isolation of 1 faulty device in a batch of n ($sha)'"
fi
echo "plot.sh: $made plots (svg and png) in $dir"
