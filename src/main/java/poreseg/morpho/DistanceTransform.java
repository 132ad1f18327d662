package poreseg.morpho;

import java.io.IOException;
import poreseg.io.Calibration;
import poreseg.util.Parallel;
import poreseg.util.ProgressListener;

/**
 * Exact Euclidean distance transform with anisotropic voxels (Felzenszwalb &amp; Huttenlocher 2012;
 * separable lower envelopes of parabolas, as Saito &amp; Toriwaki): along x and y slice by slice in
 * parallel, then along z column by column. Same convention as
 * {@code scipy.ndimage.distance_transform_edt(mask, sampling)}: each foreground voxel gets the
 * distance between its centre and the centre of the nearest background voxel; the volume border is
 * not background. Works in place on one float array per slice (4 bytes per voxel: the z pass needs
 * the whole volume). Squared distances are summed in double; intermediate values are stored as
 * float (exact for integer voxel sizes below 2^24 squared units).
 */
public final class DistanceTransform {
    private DistanceTransform() {
    }

    /**
     * Replaces foreground voxels (value +infinity on input) by their squared distance to the
     * nearest background voxel (value 0 on input), in place. Foreground stays +infinity when the
     * volume has no background at all.
     *
     * @return the largest squared distance (0 for an empty foreground, +infinity without background)
     */
    public static double squaredInPlace(float[][] slices, int width, int height, Calibration c, ProgressListener progress)
            throws IOException {
        int depth = slices.length;
        long total = (long) depth + height;
        Parallel.forEach(depth, z -> {
            inPlane(slices[z], width, height, c);
            return null;
        }, (done, t) -> progress.progress(done, total));
        double[] max = new double[height];
        Parallel.forEach(height, y -> {
            max[y] = alongZ(slices, y, width, c);
            return null;
        }, (done, t) -> progress.progress(depth + done, total));
        double m = 0;
        for (double v : max) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** The x and y passes of one slice, in place. */
    private static void inPlane(float[] s, int width, int height, Calibration c) {
        int n = Math.max(width, height);
        double[] f = new double[n];
        double[] out = new double[n];
        int[] v = new int[n];
        double[] zz = new double[n + 1];
        for (int y = 0; y < height; y++) {
            int o = y * width;
            for (int x = 0; x < width; x++) {
                f[x] = s[o + x];
            }
            envelope(f, width, c.x(), out, v, zz);
            for (int x = 0; x < width; x++) {
                s[o + x] = (float) out[x];
            }
        }
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                f[y] = s[y * width + x];
            }
            envelope(f, height, c.y(), out, v, zz);
            for (int y = 0; y < height; y++) {
                s[y * width + x] = (float) out[y];
            }
        }
    }

    /** The z pass of row y of every slice, in place; returns the largest squared distance of that row. */
    private static double alongZ(float[][] slices, int y, int width, Calibration c) {
        int depth = slices.length;
        // gather the row y of every slice (contiguous reads), transform the columns, scatter back
        double[] f = new double[depth];
        double[] out = new double[depth];
        int[] v = new int[depth];
        double[] zz = new double[depth + 1];
        int block = Math.max(1, Math.min(width, (1 << 20) / Math.max(1, depth)));
        float[] buf = new float[block * depth];
        double m = 0;
        for (int x0 = 0; x0 < width; x0 += block) {
            int nb = Math.min(block, width - x0);
            int o = y * width + x0;
            for (int z = 0; z < depth; z++) {
                float[] s = slices[z];
                for (int k = 0; k < nb; k++) {
                    buf[k * depth + z] = s[o + k];
                }
            }
            for (int k = 0; k < nb; k++) {
                int b = k * depth;
                for (int z = 0; z < depth; z++) {
                    f[z] = buf[b + z];
                }
                envelope(f, depth, c.z(), out, v, zz);
                for (int z = 0; z < depth; z++) {
                    double d = out[z];
                    buf[b + z] = (float) d;
                    if (d > m) {
                        m = d;
                    }
                }
            }
            for (int z = 0; z < depth; z++) {
                float[] s = slices[z];
                for (int k = 0; k < nb; k++) {
                    s[o + k] = buf[k * depth + z];
                }
            }
        }
        return m;
    }

    /**
     * 1D squared distance: out[p] = min over q of f[q] + ((p - q) * s)^2, ignoring infinite f[q];
     * all +infinity when every f[q] is infinite.
     */
    static void envelope(double[] f, int n, double s, double[] out, int[] v, double[] z) {
        int k = -1;
        for (int q = 0; q < n; q++) {
            double fq = f[q];
            if (fq == Double.POSITIVE_INFINITY) {
                continue;
            }
            double pq = q * s;
            if (k < 0) {
                k = 0;
                v[0] = q;
                z[0] = Double.NEGATIVE_INFINITY;
                z[1] = Double.POSITIVE_INFINITY;
                continue;
            }
            double sect;
            while (true) {
                int r = v[k];
                double pr = r * s;
                sect = ((fq + pq * pq) - (f[r] + pr * pr)) / (2 * (pq - pr));
                if (sect <= z[k] && k > 0) {
                    k--;
                } else {
                    break;
                }
            }
            if (sect <= z[k]) {
                // k == 0 and the new parabola dominates everywhere
                v[0] = q;
                z[0] = Double.NEGATIVE_INFINITY;
                z[1] = Double.POSITIVE_INFINITY;
                continue;
            }
            k++;
            v[k] = q;
            z[k] = sect;
            z[k + 1] = Double.POSITIVE_INFINITY;
        }
        if (k < 0) {
            for (int p = 0; p < n; p++) {
                out[p] = Double.POSITIVE_INFINITY;
            }
            return;
        }
        int j = 0;
        for (int p = 0; p < n; p++) {
            double pp = p * s;
            while (z[j + 1] < pp) {
                j++;
            }
            double d = pp - v[j] * s;
            out[p] = d * d + f[v[j]];
        }
    }
}
