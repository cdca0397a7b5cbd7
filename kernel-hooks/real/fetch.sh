#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch.sh - get a Debian arm64 kernel (and the guest's busybox) into
# atcbench's cache, once, and print the cached kernel's folder.
#
# usage: kernel-hooks/real/fetch.sh KERNEL
#   KERNEL  a series (7.3, 6.12, 6.1: the newest Debian build of it in
#           bookworm, its security and backports, trixie-backports or sid)
#           or a package name (linux-image-6.12.117+deb12-arm64-unsigned,
#           linux-image-7.3.4+deb13-arm64)
#
# Prints the folder: Image, modules/ (the .ko files the guest loads,
# uncompressed, and their load order in modules/order), config (where the
# package has it), version, package.  Packages come through an apt
# configuration private to atcbench (its own APT_CONFIG, architecture
# arm64, its own lists and cache, the mirror the machine's apt uses): the
# machine's apt set-up is not touched, and nothing is installed.
#
# Cache: $ATCBENCH_CACHE, else $XDG_CACHE_HOME/atcbench, else
# ~/.cache/atcbench.  Exit status 2 with the reason when the kernel cannot
# be had.
set -euo pipefail

die() {
	echo "fetch.sh: $*" >&2
	exit 2
}
[[ $# == 1 && $1 != -* ]] || {
	sed -n 's/^# \{0,1\}//; 4,21p' "$0"
	[[ ${1:-} == -h || ${1:-} == --help ]] && exit 0
	exit 2
}
spec=$1
cache=${ATCBENCH_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/atcbench}
# shellcheck source=apt.sh
. "$(dirname "$0")/apt.sh"

# The modules the guest needs, when they are not built in
GUEST_MODULES=(virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk)

for tool in dpkg-deb xz; do
	command -v $tool >/dev/null || die "$tool is missing (scripts/deps.sh installs it)"
done

names() { # REGEX: package names
	papt apt-cache search --names-only "$1" | cut -d' ' -f1
}

# KERNEL -> the packages that hold the Image and the modules
resolve() {
	local re v pkgs
	if [[ $spec =~ ^[0-9]+\.[0-9]+$ ]]; then
		re="^linux-(image|binary|modules)-${spec//./\\.}\\.[0-9]+(\\+deb[0-9]+|-[0-9]+)-arm64(-unsigned)?\$"
		v=$(names "$re" | sed -E 's/^linux-(image|binary|modules)-//; s/-arm64(-unsigned)?$//' |
			sort -uV | tail -n 1)
		[[ -n $v ]] || die "no Debian arm64 kernel $spec.x in bookworm, its backports and security, trixie-backports or sid"
	elif [[ $spec =~ ^linux-(image|binary)-([0-9][^ ]*)-arm64(-unsigned)?$ ]]; then
		v=${BASH_REMATCH[2]}
		[[ -n $(names "^${spec//+/\\+}\$") ]] || die "no package $spec"
	else
		die "'$spec' is neither a series (7.3, 6.12, 6.1) nor an arm64 kernel package"
	fi
	# One package with both (6.x), or the Image and the modules apart (7.x)
	pkgs=$(names "^linux-image-${v//+/\\+}-arm64-unsigned\$")
	if [[ -z $pkgs ]]; then
		pkgs="$(names "^linux-binary-${v//+/\\+}-arm64\$") $(names "^linux-modules-${v//+/\\+}-arm64\$")"
		[[ $pkgs == *linux-binary-* && $pkgs == *linux-modules-* ]] ||
			die "kernel $v: no linux-image-$v-arm64-unsigned, nor linux-binary- and linux-modules-$v-arm64"
	fi
	echo "$v" $pkgs
}

extract() { # VERSION DEST PACKAGES...
	local v=$1 dest=$2 work f img m src
	shift 2
	work=$(mktemp -d "$cache/kernels/.work.XXXXXX")
	trap 'rm -rf "$work"' RETURN
	(cd "$work" && papt apt-get download -q "$@" >download.log 2>&1) ||
		die "apt-get download $* failed (log: $work/download.log)"
	for f in "$work"/*.deb; do
		dpkg-deb -x "$f" "$work/x"
	done
	img=$(find "$work/x" -type f \( -name 'vmlinuz*' -o -name 'vmlinux*' \) | head -n 1)
	[[ -n $img ]] || die "kernel $v: no image in $*"
	mkdir -p "$work/out/modules"
	cp "$img" "$work/out/Image"
	for m in "${GUEST_MODULES[@]}"; do
		src=$(find "$work/x" -name "$m.ko*" | head -n 1)
		[[ -n $src ]] || continue
		case $src in
		*.ko) cp "$src" "$work/out/modules/$m.ko" ;;
		*.ko.xz) xz -dc "$src" >"$work/out/modules/$m.ko" ;;
		*.ko.gz) gzip -dc "$src" >"$work/out/modules/$m.ko" ;;
		*.ko.zst) zstd -qdc "$src" >"$work/out/modules/$m.ko" ;;
		*) die "kernel $v: cannot unpack $src" ;;
		esac
	done
	# Load order: GUEST_MODULES lists dependencies first
	for m in "${GUEST_MODULES[@]}"; do
		[[ ! -f $work/out/modules/$m.ko ]] || echo "$m.ko"
	done >"$work/out/modules/order"
	find "$work/x" -name "config-*" -exec cp {} "$work/out/config" \; -quit
	echo "$v" >"$work/out/version"
	echo "$*" >"$work/out/package"
	rm -rf "$dest"
	mv "$work/out" "$dest"
}

mkdir -p "$cache/kernels"
apt_setup
lists_fresh || apt_update

# A series resolves against the lists; a cached build of it is reused
r=$(resolve) || exit 2
read -r version pkgs <<<"$r"
dest=$cache/kernels/$version
if [[ ! -f $dest/Image ]]; then
	echo "fetch.sh: downloading $pkgs" >&2
	extract "$version" "$dest" $pkgs
fi

busybox_fetch
echo "$dest"
