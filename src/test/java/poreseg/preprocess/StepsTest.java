package poreseg.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import poreseg.io.PixelType;
import poreseg.util.ParameterException;

class StepsTest {
    /** The example of docs/architecture.md: a new step is one class and one register line. */
    record AddConstant(double c) implements Step {
        @Override
        public float[] apply(float[] in, int width, int height, PixelType type) {
            float[] out = new float[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = (float) (in[i] + c);
            }
            return out;
        }

        @Override
        public String spec() {
            return "add=" + Pipeline.num(c);
        }
    }

    @Test
    void aRegisteredStepParsesPrintsAndApplies() {
        Steps.register("add=C", arg -> new AddConstant(Steps.numbers(Steps.required(arg, "C"), 1, 1)[0]), "add");
        Pipeline p = Pipeline.parse("invert,add=2");
        assertEquals("invert,add=2", p.spec());
        assertEquals(p.spec(), Pipeline.parse(p.spec()).spec());
        assertArrayEquals(new float[] {257, 2}, p.apply(new float[] {0, 255}, 2, 1, PixelType.U8));
        assertTrue(Pipeline.forms().contains("add=C"), Pipeline.forms());
        ParameterException e = assertThrows(ParameterException.class, () -> Pipeline.parse("add"));
        assertTrue(e.getMessage().startsWith("preprocessing step 'add': needs C; accepted: "), e.getMessage());
    }

    @Test
    void builtInFormsAreListedInOrder() {
        assertTrue(Pipeline.forms().startsWith("destripe[=ANGLE[:MINRADIUS]], destripe-h[=ANGLE[:MINRADIUS]], gaussian=SIGMA, "
                + "stretch[=LOW:HIGH] (percentiles), stretch-guarded (min-max, unless a few pixels stretch the range past 2x), "
                + "equalize, equalize-skimage, clahe[=TILE[:CLIP]], invert, median=RADIUS"), Pipeline.forms());
        assertTrue(Pipeline.forms().endsWith("(comma-separated; '', 'raw' or 'none' for no preprocessing)"), Pipeline.forms());
    }
}
