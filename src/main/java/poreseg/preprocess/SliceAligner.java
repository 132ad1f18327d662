package poreseg.preprocess;

import java.io.IOException;
import org.jtransforms.fft.FloatFFT_2D;
import poreseg.core.Histogram;
import poreseg.io.SliceSource;
import poreseg.util.Parallel;
import poreseg.util.ProgressListener;

/**
 * Registers the slices of a stack by translation (FIB-SEM drift correction): each slice is matched to
 * the previous one by phase correlation (Hann-windowed, normalised cross-power spectrum, JTransforms
 * FFT of any size; whitening with a floor of 0.1 x the mean magnitude so that frequencies without
 * signal are damped rather than amplified), the peak is refined to sub-pixel precision by a Gaussian
 * fit through its neighbours in x and in y, and the pairwise shifts are accumulated so that every slice is aligned to slice 0.
 *
 * <p>A shift (dx, dy) means: output(x, y) = input(x - dx, y - dy), so a feature at x in the input is at
 * x + dx in the output. Pixels coming from outside the slice take the nearest edge value (images) or
 * 0 (nearest-neighbour mode, for masks).
 */
public final class SliceAligner {
    static {
        FftThreads.init();
    }

    private SliceAligner() {
    }

    /** Floor of the whitening, relative to the mean cross-power magnitude. */
    private static final double EPS = 0.1;

    /** A translation in pixels. */
    public record Shift(double dx, double dy) {
        public static final Shift ZERO = new Shift(0, 0);

        public Shift plus(Shift o) {
            return new Shift(dx + o.dx, dy + o.dy);
        }
    }

    /**
     * The shift to apply to {@code moving} so that it matches {@code reference} (same size). The
     * largest shift that can be found is half the slice size in each direction.
     */
    public static Shift estimate(float[] reference, float[] moving, int w, int h) {
        return match(reference, moving, w, h).shift();
    }

    /** A pairwise registration: the shift and its peak quality (peak height / RMS of the correlation surface). */
    public record Match(Shift shift, double quality) {
    }

    /** Like {@link #estimate}, with the quality of the correlation peak (tens for a clear match, below ~10 for unrelated slices). */
    public static Match match(float[] reference, float[] moving, int w, int h) {
        float[] a = windowedComplex(reference, w, h);
        float[] b = windowedComplex(moving, w, h);
        FloatFFT_2D fft = new FloatFFT_2D(h, w);
        fft.complexForward(a);
        fft.complexForward(b);
        // cross-power spectrum conj(B) A / |conj(B) A|, whose inverse peaks at the shift of moving onto reference
        double meanMag = 0;
        for (int i = 0; i < a.length; i += 2) {
            double re = (double) a[i] * b[i] + (double) a[i + 1] * b[i + 1];
            double im = (double) a[i + 1] * b[i] - (double) a[i] * b[i + 1];
            a[i] = (float) re;
            a[i + 1] = (float) im;
            meanMag += Math.hypot(re, im);
        }
        // whitening with a floor: frequencies with (nearly) no signal are damped, not amplified
        double floor = EPS * meanMag / (w * h) + 1e-30;
        for (int i = 0; i < a.length; i += 2) {
            double re = a[i];
            double im = a[i + 1];
            double mag = Math.hypot(re, im) + floor;
            if (mag > 1e-20) {
                a[i] = (float) (re / mag);
                a[i + 1] = (float) (im / mag);
            } else {
                a[i] = 0;
                a[i + 1] = 0;
            }
        }
        fft.complexInverse(a, true);
        int best = 0;
        float bestV = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < w * h; i++) {
            if (a[2 * i] > bestV) {
                bestV = a[2 * i];
                best = i;
            }
        }
        double ss = 0;
        for (int i = 0; i < w * h; i++) {
            ss += (double) a[2 * i] * a[2 * i];
        }
        double quality = bestV / Math.sqrt(ss / (w * h) + 1e-300);
        int px = best % w;
        int py = best / w;
        double sx = px + subPixel(a, w, h, px, py, true);
        double sy = py + subPixel(a, w, h, px, py, false);
        if (sx > w / 2.0) {
            sx -= w;
        }
        if (sy > h / 2.0) {
            sy -= h;
        }
        return new Match(new Shift(sx, sy), quality);
    }

    private static double subPixel(float[] c, int w, int h, int px, int py, boolean alongX) {
        int n = alongX ? w : h;
        if (n < 3) {
            return 0;
        }
        int m1 = alongX ? py * w + Math.floorMod(px - 1, w) : Math.floorMod(py - 1, h) * w + px;
        int p1 = alongX ? py * w + Math.floorMod(px + 1, w) : Math.floorMod(py + 1, h) * w + px;
        double ym = c[2 * m1];
        double y0 = c[2 * (py * w + px)];
        double yp = c[2 * p1];
        // Gaussian (log-parabola) fit through the peak and its two neighbours; parabola if not positive
        if (ym > 0 && yp > 0 && y0 > 0) {
            double lm = Math.log(ym);
            double l0 = Math.log(y0);
            double lp = Math.log(yp);
            double d = lm - 2 * l0 + lp;
            if (d < 0) {
                return Math.max(-0.5, Math.min(0.5, 0.5 * (lm - lp) / d));
            }
        }
        double d = ym - 2 * y0 + yp;
        if (!(d < 0)) {
            return 0;
        }
        return Math.max(-0.5, Math.min(0.5, 0.5 * (ym - yp) / d));
    }

    private static float[] windowedComplex(float[] img, int w, int h) {
        double mean = Histogram.meanIgnoringNaN(img);
        double[] wx = hann(w);
        double[] wy = hann(h);
        float[] c = new float[2 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = img[y * w + x];
                double d = v == v ? v - mean : 0;
                c[2 * (y * w + x)] = (float) (d * wx[x] * wy[y]);
            }
        }
        return c;
    }

    private static double[] hann(int n) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = n == 1 ? 1 : 0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 0.5) / n);
        }
        return r;
    }

    /**
     * Estimates the cumulative shifts of all slices (slice 0 gets (0, 0)): pairwise shifts of
     * consecutive slices on all cores, then summed. {@code slices} should give preprocessed slices.
     */
    public static Shift[] estimateStack(SliceSource slices, int depth, int w, int h, ProgressListener progress) throws IOException {
        Shift[] out = new Shift[depth];
        if (depth == 0) {
            return out;
        }
        out[0] = Shift.ZERO;
        int[] k = {1};
        Parallel.forEachOrdered(depth - 1, i -> estimate(slices.slice(i), slices.slice(i + 1), w, h), s -> {
            out[k[0]] = out[k[0] - 1].plus(s);
            k[0]++;
        }, progress);
        return out;
    }

    /** Default minimum peak quality of a pairwise match (measured: 15-150 for neighbouring FIB-SEM slices, 7-10 for unrelated ones). */
    public static final double DEFAULT_MIN_QUALITY = 12;

    /**
     * Result of aligning a stack: cumulative shifts (slice 0 = (0, 0)), and per slice the quality of
     * its match to the previous slice and whether that match was rejected (quality below the minimum:
     * the slice is then not moved relative to the previous one).
     */
    public record Alignment(Shift[] shifts, double[] quality, boolean[] rejected) {
        public int rejectedCount() {
            int n = 0;
            for (boolean r : rejected) {
                n += r ? 1 : 0;
            }
            return n;
        }
    }

    /** Aligns a stack like {@link #estimateStack}, rejecting pairwise matches of quality below {@code minQuality}. */
    public static Alignment alignStack(SliceSource slices, int depth, int w, int h, double minQuality, ProgressListener progress)
            throws IOException {
        Shift[] out = new Shift[depth];
        double[] q = new double[depth];
        boolean[] rej = new boolean[depth];
        if (depth == 0) {
            return new Alignment(out, q, rej);
        }
        out[0] = Shift.ZERO;
        q[0] = Double.POSITIVE_INFINITY;
        int[] k = {1};
        Parallel.forEachOrdered(depth - 1, i -> match(slices.slice(i), slices.slice(i + 1), w, h), m -> {
            int z = k[0]++;
            q[z] = m.quality();
            rej[z] = !(m.quality() >= minQuality);
            out[z] = rej[z] ? out[z - 1] : out[z - 1].plus(m.shift());
        }, progress);
        return new Alignment(out, q, rej);
    }

    /**
     * Translates a slice by (dx, dy): bilinear interpolation with edge values outside, or, with
     * {@code nearest}, the nearest pixel with 0 outside (keeps masks binary).
     */
    public static float[] translate(float[] img, int w, int h, Shift s, boolean nearest) {
        float[] out = new float[img.length];
        if (nearest) {
            int ix = (int) Math.round(s.dx());
            int iy = (int) Math.round(s.dy());
            for (int y = 0; y < h; y++) {
                int sy = y - iy;
                if (sy < 0 || sy >= h) {
                    continue;
                }
                for (int x = 0; x < w; x++) {
                    int sx = x - ix;
                    if (sx >= 0 && sx < w) {
                        out[y * w + x] = img[sy * w + sx];
                    }
                }
            }
            return out;
        }
        for (int y = 0; y < h; y++) {
            double syf = y - s.dy();
            int y0 = (int) Math.floor(syf);
            double fy = syf - y0;
            int ya = clamp(y0, h);
            int yb = clamp(y0 + 1, h);
            for (int x = 0; x < w; x++) {
                double sxf = x - s.dx();
                int x0 = (int) Math.floor(sxf);
                double fx = sxf - x0;
                int xa = clamp(x0, w);
                int xb = clamp(x0 + 1, w);
                double top = img[ya * w + xa] * (1 - fx) + img[ya * w + xb] * fx;
                double bot = img[yb * w + xa] * (1 - fx) + img[yb * w + xb] * fx;
                out[y * w + x] = (float) (top * (1 - fy) + bot * fy);
            }
        }
        return out;
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : i >= n ? n - 1 : i;
    }
}
