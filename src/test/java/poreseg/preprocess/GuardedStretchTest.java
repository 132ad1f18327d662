package poreseg.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import poreseg.io.PixelType;

/** {@link GuardedStretch}: the min-max stretch on clean slices, the clean contrast despite a few wild pixels. */
class GuardedStretchTest {

    private static float[] slice(int n, double mean, double sd, int max, long seed) {
        Random r = new Random(seed);
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = (float) Math.max(0, Math.min(max, Math.round(mean + sd * r.nextGaussian())));
        }
        return s;
    }

    @Test
    void aCleanSliceGetsTheMinMaxStretchBitForBit() {
        for (PixelType t : new PixelType[] {PixelType.U8, PixelType.U16}) {
            int max = (int) t.maxValue();
            float[] s = slice(256 * 256, max * 0.4, max * 0.08, max, 1);
            assertArrayEquals(new Stretch().apply(s, 256, 256, t), new GuardedStretch().apply(s, 256, 256, t), 0f, t.toString());
        }
        // a bimodal slice with a small bright phase (3 % of the pixels) is no outlier either
        float[] s = slice(256 * 256, 60, 8, 255, 2);
        for (int i = 0; i < s.length; i += 33) {
            s[i] = 240;
        }
        assertArrayEquals(new Stretch().apply(s, 256, 256, PixelType.U8), new GuardedStretch().apply(s, 256, 256, PixelType.U8), 0f);
    }

    @Test
    void aFewHotAndDeadPixelsDoNotSetTheContrast() {
        int n = 512 * 512;
        float[] clean = slice(n, 15000, 1500, 65535, 3);
        float[] hot = clean.clone();
        hot[100] = 65535; // hot pixels and a dead one: 4 of 262,144
        hot[5000] = 65535;
        hot[77777] = 64000;
        hot[200000] = 0;
        float[] expected = new Stretch().apply(clean, 512, 512, PixelType.U16);
        float[] got = new GuardedStretch().apply(hot, 512, 512, PixelType.U16);
        float[] plain = new Stretch().apply(hot, 512, 512, PixelType.U16);
        double[] clip = GuardedStretch.range(hot);
        assertTrue(clip[1] - clip[0] < 0.5 * 65535, "the guard fired: " + clip[0] + ".." + clip[1]);
        double err = 0;
        double plainErr = 0;
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (i == 100 || i == 5000 || i == 77777 || i == 200000) {
                continue;
            }
            err = Math.max(err, Math.abs(got[i] - expected[i]));
            plainErr = Math.max(plainErr, Math.abs(plain[i] - expected[i]));
            m++;
        }
        // the bulk's own extremes are the clean copy's: the same values, bit for bit
        assertEquals(0.0, err, "largest difference to the clean copy's stretch");
        assertTrue(plainErr > 0.3 * 65535, "the plain min-max stretch is far off: " + plainErr);
        assertEquals(n - 4, m);
        assertEquals(65535f, got[100], 0f, "a hot pixel clips to the top");
        assertEquals(0f, got[200000], 0f, "a dead pixel clips to 0");
    }

    @Test
    void countingLevelsGivesTheSameRangeAsBinningPixels() {
        float[] clean = slice(512 * 512, 15000, 1500, 65535, 4);
        float[] hot = clean.clone();
        hot[3] = 65535;
        hot[9] = 0;
        float[] small = slice(64 * 64, 100, 20, 255, 5);
        small[0] = 255;
        for (float[] s : new float[][] {clean, hot, small, new float[] {7, 7, 7}}) {
            int levels = s == small ? 256 : 65536;
            assertArrayEquals(GuardedStretch.range(s), GuardedStretch.rangeOfLevels(s, levels), 0);
        }
        assertEquals(null, GuardedStretch.rangeOfLevels(new float[] {1.5f, 2}, 256), "not grey levels: binned per pixel instead");
    }

    @Test
    void parsedByName() {
        assertEquals("stretch-guarded", Pipeline.parse("stretch-guarded").spec());
    }
}
