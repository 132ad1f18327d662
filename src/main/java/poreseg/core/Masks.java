package poreseg.core;

/** Binary masks as poreseg writes them: 255 = foreground (pore), 0 = other, in float slices. */
public final class Masks {
    /** Label-file values (what `poreseg view` writes and `train --unlabelled 128` reads): pore, solid, not labelled. */
    public static final int PORE = 255;
    public static final int SOLID = 0;
    public static final int UNLABELLED = 128;

    private Masks() {
    }

    /**
     * A new mask of {@code values}: 255 where value &gt; t (bright foreground), or where value &lt;= t
     * with {@code dark}; NaN is never foreground. Values are compared exactly as doubles.
     */
    public static float[] threshold(float[] values, double t, boolean dark) {
        float[] m = new float[values.length];
        float f = FloatThreshold.of(t); // the same answers as comparing with t, faster
        if (dark) {
            for (int i = 0; i < values.length; i++) {
                m[i] = values[i] <= f ? 255f : 0f;
            }
        } else {
            for (int i = 0; i < values.length; i++) {
                m[i] = values[i] > f ? 255f : 0f;
            }
        }
        return m;
    }

    /** {@link #threshold threshold(values, t, false)} as bytes ((byte) 255 or 0), for an 8-bit output. */
    public static byte[] thresholdBytes(float[] values, double t) {
        byte[] m = new byte[values.length];
        float f = FloatThreshold.of(t);
        for (int i = 0; i < values.length; i++) {
            m[i] = values[i] > f ? (byte) 255 : 0;
        }
        return m;
    }

    /** Number of foreground (nonzero) pixels. */
    public static long count(float[] mask) {
        long n = 0;
        for (float v : mask) {
            if (v != 0) {
                n++;
            }
        }
        return n;
    }
}
