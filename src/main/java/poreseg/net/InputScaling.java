package poreseg.net;

import poreseg.io.PixelType;

/**
 * Maps (preprocessed) grey values to the network's input range 0..1, identically at training and
 * inference: integer images are divided by their type's maximum (255 or 65535, as the paper's /255);
 * float slices already within [0, 1] (as some preprocessing steps give) are kept, other float slices
 * are min-max scaled per slice.
 */
public final class InputScaling {
    public static final String NAME = "type-max";

    private InputScaling() {
    }

    /** Returns a new scaled array. */
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
}
