#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# plot.sh - draw the plots of one results folder, or of several overlaid
# (base and head of a comparison: one colour per folder in every plot).
# Every plot is written as SVG and PNG:
#   latency-<run>     percentile distribution (1/(1-p) axis) of every metric
#                     of stress run <run>
#   cdf-<run>         CDF of its invalidation latency
#   latency-inv-<scenario>  invalidation latency of each run of a scenario
#                     with several (one folder only)
#   timeline-<run>    a timeout-storm run over time: worst latency per bin,
#                     with the faults, timeouts, quarantines and resets
#   atc-storm-<run>   a real kernel's ATC timeout storm (kernel run
#                     --atc-timeout) per second, above the folder's
#                     timeout-storm run of the series in simulation
#   throughput        mapper throughput versus mapper threads (baseline runs
#                     in real time with different --mappers; repeated runs:
#                     the median, bars from the lowest to the highest)
#   isolation-k1      isolation time and innocent devices quarantined
#                     versus n per strategy, one column per timeout
#   micro             micro benchmarks, each folder's median relative to the
#                     first folder's, with the quartiles as error bars
#   scale             atcbench scale: operations per CPU per second against
#                     CPUs beside the published rows, cmpxchg attempts per
#                     list, latency percentiles, where the time goes and
#                     the longest waits (several folders: scale-<folder>)
#   scale-variants    several scale folders overlaid: operations per CPU
#                     per second and p99 latency of each
#   review-batching   atcbench review: the search for a timed-out device
#   review-hol        atcbench review: head-of-line blocking
#                     among k per strategy and timeout, and the fault rate
#                     below which one sync for all k pays
# usage: scripts/plot.sh [--out DIR] DIR [DIR...]
#   --out: where the plots go (default: DIR with one folder; the folders'
#   common parent with several)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
usage() {
	echo "usage: scripts/plot.sh [--out DIR] DIR [DIR...]" >&2
	exit 2
}
case ${1:-} in
-h | --help)
	awk 'NR >= 4 && !/^#/ { exit } NR >= 4 { sub(/^# ?/, ""); print }' "$0"
	exit 0
	;;
esac
out=""
if [[ ${1:-} == --out ]]; then
	(($# >= 2)) || usage
	out=$2
	shift 2
fi
(($# >= 1)) || usage
for d in "$@"; do
	[[ -d $d ]] || {
		echo "plot.sh: $d: not a folder" >&2
		exit 2
	}
	compgen -G "$d/stress-*.json" >/dev/null || compgen -G "$d/kernel-*.json" >/dev/null ||
		[[ -f $d/micro.json || -f $d/isolate.json || -f $d/scale.tsv ||
			-f $d/review.json ]] || {
		echo "plot.sh: $d: no results (stress-*.json, kernel-*.json, micro.json, isolate.json, scale.tsv or review.json)" >&2
		exit 2
	}
done
for tool in gnuplot jq; do
	command -v $tool >/dev/null || {
		echo "plot.sh: $tool is missing (scripts/deps.sh installs it)" >&2
		exit 2
	}
done
dirs=("$@")
nd=${#dirs[@]}
if [[ -z $out ]]; then
	out=${dirs[0]}
	if ((nd > 1)); then
		out=$(dirname "$(realpath "${dirs[0]}")")
		for d in "${dirs[@]}"; do
			[[ $(dirname "$(realpath "$d")") == "$out" ]] || {
				echo "plot.sh: the folders have no common parent: give --out" >&2
				exit 2
			}
		done
	fi
fi
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A label per folder, one word (gnuplot word lists): "base:HEAD~1@6a5c2fe"
# in a comparison, else the short sha
labels=()
for d in "${dirs[@]}"; do
	labels+=("$(jq -r '(if .side then "\(.side):\(.ref // "?")@" else "" end)
	    + (.git_sha // "?")[0:7] | gsub("[ \t]"; "_")' "$d/env.json" 2>/dev/null ||
		basename "$d")")
done
refs=$(printf '%s vs ' "${labels[@]}")
refs=${refs% vs }
titles="${labels[*]}"

made=0
gp() { # SCRIPT EXPR
	if gnuplot -e "dir='$root/plots'; $2" "$root/plots/$1" 2>"$tmp/gp.err"; then
		made=$((made + 1))
	else
		echo "plot.sh: $1 failed:" >&2
		cat "$tmp/gp.err" >&2
		return 1
	fi
}

# atcbench review's batching question, per folder
for ((f = 0; f < nd; f++)); do
	d=${dirs[$f]}
	[[ -f $d/review-batching.tsv && -f $d/review.json ]] || continue
	sfx=""
	((nd > 1)) && sfx="-${labels[$f]//[^A-Za-z0-9_.-]/_}"
	gp review-batching.gp "tsv='$d/review-batching.tsv'; timeouts='$(jq -r '[.batching[].timeout_ns] | unique | map(tostring) | join(" ")' "$d/review.json")'; tnames='$(jq -r '[.batching[].timeout_ns] | unique | map(if . >= 1e9 then "\(. / 1e9)s" elif . >= 1e6 then "\(. / 1e6)ms" elif . >= 1e3 then "\(. / 1e3)us" else "\(.)ns" end) | join(" ")' "$d/review.json")'; strategies='$(jq -r '[.batching[].strategy] | unique | join(" ")' "$d/review.json")'; out='$out/review-batching$sfx'; ttl='atcbench review: one sync for k devices, or one each (modelled time; $(jq -r '"sync \(.costs.sync_ns) ns, ATC_INV \(.costs.cmd_ns) ns"' "$d/review.json"))'"
done

# atcbench review's head-of-line question, per folder
for ((f = 0; f < nd; f++)); do
	d=${dirs[$f]}
	[[ -f $d/review-hol.tsv && -f $d/review.json ]] || continue
	sfx=""
	((nd > 1)) && sfx="-${labels[$f]//[^A-Za-z0-9_.-]/_}"
	gp review-hol.gp "tsv='$d/review-hol.tsv'; cpus=$(jq .hol.cpus "$d/review.json"); out='$out/review-hol$sfx'; ttl='atcbench review: head-of-line blocking behind a slow ATC_INV (modelled time; $(jq -r '"\(.hol.profile), healthy devices \(.hol.dev_ns) ns, ATC timeout \(.hol.atc_timeout_ns / 1e6) ms"' "$d/review.json"))'"
done

# atcbench scale's curve, per folder (several: each named by its folder,
# the folder's label where two share a name), then the folders overlaid
scale_tsvs=()
scale_names=()
for ((f = 0; f < nd; f++)); do
	d=${dirs[$f]}
	[[ -f $d/scale.tsv && -f $d/scale.json ]] || continue
	name=$(basename "$(realpath "$d")")
	[[ " ${scale_names[*]} " != *" $name "* ]] || name=${labels[$f]}
	name=${name//[^A-Za-z0-9_.-]/_}
	scale_tsvs+=("$d/scale.tsv")
	scale_names+=("$name")
	sfx=""
	((nd > 1)) && sfx="-${name#scale-}"
	gp scale.gp "tsv='$d/scale.tsv'; out='$out/scale$sfx'; ttl='$(jq -r '"atcbench scale: \(.workload) on \(.profile), \(.queue) queue, seed \(.seed), modelled time"' "$d/scale.json")'"
done
if ((${#scale_tsvs[@]} > 1)); then
	gp scale-variants.gp "tsvs='${scale_tsvs[*]}'; names='${scale_names[*]}'; out='$out/scale-variants'; ttl='atcbench scale: ${scale_names[*]} (modelled time)'"
fi

# The stress runs of any folder, by name; a repetition (NAME-r2, -r3...,
# for the throughput plot's medians) gets no plots of its own
mapfile -t runs < <(for d in "${dirs[@]}"; do
	for j in "$d"/stress-*.json; do
		[[ -f $j ]] && jq -r .name "$j"
	done
done | grep -v -- '-r[0-9][0-9]*$' | sort -u)

metrics=(inv cmdq_insert cmdq_sync bystander_inv isolation time_to_quarantine)
# One folder: each scenario's runs (their strategies, mapper counts)
# overlaid, one plot per scenario, so each stays readable
declare -A sc_files=() sc_titles=() sc_n=()
for name in "${runs[@]}"; do
	files="" ttls="" colors="" dashes="" cfiles="" cttls="" ccolors=""
	for ((f = 0; f < nd; f++)); do
		d=${dirs[$f]}
		for ((m = 0; m < ${#metrics[@]}; m++)); do
			h="$d/stress-$name-${metrics[$m]}.hgrm"
			[[ -f $h ]] || continue
			files+="$h "
			if ((nd > 1)); then
				ttls+="${labels[$f]}:${metrics[$m]} "
				colors+="$((f + 1)) " dashes+="$((m + 1)) "
			else
				ttls+="${metrics[$m]} " colors+="$((m + 1)) " dashes+="1 "
			fi
		done
		h="$d/stress-$name-inv.hgrm"
		if [[ -f $h ]]; then
			# the CDF from the histogram's own bins (the .hgrm's
			# percentile rows are too coarse for it): us, fraction;
			# from the .hgrm where the JSON has no bins (a trimmed
			# or an older folder)
			c=$tmp/cdf-$f-$name.tsv
			jq -r '.metrics.inv_ns | (.bins | map(.[1]) | add) as $n
			  | foreach .bins[] as $b (0; . + $b[1]; [$b[0] / 1000, . / $n])
			  | @tsv' "$d/stress-$name.json" >"$c" 2>/dev/null || : >"$c"
			[[ -s $c ]] || c=$h
			cfiles+="$c " cttls+="${labels[$f]} " ccolors+="$((f + 1)) "
			if ((nd == 1)); then
				sc=$(jq -r '.scenario // "other"' "$d/stress-$name.json")
				sc=${sc//[^A-Za-z0-9_.-]/_}
				sc_n[$sc]=$((${sc_n[$sc]:-0} + 1))
				sc_files[$sc]+="$h " sc_titles[$sc]+="$name "
			fi
		fi
	done
	[[ -n $files ]] || continue
	gp latency.gp "files='$files'; titles='$ttls'; colors_of='$colors'; dashes='$dashes'; cdf=0; out='$out/latency-$name'; ttl='stress $name: latency distribution ($refs)'"
	if [[ -n $cfiles ]]; then
		gp latency.gp "files='$cfiles'; titles='$cttls'; colors_of='$ccolors'; dashes='$(printf '1 %.0s' $cfiles)'; cdf=1; out='$out/cdf-$name'; ttl='stress $name: CDF of arm_smmu_domain_inv_range() latency ($refs)'"
	fi

	# A timeline of each real-time timeout storm
	tls="" evs="" tttl=""
	for ((f = 0; f < nd; f++)); do
		d=${dirs[$f]}
		[[ -f $d/stress-$name-timeline.tsv && -f $d/stress-$name-events.tsv ]] || continue
		jq -e '.scenario == "timeout-storm" and .clock == "real"' \
			"$d/stress-$name.json" >/dev/null 2>&1 || continue
		tls+="$d/stress-$name-timeline.tsv " evs+="$d/stress-$name-events.tsv "
		tttl+="${labels[$f]} "
	done
	if [[ -n $tls ]]; then
		gp timeline.gp "tls='$tls'; evs='$evs'; titles='$tttl'; out='$out/timeline-$name'; ttl='stress $name (timeout-storm), over time ($refs)'"
	fi
done
for sc in "${!sc_n[@]}"; do
	((sc_n[$sc] > 1)) || continue
	# colour i, and a new dash every 8 colours: no two alike
	n=${sc_n[$sc]} cols="" dsh=""
	for ((i = 1; i <= n; i++)); do
		cols+="$i " dsh+="$(((i - 1) / 8 + 1)) "
	done
	gp latency.gp "files='${sc_files[$sc]}'; titles='${sc_titles[$sc]}'; colors_of='$cols'; dashes='$dsh'; cdf=0; out='$out/latency-inv-$sc'; ttl='$sc: arm_smmu_domain_inv_range() end to end, each run ($refs)'"
done

# The real-kernel runs (atcbench kernel): the command list's issue and the
# domain invalidation, per folder
mapfile -t kruns < <(for d in "${dirs[@]}"; do
	for j in "$d"/kernel-*.json; do
		[[ -f $j ]] && jq -r .name "$j"
	done
done | sort -u)
kmetrics=(cmdq_issue inv)
for name in "${kruns[@]}"; do
	files="" ttls="" colors="" dashes=""
	for ((f = 0; f < nd; f++)); do
		d=${dirs[$f]}
		[[ -f $d/kernel-$name.json ]] || continue
		# Folders of one build often hold different kernels: name those
		kern=$(jq -r .kernel "$d/kernel-$name.json")
		for ((m = 0; m < ${#kmetrics[@]}; m++)); do
			h="$d/kernel-$name-${kmetrics[$m]}.hgrm"
			[[ -f $h ]] || continue
			files+="$h "
			if ((nd > 1)); then
				ttls+="${labels[$f]}/$kern:${kmetrics[$m]} "
				colors+="$((f + 1)) " dashes+="$((m + 1)) "
			else
				ttls+="${kmetrics[$m]} " colors+="$((m + 1)) " dashes+="1 "
			fi
		done
	done
	[[ -n $files ]] || continue
	# The kernel (its release, and its commit when built from a tree) in
	# the title, whether its times are emulated, atcbench's own commit in
	# the footer
	d=${dirs[0]}
	kern=$(jq -r '.kernel + (if .accel == "tcg" then ", times emulated (QEMU TCG)" else "" end)' \
		"$d/kernel-$name.json" 2>/dev/null || echo "?")
	commit=$(jq -r 'if .guest and .ref then " at \(.git_sha[0:12])" else "" end' \
		"$d/env.json" 2>/dev/null || true)
	self=$(jq -r '(.atcbench_git_sha // .git_sha // "?")[0:12]' "$d/env.json" 2>/dev/null || echo "?")
	if ((nd > 1)); then
		ktitle="kernel $name, $refs: cmdq issue and domain invalidation"
	else
		ktitle="kernel $name: $kern$commit"
	fi
	gp latency.gp "files='$files'; titles='$ttls'; colors_of='$colors'; dashes='$dashes'; cdf=0; out='$out/latency-kernel-$name'; ttl='${ktitle//_/\\_}'; foot='atcbench ${self}'"
done

# An ATC timeout storm on the real kernel (kernel run --atc-timeout) beside
# the series' timeout-storm in simulation, from one folder: upstream
# against the series
for d in "${dirs[@]}"; do
	# the first timeout-storm run (no "| head": with pipefail, the loop
	# writing on would die of SIGPIPE, and plot.sh with it)
	sim=
	for j in "$d"/stress-*.json; do
		[[ -f $j ]] || continue
		sim=$(jq -r 'select(.scenario == "timeout-storm") | .name' "$j")
		[[ -z $sim ]] || break
	done
	[[ -n $sim && -f $d/stress-$sim-events.tsv ]] || continue
	for j in "$d"/kernel-*.json; do
		[[ -f $j ]] || continue
		jq -e '.atc_timeout != null' "$j" >/dev/null 2>&1 || continue
		name=$(jq -r .name "$j")
		jq -r '.atc_errors | range(0; .smmu_per_s | length) as $s
		  | [$s, .smmu_per_s[$s], .kernel_per_s[$s], .sync_timeouts_per_s[$s]]
		  | @tsv' "$j" >"$tmp/storm-$name.tsv"
		rttl=$(jq -r '"upstream \(.kernel) on QEMU, ATC timeouts \(.atc_timeout): error reports \(.atc_errors.kernel), CMD\\_SYNC timeouts \(.atc_errors.sync_timeouts), in \(.atc_errors.smmu_per_s | length) s"' "$j")
		sttl=$(jq -r '"the series in simulation (stress \(.name), \(.strategy)): ATC timeouts \(.timeouts), quarantines \(.quarantines), ATC\\_INVs to a quarantined device \(.atc_invs_to_broken)"' "$d/stress-$sim.json")
		gp atc-storm.gp "real='$tmp/storm-$name.tsv'; sim='$d/stress-$sim-events.tsv'; smax=$(jq '.duration_s * 1000 | round' "$d/stress-$sim.json"); rttl='${rttl//\'/}'; sttl='${sttl//\'/}'; out='$out/atc-storm-$name'; ttl='A device stops answering ATC invalidations: upstream against the series'"
	done
done

# Throughput against mapper threads: the real-time baseline runs (their
# translator threads share the CPUs too).  Runs with the same number of
# mappers are repetitions: the median, with the lowest and highest as the
# error bar, and how many runs (columns: mappers, median, min, max, runs)
tsvs="" points=0 translators=0 reps=0
for ((f = 0; f < nd; f++)); do
	t=$tmp/throughput-$f.tsv
	for j in "${dirs[$f]}"/stress-*.json; do
		[[ -f $j ]] || continue
		jq -r 'select(.scenario == "baseline" and .clock == "real")
		  | [(.mapper_ops | length), .throughput_ops_s,
		     ((.config // "" | capture("translators = (?<t>[0-9]+)").t)?
		      // "0")] | @tsv' "$j"
	done | sort -n -k1,1 -k2,2 >"$t.all"
	awk -F'\t' -v OFS='\t' '
	  function flush() {
	    if (n) print m, (n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2), v[1], v[n], n
	  }
	  $1 != m { flush(); m = $1; n = 0 }
	  { v[++n] = $2 }
	  END { flush() }' "$t.all" >"$t"
	translators=$(cut -f3 "$t.all" | sort -n | tail -1)
	tsvs+="$t "
	points=$(($(wc -l <"$t") > points ? $(wc -l <"$t") : points))
	reps=$(awk -v r=$reps '$5 > r { r = $5 } END { print r }' "$t")
done
if ((points > 1)); then
	pus=$(jq -r '.topology.pus // 2' "${dirs[0]}/env.json" 2>/dev/null || echo 2)
	gp throughput.gp "tsvs='$tsvs'; titles='$titles'; pus=$pus; others=${translators:-0}; reps=$reps; out='$out/throughput'; ttl='stress baseline: throughput versus mapper threads ($refs)'"
fi

# The isolation sweep
tsvs=""
for d in "${dirs[@]}"; do
	[[ -f $d/isolate.tsv ]] && tsvs+="$d/isolate.tsv "
done
if [[ -n $tsvs ]]; then
	gp isolation.gp "tsvs='$tsvs'; titles='$titles'; k=1; out='$out/isolation-k1'; ttl='isolate --sweep: 1 faulty device in a batch of n ($refs)'"
fi

# The micro benchmarks: per folder the median and quartiles of its runs (CPU
# time for one thread, real time for several, as compare does), relative to
# the first folder's median; one folder alone: the times themselves (ns)
jsons=()
for d in "${dirs[@]}"; do
	[[ -f $d/micro.json ]] && jsons+=("$d/micro.json")
done
if ((${#jsons[@]} == nd)); then
	rel=$((nd > 1))
	jq -rs --argjson rel $rel '
	  def t: (if (.threads // 1) > 1 then .real_time else .cpu_time end);
	  # linear interpolation between ranks (jq'"'"'s % is an integer modulo)
	  def q($p): sort | ((length - 1) * $p) as $x | ($x | floor) as $i
	             | .[$i] + ((.[$x | ceil] - .[$i]) * ($x - $i));
	  def med: q(0.5);
	  [.[] | [.benchmarks[] | select(.run_type == "iteration")]
	       | group_by(.name) | map({key: .[0].name, value: {
	           order: [.[0].family_index, .[0].per_family_instance_index],
	           v: map(t)}}) | from_entries] as $s
	  | $s[0] | to_entries | sort_by(.value.order)[] | .key as $n
	  | (if $rel == 1 then ($s[0][$n].v | med) / 100 else 1 end) as $ref
	  | [($n | sub("/real_time"; "") | sub("/threads:1$"; ""))]
	    + [$s[] | .[$n].v // [0] | (q(0.5), q(0.25), q(0.75)) | . / $ref]
	  | @tsv' "${jsons[@]}" >"$tmp/micro.tsv"
	if [[ -s $tmp/micro.tsv ]]; then
		gp micro.gp "tsv='$tmp/micro.tsv'; titles='$titles'; rel=$rel; out='$out/micro'; ttl='micro benchmarks: median and quartiles of the runs ($refs)'"
	fi
fi
echo "plot.sh: $made plots (svg and png) in $out"
