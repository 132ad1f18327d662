#!/usr/bin/env bash
# End-to-end speed of `poreseg segment` against the network alone (`bench infer`), and the seam error
# of tiled inference, on one synthetic stack (SIZE x SIZE x SLICES, default 1024 x 1024 x 4).
#
#   scripts/bench-segment.sh [WORK_DIR]
#
# For each tiling in TILINGS ("tile:overlap", default "256:32 512:32 512:64 1024:0"):
#   - segment Mpx/s (model loaded; reading, preprocessing, tiling, inference, blending, writing),
#   - its ratio to `bench infer` of the same network and precision on 256x256 tiles (batch 8), in Mpx/s
#     of network input: the tiling and I/O overhead is 1 - ratio;
#   - the seam error: pixels whose mask differs from the whole-slice prediction (one tile of SIZE, no
#     seams), and the F1 of the tiled mask against it.
# Env: SIZE, SLICES, TILINGS, PRECISION (default fp32), MODEL (default: the bundled one), PORESEG.
# Prints a Markdown table with the CPU named. About 3 minutes on 2 cores with the defaults.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ps="${PORESEG:-$here/poreseg}"
work="${1:-$here/target/bench-segment}"
size="${SIZE:-1024}"
slices="${SLICES:-4}"
tilings="${TILINGS:-256:32 512:32 512:64 1024:0}"
prec="${PRECISION:-fp32}"
model="${MODEL:-default}"
mkdir -p "$work"
"$ps" synth "$work/stack" --size "$size" --slices "$slices" --seed 5 --force > /dev/null
img="$work/stack/image.tif"
jget() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(' '.join(str(d[k]) for k in sys.argv[2:]))" "$@"; }
"$ps" bench infer --arch unet --batch 8 --size 256 --steps 5 --precision "$prec" --json 2>/dev/null > "$work/infer.json"
read -r ips cpu < <(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['images_per_second'], d['cpu'] + ' (' + ', '.join(d['cpu_features']) + ')')" "$work/infer.json")
infer_mpx=$(python3 -c "print(float('$ips') * 256 * 256 / 1e6)")
# the reference without seams: one tile covering the whole slice
"$ps" segment "$img" "$work/whole.tif" --model "$model" --tile "$size" --overlap 0 --batch 1 --precision "$prec" --force --json > "$work/whole.json" 2>/dev/null
echo "CPU: $cpu; bench infer unet 256x256 batch 8 ($prec): $(printf %.2f "$infer_mpx") Mpx/s. Stack ${size}x${size}x${slices} (synth seed 5)."
echo
echo "| tile | overlap | segment Mpx/s | segment / bench infer | pixels computed beyond the image | mask pixels differing from whole-slice | F1 vs whole-slice |"
echo "|---|---|---|---|---|---|---|"
for t in $tilings; do
  IFS=: read -r tile ov <<< "$t"
  "$ps" segment "$img" "$work/t$tile-$ov.tif" --model "$model" --tile "$tile" --overlap "$ov" --precision "$prec" --force --json > "$work/t$tile-$ov.json" 2>/dev/null
  mpx=$(jget "$work/t$tile-$ov.json" megapixels_per_second)
  "$ps" evaluate "$work/t$tile-$ov.tif" "$work/whole.tif" --json "$work/e$tile-$ov.json" --force > /dev/null
  python3 - "$work/e$tile-$ov.json" "$tile" "$ov" "$mpx" "$infer_mpx" "$size" <<'PY'
import json, math, sys
e = json.load(open(sys.argv[1]))["total"]
tile, ov, mpx, inf, size = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
if size <= tile:
    n, t = 1, -(-size // 8) * 8
else:  # TiledPredictor: as few tiles as the tile size allows, each shrunk to cover the axis evenly
    n = -(-(size - ov) // (tile - ov))
    t = -(-(-(-(size - ov) // n) + ov) // 8) * 8
extra = (n * t) ** 2 / size ** 2 - 1
diff = e["fp"] + e["fn"]
total = e["tp"] + e["tn"] + e["fp"] + e["fn"]
print("| %d | %d | %.2f | %.2f | %.0f %% | %d of %d (%.4f %%) | %.5f |" % (tile, ov, mpx, mpx / inf, 100 * extra, diff, total, 100.0 * diff / total, e["f1"]))
PY
done
