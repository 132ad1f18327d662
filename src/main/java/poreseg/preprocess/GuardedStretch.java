package poreseg.preprocess;

import poreseg.core.Histogram;
import poreseg.io.PixelType;

/**
 * The min-max {@link Stretch}, guarded against a few extreme pixels (hot or dead pixels, a handful of
 * saturated ones) setting the contrast: the slice's range [min, max] is cut into {@value #BINS} equal
 * bins, and from each end the bins holding at most {@value #OUTLIER_FRACTION} of the pixels together
 * (at least one pixel) are dropped. Where what is left is less than half the range, those few pixels
 * stretched it past 2x: the slice is then stretched on the minimum and maximum of the pixels within
 * half the left range beyond it (the bulk's own tails; the wild pixels clip to 0 or the top).
 * Otherwise it is exactly the min-max stretch, bit for bit. So a model trained on the min-max
 * stretch sees clean slices as before and a slice with a few wild pixels as its clean copy. A data
 * bar (a strip of black and white text) is no few pixels: crop it away.
 */
public final class GuardedStretch implements Step {
    /** Bins of the range. */
    static final int BINS = 1024;
    /** The share of a slice's pixels that may sit beyond the range used (from each end). */
    static final double OUTLIER_FRACTION = 1e-4;

    @Override
    public float[] apply(float[] in, int w, int h, PixelType type) {
        double[] range = type.isInteger() ? rangeOfLevels(in, type.levels()) : null;
        if (range == null) {
            range = range(in);
        }
        return Stretch.rescale(in, range[0], range[1], type);
    }

    /** The range the slice is stretched on: [min, max], or the guarded one (see the class comment); NaN ignored. */
    static double[] range(float[] in) {
        double[] mm = Histogram.minMax(in);
        double lo = mm[0];
        double hi = mm[1];
        if (!(hi > lo)) {
            return mm;
        }
        long[] counts = new long[BINS];
        long n = 0;
        double scale = BINS / (hi - lo);
        for (float f : in) {
            if (f == f) {
                int b = (int) ((f - lo) * scale);
                counts[b >= BINS ? BINS - 1 : b]++;
                n++;
            }
        }
        double[] window = cut(counts, n, lo, hi);
        if (window == null) {
            return mm;
        }
        // the bulk's own tails: the extremes of the pixels within half the cut range beyond it
        double from = window[0];
        double to = window[1];
        float a = Float.POSITIVE_INFINITY;
        float b = Float.NEGATIVE_INFINITY;
        for (float f : in) {
            if (f >= from && f <= to) {
                a = f < a ? f : a;
                b = f > b ? f : b;
            }
        }
        return new double[] {a, b};
    }

    /**
     * {@link #range} of a slice of integer grey levels from one counting pass (no min/max pass, no
     * per-pixel binning: each level's pixels fall in one bin); null if a value is not such a level.
     */
    static double[] rangeOfLevels(float[] in, int levels) {
        long[] count = Percentiles.levelCounts(in, levels);
        if (count == null) {
            return null;
        }
        long n = 0;
        for (long c : count) {
            n += c;
        }
        int lo = 0;
        while (lo < levels && count[lo] == 0) {
            lo++;
        }
        if (lo == levels) {
            return new double[] {Double.NaN, Double.NaN};
        }
        int hi = levels - 1;
        while (count[hi] == 0) {
            hi--;
        }
        double[] mm = {lo, hi};
        if (hi == lo) {
            return mm;
        }
        long[] counts = new long[BINS];
        double scale = BINS / ((double) hi - lo);
        for (int v = lo; v <= hi; v++) {
            if (count[v] > 0) {
                int b = (int) ((v - (double) lo) * scale);
                counts[b >= BINS ? BINS - 1 : b] += count[v];
            }
        }
        double[] cut = cut(counts, n, lo, hi);
        if (cut == null) {
            return mm;
        }
        int a = (int) Math.max(lo, Math.ceil(cut[0]));
        int b = (int) Math.min(hi, Math.floor(cut[1]));
        while (count[a] == 0) {
            a++;
        }
        while (count[b] == 0) {
            b--;
        }
        return new double[] {a, b};
    }

    /**
     * The window the bulk lies in ([from, to], see the class comment) from the bin counts of n pixels
     * over [lo, hi], or null where the guard does not fire.
     */
    private static double[] cut(long[] counts, long n, double lo, double hi) {
        long allowed = Math.max(1, (long) (OUTLIER_FRACTION * n));
        int first = 0;
        for (long c = counts[0]; c <= allowed && first < BINS - 1; c += counts[first]) {
            first++;
        }
        int last = BINS - 1;
        for (long c = counts[last]; c <= allowed && last > 0; c += counts[last]) {
            last--;
        }
        if (last < first) {
            return null;
        }
        double width = (hi - lo) / BINS;
        double glo = lo + first * width;
        double ghi = lo + (last + 1) * width;
        if (!(ghi - glo < 0.5 * (hi - lo))) {
            return null;
        }
        return new double[] {glo - 0.5 * (ghi - glo), ghi + 0.5 * (ghi - glo)};
    }

    @Override
    public String spec() {
        return "stretch-guarded";
    }
}
