#!/usr/bin/env bash
# Rebuilds the bundled generalist pore model (src/main/resources/poreseg/models/default/) in one
# command: regenerates the training data, trains, evaluates zero-shot and writes the weights with
# their provenance in model.json ("training" -> "provenance").
#
#   scripts/build-default-model.sh [OUT_DIR]      (default OUT_DIR: the bundled model's folder)
#   QUICK=1 scripts/build-default-model.sh /tmp/m  (smoke run, ~30 s: tiny data, 2 epochs)
#
# Data (all regenerated; nothing is downloaded):
#   train  `poreseg synth --randomize --stacks 96 --seed 1001 --fixed-every 8` at 256x256x4:
#          84 domain-randomised stacks (docs/synth.md, "Domain randomisation") + 12 stacks of the
#          fixed model, 384 slices.
#   real   (REAL=1, the default; needs ../shared/datasets) 256x256 tiles cut by scripts/RealTiles.java
#          from MIT-licensed labelled sets only: membrane-pores 0.tif (4x4 positions x 4 rotations)
#          and sandstone-xrm slices 0000, 0100, 0200 (pixels outside the sample disk unlabelled:
#          --unlabelled 128); about 100 tiles, ~21 % of the training slices. REAL=0: synthetic only.
#   val    8 randomised stacks, seeds 2001-2008, 256x256x4 (+ sandstone 0050 tiles with REAL=1).
#   held out  catalyst-stem (no licence file, research use: never trained on), membrane-pores
#          1.tif, sandstone 0250-0400: the zero-shot check, scripts/bench-zeroshot.sh.
# Recipe: U-Net width 16 depth 3 from scratch (~0.49 M parameters, 1.9 MB: the weights stay far
#   below 10 MB), per-slice stretch 0.5-99.5 %, BCE+Dice, intensity jitter + left-right mirroring,
#   cosine schedule from lr 1e-3, 40 epochs x 40 steps x batch 8 of 256x256 patches.
# Measured 2026-12-04 (docs/net.md, "The generalist build"): with EPOCHS=25 each of REAL=0 and
#   REAL=1 took 4,400 s on one thread of a shared 2-core AMD EPYC (two builds side by side, ~175 s
#   an epoch); about 25 min a build on 2 free threads. Neither model was good enough to ship (both
#   call large dark regions solid; validation F1 0.55 and still rising): the bundled weights are
#   still those of 2026-12-02. Expect several hours for a run long enough to converge.
#   The shipped weights' own recipe (the fixed synthetic model) is scripts/rebuild-bundled-model.sh.
#   The QUICK=1 smoke run takes ~30 s.
# Env overrides: EPOCHS, STEPS, BATCH, PATCH, LR, STACKS, SIZE, SLICES, REAL, REAL_GRID, WORK (kept, default
#   target/build-default-model), QUICK=1, PRECISION (train --precision: fp32, bf16 or auto, the default:
#   bf16 convolutions where the CPU has AVX512-BF16/AMX, 2-3x faster training with the same F1 in the
#   A/B of docs/net.md#speed; recorded in model.json's training summary), INPUT_SCALING (train
#   --input-scaling: type-max, the default, or otsu-anchor), MEMBRANE0 (1, the default: membrane-pores 0.tif tiles
#   in the real data; 0: sandstone tiles only).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ps="${PORESEG:-$here/poreseg}"
# shellcheck source=scripts/model-common.sh
. "$here/scripts/model-common.sh"
bundled="$here/src/main/resources/poreseg/models/default"
out="${1:-$bundled}"
work="${WORK:-$here/target/build-default-model}"
jar="$(dirname "$ps")/target/poreseg.jar"
if [ "${QUICK:-0}" = 1 ]; then
  : "${STACKS:=4}" "${SIZE:=128}" "${SLICES:=4}" "${VAL_STACKS:=2}" "${EPOCHS:=2}" "${STEPS:=4}" "${BATCH:=4}" "${PATCH:=128}" "${FIXED_EVERY:=4}"
  export SETS="${SETS:-membrane}" SYNTH_SEEDS="${SYNTH_SEEDS:-9001}" FIXED_SEED3="${FIXED_SEED3:-0}"
fi
stacks="${STACKS:-96}"; size="${SIZE:-256}"; slices="${SLICES:-4}"; val_stacks="${VAL_STACKS:-8}"
epochs="${EPOCHS:-40}"; steps="${STEPS:-40}"; batch="${BATCH:-8}"; patch="${PATCH:-256}"; lr="${LR:-1e-3}"
fixed_every="${FIXED_EVERY:-8}"; real="${REAL:-1}"; real_grid="${REAL_GRID:-4}"
train_seed=1001; val_seed=2001
start=$(date +%s)
mkdir -p "$work"

echo "1/4 data: $stacks training stacks ${size}x${size}x$slices (seeds $train_seed-$((train_seed + stacks - 1)), every ${fixed_every}th the fixed model), $val_stacks validation stacks" >&2
"$ps" synth "$work/train" --randomize --stacks "$stacks" --seed "$train_seed" --size "$size" --slices "$slices" \
  --fixed-every "$fixed_every" --force --json > "$work/train-synth.json"
"$ps" synth "$work/val" --randomize --stacks "$val_stacks" --seed "$val_seed" --size "$size" --slices 4 --force --json > "$work/val-synth.json"
real_used=()
# 128 = unlabelled: the background outside a particle in particle-mode stacks, and real pixels
# outside a sample's ROI
unlabelled=(--unlabelled 128)
if [ "$real" = 1 ]; then
  data="$here/../shared/datasets"
  [ -d "$data/membrane-pores" ] && [ -d "$data/sandstone-xrm" ] || { echo "REAL=1 needs ../shared/datasets (membrane-pores, sandstone-xrm); REAL=0 trains on synthetic data only" >&2; exit 1; }
  tiles() { java -cp "$jar" "$here/scripts/RealTiles.java" "$@" >> "$work/real-tiles.log"; }
  : > "$work/real-tiles.log"
  # membrane-pores 0.tif (MIT): SEM of a porous film, pore = label 170 (large) and 255 (small), matrix 85;
  # a top view without a milling direction, so its tiles also go in rotated
  if [ "${MEMBRANE0:-1}" = 1 ]; then
    tiles "$work/train" real-membrane0 "$data/membrane-pores/0.tif" "$data/membrane-pores/0_ground_truth.tif" ge:170 - "$size" "$real_grid" 1
  fi
  # sandstone-xrm (MIT) slices 0000/0100/0200 for training, 0050 for validation; 0250-0400 stay held out
  # (scripts/bench-zeroshot.sh scores them); pore = derived/pore_binary, unlabelled outside the sample disk
  for n in 0000 0100 0200; do
    tiles "$work/train" "real-sandstone$n" "$data/sandstone-xrm/images/Sandstone_Versa$n.tif" \
      "$data/sandstone-xrm/derived/pore_binary/Sandstone_Versa$n.png" gt:127 "$data/sandstone-xrm/derived/sample_roi/Sandstone_Versa$n.png" "$size" 4 0
  done
  tiles "$work/val" real-sandstone0050 "$data/sandstone-xrm/images/Sandstone_Versa0050.tif" \
    "$data/sandstone-xrm/derived/pore_binary/Sandstone_Versa0050.png" gt:127 "$data/sandstone-xrm/derived/sample_roi/Sandstone_Versa0050.png" "$size" 4 0
  cat "$work/real-tiles.log" >&2
  real_used=("sandstone-xrm slices 0000, 0100, 0200 (MIT; 0050 for validation)")
  [ "${MEMBRANE0:-1}" = 1 ] && real_used=("membrane-pores 0.tif (MIT)" "${real_used[@]}")
fi

echo "2/4 train: $epochs epochs x $steps steps x batch $batch of ${patch}x$patch" >&2
recipe=(--arch unet --width 16 --depth 3 --preprocess stretch=0.5:99.5 --input-scaling "${INPUT_SCALING:-type-max}" --loss bce+dice --augment --geometry mirror
  --schedule cosine --lr "$lr" --epochs "$epochs" --steps "$steps" --batch "$batch" --patch "$patch" --seed 21 "${unlabelled[@]}"
  --precision "${PRECISION:-auto}")
"$ps" train --images "$work/train/images" --masks "$work/train/masks" --val "$work/val/images:$work/val/masks" \
  --out "$work/model" --force "${recipe[@]}" > "$work/train.log" 2>&1 || { tail -20 "$work/train.log" >&2; exit 1; }

echo "3/4 evaluate zero-shot (scripts/bench-zeroshot.sh)" >&2
"$here/scripts/bench-zeroshot.sh" "$work/model" "$work/bench" > "$work/zeroshot.md"
cat "$work/zeroshot.md" >&2

echo "4/4 provenance and install into $out" >&2
MODEL_SCRIPTS="$here/scripts" python3 - "$work" "$start" "$train_seed" "$stacks" "$val_seed" "$val_stacks" "$size" "$slices" "$fixed_every" "${recipe[*]}" "$(IFS='|'; echo "${real_used[*]}")" <<'PY'
import json, os, sys
sys.path.insert(0, os.environ['MODEL_SCRIPTS'])
from model_provenance import stamp, write, zeroshot_rows
work, start, tseed, n, vseed, nv, size, slices, fixed, recipe, real = sys.argv[1:]
real = [r for r in real.split('|') if r]
mj = os.path.join(work, 'model', 'model.json')
m = json.load(open(mj))
tset = json.load(open(os.path.join(work, 'train', 'set.json')))
rows = zeroshot_rows(os.path.join(work, 'zeroshot.md'))
m['training']['provenance'] = {
    'built_by': 'scripts/build-default-model.sh',
    'generator': tset['generator'],
    'train_data': {'command': 'poreseg synth --randomize --stacks %s --seed %s --size %s --slices %s --fixed-every %s' % (n, tseed, size, slices, fixed),
                   'seeds': tset['seeds'], 'randomized_stacks': sum(1 for s in tset['stacks'] if not s['fixed_model']),
                   'fixed_model_stacks': sum(1 for s in tset['stacks'] if s['fixed_model']), 'slices': int(n) * int(slices)},
    'validation_data': {'command': 'poreseg synth --randomize --stacks %s --seed %s --size %s --slices 4' % (nv, vseed, size),
                        'seeds': [int(vseed), int(vseed) + int(nv) - 1]},
    'real_data_in_training': real,
    'zero_shot_real_sets': ['catalyst-stem val_* (research use, no licence file; never trained on)', 'membrane-pores 1.tif (MIT)',
                            'sandstone-xrm slices 0250-0400 (MIT; held-out slices of a set trained on)' if real else 'sandstone-xrm slices 0250-0400 (MIT)'],
    'recipe': 'poreseg train ' + recipe,
    'validation_scores': m.get('scores'),
    'zero_shot_scores': rows,
    **stamp(start),
}
# the calibrated training data's pixel sizes (docs/synth.md: log-U 3-30 nm); segment and analyze warn
# about a stack more than 3x outside (the real tiles carry no pixel size)
m['voxel_range_nm'] = [3.0, 30.0]
write(mj, m)
PY
install_model "$work/model" "$out" "$start"
