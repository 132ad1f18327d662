#!/usr/bin/env python3
"""An independent FIB-SEM renderer of porous ceramics, for zero-shot checks of pore models.

Written apart from `poreseg synth` (no code, parameters or structure models shared) so that a model
trained on poreseg's generator can be scored on images it could not have learned the look of: the
issue's "synthetic stack from a generator other than poreseg synth". NumPy, SciPy and Pillow.

    scripts/fibsem_render.py OUT_DIR --seed N [--size 256] [--slices 8] [--family sintered|closed|field]
                             [--porosity P] [--grain R] [--look plain|shine|hard] [--tilt DEG]

Writes OUT_DIR/image.tif (8-bit multi-page, pores dark), OUT_DIR/truth.tif (255 = pore in the cut
plane) and OUT_DIR/params.json. Unset options are drawn from the seed.

The structure is a 3D voxel volume (isotropic voxels, one voxel per slice step):
  sintered  overlapping spheres (grains) until the porosity is reached: intergranular pores
  closed    a dense matrix with spherical pores of log-normal radii, a few of them large voids
  field     a thresholded Gaussian random field: rounded, interconnected pores
The solid is split into grains (3D Voronoi cells) with their own channelling grey level.

Each slice is the cut face of the block at depth z. A solid pixel shows its grain's grey level,
brightened within a few pixels of a pore (the edge effect at the rim of the cut). A pore pixel shows
what lies behind the face: the first solid voxel along +z (into the unmilled block) at depth d,
as bright as wall_gain * exp(-d / decay) of the solid, shaded by the slope of that wall (walls
that face the detector are brighter), over a dark floor. Then probe blur, curtaining stripes along
the milling direction (a slight angle), a charging/shading gradient, shot and read noise and 8-bit
quantisation with a random gain and offset.

--tilt DEG (default 0: the view along the milling direction) sees the back walls along a ray tilted
by DEG in y, as the SEM column at an angle to the FIB sees them: a pore shows the wall below its
opening, shifted by depth x tan(DEG) pixels (38 for a 52-degree FIB-SEM). It draws nothing from the
seed, so a seed renders the same structure and look at every tilt.
"""
import argparse
import json
import os

import numpy as np
from PIL import Image
from scipy import ndimage
from scipy.spatial import cKDTree


def sphere_paint(vol, centres, radii, value):
    Z, Y, X = vol.shape
    for (cz, cy, cx), r in zip(centres, radii):
        r = float(r)
        z0, z1 = max(0, int(cz - r)), min(Z, int(cz + r) + 1)
        y0, y1 = max(0, int(cy - r)), min(Y, int(cy + r) + 1)
        x0, x1 = max(0, int(cx - r)), min(X, int(cx + r) + 1)
        if z0 >= z1 or y0 >= y1 or x0 >= x1:
            continue
        zz, yy, xx = np.ogrid[z0:z1, y0:y1, x0:x1]
        inside = (zz - cz) ** 2 + (yy - cy) ** 2 + (xx - cx) ** 2 <= r * r
        vol[z0:z1, y0:y1, x0:x1][inside] = value


def structure(rng, family, shape, porosity, grain):
    """Boolean volume, True = solid."""
    Z, Y, X = shape
    n_vox = Z * Y * X
    if family == "field":
        f = ndimage.gaussian_filter(rng.standard_normal(shape).astype(np.float32), grain * 0.6, mode="wrap")
        t = np.quantile(f, porosity)
        return f > t
    if family == "sintered":
        solid = np.zeros(shape, bool)
        # grains overlap (sintering necks); add batches until the pore fraction is reached
        while True:
            pore = 1.0 - solid.mean()
            if pore <= porosity:
                break
            # expected batch to close about half of the remaining gap
            mean_vol = 4.19 * grain ** 3
            n = max(1, int(0.5 * (pore - porosity) * n_vox / mean_vol))
            c = rng.uniform([-grain, -grain, -grain], [Z + grain, Y + grain, X + grain], size=(n, 3))
            r = grain * rng.lognormal(0.0, 0.25, size=n)
            sphere_paint(solid, c, r, True)
        return solid
    # closed: a dense matrix with round pores (a few large voids)
    solid = np.ones(shape, bool)
    big = rng.uniform(0.0, 0.5)  # share of the porosity in large voids
    while True:
        pore = 1.0 - solid.mean()
        if pore >= porosity:
            break
        large = rng.random() < big
        rmean = grain * (2.5 if large else 0.6)
        n = max(1, int(0.5 * (porosity - pore) * n_vox / (4.19 * rmean ** 3)))
        c = rng.uniform([0, 0, 0], [Z, Y, X], size=(n, 3))
        r = rmean * rng.lognormal(0.0, 0.35, size=n)
        sphere_paint(solid, c, r, False)
    return solid


def grains(rng, shape, size):
    """Grain label per voxel: nearest of random seeds (3D Voronoi)."""
    Z, Y, X = shape
    n = max(8, int(Z * Y * X / (size ** 3)))
    seeds = rng.uniform([0, 0, 0], [Z, Y, X], size=(n, 3))
    tree = cKDTree(seeds)
    zz, yy, xx = np.meshgrid(np.arange(Z), np.arange(Y), np.arange(X), indexing="ij")
    _, lab = tree.query(np.stack([zz.ravel(), yy.ravel(), xx.ravel()], 1).astype(np.float32), workers=-1)
    return lab.reshape(shape), n


def tilted(solid, lab, grey, slices, depth, t):
    """Depth and grey of the first solid voxel behind each pixel of the first `slices` cut faces, along
    a ray that moves t pixels in y per voxel of depth (clamped at the volume's edge)."""
    Z, H, W = solid.shape
    dist = np.full((slices, H, W), depth, np.float32)
    wall = np.full((slices, H, W), 0.75, np.float32)
    rows = np.arange(H)
    for z in range(slices):
        found = solid[z].copy()
        dist[z][found] = 0
        wall[z][found] = grey[lab[z]][found]
        for k in range(1, min(depth, Z - z)):
            ys = np.clip(rows + int(round(k * t)), 0, H - 1)
            hit = solid[z + k][ys, :] & ~found
            dist[z][hit] = k
            wall[z][hit] = grey[lab[z + k][ys, :]][hit]
            found |= hit
    return dist, wall


def curtain(rng, size, amp, angle):
    """Stripes along y (the milling direction), tilted by angle radians: a 1/f profile across x."""
    n = size * 3
    spec = rng.standard_normal(n) + 1j * rng.standard_normal(n)
    k = np.fft.fftfreq(n)
    spec /= np.maximum(np.abs(k), 1.0 / n) ** 0.7
    spec[np.abs(k) > 0.25] = 0
    prof = np.fft.ifft(spec).real
    prof = (prof - prof.mean()) / (prof.std() + 1e-9)
    # sparse strong stripes on top
    for _ in range(rng.integers(0, 6)):
        x = rng.integers(0, n)
        w = rng.integers(1, 4)
        prof[x:x + w] += rng.normal(0, 2.5)
    yy, xx = np.mgrid[0:size, 0:size]
    pos = (xx + np.tan(angle) * yy + size).astype(int) % n
    return amp * prof[pos]


def render(args):
    rng = np.random.default_rng(args.seed)
    family = args.family or rng.choice(["sintered", "closed", "field"])
    porosity = args.porosity if args.porosity is not None else float(rng.uniform(0.08, 0.38))
    grain = args.grain if args.grain is not None else float(np.exp(rng.uniform(np.log(6), np.log(22))))
    look = args.look or rng.choice(["plain", "shine", "hard"])
    p = {
        "plain": dict(wall_gain=(0.2, 0.6), decay=(2, 6), edge=(0.05, 0.25)),
        "shine": dict(wall_gain=(0.6, 1.0), decay=(4, 15), edge=(0.1, 0.4)),
        "hard": dict(wall_gain=(0.8, 1.25), decay=(6, 25), edge=(0.15, 0.5)),
    }[look]
    wall_gain = float(rng.uniform(*p["wall_gain"]))
    decay = float(rng.uniform(*p["decay"])) * grain / 8  # in voxels, scaled with the structure
    edge = float(rng.uniform(*p["edge"]))
    floor = float(rng.uniform(0.0, 0.15))
    shade = float(rng.uniform(0.2, 0.8))
    blur = float(rng.uniform(0.5, 1.4))
    curtain_amp = float(rng.uniform(0.0, 0.08))
    angle = float(rng.normal(0, 0.05))
    dose = float(np.exp(rng.uniform(np.log(15), np.log(200))))
    read = float(rng.uniform(0.0, 0.04))
    gamma = float(rng.uniform(0.8, 1.25))
    grain_contrast = float(rng.uniform(0.02, 0.15))

    size, slices = args.size, args.slices
    depth = int(min(96, 6 * decay + 4))
    margin = 4
    shape = (slices + depth, size + 2 * margin, size + 2 * margin)
    solid = structure(rng, family, shape, porosity, grain)
    lab, n_grains = grains(rng, shape, grain * float(rng.uniform(1.0, 2.5)))
    grey = 0.75 + grain_contrast * rng.standard_normal(n_grains)

    # depth to the first solid voxel behind each pore voxel (along +z), capped
    dist = np.full(shape, depth, np.float32)
    dist[-1] = np.where(solid[-1], 0, depth)
    for z in range(shape[0] - 2, -1, -1):
        dist[z] = np.where(solid[z], 0, np.minimum(dist[z + 1] + 1, depth))
    # the grey of the wall that is seen: the grain of the first solid voxel behind
    wall_grey = np.zeros(shape, np.float32)
    first = np.where(solid[-1], grey[lab[-1]], 0.75)
    wall_grey[-1] = first
    for z in range(shape[0] - 2, -1, -1):
        first = np.where(solid[z], grey[lab[z]], first)
        wall_grey[z] = first

    if args.tilt:
        dist, wall_grey = tilted(solid, lab, grey, slices, depth, np.tan(np.radians(args.tilt)))

    images, truths = [], []
    bg = rng.uniform(-1, 1, size=3)
    yy, xx = np.mgrid[0:size, 0:size] / size - 0.5
    gradient = 1 + 0.15 * (bg[0] * xx + bg[1] * yy + bg[2] * (xx ** 2 + yy ** 2))
    cur = curtain(rng, size, curtain_amp, angle)
    for z in range(slices):
        s = solid[z]
        d = dist[z]
        # wall slope: walls whose depth grows towards the detector side (+x) look brighter
        dz = ndimage.gaussian_filter(d, 1.0)
        slope = np.clip(np.gradient(dz, axis=1) + 0.5 * np.gradient(dz, axis=0), -2, 2) / 2
        wall = wall_gain * wall_grey[z] * np.exp(-d / decay) * (1 + shade * slope)
        pore_val = floor + (1 - floor) * np.clip(wall, 0, 1.3)
        img = np.where(s, grey[lab[z]], pore_val).astype(np.float32)
        # edge effect: solid next to a pore glows
        dpore = ndimage.distance_transform_edt(s)
        img = img + edge * np.exp(-(dpore - 1) / 1.5) * s
        img = ndimage.gaussian_filter(img, blur)
        img = img[margin:-margin, margin:-margin]
        img = img * gradient + cur
        img = np.clip(img, 0, None) ** gamma
        img = rng.poisson(np.clip(img, 0, None) * dose) / dose + read * rng.standard_normal(img.shape)
        images.append(img)
        truths.append(~s[margin:-margin, margin:-margin])
    stack = np.stack(images)
    lo, hi = np.quantile(stack, [rng.uniform(0.0, 0.01), rng.uniform(0.995, 1.0)])
    lo8, hi8 = rng.uniform(0, 40), rng.uniform(190, 255)
    out8 = np.clip((stack - lo) / (hi - lo) * (hi8 - lo8) + lo8, 0, 255).round().astype(np.uint8)
    truth = np.stack(truths)
    os.makedirs(args.out, exist_ok=True)
    save(os.path.join(args.out, "image.tif"), out8)
    save(os.path.join(args.out, "truth.tif"), (truth * 255).astype(np.uint8))
    params = dict(seed=args.seed, family=str(family), look=str(look), porosity_target=porosity,
                  porosity=float(truth.mean()), grain_px=grain, wall_gain=wall_gain, decay_px=decay,
                  edge=edge, floor=floor, shade=shade, blur=blur, curtain=curtain_amp, angle=angle,
                  dose=dose, read=read, gamma=gamma, grain_contrast=grain_contrast,
                  size=size, slices=slices, tilt=args.tilt)
    with open(os.path.join(args.out, "params.json"), "w") as f:
        json.dump(params, f, indent=1)
    return params


def save(path, stack):
    pages = [Image.fromarray(a) for a in stack]
    pages[0].save(path, save_all=True, append_images=pages[1:])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--slices", type=int, default=8)
    ap.add_argument("--family", choices=["sintered", "closed", "field"])
    ap.add_argument("--porosity", type=float)
    ap.add_argument("--grain", type=float, help="grain / pore radius in pixels")
    ap.add_argument("--look", choices=["plain", "shine", "hard"])
    ap.add_argument("--tilt", type=float, default=0.0, help="view tilt in degrees (see above; default 0)")
    print(json.dumps(render(ap.parse_args())))


if __name__ == "__main__":
    main()
