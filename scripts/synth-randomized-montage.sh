#!/usr/bin/env bash
# Makes docs/img/synth-randomized.png: slice 0 of eight domain-randomised synthetic stacks
# (`poreseg synth --randomize`, seeds 1-8, 256x256x2) and their truth, beside 192x192 crops of real
# labelled slices from ../shared/datasets (catalyst-stem, sandstone-xrm, membrane-pores, EPFL FIB-SEM)
# and their masks; without ../shared only the synthetic rows. About 30 s on 2 cores. Needs python3 + numpy.
# Usage: scripts/synth-randomized-montage.sh [OUT.png]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ps="$here/poreseg"
out="${1:-$here/docs/img/synth-randomized.png}"
data="$here/../shared/datasets"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dirs=()
for s in 1 2 3 4 5 6 7 8; do
  "$ps" synth "$work/r$s" --randomize --seed "$s" --size 256 --slices 2 --json > /dev/null
  dirs+=("$work/r$s")
done
real=-
if [ -d "$data" ]; then
  # real slices and masks re-written by poreseg as plain TIFFs (the montage's reader is minimal); masks 255 = class
  r="$work/real"; mkdir -p "$r"; real="$r"
  thr() { "$ps" threshold "$1" "$2" --method hysteresis --weak "$3" --strong "$3" ${4:-} > /dev/null; }
  pre() { "$ps" preprocess "$1" "$2" --steps stretch=0:100 > /dev/null; }
  pre "$data/catalyst-stem/image/train_020.tif" "$r/1-image.tif"; thr "$data/catalyst-stem/mask/train_020.tif" "$r/1-mask.tif" 0.5 --dark
  pre "$data/sandstone-xrm/images/Sandstone_Versa0200.tif" "$r/2-image.tif"; thr "$data/sandstone-xrm/derived/pore_binary/Sandstone_Versa0200.png" "$r/2-mask.tif" 127
  pre "$data/membrane-pores/1.tif" "$r/3-image.tif"; thr "$data/membrane-pores/1_ground_truth.tif" "$r/3-mask.tif" 200 --dark
  e="$(ls "$data/epfl-fibsem-mito/train/image" | head -1)"
  pre "$data/epfl-fibsem-mito/train/image/$e" "$r/4-image.tif"; thr "$data/epfl-fibsem-mito/train/mask/$e" "$r/4-mask.tif" 127
fi
python3 "$here/docs/tools/randomized_montage.py" "$out" "$real" "${dirs[@]}"
