#!/bin/bash
# atcbench stress from the command line (ctest stress_cli, label "stress"):
# every built-in scenario briefly in real time with no oracle violation,
# the timeline and events files agreeing with the run's counts; a stalled
# SMMU is seen, and a stopped host is not blamed on the driver; both
# injected bugs are caught and the seed to reproduce them printed; option,
# scenario-file and fault-plan errors exit 2; Ctrl-C still writes the
# results; the progress line and the report fit their columns.  The other
# scenarios' tests: virtual.sh, worlds.sh, wmm.sh.
# usage: cli.sh ATCBENCH WORKDIR
# shellcheck source=tests/stress/lib.sh
. "$(dirname "$0")/lib.sh"

# Every scenario in real time: no violation, no WARN, and the counters,
# histograms, timeline and events agree with each other.  What a real-time
# run happens to do (how many faults met an invalidation, how many resets a
# loaded machine let happen) is not asserted here: the virtual-time runs
# below assert it, exactly.
for s in baseline churn timeout-storm reset-race dpc; do
	run 0 "$s" --duration 1500ms --warmup 200ms --fault-interval 300ms \
		--fault-duration 100ms --name "real-$s"
	j=$work/stress-real-$s.json
	[ -f "$j" ] || { bad "$s: no $j"; continue; }
	[ "$(field "$j" .oracle_violations)" = 0 ] || bad "$s: violations"
	[ "$(field "$j" .warns)" = 0 ] || bad "$s: WARNs"
	[ "$(field "$j" .metrics.inv_ns.count)" = "$(field "$j" .ops)" ] ||
		bad "$s: inv_ns count differs from ops"
	[ -f "$work/stress-real-$s-inv.hgrm" ] || bad "$s: no inv .hgrm"
	# The timeline holds every measured invalidation; the events, every
	# fault, quarantine and reset the run counted
	tl=$work/stress-real-$s-timeline.tsv ev=$work/stress-real-$s-events.tsv
	[ "$(awk -F'\t' '$1 ~ /^[0-9]/ { n += $2 } END { print n + 0 }' "$tl")" = \
		"$(field "$j" .ops)" ] || bad "$s: timeline total differs from ops"
	for e in fault:faults quarantine:quarantines "(failed-)?reset:resets"; do
		[ "$(grep -cE "	${e%:*}	" "$ev")" = "$(field "$j" ".${e##*:}")" ] ||
			bad "$s: ${e%:*} events differ from .${e##*:}"
	done
	# prepare/done leaves no ATC_INV to a resetting device, unless the
	# machine stalled the run past the driver's 1 s CMD_SYNC time-out: a
	# mapper that gave up waiting lets prepare() through while its ATC_INV
	# is still queued (a TSan run on a loaded CI machine: a 2.1 s stall, one
	# timeout).  The virtual-time runs below assert it exactly.
	if [ "$s" = reset-race ] && [ "$(field "$j" .stall_max_ns)" -lt 1000000000 ]; then
		[ "$(field "$j" .timeouts)" = 0 ] ||
			bad "$s: timeouts despite prepare/done"
	fi
done
[ -f "$work/env.json" ] && jq -e .git_sha "$work/env.json" >/dev/null ||
	bad "no env.json"

# A stalled SMMU (1 s without consuming a command) is seen, not hidden:
# no mapper can complete while it lasts, so the longest gap is >= 1 s in
# either clock; in virtual time (open loop: fewer operations to simulate)
# the invalidation maximum is too
printf 'fault = smmu-stall\nfault_interval = 2s\nfault_duration = 1s\n' \
	>"$work/stall.scenario"
for clock in virtual real; do
	if [ $clock = virtual ]; then
		only=(--duration 2s --warmup 0 --fault-interval 1500ms --rate 2000)
	else
		only=(--duration 3s --warmup 100ms)
	fi
	# In real time a CMD_SYNC queued as the stall begins waits longer
	# than the driver's 1 s time-out: the driver gives up on it (exit 1
	# with each violation after that error, and only then)
	want=0
	[ $clock = virtual ] || want=0,1
	run "$want" "$work/stall.scenario" --clock "$clock" "${only[@]}" \
		--name "stall-$clock"
	j=$work/stress-stall-$clock.json
	[ "$(field "$j" .oracle_violations)" = "$(field "$j" .oracle_violations_after_error)" ] ||
		bad "smmu-stall ($clock): a violation after an invalidation that completed"
	[ "$(field "$j" .stalls)" -ge 1 ] &&
		[ "$(field "$j" .stall_max_ns)" -ge 1000000000 ] &&
		grep -q "	stall	" "$work/stress-stall-$clock-events.tsv" ||
		bad "smmu-stall ($clock): no stall of 1 s reported"
done
[ "$(field "$work/stress-stall-virtual.json" .metrics.inv_ns.max)" -ge 1000000000 ] ||
	bad "smmu-stall (virtual): invalidation maximum under 1 s"
"$bin" report "$work" | grep -A20 "^STALLS (no completion for > " |
	grep -qE " stall-real [0-9]+ " || bad "report.txt: no STALLS line for stall-real"

# A host that stops the whole process (SIGSTOP for 1.5 s once the run
# measures, whenever that is): the watchdog sees the gap and blames no
# hang on it, and a time-out a waiter took while stopped is the host's:
# exit 0.  The stop lands after the first progress line (the run is
# measuring), so nothing here depends on how fast the machine is.
"$bin" stress timeout-storm --duration 4s --warmup 0 --progress on \
	--seed "$seed" --name sigstop --out "$work" >"$work/stop.out" \
	2>"$work/stop.err" &
pid=$!
until grep -q "ops/s" "$work/stop.err" 2>/dev/null || ! kill -0 $pid 2>/dev/null; do
	sleep 0.1
done
kill -STOP $pid 2>/dev/null
sleep 1.5
kill -CONT $pid 2>/dev/null
wait $pid
st=$?
j=$work/stress-sigstop.json
[ $st = 0 ] && [ "$(field "$j" .host_gaps)" -ge 1 ] &&
	[ "$(field "$j" .host_gap_max_ns)" -ge 1000000000 ] &&
	[ "$(field "$j" .hangs)" = 0 ] && [ "$(field "$j" .oracle_violations)" = 0 ] ||
	bad "SIGSTOP 1.5 s: exit $st, $(field "$j" '{host_gaps, host_gap_max_ns, hangs, host_give_ups, oracle_violations, oracle_violations_host}' 2>/dev/null | tr -d '\n')"

# The injected bugs are caught, with the seed to reproduce them
run 1 churn --inject-bug install-invs-after-ste --duration 3s --name bug1
grep -q "reproduce with: atcbench stress churn --seed $seed --duration 3s --inject-bug install-invs-after-ste" \
	"$work/out" || bad "install-invs-after-ste: no reproducer line"
[ "$(field "$work/stress-bug1.json" .oracle_violations)" -gt 0 ] ||
	bad "install-invs-after-ste not caught"
# (50 resets, a quarter failing: none fails with probability 6e-7)
run 1 reset-race --inject-bug lift-on-failed-reset --clock virtual \
	--duration 300ms --warmup 0 --fault-interval 6ms --fault-duration 2ms \
	--name bug2
[ "$(field "$work/stress-bug2.json" .first_violation.what)" = \
	"quarantine lifted without a device reset" ] ||
	bad "lift-on-failed-reset not caught"
# The reproduce line carries every option that changed the scenario, and
# reproduces the run (virtual time: the same violations, the same first one)
line=$(sed -n 's/.*reproduce with: atcbench //p' "$work/out")
for opt in "--clock virtual" "--duration 300ms" "--warmup 0" \
	"--fault-interval 6ms" "--fault-duration 2ms" \
	"--inject-bug lift-on-failed-reset"; do
	case " $line " in *" $opt "*) ;; *) bad "reproduce line without $opt: $line" ;; esac
done
mkdir -p "$work/again"
eval "\"\$bin\" $line --out \"\$work/again\" --name bug2" >/dev/null 2>&1
for f in .oracle_violations .first_violation.what .first_violation.sid \
	.first_violation.after_s .ops; do
	[ "$(field "$work/again/stress-bug2.json" $f)" = "$(field "$work/stress-bug2.json" $f)" ] ||
		bad "the reproduce line gave another $f: $(field "$work/again/stress-bug2.json" $f)"
done

# Scenario files, and errors (exit 2 with the reason)
printf 'fault = timeout  # a comment\nfault_interval = 40ms\nfault_duration = 10ms\n' \
	>"$work/mine.scenario"
run 0 "$work/mine.scenario" --clock virtual --duration 100ms --warmup 0
[ -f "$work/stress-mine.json" ] || bad "scenario file: no stress-mine.json"
printf 'mappers = 2\nfault = sometimes\n' >"$work/bad.scenario"
expect_usage() { # MESSAGE ARGS...
	msg=$1
	shift
	"$bin" stress "$1" --out "$work/usage" "${@:2}" >"$work/out" 2>"$work/err"
	st=$?
	[ "$st" = 2 ] && grep -qF -- "$msg" "$work/err" ||
		bad "stress $*: exit $st, stderr '$(cat "$work/err")', want 2 and '$msg'"
}

# A fault plan beside the scenario: the devices it names fault and are
# quarantined, none innocent; a plan that names no device of the run, or
# does not parse, is refused
printf 'at 50ms 3 unresponsive for 100ms\ndrop 5 0.5 from 300ms to 400ms\n' \
	>"$work/two.plan"
run 0 baseline --clock virtual --duration 500ms --warmup 0 \
	--fault-plan "$work/two.plan" --name plan
[ "$(field "$work/stress-plan.json" '[.quarantines, .innocent_quarantines, .oracle_violations] | @tsv')" = "$(printf '2\t0\t0')" ] ||
	bad "fault plan: $(field "$work/stress-plan.json" '[.quarantines, .innocent_quarantines, .oracle_violations] | @tsv')"
printf 'at 5ms 64 unresponsive\n' >"$work/far.plan"
expect_usage "SID 64 is not a device of the run (0..7)" baseline --fault-plan "$work/far.plan"
printf 'at 5ms x unresponsive\n' >"$work/bad.plan"
expect_usage "bad.plan: line 1: bad SID 'x'" baseline --fault-plan "$work/bad.plan"
expect_usage "bad.scenario:2: fault: 'sometimes' is not one of" "$work/bad.scenario"
expect_usage "neither a scenario" no-such-scenario
printf 'mappers = 2\n\0fault = sometimes\n' >"$work/nul.scenario"
expect_usage "nul.scenario: a NUL byte at offset 12" "$work/nul.scenario"
expect_usage "unknown option '--frob'" baseline --frob 1
expect_usage "'nan' is not a duration" baseline --duration nan
expect_usage "'1e3' is not a duration" baseline --duration 1e3
expect_usage "'0x10' is not a decimal number" baseline --mappers 0x10
expect_usage "'-1' is not a decimal number" baseline --mappers=-1
expect_usage "unexpected argument 'extra'" baseline extra
"$bin" stress baseline --mappers=010 --duration=2 --show | grep -qx "mappers = 10" ||
	bad "--KEY=VALUE, or decimal 010, not taken"
"$bin" --version | grep -q "^atcbench [0-9a-f]" || bad "--version"
"$bin" stress baseline --duration 2 --show | grep -qx "duration = 2000000000ns" ||
	bad "a bare duration is not read as seconds"
"$bin" stress --help | awk 'length > 80 { print "FAIL: stress --help over 80 columns: " $0; exit 1 }' ||
	fail=1
expect_usage "mappers: 0 is out of range [1, 64]" baseline --mappers 0
expect_usage "mappers: 65 is out of range" baseline --mappers 65
expect_usage "duration: '10 parsecs' is not a duration" baseline --duration "10 parsecs"
expect_usage "op_pages (300) is larger than pages (256)" baseline --op-pages 300
expect_usage "non_ats (4) must leave a device with ATS (devices 4)" churn --non-ats 4
expect_usage "non_ats needs fault none, smmu-stall or illegal" timeout-storm --non-ats 1
expect_usage "pasid (4) takes devices with ATS: at most devices - non_ats (3)" churn --non-ats 1 --pasid 4
expect_usage "pasid needs stage-1 domains (nested false)" churn --nested true --pasid 1
expect_usage "smmus (4) is more than domains (3): an SMMU would have no domain" churn --smmus 4
expect_usage "smmus: 5 is out of range" churn --smmus 5
expect_usage "strategy: 'best' is not one of" baseline --strategy best
expect_usage "CPU 4096 is not in the topology" baseline --pin 4096 --duration 10ms
expect_usage "--duration needs a value" baseline --duration
expect_usage "fault_duration must be shorter" timeout-storm --fault-duration 2s
expect_usage "--name: 1 to 63" baseline --name "a/b"

# Ctrl-C stops a run cleanly and still writes its results.  The signal is
# sent once the run catches SIGINT (bit 2 of SigCgt in /proc: the handler is
# installed when the run starts), not after a guessed sleep
"$bin" stress baseline --duration 60s --out "$work" --name intr >"$work/out" 2>&1 &
pid=$!
catches_sigint() {
	local mask
	mask=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$pid/status" 2>/dev/null) &&
		(((0x$mask >> 1) & 1))
}
for ((i = 0; i < 1200; i++)); do # a bound of 120 s, for a hung start
	catches_sigint && break
	sleep 0.1
done
kill -INT $pid
wait $pid
st=$?
[ "$st" = 0 ] || bad "interrupted run exited $st"
[ "$(field "$work/stress-intr.json" .interrupted)" = true ] ||
	bad "interrupted run: no results or not marked"

# Twice at once, as timeout -s INT does (to the process and its group):
# the run still ends with its results.  (Whether the second arrives before
# the first is handled, merging with it, or during the final write is up
# to the scheduler: the test cannot force the write window, but no order
# may lose the run.)
"$bin" stress baseline --duration 60s --out "$work" --name intr2 >"$work/out" 2>&1 &
pid=$!
for ((i = 0; i < 1200; i++)); do
	catches_sigint && break
	sleep 0.1
done
kill -INT $pid
kill -INT $pid 2>/dev/null
wait $pid
st=$?
[ "$st" = 0 ] || bad "run interrupted twice exited $st"
[ "$(field "$work/stress-intr2.json" .interrupted)" = true ] ||
	bad "run interrupted twice: no results or not marked"
[ -z "$(find "$work" -maxdepth 1 -name '*.tmp.*')" ] ||
	bad "temporary files left: $(find "$work" -maxdepth 1 -name '*.tmp.*')"

# The progress line: redrawn in place, at most 80 columns
"$bin" stress baseline --duration 2s --progress on --out "$work/progress" \
	>/dev/null 2>"$work/progress.err" || bad "stress with --progress on failed"
grep -q $'\r' "$work/progress.err" || bad "no progress line redrawn with \\r"
tr '\r' '\n' <"$work/progress.err" |
	awk 'length > 80 { print "FAIL: progress line over 80 columns: " $0; exit 1 }' || fail=1

# The report: at most 72 columns, with the scenarios in it
"$bin" report "$work" >"$work/report.out" || bad "report failed"
[ -f "$work/report.txt" ] || bad "no report.txt"
awk 'length > 72 { print "FAIL: report line over 72 columns: " $0; exit 1 }' \
	"$work/report.txt" || fail=1
grep -q "real-timeout-storm" "$work/report.txt" || bad "report lacks a scenario"
"$bin" report "$work/nowhere" 2>/dev/null
[ $? = 2 ] || bad "report of a missing folder: want exit 2"
mkdir -p "$work/noresults"
"$bin" env "$work/noresults"
"$bin" report "$work/noresults" 2>/dev/null
[ $? = 2 ] && [ ! -e "$work/noresults/report.txt" ] ||
	bad "report of a folder without results: want exit 2 and no report.txt"

# A run's own lines stay within 72 columns whatever its name, and a seed
# above 2^53 is reproduced exactly (jq would round it: set it with sed)
mkdir -p "$work/long"
jq '.name = "a-scenario-name-of-forty-characters-xxxx" | .stalls = 3 |
	.stall_threshold_ns = 100000000 | .stall_max_ns = 263000000 |
	.oracle_violations = 1 | .seed = "SEED" | .load = "open" |
	.rate_per_mapper = 1000000000' "$work/stress-real-timeout-storm.json" |
	sed 's/"SEED"/18446744073709551615/' >"$work/long/stress-long.json"
"$bin" report "$work/long" >/dev/null || bad "report of a long name failed"
awk 'length > 72 { print "FAIL: report line over 72 columns: " $0; exit 1 }' \
	"$work/long/report.txt" || fail=1
grep -q "^  seed 18446744073709551615, real time: a rerun may not repeat it$" "$work/long/report.txt" ||
	bad "report: the seed above 2^53 is not reproduced exactly"
# What must not pass comes first: the violation, then bench.sh's failed
# runs (failed-runs), each a line
head -n 1 "$work/long/report.txt" |
	grep -q "^VIOLATION: stress a-scenario-name-of-forty-characters-xxxx$" ||
	bad "report.txt does not start with the violation: $(head -n 1 "$work/long/report.txt")"
echo "stress long: exit 1: atcbench stress timeout-storm --seed 1" >"$work/long/failed-runs"
"$bin" report "$work/long" >/dev/null || bad "report with failed-runs failed"
grep -n -A1 "^FAILED: stress long: exit 1$" "$work/long/report.txt" |
	grep -q "^[1-9]-  atcbench stress timeout-storm --seed 1$" ||
	bad "report.txt does not name the failed run and its command at its top"
rm "$work/long/failed-runs"

# A results file that does not parse or is not what its name says is
# refused by report and compare (exit 2, the file named), never skipped
bad_file() { # NAME CONTENT MESSAGE
	rm -rf "$work/badfile"
	mkdir -p "$work/badfile"
	cp "$work/stress-real-timeout-storm.json" "$work/badfile/"
	printf '%s' "$2" >"$work/badfile/$1"
	"$bin" report "$work/badfile" >/dev/null 2>"$work/err"
	st=$?
	[ $st = 2 ] && grep -qF "badfile/$1: $3" "$work/err" ||
		bad "report with a bad $1: exit $st, '$(cat "$work/err")'"
	"$bin" compare "$work/long" "$work/badfile" --out "$work/badfile" \
		>/dev/null 2>"$work/err"
	st=$?
	[ $st = 2 ] && grep -qF "badfile/$1: $3" "$work/err" ||
		bad "compare with a bad $1: exit $st, '$(cat "$work/err")'"
}
bad_file stress-cut.json '{"schema_version": 1, "kind": "stress"' "offset"
bad_file stress-wrong.json '{"schema_version": 1, "kind": "isolate"}' \
	"kind 'isolate', not 'stress'"
bad_file stress-future.json '{"schema_version": 2, "kind": "stress"}' \
	"schema_version 2"
bad_file isolate.json "$(cat "$work/stress-real-timeout-storm.json")" \
	"kind 'stress', not 'isolate'"
bad_file micro.json '{"benchmarks": 1}' "not Google Benchmark's JSON"
bad_file kernel-x.json '[1, 2]' "not a JSON object"

# The environment's tuning: captured, and a warning when it spoils figures
"$bin" env "$work/long" || bad "env exited $?"
jq -e '.tuning | has("governor") and has("boost") and has("smt") and
	has("isolated_cpus") and has("nohz_full") and has("aslr") and
	(.load_avg | length == 3)' "$work/long/env.json" >/dev/null ||
	bad "env.json: tuning incomplete: $(jq -c .tuning "$work/long/env.json")"
# A folder of that env.json and one real-time run, whose own load is set,
# not measured (this machine's is whatever the other tests make it): UNDER,
# or none, as before the runs measured it.  How the runs' own load warns is
# tests/report/load.sh's.
mkdir -p "$work/tuned"
tune() { # JQ-UPDATE [UNDER]: the report's WARNING lines for that tuning
	jq ".online_cpus = 2 | .tuning = $1" "$work/long/env.json" >"$work/tuned/env.json"
	if [ $# -ge 2 ]; then
		jq ".machine_load.under_load = $2" "$work/stress-real-timeout-storm.json"
	else
		jq 'del(.machine_load)' "$work/stress-real-timeout-storm.json"
	fi >"$work/tuned/stress-tuned.json"
	"$bin" report "$work/tuned" | grep -c "^WARNING: "
}
loaded='{"governor": "powersave", "boost": true, "load_avg": [9, 9, 9]}'
quiet='{"governor": "performance", "boost": false, "load_avg": [0.2, 0, 0]}'
[ "$(tune "$loaded")" = 2 ] ||
	bad "report: no warnings for a loaded, frequency-scaled machine"
[ "$(tune "$quiet" 0)" = 0 ] ||
	bad "report: warnings for a quiet, fixed-frequency machine"

# topo's option errors name what is wrong
"$bin" topo --bogus 2>&1 | grep -q "unknown option '--bogus'" || bad "topo --bogus: not called unknown"
"$bin" topo --pin 2>&1 | grep -q -- "--pin needs a value" || bad "topo --pin: no 'needs a value'"
# The topology command on a synthetic 2-node machine
HWLOC_SYNTHETIC="pack:2 numa:1 core:2 pu:1" "$bin" topo --pin per-node \
	--threads 4 >"$work/topo" || bad "topo failed"
grep -q "mode: simulated" "$work/topo" && grep -q "thread 1: cpu 2 node 1" \
	"$work/topo" || bad "topo: $(cat "$work/topo")"

# A new user's walk: every command's --help exits 0 within 80 columns, and
# an option no command has is refused in one line with exit 2
for cmd in replay isolate "stress baseline" scenarios report compare \
	"kernel run" "kernel sim" "kernel convert" "kernel build" \
	"kernel compare" env topo; do
	# shellcheck disable=SC2086
	"$bin" $cmd --help >"$work/help" 2>&1 || bad "$cmd --help exited $?"
	awk -v c="$cmd" 'length > 80 { print "FAIL: " c " --help over 80 columns: " $0; exit 1 }' \
		"$work/help" || fail=1
	# shellcheck disable=SC2086
	"$bin" $cmd --no-such-option >"$work/out" 2>"$work/err"
	st=$?
	[ $st = 2 ] && [ "$(wc -l <"$work/err")" = 1 ] &&
		grep -q "unknown option '--no-such-option'" "$work/err" ||
		bad "$cmd --no-such-option: exit $st, '$(cat "$work/err")'"
done
"$bin" micro --help >/dev/null || bad "micro --help exited $?"

finish "stress CLI"
