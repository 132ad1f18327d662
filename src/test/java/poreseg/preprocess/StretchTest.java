package poreseg.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import poreseg.io.PixelType;

/** The table lookup of {@link Stretch} for integer slices gives exactly the values of the expression. */
class StretchTest {

    @Test
    void tableEqualsExpressionBitForBit() {
        Random r = new Random(3);
        for (PixelType t : new PixelType[] {PixelType.U8, PixelType.U16}) {
            int levels = t.levels();
            float[] in = new float[4 * levels + 64];
            for (int i = 0; i < in.length; i++) {
                in[i] = r.nextInt(levels);
            }
            // values that are not levels of the type: fractions, out of range, signed zero, NaN
            float[] odd = {0.5f, -1f, -0.0f, levels, levels + 0.25f, Float.NaN, 1e9f, -1e9f};
            System.arraycopy(odd, 0, in, 0, odd.length);
            double top = t.maxValue();
            for (double[] range : new double[][] {{0, levels - 1}, {3, 200}, {-0.0, 17.5}, {10, 10}}) {
                float[] expected = Stretch.rescale(in, range[0], range[1], top);
                float[] table = Stretch.rescale(in, range[0], range[1], top, levels);
                for (int i = 0; i < in.length; i++) {
                    assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(table[i]),
                            t + " " + range[0] + ".." + range[1] + " at value " + in[i]);
                }
            }
        }
    }

    @Test
    void integerSliceThroughApplyMatchesExpression() {
        float[] in = new float[2048]; // large enough for the table
        for (int i = 0; i < in.length; i++) {
            in[i] = 3 + (i * 37) % 200;
        }
        float[] out = new Stretch().apply(in, 64, 32, PixelType.U8);
        float[] expected = Stretch.rescale(in, 3, 202, 255);
        for (int i = 0; i < in.length; i++) {
            assertEquals(expected[i], out[i], 0);
        }
    }
}
