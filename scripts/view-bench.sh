#!/usr/bin/env bash
# Measures 'poreseg view' on a large stack: time from launch to the printed address and to the
# first slice, then the latency of slice PNGs while scrolling (consecutive slices, 60 ms apart like
# a mouse wheel) and of random jumps, in a 4 GB heap.
#
#   scripts/view-bench.sh [STACK.tif]      (default: writes /tmp/view-big/big.tif, 2048x2048x1000 16-bit, 8.4 GB)
#
# Needs curl. The stack is written once with poreseg's TiffWriter (scripts/ViewBenchStack.java).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/poreseg" --version >/dev/null   # builds the jar when needed
stack="${1:-/tmp/view-big/big.tif}"
if [ ! -f "$stack" ]; then
  mkdir -p "$(dirname "$stack")"
  echo "writing $stack (2048x2048x1000 uint16)..." >&2
  java -cp "$here/target/poreseg.jar:$here/target/lib/*" "$here/scripts/ViewBenchStack.java" "$stack" 2048 1000
fi
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
t0=$(date +%s%N)
PORESEG_JAVA_OPTS="-Xmx4g" "$here/poreseg" view "$stack" --model none --labels "$work/labels.tif" >"$work/out" 2>"$work/err" &
pid=$!
until [ -s "$work/out" ]; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/err" >&2; exit 1; }
  sleep 0.01
done
t1=$(date +%s%N)
url="$(head -1 "$work/out")"
base="${url%%/\?*}"
token="${url#*token=}"
curl -sf -o "$work/first.png" "$base/api/slice/0/image.png?token=$token"
t2=$(date +%s%N)
echo "stack: $stack ($(du -h "$stack" | cut -f1)), CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
printf 'launch to address: %d ms; to the first slice PNG (%d KB): %d ms\n' $(((t1 - t0) / 1000000)) $(($(stat -c %s "$work/first.png") / 1024)) $(((t2 - t0) / 1000000))
stats() { sort -n | awk '{a[NR]=$1} END {printf "median %.0f ms, p90 %.0f ms, max %.0f ms (%d slices)\n", a[int((NR+1)/2)], a[int(NR*0.9+0.5)], a[NR], NR}'; }
echo -n "scrolling, slices 1..60 at 60 ms intervals: "
for z in $(seq 1 60); do
  curl -sf -o /dev/null -w '%{time_total}\n' "$base/api/slice/$z/image.png?token=$token"
  sleep 0.06
done | awk '{print $1 * 1000}' | stats
echo -n "scrolling again, slices 61..120 (JIT warm): "
for z in $(seq 61 120); do
  curl -sf -o /dev/null -w '%{time_total}\n' "$base/api/slice/$z/image.png?token=$token"
  sleep 0.06
done | awk '{print $1 * 1000}' | stats
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg)"
echo -n "random jumps (not cached): "
for z in 517 203 889 342 760 121 955 604 438 277 812 69 390 701 158 999 530 246 873 15; do
  curl -sf -o /dev/null -w '%{time_total}\n' "$base/api/slice/$z/image.png?token=$token"
done | awk '{print $1 * 1000}' | stats
echo -n "labels layer of a slice: "
for z in $(seq 100 119); do
  curl -sf -o /dev/null -w '%{time_total}\n' "$base/api/slice/$z/labels.png?token=$token"
done | awk '{print $1 * 1000}' | stats
rss=$(ps -o rss= -p "$(pgrep -P "$pid" java || echo "$pid")" 2>/dev/null | tr -d ' ' || echo 0)
echo "resident memory of the server: $((${rss:-0} / 1024)) MB"
