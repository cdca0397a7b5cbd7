#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - boot an arm64 kernel under QEMU with an SMMUv3 and virtio-blk
# devices behind it, trace the driver's invalidation path while a workload
# maps and unmaps, and keep what was traced.
#
# usage: kernel-hooks/real/run.sh --image IMAGE [--modules DIR]
#            --out DIR [--devices N] [--ops N] [--workload W] [--smp N]
#            [--threads N] [--seconds S] [--granule N]
#            [--timeout S] [--busybox FILE] [--topology T] [--dma-mode M]
#            [--ats [--atc-timeout SPEC] [--atc-timeout-delay NS]
#            [--atc-slow SPEC --atc-slow-delay NS]] [--qemu FILE]
#   --image     the kernel (an arm64 Image; fetch.sh's IMAGE for Debian's)
#   --modules   .ko files to load in the guest, in the order of DIR/order
#               (or every .ko), for a kernel whose virtio-blk is a module
#   --out       results: console.log, dmesg.txt (the guest's kernel log at
#               the end), qemu.log, trace/ (atc-trace.sh's
#               files plus qemu-opcodes: commands the SMMU executed while
#               the workload ran, by opcode, from QEMU's trace events)
#   --devices   virtio-blk devices behind the SMMU (1..8, default 1)
#   --ops       4 KiB direct-I/O reads, spread over the devices (default
#               2000): each maps its buffers for DMA and unmaps them
#   --workload  dio (the default), or dmabench: the kernel's DMA map
#               benchmark (CONFIG_DMA_MAP_BENCHMARK: kernels built by
#               build.sh have it) on the first device, rebound to the
#               dma_map_benchmark driver, through atcbench's own client
#               (dmabench.c, built static for arm64 once, into the cache);
#               trace/dmabench holds its mean and standard deviation lines
#   --threads, --seconds, --granule
#               dmabench's threads (1..64, default 1), how long (1..300 s,
#               default 2) and pages per map (1..1024, default 1)
#   --topology  where the devices sit on PCIe: bus (the root bus; not with
#               --ats), ports (each behind a root port of its own: a domain
#               each; the default with --ats), mf (devices 2k and 2k + 1
#               are functions 0 and 1 of one device behind root port k,
#               without ACS: one IOMMU group, so one domain of two devices);
#               SIDs: atcbench kernel --help
#   --dma-mode  strict (iommu.strict=1: each unmap invalidates at once, the
#               default) or lazy (iommu.strict=0: unmapped IOVAs wait in the
#               flush queue, which invalidates whole domains)
#   --smp       guest CPUs (1..8, default 2)
#   --timeout   seconds before the guest is given up (default 300)
#   --busybox   an arm64 static busybox (default: Debian's busybox-static,
#               fetched into the cache once)
#   --ats       ATS: the devices behind PCIe root ports with an ATS
#               capability, IDR0.ATS, ats-supported on the host bridge's
#               device-tree node; needs qemu-ats.sh's QEMU (the default
#               with --ats).  trace/qemu-atc-inv: the ATC_INVs the SMMU
#               executed in the window, by SID, SSID, SSV, size, global
#               and whether they failed; trace/qemu-atc-errors: the
#               CERROR_ATC_INV_SYNC errors by second of the window;
#               trace/kernel-cmdq-errors, kernel-sync-timeouts: the
#               kernel's "CMDQ error" and "CMD_SYNC timeout" lines, same;
#               trace/qemu-atc-oracle: what the SMMU's ATC oracle saw over
#               the whole run ("eats SID": a SID used with EATS; "stale SID
#               IOVA CACHED WALKED MAPPED": a stale ATC hit; "order SID
#               IOVA": an ATC_INV before the CMD_SYNC of a TLBI it covers)
#   --atc-timeout SPEC, --atc-timeout-delay NS
#               ATC_INVs that time out (qemu-ats.sh --help: SPEC); SIDs
#               are the PCI requester IDs (device N on bus N+1: N+1 << 8)
#   --atc-slow SPEC, --atc-slow-delay NS
#               ATC_INVs answered late: the CMD_SYNC after them, and the
#               commands behind it, wait NS (head-of-line blocking)
#   --qemu      the qemu-system-aarch64 to run (default: the PATH's)
#
# The guest runs with iommu.strict=1 (--dma-mode strict): each unmap
# invalidates at once, not through a flush queue.  QEMU's SMMUv3 completes every command at once
# (but for --atc-timeout and --atc-slow), and QEMU runs the guest under TCG here (no KVM
# for arm64 on x86): times are emulation times, counts are exact.
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
	awk 'NR >= 4 && !/^#/ { exit } NR >= 4 { sub(/^# ?/, ""); print }' "$0"
}

image= modules= out= devices=1 ops=2000 workload=dio smp=2 timeout=300
topology= dma_mode=strict threads=1 seconds=2 granule=1
busybox=$cache/busybox/busybox ats= atc_timeout= atc_delay=0 qemu=
atc_slow= atc_slow_delay=0
while (($#)); do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--ats) ats=1; shift; continue ;;
	--image | --modules | --out | --devices | --ops | --workload | --smp | --timeout | --busybox | \
		--atc-timeout | --atc-timeout-delay | --qemu | --topology | --dma-mode | \
		--atc-slow | --atc-slow-delay | \
		--threads | --seconds | --granule)
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
		--atc-timeout) atc_timeout=$v ;;
		--atc-timeout-delay) atc_delay=$v ;;
		--atc-slow) atc_slow=$v ;;
		--atc-slow-delay) atc_slow_delay=$v ;;
		--qemu) qemu=$v ;;
		--topology) topology=$v ;;
		--dma-mode) dma_mode=$v ;;
		--threads) threads=$v ;;
		--seconds) seconds=$v ;;
		--granule) granule=$v ;;
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
[[ $workload == dio || $workload == dmabench ]] || die "--workload: dio or dmabench"
num --threads "$threads" 1 64
num --seconds "$seconds" 1 300
num --granule "$granule" 1 1024
[[ -n $topology ]] || topology=${ats:+ports}
topology=${topology:-bus}
case $topology in
bus) [[ -z $ats ]] || die "--topology bus: an endpoint on the root bus has no ATS" ;;
ports | mf) ;;
*) die "--topology: bus, ports or mf" ;;
esac
case $dma_mode in
strict) strict=1 ;;
lazy) strict=0 ;;
*) die "--dma-mode: strict or lazy" ;;
esac
num --atc-timeout-delay "$atc_delay" 0 10000000000
[[ -n $ats || (-z $atc_timeout && $atc_delay == 0) ]] ||
	die "--atc-timeout and --atc-timeout-delay need --ats"
spec_re='^[0-9@+;cmnsu-]*$'
[[ $atc_timeout =~ $spec_re ]] || die "--atc-timeout: see qemu-ats.sh --help"
num --atc-slow-delay "$atc_slow_delay" 0 10000000000
[[ -n $ats || -z $atc_slow ]] || die "--atc-slow needs --ats"
[[ $atc_slow =~ $spec_re ]] || die "--atc-slow: see qemu-ats.sh --help"
[[ -z $atc_slow || $atc_slow_delay != 0 ]] || die "--atc-slow needs --atc-slow-delay"
if [[ -z $qemu && -n $ats ]]; then
	qemu=$("$here/qemu-ats.sh" --check) ||
		die "--ats needs the patched QEMU: build it with kernel-hooks/real/qemu-ats.sh (about 20 min)"
fi
qemu=${qemu:-qemu-system-aarch64}
command -v "$qemu" >/dev/null ||
	die "$qemu is missing (scripts/deps.sh installs qemu-system-arm)"
command -v cpio >/dev/null || die "cpio is missing (scripts/deps.sh installs it)"
if [[ ! -x $busybox && $busybox == "$cache/busybox/busybox" ]]; then
	# shellcheck source=apt.sh
	. "$here/apt.sh"
	busybox_fetch
fi
[[ -x $busybox ]] || die "no busybox at $busybox"

# dmabench: the client, built once per source (its hash names it)
client=
if [[ $workload == dmabench ]]; then
	command -v aarch64-linux-gnu-gcc >/dev/null ||
		die "--workload dmabench needs aarch64-linux-gnu-gcc (scripts/deps.sh --kernel-build)"
	client=$cache/dmabench/dmabench-$(sha256sum "$here/dmabench.c" | cut -c1-16)
	if [[ ! -x $client ]]; then
		mkdir -p "$cache/dmabench"
		aarch64-linux-gnu-gcc -static -O2 -Wall -o "$client.tmp" "$here/dmabench.c" ||
			die "cannot build dmabench.c (scripts/deps.sh --kernel-build installs libc6-dev-arm64-cross)"
		mv "$client.tmp" "$client"
	fi
fi

mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Ctrl-C or SIGTERM: QEMU stops with the foreground group; say so, once,
# before the caller's prompt returns (atcbench waits for this script)
trap 'echo "run.sh: interrupted; QEMU stopped (console so far: $out/console.log)" >&2
	cut -d" " -f2- "$work/console.stamped" >"$out/console.log" 2>/dev/null
	exit 130' INT TERM

# The initramfs: busybox, /init, the trace script, the modules
root=$work/root
mkdir -p "$root"/{bin,proc,sys,dev,out,lib/modules}
cp "$busybox" "$root/bin/busybox"
for a in sh mount insmod cat echo grep sed tr ls wc dd poweroff mkdir \
	uname sleep cut head dmesg; do
	ln -s busybox "$root/bin/$a"
done
install -m 755 "$here/init.sh" "$root/init"
install -m 755 "$here/atc-trace.sh" "$root/atc-trace.sh"
[[ -z $client ]] || install -m 755 "$client" "$root/dmabench"
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

# Where each device sits (--topology): an endpoint on the root bus has no
# ATS capability to enable; a root port has ACS, so the device behind it is
# a group of its own; the functions of one multi-function device without
# ACS are one group, so they share its domain (docs/decisions.md)
drives=()
blk="iommu_platform=on,disable-legacy=on${ats:+,ats=on}"
for ((i = 0; i < devices; i++)); do
	truncate -s 64M "$work/disk$i.img"
	drives+=(-drive "file=$work/disk$i.img,if=none,format=raw,id=d$i")
	case $topology in
	bus) drives+=(-device "virtio-blk-pci,drive=d$i,$blk") ;;
	ports)
		drives+=(-device "pcie-root-port,id=rp$i,chassis=$((i + 1)),slot=$i"
			-device "virtio-blk-pci,drive=d$i,bus=rp$i,$blk")
		;;
	mf) # devices 2k and 2k + 1: functions 0 and 1 behind root port k
		p=$((i / 2))
		((i % 2)) ||
			drives+=(-device "pcie-root-port,id=rp$p,chassis=$((p + 1)),slot=$p")
		drives+=(-device "virtio-blk-pci,drive=d$i,bus=rp$p,addr=0.$((i % 2)),multifunction=on,$blk")
		;;
	esac
done
echo smmuv3_cmdq_opcode >"$work/events"
machine=(-machine virt,iommu=smmuv3 -cpu cortex-a57 -m 1G -smp "$smp")
if [[ -n $ats ]]; then
	command -v fdtput >/dev/null ||
		die "fdtput is missing (scripts/deps.sh installs device-tree-compiler)"
	printf '%s\n' smmuv3_cmdq_atc_inv smmuv3_cmdq_atc_inv_sync_error \
		smmuv3_atc_eats smmuv3_atc_stale smmuv3_atc_order >>"$work/events"
	smmu=(-global arm-smmuv3.ats=on -global "arm-smmuv3.atc-timeout-delay=$atc_delay")
	[[ -z $atc_timeout ]] || smmu+=(-global "arm-smmuv3.atc-timeout=$atc_timeout")
	[[ -z $atc_slow ]] || smmu+=(-global "arm-smmuv3.atc-slow=$atc_slow" \
		-global "arm-smmuv3.atc-slow-delay=$atc_slow_delay")
	# The machine's own device tree, and ats-supported on its host bridge
	"$qemu" "${machine[@]}" -machine "dumpdtb=$work/virt.dtb" -nographic -nic none \
		"${drives[@]}" "${smmu[@]}" >"$work/dumpdtb.log" 2>&1 ||
		die "QEMU could not write its device tree: $(tail -n 1 "$work/dumpdtb.log")"
	pcie=$(fdtget -l "$work/virt.dtb" / | grep -m 1 '^pcie@') ||
		die "no PCIe host bridge in the device tree"
	fdtput "$work/virt.dtb" "/$pcie" ats-supported
	smmu+=(-dtb "$work/virt.dtb")
fi

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
echo "run.sh: booting $(basename "$image") (QEMU $("$qemu" --version |
	sed -n '1s/.*version \([^ ]*\).*/\1/p'), TCG, $devices device(s)${ats:+, ATS})" >&2
rc=0
timeout --foreground -k 10 "$timeout" "$qemu" "${machine[@]}" "${smmu[@]}" \
	-nographic -no-reboot -nic none -msg timestamp=on \
	-kernel "$image" -initrd "$work/initrd.gz" \
	-append "console=ttyAMA0 panic=-1 quiet iommu.strict=$strict atcb.workload=$workload atcb.ops=$ops atcb.threads=$threads atcb.seconds=$seconds atcb.granule=$granule" \
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

# The files atc-trace.sh wrote, from between the console's markers; the
# guest's kernel log (dmesg) beside the console log
mkdir -p "$out/trace"
awk -v dir="$out/trace" '
	/^=== atcb-file / { f = dir "/" $3; printf "" > f; next }
	/^=== atcb-end ===/ { f = ""; next }
	f != "" { print > f }' "$out/console.log"
[[ ! -f $out/trace/dmesg ]] || mv "$out/trace/dmesg" "$out/dmesg.txt"

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
if [[ -n $ats ]]; then
	# Every ATC_INV by its fields, and the ATC timeouts by second
	awk -v t0="$t0" -v t1="$t1" '
		/smmuv3_cmdq_atc_inv / {
			t = $1; sub(/^[0-9]*@/, "", t); sub(/:.*/, "", t)
			if (t + 0 < t0 + 0 || t + 0 > t1 + 0) next
			k = ""
			for (i = 2; i <= NF; i++)
				if ($i ~ /=/ && $i !~ /^addr=/) k = k " " $i
			n[substr(k, 2)]++
		}
		END { for (k in n) printf "%s count=%d\n", k, n[k] }' "$work/qemu.log" |
		sort >"$out/trace/qemu-atc-inv"
	awk -v t0="$t0" -v t1="$t1" '
		/smmuv3_cmdq_atc_inv_sync_error/ {
			t = $1; sub(/^[0-9]*@/, "", t); sub(/:.*/, "", t)
			if (t + 0 < t0 + 0 || t + 0 > t1 + 0) next
			n[int(t - t0)]++
		}
		END { for (s in n) printf "%d %d\n", s, n[s] }' "$work/qemu.log" |
		sort -n >"$out/trace/qemu-atc-errors"
	# The ATC oracle (qemu-ats.patch), over the whole run: the SIDs used
	# with EATS, each stale ATC hit and each ATC_INV ahead of the CMD_SYNC
	# of its TLBI, in the order QEMU saw them
	awk '
		function v(k,   i) {
			for (i = 2; i <= NF; i++)
				if (index($i, k "=") == 1) return substr($i, length(k) + 2)
			return "?"
		}
		/smmuv3_atc_eats / { print "eats", v("sid") }
		/smmuv3_atc_stale / {
			print "stale", v("sid"), v("iova"), v("cached"), v("walked"), v("mapped")
		}
		/smmuv3_atc_order / { print "order", v("sid"), v("iova") }' \
		"$work/qemu.log" >"$out/trace/qemu-atc-oracle"
	echo "$atc_timeout" >"$out/trace/atc-timeout"
	echo "${atc_slow:+$atc_slow $atc_slow_delay}" >"$out/trace/atc-slow"
	# The kernel's own reports, by second of the window: the errors, and
	# the CMD_SYNC waits that gave up (1 s each: the poller may be the CPU
	# that takes the error interrupt, with interrupts off)
	per_s() { # PATTERN FILE
		awk -v t0="$t0" -v t1="$t1" -v re="$1" '
			$0 ~ re && $1 + 0 >= t0 + 0 && $1 + 0 <= t1 + 0 {
				n[int($1 - t0)]++
			}
			END { for (s in n) printf "%d %d\n", s, n[s] }' "$work/console.stamped" |
			sort -n >"$out/trace/$2"
	}
	per_s "CMDQ error" kernel-cmdq-errors
	per_s "CMD_SYNC timeout" kernel-sync-timeouts
fi
gzip -c "$work/qemu.log" >"$out/qemu.log.gz"
"$qemu" --version | sed -n '1s/.*version \([^ ]*\).*/\1/p' >"$out/trace/qemu-version"
echo "$devices" >"$out/trace/devices"
echo "$topology" >"$out/trace/topology"
echo "$dma_mode" >"$out/trace/dma-mode"
echo "$workload" >"$out/trace/workload"
echo "run.sh: done ($out)" >&2
