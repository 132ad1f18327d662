package poreseg.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FloatThresholdTest {

    @Test
    void floatComparisonGivesTheDoubleAnswers() {
        Random r = new Random(11);
        double[] special = {0.5, 0.3, 0.7, 1.0 / 3, 0, -0.0, 1e-300, -1e-300, 1e300, -1e300, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Float.MAX_VALUE, Math.nextUp((double) Float.MAX_VALUE), Float.MIN_VALUE / 2.0};
        float[] xs = new float[4000];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i % 4 == 0 ? (float) r.nextGaussian() : r.nextFloat();
        }
        float[] edge = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE, 0f, -0f, Float.MIN_VALUE};
        System.arraycopy(edge, 0, xs, 0, edge.length);
        for (int k = 0; k < 200 + special.length; k++) {
            double t = k < special.length ? special[k] : r.nextDouble();
            float f = FloatThreshold.of(t);
            for (float x : xs) {
                assertEquals(x > t, x > f, x + " > " + t);
                assertEquals(x <= t, x <= f, x + " <= " + t);
            }
            float[] m = Masks.threshold(xs, t, false);
            byte[] b = Masks.thresholdBytes(xs, t);
            for (int i = 0; i < xs.length; i++) {
                assertEquals((int) m[i], b[i] & 0xff, "the byte mask is the float mask at " + xs[i] + " > " + t);
            }
            // the floats next to t, where rounding t to a float would decide wrongly
            float near = (float) t;
            for (float x : new float[] {near, Math.nextUp(near), Math.nextDown(near)}) {
                assertEquals(x > t, x > f, x + " > " + t);
                assertEquals(x <= t, x <= f, x + " <= " + t);
            }
        }
    }
}
