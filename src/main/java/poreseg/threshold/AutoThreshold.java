package poreseg.threshold;

import poreseg.core.Histogram;

/**
 * Automatic global thresholds computed from a {@link Histogram}, with scikit-image 0.19 semantics:
 * {@code threshold_otsu}, {@code threshold_li}, {@code threshold_triangle}, {@code threshold_mean}.
 * A pixel is foreground ("above") when value &gt; threshold. A constant image gets its own value
 * (so nothing is above it); an image without values gets 0.
 */
public final class AutoThreshold {
    private AutoThreshold() {
    }

    /** The built-in automatic methods (registered in {@link ThresholdMethods}). */
    public enum Method implements ThresholdMethod {
        OTSU(AutoThreshold::otsu), LI(AutoThreshold::li), TRIANGLE(AutoThreshold::triangle), MEAN(AutoThreshold::mean);

        /** Li iterates on the values themselves in scikit-image: on float data a fine histogram keeps it within ~2e-6 of the range. */
        static final int LI_FLOAT_BINS = 65536;

        private final java.util.function.ToDoubleFunction<Histogram> f;

        Method(java.util.function.ToDoubleFunction<Histogram> f) {
            this.f = f;
        }

        @Override
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public double compute(Histogram h) {
            return f.applyAsDouble(h);
        }

        @Override
        public int bins(int requested, boolean integerType) {
            return this == LI && !integerType ? Math.max(requested, LI_FLOAT_BINS) : requested;
        }
    }

    /**
     * Otsu's threshold exactly as {@code skimage.filters.threshold_otsu}: maximises the
     * between-class variance over the bin centres, class statistics from cumulative sums
     * (exact integer sums for integer images), first maximum wins.
     */
    public static double otsu(Histogram h) {
        if (h.total() == 0) {
            return 0;
        }
        if (h.isConstant()) {
            return h.constantValue();
        }
        int n = h.bins();
        double[] mean1 = new double[n];
        double[] mean2 = new double[n];
        long[] w1 = new long[n];
        long[] w2 = new long[n];
        if (h.isInteger()) {
            long c = 0;
            long s = 0;
            for (int i = 0; i < n; i++) {
                c += h.count(i);
                s += h.count(i) * (long) h.center(i);
                w1[i] = c;
                mean1[i] = (double) s / (double) c;
            }
            c = 0;
            s = 0;
            for (int i = n - 1; i >= 0; i--) {
                c += h.count(i);
                s += h.count(i) * (long) h.center(i);
                w2[i] = c;
                mean2[i] = (double) s / (double) c;
            }
        } else {
            long c = 0;
            double s = 0;
            for (int i = 0; i < n; i++) {
                c += h.count(i);
                s += (double) h.count(i) * h.center(i);
                w1[i] = c;
                mean1[i] = s / (double) c;
            }
            c = 0;
            s = 0;
            for (int i = n - 1; i >= 0; i--) {
                c += h.count(i);
                s += (double) h.count(i) * h.center(i);
                w2[i] = c;
                mean2[i] = s / (double) c;
            }
        }
        int best = 0;
        double bestV = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n - 1; i++) {
            double d = mean1[i] - mean2[i + 1];
            double v = (double) (w1[i] * w2[i + 1]) * (d * d);
            // NaN (an empty class in a float histogram) wins in np.argmax; empty classes cannot
            // occur at the ends here, and NaN cannot arise in between, so plain > is equivalent.
            if (v > bestV) {
                bestV = v;
                best = i;
            }
        }
        return h.center(best);
    }

    /** The mean grey value ({@code threshold_mean}). */
    public static double mean(Histogram h) {
        return h.total() == 0 ? 0 : h.mean();
    }

    /**
     * Li's iterative minimum cross-entropy threshold ({@code threshold_li}), computed on the
     * histogram: exact for integer images (tolerance 0.5 as in scikit-image); for float images the
     * pixel values are represented by their bin centres and the tolerance is half a bin.
     */
    public static double li(Histogram h) {
        if (h.total() == 0) {
            return 0;
        }
        if (h.isConstant()) {
            return h.constantValue();
        }
        int n = h.bins();
        double min = h.center(0);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = h.center(i) - min;
        }
        double tolerance = h.isInteger() ? 0.5 : (h.center(1) - h.center(0)) / 2;
        double tNext = 0;
        for (int i = 0; i < n; i++) {
            tNext += h.count(i) * x[i];
        }
        tNext /= h.total();
        double tCurr = -2 * tolerance;
        int guard = 0;
        while (Math.abs(tNext - tCurr) > tolerance && guard++ < 10_000) {
            tCurr = tNext;
            double sf = 0;
            double sb = 0;
            long nf = 0;
            long nb = 0;
            for (int i = 0; i < n; i++) {
                if (x[i] > tCurr) {
                    sf += h.count(i) * x[i];
                    nf += h.count(i);
                } else {
                    sb += h.count(i) * x[i];
                    nb += h.count(i);
                }
            }
            if (nf == 0 || nb == 0) {
                break;
            }
            double meanFore = sf / nf;
            double meanBack = sb / nb;
            if (meanBack == 0) {
                break;
            }
            tNext = (meanBack - meanFore) / (Math.log(meanBack) - Math.log(meanFore));
        }
        return tNext + min;
    }

    /** Zack's triangle threshold ({@code threshold_triangle}), including scikit-image's flip rule. */
    public static double triangle(Histogram h) {
        if (h.total() == 0) {
            return 0;
        }
        if (h.isConstant()) {
            return h.constantValue();
        }
        int nbins = h.bins();
        long[] hist = h.counts();
        int peak = 0;
        for (int i = 1; i < nbins; i++) {
            if (hist[i] > hist[peak]) {
                peak = i;
            }
        }
        int low = 0;
        while (hist[low] == 0) {
            low++;
        }
        int high = nbins - 1;
        while (hist[high] == 0) {
            high--;
        }
        boolean flip = peak - low < high - peak;
        if (flip) {
            for (int i = 0, j = nbins - 1; i < j; i++, j--) {
                long t = hist[i];
                hist[i] = hist[j];
                hist[j] = t;
            }
            low = nbins - high - 1;
            peak = nbins - peak - 1;
        }
        int width = peak - low;
        if (width <= 0) {
            return h.center(flip ? nbins - 1 - peak : peak);
        }
        double peakHeight = hist[peak];
        double norm = Math.sqrt(peakHeight * peakHeight + (double) width * width);
        double ph = peakHeight / norm;
        double wd = width / norm;
        int arg = 0;
        double best = Double.NEGATIVE_INFINITY;
        for (int x = 0; x < width; x++) {
            double len = ph * x - wd * hist[x + low];
            if (len > best) {
                best = len;
                arg = x;
            }
        }
        int level = arg + low;
        if (flip) {
            level = nbins - level - 1;
        }
        return h.center(level);
    }
}
