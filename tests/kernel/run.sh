#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The real kernel (ctest label "kernel"): Debian's 7.3 and 6.12 arm64
# kernels booted under QEMU, their invalidation path traced; the counts are
# exact and hold together (probe hits, list shapes, QEMU's opcodes); the
# fidelity check: atcbench's kernel-form code, in the same topology, sends
# the same commands per unmap as the real driver (7.3 against the array,
# 6.12 against the pre-7.1 devlist, 7.3 in lazy DMA mode against the
# array's whole-domain invalidations); compare of the two kernels; the
# errors that must exit 2 with a reason.  No randomness: nothing to seed.
# usage: run.sh ATCBENCH WORKDIR
set -u
bin=$1
work=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$work"
mkdir -p "$work"
fail=0
ops=1000 devices=2 name=dio-2d

bad() {
	echo "FAIL: $*"
	fail=1
}
field() { # FILE JQ
	jq -r "$2" "$1"
}
check() { # FILE JQ-CONDITION WHAT
	jq -e "$2" "$1" >/dev/null || bad "$3: $(jq -c "{ops, lists, cmds, syncs, smmu_opcodes, points}" "$1")"
}

# One boot of each kernel
for k in 7.3 6.12; do
	start=$(date +%s)
	"$bin" kernel run --kernel "$k" --devices $devices --ops $ops \
		--out "$work/real-$k" >"$work/real-$k.out" 2>"$work/real-$k.err" || {
		bad "kernel run --kernel $k exited $?"
		tail -n 20 "$work/real-$k.err"
		continue
	}
	echo "kernel $k: $(($(date +%s) - start)) s (download included on a fresh machine)"
	j=$work/real-$k/kernel-$name.json
	[ -f "$j" ] || { bad "$k: no $j"; continue; }
	case $(field "$j" .kernel) in
	"$k".*) ;;
	*) bad "$k: booted $(field "$j" .kernel)" ;;
	esac
	# dd's direct-I/O reads: each maps and unmaps, so invalidates
	check "$j" '.ops >= '$ops 'fewer invalidations than reads'
	check "$j" '.lists == (.list_sizes | map(.lists) | add)' 'list shapes do not add up'
	check "$j" '.metrics.cmdq_issue_ns.count == .lists' 'issue latencies unpaired'
	check "$j" '.metrics.inv_ns.count == .ops' 'invalidation latencies unpaired'
	check "$j" '.smmu_commands == .cmds + .syncs' 'QEMU and the probes disagree'
	check "$j" '.smmu_opcodes.CMD_SYNC == .syncs' 'QEMU syncs differ from the probes'
	awk 'length > 72 { print "FAIL: report line over 72 columns: " $0; exit 1 }' \
		"$work/real-$k/report.txt" || fail=1
	grep -q "SMMU commands per op" "$work/real-$k/report.txt" ||
		bad "$k: report.txt has no per-opcode counts"
done
check "$work/real-7.3/kernel-$name.json" '.points.op == "arm_smmu_domain_inv_range"' \
	"7.3: not the array's walker"
check "$work/real-6.12/kernel-$name.json" \
	'.points.op == "arm_smmu_iotlb_sync" and .atc_inv_domain_calls == .ops' \
	"6.12: not the master-list path"

# Lazy DMA (iommu.strict=0): the flush queue invalidates whole domains,
# one TLBI of the ASID per flush, whatever each unmap was
"$bin" kernel run --kernel 7.3 --devices $devices --ops $ops --dma-mode lazy \
	--out "$work/real-lazy" >"$work/real-lazy.out" 2>"$work/real-lazy.err" ||
	bad "kernel run --kernel 7.3 --dma-mode lazy exited $?"
check "$work/real-lazy/kernel-$name.json" '.dma_mode == "lazy" and .ops > 0 and
	.smmu_opcodes.CMD_TLBI_NH_ASID == .ops and .smmu_opcodes.CMD_TLBI_NH_VA == null' \
	"lazy: not one whole-domain TLBI per flush"

# Fidelity: the kernel-form code against each kernel, per unmap
fidelity() { # KERNEL DESIGN [SIM OPTIONS...]
	local k=$1 d=$2 real=$work/real-$1 sim=$work/sim-$1 n
	shift 2
	n=$(field "$real/kernel-$name.json" .ops)
	"$bin" kernel sim --design "$d" --devices $devices --ops "$n" "$@" \
		--out "$sim" >/dev/null 2>"$sim.err" || {
		bad "kernel sim --design $d exited $?"
		cat "$sim.err"
		return
	}
	mkdir -p "$work/fid-$k"
	"$bin" compare "$real" "$sim" --out "$work/fid-$k" >"$work/fid-$k.out" 2>&1 || {
		bad "fidelity $k/$d: compare exited $?"
		cat "$work/fid-$k.out"
		return
	}
	# Every count both sides have is the same (atc_inv_domain is a 6.x
	# function: "gone" on the simulated side, which has no such call)
	n=$(jq '[.rows[] | select(.verdict != "same" and .verdict != "gone")] | length' \
		"$work/fid-$k/compare.json")
	[ "$n" = 0 ] && [ "$(jq '[.rows[] | select(.verdict == "same")] | length' \
		"$work/fid-$k/compare.json")" -ge 5 ] || {
		bad "fidelity $k/$d: the command streams differ"
		cat "$work/fid-$k.out"
	}
	echo "fidelity: $k against $d:"
	sed -n '/^dio/p' "$work/fid-$k.out"
}
fidelity 7.3 rcu
fidelity 6.12 devlist
fidelity lazy rcu --dma-mode lazy

# The two designs side by side
mkdir -p "$work/designs"
# (exit 1: their counts differ, which compare reports as changed)
"$bin" compare "$work/real-6.12" "$work/real-7.3" --out "$work/designs" \
	>"$work/designs.out" 2>&1
[ $? -le 1 ] || bad "compare 6.12 7.3 could not compare"
grep -q "atc_inv_domain/op" "$work/designs.out" ||
	bad "compare 6.12 7.3: no atc_inv_domain row"

# Errors: exit 2 and the reason
expect2() { # MESSAGE ARGS...
	local msg=$1 st
	shift
	"$bin" kernel "$@" >"$work/out" 2>"$work/err"
	st=$?
	[ "$st" = 2 ] && grep -qF -- "$msg" "$work/err" ||
		bad "kernel $*: exit $st, stderr '$(tail -n 3 "$work/err")', want 2 and '$msg'"
}
expect2 "no Debian arm64 kernel 5.99.x" run --kernel 5.99 --out "$work/e1"
expect2 "No such file" run --image "$work/nothing" --out "$work/e2"
expect2 "--devices: 9 is out of range [1, 8]" run --kernel 7.3 --devices 9
expect2 "--ops: '1e3' is not a decimal number" sim --ops 1e3
expect2 "unknown option '--devices'" build --tree "$work" --devices 2
expect2 "one of --kernel, --image and --tree" run --out "$work/e3"
head -c 4096 /dev/zero >"$work/garbage.img"
expect2 "did not boot" run --image "$work/garbage.img" --timeout 10 --out "$work/e4"
[ -s "$work/e4/kernel-dio-1d/console.log" ] || [ -f "$work/e4/kernel-dio-1d/console.log" ] ||
	bad "no console log kept after a failed boot"
expect2 "no atc-trace.sh output" convert "$work/real-7.3" --out "$work/e5"
expect2 "unknown option" run --frob 1
"$bin" kernel --help >/dev/null || bad "kernel --help exited $?"

# The hardware script is POSIX sh (dash parses it)
dash -n "$root/kernel-hooks/real/atc-trace.sh" || bad "atc-trace.sh is not POSIX sh"

[ $fail = 0 ] && echo "kernel: all checks passed"
exit $fail
