package poreseg.preprocess;

import java.util.HashMap;
import java.util.Map;
import org.jtransforms.dct.FloatDCT_2D;
import poreseg.core.Histogram;
import poreseg.io.PixelType;
import poreseg.util.ParameterException;

/**
 * Removes curtaining stripes with a Fourier wedge filter. Vertical stripes (a pattern that varies
 * along x and hardly along y) put their energy along the horizontal frequency axis; this filter
 * attenuates the coefficients within +/- {@code angle} degrees of that axis, outside a radius
 * {@code minRadius} around the origin (so the image's large-scale shading is kept), with a
 * raised-cosine edge in angle (from angle to 2 angle) and in radius (from minRadius to 2 minRadius)
 * to avoid ringing. {@code horizontal} filters horizontal stripes (the vertical axis) instead.
 *
 * <p>The transform is a 2D DCT-II (JTransforms, any image size), which is the Fourier transform of
 * the image mirrored at its borders: no wrap-around edge jumps, so no artificial stripes at the
 * borders. The filter is even in both frequencies, so this is exactly a zero-phase Fourier filter of
 * the mirrored image. Radius unit: cycles per image length across the stripes (the width for
 * vertical stripes), i.e. the index of a Fourier coefficient of the (unmirrored) image.
 *
 * <p>Before filtering, a smooth background (Gaussian, sigma {@value #BG_SIGMA} px, with a
 * point-symmetric border that continues linear trends) is subtracted, and it is added back after:
 * shading and the border kinks of the mirrored image would otherwise leak into the wedge. The
 * stripes' own content at periods longer than about 2 pi {@value #BG_SIGMA} px stays in that
 * background and is not removed.
 *
 * <p>Limitation (inherent to Fourier wedge filters): whatever the image has along the frequency axis
 * (its column-mean profile, e.g. from many high-contrast pores or a particle border) is removed too;
 * see docs/preprocess.md for measured numbers. Use it on visibly striped data only.
 */
public final class Destripe implements Step {
    public static final double DEFAULT_ANGLE = 1.0;
    public static final double DEFAULT_MIN_RADIUS = 2.0;

    static {
        FftThreads.init();
    }

    private static final ThreadLocal<Map<Long, FloatDCT_2D>> DCTS = ThreadLocal.withInitial(HashMap::new);

    private final double angle;
    private final double minRadius;
    private final boolean horizontal;

    public Destripe(double angle, double minRadius, boolean horizontal) {
        if (!(angle > 0 && angle <= 45)) {
            throw new ParameterException("destripe: ANGLE must be in (0, 45] degrees, got " + angle);
        }
        if (!(minRadius >= 0) || Double.isInfinite(minRadius)) {
            throw new ParameterException("destripe: MINRADIUS must be >= 0, got " + minRadius);
        }
        this.angle = angle;
        this.minRadius = minRadius;
        this.horizontal = horizontal;
    }

    public Destripe(boolean horizontal) {
        this(DEFAULT_ANGLE, DEFAULT_MIN_RADIUS, horizontal);
    }

    @Override
    public float[] apply(float[] in, int w, int h, PixelType type) {
        if (w < 2 || h < 2) {
            return in.clone();
        }
        double mean = Histogram.meanIgnoringNaN(in);
        float[] a = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            a[i] = in[i] == in[i] ? in[i] : (float) mean;
        }
        // the smooth background (shading, large objects) is taken out before the Fourier filter and
        // put back after: its border kinks and broad column profile would otherwise leak into the wedge
        float[] out;
        {
            float[] bg = background(a, w, h, BG_SIGMA);
            out = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = a[i] - bg[i];
            }
            wedge(out, w, h);
            for (int i = 0; i < a.length; i++) {
                out[i] += bg[i];
            }
        }
        for (int i = 0; i < in.length; i++) {
            if (in[i] != in[i]) {
                out[i] = Float.NaN;
            }
        }
        return out;
    }

    /** Sigma (px) of the background removed before filtering and added back after. */
    static final double BG_SIGMA = 32;

    /**
     * Smooth background: three passes of a box filter (a close approximation of a Gaussian of the
     * given sigma, in constant time per pixel) along x then y, with a point-symmetric border
     * (v(-k) = 2 v(0) - v(k)) that continues linear trends, so image - background stays small there.
     */
    static float[] background(float[] a, int w, int h, double sigma) {
        int half = (int) Math.round(Math.sqrt(4 * sigma * sigma + 1) / 2); // box width 2 half + 1
        int ext = 3 * half + 1;
        float[] tmp = new float[a.length];
        double[] line = new double[Math.max(w, h) + 2 * ext];
        double[] buf = new double[line.length];
        for (int y = 0; y < h; y++) {
            smoothLine(a, y * w, 1, w, half, ext, line, buf, tmp);
        }
        float[] out = new float[a.length];
        for (int x = 0; x < w; x++) {
            smoothLine(tmp, x, w, h, half, ext, line, buf, out);
        }
        return out;
    }

    private static void smoothLine(float[] src, int start, int stride, int n, int half, int ext, double[] line, double[] buf, float[] dst) {
        float first = src[start];
        float last = src[start + (n - 1) * stride];
        int len = n + 2 * ext;
        for (int i = -ext; i < n + ext; i++) {
            double v;
            if (i < 0) {
                v = 2.0 * first - src[start + Gaussian.reflect(-i, n) * stride];
            } else if (i >= n) {
                v = 2.0 * last - src[start + Gaussian.reflect(2 * (n - 1) - i, n) * stride];
            } else {
                v = src[start + i * stride];
            }
            line[i + ext] = v;
        }
        double norm = 1.0 / (2 * half + 1);
        double[] in = line;
        double[] out = buf;
        for (int pass = 0; pass < 3; pass++) {
            double sum = 0;
            for (int i = 0; i < Math.min(len, 2 * half + 1); i++) {
                sum += in[i];
            }
            for (int i = 0; i < len; i++) {
                out[i] = i >= half && i + half < len ? sum * norm : in[i];
                if (i >= half && i + half + 1 < len) {
                    sum += in[i + half + 1] - in[i - half];
                }
            }
            double[] t = in;
            in = out;
            out = t;
        }
        for (int i = 0; i < n; i++) {
            dst[start + i * stride] = (float) in[i + ext];
        }
    }

    /** Applies the wedge filter in place. */
    private void wedge(float[] a, int w, int h) {
        FloatDCT_2D dct = DCTS.get().computeIfAbsent(((long) h << 32) | w, k -> new FloatDCT_2D(h, w));
        dct.forward(a, true);
        double[] rowW = new double[w];
        double tanA = Math.tan(Math.toRadians(angle));
        double tan2A = Math.tan(Math.toRadians(Math.min(2 * angle, 89.9)));
        for (int v = 0; v < h; v++) {
            double fy = v / (2.0 * h);
            boolean anyChange = false;
            for (int u = 0; u < w; u++) {
                double fx = u / (2.0 * w);
                double along = horizontal ? fy : fx;   // frequency along the stripe-normal axis
                double across = horizontal ? fx : fy;  // frequency away from that axis
                double g = weight(along, across, horizontal ? h : w, tanA, tan2A);
                rowW[u] = g;
                anyChange |= g != 1.0;
            }
            if (!anyChange) {
                continue;
            }
            int off = v * w;
            for (int u = 0; u < w; u++) {
                a[off + u] *= (float) rowW[u];
            }
        }
        dct.inverse(a, true);
    }

    /** 1 - (angular suppression x radial suppression), both with raised-cosine edges. */
    private double weight(double along, double across, int length, double tanA, double tan2A) {
        if (along == 0) {
            return 1.0;
        }
        double r = Math.hypot(along, across) * length;
        double radial;
        if (r <= minRadius) {
            return 1.0;
        } else if (minRadius == 0 || r >= 2 * minRadius) {
            radial = 1;
        } else {
            radial = 0.5 - 0.5 * Math.cos(Math.PI * (r - minRadius) / minRadius);
        }
        double t = across / along; // tangent of the angle to the axis
        double angular;
        if (t <= tanA) {
            angular = 1;
        } else if (t >= tan2A) {
            return 1.0;
        } else {
            double th = Math.toDegrees(Math.atan(t));
            angular = 0.5 + 0.5 * Math.cos(Math.PI * (th - angle) / angle);
        }
        return 1.0 - angular * radial;
    }

    @Override
    public String spec() {
        String name = horizontal ? "destripe-h" : "destripe";
        if (angle == DEFAULT_ANGLE && minRadius == DEFAULT_MIN_RADIUS) {
            return name;
        }
        return name + "=" + Pipeline.num(angle) + ":" + Pipeline.num(minRadius);
    }
}
