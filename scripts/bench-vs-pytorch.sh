#!/usr/bin/env bash
# Side-by-side speed of poreseg and PyTorch from Python on this machine, same networks, same threads,
# in one run: `poreseg bench infer|train --json` and scripts/bench-pytorch.py alternate, ROUNDS times,
# and each variant keeps its best round (the least disturbed by other load). Prints a Markdown table
# with the CPU named and two ratios of poreseg's best mode: to PyTorch's best fp32 or bf16 mode (the
# speed issue's modes) and to its best of all, its own int8 included.
#
#   scripts/bench-vs-pytorch.sh            # needs Debian's PyTorch: apt-get install python3-torch
#
# Env: THREADS (default 2), ROUNDS (default 3), STEPS (timed batches, default 5), PYTORCH_MALLOC
# (tuned, the default: PyTorch runs with the launcher's glibc malloc settings; default: without), PYTHON (default
# /usr/bin/python3, the interpreter Debian's python3-torch is installed for), PORESEG (the launcher),
# CASES (default all: "infer:paper:32:256 infer:unet:8:256 train:paper:8:128 train:unet:8:128").
# Takes about 10 minutes on 2 cores. Exits 0 with a note when PyTorch is not installed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ps="${PORESEG:-$here/poreseg}"
py="${PYTHON:-/usr/bin/python3}"
threads="${THREADS:-2}"
rounds="${ROUNDS:-3}"
steps="${STEPS:-5}"
cases="${CASES:-infer:paper:32:256 infer:unet:8:256 train:paper:8:128 train:unet:8:128}"
if ! "$py" -c "import torch" 2>/dev/null; then
  echo "bench-vs-pytorch: PyTorch is not installed for $py (apt-get install python3-torch); nothing measured" >&2
  exit 0
fi
out="$(mktemp)"
one="$(mktemp)"
trap 'rm -f "$out" "$one"' EXIT
# appends the JSON object in $one to $out as one line
append() { "$py" -c "import json,sys; print(json.dumps(json.load(open(sys.argv[1]))))" "$one" >> "$out"; }
export PORESEG_JAVA_OPTS="${PORESEG_JAVA_OPTS:-} -Dporeseg.threads=$threads"
# PyTorch gets the glibc malloc settings that the poreseg launcher sets for itself (docs/net.md, "glibc
# malloc tuning"): without them libtorch faults its activations back in on every batch and runs up to
# 2x slower here, which would flatter poreseg. PYTORCH_MALLOC=default measures it without.
py_env=(env)
if [ "${PYTORCH_MALLOC:-tuned}" != default ]; then
  py_env=(env MALLOC_ARENA_MAX=1 MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=68719476736 MALLOC_TOP_PAD_=1073741824)
fi
for ((r = 1; r <= rounds; r++)); do
  for c in $cases; do
    IFS=: read -r mode arch batch size <<< "$c"
    variants=("--eager" "--precision fp32" "--precision bf16")
    # int8: inference only (training has no int8 arithmetic)
    if [ "$mode" = infer ]; then variants+=("--precision int8"); fi
    for v in "${variants[@]}"; do
      # shellcheck disable=SC2086
      "$ps" bench "$mode" --arch "$arch" --batch "$batch" --size "$size" --steps "$steps" $v --json 2>/dev/null > "$one"
      append
    done
    pv="fp32,fp32-cl,bf16-cl"
    if [ "$mode" = infer ]; then pv="$pv,int8"; fi
    "${py_env[@]}" "$py" "$here/scripts/bench-pytorch.py" "$mode" "$arch" --batch "$batch" --size "$size" --steps "$steps" --threads "$threads" --variants "$pv" >> "$out"
  done
  echo "round $r of $rounds done" >&2
done
"$py" - "$out" "$cases" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip().startswith("{")]
cpu = next((r["cpu"] + " (" + ", ".join(r["cpu_features"]) + ")" for r in rows if "cpu" in r), "?")
torch_engine = next((r["engine"] for r in rows if "variant" in r and "engine" in r), "?")
ours_engine = next((r["engine"] for r in rows if "cpu" in r), "?")
print("CPU: %s; poreseg: %s; PyTorch: %s. Best of the rounds, images/s.\n" % (cpu, ours_engine, torch_engine))
# two ratios of poreseg's best: to PyTorch's best of fp32, fp32 channels-last and bf16 channels-last (the speed
# issue's modes), and to its best of all, its own int8 included
print("| work | poreseg eager fp32 | poreseg kernel fp32 | poreseg kernel bf16 | poreseg kernel int8 | PyTorch fp32 | PyTorch fp32 channels-last | PyTorch bf16 channels-last | PyTorch int8 | ratio to PyTorch fp32/bf16 | ratio to PyTorch best |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for c in sys.argv[2].split():
    mode, arch, batch, size = c.split(":")
    def best(pred):
        v = [r["images_per_second"] for r in rows if r.get("mode") == mode and r.get("batch") == int(batch)
             and r.get("size") == int(size) and r.get("arch", "").startswith(arch) and "images_per_second" in r and pred(r)]
        return max(v) if v else None
    ours = {
        "eager": best(lambda r: "cpu" in r and r.get("path") == "eager"),
        "fp32": best(lambda r: "cpu" in r and r.get("path") == "scripted" and r.get("precision") == "fp32"),
        "bf16": best(lambda r: "cpu" in r and r.get("path") == "scripted" and r.get("precision") == "bf16"),
        "int8": best(lambda r: "cpu" in r and r.get("path") == "scripted" and r.get("precision") == "int8"),
    }
    theirs = {v: best(lambda r, v=v: r.get("variant") == v) for v in ("fp32", "fp32-cl", "bf16-cl", "int8")}
    f = lambda x: "-" if x is None else "%.2f" % x
    ob = max([x for x in ours.values() if x] or [0])
    tb = max([x for x in theirs.values() if x] or [0])
    tf = max([theirs[v] for v in ("fp32", "fp32-cl", "bf16-cl") if theirs[v]] or [0])
    ratio = "%.2fx" % (ob / tb) if ob and tb else "-"
    ratio_f = "%.2fx" % (ob / tf) if ob and tf else "-"
    print("| %s %s, batch %s of %sx%s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (mode, arch, batch, size, size, f(ours["eager"]), f(ours["fp32"]),
          f(ours["bf16"]), f(ours["int8"]), f(theirs["fp32"]), f(theirs["fp32-cl"]), f(theirs["bf16-cl"]), f(theirs["int8"]), ratio_f, ratio))
PY
