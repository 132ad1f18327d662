package poreseg.preprocess;

import poreseg.io.PixelType;
import poreseg.util.ParameterException;

/**
 * Gaussian blur with SciPy / scikit-image semantics ({@code ndimage.gaussian_filter(mode='reflect',
 * truncate=4.0)}): a separable kernel of radius {@code int(4 sigma + 0.5)}, weights exp(-x^2 / 2 sigma^2)
 * normalised to sum 1, border by half-sample symmetric reflection (d c b a | a b c d | d c b a),
 * applied along y then x, accumulated in double.
 */
public final class Gaussian implements Step {
    /** Larger sigmas blur any FIB-SEM slice to its mean (and the kernel would not fit in an array). */
    public static final double MAX_SIGMA = 1000;

    private final double sigma;
    private final double[] kernel;
    private final int radius;

    public Gaussian(double sigma) {
        if (!(sigma >= 0) || sigma > MAX_SIGMA) {
            throw new ParameterException("gaussian: sigma must be in 0.." + (int) MAX_SIGMA + " pixels, got " + sigma);
        }
        this.sigma = sigma;
        this.radius = (int) (4.0 * sigma + 0.5);
        this.kernel = new double[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) {
            double v = sigma == 0 ? (k == 0 ? 1 : 0) : Math.exp(-0.5 / (sigma * sigma) * k * k);
            kernel[k + radius] = v;
            sum += v;
        }
        for (int k = 0; k < kernel.length; k++) {
            kernel[k] /= sum;
        }
    }

    public double sigma() {
        return sigma;
    }

    @Override
    public float[] apply(float[] in, int w, int h, PixelType type) {
        if (radius == 0) {
            return in.clone();
        }
        float[] tmp = new float[in.length];
        // along y: each output row is a weighted sum of (reflected) input rows
        double[] acc = new double[w];
        for (int y = 0; y < h; y++) {
            java.util.Arrays.fill(acc, 0);
            for (int k = -radius; k <= radius; k++) {
                int src = reflect(y + k, h) * w;
                double wk = kernel[k + radius];
                for (int x = 0; x < w; x++) {
                    acc[x] += wk * in[src + x];
                }
            }
            int dst = y * w;
            for (int x = 0; x < w; x++) {
                tmp[dst + x] = (float) acc[x];
            }
        }
        // along x, through a padded row
        float[] out = new float[in.length];
        float[] row = new float[w + 2 * radius];
        for (int y = 0; y < h; y++) {
            int off = y * w;
            for (int i = 0; i < row.length; i++) {
                row[i] = tmp[off + reflect(i - radius, w)];
            }
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int k = 0; k < kernel.length; k++) {
                    s += kernel[k] * row[x + k];
                }
                out[off + x] = (float) s;
            }
        }
        return out;
    }

    /** SciPy 'reflect' (half-sample symmetric) index, for any distance outside [0, n). */
    static int reflect(int i, int n) {
        if (i >= 0 && i < n) {
            return i;
        }
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }

    @Override
    public String spec() {
        return "gaussian=" + Pipeline.num(sigma);
    }
}
