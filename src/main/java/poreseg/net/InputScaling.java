package poreseg.net;

import java.util.List;
import poreseg.core.Histogram;
import poreseg.io.PixelType;
import poreseg.threshold.AutoThreshold;
import poreseg.util.ParameterException;

/**
 * Maps (preprocessed) grey values to the network's input range 0..1, identically at training and
 * inference; the method is recorded in model.json ({@code input_scaling}).
 * <ul>
 * <li>{@value #NAME}: integer images are divided by their type's maximum (255 or 65535, as the
 * paper's /255); float slices already within [0, 1] (as some preprocessing steps give) are kept,
 * other float slices are min-max scaled per slice.</li>
 * <li>{@value #OTSU_ANCHOR}: after {@value #NAME}, each slice is anchored to its own two-class split:
 * the pixels are split at its Otsu threshold (256 bins), the means of the two classes map to 0.25
 * and 0.75 and their midpoint c to 0.5 ({@code 0.5 + 0.25 (v - c) / ((m_high - m_low) / 2)}, clipped
 * to [0, 1]; the midpoint rather than Otsu's threshold itself, which can sit anywhere in an empty
 * valley of the histogram). Whatever the
 * porosity, contrast, brightness or gamma of a stack, "darker than the slice's own Otsu split"
 * means the same input to the network, so a model has a global threshold to start from and learns
 * what differs from it (shine-through, rims, noise). A slice with one grey level maps to 0.5.</li>
 * </ul>
 */
public final class InputScaling {
    public static final String NAME = "type-max";
    public static final String OTSU_ANCHOR = "otsu-anchor";
    /** The known methods, in the order of the help. */
    public static final List<String> METHODS = List.of(NAME, OTSU_ANCHOR);

    private InputScaling() {
    }

    /** The method's name if known; a {@link ParameterException} naming the known ones otherwise. */
    public static String check(String method) {
        if (method == null) {
            return NAME;
        }
        if (!METHODS.contains(method)) {
            throw new ParameterException("unknown input scaling '" + method + "' (known: " + String.join(", ", METHODS) + ")");
        }
        return method;
    }

    /** {@value #NAME} scaling; returns a new array. */
    public static float[] scale(float[] slice, PixelType type) {
        float[] out = new float[slice.length];
        if (type.isInteger()) {
            float k = (float) (1.0 / type.maxValue());
            for (int i = 0; i < slice.length; i++) {
                out[i] = slice[i] * k;
            }
            return out;
        }
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : slice) {
            if (v < lo) {
                lo = v;
            }
            if (v > hi) {
                hi = v;
            }
        }
        if (lo >= 0 && hi <= 1) {
            System.arraycopy(slice, 0, out, 0, slice.length);
            return out;
        }
        float k = hi > lo ? 1f / (hi - lo) : 0f;
        for (int i = 0; i < slice.length; i++) {
            out[i] = (slice[i] - lo) * k;
        }
        return out;
    }

    /** Scaling by {@code method} (see the class comment); returns a new array. */
    public static float[] scale(float[] slice, PixelType type, String method) {
        float[] s = scale(slice, type);
        return OTSU_ANCHOR.equals(check(method)) ? anchor(s) : s;
    }

    /** Bins of the histogram whose Otsu threshold anchors a slice. */
    static final int ANCHOR_BINS = 256;

    /** The {@value #OTSU_ANCHOR} map of a slice already scaled to [0, 1], in place; returns it. */
    static float[] anchor(float[] s) {
        double t = AutoThreshold.otsu(Histogram.of(s, PixelType.F32, ANCHOR_BINS));
        double sumLo = 0;
        double sumHi = 0;
        long nLo = 0;
        long nHi = 0;
        for (float v : s) {
            if (v <= t) {
                sumLo += v;
                nLo++;
            } else {
                sumHi += v;
                nHi++;
            }
        }
        double half = nLo > 0 && nHi > 0 ? (sumHi / nHi - sumLo / nLo) / 2 : 0;
        if (!(half > 1e-6)) {
            java.util.Arrays.fill(s, 0.5f);
            return s;
        }
        double c = (sumHi / nHi + sumLo / nLo) / 2;
        double k = 0.25 / half;
        for (int i = 0; i < s.length; i++) {
            double y = 0.5 + (s[i] - c) * k;
            s[i] = (float) (y < 0 ? 0 : y > 1 ? 1 : y);
        }
        return s;
    }
}
