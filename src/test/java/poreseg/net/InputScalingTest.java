package poreseg.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import poreseg.io.PixelType;

class InputScalingTest {
    /** Two phases: dark pores (fraction {@code porosity}) at {@code dark}, solid at {@code bright}, with noise. */
    private static float[] twoPhase(int n, double porosity, double dark, double bright, double noise, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            double v = (i < porosity * n ? dark : bright) + noise * (r.nextDouble() - 0.5);
            a[i] = (float) Math.max(0, Math.min(255, v));
        }
        return a;
    }

    @Test
    void otsuAnchorPutsTheClassMeansAtAQuarterAndThreeQuartersWhateverThePorosity() {
        for (double porosity : new double[] {0.05, 0.4, 0.85}) {
            float[] s = twoPhase(40_000, porosity, 60, 180, 20, 3);
            float[] y = InputScaling.scale(s, PixelType.U8, InputScaling.OTSU_ANCHOR);
            double dark = 0;
            double bright = 0;
            int nd = (int) (porosity * s.length);
            for (int i = 0; i < s.length; i++) {
                if (i < nd) {
                    dark += y[i];
                } else {
                    bright += y[i];
                }
            }
            assertEquals(0.25, dark / nd, 0.005, "pore mean at porosity " + porosity);
            assertEquals(0.75, bright / (s.length - nd), 0.005, "solid mean at porosity " + porosity);
        }
    }

    @Test
    void otsuAnchorIgnoresBrightnessAndContrast() {
        float[] s = twoPhase(20_000, 0.2, 70, 150, 30, 4);
        float[] t = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            t[i] = 20 + 0.5f * s[i]; // darker, half the contrast
        }
        float[] a = InputScaling.scale(s, PixelType.F32, InputScaling.OTSU_ANCHOR);
        float[] b = InputScaling.scale(t, PixelType.F32, InputScaling.OTSU_ANCHOR);
        assertArrayEquals(a, b, 1e-4f);
        for (float v : a) {
            assertTrue(v >= 0 && v <= 1);
        }
    }

    @Test
    void aFlatSliceMapsToOneHalfAndUnknownMethodsAreRefused() {
        float[] flat = new float[100];
        java.util.Arrays.fill(flat, 7);
        for (float v : InputScaling.scale(flat, PixelType.U8, InputScaling.OTSU_ANCHOR)) {
            assertEquals(0.5f, v);
        }
        assertEquals(InputScaling.NAME, InputScaling.check(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Preprocessing.parse("stretch", "z-score"));
        assertTrue(e.getMessage().contains("type-max, otsu-anchor"), e.getMessage());
        assertTrue(Preprocessing.parse("stretch", "otsu-anchor").sameAs(Preprocessing.parse("stretch", "otsu-anchor")));
        assertTrue(!Preprocessing.parse("stretch", "otsu-anchor").sameAs(Preprocessing.parse("stretch")));
    }
}
