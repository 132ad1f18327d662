package poreseg.preprocess;

import poreseg.core.Histogram;
import poreseg.io.PixelType;
import poreseg.util.ParameterException;

/**
 * Contrast-limited adaptive histogram equalization (Zuiderveld), 16-bit aware. The slice is cut into
 * a grid of tiles of about {@code tile} pixels; each tile's histogram is clipped at
 * {@code clip} x (mean count per bin), the excess spread evenly over all bins, and its cumulative
 * histogram is the tile's mapping. Each pixel's output is the bilinear interpolation of the mappings
 * of the four nearest tile centres. {@code clip} is the maximum slope of the mapping, as Fiji's
 * "maximum slope" (1 = no contrast change).
 *
 * <p>Unlike Fiji's CLAHE, which reduces 16-bit data to 256 levels, histograms have 256 bins for
 * 8-bit and {@value #FINE_BINS} for 16-bit and float slices, and the mapping is linear inside each bin,
 * so the output keeps the full 16-bit precision. Output spans the type's range (0..255, 0..65535);
 * float slices keep their own [min, max].
 */
public final class Clahe implements Step {
    public static final int DEFAULT_TILE = 128;
    public static final double DEFAULT_CLIP = 3.0;
    static final int FINE_BINS = 4096;

    private final int tile;
    private final double clip;

    public Clahe(int tile, double clip) {
        if (tile < 8 || tile > 65536) {
            throw new ParameterException("clahe: TILE must be in 8..65536 pixels, got " + tile);
        }
        if (!(clip >= 1) || Double.isInfinite(clip)) {
            throw new ParameterException("clahe: CLIP (maximum slope) must be >= 1, got " + clip);
        }
        this.tile = tile;
        this.clip = clip;
    }

    @Override
    public float[] apply(float[] in, int w, int h, PixelType type) {
        int nbins = type == PixelType.U8 ? 256 : FINE_BINS;
        double lo;
        double hi;
        double outLo;
        double outHi;
        if (type.isInteger()) {
            lo = 0;
            hi = type.levels();
            outLo = 0;
            outHi = type.maxValue();
        } else {
            double[] mm = Histogram.minMax(in);
            if (Double.isNaN(mm[0]) || mm[1] <= mm[0]) {
                return in.clone();
            }
            lo = mm[0];
            hi = mm[1];
            outLo = lo;
            outHi = hi;
        }
        double scale = nbins / (hi - lo);
        double shift = type.isInteger() ? 0.5 : 0; // integer value v covers [v, v + 1)
        float[] t = binCoordinates(in, lo, scale, shift, nbins);
        int nx = Math.max(1, Math.round((float) w / tile));
        int ny = Math.max(1, Math.round((float) h / tile));
        int[] xs = bounds(w, nx);
        int[] ys = bounds(h, ny);
        // cumulative mapping per tile: cum[b] = clipped count below bin b, normalised; and slope per bin
        float[][] cum = new float[nx * ny][];
        float[][] slope = new float[nx * ny][];
        double[] hist = new double[nbins];
        for (int ty = 0; ty < ny; ty++) {
            for (int tx = 0; tx < nx; tx++) {
                tileMapping(in, t, w, xs[tx], xs[tx + 1], ys[ty], ys[ty + 1], hist, nbins, cum, slope, ty * nx + tx);
            }
        }
        return interpolate(in, t, w, h, xs, ys, cum, slope, nbins, outLo, outHi - outLo);
    }

    /** The continuous bin coordinate of each pixel, clamped to [0, nbins] (0 for NaN). */
    private static float[] binCoordinates(float[] in, double lo, double scale, double shift, int nbins) {
        float[] t = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            float v = in[i];
            double c = v == v ? (v + shift - lo) * scale : 0;
            t[i] = (float) (c < 0 ? 0 : c > nbins ? nbins : c);
        }
        return t;
    }

    /**
     * The mapping of the tile [x0, x1) x [y0, y1): its clipped histogram ({@code hist} is scratch)
     * as cumulative values {@code cum[k]} and slopes {@code slope[k]} per bin, normalised by the tile's count.
     */
    private void tileMapping(float[] in, float[] t, int w, int x0, int x1, int y0, int y1, double[] hist, int nbins,
            float[][] cum, float[][] slope, int k) {
        java.util.Arrays.fill(hist, 0);
        long count = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int i = y * w + x;
                if (in[i] != in[i]) {
                    continue;
                }
                int b = (int) t[i];
                hist[b >= nbins ? nbins - 1 : b]++;
                count++;
            }
        }
        clipHistogram(hist, count, nbins);
        float[] c = new float[nbins + 1];
        float[] s = new float[nbins];
        double acc = 0;
        double norm = count == 0 ? 0 : 1.0 / count;
        for (int b = 0; b < nbins; b++) {
            c[b] = (float) (acc * norm);
            s[b] = (float) (hist[b] * norm);
            acc += hist[b];
        }
        c[nbins] = (float) (acc * norm);
        cum[k] = c;
        slope[k] = s;
    }

    /** Each pixel's output: the bilinear interpolation of the mappings of the four nearest tile centres, onto outLo + [0, range]. */
    private static float[] interpolate(float[] in, float[] t, int w, int h, int[] xs, int[] ys, float[][] cum, float[][] slope,
            int nbins, double outLo, double range) {
        int nx = xs.length - 1;
        int ny = ys.length - 1;
        float[] out = new float[in.length];
        // per column: the two nearest tile centres and the weight of the second (0 outside the outer centres)
        int[] txa = new int[w];
        int[] txb = new int[w];
        double[] wx = new double[w];
        weights(xs, nx, w, txa, txb, wx);
        int[] tya = new int[h];
        int[] tyb = new int[h];
        double[] wy = new double[h];
        weights(ys, ny, h, tya, tyb, wy);
        for (int y = 0; y < h; y++) {
            int ty0 = tya[y];
            int ty1 = tyb[y];
            double fy = wy[y];
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (in[i] != in[i]) {
                    out[i] = Float.NaN;
                    continue;
                }
                int tx0 = txa[x];
                int tx1 = txb[x];
                double fx = wx[x];
                double tt = t[i];
                double m00 = map(cum[ty0 * nx + tx0], slope[ty0 * nx + tx0], tt, nbins);
                double m01 = map(cum[ty0 * nx + tx1], slope[ty0 * nx + tx1], tt, nbins);
                double m10 = map(cum[ty1 * nx + tx0], slope[ty1 * nx + tx0], tt, nbins);
                double m11 = map(cum[ty1 * nx + tx1], slope[ty1 * nx + tx1], tt, nbins);
                double m = (1 - fy) * ((1 - fx) * m00 + fx * m01) + fy * ((1 - fx) * m10 + fx * m11);
                out[i] = (float) (outLo + m * range);
            }
        }
        return out;
    }

    private static void weights(int[] bounds, int parts, int n, int[] a, int[] b, double[] f) {
        int t0 = 0;
        for (int p = 0; p < n; p++) {
            while (t0 < parts - 1 && p >= centre(bounds, t0 + 1)) {
                t0++;
            }
            int t1 = Math.min(t0 + 1, parts - 1);
            double c0 = centre(bounds, t0);
            double fr = t1 == t0 || p < c0 ? 0 : clamp01((p - c0) / (centre(bounds, t1) - c0));
            a[p] = t0;
            b[p] = t1;
            f[p] = fr;
        }
    }

    private void clipHistogram(double[] hist, long count, int nbins) {
        if (count == 0) {
            return;
        }
        double limit = Math.max(1.0, clip * count / nbins);
        // a few rounds: redistributed excess can push bins over the limit again
        for (int round = 0; round < 8; round++) {
            double excess = 0;
            for (int b = 0; b < nbins; b++) {
                if (hist[b] > limit) {
                    excess += hist[b] - limit;
                    hist[b] = limit;
                }
            }
            if (excess <= 1e-9 * count) {
                return;
            }
            double add = excess / nbins;
            for (int b = 0; b < nbins; b++) {
                hist[b] += add;
            }
        }
    }

    private static double map(float[] cum, float[] slope, double t, int nbins) {
        int b = (int) t;
        if (b >= nbins) {
            return cum[nbins];
        }
        return cum[b] + (t - b) * slope[b];
    }

    private static int[] bounds(int n, int parts) {
        int[] b = new int[parts + 1];
        for (int i = 0; i <= parts; i++) {
            b[i] = (int) Math.round((double) i * n / parts);
        }
        return b;
    }

    private static double centre(int[] b, int i) {
        return (b[i] + b[i + 1] - 1) / 2.0;
    }

    private static double clamp01(double v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }

    @Override
    public String spec() {
        if (tile == DEFAULT_TILE && clip == DEFAULT_CLIP) {
            return "clahe";
        }
        return "clahe=" + tile + ":" + Pipeline.num(clip);
    }
}
