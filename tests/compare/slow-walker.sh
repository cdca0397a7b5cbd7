#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# slow-walker.sh TREE - the test fixture of a deliberate slowdown of
# arm_smmu_domain_inv_range()'s walk: per entry a 3-round register loop,
# and a cpu_relax() every 32 entries.  Measured on the 2-vCPU VM: +6.0 %
# instructions at 64 entries and +6.4 % at 512 (callgrind), +8 to +10 %
# CPU time.  Fails when the walker no longer has the anchor line.
set -eu
f=$1/kernel-hooks/arm-smmu-v3/arm-smmu-v3-invs.c
anchor='		type = READ_ONCE(cur->type);'
grep -qxF "$anchor" "$f" || {
	echo "slow-walker.sh: no '$anchor' in $f: update the fixture" >&2
	exit 1
}
sed -i 's|^\t\ttype = READ_ONCE(cur->type);$|&\
#pragma GCC unroll 1\
\t\tfor (unsigned long slow = 0, acc = cur->id; slow < 3; slow++)\
\t\t\tasm volatile("" : "+r"(acc) : "r"(slow));\
\t\tif (!((cur - invs->inv) \& 31))\
\t\t\tcpu_relax();|' "$f"
