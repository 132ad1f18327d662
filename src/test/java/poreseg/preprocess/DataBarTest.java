package poreseg.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DataBarTest {
    static final int W = 256;
    static final int H = 200;

    /** A textured slice (grey 60-200, noisy) with no bar. */
    static float[] textured(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] s = new float[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                s[y * W + x] = (float) Math.rint(130 + 50 * Math.sin(x / 9.0) * Math.cos(y / 13.0) + r.nextInt(21) - 10);
            }
        }
        return s;
    }

    /** Rows from {@code first} down filled with {@code bg}, with "text": small blocks of {@code ink} on some rows. */
    static float[] withBar(float[] s, int first, float bg, float ink) {
        for (int y = first; y < H; y++) {
            for (int x = 0; x < W; x++) {
                s[y * W + x] = bg;
            }
        }
        for (int line = first + 4; line + 7 < H; line += 10) { // text lines 7 rows high, 3-pixel letters 2 apart
            for (int x = 8; x < W / 2; x += 5) {
                for (int y = line; y < line + 7; y++) {
                    for (int dx = 0; dx < 3; dx++) {
                        s[y * W + x + dx] = (y + x) % 3 == 0 ? bg : ink;
                    }
                }
            }
        }
        return s;
    }

    @Test
    void aTexturedSliceHasNoBar() {
        assertNull(DataBar.find(textured(1), W, H));
    }

    @Test
    void aBlackBarWithWhiteTextIsFound() {
        DataBar.Bar b = DataBar.find(withBar(textured(2), 170, 0, 255), W, H);
        assertNotNull(b);
        assertEquals(170, b.firstRow());
        assertEquals(30, b.rows());
        assertEquals(0f, b.background());
    }

    @Test
    void aGreyBarWithAntialiasedTextAndASeparatorLineIsFound() {
        float[] s = withBar(textured(3), 160, 40, 230);
        for (int x = 0; x < W; x++) {
            s[159 * W + x] = 255; // a white line above the bar
            s[175 * W + x] = x % 2 == 0 ? 140 : 40; // an antialiased row inside it
        }
        DataBar.Bar b = DataBar.find(s, W, H);
        assertNotNull(b);
        assertEquals(160, b.firstRow());
        assertEquals(40f, b.background());
    }

    @Test
    void aBlankBandWithoutTextIsNoBar() {
        float[] s = textured(4);
        for (int i = 170 * W; i < s.length; i++) {
            s[i] = 0;
        }
        assertNull(DataBar.find(s, W, H), "a flat band may be the sample's own (saturation is warned about elsewhere)");
    }

    @Test
    void aDarkFieldOfViewCornerIsNoBar() {
        // a micro-CT slice: zero outside a disk, sample grey with dark pores inside
        float[] s = textured(5);
        double cx = W / 2.0;
        double cy = H / 2.0;
        double r = 0.55 * W;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                if (Math.hypot(x - cx, y - cy) > r) {
                    s[y * W + x] = 0;
                } else if ((x * 7 + y * 3) % 23 == 0) {
                    s[y * W + x] = 10;
                }
            }
        }
        assertNull(DataBar.find(s, W, H));
    }

    @Test
    void aBandHigherThanAThirdOfTheSliceIsNoBar() {
        assertNull(DataBar.find(withBar(textured(6), 100, 0, 255), W, H));
        assertNull(DataBar.find(withBar(textured(7), H - 3, 0, 255), W, H), "three rows are too few");
    }
}
