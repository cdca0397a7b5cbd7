#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# compare.sh - did a patch make the hot path better or worse?  Builds two
# refs in temporary git worktrees (release preset), runs the comparison
# suite on this machine with base and head interleaved, and writes
# results/compare-<base sha>-<head sha>/ with both runs' results, the
# verdicts (compare.txt, compare.json), the plots and report.txt.
#
# usage: scripts/compare.sh [OPTIONS] BASE [HEAD]      (HEAD defaults to HEAD)
#   --quick            the short suite (under 10 minutes on 2 cores)
#   --band PCT         wall-clock noise band (default 5)
#   --icount-band PCT  instruction-count band (default 1)
#   --reps N           wall-clock runs per ref, 9 to 99 (default 11; quick 9)
#   --evidence LIST    of time,instr,stress,sweep (default: all four)
#   --gate LIST        the evidence whose regressions set the exit status
#                      (default: the deterministic evidence it runs, all
#                      but time; the rest is advisory).  A wall-clock
#                      change whose instruction count is the same is shown
#                      as "noise?" and never gates
#   --filter RE        micro benchmarks to run (wall clock and callgrind)
#   --no-plots         skip the real-time runs that only feed the plots
#   --seed N           seed of the interleaving and of the stress runs (1)
#   --repo DIR         the git repository holding the refs (default: this)
#   --out DIR          the comparison folder (default: see above)
#
# Exit status: 0 nothing that gates changed, 1 a violation in head (any
# evidence), a changed invalidation count or a regression (the gated
# evidence), 2 could not compare (bad ref, a ref that does not build, a
# missing tool), with the reason on stderr.  The harness that judges, plots
# and reports is head's.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

die() { # the reason; exit 2
	echo "compare.sh: could not compare: $*" >&2
	exit 2
}
interrupted() { # a step died of SIGINT or SIGTERM: no comparison, exit 130
	echo "compare.sh: interrupted; nothing written" >&2
	exit 130
}
keep_log() { # LOG NAME: a copy that outlives the staging folder; its path
	mkdir -p "$out.failed" && cp "$1" "$out.failed/$2" && echo "$out.failed/$2"
}
usage() { # [STATUS]: --help prints to stdout and exits 0
	if [[ ${1:-2} == 0 ]]; then
		sed -n '/^# usage:/,/^# and reports is head/p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
	fi
	sed -n '/^# usage:/,/^# and reports is head/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}
num_in() { # VALUE LO HI: an integer within [LO, HI]
	[[ $1 =~ ^[0-9]+$ ]] && (($1 >= $2 && $1 <= $3))
}
pct_ok() { # VALUE: a percentage 0 to 100
	[[ $1 =~ ^[0-9]+(\.[0-9]+)?$ ]] && awk -v v="$1" 'BEGIN { exit !(v <= 100) }'
}

quick=0 band=5 icount_band=1 reps="" evidence=time,instr,stress,sweep gate=""
filter=. plots=1 seed=1 repo=$root out=""
while (($#)); do
	case $1 in
	--quick) quick=1 ;;
	--no-plots) plots=0 ;;
	--band | --icount-band | --reps | --evidence | --gate | --filter | --seed | --repo | --out)
		(($# >= 2)) || usage
		case $1 in
		--band) band=$2 ;;
		--icount-band) icount_band=$2 ;;
		--reps) reps=$2 ;;
		--evidence) evidence=$2 ;;
		--gate) gate=$2 ;;
		--filter) filter=$2 ;;
		--seed) seed=$2 ;;
		--repo) repo=$2 ;;
		--out) out=$2 ;;
		esac
		shift
		;;
	-h | --help) usage 0 ;;
	-*) echo "compare.sh: unknown option $1" >&2 && usage ;;
	*) break ;;
	esac
	shift
done
(($# == 1 || $# == 2)) || usage
base_ref=$1 head_ref=${2:-HEAD}
[[ -z $reps ]] && reps=$((quick ? 9 : 11))
num_in "$reps" 9 99 || die "--reps takes 9 to 99 (the U test needs 9)"
pct_ok "$band" || die "--band takes 0 to 100 (percent)"
pct_ok "$icount_band" || die "--icount-band takes 0 to 100 (percent)"
num_in "$seed" 0 4294967295 || die "--seed takes 0 to 4294967295"
for opt in evidence gate; do
	for e in ${!opt//,/ }; do
		[[ $e =~ ^(time|instr|stress|sweep)$ ]] ||
			die "--$opt: $e is not one of time, instr, stress, sweep"
	done
done
gate_given=$gate
if [[ -z $gate ]]; then # the deterministic evidence run; time if alone
	gate=$(tr , '\n' <<<"$evidence" | grep -vx time | paste -sd, || true)
	gate=${gate:-time}
fi
has() { [[ ,$evidence, == *,$1,* ]]; }

# The suite's sizes
if ((quick)); then
	min_time=0.02 icount_iters=20 vdur=2s rdur=1s
else
	min_time=0.05 icount_iters=100 vdur=5s rdur=3s
fi

"$root/scripts/deps.sh" || die "scripts/deps.sh could not install the tools"
for tool in git cmake ninja jq valgrind setarch gnuplot; do
	command -v $tool >/dev/null || die "$tool is missing (scripts/deps.sh)"
done
compare_py=/usr/share/benchmark/compare.py
[[ -f $compare_py ]] || die "$compare_py is missing (libbenchmark-tools)"
/usr/bin/python3 -c 'import scipy' 2>/dev/null ||
	die "python3-scipy is missing (compare.py's U test)"

git -C "$repo" rev-parse --git-dir >/dev/null 2>&1 || die "$repo: not a git repository"
resolve() { # REF -> full sha
	git -C "$repo" rev-parse --verify --quiet "$1^{commit}" ||
		die "$1: no such commit in $repo"
}
base_sha=$(resolve "$base_ref")
head_sha=$(resolve "$head_ref")
out=${out:-$root/results/compare-${base_sha:0:7}-${head_sha:0:7}}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/atcbench-compare.XXXXXX")
stage=$out.tmp.$$
ticker=
cleanup() {
	[[ -z $ticker ]] || kill "$ticker" 2>/dev/null || true
	for side in base head; do
		[[ -d $tmp/$side ]] && git -C "$repo" worktree remove --force "$tmp/$side" 2>/dev/null
	done
	git -C "$repo" worktree prune 2>/dev/null || true
	rm -rf "$tmp" "$stage"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$stage/base" "$stage/head"
echo "compare.sh: base $base_ref (${base_sha:0:12}), head $head_ref (${head_sha:0:12}), seed $seed"

# Build both, each in a worktree of its own (the same ref twice is two builds)
declare -A bin ref sha
ref[base]=$base_ref ref[head]=$head_ref sha[base]=$base_sha sha[head]=$head_sha
for side in base head; do
	echo "compare.sh: building $side"
	git -C "$repo" worktree add --detach --force "$tmp/$side" "${sha[$side]}" >/dev/null 2>&1 ||
		die "cannot check $side out in a worktree"
	log=$stage/$side/build.log
	# silent for a minute or two: say every 10 s that it still builds
	: >"$log"
	"$root/scripts/heartbeat.sh" "compare.sh: building $side" "$log" &
	ticker=$!
	built=0
	(cd "$tmp/$side" && cmake --preset release && cmake --build --preset release --target atcbench) >"$log" 2>&1 || built=$?
	kill $ticker 2>/dev/null || true
	wait $ticker 2>/dev/null || true
	ticker=
	# ninja stops on SIGINT, cmake reports that as a failure
	((built == 0)) || ! grep -q 'interrupted by user' "$log" || interrupted
	if ((built != 0)); then
		tail -n 15 "$log" >&2
		die "$side ${ref[$side]} (${sha[$side]:0:12}) does not build (log: $(keep_log "$log" "$side-build.log"))"
	fi
	bin[$side]=$tmp/$side/build/release/atcbench
done
"${bin[head]}" compare --help >/dev/null 2>&1 ||
	die "head's atcbench has no compare command (head predates the comparison suite)"

# The two sides of a step in a random order drawn from the seed (not in a
# command substitution: a subshell's $RANDOM does not advance ours)
RANDOM=$seed
shuffle() {
	if ((RANDOM & 1)); then order=(base head); else order=(head base); fi
}
run() { # SIDE WHAT ARGS...: run a side's atcbench, stop on a failure
	local side=$1 what=$2
	shift 2
	"${bin[$side]}" "$@" >>"$stage/$side/run.log" 2>&1 || {
		local rc=$?
		# stress exits 1 on oracle violations: that is a result
		[[ $what == stress && $rc == 1 ]] && return 0
		((rc != 130 && rc != 143)) || interrupted
		tail -n 5 "$stage/$side/run.log" >&2
		die "$side: $what failed (exit $rc; log: $(keep_log "$stage/$side/run.log" "$side-run.log"))"
	}
}

if has time; then
	for ((r = 0; r < reps; r++)); do
		shuffle
		for side in "${order[@]}"; do
			echo "compare.sh: wall clock, run $((r + 1))/$reps: $side"
			mkdir -p "$stage/$side/micro-runs"
			run "$side" micro micro --benchmark_repetitions=1 \
				--benchmark_enable_random_interleaving=true \
				--benchmark_min_time=$min_time \
				--benchmark_filter="$filter" \
				--benchmark_out="$stage/$side/micro-runs/$r.json" \
				--benchmark_out_format=json
		done
	done
	# One file per side, every run an iteration entry (compare.py's input)
	for side in base head; do
		runs=()
		for ((r = 0; r < reps; r++)); do
			runs+=("$stage/$side/micro-runs/$r.json")
		done
		jq -s --argjson n "$reps" '.[0] + {benchmarks: [to_entries[]
		    | .key as $r | .value.benchmarks[]
		    | select(.run_type == "iteration")
		    | .repetition_index = $r | .repetitions = $n]
		    | sort_by(.family_index, .per_family_instance_index,
		              .repetition_index)}' \
			"${runs[@]}" >"$stage/$side/micro.json"
	done
	/usr/bin/python3 "$compare_py" --no-color -d "$stage/micro-utest.json" \
		benchmarks "$stage/base/micro.json" "$stage/head/micro.json" \
		>"$stage/micro-compare.txt" 2>&1 || die "compare.py failed (see micro-compare.txt)"
fi

if has instr; then
	for side in base head; do
		echo "compare.sh: instruction counts: $side"
		"$root/scripts/icount.sh" --iterations $icount_iters \
			--filter "$filter" "${bin[$side]}" "$stage/$side/icount.tsv" ||
			die "$side: instruction counts failed"
	done
fi

if has stress; then
	for scenario in baseline churn timeout-storm reset-race dpc; do
		shuffle
		for side in "${order[@]}"; do
			echo "compare.sh: stress $scenario, virtual time: $side"
			run "$side" stress stress $scenario --clock virtual \
				--duration $vdur --seed "$seed" --name "v-$scenario" \
				--out "$stage/$side" --progress off
		done
	done
fi

if has sweep; then
	shuffle
	for side in "${order[@]}"; do
		echo "compare.sh: isolation sweep: $side"
		run "$side" isolate isolate --sweep --seed "$seed" --out "$stage/$side"
	done
fi

# Real time, for the plots only: throughput against mappers (each point
# three runs, interleaved: the plot's median and error bar), a storm
if ((plots)); then
	for m in 1 2 4; do
		for rep in 1 2 3; do
			shuffle
			for side in "${order[@]}"; do
				echo "compare.sh: stress baseline, $m mapper(s), real time, run $rep of 3: $side"
				run "$side" stress stress baseline --mappers $m \
					--duration $rdur --seed "$seed" \
					--name "rt-mappers-$m$([[ $rep == 1 ]] || echo "-r$rep")" \
					--out "$stage/$side" --progress off
			done
		done
	done
	shuffle
	for side in "${order[@]}"; do
		echo "compare.sh: stress timeout-storm, real time: $side"
		run "$side" stress stress timeout-storm --duration $rdur \
			--seed "$seed" --name rt-storm --out "$stage/$side" \
			--progress off
	done
fi

# Each side's environment, named after its ref
for side in base head; do
	env=$stage/$side/env.json
	"${bin[$side]}" env "$stage/$side" 2>/dev/null || echo '{}' >"$env"
	jq --arg ref "${ref[$side]}" --arg side "$side" --arg sha "${sha[$side]}" \
		'. + {ref: $ref, side: $side, git_sha: $sha}' "$env" >"$env.tmp"
	mv "$env.tmp" "$env"
done

echo
utest=()
has time && utest=(--utest "$stage/micro-utest.json")
set +e
"${bin[head]}" compare "$stage/base" "$stage/head" --out "$stage" \
	--band "$band" --icount-band "$icount_band" --gate "$gate" \
	"${utest[@]}" >/dev/null
verdict=$?
set -e
((verdict <= 1)) || die "the verdicts could not be computed (atcbench compare)"

if ((plots)); then
	"$root/scripts/plot.sh" --out "$stage" "$stage/base" "$stage/head" >/dev/null ||
		echo "compare.sh: some plots failed" >&2
fi
# The command that reproduces this folder, for the report (the options
# that differ from the defaults, the refs as commits)
cmd=(scripts/compare.sh)
((quick)) && cmd+=(--quick)
((plots)) || cmd+=(--no-plots)
[[ $band == 5 ]] || cmd+=(--band "$band")
[[ $icount_band == 1 ]] || cmd+=(--icount-band "$icount_band")
[[ $reps == $((quick ? 9 : 11)) ]] || cmd+=(--reps "$reps")
[[ $evidence == time,instr,stress,sweep ]] || cmd+=(--evidence "$evidence")
[[ -z $gate_given ]] || cmd+=(--gate "$gate")
[[ $filter == . ]] || cmd+=(--filter "$filter")
((seed == 1)) || cmd+=(--seed "$seed")
[[ $repo == "$root" ]] || cmd+=(--repo "$repo")
cmd+=("$base_sha" "$head_sha")
echo "${cmd[*]}" >"$stage/command"
"${bin[head]}" report "$stage" >/dev/null

rm -rf "$out"
mv "$stage" "$out"
cat "$out/report.txt"
echo
echo "results: $out"
exit $verdict
