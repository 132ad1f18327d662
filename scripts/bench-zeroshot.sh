#!/usr/bin/env bash
# Zero-shot benchmark: a pore model (default: the bundled one) against a global Otsu threshold on
# every labelled real set in ../shared/datasets that has a pore class, and on synthetic stacks that
# no model was trained on (domain-randomised `poreseg synth --randomize` seeds 9001-9008, and the
# fixed model's held-out seed 3 of docs/net.md). Prints a Markdown table: pore F1, IoU, true and
# predicted porosity and the absolute porosity error, each for the model and for Otsu.
#
#   scripts/bench-zeroshot.sh [MODEL_DIR|default] [WORK_DIR]
#
# Scoring: `poreseg segment` (threshold 0.5) or `poreseg threshold --method otsu --dark` (one
# threshold over the whole test stack, pores darker: right for all sets here), then
# `poreseg evaluate --json` over all test pixels (inside the sample disk for sandstone, inside the
# particle for randomised stacks in particle mode). The
# per-stack segment/evaluate route is used instead of `poreseg bench quality` because it takes an
# ROI and reports porosity; `poreseg bench fewlabel --protocols otsu,zero-shot` gives the same
# comparison on 256x256 crops of the bundled model only.
# Real sets (test slices): catalyst-stem HAADF-STEM (15 val_* slices, pore = mask 0; no licence
# file, research use; never trained on), sandstone-xrm micro-CT (slices 0250-0400, pore =
# derived/pore_binary, inside derived/sample_roi; MIT; scripts/build-default-model.sh trains on
# slices 0000, 0100, 0200 and validates on 0050, so these four are held out), membrane-pores 1.tif
# (pore = 127; MIT; the build trains on 0.tif, never on 1.tif). Not scored: isbi2012 and
# epfl (no pore class), nmc-microstructure and berea-microct (labels only, no raw images).
# Real sets are skipped when ../shared/datasets is absent. About 4 minutes on 2 cores.
# Env: SETS (default "catalyst sandstone membrane"), SYNTH_SEEDS (default 9001-9008), SANDSTONE_SLICES
# (default "0250 0300 0350 0400"),
# FIXED_SEED3=0 to skip the fixed-model stack, FIXED_PIXELS (default "1 1.5 3 4.5 9"; empty to skip) and
# FIXED_POROSITY (default 0.26) for the fixed model rendered at other pixel sizes (seed 77), SHINE_PIXELS (default "3 9";
# empty to skip) and SHINE_APPEARANCES (`synth --appearance` values, space-separated) for the fixed model with
# stronger shine-through, voids or grey pore interiors, RENDER_SEEDS (default 101-112; empty to skip),
# RENDER_HARD_SEEDS (default 217-224, rendered with --look hard: back walls as bright as solid; empty to skip) and
# RENDER_PYTHON for the independent renderer scripts/fibsem_render.py, PORESEG (the launcher), SEGMENT_ARGS (extra
# options of segment, e.g. "--precision bf16"; the label of the model rows then names them).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ps="${PORESEG:-$here/poreseg}"
model="${1:-default}"
work="${2:-$here/target/bench-zeroshot}"
data="$here/../shared/datasets"
mkdir -p "$work"

json_get() { python3 -c "import json,sys; t=json.load(open(sys.argv[1]))['total']; print(' '.join(str(t[k]) for k in sys.argv[2:]))" "$@"; }

# score NAME IMAGES TRUTH [ROI]: one table row for the model and one for Otsu
rows=()
score() {
  local name="$1" images="$2" truth="$3" roi="${4:-}" d="$work/$1"
  mkdir -p "$d"
  local roiopt=()
  [ -n "$roi" ] && roiopt=(--roi "$roi")
  # shellcheck disable=SC2086
  "$ps" segment "$images" "$d/model.tif" --model "$model" ${SEGMENT_ARGS:-} --force > /dev/null
  "$ps" threshold "$images" "$d/otsu.tif" --method otsu --dark --force > /dev/null
  for m in model otsu; do
    "$ps" evaluate "$d/$m.tif" "$truth" "${roiopt[@]}" --json "$d/$m.json" --force > /dev/null
    read -r f1 iou pt pp < <(json_get "$d/$m.json" f1 iou porosity_truth porosity_predicted)
    local label="$model${SEGMENT_ARGS:+ $SEGMENT_ARGS}"; [ "$m" = otsu ] && label="Otsu (global, dark)"
    rows+=("$(python3 -c "import sys; n,l,f,i,t,p=sys.argv[1:]; print('| %s | %s | %.4f | %.4f | %.4f | %.4f | %.4f |' % (n,l,float(f),float(i),float(t),float(p),abs(float(p)-float(t))))" "$name" "$label" "$f1" "$iou" "$pt" "$pp")")
  done
  echo "scored $name" >&2
}

# the real sets to score (env SETS, default all three)
want() { case " ${SETS:-catalyst sandstone membrane} " in *" $1 "*) return 0;; esac; return 1; }

# binarise MASK_DIR_OR_FILE OUT THRESHOLD [--dark]: 255 = pore
binarise() { "$ps" threshold "$1" "$2" --method hysteresis --weak "$3" --strong "$3" ${4:-} --force > /dev/null; }

if [ -d "$data" ]; then
  if [ -d "$data/catalyst-stem" ] && want catalyst; then
    c="$work/catalyst-src"; rm -rf "$c"; mkdir -p "$c/image" "$c/mask"
    for f in "$data"/catalyst-stem/image/val_*; do ln -s "$f" "$c/image/"; ln -s "$data/catalyst-stem/mask/$(basename "$f")" "$c/mask/"; done
    binarise "$c/mask" "$c/truth.tif" 0.5 --dark
    score "catalyst-stem (HAADF-STEM, 15 val slices)" "$c/image" "$c/truth.tif"
  fi
  if [ -d "$data/sandstone-xrm" ] && want sandstone; then
    s="$work/sandstone-src"; rm -rf "$s"; mkdir -p "$s/image" "$s/mask" "$s/roi"
    for n in ${SANDSTONE_SLICES:-0250 0300 0350 0400}; do
      f="$data/sandstone-xrm/images/Sandstone_Versa$n.tif"; b="$(basename "$f" .tif)"
      ln -s "$f" "$s/image/"; ln -s "$data/sandstone-xrm/derived/pore_binary/$b.png" "$s/mask/"; ln -s "$data/sandstone-xrm/derived/sample_roi/$b.png" "$s/roi/"
    done
    binarise "$s/mask" "$s/truth.tif" 127
    binarise "$s/roi" "$s/roi.tif" 127
    score "sandstone-xrm (micro-CT, slices ${SANDSTONE_SLICES:-0250 0300 0350 0400}, in sample)" "$s/image" "$s/truth.tif" "$s/roi.tif"
  fi
  if [ -d "$data/membrane-pores" ] && want membrane; then
    m="$work/membrane-src"; mkdir -p "$m"
    binarise "$data/membrane-pores/1_ground_truth.tif" "$m/truth.tif" 200 --dark
    score "membrane-pores (1.tif)" "$data/membrane-pores/1.tif" "$m/truth.tif"
  fi
else
  echo "no $data: real sets skipped" >&2
fi

for seed in ${SYNTH_SEEDS:-9001 9002 9003 9004 9005 9006 9007 9008}; do
  rm -f "$work/synth-r$seed/particle.tif"
  "$ps" synth "$work/synth-r$seed" --randomize --seed "$seed" --size 256 --slices 8 --force --json > /dev/null
  desc="$(python3 -c "import json,sys; t=json.load(open(sys.argv[1])); a=t['appearance']; p=t['parameters']; print('%s, %.0f nm, %d-bit%s' % (p['mode'], p['voxel_size'][0], a['bits'], ', inverted' if a['inverted'] else ''))" "$work/synth-r$seed/truth.json")"
  roi=""; [ -f "$work/synth-r$seed/particle.tif" ] && roi="$work/synth-r$seed/particle.tif"  # particle mode: score inside the particle
  score "synth --randomize seed $seed ($desc)" "$work/synth-r$seed/image.tif" "$work/synth-r$seed/truth.tif" $roi
done
# the fixed model rendered at other pixel sizes, the same field of view (1152 nm) and pores: pores
# 9 / V times larger in pixels than in the bundled model's training data (docs/net.md, "Scale selection")
for v in ${FIXED_PIXELS-1 1.5 3 4.5 9}; do
  for p in ${FIXED_POROSITY:-0.26}; do
    px=$(python3 -c "print(int(round(1152 / float('$v') / 32)) * 32)")
    "$ps" synth "$work/synth-v$v-p$p" --porosity "$p" --voxel "$v,$v,15" --size "$px" --slices 4 --seed 77 --force --json > /dev/null
    score "synth fixed model at $v nm, porosity $p (${px}x${px}x4, seed 77)" "$work/synth-v$v-p$p/image.tif" "$work/synth-v$v-p$p/truth.tif"
  done
done
# the fixed model with brighter or deeper shine-through, large voids or grey pore interiors
# (`synth --appearance`): the hidden FIB-SEM set's other symptom, pores whose back walls show through
# bright and whose interiors are not the darkest grey (docs/net.md, "Shine-through")
for v in ${SHINE_PIXELS-3 9}; do
  px=$(python3 -c "print(int(round(1152 / float('$v') / 32)) * 32)")
  for a in ${SHINE_APPEARANCES-wallGain=0.9 wallGain=1.3 depthDecay=400,maxDepth=1000 voidGrains=0.15 voidLevel=0.25 wallGain=1.0,depthDecay=300,maxDepth=1000,voidGrains=0.15,voidLevel=0.2}; do
    d="$work/shine-v$v-$(echo "$a" | tr ',=' '_-')"
    "$ps" synth "$d" --porosity 0.26 --voxel "$v,$v,15" --size "$px" --slices 3 --seed 77 --appearance "$a" --force --json > /dev/null
    score "synth fixed model at $v nm, porosity 0.26, $a (${px}x${px}x3, seed 77)" "$d/image.tif" "$d/truth.tif"
  done
done
# an independent FIB-SEM renderer (scripts/fibsem_render.py: porous ceramics with shine-through, no
# code shared with `poreseg synth`): stacks no model's generator made. Needs NumPy, SciPy and Pillow
# (RENDER_PYTHON, default python3); skipped without them.
rpy="${RENDER_PYTHON:-python3}"
# render SEED LOOK: one renderer row (LOOK empty: drawn from the seed; "hard": back walls as bright as solid)
render() {
  local seed="$1" look="$2" d="$work/render-$1${2:+-$2}"
  "$rpy" "$here/scripts/fibsem_render.py" "$d" --seed "$seed" ${look:+--look "$look"} > /dev/null
  local desc
  desc="$(python3 -c "import json,sys; p=json.load(open(sys.argv[1])); print('%s, %s look, grain %.0f px' % (p['family'], p['look'], p['grain_px']))" "$d/params.json")"
  score "fibsem_render.py seed $seed ($desc)" "$d/image.tif" "$d/truth.tif"
}
if { [ -n "${RENDER_SEEDS-101 102 103 104 105 106 107 108 109 110 111 112}" ] || [ -n "${RENDER_HARD_SEEDS-217 218 219 220 221 222 223 224}" ]; } \
    && "$rpy" -c "import numpy, scipy, PIL" 2> /dev/null; then
  for seed in ${RENDER_SEEDS-101 102 103 104 105 106 107 108 109 110 111 112}; do
    render "$seed" ""
  done
  for seed in ${RENDER_HARD_SEEDS-217 218 219 220 221 222 223 224}; do
    render "$seed" hard
  done
else
  echo "fibsem_render.py rows skipped (RENDER_SEEDS and RENDER_HARD_SEEDS empty, or no NumPy/SciPy/Pillow for $rpy)" >&2
fi
if [ "${FIXED_SEED3:-1}" = 1 ]; then
  "$ps" synth "$work/synth-s3" --size 256 --slices 32 --seed 3 --force --json > /dev/null
  score "synth fixed model seed 3 (held out)" "$work/synth-s3/image.tif" "$work/synth-s3/truth.tif"
fi

echo "| test set | method | F1 | IoU | true porosity | predicted porosity | porosity error |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"
