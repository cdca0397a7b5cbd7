#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# source.sh - Debian's source of a kernel series as a git tree, one commit
# (tagged with the Debian version), for build.sh and `atcbench kernel
# compare` to build refs of: commit a change on top and compare the two.
#
# usage: kernel-hooks/real/source.sh SERIES DIR
#   SERIES  7.3, 6.12, 6.1: Debian's linux-source-SERIES package (the
#           newest in bookworm, its security updates and backports,
#           trixie-backports or sid)
#   DIR     a folder that does not exist yet
#
# The package comes through atcbench's private apt configuration (apt.sh):
# downloaded, not installed.  About 150 MB to download; the tree takes
# 2.2 GB with its git repository.
# Exit status: 0 with DIR's path printed; 2 with the reason on stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${ATCBENCH_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/atcbench}

die() {
	echo "source.sh: $*" >&2
	exit 2
}
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
	awk 'NR >= 4 && !/^#/ { exit } NR >= 4 { sub(/^# ?/, ""); print }' "$0"
	exit 0
fi
(($# == 2)) || die "usage: source.sh SERIES DIR (--help)"
series=$1 dir=$2
[[ $series =~ ^[0-9]+\.[0-9]+$ ]] || die "SERIES is a kernel series such as 6.12"
[[ ! -e $dir ]] || die "$dir exists"
for tool in dpkg-deb xz tar git; do
	command -v $tool >/dev/null || die "$tool is missing (scripts/deps.sh installs it)"
done
# shellcheck source=apt.sh
. "$here/apt.sh"
apt_setup
lists_fresh || apt_update

pkg=linux-source-$series
version=$(papt apt-cache show "$pkg" 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -n 1)
[[ -n $version ]] || die "no package $pkg in bookworm, its security updates and backports, trixie-backports or sid"
mkdir -p "$cache"
work=$(mktemp -d "$cache/.source.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "source.sh: downloading $pkg $version" >&2
(cd "$work" && papt apt-get download -q "$pkg=$version" >download.log 2>&1) ||
	die "apt-get download $pkg failed: $(tail -n 1 "$work/download.log")"
dpkg-deb --fsys-tarfile "$work"/*.deb | tar -x -C "$work" --wildcards '*.tar.xz'
tarball=$(find "$work" -name "$pkg.tar.xz" | head -n 1)
[[ -n $tarball ]] || die "$pkg holds no $pkg.tar.xz"
mkdir -p "$dir"
tar -xf "$tarball" -C "$dir" --strip-components=1
# Debian's .gitignore ignores the top level: add everything by force
git -C "$dir" init -q
git -C "$dir" add -f -A .
git -C "$dir" -c user.name=atcbench -c user.email=atcbench@localhost \
	commit -q -m "Debian $pkg $version"
git -C "$dir" tag "debian/${version//\~/_}"
echo "source.sh: $(git -C "$dir" ls-files | wc -l) files, tag debian/${version//\~/_}" >&2
cd "$dir" && pwd
