package poreseg.core;

/**
 * Integer-factor resampling of row-major slices, for multi-scale inference: box (block-mean)
 * reduction, block-max reduction (for masks) and bilinear enlargement back to the original grid.
 * A reduced slice is ceil(w / f) x ceil(h / f); blocks at the right and bottom edges average the
 * pixels they have.
 */
public final class Resample {
    private Resample() {
    }

    /** Size of a dimension reduced by {@code f}. */
    public static int reduced(int n, int f) {
        return (n + f - 1) / f;
    }

    /**
     * Block means of f x f blocks, rounded to the nearest integer when {@code round} (integer pixel
     * types keep integer values, as a reduced acquisition would). NaN pixels are left out of a block's
     * mean; an all-NaN block stays NaN.
     */
    public static float[] boxDown(float[] src, int w, int h, int f, boolean round) {
        if (f == 1) {
            return src;
        }
        int ws = reduced(w, f);
        int hs = reduced(h, f);
        float[] out = new float[ws * hs];
        double[] sum = new double[ws];
        int[] count = new int[ws];
        for (int ys = 0; ys < hs; ys++) {
            java.util.Arrays.fill(sum, 0);
            java.util.Arrays.fill(count, 0);
            for (int y = ys * f; y < Math.min(h, ys * f + f); y++) {
                int row = y * w;
                for (int x = 0; x < w; x++) {
                    float v = src[row + x];
                    if (v == v) {
                        sum[x / f] += v;
                        count[x / f]++;
                    }
                }
            }
            for (int xs = 0; xs < ws; xs++) {
                double m = count[xs] == 0 ? Double.NaN : sum[xs] / count[xs];
                out[ys * ws + xs] = (float) (round && count[xs] > 0 ? Math.rint(m) : m);
            }
        }
        return out;
    }

    /** Block maxima of f x f blocks (a reduced mask is non-zero where any of its block is). */
    public static float[] maxDown(float[] src, int w, int h, int f) {
        if (f == 1) {
            return src;
        }
        int ws = reduced(w, f);
        int hs = reduced(h, f);
        float[] out = new float[ws * hs];
        java.util.Arrays.fill(out, Float.NEGATIVE_INFINITY);
        for (int y = 0; y < h; y++) {
            int o = (y / f) * ws;
            for (int x = 0; x < w; x++) {
                out[o + x / f] = Math.max(out[o + x / f], src[y * w + x]);
            }
        }
        return out;
    }

    /**
     * Bilinear enlargement of a ws x hs slice reduced by {@code f} back to w x h: pixel centres map as
     * (x + 0.5) / f - 0.5, clamped at the edges (so a constant slice stays constant and values stay
     * within the source's range).
     */
    public static float[] bilinearUp(float[] src, int ws, int hs, int w, int h, int f) {
        if (f == 1) {
            return src;
        }
        int[] x0 = new int[w];
        float[] fx = new float[w];
        for (int x = 0; x < w; x++) {
            double sx = Math.min(ws - 1, Math.max(0, (x + 0.5) / f - 0.5));
            x0[x] = Math.min(ws - 2, (int) sx);
            if (ws == 1) {
                x0[x] = 0;
            }
            fx[x] = ws == 1 ? 0 : (float) (sx - x0[x]);
        }
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            double sy = Math.min(hs - 1, Math.max(0, (y + 0.5) / f - 0.5));
            int y0 = hs == 1 ? 0 : Math.min(hs - 2, (int) sy);
            float fy = hs == 1 ? 0 : (float) (sy - y0);
            int r0 = y0 * ws;
            int r1 = hs == 1 ? r0 : r0 + ws;
            for (int x = 0; x < w; x++) {
                int a = x0[x];
                int b = ws == 1 ? a : a + 1;
                float top = src[r0 + a] + fx[x] * (src[r0 + b] - src[r0 + a]);
                float bottom = src[r1 + a] + fx[x] * (src[r1 + b] - src[r1 + a]);
                out[y * w + x] = top + fy * (bottom - top);
            }
        }
        return out;
    }
}
