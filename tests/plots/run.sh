#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Every plot script renders from the committed sample (tests/plots/sample:
# a trimmed comparison folder, base and head), overlaid and for one folder:
# each expected file exists and is a valid SVG (parses, <svg> root, drawn
# paths) or PNG (signature, IHDR first, IEND last, CRCs right).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
sample=$root/tests/plots/sample
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # DIR NAME...
	local dir=$1
	shift
	for name in "$@"; do
		for ext in svg png; do
			[[ -s $dir/$name.$ext ]] || {
				echo "FAIL: $dir/$name.$ext missing or empty"
				exit 1
			}
		done
	done
	/usr/bin/python3 - "$dir" "$@" <<'PY'
import struct, sys, zlib
import xml.etree.ElementTree as ET
d, names = sys.argv[1], sys.argv[2:]
for n in names:
    root = ET.parse(f"{d}/{n}.svg").getroot()
    assert root.tag.endswith("svg"), f"{n}.svg: root is {root.tag}"
    paths = [e for e in root.iter() if e.tag.endswith(("path", "polyline", "line"))]
    assert len(paths) > 10, f"{n}.svg: {len(paths)} drawn elements"
    b = open(f"{d}/{n}.png", "rb").read()
    assert b[:8] == b"\x89PNG\r\n\x1a\n", f"{n}.png: no PNG signature"
    off, kinds = 8, []
    while off < len(b):
        ln, kind = struct.unpack(">I4s", b[off:off + 8])
        data = b[off + 8:off + 8 + ln]
        crc, = struct.unpack(">I", b[off + 8 + ln:off + 12 + ln])
        assert zlib.crc32(kind + data) == crc, f"{n}.png: bad CRC in {kind}"
        kinds.append(kind)
        off += 12 + ln
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND", f"{n}.png: {kinds[:1]}..{kinds[-1:]}"
    w, h = struct.unpack(">II", b[16:24])
    assert w >= 600 and h >= 300, f"{n}.png: {w}x{h}"
print(f"ok: {len(names)} plots valid in {d}")
PY
}

runs=(rt-storm rt-mappers-1 rt-mappers-2)
common=(isolation-k1 throughput micro timeline-rt-storm)
for r in "${runs[@]}"; do
	common+=("latency-$r" "cdf-$r")
done

# Overlaid: base and head, into --out
"$root/scripts/plot.sh" --out "$tmp/both" "$sample/base" "$sample/head"
check "$tmp/both" "${common[@]}"
grep -q 'base:HEAD@' "$tmp/both/throughput.svg" || {
	echo "FAIL: the throughput plot does not name the refs"
	exit 1
}
# One folder (into itself): also the invalidations of each scenario's runs
# (two baseline runs here), one plot per scenario
cp -r "$sample/base" "$tmp/one"
"$root/scripts/plot.sh" "$tmp/one"
check "$tmp/one" "${common[@]}" latency-inv-baseline
[ ! -e "$tmp/one/latency-inv-timeout-storm.png" ] || {
	echo "FAIL: a scenario of one run has a plot of its runs"
	exit 1
}
# Several timeout-storm runs in one folder, as bench.sh writes them
# (plot.sh once died of SIGPIPE there)
cp -r "$sample/base" "$tmp/storms"
for f in "$tmp"/storms/stress-rt-storm*; do
	cp "$f" "${f/rt-storm/rt-storm-again}"
done
jq '.name = "rt-storm-again"' "$sample/base/stress-rt-storm.json" >"$tmp/storms/stress-rt-storm-again.json"
"$root/scripts/plot.sh" "$tmp/storms" >/dev/null || {
	echo "FAIL: plot.sh of a folder with two timeout storms exited $?"
	exit 1
}
# Repetitions of a mapper count: one point, the median, with a bar
cp -r "$sample/base" "$tmp/reps"
for r in 2 3; do
	jq --argjson r $r '.name = "rt-mappers-1-r\($r)" |
	  .throughput_ops_s = .throughput_ops_s * (1 + ($r - 2.5) / 10)' \
		"$sample/base/stress-rt-mappers-1.json" >"$tmp/reps/stress-rt-mappers-1-r$r.json"
done
"$root/scripts/plot.sh" "$tmp/reps" >/dev/null
check "$tmp/reps" throughput
grep -q 'median of up to 3 runs' "$tmp/reps/throughput.svg" || {
	echo "FAIL: the throughput plot does not say its points are medians"
	exit 1
}
# Usage errors
if "$root/scripts/plot.sh" "$tmp/nonexistent" 2>/dev/null; then
	echo "FAIL: a missing folder was accepted"
	exit 1
fi
mkdir -p "$tmp/empty"
cp "$sample/base/env.json" "$tmp/empty/"
st=0
"$root/scripts/plot.sh" "$tmp/empty" 2>/dev/null || st=$?
if [ $st != 2 ] || [ -n "$(find "$tmp/empty" -name '*.svg')" ]; then
	echo "FAIL: a folder without results was not refused (exit 2, no plot)"
	exit 1
fi
"$root/scripts/plot.sh" --help >/dev/null || {
	echo "FAIL: plot.sh --help exited $?"
	exit 1
}
echo "plots: all valid"
