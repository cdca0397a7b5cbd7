#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# atc-trace.sh - trace the ARM SMMUv3 driver's invalidation path with
# tracefs alone (kprobes, synthetic events, hist triggers): no compiler, no
# bpftrace.  The same script runs in atcbench's QEMU guest and, as root, on
# a real arm64 machine with the kernel under test.
#
# usage: atc-trace.sh start          set up and enable the probes
#        atc-trace.sh stop OUTDIR    write what was traced to OUTDIR, remove
#                                    the probes
#        atc-trace.sh clean          remove the probes (after a failed run)
#
# Probe points are chosen from /proc/kallsyms, since they differ across
# kernels:
#   issue  arm_smmu_cmdq_issue_cmdlist: latency, commands per list, CMD_SYNC
#   op     the domain invalidation: arm_smmu_domain_inv_range (7.1+, the
#          invalidation array), else arm_smmu_tlb_inv_range_domain (6.x),
#          else arm_smmu_iotlb_sync, where that one is inlined
#   atc    arm_smmu_atc_inv_domain (6.x; on 7.x the walker does it)
#   skip   __arm_smmu_cmdq_skip_err, where it is not inlined
# OUTDIR/points: a line per point: role, function, where it was probed
# (the name, an address when the name is not unique, or "absent").
# Exit status 2 when the issue or op point is absent (nothing to measure).
# ATCB_STATE (default /tmp/atcb-trace) keeps what start set up, for stop.
set -eu
T=/sys/kernel/tracing
[ -d "$T/events" ] || T=/sys/kernel/debug/tracing
G=atcb
S=${ATCB_STATE:-/tmp/atcb-trace} # what start chose, for stop

die() {
	echo "atc-trace.sh: $*" >&2
	exit 2
}

has_sym() { # SYMBOL: a function in kallsyms (not a .cold or .isra copy)
	grep -q "^[0-9a-f]* [tT] $1\$" /proc/kallsyms
}

# Where to probe SYMBOL: its name when it is unique; when several
# functions share it (arm_smmu_iotlb_sync is in both the SMMUv2 and the
# SMMUv3 driver), the address of the copy nearest to a function only the
# SMMUv3 driver has
where() { # SYMBOL
	n=$(grep -c "^[0-9a-f]* [tT] $1\$" /proc/kallsyms || true)
	if [ "$n" -le 1 ]; then
		echo "$1"
		return
	fi
	anchor=$(sed -n "s/^\([0-9a-f]*\) [tT] arm_smmu_cmdq_issue_cmdlist\$/\1/p" /proc/kallsyms)
	best= bestd=
	for a in $(sed -n "s/^\([0-9a-f]*\) [tT] $1\$/\1/p" /proc/kallsyms); do
		d=$((0x$a - 0x$anchor))
		[ "$d" -lt 0 ] && d=$((-d))
		if [ -z "$bestd" ] || [ "$d" -lt "$bestd" ]; then
			best=$a bestd=$d
		fi
	done
	echo "0x$best"
}

# Set a trigger, and remember it: clean removes triggers with the very
# text that set them, last first (a hist trigger is removed by "!" and the
# text that created it; an onmatch() user goes before the variable's owner)
trigger() { # FILE TEXT
	echo "$2" >>"$1"
	printf '%s\t%s\n' "$1" "$2" >>"$S/triggers"
}

# An entry probe with the named arguments, through BTF where the kernel
# has it, else through registers (arm64: x0, x1, ...)
kprobe() { # NAME SYMBOL BTF_ARGS REG_ARGS
	echo "p:$G/$1 $2 $3" >>"$T/kprobe_events" 2>/dev/null ||
		echo "p:$G/$1 $2 $4" >>"$T/kprobe_events"
}

# Latency of SYMBOL from entry to return, as the synthetic event NAME_lat
# (field lat, ns), with the entry's extra fields carried along
latency() { # NAME SYMBOL "SYNTH_FIELDS" "SAVE" "PASS"
	echo "r:$G/$1_ret $2" >>"$T/kprobe_events"
	echo "$1_lat u64 lat$3" >>"$T/synthetic_events"
	trigger "$T/events/$G/$1/trigger" \
		"hist:keys=common_pid,common_cpu:ts0=common_timestamp$4"
	trigger "$T/events/$G/$1_ret/trigger" \
		"hist:keys=common_pid,common_cpu:lat=common_timestamp-\$ts0:onmatch($G.$1).trace($1_lat,\$lat$5)"
	trigger "$T/events/synthetic/$1_lat/trigger" \
		"hist:keys=lat,common_cpu:sort=lat:size=16384"
}

start() {
	[ -w "$T/kprobe_events" ] || die "no writable tracefs at $T (root? CONFIG_KPROBE_EVENTS?)"
	clean
	rm -rf "$S"
	mkdir -p "$S"
	has_sym arm_smmu_cmdq_issue_cmdlist ||
		die "arm_smmu_cmdq_issue_cmdlist is not in /proc/kallsyms (ARM_SMMU_V3=y?)"
	# 6.12+: (smmu, cmdq, cmds, n, sync); before: (smmu, cmds, n, sync)
	case $(uname -r) in
	[0-5].* | 6.[0-9].* | 6.1[01].*) regs="n=%x2:s32 sync=%x3:u8" ;;
	*) regs="n=%x3:s32 sync=%x4:u8" ;;
	esac
	kprobe issue arm_smmu_cmdq_issue_cmdlist "n=n:s32 sync=sync:u8" "$regs"
	latency issue arm_smmu_cmdq_issue_cmdlist "; s32 n; u8 sync" \
		":n0=n:s0=sync" ",\$n0,\$s0"
	# Keyed by CPU as well: two CPUs inserting one new key at once make a
	# hist trigger drop one of the two events ("Dropped:"), a key of each
	# CPU cannot race that way (stop's output says how many were dropped)
	trigger "$T/events/$G/issue/trigger" "hist:keys=n,sync,common_cpu:sort=n,sync"
	echo "issue arm_smmu_cmdq_issue_cmdlist arm_smmu_cmdq_issue_cmdlist" >"$S/points"

	# The domain invalidation of an unmap: the 7.1+ walker, else the 6.x
	# range invalidation, else (inlined there) its caller, iotlb_sync
	for op in arm_smmu_domain_inv_range arm_smmu_tlb_inv_range_domain \
		arm_smmu_iotlb_sync ""; do
		[ -z "$op" ] || ! has_sym "$op" || break
	done
	if [ -z "$op" ]; then
		clean
		grep -E " (arm_smmu_(tlb_inv|atc_inv|domain_inv|iotlb)|__arm_smmu_tlb_inv)" \
			/proc/kallsyms >&2 || true
		die "no domain invalidation to probe (arm_smmu_domain_inv_range, arm_smmu_tlb_inv_range_domain)"
	fi
	kprobe op "$(where "$op")" "" ""
	latency op "$(where "$op")" "" "" ""
	echo "op $op $(where "$op")" >>"$S/points"
	for p in atc:arm_smmu_atc_inv_domain skip:__arm_smmu_cmdq_skip_err; do
		if has_sym "${p#*:}"; then
			kprobe "${p%%:*}" "$(where "${p#*:}")" "" ""
			echo "${p%%:*} ${p#*:} $(where "${p#*:}")" >>"$S/points"
		else
			echo "${p%%:*} ${p#*:} absent" >>"$S/points"
		fi
	done
	echo 1 >"$T/events/$G/enable"
	echo 1 >"$T/events/synthetic/enable"
	echo 1 >"$T/tracing_on"
}

stop() { # OUTDIR
	[ -n "${1:-}" ] || die "stop needs an output folder"
	mkdir -p "$1"
	echo 0 >"$T/events/$G/enable"
	cp "$S/points" "$1/points"
	uname -r >"$1/kernel"
	cat "$T/kprobe_events" >"$1/kprobe_events"
	cat "$T/kprobe_profile" >"$1/kprobe_profile"
	for e in issue_lat op_lat; do
		cat "$T/events/synthetic/$e/hist" >"$1/hist-$e"
	done
	cat "$T/events/$G/issue/hist" >"$1/hist-issue"
	clean
}

clean() {
	[ -d "$T/events/$G" ] && echo 0 >"$T/events/$G/enable"
	[ -d "$T/events/synthetic" ] && echo 0 >"$T/events/synthetic/enable"
	if [ -f "$S/triggers" ]; then
		sed -n '1!G;h;$p' "$S/triggers" |
			while IFS="$(printf '\t')" read -r f t; do
				echo "!$t" >>"$f" 2>/dev/null || true
			done
		rm -f "$S/triggers"
	fi
	for e in issue_lat op_lat; do
		echo "!$e" >>"$T/synthetic_events" 2>/dev/null || true
	done
	for p in issue issue_ret op op_ret atc skip; do
		echo "-:$G/$p" >>"$T/kprobe_events" 2>/dev/null || true
	done
}

case ${1:-} in
start) start ;;
stop) stop "${2:-}" ;;
clean) clean ;;
-h | --help) sed -n 's/^# \{0,1\}//; 4,25p' "$0" ;;
*) die "usage: atc-trace.sh start | stop OUTDIR | clean" ;;
esac
