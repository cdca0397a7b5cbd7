#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build.sh - build an arm64 kernel from a kernel tree for run.sh, with
# Debian's cross compiler and atcbench.config, and print the folder that
# holds it.
#
# usage: kernel-hooks/real/build.sh --tree DIR [--ref REF] [--jobs N]
#        kernel-hooks/real/build.sh --tree DIR --resolve REF
#   --tree  a kernel source tree
#   --ref   a commit of that tree (a git repository): built in a clone of
#           the tree kept in the cache (sharing the tree's objects), so the
#           tree itself is not touched; built once per commit, the next
#           commit of the same tree builds incrementally from the last
#   --jobs  parallel make jobs (1..256, default: the CPUs)
#   --resolve  print REF's commit and exit, building nothing (exit 2 when
#           it is not a commit of the tree)
# Without --ref the tree's files are built as they are (out of tree, O=,
# so the tree must hold no in-tree build: make mrproper), incrementally,
# every time.
#
# The configuration: allnoconfig with atcbench.config (beside this script)
# forced; the build fails, naming them, if options of it do not reach the
# final .config.  The folder (fetch.sh's layout, for run.sh --image and
# --modules): Image, modules/ (the .ko files built, in modules/order:
# none with atcbench.config), config, version (the kernel release), commit,
# build.log, build-seconds.  Cache: $ATCBENCH_CACHE/builds (default
# ~/.cache/atcbench/builds): REF's folder is keyed by the commit and a
# hash of atcbench.config, this script and the compiler's version.
# Exit status: 0 built (or cached); 2 with the reason on stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${ATCBENCH_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/atcbench}
builds=$cache/builds
fragment=$here/atcbench.config
CROSS=aarch64-linux-gnu-

die() {
	echo "build.sh: $*" >&2
	exit 2
}
tree= ref= jobs=$(nproc) resolve=
while (($#)); do
	case $1 in
	-h | --help)
		awk 'NR >= 4 && !/^#/ { exit } NR >= 4 { sub(/^# ?/, ""); print }' "$0"
		exit 0
		;;
	--tree | --ref | --jobs | --resolve)
		(($# >= 2)) || die "$1 needs a value"
		case $1 in
		--tree) tree=$2 ;;
		--ref) ref=$2 ;;
		--jobs) jobs=$2 ;;
		--resolve) ref=$2 resolve=1 ;;
		esac
		shift 2
		;;
	*) die "unknown argument $1 (--help)" ;;
	esac
done
[[ -n $tree ]] || die "--tree is needed (--help)"
[[ -f $tree/Makefile && -d $tree/arch/arm64 ]] || die "$tree is not a kernel tree"
tree=$(cd "$tree" && pwd)
[[ $jobs =~ ^[0-9]+$ ]] && ((jobs >= 1 && jobs <= 256)) || die "--jobs takes 1 to 256"
if [[ -n $resolve ]]; then
	git -C "$tree" rev-parse --git-dir >/dev/null 2>&1 ||
		die "--resolve needs a git repository; $tree is not one"
	git -C "$tree" rev-parse --verify -q "$ref^{commit}" ||
		die "$ref is not a commit of $tree"
	exit 0
fi
tools=(make "${CROSS}gcc" flex bison bc)
for tool in "${tools[@]}"; do
	command -v "$tool" >/dev/null && continue
	"$here/../../scripts/deps.sh" --kernel-build >&2 ||
		die "$tool is missing, and scripts/deps.sh --kernel-build could not install it"
	break
done

# What the build depends on besides the source
confkey=$({ cat "$fragment" "$0"; "${CROSS}gcc" --version | head -n 1; } |
	sha256sum | cut -c1-12)
treekey=$(printf '%s' "$tree" | sha256sum | cut -c1-12)
mkdir -p "$builds"

if [[ -n $ref ]]; then
	git -C "$tree" rev-parse --git-dir >/dev/null 2>&1 ||
		die "--ref needs a git repository; $tree is not one"
	sha=$(git -C "$tree" rev-parse --verify -q "$ref^{commit}") ||
		die "$ref is not a commit of $tree"
	dest=$builds/$sha-$confkey
	if [[ -f $dest/Image ]]; then
		echo "$dest"
		exit 0
	fi
	src=$builds/src-$treekey
	obj=$builds/obj-$treekey
else
	sha=
	dest=$builds/tree-$treekey
	src=$tree
	obj=$builds/obj-tree-$treekey
	[[ ! -e $tree/.config ]] ||
		die "$tree holds an in-tree build (.config): make mrproper there, or give --ref"
fi

# One build per source clone at a time; the one we waited for may have
# built this very commit.  The holder names itself in lock-KEY.owner, so a
# second build says whom it waits for
lock=$builds/lock-$treekey
exec 9>>"$lock"
if ! flock -n 9; then
	echo "build.sh: waiting for another build of $tree:" \
		"$(cat "$lock.owner" 2>/dev/null || echo "its owner did not say")" >&2
	flock 9
fi
echo "pid $$ building ${ref:-the files of the tree} since $(date -u +%H:%M:%SZ)" >"$lock.owner"
if [[ -n $sha && -f $dest/Image ]]; then
	echo "$dest"
	exit 0
fi

if [[ -n $sha ]]; then
	# A clone sharing the tree's objects: checking a commit out touches
	# only the files that differ, so the next build is incremental
	if [[ ! -d $src/.git ]]; then
		rm -rf "$src"
		git clone -q --shared --no-checkout "$tree" "$src" ||
			die "cannot clone $tree into $src"
	fi
	git -C "$src" -c advice.detachedHead=false checkout -q -f --detach "$sha" ||
		die "cannot check $sha out in $src"
	git -C "$src" clean -q -f -d -x
fi

mkdir -p "$obj"
log=$obj/build.log
kmake() {
	make -C "$src" O="$obj" ARCH=arm64 CROSS_COMPILE=$CROSS -j"$jobs" "$@"
}
echo "build.sh: building ${sha:0:12}${sha:+ of }$tree for arm64 ($jobs jobs; log $log)" >&2
start=$SECONDS
{
	kmake KCONFIG_ALLCONFIG="$fragment" allnoconfig &&
		kmake Image modules
} >"$log" 2>&1 &
pid=$!
# a line every 10 s while it builds: what it has compiled so far
n=0
while kill -0 $pid 2>/dev/null; do
	sleep 1
	((++n % 10)) ||
		echo "build.sh: $((SECONDS - start)) s, $(grep -c '^  CC' "$log" || true) files compiled" >&2
done
wait $pid || die "the build failed: $(grep -m 1 -i 'error' "$log" || tail -n 1 "$log") (log $log)"
secs=$((SECONDS - start))

# Every option of the fragment as it asked
missing=()
while IFS= read -r line; do
	case $line in
	CONFIG_*=*) grep -qxF "$line" "$obj/.config" || missing+=("$line") ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }
		opt=${opt%% *}
		! grep -q "^$opt=" "$obj/.config" || missing+=("$line")
		;;
	esac
done <"$fragment"
((${#missing[@]} == 0)) ||
	die "atcbench.config options not in the kernel's .config (a dependency missing, or not in this tree): ${missing[*]}"

# The folder, written whole, then put in place
tmp=$(mktemp -d "$builds/.new.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cp "$obj/arch/arm64/boot/Image" "$obj/.config" "$log" "$tmp/"
mv "$tmp/.config" "$tmp/config"
kmake -s kernelrelease >"$tmp/version" 2>/dev/null
echo "${sha:-none}" >"$tmp/commit"
echo "$tree" >"$tmp/tree"
echo "$secs" >"$tmp/build-seconds"
mkdir -p "$tmp/modules"
: >"$tmp/modules/order"
if [[ -f $obj/modules.order ]]; then
	while read -r m; do
		m=${m%.ko}
		m=${m%.o}.ko
		[[ -f $obj/$m ]] || continue
		cp "$obj/$m" "$tmp/modules/"
		basename "$m" >>"$tmp/modules/order"
	done <"$obj/modules.order"
fi
rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
echo "build.sh: built $(cat "$dest/version") in ${secs}s; objects $(du -sh "$obj" | cut -f1), $src" >&2
echo "$dest"
