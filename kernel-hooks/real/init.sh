#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of atcbench's guest (busybox): mount, load the virtio modules, trace
# the workload with atc-trace.sh, print the results between markers on the
# console for the host to take, power off.  Parameters come from the kernel
# command line: atcb.workload=, atcb.ops= (see kernel-hooks/real/run.sh).
# Exit codes on the console ("atcb: exit N"): 3 no device, 4 tracing
# failed, 5 unknown workload, 6 tracefs not
# left clean.
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
devs=$(ls -d /sys/block/vd* 2>/dev/null | wc -l)
say "kernel $(uname -r), $devs virtio-blk device(s), workload $workload, ops $ops"
[ "$devs" -gt 0 ] || { say "no virtio-blk device"; finish 3; }

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
*)
	say "unknown workload $workload"
	finish 5
	;;
esac
say "traced"
/atc-trace.sh stop /out || finish 4
# stop leaves tracefs as it found it (a second run on hardware needs that)
left=$(cat /sys/kernel/tracing/kprobe_events /sys/kernel/tracing/synthetic_events | wc -l)
if [ "$left" != 0 ]; then
	cat /sys/kernel/tracing/kprobe_events /sys/kernel/tracing/synthetic_events
	say "atc-trace.sh stop left $left probes or events"
	finish 6
fi
for f in /out/*; do
	echo "=== atcb-file ${f##*/} ==="
	cat "$f"
done
echo "=== atcb-end ==="
finish 0
