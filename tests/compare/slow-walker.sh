#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# slow-walker.sh TREE - the test fixture of a deliberate slowdown: about 5 %
# more instructions in arm_smmu_domain_inv_range()'s walk (4 loop rounds per
# entry; +5.2 % at 64 entries and +5.6 % at 512 under callgrind).  Fails
# when the walker no longer has the anchor line.
set -eu
f=$1/kernel-hooks/arm-smmu-v3/invs.c
anchor='		type = READ_ONCE(cur->type);'
grep -qxF "$anchor" "$f" || {
	echo "slow-walker.sh: no '$anchor' in $f: update the fixture" >&2
	exit 1
}
sed -i 's|^\t\ttype = READ_ONCE(cur->type);$|&\
#pragma GCC unroll 1\
\t\tfor (unsigned long slow = 0, acc = cur->id; slow < 4; slow++)\
\t\t\tasm volatile("" : "+r"(acc) : "r"(slow));|' "$f"
