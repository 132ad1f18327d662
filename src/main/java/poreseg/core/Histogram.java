package poreseg.core;

import java.io.IOException;
import poreseg.io.PixelType;
import poreseg.io.Volume;
import poreseg.util.Parallel;
import poreseg.util.ParameterException;
import poreseg.util.ProgressListener;

/**
 * A grey-level histogram with scikit-image's {@code exposure.histogram(image, nbins, source_range='image')}
 * semantics, the basis of the automatic thresholds:
 * <ul>
 * <li>integer images (8/16-bit): one bin per integer value from the image minimum to its maximum
 * ({@code nbins} is ignored, as in scikit-image), bin centres are the integer values;</li>
 * <li>float images: {@code nbins} equal bins between the minimum and the maximum, with NumPy's
 * {@code np.histogram} rules computed in float32 (last bin closed; a constant image gets the range
 * [v - 0.5, v + 0.5]); bin centres are the float32 mid-points of the edges.</li>
 * </ul>
 * NaN values are ignored. Counts are {@code long}, so whole volumes can be histogrammed.
 */
public final class Histogram {
    private final long[] counts;
    private final double[] centers;
    private final boolean integer;
    private final double min;
    private final double max;
    private final long total;
    private final double sum;

    private Histogram(long[] counts, double[] centers, boolean integer, double min, double max, double sum) {
        this.counts = counts;
        this.centers = centers;
        this.integer = integer;
        this.min = min;
        this.max = max;
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        this.total = t;
        this.sum = sum;
    }

    /** Histogram of one slice. */
    public static Histogram of(float[] values, PixelType type, int nbins) {
        if (type.isInteger()) {
            long[] levels = new long[type.levels()];
            double s = addLevels(values, type, levels);
            return fromLevels(levels, s);
        }
        double[] mm = minMax(values);
        if (Double.isNaN(mm[0])) {
            return empty();
        }
        FloatBins bins = new FloatBins((float) mm[0], (float) mm[1], nbins);
        long[] c = new long[nbins];
        double s = bins.add(values, c);
        return bins.histogram(c, s);
    }

    /** The mean of the values that are not NaN (0 when there are none), summed in order in double. */
    public static double meanIgnoringNaN(float[] values) {
        double mean = 0;
        long n = 0;
        for (float f : values) {
            if (f == f) {
                mean += f;
                n++;
            }
        }
        return n == 0 ? 0 : mean / n;
    }

    /** Histogram of a whole volume, streamed slice by slice (two passes for float data). */
    public static Histogram of(Volume v, int nbins, ProgressListener progress) throws IOException {
        PixelType type = v.info().type();
        int depth = v.info().depth();
        if (type.isInteger()) {
            long[] levels = new long[type.levels()];
            double[] s = {0};
            Parallel.forEachOrdered(depth, z -> {
                long[] l = new long[type.levels()];
                double part = addLevels(v.slice(z), type, l);
                return new Object[] {l, part};
            }, r -> {
                long[] l = (long[]) r[0];
                for (int i = 0; i < l.length; i++) {
                    levels[i] += l[i];
                }
                s[0] += (double) r[1];
            }, progress);
            return fromLevels(levels, s[0]);
        }
        double[] mm = {Double.NaN, Double.NaN};
        Parallel.forEachOrdered(depth, z -> minMax(v.slice(z)), r -> {
            if (!Double.isNaN(r[0])) {
                mm[0] = Double.isNaN(mm[0]) ? r[0] : Math.min(mm[0], r[0]);
                mm[1] = Double.isNaN(mm[1]) ? r[1] : Math.max(mm[1], r[1]);
            }
        }, ProgressListener.NONE);
        if (Double.isNaN(mm[0])) {
            return empty();
        }
        FloatBins bins = new FloatBins((float) mm[0], (float) mm[1], nbins);
        long[] c = new long[nbins];
        double[] s = {0};
        Parallel.forEachOrdered(depth, z -> {
            long[] part = new long[nbins];
            double ps = bins.add(v.slice(z), part);
            return new Object[] {part, ps};
        }, r -> {
            long[] part = (long[]) r[0];
            for (int i = 0; i < nbins; i++) {
                c[i] += part[i];
            }
            s[0] += (double) r[1];
        }, progress);
        return bins.histogram(c, s[0]);
    }

    private static Histogram empty() {
        return new Histogram(new long[0], new double[0], false, Double.NaN, Double.NaN, 0);
    }

    private static double addLevels(float[] values, PixelType type, long[] levels) {
        double s = 0;
        int top = levels.length - 1;
        for (float f : values) {
            if (f == f) {
                int i = Math.round(f);
                i = i < 0 ? 0 : Math.min(i, top);
                levels[i]++;
                s += i;
            }
        }
        return s;
    }

    private static Histogram fromLevels(long[] levels, double sum) {
        int lo = 0;
        while (lo < levels.length && levels[lo] == 0) {
            lo++;
        }
        if (lo == levels.length) {
            return empty();
        }
        int hi = levels.length - 1;
        while (levels[hi] == 0) {
            hi--;
        }
        long[] c = new long[hi - lo + 1];
        double[] centers = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = levels[lo + i];
            centers[i] = lo + i;
        }
        return new Histogram(c, centers, true, lo, hi, sum);
    }

    public static double[] minMax(float[] values) {
        // without branches and with two accumulators each (NaN fails every comparison, so it is skipped)
        float a = Float.POSITIVE_INFINITY;
        float b = Float.NEGATIVE_INFINITY;
        float a2 = a;
        float b2 = b;
        int i = 0;
        for (; i + 1 < values.length; i += 2) {
            float f = values[i];
            float g = values[i + 1];
            a = f < a ? f : a;
            b = f > b ? f : b;
            a2 = g < a2 ? g : a2;
            b2 = g > b2 ? g : b2;
        }
        if (i < values.length) {
            float f = values[i];
            a = f < a ? f : a;
            b = f > b ? f : b;
        }
        a = a2 < a ? a2 : a;
        b = b2 > b ? b2 : b;
        boolean any = a <= b; // some value was not NaN
        return new double[] {any ? a : Double.NaN, any ? b : Double.NaN};
    }

    /** np.histogram binning in float32 for an equal-width range. */
    private static final class FloatBins {
        final float first;
        final float last;
        final int n;
        final float[] edges;

        FloatBins(float lo, float hi, int n) {
            if (n < 1) {
                throw new ParameterException("number of bins must be positive, got " + n);
            }
            if (lo == hi) {
                lo = lo - 0.5f;
                hi = hi + 0.5f;
            }
            this.first = lo;
            this.last = hi;
            this.n = n;
            edges = new float[n + 1];
            double step = ((double) hi - (double) lo) / n;
            for (int i = 0; i <= n; i++) {
                edges[i] = (float) (i * step + lo);
            }
            edges[n] = hi;
        }

        double add(float[] values, long[] counts) {
            float denom = last - first;
            float nf = n;
            double s = 0;
            for (float v : values) {
                if (v != v || v < first || v > last) {
                    continue;
                }
                int i = (int) (((v - first) / denom) * nf);
                if (i == n) {
                    i--;
                }
                if (v < edges[i]) {
                    i--;
                }
                if (i != n - 1 && v >= edges[i + 1]) {
                    i++;
                }
                counts[i]++;
                s += v;
            }
            return s;
        }

        Histogram histogram(long[] counts, double sum) {
            double[] centers = new double[n];
            for (int i = 0; i < n; i++) {
                centers[i] = (edges[i] + edges[i + 1]) / 2f;
            }
            return new Histogram(counts, centers, false, first, last, sum);
        }
    }

    /** Counts per bin (a copy). */
    public long[] counts() {
        return counts.clone();
    }

    /** Bin centres (a copy). */
    public double[] centers() {
        return centers.clone();
    }

    public long count(int i) {
        return counts[i];
    }

    public double center(int i) {
        return centers[i];
    }

    public int bins() {
        return counts.length;
    }

    /** True when bins are single integer grey values. */
    public boolean isInteger() {
        return integer;
    }

    /** Smallest value (for float histograms of constant images: value - 0.5). */
    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    /** Number of (non-NaN) values counted. */
    public long total() {
        return total;
    }

    /** Mean of the counted values (exact sum of the values, not of bin centres). */
    public double mean() {
        return total == 0 ? Double.NaN : sum / total;
    }

    /** True when there is nothing or a single grey value. */
    public boolean isConstant() {
        if (total == 0) {
            return true;
        }
        int nonzero = 0;
        for (long c : counts) {
            if (c > 0 && ++nonzero > 1) {
                return false;
            }
        }
        return true;
    }

    /** The single value of a constant image (centre of its only bin), NaN when empty. */
    public double constantValue() {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                return integer ? centers[i] : (min + max) / 2;
            }
        }
        return Double.NaN;
    }
}
