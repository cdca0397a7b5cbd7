#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `atcbench kernel build`, `kernel run --tree` and `kernel compare` (ctest
# label "kernel"), without a compiler or QEMU: the tree is a git repository
# whose Makefile answers kbuild's targets (allnoconfig with
# KCONFIG_ALLCONFIG, Image, modules, kernelrelease) and logs each build;
# run.sh is a stand-in that writes atc-trace.sh's files with counts the
# built Image names.  The real build.sh and atcbench.config are used.
# Checks: a ref built once per commit and cached, the next commit built in
# the same clone, the tree untouched; an option of atcbench.config that
# does not reach .config fails the build, named; the tree's own files
# built without --ref; compare of equal and of different counts (exit 0
# and 1), each side's env.json naming its ref and commit, the report; a
# ref that does not build exits 2 before anything runs.  No randomness.
# usage: run.sh ATCBENCH WORKDIR
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$work"
mkdir -p "$work"/{bin,scripts}
work=$(cd "$work" && pwd)
fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}
export ATCBENCH_CACHE=$work/cache ATCBENCH_KERNEL_SCRIPTS=$work/scripts
export FAKE_LOG=$work/make.log
: >"$FAKE_LOG"

# The tools build.sh asks for; the Makefile below needs none of them
for t in aarch64-linux-gnu-gcc flex bison bc; do
	printf '#!/bin/sh\necho "%s (stand-in) 1.0"\n' "$t" >"$work/bin/$t"
	chmod +x "$work/bin/$t"
done
export PATH=$work/bin:$PATH
cp "$root/kernel-hooks/real/build.sh" "$root/kernel-hooks/real/atcbench.config" \
	"$work/scripts/"

# run.sh's stand-in: the Image says how many ATC_INVs an unmap sends
cat >"$work/scripts/run.sh" <<'EOF'
#!/bin/bash
set -eu
while (($#)); do
	case $1 in
	--image) image=$2 ;;
	--out) out=$2 ;;
	--ops) ops=$2 ;;
	--devices) devices=$2 ;;
	esac
	shift 2
done
atc=$(sed -n 's/^atc=//p' "$image")
# An Image with hang=1 waits to be interrupted, as a booting guest would:
# Ctrl-C reaches it with the whole foreground group
if grep -qx hang=1 "$image"; then
	sleep 1000 &
	child=$!
	trap 'kill $child; echo "stand-in run.sh: interrupted" >&2; exit 130' INT
	: >"$STANDIN_READY"
	wait
fi
t=$out/trace
mkdir -p "$t"
echo 6.12.0-standin >"$t/kernel"
echo 7.2.22 >"$t/qemu-version"
echo dio >"$t/workload"
echo "$devices" >"$t/devices"
for p in issue op atc skip; do
	echo "$p fn_$p fn_$p"
done >"$t/points"
lists=$((2 * ops))
printf '  %s %d 0\n' issue $lists issue_ret $lists op "$ops" op_ret "$ops" \
	atc "$ops" skip 0 >"$t/kprobe_profile"
{
	echo "# trigger info: hist:keys=n,sync:vals=hitcount [active]"
	echo "{ n:          1, sync:          1 } hitcount: $((ops + atc * ops))"
	((atc)) || echo "{ n:          0, sync:          1 } hitcount: $ops"
} >"$t/hist-issue"
echo "{ lat:       8000 } hitcount: $lists" >"$t/hist-issue_lat"
echo "{ lat:      40000 } hitcount: $ops" >"$t/hist-op_lat"
{
	echo "CMD_SYNC $lists"
	echo "CMD_TLBI_NH_VA $ops"
	((atc == 0)) || echo "CMD_ATC_INV $((atc * ops))"
} >"$t/qemu-opcodes"
# An Image with stale=N: QEMU's ATC oracle saw N stale hits on SID 0x100
stale=$(sed -n 's/^stale=//p' "$image")
if [ -n "$stale" ]; then
	echo "sid=0x100 ssid=0x0 ssv=0 size=0 global=0 fails=0 count=$((atc * ops))" >"$t/qemu-atc-inv"
	{
		echo "eats 0x100"
		for ((i = 0; i < stale; i++)); do
			echo "stale 0x100 0x$((i + 1))000 0x40000000 0x50000000 1"
		done
	} >"$t/qemu-atc-oracle"
fi
EOF
chmod +x "$work/scripts/run.sh"

# The tree: kbuild's targets, each build logged
tree=$work/linux
mkdir -p "$tree/arch/arm64"
echo "# arm64" >"$tree/arch/arm64/Kconfig"
printf '%s\n' \
	'allnoconfig:' \
	'	grep "^CONFIG_" $(KCONFIG_ALLCONFIG) | grep -v -x -F -f $(CURDIR)/drop >$(O)/.config; true' \
	'Image:' \
	'	mkdir -p $(O)/arch/arm64/boot' \
	'	cp $(CURDIR)/image $(O)/arch/arm64/boot/Image' \
	'	echo build $(shell cat $(CURDIR)/image) >>$(FAKE_LOG)' \
	'modules:' \
	'	@:' \
	'kernelrelease:' \
	'	@cat $(CURDIR)/version' >"$tree/Makefile"
echo 6.12.0-standin >"$tree/version"
: >"$tree/drop"
echo atc=0 >"$tree/image"
g() { git -C "$tree" -c user.name=t -c user.email=t@localhost "$@"; }
g init -q
g add -A
g commit -qm base
g tag v1
echo atc=1 >"$tree/image"
g commit -qam fix
g tag v2
echo CONFIG_ARM_SMMU_V3=y >"$tree/drop"
g commit -qam "no smmu"
g tag v3
g checkout -q v1
sha() { git -C "$tree" rev-parse "$1"; }
builds() { grep -c '^build' "$FAKE_LOG"; }

# build: once per commit, then cached
d1=$("$bin" kernel build --tree "$tree" --ref v1 2>"$work/b1.err") || bad "build v1 exited $?"
[ "$(cat "$d1/commit" 2>/dev/null)" = "$(sha v1)" ] || bad "build v1: commit $(cat "$d1/commit" 2>/dev/null)"
grep -qx atc=0 "$d1/Image" 2>/dev/null || bad "build v1: not v1's Image"
[ "$(cat "$d1/version" 2>/dev/null)" = 6.12.0-standin ] || bad "build v1: no version"
d1b=$("$bin" kernel build --tree "$tree" --ref v1 2>/dev/null)
[ "$d1b" = "$d1" ] && [ "$(builds)" = 1 ] || bad "build v1 again: not cached ($(builds) builds)"
d2=$("$bin" kernel build --tree "$tree" --ref v2 2>/dev/null) || bad "build v2 exited $?"
grep -qx atc=1 "$d2/Image" 2>/dev/null || bad "build v2: not v2's Image"
[ "$(find "$ATCBENCH_CACHE/builds" -maxdepth 1 -name 'src-*' | wc -l)" = 1 ] ||
	bad "v2 not built in v1's clone"
[ "$(git -C "$tree" rev-parse HEAD)" = "$(sha v1)" ] && [ -z "$(git -C "$tree" status --porcelain)" ] ||
	bad "the tree was touched"

# An option that does not reach .config fails the build, named
"$bin" kernel build --tree "$tree" --ref v3 >/dev/null 2>"$work/b3.err"
rc=$?
[ $rc = 2 ] && grep -q "CONFIG_ARM_SMMU_V3=y" "$work/b3.err" ||
	bad "v3 (SMMU dropped): exit $rc, $(tail -n 1 "$work/b3.err")"
"$bin" kernel build --tree "$tree" --ref nosuch >/dev/null 2>&1
[ $? = 2 ] || bad "a ref that does not exist did not exit 2"

# The tree's own files, without --ref
echo atc=7 >"$tree/image"
d=$("$bin" kernel build --tree "$tree" 2>/dev/null) || bad "build of the files exited $?"
grep -qx atc=7 "$d/Image" 2>/dev/null || bad "build of the files: not the files' Image"
touch "$tree/.config"
"$bin" kernel build --tree "$tree" >/dev/null 2>&1
[ $? = 2 ] || bad "an in-tree .config did not stop the build"
rm -f "$tree/.config"
g checkout -q -f v1

# run --tree: the built kernel boots (run.sh's stand-in)
"$bin" kernel run --tree "$tree" --ref v2 --ops 100 --out "$work/run" >/dev/null 2>&1 ||
	bad "run --tree exited $?"
jq -e '.smmu_opcodes.CMD_ATC_INV == 100 and .ops == 100' \
	"$work/run/kernel-dio-1d.json" >/dev/null 2>&1 || bad "run --tree: wrong counts"

# compare: the same counts, then different ones
"$bin" kernel compare --tree "$tree" v1 v1 --ops 100 --out "$work/same" >"$work/same.out" 2>&1
rc=$?
[ $rc = 0 ] || bad "compare v1 v1 exited $rc: $(tail -n 3 "$work/same.out")"
"$bin" kernel compare --tree "$tree" v1 v2 --ops 100 --out "$work/cmp" >"$work/cmp.out" 2>&1
rc=$?
[ $rc = 1 ] || bad "compare v1 v2 exited $rc: $(tail -n 3 "$work/cmp.out")"
jq -e '.rows[] | select(.name == "dio-1d ATC_INV/op") |
	.base == 0 and .head == 1 and .verdict == "changed" and .direction == "more"' \
	"$work/cmp/compare.json" >/dev/null 2>&1 || bad "compare v1 v2: no ATC_INV/op row 0 -> 1, more"
# The other way: a lost ATC invalidation is a change that fails, never
# an improvement, and the report says so first
"$bin" kernel compare --tree "$tree" v2 v1 --ops 100 --out "$work/lost" >"$work/lost.out" 2>&1
rc=$?
[ $rc = 1 ] || bad "compare v2 v1 (ATC_INV dropped) exited $rc: $(tail -n 3 "$work/lost.out")"
grep -h "ATC_INV" "$work/lost/compare.txt" "$work/lost/report.txt" | grep -i improved &&
	bad "compare v2 v1: an ATC_INV row called improved"
jq -e '.exit == 1 and .changed > 0 and .improved == 0 and
	(.rows[] | select(.name == "dio-1d ATC_INV/op") |
	 .verdict == "changed" and .direction == "fewer" and .words == "fewer ATC_INV")' \
	"$work/lost/compare.json" >/dev/null 2>&1 || bad "compare v2 v1: no 'fewer ATC_INV' row"
head -n 1 "$work/lost/compare.txt" | grep -q "^CHANGED: fewer ATC_INV" ||
	bad "compare v2 v1: compare.txt does not start with the lost ATC_INV: $(head -n 1 "$work/lost/compare.txt")"
grep -q "^CHANGED: fewer ATC_INV" "$work/lost/report.txt" ||
	bad "compare v2 v1: report.txt does not name the lost ATC_INV"
grep -q "the counts changed" "$work/lost.out" || bad "compare v2 v1: the closing line does not say the counts changed"
for s in base head; do
	d=$(jq -r ".$s.dir" "$work/cmp/compare.json")
	[ -f "$work/cmp/$d/env.json" ] || bad "compare.json's $s.dir '$d' is not the $s folder"
done
for side in base:v1 head:v2; do
	s=${side%%:*} r=${side#*:}
	jq -e --arg r "$r" --arg sha "$(sha "$r")" '.ref == $r and .git_sha == $sha' \
		"$work/cmp/$s/env.json" >/dev/null 2>&1 || bad "compare: $s/env.json does not name $r"
done
grep -q "^compare: base v1 ($(sha v1 | cut -c1-12))" "$work/cmp/report.txt" 2>/dev/null ||
	bad "compare: report.txt does not name the base"
grep -q "^report: $work/cmp/report.txt" "$work/cmp.out" || bad "compare: no report line"
grep -q "^Changed: 4 of 9 rows" "$work/cmp/report.txt" &&
	grep -q "^Unchanged: 5 rows (kernel 5)" "$work/cmp/report.txt" &&
	grep -A1 "^Reproduce:" "$work/cmp/report.txt" | grep -q "atcbench kernel compare --tree" ||
	bad "compare: report.txt lacks the changed rows, the count or the command: $(cat "$work/cmp/report.txt")"
awk 'length > 80 { print "FAIL: report line over 80 columns: " $0; exit 1 }' \
	"$work/cmp/report.txt" || fail=1

# Options that do not go together
for bad_args in "run --kernel 7.3 --ref v1:--ref goes with --tree" \
	"run --tree $tree --modules $work:--modules goes with --image" \
	"run --tree $tree --kernel 7.3:one of --kernel, --image and --tree" \
	"build --tree $tree --ops 3:unknown option '--ops'" \
	"compare --tree $tree v1:--tree DIR BASE HEAD" \
	"compare --tree $tree --ref v1 v1 v2:--tree DIR BASE HEAD"; do
	msg=${bad_args#*:}
	# shellcheck disable=SC2086
	"$bin" kernel ${bad_args%%:*} >/dev/null 2>"$work/err"
	rc=$?
	[ $rc = 2 ] && grep -qF -- "$msg" "$work/err" ||
		bad "kernel ${bad_args%%:*}: exit $rc, '$(cat "$work/err")', want 2 and '$msg'"
done

# The ATC oracle: a run with stale ATC hits exits 1, its report starting
# with them; compared with a clean base, VIOLATION, exit 1
printf 'atc=1\nstale=3\n' >"$tree/image"
g commit -qam "stale"
g tag v5
printf 'atc=1\nstale=0\n' >"$tree/image"
g commit -qam "oracle, clean"
g tag v6
g checkout -q -f v1
"$bin" kernel run --tree "$tree" --ref v5 --ops 100 --out "$work/stale" >/dev/null 2>&1
rc=$?
[ $rc = 1 ] && head -n 1 "$work/stale/report.txt" |
	grep -q "^VIOLATION: kernel dio-1d: SID 0x100: 3 stale ATC hits" &&
	jq -e '.atc_oracle.stale_hits == 3 and .ats_sids == [256] and
		.atc_oracle.sids[0].first_stale == ["0x1000", "0x2000", "0x3000"]' \
		"$work/stale/kernel-dio-1d.json" >/dev/null ||
	bad "run with stale ATC hits: exit $rc: $(head -n 3 "$work/stale/report.txt" 2>/dev/null)"
"$bin" kernel compare --tree "$tree" v6 v5 --ops 100 --out "$work/vstale" >"$work/vstale.out" 2>&1
rc=$?
[ $rc = 1 ] && head -n 1 "$work/vstale/compare.txt" | grep -q "^VIOLATION: 3 stale ATC hits" &&
	grep -q "^Verdict: VIOLATION" "$work/vstale/report.txt" &&
	grep -q ": VIOLATION" "$work/vstale.out" ||
	bad "compare clean -> stale: exit $rc: $(head -n 3 "$work/vstale/compare.txt" 2>/dev/null)"
"$bin" kernel compare --tree "$tree" v6 v6 --ops 100 --out "$work/vclean" >/dev/null 2>&1
[ $? = 0 ] || bad "compare of a clean oracle run with itself did not exit 0"

# Ctrl-C during a run: atcbench waits for run.sh, whose last word comes
# before atcbench's own, and exits 130 (no timing: the signal is sent once
# the stand-in is waiting for it)
printf 'atc=1\nhang=1\n' >"$tree/image"
g commit -qam "hangs"
g tag v7
g checkout -q -f v1
export STANDIN_READY=$work/standin-ready
rm -f "$STANDIN_READY"
# (a background job of a script starts with SIGINT ignored: env gives it
# back; setsid makes the group that Ctrl-C would reach)
(
	setsid env --default-signal=INT bash -c 'echo $$ >"$3.pid"
		exec "$0" kernel run --tree "$1" --ref v7 --ops 100 --out "$2" 2>"$3"' \
		"$bin" "$tree" "$work/intr" "$work/intr.err"
	echo $? >"$work/intr.rc"
) &
waiter=$!
for _ in $(seq 600); do
	[ -e "$STANDIN_READY" ] && break
	sleep 0.1
done
kill -INT -- "-$(cat "$work/intr.err.pid")"
wait $waiter
[ "$(cat "$work/intr.rc" 2>/dev/null)" = 130 ] &&
	[ "$(tail -n 1 "$work/intr.err")" = "atcbench kernel: interrupted ($work/intr/kernel-dio-1d)" ] &&
	grep -q "stand-in run.sh: interrupted" "$work/intr.err" ||
	bad "Ctrl-C: exit $(cat "$work/intr.rc" 2>/dev/null), stderr: $(cat "$work/intr.err")"

# dmabench's client, built for this machine: the ABI's size holds (a
# static assertion), and its arguments are checked against their limits
cc -O2 -Wall -Werror -o "$work/dmabench" "$root/kernel-hooks/real/dmabench.c" ||
	bad "dmabench.c does not build"
for args in "" "0 1 1" "1 301 1" "1 1 1025" "1x 1 1"; do
	# shellcheck disable=SC2086
	"$work/dmabench" $args >/dev/null 2>"$work/err"
	rc=$?
	[ $rc = 2 ] && grep -q "^usage: dmabench THREADS SECONDS GRANULE" "$work/err" ||
		bad "dmabench '$args': exit $rc, $(cat "$work/err")"
done

# Before anything builds: a ref that is not a commit, an --out that cannot
# be written (exit 2, one line, no build); the same commit twice is a
# warning
before=$(builds)
"$bin" kernel compare --tree "$tree" v1 nosuch --out "$work/nosuch" >/dev/null 2>"$work/err"
rc=$?
[ $rc = 2 ] && grep -q "nosuch is not a commit" "$work/err" && [ "$(builds)" = "$before" ] &&
	[ ! -e "$work/nosuch" ] || bad "compare v1 nosuch: exit $rc, $(builds) builds: $(cat "$work/err")"
echo atc=3 >"$tree/image"
g commit -qam "yet unbuilt"
g tag v4
g checkout -q -f v1
"$bin" kernel compare --tree "$tree" v1 v4 --out /etc/passwd/x >/dev/null 2>"$work/err"
rc=$?
[ $rc = 2 ] && [ "$(grep -c . "$work/err")" = 1 ] && grep -q "Not a directory" "$work/err" &&
	[ "$(builds)" = "$before" ] || bad "compare --out /etc/passwd/x: exit $rc, $(builds) builds: $(cat "$work/err")"
"$bin" kernel run --tree "$tree" --ref v4 --out /etc/passwd/x >/dev/null 2>"$work/err"
rc=$?
[ $rc = 2 ] && grep -q "Not a directory" "$work/err" && [ "$(builds)" = "$before" ] ||
	bad "run --out /etc/passwd/x: exit $rc, $(builds) builds: $(cat "$work/err")"
grep -q "warning: v1 and v1 are the same commit" "$work/same.out" ||
	bad "compare v1 v1: no same-commit warning"

# A second build of the tree waits, and says for whom: the lock held here
# as another build would hold it (no timing: the build cannot go on before
# the lock is given back, and the message comes before it waits)
lock=$ATCBENCH_CACHE/builds/lock-$(printf '%s' "$tree" | sha256sum | cut -c1-12)
exec 8>>"$lock"
flock 8
echo "pid 1 building v0 since 00:00:00Z" >"$lock.owner"
"$bin" kernel build --tree "$tree" --ref v4 >/dev/null 2>"$work/wait.err" &
waiter=$!
for _ in $(seq 600); do
	grep -q "waiting for another build" "$work/wait.err" && break
	sleep 0.1
done
grep -q "waiting for another build of $tree: pid 1 building v0" "$work/wait.err" ||
	bad "a second build did not say whom it waits for: $(cat "$work/wait.err")"
flock -u 8
exec 8>&-
wait $waiter || bad "the build that waited exited $?"

# A ref that does not build: exit 2 before any run, nothing written
"$bin" kernel compare --tree "$tree" v1 v3 --out "$work/broken" >/dev/null 2>&1
rc=$?
[ $rc = 2 ] && [ ! -e "$work/broken" ] || bad "compare v1 v3 (v3 does not build): exit $rc"

if [ $fail = 0 ]; then
	echo "kernel build and compare: all checks passed ($(builds) builds)"
	rm -rf "$work"
fi
exit $fail
