package poreseg.preprocess;

import poreseg.io.PixelType;
import poreseg.util.ParameterException;

/**
 * The paper's linear min-max stretch: maps [low, high] of the slice linearly onto the full range of
 * the type (0..255, 0..65535; [0, 1] for float) and clips outside. low/high are the slice minimum and
 * maximum, or, with percentiles, NumPy's {@code np.percentile} (linear interpolation) of the slice.
 * A constant slice maps to 0. Values are not rounded here (the writer rounds integer output).
 */
public final class Stretch implements Step {
    private final double lowPercent;
    private final double highPercent;

    public Stretch(double lowPercent, double highPercent) {
        if (!(lowPercent >= 0 && highPercent <= 100 && lowPercent < highPercent)) {
            throw new ParameterException("stretch: percentiles must satisfy 0 <= LOW < HIGH <= 100, got "
                    + lowPercent + ":" + highPercent);
        }
        this.lowPercent = lowPercent;
        this.highPercent = highPercent;
    }

    /** The plain min-max stretch. */
    public Stretch() {
        this(0, 100);
    }

    @Override
    public float[] apply(float[] in, int w, int h, PixelType type) {
        double[] lh = Percentiles.of(in, type, lowPercent, highPercent);
        return rescale(in, lh[0], lh[1], type);
    }

    /**
     * Linear map of [lo, hi] onto the full range of {@code type} (0..max for integer types, through the
     * level table; [0, 1] for float), clipped, as {@link #rescale(float[], double, double, double)}.
     */
    static float[] rescale(float[] in, double lo, double hi, PixelType type) {
        return type.isInteger() ? rescale(in, lo, hi, type.maxValue(), type.levels()) : rescale(in, lo, hi, 1.0);
    }

    /**
     * As {@link #rescale(float[], double, double, double)}, for slices of an integer type with
     * {@code levels} grey levels: each level's value is computed once, by the same expression, and
     * looked up (3x faster on 1024x1024 16-bit slices); values that are not such a level take the
     * expression itself. The result is identical.
     */
    static float[] rescale(float[] in, double lo, double hi, double top, int levels) {
        if (!(hi > lo) || levels > 65536 || (long) levels * 4 > in.length) { // no table that pays for itself
            return rescale(in, lo, hi, top);
        }
        double scale = top / (hi - lo);
        float[] table = new float[levels];
        for (int v = 0; v < levels; v++) {
            table[v] = map(v, lo, scale, top);
        }
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            float f = in[i];
            int v = (int) f;
            out[i] = v == f && v >= 0 && v < levels && (v != 0 || Float.floatToRawIntBits(f) == 0) ? table[v] : f != f ? Float.NaN : map(f, lo, scale, top);
        }
        return out;
    }

    private static float map(float f, double lo, double scale, double top) {
        double v = (f - lo) * scale;
        return (float) (v < 0 ? 0 : v > top ? top : v);
    }

    /** Linear map of [lo, hi] onto [0, top], clipped; lo == hi (or NaN) gives 0. NaN stays NaN. */
    public static float[] rescale(float[] in, double lo, double hi, double top) {
        float[] out = new float[in.length];
        if (!(hi > lo)) {
            for (int i = 0; i < in.length; i++) {
                out[i] = in[i] == in[i] ? 0f : Float.NaN;
            }
            return out;
        }
        double scale = top / (hi - lo);
        for (int i = 0; i < in.length; i++) {
            out[i] = in[i] != in[i] ? Float.NaN : map(in[i], lo, scale, top);
        }
        return out;
    }

    @Override
    public String spec() {
        if (lowPercent == 0 && highPercent == 100) {
            return "stretch";
        }
        return "stretch=" + Pipeline.num(lowPercent) + ":" + Pipeline.num(highPercent);
    }
}
