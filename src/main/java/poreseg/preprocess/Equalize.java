package poreseg.preprocess;

import poreseg.core.Histogram;
import poreseg.io.PixelType;

/**
 * The paper's histogram equalization: h(v) = round((cdf(v) - cdf_min) / (M N - cdf_min) (L - 1)),
 * with L the number of grey levels of the type (256 or 65536) and cdf_min the cdf at the darkest
 * value present. Values are first rounded to grey levels. For float slices: {@value #FLOAT_BINS} equal
 * bins between the slice minimum and maximum, output (cdf(v) - cdf_min) / (M N - cdf_min) in [0, 1],
 * not rounded. A constant slice maps to 0. NaN pixels are not counted and stay NaN.
 */
public final class Equalize implements Step {
    /** Bins used for float slices. */
    public static final int FLOAT_BINS = 4096;

    @Override
    public float[] apply(float[] in, int w, int h, PixelType type) {
        int levels;
        double lo = 0;
        double binWidth = 1;
        if (type.isInteger()) {
            levels = type.levels();
        } else {
            levels = FLOAT_BINS;
            double[] mm = Histogram.minMax(in);
            lo = mm[0];
            binWidth = mm[1] > mm[0] ? (mm[1] - mm[0]) / FLOAT_BINS : 1;
        }
        int[] bin = new int[in.length];
        long[] counts = new long[levels];
        long total = 0;
        for (int i = 0; i < in.length; i++) {
            float v = in[i];
            if (v != v) {
                bin[i] = -1;
                continue;
            }
            int b = type.isInteger() ? Math.round(v) : (int) ((v - lo) / binWidth);
            b = b < 0 ? 0 : Math.min(b, levels - 1);
            bin[i] = b;
            counts[b]++;
            total++;
        }
        long[] cdf = new long[levels];
        long c = 0;
        long cdfMin = -1;
        for (int b = 0; b < levels; b++) {
            c += counts[b];
            cdf[b] = c;
            if (cdfMin < 0 && c > 0) {
                cdfMin = c;
            }
        }
        double top = type.isInteger() ? levels - 1 : 1.0;
        float[] out = new float[in.length];
        double denom = total - cdfMin;
        for (int i = 0; i < in.length; i++) {
            int b = bin[i];
            if (b < 0) {
                out[i] = Float.NaN;
            } else if (denom <= 0) {
                out[i] = 0f;
            } else {
                double v = (cdf[b] - cdfMin) / denom * top;
                out[i] = (float) (type.isInteger() ? Math.rint(v) : v);
            }
        }
        return out;
    }

    @Override
    public String spec() {
        return "equalize";
    }
}
