"""Writes src/test/resources/morpho/random_mc.tif (a 0/255 random volume, 40 % pore, z-y-x
24x22x20) and random_mc.json with scikit-image's marching-cubes area for spacing (z, y, x) =
(15, 9, 9) and (1, 1, 1), plus SciPy's component counts and max EDT: a golden case full of
ambiguous marching-cubes configurations."""
import json, sys
import numpy as np, scipy, scipy.ndimage as ndi, skimage, tifffile
from skimage.measure import marching_cubes, mesh_surface_area

rng = np.random.default_rng(0)
a = (rng.random((20, 22, 24)) < 0.4)
out = sys.argv[1]
tifffile.imwrite(out + '/random_mc.tif', (a * 255).astype(np.uint8), imagej=True)
res = {'generator': 'tools/make_mc_golden.py', 'skimage': skimage.__version__, 'scipy': scipy.__version__,
       'pore_voxels': int(a.sum()),
       'components_6': int(ndi.label(a, ndi.generate_binary_structure(3, 1))[1]),
       'components_26': int(ndi.label(a, np.ones((3, 3, 3)))[1]), 'cases': []}
for sp in [(15.0, 9.0, 9.0), (1.0, 1.0, 1.0)]:
    v, f, _, _ = marching_cubes(a.astype(np.float64), 0.5, spacing=sp, method='lewiner')
    res['cases'].append({'spacing_zyx': sp, 'surface_area_marching_cubes': float(mesh_surface_area(v, f)),
                         'max_edt': float(ndi.distance_transform_edt(a, sampling=sp).max())})
json.dump(res, open(out + '/random_mc.json', 'w'), indent=1)
