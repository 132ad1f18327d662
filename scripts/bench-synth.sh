#!/usr/bin/env bash
# Held-out segmentation quality on synthetic FIB-SEM data, the issue's protocol: train `paper` and
# `unet` from scratch on synth seed 1, validate on seed 2 (checkpoint and learning-rate schedule
# only), test on seed 3 (never seen), for raw / stretch / equalize preprocessing; score them, the
# bundled model and a global Otsu threshold with `poreseg bench quality`.
#
# usage: scripts/bench-synth.sh [WORK_DIR]      (default target/bench-synth)
# env:   PREPS="none stretch equalize"  EPOCHS=12  STEPS=16  BATCH=8  PATCH=256
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench-common.sh"
work="${1:-$here/target/bench-synth}"
preps="${PREPS:-none stretch equalize}"
mkdir -p "$work"
cd "$work"
[ -f s1/image.tif ] || "$ps" synth s1 --size 256 --slices 64 --seed 1 >/dev/null
[ -f s2/image.tif ] || "$ps" synth s2 --size 256 --slices 16 --seed 2 >/dev/null
[ -f s3/image.tif ] || "$ps" synth s3 --size 256 --slices 32 --seed 3 >/dev/null
models=()
for pre in $preps; do
  for arch in paper unet; do
    echo "bench-synth: training $arch, preprocess $pre ($epochs epochs x $steps steps x batch $batch)" >&2
    train_model "$arch" "$arch-$pre" "$arch-$pre.log" --images s1/image.tif --masks s1/truth.tif \
      --val s2/image.tif:s2/truth.tif --preprocess "$pre"
    models+=(--model "$arch-$pre")
  done
done
"$ps" bench quality --test s3/image.tif:s3/truth.tif --otsu "${models[@]}" --model default | tee quality.txt
"$ps" bench quality --json --test s3/image.tif:s3/truth.tif --otsu "${models[@]}" --model default > quality.json
