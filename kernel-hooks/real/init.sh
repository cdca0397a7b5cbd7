#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of atcbench's guest (busybox): mount, load the virtio modules, trace
# the workload with atc-trace.sh, print the results between markers on the
# console for the host to take, power off.  Parameters come from the kernel
# command line: atcb.workload=, atcb.ops=, atcb.threads=, atcb.seconds=,
# atcb.granule= (see kernel-hooks/real/run.sh).
# Exit codes on the console ("atcb: exit N"): 3 no device, 4 tracing
# failed, 5 unknown workload, 6 tracefs not left clean, 7 the DMA map
# benchmark failed or is missing.
export PATH=/bin
mkdir -p /tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null ||
	mount -t debugfs debugfs /sys/kernel/debug

say() { echo "atcb: $*"; }
param() { # NAME DEFAULT
	v=$(tr ' ' '\n' </proc/cmdline | sed -n "s/^atcb\.$1=//p")
	echo "${v:-$2}"
}
finish() { # STATUS
	say "exit $1"
	poweroff -f
}

if [ -f /lib/modules/order ]; then
	while read -r m; do
		insmod "/lib/modules/$m" || say "insmod $m failed"
	done </lib/modules/order
fi
workload=$(param workload dio)
ops=$(param ops 2000)
threads=$(param threads 1)
seconds=$(param seconds 2)
granule=$(param granule 1)
devs=$(ls -d /sys/block/vd* 2>/dev/null | wc -l)
say "kernel $(uname -r), $devs virtio-blk device(s), workload $workload, ops $ops"
[ "$devs" -gt 0 ] || { say "no virtio-blk device"; finish 3; }

# dmabench: the kernel's DMA map benchmark (CONFIG_DMA_MAP_BENCHMARK) on
# the first device, which leaves virtio-blk for the dma_map_benchmark
# driver before tracing starts (its unbinding unmaps the virtqueues)
if [ "$workload" = dmabench ]; then
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	[ -d /sys/bus/pci/drivers/dma_map_benchmark ] || {
		say "no dma_map_benchmark driver (CONFIG_DMA_MAP_BENCHMARK: kernels of atcbench kernel build have it)"
		finish 7
	}
	bdf=$(cd -P /sys/block/vda/device/.. && pwd)
	bdf=${bdf##*/}
	echo "$bdf" >"/sys/bus/pci/devices/$bdf/driver/unbind" &&
		echo dma_map_benchmark >"/sys/bus/pci/devices/$bdf/driver_override" &&
		echo "$bdf" >/sys/bus/pci/drivers/dma_map_benchmark/bind || {
		say "cannot bind $bdf to dma_map_benchmark"
		finish 7
	}
	say "dma_map_benchmark on $bdf: threads $threads, seconds $seconds, granule $granule"
fi

# Lazy DMA (iommu.strict=0): unmapped IOVAs wait in a flush queue that a
# timer (10 ms) flushes; a quiet second before tracing starts and after the
# workload ends lets each flush fall wholly inside the window or out of it
lazy=
grep -q 'iommu.strict=0' /proc/cmdline && lazy=1
[ -z "$lazy" ] || sleep 1
/atc-trace.sh start || finish 4
# The host stamps these lines as they arrive: the quiet second after
# "tracing" and before the workload keeps the window's start exact
say "tracing"
sleep 1
case $workload in
dio)
	# direct-I/O 4 KiB reads, spread over the devices: one DMA map and
	# one unmap (and so one invalidation) per read
	per=$((ops / devs))
	for d in /sys/block/vd*; do
		dd if=/dev/${d##*/} of=/dev/null bs=4096 count=$per iflag=direct \
			2>/dev/null &
	done
	wait
	;;
dmabench)
	/dmabench "$threads" "$seconds" "$granule" >/out/dmabench || {
		say "dmabench failed"
		finish 7
	}
	;;
*)
	say "unknown workload $workload"
	finish 5
	;;
esac
[ -z "$lazy" ] || sleep 1
say "traced"
/atc-trace.sh stop /out || finish 4
# stop leaves tracefs as it found it (a second run on hardware needs that)
left=$(cat /sys/kernel/tracing/kprobe_events /sys/kernel/tracing/synthetic_events | wc -l)
if [ "$left" != 0 ]; then
	cat /sys/kernel/tracing/kprobe_events /sys/kernel/tracing/synthetic_events
	say "atc-trace.sh stop left $left probes or events"
	finish 6
fi
dmesg >/out/dmesg
for f in /out/*; do
	echo "=== atcb-file ${f##*/} ==="
	cat "$f"
done
echo "=== atcb-end ==="
finish 0
