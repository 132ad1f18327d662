package poreseg.preprocess;

import poreseg.core.Histogram;
import poreseg.io.PixelType;

/**
 * scikit-image's {@code exposure.equalize_hist(image, nbins=256)}: the normalised cumulative
 * histogram (see {@link Histogram}: one bin per grey value for integer images, 256 bins for float),
 * linearly interpolated at each value between bin centres ({@code np.interp}). Output is float in
 * [0, 1] (the output type is F32). For integer types, values are first rounded to grey levels.
 */
public final class EqualizeSkimage implements Step {
    public static final int BINS = 256;

    @Override
    public float[] apply(float[] in, int w, int h, PixelType type) {
        float[] src = in;
        if (type.isInteger()) {
            src = new float[in.length];
            for (int i = 0; i < in.length; i++) {
                src[i] = in[i] == in[i] ? type.clamp(in[i]) : Float.NaN;
            }
        }
        Histogram hist = Histogram.of(src, type, BINS);
        float[] out = new float[in.length];
        int n = hist.bins();
        if (n == 0) {
            java.util.Arrays.fill(out, Float.NaN);
            return out;
        }
        double[] cdf = new double[n];
        double[] xp = hist.centers();
        long c = 0;
        for (int b = 0; b < n; b++) {
            c += hist.count(b);
            cdf[b] = c;
        }
        for (int b = 0; b < n; b++) {
            cdf[b] /= (double) c;
        }
        double x0 = xp[0];
        double dx = n > 1 ? xp[1] - xp[0] : 1;
        for (int i = 0; i < src.length; i++) {
            double x = src[i];
            if (x != x) {
                out[i] = Float.NaN;
                continue;
            }
            out[i] = (float) interp(x, xp, cdf, x0, dx);
        }
        return out;
    }

    /** np.interp on (nearly) uniform abscissae xp. */
    private static double interp(double x, double[] xp, double[] fp, double x0, double dx) {
        int n = xp.length;
        if (x <= xp[0]) {
            return fp[0];
        }
        if (x >= xp[n - 1]) {
            return fp[n - 1];
        }
        int j = (int) ((x - x0) / dx);
        j = Math.max(0, Math.min(j, n - 2));
        while (j > 0 && xp[j] > x) {
            j--;
        }
        while (j < n - 2 && xp[j + 1] <= x) {
            j++;
        }
        if (x == xp[j]) {
            return fp[j];
        }
        double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
        return slope * (x - xp[j]) + fp[j];
    }

    @Override
    public PixelType outputType(PixelType in) {
        return PixelType.F32;
    }

    @Override
    public String spec() {
        return "equalize-skimage";
    }
}
