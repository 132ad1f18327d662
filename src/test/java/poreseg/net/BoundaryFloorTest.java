package poreseg.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-parallel boundary floor of {@link Segmenter} against the same rule written per pixel. */
class BoundaryFloorTest {

    @Test
    void wordsAgreeWithPixelsOnEveryShapeAndDensity() {
        Random r = new Random(7);
        int[][] shapes = {{1, 1}, {1, 70}, {70, 1}, {2, 2}, {3, 5}, {63, 3}, {64, 4}, {65, 7}, {127, 3}, {128, 2}, {100, 37}, {200, 130}, {1024, 9}};
        for (int[] s : shapes) {
            for (double density : new double[] {0, 0.02, 0.3, 0.5, 0.97, 1}) {
                for (boolean blobs : new boolean[] {false, true}) {
                    check(s[0], s[1], density, blobs, r);
                }
            }
        }
    }

    private static void check(int w, int h, double density, boolean blobs, Random r) {
        int n = w * h;
        byte[] pore = new byte[n];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = blobs ? 0.5 + 0.5 * Math.sin(x * 0.3 + r.nextDouble() * 0.2) * Math.cos(y * 0.21) : r.nextDouble();
                pore[y * w + x] = (byte) (v < density ? 1 : 0);
            }
        }
        int words = (n + 63) >>> 6;
        long[] bits = new long[words];
        long[] low = new long[words];
        long[] high = new long[words];
        for (int i = 0; i < n; i++) {
            if (pore[i] != 0) {
                bits[i >>> 6] |= 1L << i;
            }
            // interval sets that differ from the mask, so both set and clear operations show
            if (pore[i] != 0 && r.nextDouble() < 0.8) {
                low[i >>> 6] |= 1L << i;
            }
            if (pore[i] != 0 || r.nextDouble() < 0.1) {
                high[i >>> 6] |= 1L << i;
            }
        }
        long[] lowWords = low.clone();
        long[] highWords = high.clone();
        byPixel(pore, w, h, low, high);
        Segmenter.boundaryFloor(bits, w, h, lowWords, highWords);
        String what = w + "x" + h + " density " + density + (blobs ? " blobs" : " noise");
        assertArrayEquals(low, lowWords, "low end, " + what);
        assertArrayEquals(high, highWords, "high end, " + what);
    }

    /** {@link Segmenter#boundaryFloor} written per pixel, the reference: {@code pore} is 1 for pore pixels. */
    private static void byPixel(byte[] pore, int w, int h, long[] low, long[] high) {
        boolean flipIn = false;
        boolean flipOut = false;
        for (int yy = 0; yy < h; yy++) {
            for (int xx = 0; xx < w; xx++) {
                int i = yy * w + xx;
                byte p = pore[i];
                boolean edge = (xx > 0 && pore[i - 1] != p) || (xx < w - 1 && pore[i + 1] != p)
                        || (yy > 0 && pore[i - w] != p) || (yy < h - 1 && pore[i + w] != p);
                if (!edge) {
                    continue;
                }
                if (p != 0) {
                    flipIn = !flipIn;
                    if (flipIn) {
                        low[i >>> 6] &= ~(1L << i);
                    }
                } else {
                    flipOut = !flipOut;
                    if (flipOut) {
                        high[i >>> 6] |= 1L << i;
                    }
                }
            }
        }
    }
}
