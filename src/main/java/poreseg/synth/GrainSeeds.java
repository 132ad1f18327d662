package poreseg.synth;

import poreseg.util.ParameterException;

/**
 * The primary grains: one jittered, weighted seed per unit cell of the warped grain space
 * ({@link RadialWarp}) over the evaluation box; the grains are the cells of the power (weighted
 * Voronoi) diagram of these seeds. Seeds are a hash of their cell, so they do not depend on the box.
 * Immutable.
 */
final class GrainSeeds {
    /** The three nearest seeds of a point: power distances d1 &lt;= d2 &lt;= d3 and cell ids (-1: none). One per thread. */
    static final class Nearest {
        double d1;
        double d2;
        double d3;
        int i1;
        int i2;
        int i3;
    }

    private final int gx0;
    private final int gy0;
    private final int gz0;
    private final int gnx;
    private final int gny;
    private final int gnz;
    private final float[] seeds; // x, y, z, weight per cell (float: 16 bytes per grain cell)

    /** The seeds of every cell that the warped box (sampled on a grid) touches, with a margin of three cells. */
    GrainSeeds(long seed, double[] box, RadialWarp warp) {
        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        int n = 24;
        double[] w = new double[3];
        for (int i = 0; i <= n; i++) {
            for (int j = 0; j <= n; j++) {
                for (int l = 0; l <= n; l++) {
                    warp.warp(box[0] + (box[3] - box[0]) * i / n, box[1] + (box[4] - box[1]) * j / n,
                            box[2] + (box[5] - box[2]) * l / n, w);
                    for (int ax = 0; ax < 3; ax++) {
                        lo[ax] = Math.min(lo[ax], w[ax]);
                        hi[ax] = Math.max(hi[ax], w[ax]);
                    }
                }
            }
        }
        gx0 = (int) Math.floor(lo[0]) - 3;
        gy0 = (int) Math.floor(lo[1]) - 3;
        gz0 = (int) Math.floor(lo[2]) - 3;
        gnx = (int) Math.floor(hi[0]) + 4 - gx0;
        gny = (int) Math.floor(hi[1]) + 4 - gy0;
        gnz = (int) Math.floor(hi[2]) + 4 - gz0;
        long cells = (long) gnx * gny * gnz;
        if (cells > 40_000_000L) {
            throw new ParameterException("volume too large for the grain model (" + cells
                    + " grain cells, at most 40 million: use fewer pixels or slices, or larger voxels)");
        }
        seeds = new float[(int) cells * 4];
        for (int i = 0; i < cells; i++) {
            int ix = i % gnx;
            int iy = (i / gnx) % gny;
            int iz = i / (gnx * gny);
            long h = Hash.mix(seed, 0x5EED, ((long) (ix + gx0) * 73856093L) ^ ((long) (iy + gy0) * 19349663L) ^ ((long) (iz + gz0) * 83492791L));
            seeds[4 * i] = (float) (ix + gx0 + Hash.unit(Hash.mix(h, 1)));
            seeds[4 * i + 1] = (float) (iy + gy0 + Hash.unit(Hash.mix(h, 2)));
            seeds[4 * i + 2] = (float) (iz + gz0 + Hash.unit(Hash.mix(h, 3)));
            seeds[4 * i + 3] = (float) (0.3 * Hash.unit(Hash.mix(h, 4)));
        }
    }

    /** The three nearest seeds (power distance) of the warped point among the 27 cells around it. */
    void nearest(double wx, double wy, double wz, Nearest out) {
        int ix = (int) Math.floor(wx) - gx0;
        int iy = (int) Math.floor(wy) - gy0;
        int iz = (int) Math.floor(wz) - gz0;
        double d1 = Double.MAX_VALUE;
        double d2 = Double.MAX_VALUE;
        double d3 = Double.MAX_VALUE;
        int i1 = -1;
        int i2 = -1;
        int i3 = -1;
        float[] s = seeds;
        for (int dz = -1; dz <= 1; dz++) {
            int zz = iz + dz;
            if (zz < 0 || zz >= gnz) {
                continue;
            }
            for (int dy = -1; dy <= 1; dy++) {
                int yy = iy + dy;
                if (yy < 0 || yy >= gny) {
                    continue;
                }
                int base = (zz * gny + yy) * gnx;
                for (int dx = -1; dx <= 1; dx++) {
                    int xx = ix + dx;
                    if (xx < 0 || xx >= gnx) {
                        continue;
                    }
                    int o = 4 * (base + xx);
                    double ex = wx - s[o];
                    double ey = wy - s[o + 1];
                    double ez = wz - s[o + 2];
                    double d = ex * ex + ey * ey + ez * ez - s[o + 3];
                    if (d < d3) {
                        int id = base + xx;
                        if (d < d2) {
                            d3 = d2;
                            i3 = i2;
                            if (d < d1) {
                                d2 = d1;
                                i2 = i1;
                                d1 = d;
                                i1 = id;
                            } else {
                                d2 = d;
                                i2 = id;
                            }
                        } else {
                            d3 = d;
                            i3 = id;
                        }
                    }
                }
            }
        }
        out.d1 = d1;
        out.d2 = d2;
        out.d3 = d3;
        out.i1 = i1;
        out.i2 = i2;
        out.i3 = i3;
    }
}
