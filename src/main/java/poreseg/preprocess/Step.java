package poreseg.preprocess;

import poreseg.io.PixelType;

/**
 * One per-slice preprocessing operation. Values are floats in the scale of {@code type} (0..255 for
 * 8-bit, 0..65535 for 16-bit, any for float) and are not rounded between steps; a step that needs
 * grey levels rounds on its own. Implementations are immutable and thread-safe.
 */
public interface Step {

    /** Returns a new array; never modifies {@code in}. */
    float[] apply(float[] in, int width, int height, PixelType type);

    /** The scale of the values this step produces (F32 for steps that output [0, 1]). */
    default PixelType outputType(PixelType in) {
        return in;
    }

    /** Canonical text of this step, accepted by {@link Pipeline#parse(String)}. */
    String spec();
}
