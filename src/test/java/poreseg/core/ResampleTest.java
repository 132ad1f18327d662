package poreseg.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResampleTest {
    @Test
    void boxMeansIncludingPartialEdgeBlocksAndNaN() {
        // 5 x 3, factor 2 -> 3 x 2 blocks; the right column and bottom row are partial blocks
        float[] s = {
            1, 2, 3, 4, 5,
            6, 7, 8, 9, 10,
            11, 12, 13, Float.NaN, 15};
        float[] d = Resample.boxDown(s, 5, 3, 2, false);
        assertEquals(6, d.length);
        assertArrayEquals(new float[] {4, 6, 7.5f, 11.5f, 13, 15}, d, 1e-6f);
        float[] r = Resample.boxDown(s, 5, 3, 2, true);
        assertArrayEquals(new float[] {4, 6, 8, 12, 13, 15}, r, 0f); // rint: 7.5 -> 8, 11.5 -> 12
        assertSame(s, Resample.boxDown(s, 5, 3, 1, false));
        assertTrue(Float.isNaN(Resample.boxDown(new float[] {Float.NaN}, 1, 1, 2, false)[0]));
    }

    @Test
    void maxDownMarksEveryBlockThatTouchesTheMask() {
        float[] m = new float[6 * 4];
        m[1 * 6 + 5] = 1; // (x 5, y 1): block (2, 0) of the 3 x 2 reduction
        assertArrayEquals(new float[] {0, 0, 1, 0, 0, 0}, Resample.maxDown(m, 6, 4, 2), 0f);
    }

    @Test
    void bilinearEnlargementKeepsConstantsAndReproducesRamps() {
        float[] c = new float[3 * 2];
        java.util.Arrays.fill(c, 0.25f);
        for (float v : Resample.bilinearUp(c, 3, 2, 12, 8, 4)) {
            assertEquals(0.25f, v, 0f);
        }
        // a ramp sampled at the reduced pixel centres comes back as the ramp inside, clamped at the edges
        int f = 4;
        int w = 32;
        int ws = w / f;
        float[] ramp = new float[ws];
        for (int x = 0; x < ws; x++) {
            ramp[x] = (x + 0.5f) * f - 0.5f; // the fine coordinate of reduced pixel x's centre
        }
        float[] up = Resample.bilinearUp(ramp, ws, 1, w, 1, f);
        for (int x = 0; x < w; x++) {
            float expect = Math.min(ramp[ws - 1], Math.max(ramp[0], x));
            assertEquals(expect, up[x], 1e-4f, "x " + x);
        }
        assertEquals(Resample.reduced(10, 4), 3);
        float[] one = {0.7f};
        assertArrayEquals(new float[] {0.7f, 0.7f, 0.7f, 0.7f}, Resample.bilinearUp(one, 1, 1, 2, 2, 2), 0f);
    }
}
