#!/bin/bash
# The stress command's tests (tests/stress/*.sh) share this: their
# arguments, the seed, the failure flag and the helpers.  Sourced, not run.
# usage: . lib.sh ATCBENCH WORKDIR
set -u
bin=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
seed=${ATCBENCH_SEED:-$(date +%s)}
echo "seed=$seed (ATCBENCH_SEED=$seed to reproduce)"
fail=0

bad() {
	echo "FAIL: $*"
	fail=1
}

field() { # FILE JQ
	jq -r "$2" "$1"
}

run() { # EXPECTED_STATUS[,STATUS] ARGS...
	want=$1
	shift
	"$bin" stress "$@" --seed "$seed" --out "$work" >"$work/out" 2>"$work/err"
	st=$?
	case ",$want," in *",$st,"*) ;; *) false ;; esac || {
		bad "stress $* exited $st, want $want"
		cat "$work/out" "$work/err"
	}
}

# The end of a test: its verdict, as the exit status
finish() { # NAME
	[ $fail = 0 ] && echo "$1: all checks passed"
	exit $fail
}
