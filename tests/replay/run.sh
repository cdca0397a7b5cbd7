#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Checks `atcbench replay` against golden files:
#   NAME.replay [+ NAME.opts]  ->  NAME.stdout (exit 0, no stderr)
#   bad.cases: INPUT<TAB>STDERR lines  ->  exit 2 and exactly that stderr
# usage: run.sh ATCBENCH DIR
set -u
bin=$1
dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

for input in "$dir"/*.replay; do
	name=$(basename "$input" .replay)
	opts=
	[ -f "$dir/$name.opts" ] && opts=$(cat "$dir/$name.opts")
	# shellcheck disable=SC2086
	"$bin" replay $opts "$input" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 0 ] || [ -s "$tmp/err" ]; then
		echo "FAIL $name: exit $rc"; cat "$tmp/err"; fail=1
	elif ! diff -u "$dir/$name.stdout" "$tmp/out"; then
		echo "FAIL $name: output differs"; fail=1
	else
		echo "ok   $name"
	fi
done

n=0
while IFS='	' read -r input expect; do
	case $input in '#'*|'') [ -z "$expect" ] && continue ;; esac
	n=$((n + 1))
	printf '%b\n' "$input" | "$bin" replay - >/dev/null 2>"$tmp/err"
	rc=$?
	got=$(cat "$tmp/err")
	if [ $rc -ne 2 ] || [ "$got" != "$expect" ]; then
		echo "FAIL bad case $n: '$input': exit $rc, stderr '$got', want '$expect'"
		fail=1
	fi
done <"$dir/bad.cases"
echo "bad.cases: $n cases"

# What replay prints is input: each array state of the golden outputs,
# its live entries as a merge list, is accepted
for out in "$dir"/*.stdout; do
	awk '/^num_invs=/ { if (l != "") print "merge" l; l = ""; next }
	     /^  [a-z0-9_]+:/ && $2 != "users=0" { l = l " " $1 }
	     END { if (l != "") print "merge" l }' "$out" >"$tmp/again"
	[ -s "$tmp/again" ] || continue
	"$bin" replay "$tmp/again" >/dev/null 2>"$tmp/err" || {
		echo "FAIL: $(basename "$out")'s entries are not input: $(cat "$tmp/err")"
		fail=1
	}
done

# Bad usage exits 2 as well
"$bin" replay --frobnicate >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: unknown option did not exit 2"; fail=1; }
"$bin" replay "$tmp/does-not-exist" >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: missing file did not exit 2"; fail=1; }
"$bin" replay --help | grep -q "^usage: atcbench replay" ||
	{ echo "FAIL: replay --help is not replay's"; fail=1; }
exit $fail
