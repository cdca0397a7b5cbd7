#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/bisect.sh under `git bisect run` (ctest label "smoke"), with a
# stand-in compare.sh (ATCBENCH_COMPARE) so that no step builds anything:
# in a scratch repository of 8 commits, commit 5 regresses (the stand-in
# exits 1 when the checked-out "cost" is above GOOD's) and commit 3 does
# not build (it exits 2).  bisect must name commit 5, having skipped 3
# if it tried it; compare.sh's 0/1/2 become 0/1/125; a usage error is 128
# (bisect aborts); --help is 0.  No randomness.
# usage: bisect.sh WORKDIR
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$1
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)
fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}

# The stand-in: GOOD's cost against the checked-out one
cat >"$work/compare.sh" <<'EOF'
#!/bin/bash
[ "$1" = --repo ] || exit 3
repo=$2
shift 2
good=${@: -2:1}
echo "$*" >>"$repo/../calls"
[ -e "$repo/broken" ] && exit 2
g=$(git -C "$repo" show "$good:cost")
h=$(cat "$repo/cost")
[ "$h" -gt "$g" ] && exit 1
exit 0
EOF
chmod +x "$work/compare.sh"
export ATCBENCH_COMPARE=$work/compare.sh

repo=$work/repo
mkdir -p "$repo"
g() { git -C "$repo" -c user.name=t -c user.email=t@localhost "$@"; }
g init -q
for i in 1 2 3 4 5 6 7 8; do
	cost=10
	((i >= 5)) && cost=11
	echo $cost >"$repo/cost"
	echo "$i" >"$repo/n"
	rm -f "$repo/broken"
	((i == 3)) && touch "$repo/broken"
	g add -A
	g commit -qm "commit $i"
	g tag "c$i"
done

# The exit statuses, one by one
cp -r "$root/scripts" "$work/"
s=$work/scripts/bisect.sh
for c in c2:0 c3:125 c6:1; do
	g checkout -q "${c%%:*}"
	(cd "$repo" && "$s" --quick c1 >/dev/null 2>&1)
	rc=$?
	[ $rc = "${c#*:}" ] || bad "at ${c%%:*}: exit $rc, want ${c#*:}"
done
grep -q -- "--quick c1 HEAD" "$work/calls" || bad "compare.sh not given the options, GOOD and HEAD"
(cd "$repo" && "$s" >/dev/null 2>&1)
[ $? = 128 ] || bad "no GOOD: want 128 (abort)"
(cd / && "$s" c1 >/dev/null 2>&1)
[ $? = 128 ] || bad "outside a repository: want 128"
"$s" --help >/dev/null || bad "--help exited $?"

# A whole bisection
g checkout -q c8
(cd "$repo" && git bisect start c8 c1 >/dev/null &&
	git bisect run "$s" c1 >"$work/bisect.out" 2>&1)
first=$(sed -n 's/^\([0-9a-f]*\) is the first bad commit$/\1/p' "$work/bisect.out")
[ -n "$first" ] && [ "$(git -C "$repo" rev-parse "$first")" = "$(git -C "$repo" rev-parse c5)" ] ||
	bad "bisect named $first, not c5: $(tail -n 5 "$work/bisect.out")"
(cd "$repo" && git bisect reset -q >/dev/null 2>&1)

if [ $fail = 0 ]; then
	echo "bisect.sh: all checks passed"
	rm -rf "$work"
fi
exit $fail
