#!/bin/sh
# The harness switches compile away (kernel-hooks/include/khooks/switches.h):
# the kernel-form objects built without KHOOKS_SWITCHES reference no switch,
# and the same files built with them do (else this check could not fail).
# usage: run.sh PRISTINE_OBJECTS... -- SWITCHED_OBJECTS...
set -eu
pristine=
switched=
side=pristine
for f in "$@"; do
	if [ "$f" = -- ]; then
		side=switched
	elif [ $side = pristine ]; then
		pristine="$pristine $f"
	else
		switched="$switched $f"
	fi
done
[ -n "$pristine" ] && [ -n "$switched" ] || {
	echo "usage: run.sh PRISTINE_OBJECTS... -- SWITCHED_OBJECTS..." >&2
	exit 2
}
# shellcheck disable=SC2086
refs=$(nm -u $pristine | grep -c 'khooks_switch' || true)
# shellcheck disable=SC2086
srefs=$(nm -u $switched | grep -c 'khooks_switches$' || true)
echo "pristine objects: $refs references to a switch; switched: $srefs"
if [ "$refs" -ne 0 ]; then
	nm -uA $pristine | grep khooks_switch
	echo "FAIL: a switch is left in the pristine kernel-form code" >&2
	exit 1
fi
if [ "$srefs" -eq 0 ]; then
	echo "FAIL: the switched build references no switch: the check is blind" >&2
	exit 1
fi
echo PASS
