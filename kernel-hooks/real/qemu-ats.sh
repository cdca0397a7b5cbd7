#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# qemu-ats.sh - build QEMU with an SMMUv3 that offers ATS and can time ATC
# invalidations out, once, and print the binary's path.
#
# usage: kernel-hooks/real/qemu-ats.sh [--check]
#   --check  print the path if the build is cached, else exit 1 (no build)
#
# Debian's QEMU source package (the version of the machine's
# qemu-system-arm, else bookworm's newest), with atcbench's own patch,
# qemu-ats.patch beside this script, applied; only qemu-system-aarch64,
# without the default features (slirp, the system libfdt and the log trace
# backend on; no docs, no firmware blobs: Debian's source has none).  What
# the patch adds to the arm-smmuv3 device (-global arm-smmuv3.PROP=VALUE):
#   ats=on               IDR0.ATS; the guest also needs ats-supported on the
#                        PCIe host bridge's device-tree node (run.sh --ats)
#   atc-timeout=SPEC     ATC_INVs to chosen SIDs go unanswered: the CMD_SYNC
#                        after them fails with CERROR_ATC_INV_SYNC.  SPEC is
#                        SIDS@FROM[+FOR][;...]: SIDS N or N-M, FROM and FOR a
#                        number with ns, us, ms or s (virtual clock) or c
#                        (commands consumed); no FOR: to the end
#   atc-timeout-delay=NS the time the failing CMD_SYNC takes (default 0)
#   atc-slow=SPEC        ATC_INVs to chosen SIDs (SPEC as above) are
#                        answered late: the CMD_SYNC after them completes
#                        atc-slow-delay=NS after the SMMU reached it, and
#                        the queue behind it waits (head-of-line blocking)
# and the trace events smmuv3_cmdq_atc_inv (every ATC_INV's fields) and
# smmuv3_cmdq_atc_inv_sync_error.  With ats=on, an ATC oracle: the SMMU
# keeps the ATC each device with EATS would have (every translation it
# used), drops what each ATC_INV covers and refills it through its TLB,
# and checks each later use against a fresh walk: trace events
# smmuv3_atc_eats, smmuv3_atc_stale (a stale ATC hit) and smmuv3_atc_order
# (an ATC_INV before the CMD_SYNC of a TLBI of the same page).
#
# Cache: $ATCBENCH_CACHE/qemu-ats/KEY (default ~/.cache/atcbench), KEY a
# hash of the patch, this script and the source version: a change to
# either builds anew.  About 20 minutes on 2 cores and 0.6 GB of disk while
# it builds (source and objects are removed after), 20 MB kept.
# Exit status 2 with the reason when it cannot be built.
set -euo pipefail

die() {
	echo "qemu-ats.sh: $*" >&2
	exit 2
}
check=
case ${1:-} in
'') ;;
--check) check=1 ;;
-h | --help)
	sed -n 's/^# \{0,1\}//; 4,40p' "$0"
	exit 0
	;;
*) die "unknown argument $1 (--help)" ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
cache=${ATCBENCH_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/atcbench}
patch=$here/qemu-ats.patch
# The configuration: an argument changed here changes the key
CONFIGURE=(--target-list=aarch64-softmmu --without-default-features
	--enable-slirp --enable-fdt=system --enable-trace-backends=log
	--disable-docs --disable-install-blobs)

# The source version: the machine's QEMU, so that only the patch differs
version=$(dpkg-query -W -f='${source:Version}' qemu-system-arm 2>/dev/null || true)
key=$(cat "$patch" "$0" | sha256sum | cut -c1-16)-${version//[^A-Za-z0-9.+~-]/_}
dest=$cache/qemu-ats/$key
if [[ -x $dest/qemu-system-aarch64 ]]; then
	echo "$dest/qemu-system-aarch64"
	exit 0
fi
[[ -z $check ]] || exit 1

for tool in dpkg-source patch meson ninja pkg-config python3 strip; do
	command -v $tool >/dev/null ||
		die "$tool is missing (scripts/deps.sh installs it)"
done
# shellcheck source=apt.sh
. "$here/apt.sh"
mkdir -p "$cache/qemu-ats"
apt_setup
lists_fresh || apt_update
# The key keeps the machine's version: the build it names is found again
papt apt-cache showsrc qemu 2>/dev/null | grep -qx "Version: $version" || {
	version=$(papt apt-cache showsrc qemu 2>/dev/null |
		sed -n 's/^Version: //p' | sort -V | tail -n 1)
	[[ -n $version ]] || die "no source package qemu in bookworm"
}

work=$(mktemp -d "$cache/qemu-ats/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "qemu-ats.sh: building QEMU $version with qemu-ats.patch (about 20 min)" >&2
(cd "$work" && papt apt-get source -q --download-only "qemu=$version" \
	>download.log 2>&1) ||
	die "apt-get source qemu=$version failed: $(tail -n 1 "$work/download.log")"
dpkg-source -x "$work"/qemu_*.dsc "$work/src" >"$work/unpack.log" 2>&1 ||
	die "dpkg-source -x failed: $(tail -n 1 "$work/unpack.log")"
patch -d "$work/src" -p1 --quiet <"$patch" ||
	die "qemu-ats.patch does not apply to QEMU $version"
# Debian's source has no edk2 images to unpack
sed -i 's/^if unpack_edk2_blobs$/if false/' "$work/src/pc-bios/meson.build"
mkdir "$work/build"
(cd "$work/build" && ../src/configure "${CONFIGURE[@]}" >configure.log 2>&1) || {
	tail -n 20 "$work/build/configure.log" >&2
	die "configure failed"
}
ninja -C "$work/build" qemu-system-aarch64 >"$work/build/ninja.log" 2>&1 || {
	tail -n 20 "$work/build/ninja.log" >&2
	die "the build failed"
}
mkdir -p "$dest.tmp"
strip -o "$dest.tmp/qemu-system-aarch64" "$work/build/qemu-system-aarch64"
echo "$version" >"$dest.tmp/version"
rm -rf "$dest"
mv "$dest.tmp" "$dest"
echo "$dest/qemu-system-aarch64"
