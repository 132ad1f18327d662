package poreseg.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LevelCountsTest {
    /** The plain per-pixel count: NaN skipped, anything else that is not a level 0..levels-1 gives null. */
    private static long[] reference(float[] in, int levels) {
        long[] c = new long[levels];
        for (float f : in) {
            if (Float.isNaN(f)) {
                continue;
            }
            if (f != Math.rint(f) || f < 0 || f >= levels) {
                return null;
            }
            c[(int) f]++;
        }
        return c;
    }

    @Test
    void countsEveryLevelAsThePlainLoopDoes() {
        SplittableRandom r = new SplittableRandom(7);
        for (int levels : new int[] {256, 65536, 3}) {
            for (int n : new int[] {0, 1, 2, 3, 1000, 1001}) {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = r.nextInt(levels);
                }
                assertArrayEquals(reference(a, levels), Percentiles.levelCounts(a, levels), levels + " levels, " + n + " pixels");
                if (n > 2) { // NaN on an even, an odd and the last pixel: skipped
                    a[0] = Float.NaN;
                    a[n / 2 | 1] = Float.NaN;
                    a[n - 1] = Float.NaN;
                    assertArrayEquals(reference(a, levels), Percentiles.levelCounts(a, levels), "with NaN");
                }
            }
        }
    }

    @Test
    void aValueThatIsNoLevelGivesNull() {
        for (float bad : new float[] {-1f, 0.5f, 256f, 255.5f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.5f}) {
            for (int at : new int[] {0, 1, 6, 9}) {
                float[] a = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
                a[at] = bad;
                assertNull(Percentiles.levelCounts(a, 256), bad + " at " + at);
            }
        }
        float[] negZero = {-0f, 0f, 1f};
        assertArrayEquals(reference(negZero, 4), Percentiles.levelCounts(negZero, 4), "-0 is level 0");
    }
}
