package poreseg.preprocess;

import java.util.HashMap;
import java.util.Map;
import org.jtransforms.dct.FloatDCT_2D;
import poreseg.io.PixelType;

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

    private static final ThreadLocal<Map<Long, FloatDCT_2D>> DCTS = ThreadLocal.withInitial(HashMap::new);

    private final double angle;
    private final double minRadius;
    private final boolean horizontal;

    public Destripe(double angle, double minRadius, boolean horizontal) {
        if (!(angle > 0 && angle <= 45)) {
            throw new IllegalArgumentException("destripe: ANGLE must be in (0, 45] degrees, got " + angle);
        }
        if (!(minRadius >= 0) || Double.isInfinite(minRadius)) {
            throw new IllegalArgumentException("destripe: MINRADIUS must be >= 0, got " + minRadius);
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
        double mean = 0;
        long n = 0;
        for (float f : in) {
            if (f == f) {
                mean += f;
                n++;
            }
        }
        mean = n == 0 ? 0 : mean / n;
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
     * Gaussian blur with a point-symmetric border (v(-k) = 2 v(0) - v(k)), which continues linear
     * trends through the border, so image - background stays small there.
     */
    static float[] background(float[] a, int w, int h, double sigma) {
        int radius = (int) (4 * sigma + 0.5);
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        float[] tmp = new float[a.length];
        float[] line = new float[Math.max(w, h) + 2 * radius];
        for (int y = 0; y < h; y++) {
            smoothLine(a, y * w, 1, w, k, radius, line, tmp);
        }
        float[] out = new float[a.length];
        for (int x = 0; x < w; x++) {
            smoothLine(tmp, x, w, h, k, radius, line, out);
        }
        return out;
    }

    private static void smoothLine(float[] src, int start, int stride, int n, double[] k, int radius, float[] line, float[] dst) {
        float first = src[start];
        float last = src[start + (n - 1) * stride];
        for (int i = -radius; i < n + radius; i++) {
            float v;
            if (i < 0) {
                int j = Gaussian.reflect(-i, n);
                v = 2 * first - src[start + j * stride];
            } else if (i >= n) {
                int j = Gaussian.reflect(2 * (n - 1) - i, n);
                v = 2 * last - src[start + j * stride];
            } else {
                v = src[start + i * stride];
            }
            line[i + radius] = v;
        }
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int t = 0; t < k.length; t++) {
                s += k[t] * line[i + t];
            }
            dst[start + i * stride] = (float) s;
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
