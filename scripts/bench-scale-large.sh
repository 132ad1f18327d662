#!/usr/bin/env bash
# Scale selection on large slices: the bundled model with its default scales (enlarged 3x and 2x,
# factors 1, 2, 3, 4, 6, 8, 12, 16) against the same weights selecting among factors 1-8 only (the
# default until the eleventh session of 2026-12-07), on synthetic stacks of 1024-2048 px: the fixed model with pores up to 12x larger in
# pixels than in training, with and without back walls that shine through bright (`synth
# --appearance wallGain=...`), at its training scale on 2048 px slices (where a false jump to a
# coarse factor would show), and domain-randomised draws. Prints a Markdown table: per stack the
# factor chosen and the pore F1 (`poreseg evaluate`, inside the particle for randomised stacks in
# particle mode) for both, and the sample's median porosity per factor.
#
#   scripts/bench-scale-large.sh [WORK_DIR]
#
# Env: PORESEG (the launcher), QUICK=1 (8 of the 43 stacks: the bright-wall ones and three at the
# training scale; about 10 minutes), STACKS (a file of lines "NAME SYNTH-ARGS...", replacing the
# built-in list). The full list takes about 50 minutes on 2 cores (fp32). Needs python3.
# docs/net.md ("Factors 12 and 16 on large slices") has the numbers.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ps="${PORESEG:-$here/poreseg}"
work="${1:-$here/target/bench-scale-large}"
mkdir -p "$work"

# the same weights choosing among factors 1-8
base="$work/model-1-8"
mkdir -p "$base"
cp "$here/src/main/resources/poreseg/models/default/params.bin" "$base/"
python3 - "$here/src/main/resources/poreseg/models/default/model.json" "$base/model.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m['inference_scales'] = [f for f in m['inference_scales'] if 1 <= f <= 8]
json.dump(m, open(sys.argv[2], 'w'), indent=1)
PY

list="$work/stacks.txt"
if [ -n "${STACKS:-}" ]; then
  cp "$STACKS" "$list"
else
  cat > "$list" <<'LIST'
w1-p26 --size 1152 --slices 6 --voxel 1,1,15 --porosity 0.26 --seed 81 --appearance wallGain=1.3
w1-p17 --size 1152 --slices 3 --voxel 1,1,15 --porosity 0.17 --seed 78 --appearance wallGain=1.3
g1-p26 --size 1152 --slices 3 --voxel 1,1,15 --porosity 0.26 --seed 79 --appearance wallGain=0.9
w1.25 --size 1536 --slices 3 --voxel 1.25,1.25,15 --porosity 0.22 --seed 80 --appearance wallGain=1.1
w0.75 --size 1536 --slices 3 --voxel 0.75,0.75,15 --porosity 0.30 --seed 81 --appearance wallGain=1.3
w1-p34 --size 1536 --slices 3 --voxel 1,1,15 --porosity 0.34 --seed 82 --appearance wallGain=1.0
n9-2048 --size 2048 --slices 3 --voxel 9,9,15 --porosity 0.26 --seed 77
n6-2048 --size 2048 --slices 3 --voxel 6,6,15 --porosity 0.26 --seed 82
LIST
  if [ "${QUICK:-0}" != 1 ]; then
    cat >> "$list" <<'LIST'
g1-p10 --size 1152 --slices 3 --voxel 1,1,15 --porosity 0.10 --seed 83 --appearance wallGain=0.9
v1 --size 1152 --slices 3 --voxel 1,1,15 --porosity 0.26 --seed 77 --appearance voidLevel=0.25
w1.5 --size 1536 --slices 3 --voxel 1.5,1.5,15 --porosity 0.26 --seed 77 --appearance wallGain=1.3
w2 --size 1152 --slices 3 --voxel 2,2,15 --porosity 0.34 --seed 79 --appearance wallGain=1.3
w3 --size 1152 --slices 3 --voxel 3,3,15 --porosity 0.26 --seed 78 --appearance wallGain=1.3
w4.5 --size 1024 --slices 3 --voxel 4.5,4.5,15 --porosity 0.22 --seed 77 --appearance wallGain=1.3
w9 --size 1024 --slices 3 --voxel 9,9,15 --porosity 0.26 --seed 79 --appearance wallGain=1.3
n0.75 --size 1536 --slices 3 --voxel 0.75,0.75,15 --porosity 0.26 --seed 77
n1 --size 1152 --slices 3 --voxel 1,1,15 --porosity 0.17 --seed 78
n1.5 --size 1536 --slices 3 --voxel 1.5,1.5,15 --porosity 0.34 --seed 77
n2 --size 1152 --slices 3 --voxel 2,2,15 --porosity 0.26 --seed 78
n3 --size 1152 --slices 3 --voxel 3,3,15 --porosity 0.17 --seed 77
n4.5 --size 1536 --slices 3 --voxel 4.5,4.5,15 --porosity 0.30 --seed 79
n6 --size 1536 --slices 3 --voxel 6,6,15 --porosity 0.22 --seed 78
n9-p10 --size 1024 --slices 3 --voxel 9,9,15 --porosity 0.10 --seed 78
n12 --size 1024 --slices 3 --voxel 12,12,15 --porosity 0.22 --seed 78
n9-2048-p10 --size 2048 --slices 3 --voxel 9,9,15 --porosity 0.10 --seed 80
n9-2048-p34 --size 2048 --slices 3 --voxel 9,9,15 --porosity 0.34 --seed 81
n7.5-2048 --size 2048 --slices 3 --voxel 7.5,7.5,15 --porosity 0.15 --seed 83
n12-2048 --size 2048 --slices 3 --voxel 12,12,15 --porosity 0.30 --seed 84
n18-2048 --size 2048 --slices 3 --voxel 18,18,15 --porosity 0.20 --seed 85
n4-2048 --size 2048 --slices 3 --voxel 4,4,15 --porosity 0.20 --seed 86
n3-2048 --size 2048 --slices 3 --voxel 3,3,15 --porosity 0.30 --seed 87
LIST
    for s in 9301 9302 9303 9304 9305 9306 9307 9308; do echo "r$s --randomize --size 1024 --slices 3 --seed $s" >> "$list"; done
    for s in 9309 9310 9311 9312; do echo "r$s --randomize --size 1536 --slices 3 --seed $s" >> "$list"; done
  fi
fi

echo "| stack | factors 1-8: factor, F1 | default (1/3, 1/2, 1-16): scale, F1 | true porosity | median porosity per scale (1/3, 1/2, 1-16) |"
echo "|---|---|---|---|---|"
while read -r name args; do
  [ -z "$name" ] && continue
  d="$work/$name"
  # shellcheck disable=SC2086
  [ -f "$d/image.tif" ] || "$ps" synth "$d" $args --force > /dev/null
  roi=()
  [ -f "$d/particle.tif" ] && roi=(--roi "$d/particle.tif")
  cells=()
  for m in "$base" default; do
    tag=$([ "$m" = default ] && echo default || echo base)
    "$ps" segment "$d/image.tif" "$d/seg-$tag.tif" --model "$m" --force --json > "$d/seg-$tag.json" 2> "$d/seg-$tag.log"
    "$ps" evaluate "$d/seg-$tag.tif" "$d/truth.tif" "${roi[@]}" --json "$d/ev-$tag.json" --force > /dev/null
    cells+=("$(python3 -c "import json,sys; s=json.load(open(sys.argv[1])); e=json.load(open(sys.argv[2]))['total']; print('%s, %.3f' % (s['scale'], e['f1']))" "$d/seg-$tag.json" "$d/ev-$tag.json")")
  done
  extra=$(python3 -c "
import json,sys
s=json.load(open(sys.argv[1])); e=json.load(open(sys.argv[2]))['total']
print('%.3f | %s' % (e['porosity_truth'], ' '.join('-' if x is None else '%.3f' % x for x in s['scale_porosities'])))" "$d/seg-default.json" "$d/ev-default.json")
  echo "| $name | ${cells[0]} | ${cells[1]} | $extra |"
done < "$list"
