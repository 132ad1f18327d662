#!/usr/bin/env bash
# Held-out segmentation quality on the real labelled sets of ../shared/datasets: trains `unet` and
# `paper` on each set's own training split (validation split for the checkpoint and the learning-rate
# schedule), then scores both and a global Otsu threshold on the test split with
# `poreseg bench quality`. Skips (exit 0) when ../shared/datasets is missing.
#
# usage: scripts/bench-real.sh [WORK_DIR]      (default target/bench-real)
# env:   SETS="isbi epfl catalyst"  EPOCHS=12  STEPS=16  BATCH=8  PATCH=256
#
# Splits and foreground (the class scored as "pore"):
#   isbi      ISBI 2012 ssTEM, 30 slices 512x512: slices 0-19 train, 20-24 validate, 25-29 test;
#             foreground = membrane (label 0, dark). TEM sections: all 8 flips/rotations.
#   epfl      EPFL hippocampus FIB-SEM, 1024x768: training0000-0021 train, the last 5 training slices
#             validate, the 5 testing slices test; foreground = mitochondrion (255; the masks are
#             anti-aliased, so all are binarised at 128 with `poreseg threshold`). FIB-SEM: no rotations.
#   catalyst  HAADF-STEM tomography slices 512x512: train_000-034 train, train_035-044 validate,
#             the 15 val_* slices test; foreground = pore or vacuum (mask value 0). All flips/rotations.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench-common.sh"
data="$here/../shared/datasets"
work="${1:-$here/target/bench-real}"
sets="${SETS:-isbi epfl catalyst}"
if [ ! -d "$data" ]; then
  echo "bench-real: $data not found, skipping" >&2
  exit 0
fi
mkdir -p "$work"

# link FILES... into DIR (a folder of slices, read in natural order)
link() {
  local dir="$1"; shift
  rm -rf "$dir"; mkdir -p "$dir"
  for f in "$@"; do ln -s "$f" "$dir/"; done
}

prepare() {
  local s="$1" d="$work/$1"
  case "$s" in
    isbi)
      local src="$data/isbi2012-sstem"
      link "$d/train/image" $(for i in $(seq 0 19); do echo "$src/image/$i.png"; done)
      link "$d/train/mask" $(for i in $(seq 0 19); do echo "$src/label/$i.png"; done)
      link "$d/val/image" $(for i in $(seq 20 24); do echo "$src/image/$i.png"; done)
      link "$d/val/mask" $(for i in $(seq 20 24); do echo "$src/label/$i.png"; done)
      link "$d/test/image" $(for i in $(seq 25 29); do echo "$src/image/$i.png"; done)
      link "$d/test/mask" $(for i in $(seq 25 29); do echo "$src/label/$i.png"; done)
      echo "--pore-value 0 --geometry all" > "$d/train-options"
      echo "--pore-value 0" > "$d/test-options" ;;
    epfl)
      local src="$data/epfl-fibsem-mito"
      local all=($(ls "$src/train/image" | sort))
      link "$d/train/image" $(for f in "${all[@]:0:22}"; do echo "$src/train/image/$f"; done)
      link "$d/train/mask-raw" $(for f in "${all[@]:0:22}"; do echo "$src/train/mask/$f"; done)
      link "$d/val/image" $(for f in "${all[@]:22}"; do echo "$src/train/image/$f"; done)
      link "$d/val/mask-raw" $(for f in "${all[@]:22}"; do echo "$src/train/mask/$f"; done)
      link "$d/test/image" "$src"/test/image/*.png
      link "$d/test/mask-raw" "$src"/test/mask/*.png
      # the masks are anti-aliased (values between 0 and 255 along outlines): binarise at 128
      for part in train val test; do
        "$ps" threshold "$d/$part/mask-raw" "$d/$part/mask.tif" --method hysteresis --weak 127 --strong 127 --force >/dev/null
      done
      echo "--geometry none" > "$d/train-options"
      echo "" > "$d/test-options" ;;
    catalyst)
      local src="$data/catalyst-stem"
      link "$d/train/image" "$src"/image/train_0[0-2]*.tif "$src"/image/train_03[0-4].tif
      link "$d/train/mask" "$src"/mask/train_0[0-2]*.tif "$src"/mask/train_03[0-4].tif
      link "$d/val/image" "$src"/image/train_03[5-9].tif "$src"/image/train_04*.tif
      link "$d/val/mask" "$src"/mask/train_03[5-9].tif "$src"/mask/train_04*.tif
      link "$d/test/image" "$src"/image/val_*.tif
      link "$d/test/mask" "$src"/mask/val_*.tif
      echo "--pore-value 0 --geometry all" > "$d/train-options"
      echo "--pore-value 0" > "$d/test-options" ;;
    *) echo "bench-real: unknown set '$s' (isbi, epfl, catalyst)" >&2; exit 2 ;;
  esac
}

for s in $sets; do
  d="$work/$s"
  prepare "$s"
  mask() { if [ -e "$d/$1/mask.tif" ]; then echo "$d/$1/mask.tif"; else echo "$d/$1/mask"; fi; }
  testmask="$(mask test)"
  for arch in unet paper; do
    echo "bench-real: $s: training $arch ($epochs epochs x $steps steps x batch $batch)" >&2
    train_model "$arch" "$d/$arch" "$d/$arch.log" --images "$d/train/image" --masks "$(mask train)" \
      --val "$d/val/image:$(mask val)" $(cat "$d/train-options")
  done
  "$ps" bench quality --test "$d/test/image:$testmask" --otsu --model "$d/unet" --model "$d/paper" \
    $(cat "$d/test-options") | tee "$d/quality.txt"
  "$ps" bench quality --json --test "$d/test/image:$testmask" --otsu --model "$d/unet" --model "$d/paper" \
    $(cat "$d/test-options") > "$d/quality.json"
done
