package poreseg.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import poreseg.io.PixelType;

class PipelineTest {

    @Test
    void parsesAndPrintsCanonicalSpecs() {
        Pipeline p = Pipeline.parse(" destripe , gaussian=1.5,Equalize,stretch=1%:99%,clahe=64:2.5,median=2,invert,destripe-h=2:4,equalize-skimage");
        assertEquals("destripe,gaussian=1.5,equalize,stretch=1:99,clahe=64:2.5,median=2,invert,destripe-h=2:4,equalize-skimage", p.spec());
        assertEquals(p.spec(), Pipeline.parse(p.spec()).spec());
        for (String id : new String[] {"", "raw", "none", "NONE"}) {
            assertTrue(Pipeline.parse(id).isIdentity());
            assertEquals("none", Pipeline.parse(id).spec());
        }
        assertEquals("stretch", Pipeline.parse("stretch=0:100").spec());
        assertEquals("destripe", Pipeline.parse("destripe=1:2").spec());
    }

    @Test
    void rejectsBadStepsNamingThemAndTheAcceptedForms() {
        for (String bad : new String[] {"blur", "gaussian", "gaussian=x", "gaussian=-1", "gaussian=1:2", "stretch=5", "stretch=90:10",
            "equalize=3", "median", "clahe=3", "destripe=0", "destripe=50", "destripe=1:2:3", "gaussian=1,,equalize", "invert=1", "align"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pipeline.parse(bad), bad);
            String step = bad.contains(",,") ? "" : bad;
            assertTrue(e.getMessage().contains("'" + step + "'") || bad.contains(",,"), e.getMessage());
            assertTrue(e.getMessage().contains("accepted: ") || bad.equals("align"), e.getMessage());
        }
    }

    @Test
    void applyReturnsNewArrayAndKeepsInput() {
        float[] in = {1, 2, 3, 4, 5, 6};
        float[] copy = in.clone();
        float[] out = Pipeline.parse("none").apply(in, 3, 2, PixelType.U8);
        assertNotSame(in, out);
        assertArrayEquals(copy, out);
        Pipeline.parse("gaussian=1,stretch,invert").apply(in, 3, 2, PixelType.U8);
        assertArrayEquals(copy, in);
        assertThrows(IllegalArgumentException.class, () -> Pipeline.parse("invert").apply(in, 4, 2, PixelType.U8));
    }

    @Test
    void outputTypes() {
        assertEquals(PixelType.U16, Pipeline.parse("gaussian=2,equalize").outputType(PixelType.U16, false));
        assertEquals(PixelType.F32, Pipeline.parse("gaussian=2").outputType(PixelType.U16, true));
        assertEquals(PixelType.F32, Pipeline.parse("equalize-skimage,invert").outputType(PixelType.U8, false));
    }

    @Test
    void constantAndNaNFreeResultsOnConstantImages() {
        float[] c = new float[40 * 30];
        java.util.Arrays.fill(c, 77f);
        for (PixelType t : PixelType.values()) {
            for (String s : new String[] {"stretch", "stretch=2:98", "equalize", "equalize-skimage", "clahe=16:3", "destripe", "gaussian=2", "median=1", "invert"}) {
                float[] out = Pipeline.parse(s).apply(c, 40, 30, t);
                for (float f : out) {
                    assertFalse(Float.isNaN(f) || Float.isInfinite(f), s + " on constant " + t);
                }
            }
        }
        // defined values: stretch and equalize map a constant slice to 0
        assertEquals(0f, Pipeline.parse("stretch").apply(c, 40, 30, PixelType.U8)[0]);
        assertEquals(0f, Pipeline.parse("equalize").apply(c, 40, 30, PixelType.U16)[0]);
        assertEquals(1f, Pipeline.parse("equalize-skimage").apply(c, 40, 30, PixelType.U8)[0]);
    }

    @Test
    void stretchPercentilesMatchNumpyLinearInterpolation() {
        float[] v = new float[101];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 2; // 0..200
        }
        // np.percentile(v, [2.5, 97.5]) = [5.0, 195.0]
        double[] p = Percentiles.of(v, PixelType.U8, 2.5, 97.5);
        assertEquals(5.0, p[0], 1e-12);
        assertEquals(195.0, p[1], 1e-12);
        float[] f = v.clone();
        f[50] = 100.5f; // a non-integer value: the sorting path; same result
        double[] q = Percentiles.of(f, PixelType.U8, 2.5, 97.5);
        assertEquals(5.0, q[0], 1e-6);
        float[] out = new Stretch(2.5, 97.5).apply(v, 101, 1, PixelType.U8);
        assertEquals(0f, out[2]);
        assertEquals(255f, out[98]);
        assertEquals(127.5f, out[50], 1e-4f);
    }

    @Test
    void equalizeSixteenBitUsesAllLevels() {
        Random r = new Random(1);
        float[] v = new float[128 * 128];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1000 + r.nextInt(2000);
        }
        float[] out = new Equalize().apply(v, 128, 128, PixelType.U16);
        float mn = Float.MAX_VALUE;
        float mx = -1;
        for (float f : out) {
            mn = Math.min(mn, f);
            mx = Math.max(mx, f);
            assertEquals(Math.rint(f), f);
        }
        assertEquals(0f, mn);
        assertEquals(65535f, mx);
    }

    @Test
    void invertAndMedian() {
        float[] v = {0, 10, 255, 3};
        assertArrayEquals(new float[] {255, 245, 0, 252}, new Invert().apply(v, 2, 2, PixelType.U8));
        assertArrayEquals(new float[] {3, 1, 2, 0}, new Invert().apply(new float[] {0, 2, 1, 3}, 2, 2, PixelType.F32));
        // median removes a single hot pixel and keeps a flat image
        float[] img = new float[15 * 15];
        java.util.Arrays.fill(img, 100f);
        img[7 * 15 + 7] = 60000f;
        float[] m = new Median(1).apply(img, 15, 15, PixelType.U16);
        for (float f : m) {
            assertEquals(100f, f);
        }
    }

    @Test
    void claheKeepsSixteenBitPrecisionAndRaisesLocalContrast() {
        // a low-contrast 16-bit texture (std 150 levels): 8-bit CLAHE would leave at most 256 levels
        int w = 256;
        int h = 192;
        Random r = new Random(4);
        float[] n = new float[w * h];
        for (int i = 0; i < n.length; i++) {
            n[i] = (float) r.nextGaussian();
        }
        n = new Gaussian(1.0).apply(n, w, h, PixelType.F32);
        float[] v = new float[w * h];
        for (int i = 0; i < v.length; i++) {
            v[i] = PixelType.U16.clamp(30000 + 300 * n[i] + 20 * (i % w));
        }
        float[] out = new Clahe(64, 3).apply(v, w, h, PixelType.U16);
        java.util.Set<Float> distinct = new java.util.HashSet<>();
        for (float f : out) {
            assertTrue(f >= 0 && f <= 65535);
            distinct.add(PixelType.U16.clamp(f));
        }
        assertTrue(distinct.size() > 2000, "distinct output levels: " + distinct.size());
        assertTrue(localStd(out, w, h) > 2 * localStd(v, w, h), "local contrast raised " + localStd(out, w, h) / localStd(v, w, h));
        // order is kept inside a tile centre's neighbourhood: same input, same output there
        assertEquals(out[32 * w + 32], new Clahe(64, 3).apply(v, w, h, PixelType.U16)[32 * w + 32]);
    }

    /** Mean absolute difference of horizontal neighbours: a measure of local contrast. */
    private static double localStd(float[] a, int w, int h) {
        double s = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 1; x < w; x++) {
                s += Math.abs(a[y * w + x] - a[y * w + x - 1]);
            }
        }
        return s / (h * (w - 1));
    }
}
