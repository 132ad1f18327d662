package poreseg.morpho;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import poreseg.io.Calibration;
import poreseg.util.Parallel;
import poreseg.util.ProgressListener;

/**
 * Local thickness of the pore space (Hildebrand &amp; Rueegsegger 1997, as BoneJ): for each pore
 * voxel, the diameter of the largest ball that contains it and fits inside the pores. Ball centres
 * are the voxels of the distance ridge (a voxel whose ball is not inside a 26-neighbour's ball),
 * the radius of the ball at centre c is its Euclidean distance to the solid (scipy convention, see
 * {@link DistanceTransform}), and a voxel p is inside when |p - c| &lt;= r(c). Works in place on the
 * squared distance map (4 bytes per voxel, whole volume) plus the list of ridge voxels.
 */
public final class LocalThickness {
    private LocalThickness() {
    }

    /**
     * Replaces the squared distances of pore voxels (&gt; 0) by their local thickness (a diameter,
     * in the calibration unit); solid voxels stay 0. The map must be finite (some solid voxel).
     */
    public static void computeInPlace(float[][] sq, int width, int height, Calibration c, ProgressListener progress)
            throws IOException {
        computeRange(sq, width, height, c, 0, sq.length, 0, sq.length, progress);
    }

    /**
     * Local thickness of the slices [paintFrom, paintTo) of a chunk of the squared distance map,
     * using the ball centres of the slices [ridgeFrom, ridgeTo). Exact when the distances of the
     * slices [ridgeFrom - 1, ridgeTo + 1) are exact and every ball that reaches a painted slice
     * has its centre in the ridge range (a halo of max radius / dz slices). Only the painted slices
     * are changed (to diameters); the others keep their distances.
     */
    static void computeRange(float[][] sq, int width, int height, Calibration c, int ridgeFrom, int ridgeTo,
            int paintFrom, int paintTo, ProgressListener progress) throws IOException {
        int n = ridgeTo - ridgeFrom;
        int painted = paintTo - paintFrom;
        List<Ridge> ridges = new ArrayList<>(n);
        Parallel.forEachOrdered(n, k -> ridge(sq, width, height, ridgeFrom + k, c), ridges::add,
                (d, t) -> progress.progress(d, (long) n + painted));
        double rMax = 0;
        for (Ridge r : ridges) {
            for (int i = 0; i < r.n; i++) {
                rMax = Math.max(rMax, Math.sqrt(r.sq[i]));
            }
        }
        for (int z = paintFrom; z < paintTo; z++) {
            float[] s = sq[z];
            for (int i = 0; i < s.length; i++) {
                s[i] = s[i] > 0 ? Float.MIN_VALUE : 0f;
            }
        }
        int reach = (int) Math.floor(rMax / c.z() + 1e-9);
        Parallel.forEach(painted, k -> {
            paint(sq[paintFrom + k], width, height, paintFrom + k, ridges, ridgeFrom, reach, c);
            return null;
        }, (d, t) -> progress.progress(n + d, (long) n + painted));
    }

    /**
     * Ridge voxels of one slice: pixel index and squared radius, kept exactly as in the distance
     * map so that voxels at exactly the ball's radius are included (8 bytes per ridge voxel).
     */
    private static final class Ridge {
        int n;
        int[] index = new int[16];
        float[] sq = new float[16];

        void add(int i, float r) {
            if (n == index.length) {
                index = java.util.Arrays.copyOf(index, n * 2);
                sq = java.util.Arrays.copyOf(sq, n * 2);
            }
            index[n] = i;
            sq[n] = r;
            n++;
        }
    }

    private static Ridge ridge(float[][] sq, int w, int h, int z, Calibration c) {
        float[][] s = new float[3][];
        for (int k = -1; k <= 1; k++) {
            int zz = z + k;
            if (zz >= 0 && zz < sq.length) {
                s[k + 1] = sq[zz];
            }
        }
        double[] step = new double[27];
        for (int k = 0; k < 27; k++) {
            int dx = k % 3 - 1;
            int dy = k / 3 % 3 - 1;
            int dz = k / 9 - 1;
            step[k] = Math.sqrt(dx * dx * c.x() * c.x() + dy * dy * c.y() * c.y() + dz * dz * c.z() * c.z());
        }
        Ridge out = new Ridge();
        float[] mid = s[1];
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++, i++) {
                float sc = mid[i];
                if (sc <= 0) {
                    continue;
                }
                double rc = Math.sqrt(sc);
                boolean inside = false;
                for (int k = 0; k < 27 && !inside; k++) {
                    float[] t = s[k / 9];
                    int xx = x + k % 3 - 1;
                    int yy = y + k / 3 % 3 - 1;
                    if (k == 13 || t == null || xx < 0 || yy < 0 || xx >= w || yy >= h) {
                        continue;
                    }
                    float sn = t[yy * w + xx];
                    // the ball of c lies inside the ball of the neighbour n when r(n) >= r(c) + |n - c|;
                    // dropped only with a margin, so that rounding never drops a needed ball
                    if (sn > sc && Math.sqrt(sn) >= (rc + step[k]) * (1 + 1e-9)) {
                        inside = true;
                    }
                }
                if (!inside) {
                    out.add(i, sc);
                }
            }
        }
        return out;
    }

    private static void paint(float[] s, int w, int h, int z, List<Ridge> ridges, int ridgeFrom, int reach, Calibration c) {
        int ridgeTo = ridgeFrom + ridges.size();
        for (int zc = Math.max(ridgeFrom, z - reach); zc <= Math.min(ridgeTo - 1, z + reach); zc++) {
            Ridge r = ridges.get(zc - ridgeFrom);
            double dz = (z - zc) * c.z();
            for (int k = 0; k < r.n; k++) {
                double sqR = r.sq[k];
                double r2 = sqR - dz * dz;
                if (r2 < 0) {
                    continue;
                }
                float diameter = (float) (2 * Math.sqrt(sqR));
                int cx = r.index[k] % w;
                int cy = r.index[k] / w;
                int ny = halfWidth(r2, c.y());
                for (int y = Math.max(0, cy - ny); y <= Math.min(h - 1, cy + ny); y++) {
                    double ddy = (y - cy) * c.y();
                    double rx2 = r2 - ddy * ddy;
                    if (rx2 < 0) {
                        continue;
                    }
                    int nx = halfWidth(rx2, c.x());
                    int o = y * w;
                    for (int x = Math.max(0, cx - nx); x <= Math.min(w - 1, cx + nx); x++) {
                        float v = s[o + x];
                        if (v > 0 && v < diameter) {
                            s[o + x] = diameter;
                        }
                    }
                }
            }
        }
    }

    /** Largest n with (n * step)^2 <= r2, exact at ties despite rounding of the square root. */
    static int halfWidth(double r2, double step) {
        int n = (int) Math.floor(Math.sqrt(r2) / step);
        while ((n + 1) * step * ((n + 1) * step) <= r2) {
            n++;
        }
        while (n > 0 && n * step * (n * step) > r2) {
            n--;
        }
        return n;
    }
}
