package poreseg.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import poreseg.io.Volume;
import poreseg.metrics.Confusion;

class SynthGeneratorTest {
    private static final SynthParams SMALL = SynthParams.defaults().withSize(96).withSlices(24).withSeed(7);

    private static SynthVolume gen(SynthParams p) {
        return new SynthGenerator().generate(p);
    }

    @Test
    void sameSeedGivesIdenticalSlicesAndOtherSeedDiffers() throws IOException {
        SynthParams p = SynthParams.defaults().withSize(48).withSlices(6).withSeed(42);
        SynthVolume a = gen(p);
        SynthVolume b = gen(p);
        SynthVolume c = gen(p.withSeed(43));
        for (int z : new int[] {0, 5}) {
            assertArrayEquals(a.image().slice(z), b.image().slice(z));
            assertArrayEquals(a.truth().slice(z), b.truth().slice(z));
        }
        assertFalse(Arrays.equals(a.image().slice(3), c.image().slice(3)));
        SynthSlice both = a.slice(4);
        assertArrayEquals(a.image().slice(4), both.image(), "combined image == image()");
        assertArrayEquals(a.truth().slice(4), both.truth(), "combined truth == truth()");
        assertEquals(a.truthStats().porosity(), b.truthStats().porosity());
    }

    @Test
    void slicesAreIndependentOfOrderAndThreads() throws IOException {
        SynthParams p = SynthParams.defaults().withSize(48).withSlices(6).withSeed(5).withDrift(0.5);
        float[] direct = gen(p).image().slice(4);
        SynthVolume v = gen(p);
        v.image().slice(0);
        v.image().slice(2);
        assertArrayEquals(direct, v.image().slice(4));
    }

    @Test
    void truePorosityMatchesTruthMaskAndRequest() throws IOException {
        SynthVolume v = gen(SMALL);
        TruthStats t = v.truthStats();
        double mask = poreFraction(v.truth());
        assertEquals(mask, t.porosity(), 0.01 * t.porosity(), "mask fraction vs truth.json porosity");
        assertEquals(SMALL.porosity(), t.porosity(), 0.05 * SMALL.porosity(), "calibrated to the request");
        assertTrue(t.poreCount() > 5, "several pores: " + t.poreCount());
        double[] vox = SMALL.voxelNm();
        double boxVolume = SMALL.size() * vox[0] * SMALL.size() * vox[1] * SMALL.slices() * vox[2];
        assertEquals(boxVolume, t.regionVolume(), 1e-6 * boxVolume);
        assertEquals(t.porosity() * boxVolume, t.poreVolume(), 1e-6 * boxVolume);
    }

    /** The lattice pore count is close to the 26-connected components of the voxel mask (an independent labelling). */
    @Test
    void poreCountAgreesWithMaskComponents() throws IOException {
        SynthParams p = SMALL.withSize(128).withSlices(32).withSeed(2);
        SynthVolume v = gen(p);
        int n = p.size();
        int d = p.slices();
        boolean[] pore = new boolean[n * n * d];
        for (int z = 0; z < d; z++) {
            float[] t = v.truth().slice(z);
            for (int i = 0; i < t.length; i++) {
                pore[z * n * n + i] = t[i] > 0;
            }
        }
        int components = 0;
        int[] stack = new int[pore.length];
        for (int start = 0; start < pore.length; start++) {
            if (!pore[start]) {
                continue;
            }
            components++;
            int top = 0;
            stack[top++] = start;
            pore[start] = false;
            while (top > 0) {
                int q = stack[--top];
                int x = q % n;
                int y = (q / n) % n;
                int z = q / (n * n);
                for (int dz = -1; dz <= 1; dz++) {
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int xx = x + dx;
                            int yy = y + dy;
                            int zz = z + dz;
                            if (xx < 0 || yy < 0 || zz < 0 || xx >= n || yy >= n || zz >= d) {
                                continue;
                            }
                            int r = (zz * n + yy) * n + xx;
                            if (pore[r]) {
                                pore[r] = false;
                                stack[top++] = r;
                            }
                        }
                    }
                }
            }
        }
        long truth = v.truthStats().poreCount();
        assertTrue(components > 20, "enough pores to compare: " + components);
        assertEquals(components, truth, 0.15 * components, "truth.json pore count vs mask components");
    }

    @Test
    void requestedPorosityIsFollowed() throws IOException {
        for (double phi : new double[] {0.03, 0.2, 0.4}) {
            TruthStats t = gen(SMALL.withSize(64).withPorosity(phi)).truthStats();
            assertEquals(phi, t.porosity(), 0.06 * phi, "porosity " + phi);
        }
    }

    /**
     * The co-area surface area agrees with an independent stereological estimate from the same field:
     * Cauchy-Crofton S = 2 V E[crossings] / E[length] over isotropic uniform random (IUR) lines through
     * the box (uniform direction, uniform position in the plane normal to it), pore-wall crossings
     * counted every 0.5 nm.
     */
    @Test
    void surfaceAreaAgreesWithCroftonLineCounts() throws IOException {
        SynthParams p = SynthParams.defaults().withSize(64).withSlices(16).withSeed(4);
        SynthVolume v = gen(p);
        TruthStats t = v.truthStats();
        PoreGeometry geo = v.geometry();
        double[] vox = p.voxelNm();
        double[] ext = {p.size() * vox[0], p.size() * vox[1], p.slices() * vox[2]};
        double[] c = {ext[0] / 2, ext[1] / 2, ext[2] / 2};
        double rad = Math.sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]);
        SplittableRandom r = new SplittableRandom(11);
        PoreGeometry.Probe probe = new PoreGeometry.Probe();
        double step = 0.5;
        long crossings = 0;
        double length = 0;
        int hit = 0;
        while (hit < 4000) {
            double cz = 2 * r.nextDouble() - 1;
            double phi = 2 * Math.PI * r.nextDouble();
            double s = Math.sqrt(1 - cz * cz);
            double[] u = {s * Math.cos(phi), s * Math.sin(phi), cz};
            double[] e1 = Math.abs(u[0]) < 0.9 ? new double[] {0, -u[2], u[1]} : new double[] {-u[2], 0, u[0]};
            double n1 = Math.sqrt(e1[0] * e1[0] + e1[1] * e1[1] + e1[2] * e1[2]);
            for (int k = 0; k < 3; k++) {
                e1[k] /= n1;
            }
            double[] e2 = {u[1] * e1[2] - u[2] * e1[1], u[2] * e1[0] - u[0] * e1[2], u[0] * e1[1] - u[1] * e1[0]};
            double a;
            double b;
            do {
                a = (2 * r.nextDouble() - 1) * rad;
                b = (2 * r.nextDouble() - 1) * rad;
            } while (a * a + b * b > rad * rad);
            double[] q = new double[3];
            for (int k = 0; k < 3; k++) {
                q[k] = c[k] + a * e1[k] + b * e2[k];
            }
            double t0 = -1e18;
            double t1 = 1e18;
            for (int k = 0; k < 3; k++) {
                if (Math.abs(u[k]) < 1e-12) {
                    if (q[k] < 0 || q[k] > ext[k]) {
                        t1 = t0;
                    }
                    continue;
                }
                double ta = -q[k] / u[k];
                double tb = (ext[k] - q[k]) / u[k];
                t0 = Math.max(t0, Math.min(ta, tb));
                t1 = Math.min(t1, Math.max(ta, tb));
            }
            if (t1 <= t0) {
                continue; // the line misses the box
            }
            hit++;
            boolean prev = false;
            boolean first = true;
            for (double tt = t0 + r.nextDouble() * step; tt < t1; tt += step) {
                geo.eval(q[0] + tt * u[0], q[1] + tt * u[1], q[2] + tt * u[2], probe, false);
                boolean pore = probe.f < 0;
                if (!first && pore != prev) {
                    crossings++;
                }
                first = false;
                prev = pore;
            }
            length += t1 - t0;
        }
        double crofton = 2 * crossings / length * ext[0] * ext[1] * ext[2];
        assertTrue(crossings > 2000, "enough crossings for a 2 % estimate: " + crossings);
        assertEquals(crofton, t.surfaceArea(), 0.06 * crofton, "co-area " + t.surfaceArea() + " vs Crofton " + crofton);
    }

    @Test
    void driftMovesImageAndTruthTogether() throws IOException {
        SynthParams p = SMALL.withSize(64).withSlices(6).withDose(0).withDrift(2);
        SynthVolume drifted = gen(p);
        SynthVolume still = gen(p.withDrift(0));
        boolean moved = false;
        for (int z = 0; z < 6; z++) {
            SynthSlice s = drifted.slice(z);
            double pore = 0;
            double solid = 0;
            int np = 0;
            for (int i = 0; i < s.image().length; i++) {
                if (s.truth()[i] > 0) {
                    pore += s.image()[i];
                    np++;
                } else {
                    solid += s.image()[i];
                }
            }
            if (np > 0) {
                pore /= np;
                solid /= s.image().length - np;
                assertTrue(pore < 0.85 * solid, "slice " + z + ": truth pores are dark in the drifted image");
            }
            moved |= !Arrays.equals(s.truth(), still.truth().slice(z));
        }
        assertTrue(moved, "drift changes the sampled window");
    }

    @Test
    void artifactsAddColumnStripes() throws IOException {
        SynthParams p = SMALL.withSize(192).withSlices(4);
        double with = columnMeanVariance(gen(p).image().slice(2), p.size());
        double without = columnMeanVariance(gen(p.withArtifacts(false)).image().slice(2), p.size());
        assertTrue(with > 3 * without, "column-mean variance with artifacts " + with + " vs without " + without);
    }

    @Test
    void shineThroughMakesPoreGreyLevelsOverlapSolid() throws IOException {
        // noise-free: the overlap comes from the pore back walls, not from noise
        SynthVolume v = gen(SMALL.withDose(0).withArtifacts(false).withSlices(4));
        float[] img = v.image().slice(1);
        float[] tru = v.truth().slice(1);
        float[] solid = select(img, tru, false);
        float[] pore = select(img, tru, true);
        Arrays.sort(solid);
        float p5 = solid[solid.length / 20];
        int above = 0;
        for (float g : pore) {
            if (g > p5) {
                above++;
            }
        }
        double frac = (double) above / pore.length;
        assertTrue(pore.length > 100);
        assertTrue(frac > 0.05, "pore pixels brighter than the solid's 5th percentile: " + frac);
        float pmax = 0;
        for (float g : pore) {
            pmax = Math.max(pmax, g);
        }
        assertTrue(pmax > solid[solid.length / 2] * 0.8, "some pore walls shine almost as bright as solid");
    }

    @Test
    void otsuThresholdIsClearlyImperfect() throws IOException {
        SynthVolume v = gen(SMALL.withSize(128).withSlices(6));
        Confusion c = new Confusion();
        float[][] img = new float[6][];
        for (int z = 0; z < 6; z++) {
            img[z] = v.image().slice(z);
        }
        double t = otsu(img);
        for (int z = 0; z < 6; z++) {
            float[] pred = new float[img[z].length];
            for (int i = 0; i < pred.length; i++) {
                pred[i] = img[z][i] <= t ? 1 : 0;
            }
            c.add(pred, v.truth().slice(z), 0.5f);
        }
        assertTrue(c.f1() < 0.8, "Otsu F1 " + c.f1() + " should be clearly below a good segmentation");
        assertTrue(c.recall() > 0.5, "pores are darker on average, Otsu finds most of them: recall " + c.recall());
    }

    @Test
    void particleModeHasParticleMaskAndPoresOnlyInside() throws IOException {
        SynthParams p = SMALL.withSize(128).withSlices(3).withParticle(true);
        SynthVolume v = gen(p);
        float[] part = v.particle().slice(1);
        float[] tru = v.truth().slice(1);
        int inside = 0;
        for (int i = 0; i < part.length; i++) {
            if (part[i] > 0) {
                inside++;
            }
            if (tru[i] > 0) {
                assertEquals(255f, part[i], "pore outside the particle at " + i);
            }
        }
        double frac = (double) inside / part.length;
        assertEquals(Math.PI * 0.45 * 0.45, frac, 0.08, "particle disc fraction");
        TruthStats t = v.truthStats();
        assertEquals(p.porosity(), t.porosity(), 0.12 * p.porosity(), "porosity of the particle");
    }

    @Test
    void rejectsBadParameters() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SMALL.withPorosity(0.9));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SMALL.withSize(4));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SMALL.withVoxel(new poreseg.io.Calibration(1, 1, 1, "pixel")));
    }

    static double poreFraction(Volume truth) throws IOException {
        long pore = 0;
        long all = 0;
        for (int z = 0; z < truth.info().depth(); z++) {
            for (float f : truth.slice(z)) {
                if (f > 0) {
                    pore++;
                }
                all++;
            }
        }
        return (double) pore / all;
    }

    /** Variance of the column means after removing their 15-column moving average (keeps stripes, drops shading). */
    static double columnMeanVariance(float[] img, int n) {
        double[] col = new double[n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                col[i] += img[j * n + i] / n;
            }
        }
        double s = 0;
        double s2 = 0;
        for (int i = 0; i < n; i++) {
            double avg = 0;
            int k = 0;
            for (int q = Math.max(0, i - 7); q <= Math.min(n - 1, i + 7); q++) {
                avg += col[q];
                k++;
            }
            double hp = col[i] - avg / k;
            s += hp;
            s2 += hp * hp;
        }
        return s2 / n - (s / n) * (s / n);
    }

    private static float[] select(float[] img, float[] mask, boolean pore) {
        int n = 0;
        for (float m : mask) {
            if ((m > 0) == pore) {
                n++;
            }
        }
        float[] out = new float[n];
        int k = 0;
        for (int i = 0; i < img.length; i++) {
            if ((mask[i] > 0) == pore) {
                out[k++] = img[i];
            }
        }
        return out;
    }

    /** Otsu's threshold over 256 bins between min and max (the threshold package lives elsewhere). */
    static double otsu(float[][] slices) {
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float[] s : slices) {
            for (float v : s) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        long[] hist = new long[256];
        double width = (hi - lo) / 256.0;
        for (float[] s : slices) {
            for (float v : s) {
                hist[Math.min(255, (int) ((v - lo) / width))]++;
            }
        }
        long total = 0;
        double sum = 0;
        for (int i = 0; i < 256; i++) {
            total += hist[i];
            sum += i * (double) hist[i];
        }
        long w0 = 0;
        double s0 = 0;
        double best = -1;
        int bestI = 0;
        for (int i = 0; i < 256; i++) {
            w0 += hist[i];
            s0 += i * (double) hist[i];
            long w1 = total - w0;
            if (w0 == 0 || w1 == 0) {
                continue;
            }
            double m0 = s0 / w0;
            double m1 = (sum - s0) / w1;
            double between = (double) w0 * w1 * (m0 - m1) * (m0 - m1);
            if (between > best) {
                best = between;
                bestI = i;
            }
        }
        return lo + (bestI + 1) * width;
    }
}
