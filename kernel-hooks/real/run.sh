#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - boot an arm64 kernel under QEMU with an SMMUv3 and virtio-blk
# devices behind it, trace the driver's invalidation path while a workload
# maps and unmaps, and keep what was traced.
#
# usage: kernel-hooks/real/run.sh --image IMAGE [--modules DIR]
#            --out DIR [--devices N] [--ops N] [--workload W] [--smp N]
#            [--timeout S] [--busybox FILE]
#   --image     the kernel (an arm64 Image; fetch.sh's IMAGE for Debian's)
#   --modules   .ko files to load in the guest, in the order of DIR/order
#               (or every .ko), for a kernel whose virtio-blk is a module
#   --out       results: console.log, qemu.log, trace/ (atc-trace.sh's
#               files plus qemu-opcodes: commands the SMMU executed while
#               the workload ran, by opcode, from QEMU's trace events)
#   --devices   virtio-blk devices behind the SMMU (1..8, default 1)
#   --ops       4 KiB direct-I/O reads, spread over the devices (default
#               2000): each maps its buffers for DMA and unmaps them
#   --workload  dio (the only one yet)
#   --smp       guest CPUs (1..8, default 2)
#   --timeout   seconds before the guest is given up (default 300)
#   --busybox   an arm64 static busybox (default: fetch.sh's)
#
# The guest runs with iommu.strict=1: each unmap invalidates at once, not
# through a flush queue.  QEMU's SMMUv3 completes every command at once, and
# QEMU runs the guest under TCG here (no KVM for arm64 on x86): times are
# emulation times, counts are exact.
# Exit status: 0 done; 2 with the reason on stderr (QEMU missing, the guest
# did not boot or finish, a probe point absent), console log kept in --out.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${ATCBENCH_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/atcbench}

die() {
	echo "run.sh: $*" >&2
	exit 2
}
usage() {
	sed -n 's/^# \{0,1\}//; 4,32p' "$0"
}

image= modules= out= devices=1 ops=2000 workload=dio smp=2 timeout=300
busybox=$cache/busybox/busybox
while (($#)); do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--image | --modules | --out | --devices | --ops | --workload | --smp | --timeout | --busybox)
		(($# >= 2)) || die "$1 needs a value"
		v=$2
		case $1 in
		--image) image=$v ;;
		--modules) modules=$v ;;
		--out) out=$v ;;
		--devices) devices=$v ;;
		--ops) ops=$v ;;
		--workload) workload=$v ;;
		--smp) smp=$v ;;
		--timeout) timeout=$v ;;
		--busybox) busybox=$v ;;
		esac
		shift 2
		;;
	*) die "unknown argument $1 (--help)" ;;
	esac
done
num() { # NAME VALUE MIN MAX
	[[ $2 =~ ^[0-9]+$ ]] && (($2 >= $3 && $2 <= $4)) || die "$1 takes $3 to $4"
}
[[ -n $image && -n $out ]] || die "--image and --out are needed (--help)"
[[ -f $image ]] || die "no kernel image $image"
[[ -z $modules || -d $modules ]] || die "no modules folder $modules"
num --devices "$devices" 1 8
num --ops "$ops" 1 1000000
num --smp "$smp" 1 8
num --timeout "$timeout" 10 7200
[[ $workload == dio ]] || die "--workload: dio is the only one"
command -v qemu-system-aarch64 >/dev/null ||
	die "qemu-system-aarch64 is missing (scripts/deps.sh installs qemu-system-arm)"
command -v cpio >/dev/null || die "cpio is missing (scripts/deps.sh installs it)"
[[ -x $busybox ]] || die "no busybox at $busybox (kernel-hooks/real/fetch.sh gets it)"

mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The initramfs: busybox, /init, the trace script, the modules
root=$work/root
mkdir -p "$root"/{bin,proc,sys,dev,out,lib/modules}
cp "$busybox" "$root/bin/busybox"
for a in sh mount insmod cat echo grep sed tr ls wc dd poweroff mkdir \
	uname sleep cut head; do
	ln -s busybox "$root/bin/$a"
done
install -m 755 "$here/init.sh" "$root/init"
install -m 755 "$here/atc-trace.sh" "$root/atc-trace.sh"
if [[ -n $modules ]]; then
	if [[ -f $modules/order ]]; then
		cp "$modules/order" "$root/lib/modules/order"
	else
		(cd "$modules" && ls -- *.ko) >"$root/lib/modules/order"
	fi
	while read -r m; do
		cp "$modules/$m" "$root/lib/modules/"
	done <"$root/lib/modules/order"
fi
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.gz"

drives=()
for ((i = 0; i < devices; i++)); do
	truncate -s 64M "$work/disk$i.img"
	drives+=(-drive "file=$work/disk$i.img,if=none,format=raw,id=d$i"
		-device "virtio-blk-pci,drive=d$i,iommu_platform=on,disable-legacy=on")
done
echo smmuv3_cmdq_opcode >"$work/events"

# The console, each line stamped with the host's time on arrival: the
# workload's window in QEMU's (stamped) trace log lies between the guest's
# "tracing" and "traced" lines
stamp() {
	local line
	while IFS= read -r line; do
		line=${line%$'\r'}
		printf '%s %s\n' "$EPOCHREALTIME" "$line"
		case $line in
		"atcb: "*) echo "run.sh: guest: ${line#atcb: }" >&2 ;;
		esac
	done
}
echo "run.sh: booting $(basename "$image") (QEMU $(qemu-system-aarch64 --version |
	sed -n '1s/.*version \([^ ]*\).*/\1/p'), TCG, $devices device(s))" >&2
rc=0
timeout --foreground -k 10 "$timeout" qemu-system-aarch64 \
	-machine virt,iommu=smmuv3 -cpu cortex-a57 -m 1G -smp "$smp" \
	-nographic -no-reboot -nic none -msg timestamp=on \
	-kernel "$image" -initrd "$work/initrd.gz" \
	-append "console=ttyAMA0 panic=-1 quiet iommu.strict=1 atcb.workload=$workload atcb.ops=$ops" \
	"${drives[@]}" -trace "events=$work/events" -D "$work/qemu.log" \
	</dev/null 2>&1 | stamp >"$work/console.stamped" || rc=$?
cut -d' ' -f2- "$work/console.stamped" >"$out/console.log"

status=$(sed -n 's/^[0-9.]* atcb: exit \([0-9]*\)$/\1/p' "$work/console.stamped" | tail -n 1)
if [[ -z $status ]]; then
	grep -q "atcb: kernel" "$work/console.stamped" ||
		die "the guest did not boot (exit $rc; console: $out/console.log)"
	die "the guest did not finish in ${timeout}s (console: $out/console.log)"
fi
if ((status != 0)); then
	reason=$(grep -h "^atc-trace.sh: \|^atcb: " "$out/console.log" | grep -v "atcb: exit" | tail -n 1)
	die "the guest failed: ${reason:-exit $status} (console: $out/console.log)"
fi

# The files atc-trace.sh wrote, from between the console's markers
mkdir -p "$out/trace"
awk -v dir="$out/trace" '
	/^=== atcb-file / { f = dir "/" $3; printf "" > f; next }
	/^=== atcb-end ===/ { f = ""; next }
	f != "" { print > f }' "$out/console.log"

# QEMU's commands inside the workload's window, by opcode
t0=$(sed -n 's/^\([0-9.]*\) atcb: tracing$/\1/p' "$work/console.stamped")
t1=$(sed -n 's/^\([0-9.]*\) atcb: traced$/\1/p' "$work/console.stamped")
[[ -n $t0 && -n $t1 ]] || die "no tracing window on the console ($out/console.log)"
awk -v t0="$t0" -v t1="$t1" '
	/smmuv3_cmdq_opcode/ {
		t = $1; sub(/^[0-9]*@/, "", t); sub(/:.*/, "", t)
		if (t + 0 < t0 + 0 || t + 0 > t1 + 0) next
		op = $NF; sub(/^SMMU_/, "", op); n[op]++
	}
	END { for (op in n) printf "%s %d\n", op, n[op] }' "$work/qemu.log" |
	sort >"$out/trace/qemu-opcodes"
gzip -c "$work/qemu.log" >"$out/qemu.log.gz"
qemu-system-aarch64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p' >"$out/trace/qemu-version"
echo "$devices" >"$out/trace/devices"
echo "$workload" >"$out/trace/workload"
echo "run.sh: done ($out)" >&2
