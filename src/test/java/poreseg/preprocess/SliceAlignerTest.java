package poreseg.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import poreseg.io.PixelType;
import poreseg.preprocess.SliceAligner.Shift;

class SliceAlignerTest {

    static float[] texture(int w, int h, long seed) {
        Random r = new Random(seed);
        float[] n = new float[w * h];
        for (int i = 0; i < n.length; i++) {
            n[i] = (float) r.nextGaussian();
        }
        return new Gaussian(2.5).apply(n, w, h, PixelType.F32);
    }

    @Test
    void findsSubPixelTranslation() {
        int w = 160;
        int h = 120;
        float[] ref = texture(w, h, 3);
        for (double[] t : new double[][] {{3.3, -2.6}, {-7.75, 4.2}, {0.4, 0.0}, {12.0, -9.5}, {0.25, 0.75}}) {
            float[] moved = SliceAligner.translate(ref, w, h, new Shift(t[0], t[1]), false);
            Shift s = SliceAligner.estimate(ref, moved, w, h);
            // the shift that registers 'moved' onto 'ref' undoes the translation
            assertEquals(-t[0], s.dx(), 0.15, "dx for " + t[0]);
            assertEquals(-t[1], s.dy(), 0.15, "dy for " + t[1]);
        }
    }

    @Test
    void accumulatesDriftThroughAStackAndRealigns() throws Exception {
        int w = 128;
        int h = 128;
        float[] base = texture(w, h, 5);
        int depth = 6;
        float[][] slices = new float[depth][];
        double[][] drift = new double[depth][2];
        for (int z = 0; z < depth; z++) {
            drift[z][0] = 1.5 * z;
            drift[z][1] = -0.8 * z;
            slices[z] = SliceAligner.translate(base, w, h, new Shift(drift[z][0], drift[z][1]), false);
        }
        Shift[] s = SliceAligner.estimateStack(z -> slices[z].clone(), depth, w, h, poreseg.util.ProgressListener.NONE);
        assertEquals(0.0, s[0].dx());
        for (int z = 1; z < depth; z++) {
            assertEquals(-drift[z][0], s[z].dx(), 0.3, "slice " + z);
            assertEquals(-drift[z][1], s[z].dy(), 0.3, "slice " + z);
        }
        // the aligned last slice matches slice 0 away from the borders
        float[] aligned = SliceAligner.translate(slices[depth - 1], w, h, s[depth - 1], false);
        double err = 0;
        double var = 0;
        int n = 0;
        for (int y = 16; y < h - 16; y++) {
            for (int x = 16; x < w - 16; x++) {
                double d = aligned[y * w + x] - slices[0][y * w + x];
                err += d * d;
                var += slices[0][y * w + x] * slices[0][y * w + x];
                n++;
            }
        }
        assertTrue(err / var < 0.05, "relative residual " + err / var);
    }

    @Test
    void nearestTranslationKeepsMasksBinary() {
        float[] m = new float[10 * 10];
        m[5 * 10 + 5] = 255;
        float[] t = SliceAligner.translate(m, 10, 10, new Shift(2.4, -1.6), true);
        assertEquals(255f, t[3 * 10 + 7]);
        int on = 0;
        for (float f : t) {
            assertTrue(f == 0 || f == 255);
            on += f == 255 ? 1 : 0;
        }
        assertEquals(1, on);
    }

    @Test
    void shiftsCsvRoundTrip(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Shift[] s = {Shift.ZERO, new Shift(1.25, -0.5), new Shift(2.5, -1.0)};
        java.nio.file.Path f = dir.resolve("s.csv");
        java.nio.file.Files.writeString(f, ShiftsFile.toCsv(s));
        Shift[] back = ShiftsFile.read(f);
        assertEquals(3, back.length);
        assertEquals(1.25, back[1].dx(), 1e-9);
        assertEquals(-1.0, back[2].dy(), 1e-9);
        java.nio.file.Files.writeString(f, "slice,dx,dy\n0,0,0\n2,1,1\n");
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(poreseg.io.DataException.class, () -> ShiftsFile.read(f))
                .getMessage().contains("expected slice 1"));
    }

    @Test
    void unrelatedSlicesAreRejectedAndNotMoved() throws Exception {
        int w = 128;
        int h = 96;
        float[] a = texture(w, h, 1);
        float[] b = SliceAligner.translate(a, w, h, new Shift(2, 1), false);
        float[] c = texture(w, h, 99); // unrelated content
        float[][] s = {a, b, c};
        SliceAligner.Alignment al = SliceAligner.alignStack(z -> s[z].clone(), 3, w, h, SliceAligner.DEFAULT_MIN_QUALITY,
                poreseg.util.ProgressListener.NONE);
        assertTrue(al.quality()[1] > 20, "quality of a true match " + al.quality()[1]);
        assertTrue(al.quality()[2] < SliceAligner.DEFAULT_MIN_QUALITY, "quality of unrelated slices " + al.quality()[2]);
        assertEquals(1, al.rejectedCount());
        assertEquals(al.shifts()[1], al.shifts()[2]);
        assertEquals(-2.0, al.shifts()[1].dx(), 0.15);
    }
}
