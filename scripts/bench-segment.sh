#!/usr/bin/env bash
# End-to-end speed of `poreseg segment` against the network alone (`bench infer`), and the seam error
# of tiled inference, on synthetic stacks.
#
#   scripts/bench-segment.sh [WORK_DIR]
#
# Part 1, SIZE x SIZE x SLICES (default 1024 x 1024 x 16), for each tiling in TILINGS ("default" =
# segment's defaults, else "tile:overlap"; default "default 256:32 512:32"):
#   - segment Mpx/s (model loaded; reading, preprocessing, tiling, inference, blending, writing),
#     and the steady rate per slice once warm: the time of SLICES slices minus that of 2, over
#     SLICES - 2 (the first passes of a new tile shape build oneDNN's primitives, ~1-3 s once a run);
#   - their ratios to `bench infer` of the same network and precision on 256x256 tiles (batch 8, 20 timed batches: with 5 its rate moved 6-13 % between runs), in
#     Mpx/s of network input: the tiling and I/O overhead is 1 - ratio;
#   - the seam error: pixels whose mask differs from the whole-slice prediction (one tile of SIZE, no
#     seams), and the F1 of the tiled mask against it.
# Part 2, small slices (SMALL x SMALL x SMALL_SLICES, default 256 x 256 x 64): segment with --batch 1
#   (one slice a forward pass) against the default (slices batched together).
# Env: SIZE, SLICES, TILINGS, SMALL, SMALL_SLICES, PRECISION (default fp32), MODEL (default: the
# bundled one), SCALES (segment --scales, default 1: the same network work as bench infer; the bundled
# model's own default, auto = scale selection, runs 8 sample slices at 6 scales and then the stack at
# the factor chosen: at factor 1, 8 x 0.46 slices' work more than 1), PORESEG. Prints Markdown tables with the CPU named. About 5 minutes on 2 cores.
# An AVX2-only CPU can be emulated on a larger one: ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2
# (the CPU line then names the limits).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ps="${PORESEG:-$here/poreseg}"
work="${1:-$here/target/bench-segment}"
size="${SIZE:-1024}"
slices="${SLICES:-16}"
tilings="${TILINGS:-default 256:32 512:32}"
small="${SMALL:-256}"
small_slices="${SMALL_SLICES:-64}"
prec="${PRECISION:-fp32}"
model="${MODEL:-default}"
scales="${SCALES:-1}"
mkdir -p "$work"
"$ps" synth "$work/stack" --size "$size" --slices "$slices" --seed 5 --force > /dev/null
"$ps" synth "$work/two" --size "$size" --slices 2 --seed 5 --force > /dev/null
"$ps" synth "$work/small" --size "$small" --slices "$small_slices" --seed 6 --force > /dev/null
img="$work/stack/image.tif"
jget() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(' '.join(str(d[k]) for k in sys.argv[2:]))" "$@"; }
"$ps" bench infer --arch unet --batch 8 --size 256 --steps 20 --precision "$prec" --json 2>/dev/null > "$work/infer.json"
read -r ips cpu < <(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['images_per_second'], d['cpu'] + ' (' + ', '.join(d['cpu_features']) + ')')" "$work/infer.json")
infer_mpx=$(python3 -c "print(float('$ips') * 256 * 256 / 1e6)")
# the reference without seams: one tile covering the whole slice
"$ps" segment "$img" "$work/whole.tif" --model "$model" --tile "$size" --overlap 0 --batch 1 --precision "$prec" --scales "$scales" --force --json > "$work/whole.json" 2>/dev/null
limits=""
[ -n "${ONEDNN_MAX_CPU_ISA:-}" ] && limits="$limits ONEDNN_MAX_CPU_ISA=$ONEDNN_MAX_CPU_ISA"
[ -n "${ATEN_CPU_CAPABILITY:-}" ] && limits="$limits ATEN_CPU_CAPABILITY=$ATEN_CPU_CAPABILITY"
[ -n "$limits" ] && cpu="$cpu, limited by$limits (an emulated smaller CPU: its clock and caches are this one's)"
echo "CPU: $cpu; bench infer unet 256x256 batch 8 ($prec): $(printf %.2f "$infer_mpx") Mpx/s. Stack ${size}x${size}x${slices} (synth seed 5)."
echo
echo "| tiling | segment Mpx/s | steady Mpx/s | segment / bench infer | steady / bench infer | mask pixels differing from whole-slice | F1 vs whole-slice |"
echo "|---|---|---|---|---|---|---|"
for t in $tilings; do
  if [ "$t" = default ]; then args=(); else IFS=: read -r tile ov <<< "$t"; args=(--tile "$tile" --overlap "$ov"); fi
  "$ps" segment "$work/two/image.tif" "$work/t2.tif" --model "$model" "${args[@]}" --precision "$prec" --scales "$scales" --force --json > "$work/t2.json" 2>/dev/null
  "$ps" segment "$img" "$work/t.tif" --model "$model" "${args[@]}" --precision "$prec" --scales "$scales" --force --json > "$work/t.json" 2>/dev/null
  "$ps" evaluate "$work/t.tif" "$work/whole.tif" --json "$work/e.json" --force > /dev/null
  python3 - "$work/e.json" "$t" "$work/t.json" "$work/t2.json" "$infer_mpx" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))["total"]
t, a, b, inf = sys.argv[2], json.load(open(sys.argv[3])), json.load(open(sys.argv[4])), float(sys.argv[5])
mpx = a["megapixels_per_second"]
per_slice_mpx = a["megapixels_per_second"] * a["segment_seconds"] / a["slices"]
steady = per_slice_mpx * (a["slices"] - b["slices"]) / (a["segment_seconds"] - b["segment_seconds"])
diff = e["fp"] + e["fn"]
total = e["tp"] + e["tn"] + e["fp"] + e["fn"]
print("| %s | %.2f | %.2f | %.2f | %.2f | %d of %d (%.4f %%) | %.5f |" % (t, mpx, steady, mpx / inf, steady / inf, diff, total, 100.0 * diff / total, e["f1"]))
PY
done
echo
echo "Small slices, ${small}x${small}x${small_slices} (synth seed 6):"
echo
echo "| forward passes | segment Mpx/s |"
echo "|---|---|"
for b in 1 8; do
  "$ps" segment "$work/small/image.tif" "$work/s.tif" --model "$model" --batch "$b" --precision "$prec" --scales "$scales" --force --json > "$work/s.json" 2>/dev/null
  echo "| $([ "$b" = 1 ] && echo "one slice each (--batch 1)" || echo "8 slices each (default --batch 8)") | $(printf %.2f "$(jget "$work/s.json" megapixels_per_second)") |"
done
