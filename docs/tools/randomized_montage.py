#!/usr/bin/env python3
"""Montage of domain-randomised synthetic stacks beside real labelled slices (docs/img/synth-randomized.png).

Made by scripts/synth-randomized-montage.sh (numpy only). Usage:
  randomized_montage.py OUT.png DATASETS_DIR|- SYNTH_DIR...
Top row: slice 0 of each randomised stack as stored (raw grey values / 257, no stretch, so contrast,
polarity, 8-bit saturation and shading show as they are); second row: its truth (white = pore).
Bottom rows (when DATASETS_DIR exists): 256 x 256 crops of real labelled slices and their pore masks.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from synth_montage import read_tif, write_png  # noqa: E402

TILE = 192
GAP = 4


def fit(a):
    """Crop or pad to TILE x TILE (top-left crop; images are at least that large here)."""
    out = np.zeros((TILE, TILE))
    h, w = min(TILE, a.shape[0]), min(TILE, a.shape[1])
    out[:h, :w] = a[:h, :w]
    return out


def real_tiles(d):
    """(image, mask) pairs written by scripts/synth-randomized-montage.sh: N-image.tif, N-mask.tif (255 = class)."""
    out = []
    for n in sorted(f for f in os.listdir(d) if f.endswith('-image.tif')):
        img = read_tif(os.path.join(d, n))[0].astype(float)
        m = read_tif(os.path.join(d, n.replace('-image', '-mask')))[0].astype(float)
        y0, x0 = (img.shape[0] - TILE) // 2, (img.shape[1] - TILE) // 2
        out.append((img[y0:y0 + TILE, x0:x0 + TILE], m[y0:y0 + TILE, x0:x0 + TILE]))
    return out


def main():
    out_png, datasets, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
    top, bottom = [], []
    for d in dirs:
        img = read_tif(os.path.join(d, 'image.tif'))[0].astype(float) / 257
        truth = read_tif(os.path.join(d, 'truth.tif'))[0].astype(float)
        top.append((fit(img), fit(truth)))
        t = json.load(open(os.path.join(d, 'truth.json')))
        a = t.get('appearance', {})
        fam = [n for n, on in (('intra', a.get('intraShare', 0) > 0), ('voids', a.get('voidGrains', 0) > 0),
                               ('cracks', a.get('crackWidth', 0) > 0), ('open', a.get('openPores', 0) > 0)) if on]
        print('%s: voxel %.1f nm, porosity %.3f, %s, %d-bit%s, gamma %.2f, psf %.0f nm, families network+%s' % (
            os.path.basename(d), t['parameters']['voxel_size'][0], t['truth']['porosity'], t['parameters']['mode'],
            a.get('bits', 16), ', inverted' if a.get('inverted') else '', a.get('gamma', 1), a.get('psfNm', 8),
            '+'.join(fam) or 'none'))
    if datasets != '-' and os.path.isdir(datasets):
        bottom = real_tiles(datasets)
    cols = max(len(top), 2 * len(bottom))
    rows = 2 + (1 if bottom else 0)
    canvas = np.full((rows * (TILE + GAP), cols * (TILE + GAP)), 255.0)
    for i, (img, truth) in enumerate(top):
        canvas[0:TILE, i * (TILE + GAP):i * (TILE + GAP) + TILE] = img
        canvas[TILE + GAP:2 * TILE + GAP, i * (TILE + GAP):i * (TILE + GAP) + TILE] = truth
    for i, (img, mask) in enumerate(bottom):
        lo, hi = np.percentile(img, [0.5, 99.5])
        y = 2 * (TILE + GAP)
        x = 2 * i * (TILE + GAP)
        canvas[y:y + TILE, x:x + TILE] = np.clip((img - lo) / max(hi - lo, 1e-9) * 255, 0, 255)
        canvas[y:y + TILE, x + TILE + GAP:x + 2 * TILE + GAP] = mask
    write_png(out_png, canvas)
    print('wrote', out_png)


if __name__ == '__main__':
    main()
