package poreseg.core;

/**
 * Comparing float pixels with a double threshold in float: {@link #of(double)} is the float f with
 * {@code x > t == x > f} and {@code x <= t == x <= f} for every float x (NaN included), so hot loops
 * compare floats (C2 keeps them in registers without conversions) and give exactly the answers of
 * the double comparison.
 */
public final class FloatThreshold {
    private FloatThreshold() {
    }

    /** t itself where it is a float, else the largest float below t. */
    public static float of(double t) {
        float f = (float) t;
        return (double) f <= t || f != f ? f : Math.nextDown(f);
    }
}
