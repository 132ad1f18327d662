package poreseg.threshold;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.preprocess.Gaussian;
import poreseg.util.ProgressListener;

/** Hysteresis in 2D and 3D against a brute-force flood fill. */
class HysteresisTest {

    static ArrayVolume randomVolume(int w, int h, int d, long seed) {
        Random r = new Random(seed);
        List<float[]> s = new ArrayList<>();
        for (int z = 0; z < d; z++) {
            float[] n = new float[w * h];
            for (int i = 0; i < n.length; i++) {
                n[i] = (float) r.nextGaussian();
            }
            s.add(new Gaussian(1.2).apply(n, w, h, PixelType.F32));
        }
        return new ArrayVolume(new StackInfo(w, h, d, PixelType.F32, Calibration.NONE), s);
    }

    /** Reference: breadth-first flood fill from all seeds through weak voxels. */
    static boolean[] bruteForce(ArrayVolume v, Band band, Hysteresis.Connectivity c) {
        int w = v.info().width();
        int h = v.info().height();
        int d = v.info().depth();
        boolean[] weak = new boolean[w * h * d];
        boolean[] out = new boolean[weak.length];
        ArrayDeque<Integer> q = new ArrayDeque<>();
        for (int z = 0; z < d; z++) {
            float[] s = v.sliceView(z);
            for (int i = 0; i < s.length; i++) {
                weak[z * w * h + i] = band.weak(s[i]);
                if (band.strong(s[i]) && weak[z * w * h + i]) {
                    out[z * w * h + i] = true;
                    q.add(z * w * h + i);
                }
            }
        }
        boolean full = c == Hysteresis.Connectivity.C8 || c == Hysteresis.Connectivity.C26;
        int dzMax = c.is3D() ? 1 : 0;
        while (!q.isEmpty()) {
            int p = q.poll();
            int z = p / (w * h);
            int y = p % (w * h) / w;
            int x = p % w;
            for (int dz = -dzMax; dz <= dzMax; dz++) {
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int manhattan = Math.abs(dx) + Math.abs(dy) + Math.abs(dz);
                        if (manhattan == 0 || (!full && manhattan > 1)) {
                            continue;
                        }
                        int xx = x + dx;
                        int yy = y + dy;
                        int zz = z + dz;
                        if (xx < 0 || yy < 0 || zz < 0 || xx >= w || yy >= h || zz >= d) {
                            continue;
                        }
                        int n = zz * w * h + yy * w + xx;
                        if (weak[n] && !out[n]) {
                            out[n] = true;
                            q.add(n);
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void matchesFloodFillInAllConnectivities() throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            ArrayVolume v = randomVolume(37, 29, 11, seed);
            for (boolean dark : new boolean[] {false, true}) {
                Band band = dark ? new Band(-0.05, -0.45, true) : new Band(0.05, 0.45, false);
                for (Hysteresis.Connectivity c : Hysteresis.Connectivity.values()) {
                    boolean[] ref = bruteForce(v, band, c);
                    Hysteresis.MaskSource m = Hysteresis.prepare(v, band, c, ProgressListener.NONE);
                    long on = 0;
                    for (int z = 0; z < v.info().depth(); z++) {
                        float[] s = m.slice(z);
                        for (int i = 0; i < s.length; i++) {
                            assertEquals(ref[z * s.length + i] ? 255f : 0f, s[i], "seed " + seed + " " + c + " z " + z + " i " + i);
                            on += ref[z * s.length + i] ? 1 : 0;
                        }
                    }
                    assertEquals(on, m.foreground());
                    assertTrue(on > 0 && on < ref.length);
                }
            }
        }
    }

    @Test
    void threeDJoinsThroughSlicesAndTwentySixSeesDiagonals() throws Exception {
        int w = 5;
        int h = 5;
        // slice 0: a seed at (1,1); slice 1: a weak pixel straight above it; slice 2: weak pixel diagonal to it
        float[] s0 = new float[25];
        float[] s1 = new float[25];
        float[] s2 = new float[25];
        s0[6] = 10;
        s1[6] = 5;
        s2[12] = 5;
        ArrayVolume v = new ArrayVolume(new StackInfo(w, h, 3, PixelType.F32, Calibration.NONE), List.of(s0, s1, s2));
        Band b = new Band(1, 8, false);
        assertEquals(0f, Hysteresis.prepare(v, b, Hysteresis.Connectivity.C4, ProgressListener.NONE).slice(1)[6]);
        Hysteresis.MaskSource six = Hysteresis.prepare(v, b, Hysteresis.Connectivity.C6, ProgressListener.NONE);
        assertEquals(255f, six.slice(1)[6]);
        assertEquals(0f, six.slice(2)[12]);
        Hysteresis.MaskSource all = Hysteresis.prepare(v, b, Hysteresis.Connectivity.C26, ProgressListener.NONE);
        assertEquals(255f, all.slice(2)[12]);
    }

    @Test
    void bandValidation() {
        assertThrows(IllegalArgumentException.class, () -> new Band(0.6, 0.4, false));
        assertThrows(IllegalArgumentException.class, () -> new Band(0.4, 0.6, true));
        assertThrows(IllegalArgumentException.class, () -> new Band(Double.NaN, 0.6, false));
        assertThrows(IllegalArgumentException.class, () -> Hysteresis.Connectivity.of(6, false));
        assertEquals(Hysteresis.Connectivity.C26, Hysteresis.Connectivity.of(8, true));
        // a constant image: nothing beyond the thresholds, empty mask, no failure
        float[] c = new float[16];
        java.util.Arrays.fill(c, 3f);
        assertArrayEquals(new float[16], Hysteresis.apply2D(c, 4, 4, new Band(3, 3, false), true));
    }
}
