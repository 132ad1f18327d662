#!/usr/bin/env bash
# Benchmark of poreseg-spark against the single-machine command on the same stacks:
#   [REPEAT=1] spark/bench-spark.sh [STACKS=4] [SIZE=256] [SLICES=16] [WORK=spark/target/bench-spark]
# Makes STACKS synthetic stacks (poreseg synth, SIZE x SIZE x SLICES), runs './poreseg analyze --quick'
# on each (one JVM per stack, as a user would), then 'spark/poreseg-spark analyze --quick' on all of
# them with --master local[1] and local[2], and prints a Markdown table: wall time, the job's own time
# (Spark: after the session has started; single: analyze's own 'seconds.total', without JVM start),
# slices per second, the overhead per stack against the single-machine analysis, and what a
# 100-stack batch of this size would take per executor core. With REPEAT=R every run is repeated R
# times, interleaved, and the fastest of each is reported (the machine may be shared).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
n="${1:-4}"; size="${2:-256}"; slices="${3:-16}"; repeat="${REPEAT:-1}"; work="${4:-$here/target/bench-spark}"
rm -rf "$work"; mkdir -p "$work/data"
"$root/poreseg" --version >/dev/null
"$here/poreseg-spark" --version >/dev/null
echo "path,id" > "$work/manifest.csv"
for i in $(seq 1 "$n"); do
  "$root/poreseg" synth "$work/data/s$i" --size "$size" --slices "$slices" --seed "$i" >/dev/null 2>&1
  echo "data/s$i/image.tif,s$i" >> "$work/manifest.csv"
done
total=$((n * slices))
now() { date +%s.%N; }
load0="$(cut -d' ' -f1-3 /proc/loadavg)"

mn() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a < b) ? a : b }'; }
declare -A wall job seg
single_wall=""; single_job=""; single_cnn=""
for rep in $(seq 1 "$repeat"); do
  # single machine: one './poreseg analyze' per stack
  rm -rf "$work/single"
  t0=$(now)
  for i in $(seq 1 "$n"); do
    "$root/poreseg" analyze "$work/data/s$i/image.tif" --out "$work/single/s$i" --quick --json > "$work/single-s$i.json" 2>/dev/null
  done
  t1=$(now)
  single_wall=$(mn "$(echo "$t1 - $t0" | bc -l)" "$single_wall")
  read -r sj sc < <(python3 - "$work" "$n" <<'PY'
import json, sys
w, n = sys.argv[1], int(sys.argv[2])
tot = cnn = 0.0
for i in range(1, n + 1):
    s = json.load(open(f"{w}/single-s{i}.json"))["seconds"]
    tot += s["total"]; cnn += s["cnn"]
print(f"{tot:.2f} {cnn:.2f}")
PY
)
  single_job=$(mn "$sj" "$single_job"); single_cnn=$(mn "$sc" "$single_cnn")
  # runs: local[1], local[2], and local[1] held to one core (one task, one PyTorch thread, one poreseg thread)
  for m in 1 2 1t; do
    rm -rf "$work/spark$m"
    t0=$(now)
    opts="${PORESEG_JAVA_OPTS:-}"
    [ "$m" = 1t ] && opts="$opts -Dporeseg.threads=1 -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1"
    PORESEG_JAVA_OPTS="$opts" "$here/poreseg-spark" analyze "$work/manifest.csv" --out "$work/spark$m" --master "local[${m%t}]" --quick \
      > "$work/spark$m.txt" 2>"$work/spark$m.err"
    t1=$(now)
    wall[$m]=$(mn "$(echo "$t1 - $t0" | bc -l)" "${wall[$m]:-}")
    job[$m]=$(mn "$(sed -n 's/.* failed, in \([0-9.]*\) s;.*/\1/p' "$work/spark$m.txt")" "${job[$m]:-}")
    seg[$m]=$(mn "$(python3 - "$work/spark$m/summary.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert all(r["status"] == "ok" for r in rows), rows
print(f'{sum(float(r["segment_seconds"]) for r in rows):.2f}')
PY
)" "${seg[$m]:-}")
  done
done
# the same numbers as the single-machine runs?
same=$(python3 - "$work" "$n" <<'PY'
import csv, json, sys
w, n = sys.argv[1], int(sys.argv[2])
ok = []
for m in ("1", "2", "1t"):
    same = True
    rows = {r["id"]: r for r in csv.DictReader(open(f"{w}/spark{m}/summary.csv"))}
    for i in range(1, n + 1):
        s = json.load(open(f"{w}/single-s{i}.json"))
        r = rows[f"s{i}"]
        same &= float(r["porosity"]) == s["porosity"] and float(r["surface_area"]) == s["surface_area"]
    ok.append(f"local[{m}]: {'yes' if same else 'NO'}")
print(", ".join(ok))
PY
)
load1="$(cut -d' ' -f1-3 /proc/loadavg)"
cpu="$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores"

f() { printf '%.1f' "$1"; }
r() { printf '%.2f' "$(echo "$1" | bc -l)"; }
echo
echo "$n stacks of ${size}x${size}x${slices} ($total slices), bundled U-Net, --quick, fastest of $repeat; CPU: $cpu; load average before $load0, after $load1"
echo "numbers identical to the single-machine runs: $same"
echo
echo "| run | wall s | job s | slices/s (job) | slices/s (wall) | segmentation s (summed) | s per stack (job) |"
echo "|---|---:|---:|---:|---:|---:|---:|"
echo "| ./poreseg analyze, one JVM per stack | $(f "$single_wall") | $(f "$single_job") | $(r "$total / $single_job") | $(r "$total / $single_wall") | $(f "$single_cnn") | $(r "$single_job / $n") |"
for m in 1 2 1t; do
  name="poreseg-spark --master local[${m%t}]"; [ "$m" = 1t ] && name="$name, one thread"
  echo "| $name | $(f "${wall[$m]}") | $(f "${job[$m]}") | $(r "$total / ${job[$m]}") | $(r "$total / ${wall[$m]}") | $(f "${seg[$m]}") | $(r "${job[$m]} / $n") |"
done
echo
echo "Spark start-up (wall - job, local[1]): $(r "${wall[1]} - ${job[1]}") s; overhead per stack (local[1] job - single job, per stack): $(r "(${job[1]} - $single_job) / $n") s"
echo "100 stacks of this size on one executor core (local[1], one thread: job time x 100 / $n): $(r "${job[1t]} * 100 / $n / 60") min"
