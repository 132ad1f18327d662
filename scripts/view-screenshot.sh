#!/usr/bin/env bash
# Makes docs/img/view.png from the real app: a synthetic stack segmented by the bundled U-Net,
# served by 'poreseg view' with mask, probability and truth, a few label strokes sent through the
# app's own API, and a headless-Chromium screenshot of slice 12.
#
#   scripts/view-screenshot.sh [OUT.png]      (default docs/img/view.png)
#
# Needs chromium (Debian package 'chromium', or set PORESEG_CHROMIUM) and curl.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$here/docs/img/view.png}"
chromium="${PORESEG_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
[ -n "$chromium" ] || { echo "view-screenshot: no chromium found" >&2; exit 1; }
work="$(mktemp -d)"
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$pid" ] && wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
ps="$here/poreseg"
"$ps" synth "$work/s" --size 256 --slices 24 --seed 7 >/dev/null
"$ps" segment "$work/s/image.tif" "$work/mask.tif" --prob "$work/prob.tif" >/dev/null
"$ps" view "$work/s/image.tif" --mask "$work/mask.tif" --prob "$work/prob.tif" --truth "$work/s/truth.tif" \
  --labels "$work/labels.tif" --tuned "$work/tuned" >"$work/out" 2>"$work/err" &
pid=$!
until [ -s "$work/out" ]; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/err" >&2; exit 1; }
  sleep 0.1
done
url="$(head -1 "$work/out")"
base="${url%%/\?*}"
token="${url#*token=}"
# labels of slice 12 (index 11): a pore disc and a solid band, the rest unlabelled (128)
LC_ALL=C awk 'BEGIN { for (y = 0; y < 256; y++) for (x = 0; x < 256; x++) {
    v = 128
    if ((x - 70) * (x - 70) + (y - 150) * (y - 150) < 64) v = 255
    if (y >= 40 && y < 46 && x >= 150 && x < 230) v = 0
    printf "%c", v } }' >"$work/labels.bin"
[ "$(stat -c %s "$work/labels.bin")" = 65536 ] || { echo "view-screenshot: awk wrote no binary bytes" >&2; exit 1; }
curl -sf -X PUT --data-binary @"$work/labels.bin" "$base/api/labels/11?token=$token"
curl -sf -X POST "$base/api/save?token=$token" >/dev/null
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync \
  --no-first-run --hide-scrollbars --user-data-dir="$work/profile" --window-size=1400,860 --virtual-time-budget=10000 \
  --screenshot="$work/view.png" "$url#slice=12&still" >"$work/chromium.log" 2>&1 || { cat "$work/chromium.log" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
cp "$work/view.png" "$out"
echo "screenshot -> $out"
