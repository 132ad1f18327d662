package poreseg.preprocess;

import poreseg.core.Histogram;
import poreseg.io.PixelType;

/** Inverts grey values: max - v for integer types; (slice min + slice max) - v for float. */
public final class Invert implements Step {
    @Override
    public float[] apply(float[] in, int w, int h, PixelType type) {
        double top;
        if (type.isInteger()) {
            top = type.maxValue();
        } else {
            double[] mm = Histogram.minMax(in);
            top = Double.isNaN(mm[0]) ? 0 : mm[0] + mm[1];
        }
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) (top - in[i]);
        }
        return out;
    }

    @Override
    public String spec() {
        return "invert";
    }
}
