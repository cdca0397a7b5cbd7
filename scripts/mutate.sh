#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mutate.sh - mutation testing of the kernel-form code: each mutant of the
# catalogue (tests/mutants/*.mutant: a realistic bug, an exact block of a
# file and what replaces it) is built in a scratch worktree of HEAD, then
# run against the tests (ctest, labels unit and the C stress tests) and
# against the oracle (the stress runs below, until one reports a
# violation, a WARN or a failure).  Prints a table and the two scores.  A
# mutant marked "tests: asan" is tested in an ASan build (a use-after-free
# a release run reads unharmed).  One marked "oracle: no: REASON" is
# beyond the oracle by design (not run against it), one marked "oracle:
# not yet: REASON" one it will see once it covers more: the table says
# which and why, the oracle's score leaves them out.  A catch counts only
# once the failing test (or oracle run) passes again on the unmutated tree:
# one that fails there too is a flake, shown as "flaky", and not a catch.
#
# usage: scripts/mutate.sh [--check] [--determinism R] [--keep DIR] [MUTANT...]
#   --check: only check that every mutant applies to this tree
#   --determinism R: no mutant; run the oracle's list R times on HEAD with
#   a CPU-bound process beside it: each run's exit status must repeat, and
#   in virtual time and on virtual CPUs its counts too (ops, violations, timeouts, quarantines,
#   torn STEs, STE fetches, software time-outs); a failed run's results
#   are kept in the worktree's det-fail-PASS-RUN/
#   MUTANT: a catalogue file or its number (default: every one)
#   --keep DIR: the scratch worktree (kept; reused, so a second run only
#   rebuilds what the mutants touch)
# Exit status: 0 every mutant caught (or marked), 1 one missed, 2 a
# catalogue entry that does not apply or build, or bad usage; with
# --determinism, 1 when a pass differs or a run fails on HEAD.
set -uo pipefail
# Run from a copy: bash reads a script as it goes, so editing mutate.sh
# during a run of an hour or more would change what the run does next
if [[ -z ${MUTATE_SH_ROOT:-} ]]; then
	MUTATE_SH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
	copy=$(mktemp "${TMPDIR:-/tmp}/mutate.sh.XXXXXX") || exit 2
	cp "$0" "$copy" || exit 2
	MUTATE_SH_ROOT=$MUTATE_SH_ROOT exec bash "$copy" "$@"
fi
# The copy goes now: bash goes on reading it from its open descriptor
[[ $0 != */mutate.sh.?????? ]] || rm -f "$0"
root=$MUTATE_SH_ROOT
cd "$root"
keep=""
check=0
determinism=0
max_passes=999 # --determinism's limit
mutants=()
while (($#)); do
	case $1 in
	-h | --help)
		awk 'NR >= 4 && !/^#/ { exit }
		     NR >= 4 { sub(/^# ?/, ""); print }' "$root/scripts/mutate.sh"
		exit 0
		;;
	--check)
		check=1
		shift
		;;
	--determinism)
		[[ ${2:-} =~ ^[1-9][0-9]*$ ]] && ((${2} <= max_passes)) || {
			echo "mutate.sh: --determinism needs a count, 1 to $max_passes" >&2
			exit 2
		}
		determinism=$2
		shift 2
		;;
	--keep)
		[[ -n ${2:-} ]] || {
			echo "mutate.sh: --keep needs a folder" >&2
			exit 2
		}
		keep=$2
		shift 2
		;;
	-*)
		echo "mutate.sh: unknown option '$1' (--help)" >&2
		exit 2
		;;
	*)
		m=$1
		[[ -f $m ]] || m=$(ls tests/mutants/"$(printf '%02d' "$1" 2>/dev/null)"-*.mutant 2>/dev/null | head -n 1)
		[[ -n $m && -f $m ]] || {
			echo "mutate.sh: no mutant '$1'" >&2
			exit 2
		}
		mutants+=("$(cd "$(dirname "$m")" && pwd)/$(basename "$m")")
		shift
		;;
	esac
done
((${#mutants[@]})) || mutants=("$root"/tests/mutants/*.mutant)

# apply MUTANT TREE [dry]: put the mutant's block in place in TREE (it must
# occur exactly once); dry: only check that it does
apply() {
	perl -e '
	  local $/; open(my $m, "<", $ARGV[0]) or die; my $t = <$m>;
	  my ($file) = $t =~ /^file: (.*)$/m;
	  my ($find) = $t =~ /^--- find\n(.*?)\n--- replace\n/ms;
	  my ($repl) = $t =~ /^--- replace\n(.*?)\n--- end/ms;
	  die "$ARGV[0]: no file, find or replace\n"
	    unless defined $file && defined $find && defined $repl;
	  my $path = "$ARGV[1]/$file";
	  open(my $f, "<", $path) or die "no $path\n"; my $src = <$f>; close $f;
	  my $n = () = $src =~ /\Q$find\E/g;
	  die "$ARGV[0]: the block occurs $n times in $file\n" if $n != 1;
	  exit 0 if $ARGV[2];
	  $src =~ s/\Q$find\E/$repl/;
	  open($f, ">", $path) or die; print $f $src; close $f;
	  print "$file\n";' "$1" "$2" "${3:-}"
}

# --check: every mutant still applies to this tree (exactly once)
if ((check)); then
	bad=0
	for m in "${mutants[@]}"; do
		apply "$m" "$root" dry || bad=1
	done
	((bad == 0)) && echo "mutate.sh: ${#mutants[@]} mutants apply"
	exit $((bad ? 2 : 0))
fi

# The oracle: stress runs that each give the kernel-form code a chance to
# show a bug (virtual time is exact and repeatable; the real-time runs are
# for the races only threads show; "wmm ARGS" runs atcbench-wmm, whose
# mappers and churners are the weakly ordered CPUs of <khooks/wmm.h>: the
# barriers a TSO host cannot fail; with --clock vcpu each role is a virtual
# CPU, interleaved and preempted by the seed: the races, repeatably)
oracle=(
	"timeout-storm --clock virtual --duration 2s --warmup 0"
	"timeout-storm --clock virtual --duration 2s --warmup 0 --churners 1 --devices 16 --strategy bisect"
	"timeout-storm --clock virtual --duration 2s --warmup 0 --devices 16 --strategy adaptive --op-pages 3"
	"reset-race --clock virtual --duration 1s --warmup 0 --fault-interval 20ms --fault-duration 5ms --churners 1"
	"dpc --clock virtual --duration 2s --warmup 0 --churners 1"
	"timeout-storm --clock virtual --duration 2s --warmup 0 --msi false --churners 1"
	"churn --clock virtual --duration 1s --warmup 0 --op-pages 5 --pages 64"
	"churn --clock virtual --duration 1s --warmup 0 --op-pages 5 --pages 64 --range-inv true --non-ats 1 --pasid 1"
	"churn --clock virtual --duration 1s --warmup 0 --nested true --op-pages 3 --range-inv true --non-ats 2"
	"churn --clock virtual --duration 1s --warmup 0 --mixed-stages true"
	"churn --clock virtual --duration 1s --warmup 0 --detach 30"
	"reset-race --clock virtual --duration 1s --warmup 0 --fault-interval 20ms --fault-duration 5ms --churners 1 --detach 30"
	"timeout-storm --clock virtual --duration 2s --warmup 0 --nested true --churners 1"
	"timeout-storm --clock virtual --duration 2s --warmup 0 --smmus 2 --domains 4 --churners 1 --fault-interval 20ms --fault-duration 5ms"
	"churn --clock virtual --duration 1s --warmup 0 --fault illegal --fault-interval 2ms --fault-duration 1ms --smmus 2 --domains 4"
	"timeout-storm --clock virtual --duration 2s --warmup 0 --devices 256 --domains 1 --sync-latency 20us --fault-interval 10ms --fault-duration 2ms --fault-plan $root/tests/plans/clears-mid-isolation.plan"
	"churn --duration 2s --warmup 100ms --op-pages 2"
	"timeout-storm --duration 2s --warmup 100ms --churners 1"
	"wmm churn --duration 2s --warmup 100ms --op-pages 2"
	"wmm timeout-storm --duration 2s --warmup 100ms --churners 1"
	"churn --clock virtual --duration 1s --warmup 0 --fault lost --fault-interval 2ms --fault-duration 1ms"
	"wmm churn --duration 2s --warmup 100ms --fault lost --fault-interval 2ms --fault-duration 1ms"
	"wmm churn --clock vcpu --duration 50ms --warmup 0 --seed 2"
	"wmm timeout-storm --clock vcpu --duration 50ms --warmup 0 --domains 1 --churners 1 --fault-interval 4ms --fault-duration 1ms"
	"wmm timeout-storm --clock vcpu --duration 50ms --warmup 0 --domains 1 --devices 2 --mappers 4 --translators 2 --churners 0 --fault-interval 2ms --fault-duration 1ms --seed 3"
	"wmm baseline --clock vcpu --duration 20ms --warmup 0 --mappers 16 --devices 16 --cmdq-shift 7 --op-pages 4"
	"churn --clock virtual --duration 1s --warmup 0 --pasid 2 --domains 1"
	"wmm churn --clock vcpu --duration 50ms --warmup 0 --pasid 2 --domains 1"
)
# Every isolation strategy on domains of 1, 2, 16 and 256 devices.  The
# last fills four command batches per walk; seed 1's five faults in 2 s
# fall on devices 234, 102, 181, 223 and 16: batches 3, 1, 2, 3 and 0
for n in 1 2 16 256; do
	for s in linear bisect bisect-infer adaptive whole-batch; do
		oracle+=("timeout-storm --clock virtual --duration 2s --warmup 0 --devices $n --domains $((n < 16 ? 2 : 1)) --strategy $s")
	done
done
# The tests: every unit test and the C stress tests (not the CLI walks)
tests_re='^(test_|replay_golden|khooks_pristine)'

scratch=${keep:-$(mktemp -d "${TMPDIR:-/tmp}/atcbench-mutate.XXXXXX")}
cleanup() {
	git -C "$root" worktree remove --force "$scratch" 2>/dev/null
	git -C "$root" worktree prune 2>/dev/null
	[[ -n $keep ]] || rm -rf "$scratch"
}
[[ -n $keep ]] || trap cleanup EXIT
if [[ -e $scratch/.git ]]; then
	# a kept worktree: brought to this HEAD, its build reused
	git -C "$scratch" checkout -q --detach --force "$(git rev-parse HEAD)" || {
		echo "mutate.sh: cannot bring $scratch to HEAD" >&2
		exit 2
	}
else
	rm -rf "$scratch"
	git worktree add --detach --force "$scratch" HEAD >/dev/null 2>&1 || {
		echo "mutate.sh: cannot make a worktree of HEAD in $scratch" >&2
		exit 2
	}
fi
build=$scratch/build/release
log=$scratch/mutate.log
: >"$log"
scripts/heartbeat.sh "mutate.sh" "$log" >&2 &
hb=$!
trap '[[ -z ${hb:-} ]] || kill $hb 2>/dev/null; [[ -n $keep ]] || cleanup' EXIT


# test_dir MUTANT: the build its tests run in: release, or asan for a
# mutant marked "tests: asan" (a use-after-free a release run cannot see)
test_dir() {
	if grep -q '^tests: asan$' "$1"; then
		echo "$scratch/build/asan"
	else
		echo "$build"
	fi
}

# run_tests MUTANT: the tests, in test_dir's build; on a failure, the
# failing test's name in $failed_test
run_tests() {
	local dir
	dir=$(test_dir "$1")
	failed_test=
	if [[ $dir != "$build" ]]; then
		(cd "$scratch" && cmake --preset asan "${timeout_def[@]}" &&
			cmake --build --preset asan) \
			>>"$log" 2>&1 || return 0
	fi
	local ctest=(ctest --test-dir "$dir" -R "$tests_re"
		--stop-on-failure)
	# the unit tests first: most mutants fail one of them in seconds,
	# before the stress tests' minutes
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
	"${ctest[@]}" -LE stress >>"$log" 2>&1 &&
		"${ctest[@]}" -L stress >>"$log" 2>&1 && return 0
	failed_test=$(sed -n 's/^[0-9]*://p' \
		"$dir/Testing/Temporary/LastTestsFailed.log" 2>/dev/null | head -n 1)
	return 1
}

# passes_unmutated MUTANT: after the mutant's file is restored and rebuilt,
# the test that failed on it ($failed_test) and the oracle run that did
# (run $o) pass on the unmutated tree: a catch is the mutant's doing, not a
# flake's.  Prints what failed again.
passes_unmutated() {
	local dir again=
	dir=$(test_dir "$1")
	if [[ -n $failed_test ]] &&
		! ctest --test-dir "$dir" -R "^${failed_test}\$" >>"$log" 2>&1; then
		again="test $failed_test"
	fi
	if ((o > 0)) && ! run_oracle_one "${oracle[o - 1]}"; then
		again+="${again:+, }oracle run $o"
	fi
	echo "$again"
	[[ -z $again ]]
}

# run_oracle_one ARGS: one oracle run; its exit status
run_oracle_one() {
	local bin=$build/atcbench args=$1

	if [[ $args == "wmm "* ]]; then
		bin=$build/atcbench-wmm
		args=${args#wmm }
	fi
	# seed 1 unless the run names its own
	[[ $args == *"--seed "* ]] || args+=" --seed 1"
	# shellcheck disable=SC2086
	timeout -k 10 120 "$bin" stress $args --progress off \
		--out "$scratch/oracle" >>"$log" 2>&1
}

# run_oracle: the first oracle run that fails (1-based), or 0
run_oracle() {
	local i=0
	for args in "${oracle[@]}"; do
		i=$((i + 1))
		if ! run_oracle_one "$args"; then
			echo $i
			return
		fi
	done
	echo 0
}

echo "mutate.sh: building HEAD in $scratch"
# 120 s a C test (300 in ctest's runs): the slowest takes 30 s under ASan on
# a loaded machine, and a mutant that wedges the queue (12) or an isolation
# hangs test_cmdq or test_quarantine until its time-out (3 did in one run)
timeout_def=(-DATCBENCH_C_TEST_TIMEOUT=120)
(cd "$scratch" && cmake --preset release "${timeout_def[@]}" &&
	cmake --build --preset release) >>"$log" 2>&1 || {
	tail -n 20 "$log"
	echo "mutate.sh: HEAD does not build" >&2
	exit 2
}
if ((determinism)); then
	# Pass P: per run, its exit status and (virtual time) its counts; a
	# run that fails keeps its results in det-fail-P-I/
	det_pass() {
		local args j st i=0
		for args in "${oracle[@]}"; do
			i=$((i + 1))
			run_oracle_one "$args --name det"
			st=$?
			printf '%s\t%s' "$st" "$args"
			((st == 0)) || cp -r "$scratch/oracle" "$scratch/det-fail-$1-$i"
			j=$scratch/oracle/stress-det.json
			[[ $args != *"--clock virtual"* && $args != *"--clock vcpu"* ]] ||
				jq -j '"\t", ([.ops, .oracle_violations, .timeouts, .quarantines,
					.torn_stes, .ste_fetches, .software_timeouts] | map(tostring) | join(" "))' "$j"
			echo
		done
	}
	sh -c 'while :; do :; done' &
	hog=$!
	trap 'kill $hog 2>/dev/null; [[ -z ${hb:-} ]] || kill $hb 2>/dev/null; [[ -n $keep ]] || cleanup' EXIT
	rm -rf "$scratch"/det-fail-*
	det_pass 1 >"$scratch/det-1"
	differ=0
	for ((p = 2; p <= determinism; p++)); do
		det_pass "$p" >"$scratch/det-$p"
		if ! cmp -s "$scratch/det-1" "$scratch/det-$p"; then
			differ=$((differ + 1))
			diff "$scratch/det-1" "$scratch/det-$p" | sed "s/^/pass $p: /"
		fi
	done
	failed=$(awk -F'\t' '$1 != 0' "$scratch/det-1" | wc -l)
	echo "mutate.sh: ${#oracle[@]} oracle runs, $determinism passes beside a CPU hog:" \
		"$differ passes differ from the first; $failed runs fail on HEAD" \
		"(a failed run's results: $scratch/det-fail-PASS-RUN/)"
	((differ == 0 && failed == 0))
	exit
fi
echo "mutate.sh: HEAD against the tests and the oracle"
run_tests /dev/null || {
	echo "mutate.sh: HEAD fails its own tests ($log)" >&2
	exit 2
}
o=$(run_oracle)
((o == 0)) || {
	echo "mutate.sh: HEAD fails oracle run $o: ${oracle[o - 1]}" >&2
	exit 2
}

printf '%-30s %-7s %s\n' mutant tests oracle
tests_caught=0 oracle_caught=0 oracle_marked=0 oracle_pending=0 total=0
missed=0
for m in "${mutants[@]}"; do
	name=$(basename "$m" .mutant)
	file=$(apply "$m" "$scratch" 2>>"$log") || {
		echo "mutate.sh: $name does not apply: $(tail -n 1 "$log")" >&2
		exit 2
	}
	if ! (cd "$scratch" && cmake --build --preset release) >>"$log" 2>&1; then
		git -C "$scratch" checkout -q -- "$file"
		echo "mutate.sh: $name does not build (log: $log)" >&2
		exit 2
	fi
	total=$((total + 1))
	t=missed
	run_tests "$m" || t=caught
	mark=$(sed -n 's/^oracle: no: //p' "$m")
	pending=$(sed -n 's/^oracle: not yet: //p' "$m")
	# beyond the oracle by design: not run against it (mutant 12 hangs
	# the real-time runs until their time-out)
	o=0
	[[ -n $mark ]] || o=$(run_oracle)

	git -C "$scratch" checkout -q -- "$file"
	(cd "$scratch" && cmake --build --preset release) >>"$log" 2>&1
	# an asan build left with the mutant in: rebuilt clean
	[[ $(test_dir "$m") == "$build" ]] ||
		(cd "$scratch" && cmake --build --preset asan) >>"$log" 2>&1
	flaky=""
	if [[ $t == caught || $o -gt 0 ]] && ! flaky=$(passes_unmutated "$m"); then
		# what failed with the mutant fails without it: no catch
		[[ $flaky != *test* ]] || t="flaky"
		[[ $flaky != *oracle* ]] || o=-$o
		echo "mutate.sh: $name: $flaky failed on the unmutated tree too: a flake, not a catch" >&2
	fi
	[[ $t != caught ]] || tests_caught=$((tests_caught + 1))
	if ((o > 0)); then
		oc="caught by run $o"
		oracle_caught=$((oracle_caught + 1))
	elif ((o < 0)); then
		oc="flaky: run $((-o)) failed on the unmutated tree too"
	elif [[ -n $mark ]]; then
		oc="beyond it: $mark"
		oracle_marked=$((oracle_marked + 1))
	elif [[ -n $pending ]]; then
		oc="not yet: $pending"
		oracle_pending=$((oracle_pending + 1))
	else
		oc=MISSED
	fi
	[[ $t == caught && $oc != MISSED ]] || missed=$((missed + 1))
	# the oracle column folded to 100 columns in all, under itself
	printf '%-30s %-7s %s\n' "$name" "$t" \
		"$(fold -s -w 61 <<<"$oc" | sed '2,$s/^/                                       /')"
done

echo
echo "tests:  $tests_caught of $total caught ($((100 * tests_caught / total)) %)"
judged=$((total - oracle_marked - oracle_pending))
echo "oracle: $oracle_caught of $judged caught ($((100 * oracle_caught / (judged > 0 ? judged : 1))) %);" \
	"$oracle_marked beyond it by design, $oracle_pending not yet (each with its reason)"
((missed == 0))
