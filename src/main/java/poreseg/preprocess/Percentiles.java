package poreseg.preprocess;

import java.util.Arrays;
import poreseg.core.Histogram;
import poreseg.io.PixelType;

/** NumPy {@code np.percentile} (linear interpolation between order statistics), NaN ignored. */
final class Percentiles {
    private Percentiles() {
    }

    /** The given percentiles of the values; NaN when there are no values. */
    static double[] of(float[] in, PixelType type, double... percents) {
        double[] out = new double[percents.length];
        boolean minMaxOnly = true;
        for (double p : percents) {
            minMaxOnly &= p == 0 || p == 100;
        }
        if (minMaxOnly) {
            double[] mm = Histogram.minMax(in); // NaN when there is no value
            for (int i = 0; i < percents.length; i++) {
                out[i] = percents[i] == 0 ? mm[0] : mm[1];
            }
            return out;
        }
        if (type.isInteger()) {
            double[] r = byCounting(in, type.levels(), percents);
            if (r != null) {
                return r;
            }
        }
        float[] s = new float[in.length];
        int n = 0;
        for (float f : in) {
            if (f == f) {
                s[n++] = f;
            }
        }
        s = Arrays.copyOf(s, n);
        Arrays.sort(s);
        for (int i = 0; i < percents.length; i++) {
            out[i] = at(s, percents[i]);
        }
        return out;
    }

    /** Exact percentiles of integer grey values by counting; null if a value is not an integer level. */
    private static double[] byCounting(float[] in, int levels, double[] percents) {
        long[] counts = levelCounts(in, levels);
        if (counts == null) {
            return null;
        }
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        double[] out = new double[percents.length];
        if (n == 0) {
            java.util.Arrays.fill(out, Double.NaN);
            return out;
        }
        for (int i = 0; i < percents.length; i++) {
            double pos = percents[i] / 100.0 * (n - 1);
            long lo = (long) Math.floor(pos);
            long hi = Math.min(lo + 1, n - 1);
            double a = valueAtRank(counts, lo);
            double b = valueAtRank(counts, hi);
            out[i] = a + (b - a) * (pos - lo);
        }
        return out;
    }

    /** How many pixels hold each grey level 0..levels-1 (NaN skipped); null if a value is not such a level. */
    static long[] levelCounts(float[] in, int levels) {
        long[] counts = new long[levels];
        for (float f : in) {
            if (f != f) {
                continue;
            }
            int v = (int) f;
            if (v != f || v < 0 || v >= levels) {
                return null;
            }
            counts[v]++;
        }
        return counts;
    }

    private static double valueAtRank(long[] counts, long rank) {
        long c = 0;
        for (int v = 0; v < counts.length; v++) {
            c += counts[v];
            if (c > rank) {
                return v;
            }
        }
        return counts.length - 1;
    }

    static double at(float[] sorted, double p) {
        int n = sorted.length;
        if (n == 0) {
            return Double.NaN;
        }
        double pos = p / 100.0 * (n - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, n - 1);
        double f = pos - lo;
        return sorted[lo] + (sorted[hi] - (double) sorted[lo]) * f;
    }
}
