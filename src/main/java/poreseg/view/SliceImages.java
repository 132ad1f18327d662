package poreseg.view;

import java.util.Arrays;
import poreseg.io.PixelType;

/** Turns slices (float values) into 8-bit display bytes: contrast windows, masks, 0..1 maps. */
public final class SliceImages {
    private SliceImages() {
    }

    /** Linear window: lo maps to 0, hi to 255, clamped; NaN is 0. */
    public static byte[] window(float[] s, double lo, double hi) {
        byte[] out = new byte[s.length];
        double scale = hi > lo ? 255.0 / (hi - lo) : 0;
        for (int i = 0; i < s.length; i++) {
            double v = (s[i] - lo) * scale;
            int g = v > 0 ? (int) Math.min(255, Math.round(v)) : 0; // also NaN -> 0
            out[i] = (byte) g;
        }
        return out;
    }

    /** 255 where the mask is pore (non-zero), else 0. */
    public static byte[] mask(float[] s) {
        byte[] out = new byte[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i] > 0 ? (byte) 255 : 0;
        }
        return out;
    }

    /** Values 0..1 (probability, uncertainty) scaled to 0..255, clamped. */
    public static byte[] unit(float[] s) {
        byte[] out = new byte[s.length];
        for (int i = 0; i < s.length; i++) {
            float v = s[i];
            out[i] = (byte) (v > 0 ? Math.min(255, Math.round(v * 255f)) : 0);
        }
        return out;
    }

    /** Fraction of pore (non-zero) pixels. */
    public static double poreFraction(float[] mask) {
        long n = 0;
        for (float v : mask) {
            n += v > 0 ? 1 : 0;
        }
        return mask.length == 0 ? 0 : (double) n / mask.length;
    }

    /**
     * The {@code percent} and {@code 100 - percent} percentiles of a slice (exact by counting for
     * integer types, from a sorted sample of at most 2^18 values for float); NaN ignored.
     */
    public static double[] autoRange(float[] s, PixelType type, double percent) {
        double p = Math.max(0, Math.min(50, percent)) / 100.0;
        if (type.isInteger()) {
            int levels = type.levels();
            long[] counts = new long[levels];
            long n = 0;
            for (float v : s) {
                if (v >= 0 && v < levels) {
                    counts[(int) v]++;
                    n++;
                }
            }
            if (n == 0) {
                return new double[] {0, type.maxValue()};
            }
            long loRank = (long) Math.floor(p * (n - 1));
            long hiRank = (long) Math.ceil((1 - p) * (n - 1));
            double lo = Double.NaN;
            double hi = Double.NaN;
            long c = 0;
            for (int g = 0; g < levels; g++) {
                c += counts[g];
                if (Double.isNaN(lo) && c > loRank) {
                    lo = g;
                }
                if (c > hiRank) {
                    hi = g;
                    break;
                }
            }
            return widen(lo, hi);
        }
        int step = Math.max(1, s.length >> 18);
        float[] sample = new float[(s.length + step - 1) / step];
        int n = 0;
        for (int i = 0; i < s.length; i += step) {
            if (s[i] == s[i] && !Float.isInfinite(s[i])) {
                sample[n++] = s[i];
            }
        }
        if (n == 0) {
            return new double[] {0, 1};
        }
        sample = Arrays.copyOf(sample, n);
        Arrays.sort(sample);
        return widen(sample[(int) Math.floor(p * (n - 1))], sample[(int) Math.ceil((1 - p) * (n - 1))]);
    }

    private static double[] widen(double lo, double hi) {
        return hi > lo ? new double[] {lo, hi} : new double[] {lo, lo + 1};
    }
}
