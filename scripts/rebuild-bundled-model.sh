#!/usr/bin/env bash
# Rebuilds the bundled model's recipe from scratch in one command: the fixed synthetic model of
# `poreseg synth` (9 nm pixels), a U-Net trained in two stages, scored on the held-out seed-3 stack
# and zero-shot (scripts/bench-zeroshot.sh, with the bundled model's scale selection), written with
# its provenance in model.json.
#
#   scripts/rebuild-bundled-model.sh [OUT_DIR]     (default OUT_DIR: target/rebuilt-model; give the
#                                                   bundled folder, src/main/resources/poreseg/models/default,
#                                                   to replace the shipped weights)
#   QUICK=1 scripts/rebuild-bundled-model.sh /tmp/m (smoke run, about a minute: tiny data, 2+1 epochs)
#
# Data (regenerated, nothing downloaded): train `poreseg synth --size 512 --slices 128 --seed 11`,
# validation `--size 256 --slices 16 --seed 2` (checkpoint choice only), held-out test `--size 256
# --slices 32 --seed 3`. No real data: every real set in ../shared/datasets stays a zero-shot check.
# Recipe: U-Net width 16 depth 3 from scratch, per-slice min-max stretch (guarded against a few wild pixels), BCE+Dice, intensity jitter, no
#   geometric augmentation (FIB-SEM slices are not mirror or rotation symmetric), cosine schedule,
#   256x256 patches, 32 steps of batch 8 an epoch; stage A EPOCHS_A (30) epochs at lr 1e-3, stage B
#   EPOCHS_B (10) epochs at lr 1e-4 from A. bf16 training where the CPU has it (PRECISION=auto).
# Why not the exact shipped weights: they came from a longer chain of 2026-11/12 (an earlier generator
#   version, 128x128 patches with all 8 flips, then the two stages above from that model; docs/net.md,
#   "Reaching the target"), which this script does not replay. Measured 2026-12-06 (Intel Xeon with
#   AMX-BF16, 2 cores, bf16; docs/net.md, "Rebuilding the bundled model"): 30+10 epochs train in
#   7 min (319 + 108 s), held-out F1 0.906 against the shipped 0.912, zero-shot catalyst 0.958 /
#   sandstone 0.696 / membrane 0.930 against 0.963 / 0.720 / 0.926; 60+15 epochs (13 min) 0.908
#   held out but catalyst 0.915: the real-set scores move by several hundredths between runs, so
#   the shipped weights stay. The whole script takes about 12 min (data, training, benchmarks).
# Env: EPOCHS_A, EPOCHS_B, SEED_A, SEED_B (training seeds of the two stages, default 21 and 22), PRECISION, WORK (kept; default target/rebuild-bundled-model), PORESEG, QUICK=1.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ps="${PORESEG:-$here/poreseg}"
# shellcheck source=scripts/model-common.sh
. "$here/scripts/model-common.sh"
out="${1:-$here/target/rebuilt-model}"
work="${WORK:-$here/target/rebuild-bundled-model}"
size=512; slices=128; vsize=256; vslices=16; tslices=32
ea="${EPOCHS_A:-30}"; eb="${EPOCHS_B:-10}"; steps=32
seed_a="${SEED_A:-21}"; seed_b="${SEED_B:-22}"
if [ "${QUICK:-0}" = 1 ]; then
  size=128; slices=4; vsize=128; vslices=2; tslices=2; ea=2; eb=1; steps=2
  export SETS="${SETS:-membrane}" SYNTH_SEEDS="${SYNTH_SEEDS:-9001}" FIXED_SEED3="${FIXED_SEED3:-0}"
fi
start=$(date +%s)
mkdir -p "$work"

echo "1/4 data: seed 11 ${size}x${size}x$slices (train), seed 2 (validation), seed 3 (held-out test)" >&2
"$ps" synth "$work/t11" --size "$size" --slices "$slices" --seed 11 --force > /dev/null
"$ps" synth "$work/s2" --size "$vsize" --slices "$vslices" --seed 2 --force > /dev/null
"$ps" synth "$work/s3" --size "$vsize" --slices "$tslices" --seed 3 --force > /dev/null

common=(--images "$work/t11/image.tif" --masks "$work/t11/truth.tif" --val "$work/s2/image.tif:$work/s2/truth.tif"
  --loss bce+dice --augment --geometry none --schedule cosine --batch 8 --steps "$steps" --patch "$(( size < 256 ? size : 256 ))"
  --precision "${PRECISION:-auto}")
echo "2/4 train: stage A $ea epochs at 1e-3, stage B $eb epochs at 1e-4" >&2
"$ps" train "${common[@]}" --out "$work/mA" --force --arch unet --width 16 --depth 3 --preprocess stretch-guarded \
  --epochs "$ea" --lr 1e-3 --seed "$seed_a" > "$work/trainA.log" 2>&1 || { tail -20 "$work/trainA.log" >&2; exit 1; }
"$ps" train "${common[@]}" --out "$work/mB" --force --init "$work/mA" \
  --epochs "$eb" --lr 1e-4 --seed "$seed_b" > "$work/trainB.log" 2>&1 || { tail -20 "$work/trainB.log" >&2; exit 1; }
trained=$(( $(date +%s) - start ))

# the bundled model's inference defaults: scale selection over factors 1-8 (docs/net.md)
python3 - "$work/mB/model.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m['inference_scales'] = [0.3333, 0.5, 1, 2, 3, 4, 6, 8, 12, 16]
m['inference_scale_tolerance'] = 0.1
m['voxel_range_nm'] = [9.0, 9.0]
json.dump(m, open(sys.argv[1], 'w'), indent=2)
PY

echo "3/4 evaluate: held-out seed 3, zero-shot (scripts/bench-zeroshot.sh)" >&2
"$ps" bench quality --test "$work/s3/image.tif:$work/s3/truth.tif" --model "$work/mB" --json > "$work/heldout.json"
PORESEG="$ps" FIXED_SEED3=0 "$here/scripts/bench-zeroshot.sh" "$work/mB" "$work/bench" > "$work/zeroshot.md"
cat "$work/zeroshot.md" >&2

echo "4/4 provenance and install into $out" >&2
MODEL_SCRIPTS="$here/scripts" python3 - "$work" "$start" "$trained" "$ea" "$eb" "$size" "$slices" "$vsize" "$vslices" "$tslices" "$steps" "$seed_a" "$seed_b" <<'PY'
import json, os, sys
sys.path.insert(0, os.environ['MODEL_SCRIPTS'])
from model_provenance import stamp, write, zeroshot_rows
work, start, trained, ea, eb, size, slices, vsize, vslices, tslices, steps, seed_a, seed_b = sys.argv[1:]
mj = os.path.join(work, 'mB', 'model.json')
m = json.load(open(mj))
rows = zeroshot_rows(os.path.join(work, 'zeroshot.md'))
held = json.load(open(os.path.join(work, 'heldout.json')))
gen = json.load(open(os.path.join(work, 't11', 'truth.json'))).get('generator')
m['training']['provenance'] = {
    'built_by': 'scripts/rebuild-bundled-model.sh',
    'generator': gen,
    'train_data': 'poreseg synth --size %s --slices %s --seed 11' % (size, slices),
    'validation_data': 'poreseg synth --size %s --slices %s --seed 2' % (vsize, vslices),
    'held_out_test': {'data': 'poreseg synth --size %s --slices %s --seed 3' % (vsize, tslices), 'scores': held},
    'real_data_in_training': [],
    'recipe': 'stage A: train --arch unet --width 16 --depth 3 --preprocess stretch-guarded --loss bce+dice --augment --geometry none '
              '--schedule cosine --epochs %s --batch 8 --steps %s --lr 1e-3 --seed %s; stage B: --init A --epochs %s --lr 1e-4 --seed %s' % (ea, steps, seed_a, eb, seed_b),
    'zero_shot_scores': rows,
    'train_seconds': int(trained),
    **stamp(start),
}
write(mj, m)
PY
install_model "$work/mB" "$out" "$start"
