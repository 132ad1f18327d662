"""Generates src/main/resources/poreseg/morpho/mc_lewiner.txt: the triangles that
skimage.measure.marching_cubes (Lewiner, level 0.5) produces for each of the 256 binary 2x2x2
configurations. On binary data every vertex lies at an edge midpoint, so the mesh of a whole
volume is the union of these per-cube triangles and its area is a sum over the configuration
histogram. Config bit of corner (x, y, z) is x + 2y + 4z. Each line: config, then triangles as
9 integers (2x, 2y, 2z of three vertices), oriented with the normal pointing out of the pore (1s).
"""
import numpy as np
from skimage.measure import marching_cubes
import skimage, sys

out = []
for c in range(256):
    a = np.zeros((2, 2, 2), dtype=np.float64)  # indexed [z, y, x]
    for z in range(2):
        for y in range(2):
            for x in range(2):
                if c >> (x + 2 * y + 4 * z) & 1:
                    a[z, y, x] = 1.0
    tris = []
    if 0 < c < 255:
        verts, faces, normals, _ = marching_cubes(a, 0.5, method='lewiner')
        for f in faces:
            p = [verts[i][::-1] for i in f]  # (x, y, z)
            n = np.cross(p[1] - p[0], p[2] - p[0])
            # orientation: the triangle normal must point away from pore corners; use the
            # gradient: value at centroid + eps*n should be lower (trilinear interpolation)
            cen = (p[0] + p[1] + p[2]) / 3
            def tri(q):
                x, y, z = q
                v = 0
                for zz in range(2):
                    for yy in range(2):
                        for xx in range(2):
                            w = (x if xx else 1 - x) * (y if yy else 1 - y) * (z if zz else 1 - z)
                            v += w * a[zz, yy, xx]
                return v
            nn = n / np.linalg.norm(n)
            if tri(cen + 1e-3 * nn) > tri(cen - 1e-3 * nn):
                p = [p[0], p[2], p[1]]
            v = []
            for q in p:
                v += [int(round(2 * t)) for t in q]
            tris.append(v)
    out.append(str(c) + (' ' if tris else '') + ' '.join(' '.join(map(str, t)) for t in tris))
with open(sys.argv[1], 'w') as f:
    f.write('# skimage %s marching_cubes lewiner level 0.5; config x+2y+4z; triangles as 2x 2y 2z per vertex\n' % skimage.__version__)
    f.write('\n'.join(out) + '\n')
