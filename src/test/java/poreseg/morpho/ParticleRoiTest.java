package poreseg.morpho;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static poreseg.morpho.SkimageMorphometryTest.rel;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.DataException;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.util.ProgressListener;

/** Particle mask from a synthetic BSE-like stack: bright ball with dark pores in dark epoxy, noisy. */
class ParticleRoiTest {
    static final int W = 72;
    static final int H = 70;
    static final int D = 60;
    static final double R = 24;
    static final double[][] PORES = {{36, 35, 30, 5}, {28, 30, 22, 3.5}, {44, 40, 36, 4}, {36, 35, 8, 4}};

    static boolean inBall(int x, int y, int z) {
        double dx = x - 35.6;
        double dy = y - 34.8;
        double dz = z - 30.2;
        return dx * dx + dy * dy + dz * dz <= R * R;
    }

    static boolean inPore(int x, int y, int z) {
        return inPore(x, y, z, PORES);
    }

    static boolean inPore(int x, int y, int z, double[][] pores) {
        for (double[] p : pores) {
            double dx = x - p[0];
            double dy = y - p[1];
            double dz = z - p[2];
            if (dx * dx + dy * dy + dz * dz <= p[3] * p[3]) {
                return true;
            }
        }
        return false;
    }

    static ArrayVolume raw(Calibration c) {
        return raw(c, PORES);
    }

    static ArrayVolume raw(Calibration c, double[][] pores) {
        Random rnd = new Random(7);
        List<float[]> s = new ArrayList<>();
        for (int z = 0; z < D; z++) {
            float[] a = new float[W * H];
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    double v = inBall(x, y, z) && !inPore(x, y, z, pores) ? 170 : inBall(x, y, z) ? 45 : 40;
                    a[y * W + x] = (float) Math.max(0, Math.min(255, Math.round(v + 12 * rnd.nextGaussian())));
                }
            }
            s.add(a);
        }
        return new ArrayVolume(new StackInfo(W, H, D, PixelType.U8, c), s);
    }

    static ArrayVolume poreMask(Calibration c) {
        return Shapes.volume(W, H, D, c, (x, y, z) -> inBall(x, y, z) && inPore(x, y, z));
    }

    @Test
    void particleMaskKeepsClosedPoresInside() throws Exception {
        Calibration c = Calibration.NONE;
        ParticleRoi.Result r = ParticleRoi.compute(raw(c), c, ParticleRoi.Options.DEFAULT, ProgressListener.NONE);
        long ball = 0;
        for (int z = 0; z < D; z++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    if (inBall(x, y, z)) {
                        ball++;
                    }
                }
            }
        }
        rel(ball, r.voxels(), 0.03, "particle volume");
        // the closed pore at the centre is inside the region
        assertEquals(1, r.mask().get(30)[35 * W + 36]);
        // the background corner is outside
        assertEquals(0, r.mask().get(0)[0]);
        ArrayVolume roi = new ArrayVolume(r.info(), toFloat(r), "roi");
        ArrayVolume pores = poreMask(c);
        MeasureResult m = PoreMeasures.measure(pores, roi, c, 255, new PoreMeasures.Options(true, false), ProgressListener.NONE);
        double truth = (double) PoreMeasures.measure(pores, null, c, 255, new PoreMeasures.Options(false, false),
                ProgressListener.NONE).poreVoxels() / ball;
        // the pore near the particle surface (z = 8) is partly cut by the smoothed boundary
        rel(truth, m.porosity(), 0.10, "porosity inside the particle");
        long closed = 0;
        long closedInRoi = 0;
        for (int z = 15; z < D; z++) {
            for (int i = 0; i < W * H; i++) {
                if (inPore(i % W, i / W, z) && inBall(i % W, i / W, z)) {
                    closed++;
                    closedInRoi += r.mask().get(z)[i];
                }
            }
        }
        assertEquals(closed, closedInRoi, "closed pores are inside the particle mask");
        assertEquals(4L, m.components6());
    }

    @Test
    void marginErodesTheParticle() throws Exception {
        Calibration c = new Calibration(10, 10, 10, "nm");
        ParticleRoi.Result r0 = ParticleRoi.compute(raw(c), c, ParticleRoi.Options.DEFAULT, ProgressListener.NONE);
        ParticleRoi.Result r3 = ParticleRoi.compute(raw(c), c, new ParticleRoi.Options(4, 30, true, Double.NaN),
                ProgressListener.NONE);
        // a ball of radius ~R voxels eroded by 3 voxels keeps ((R - 3) / R)^3 of its volume
        double expect = Math.pow((R - 3) / R, 3);
        rel(expect, (double) r3.voxels() / r0.voxels(), 0.05, "eroded fraction");
        assertTrue(r3.voxels() < r0.voxels());
    }

    @Test
    void closingIncludesAPoreOpenToTheSurface() throws Exception {
        // a pore of radius 4 centred on the particle's equator: a notch open to the outside
        Calibration c = Calibration.NONE;
        double[][] notch = {{35.6 + R, 34.8, 30.2, 4}};
        ParticleRoi.Result open = ParticleRoi.compute(raw(c, notch), c, new ParticleRoi.Options(1, 0, true, Double.NaN, 0),
                ProgressListener.NONE);
        ParticleRoi.Result closed = ParticleRoi.compute(raw(c, notch), c, new ParticleRoi.Options(1, 0, true, Double.NaN, 8),
                ProgressListener.NONE);
        long inOpen = 0;
        long inClosed = 0;
        long total = 0;
        for (int z = 0; z < D; z++) {
            for (int i = 0; i < W * H; i++) {
                int x = i % W;
                int y = i / W;
                if (inPore(x, y, z, notch) && inBall(x, y, z)) {
                    total++;
                    inOpen += open.mask().get(z)[i];
                    inClosed += closed.mask().get(z)[i];
                }
            }
        }
        assertTrue(inClosed > inOpen, inClosed + " vs " + inOpen);
        // without closing most of the notch is outside (23 of 127 voxels in), with it most is inside (76)
        assertTrue(inClosed >= 0.5 * total && inClosed >= 3 * inOpen, inClosed + " of " + total + ", open " + inOpen);
    }

    @Test
    void uniformStackIsAnError() {
        ArrayVolume flat = ArrayVolume.zeros(new StackInfo(20, 20, 5, PixelType.U8, Calibration.NONE));
        assertThrows(DataException.class, () -> ParticleRoi.compute(flat, Calibration.NONE, ParticleRoi.Options.DEFAULT,
                ProgressListener.NONE));
    }

    @Test
    void otsuSplitsTwoModes() {
        long[] h = new long[256];
        h[40] = 1000;
        h[41] = 500;
        h[170] = 800;
        h[171] = 300;
        int t = Otsu.threshold(h);
        assertTrue(t >= 41 && t < 170, "threshold " + t);
    }

    static List<float[]> toFloat(ParticleRoi.Result r) {
        List<float[]> l = new ArrayList<>();
        for (int z = 0; z < r.info().depth(); z++) {
            l.add(r.slice(z));
        }
        return l;
    }
}
