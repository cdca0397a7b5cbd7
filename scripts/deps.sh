#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh - install the Debian packages atcbench needs (idempotent).
#
# usage: scripts/deps.sh [--list] [--kernel-build]
#   --list          print the packages and exit
#   --kernel-build  also what kernel-hooks/real/build.sh needs to build a
#                   kernel tree (Debian's arm64 cross compiler, flex,
#                   bison...); not part of the suite, installed on demand
#
# Installs only what is missing; uses sudo only when not root; on a system
# without apt-get/dpkg it prints the package list and exits 1.
set -euo pipefail

PACKAGES=(
	build-essential cmake ninja-build pkg-config g++
	libbenchmark-dev libbenchmark-tools python3 python3-scipy
	libhwloc-dev hwloc-nox libnuma-dev liburcu-dev libcmocka-dev libjson-c-dev
	gnuplot-nox jq valgrind git clang-format
	# the libFuzzer targets (the fuzz preset)
	clang libclang-rt-14-dev
	qemu-system-arm device-tree-compiler cpio xz-utils zstd dash
	debian-archive-keyring
	# the patched QEMU that kernel-hooks/real/qemu-ats.sh builds on demand
	dpkg-dev patch meson libglib2.0-dev libpixman-1-dev libfdt-dev
	libslirp-dev
)

KERNEL_BUILD=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross make flex bison bc libssl-dev
	libelf-dev)

list=0
for a in "$@"; do
	case $a in
	--list) list=1 ;;
	--kernel-build) PACKAGES+=("${KERNEL_BUILD[@]}") ;;
	-h | --help)
		sed -n 's/^# \{0,1\}//; 6,10p' "$0"
		exit 0
		;;
	*)
		echo "deps.sh: unknown argument $a (--help)" >&2
		exit 2
		;;
	esac
done
if ((list)); then
	printf '%s\n' "${PACKAGES[@]}"
	exit 0
fi

if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
	echo "deps.sh: not a Debian system; install these packages (Debian names):" >&2
	printf '  %s\n' "${PACKAGES[@]}" >&2
	exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[[ $st == "install ok installed" ]] || missing+=("$p")
done
((${#missing[@]})) || exit 0

SUDO=()
if ((EUID != 0)); then
	command -v sudo >/dev/null || {
		echo "deps.sh: not root and no sudo; install: ${missing[*]}" >&2
		exit 1
	}
	SUDO=(sudo)
fi

echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
