#!/usr/bin/env python3
"""Cross-checks `poreseg evaluate` against NumPy on independent data (not part of the unit tests).

Usage: scripts/validate_evaluate.py [TRUTH.tif --pore-value V]
Without arguments it makes a random 3-slice volume. With a truth stack (e.g. the 128-slice NMC volume of
../shared/datasets/nmc-microstructure, 0 = pore) it flips ~5 % of voxels to make a prediction.
Needs numpy and tifffile. Prints the largest absolute difference of every score.
"""
import json, subprocess, sys, tempfile, os
import numpy as np
import tifffile

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(1)
args = sys.argv[1:]
pore_value = None
if args:
    truth_raw = tifffile.imread(args[0])
    if "--pore-value" in args:
        pore_value = float(args[args.index("--pore-value") + 1])
    truth = truth_raw == pore_value if pore_value is not None else truth_raw == truth_raw.max()
else:
    truth = rng.random((3, 97, 131)) < 0.3
flip = rng.random(truth.shape) < 0.05
pred = truth ^ flip
prob = np.clip(np.where(pred, 0.8, 0.2) + rng.normal(0, 0.1, truth.shape), 0, 1).astype(np.float32)
roi = np.ones(truth.shape, bool)
roi[:, : truth.shape[1] // 5, :] = False

def enc(mask):  # same encoding as the input truth when a pore value is given, else 0/255
    if pore_value is None:
        return (mask * 255).astype(np.uint8)
    other = 1 if pore_value == 0 else 0
    return np.where(mask, pore_value, other).astype(np.uint8)

d = tempfile.mkdtemp()
for name, arr in [("pred", enc(pred)), ("truth", enc(truth)), ("prob", prob), ("roi", (roi * 255).astype(np.uint8))]:
    tifffile.imwrite(os.path.join(d, name + ".tif"), arr, imagej=True, photometric="minisblack")
cmd = [os.path.join(here, "..", "poreseg"), "evaluate", d + "/pred.tif", d + "/truth.tif", "--prob", d + "/prob.tif",
       "--roi", d + "/roi.tif", "--json"]
if pore_value is not None:
    cmd += ["--pore-value", str(pore_value)]
out = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)

def scores(p, t, q, r):
    p, t, q = p[r], t[r], q[r]
    tp = np.sum(p & t, dtype=np.int64); fp = np.sum(p & ~t, dtype=np.int64)
    fn = np.sum(~p & t, dtype=np.int64); tn = np.sum(~p & ~t, dtype=np.int64)
    n = tp + fp + fn + tn
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "accuracy": (tp + tn) / n, "precision": tp / (tp + fp),
            "recall": tp / (tp + fn), "f1": 2 * tp / (2 * tp + fp + fn), "iou": tp / (tp + fp + fn),
            "mse": np.mean((q.astype(np.float64) - t) ** 2), "porosity_predicted": (tp + fp) / n,
            "porosity_truth": (tp + fn) / n}

worst = {}
ref = scores(pred, truth, prob, roi)
for k, v in ref.items():
    worst[k] = abs(out["total"][k] - float(v))
for z in range(truth.shape[0]):
    ref = scores(pred[z], truth[z], prob[z], roi[z])
    for k, v in ref.items():
        worst[k] = max(worst[k], abs(out["slices"][z][k] - float(v)))
print(f"volume {truth.shape} (z, y, x), {int(roi.sum())} voxels in ROI")
for k, v in worst.items():
    print(f"  {k:20s} max |poreseg - numpy| = {v:.3g}")
sys.exit(0 if max(worst.values()) < 1e-9 else 1)
