package poreseg.morpho;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.synth.SyntheticPores;
import poreseg.util.ProgressListener;

/** Distance transform against brute force; chunked distances equal the in-memory ones. */
class DistancesTest {
    private static final Calibration ANISO = new Calibration(9, 9, 15, "nm");

    @Test
    void distanceTransformEqualsBruteForce() throws Exception {
        Random rnd = new Random(3);
        int w = 13;
        int h = 11;
        int d = 9;
        boolean[] fg = new boolean[w * h * d];
        for (int i = 0; i < fg.length; i++) {
            fg[i] = rnd.nextDouble() < 0.85;
        }
        float[][] s = new float[d][w * h];
        for (int z = 0; z < d; z++) {
            for (int i = 0; i < w * h; i++) {
                s[z][i] = fg[z * w * h + i] ? Float.POSITIVE_INFINITY : 0f;
            }
        }
        DistanceTransform.squaredInPlace(s, w, h, ANISO, ProgressListener.NONE);
        for (int z = 0; z < d; z++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double best = fg[(z * h + y) * w + x] ? Double.POSITIVE_INFINITY : 0;
                    for (int j = 0; j < fg.length && best > 0; j++) {
                        if (!fg[j]) {
                            double dx = (j % w - x) * 9.0;
                            double dy = (j / w % h - y) * 9.0;
                            double dz = (j / (w * h) - z) * 15.0;
                            best = Math.min(best, dx * dx + dy * dy + dz * dz);
                        }
                    }
                    assertEquals(best, s[z][y * w + x], 1e-9 * Math.max(1, best), "voxel " + x + "," + y + "," + z);
                }
            }
        }
    }

    @Test
    void chunkedEqualsInMemory() throws Exception {
        ArrayVolume v = new ArrayVolume(new SyntheticPores(64, 0.25, 5).info(), slices(new SyntheticPores(64, 0.25, 5)));
        Calibration c = ANISO;
        MeasureResult whole = PoreMeasures.measure(v, null, c, 255, PoreMeasures.Options.ALL, ProgressListener.NONE);
        assertTrue(whole.notes().isEmpty(), whole.notes().toString());
        // room for 40 of 64 slices: chunks with halos
        MeasureResult chunked = PoreMeasures.measure(v, null, c, 255, PoreMeasures.Options.ALL.withHeapBudget(40L * 4 * 64 * 64), ProgressListener.NONE);
        assertTrue(chunked.notes().get(0).contains("chunks"), chunked.notes().toString());
        assertEquals(whole.maxPoreRadius(), chunked.maxPoreRadius(), 0.0);
        assertEquals(whole.meanPoreDiameter(), chunked.meanPoreDiameter(), 1e-9 * whole.meanPoreDiameter());
        assertArrayEquals(whole.poreSizeDistribution().volumeFraction(), chunked.poreSizeDistribution().volumeFraction(), 1e-12);
    }

    @Test
    void chunkedBallNeedsGrowingHalo() throws Exception {
        double r = 14 * 15.0;
        ArrayVolume v = Shapes.ellipsoid(r, r, r, ANISO);
        MeasureResult whole = PoreMeasures.measure(v, null, ANISO, 255, PoreMeasures.Options.ALL, ProgressListener.NONE);
        int slice = v.info().width() * v.info().height();
        MeasureResult chunked = PoreMeasures.measure(v, null, ANISO, 255, PoreMeasures.Options.ALL.withHeapBudget(80L * 4 * slice), ProgressListener.NONE);
        assertEquals(whole.maxPoreRadius(), chunked.maxPoreRadius(), 0.0);
        assertEquals(whole.meanPoreDiameter(), chunked.meanPoreDiameter(), 1e-9 * whole.meanPoreDiameter());
        // too little heap: skipped with a note, the other measures still there
        MeasureResult none = PoreMeasures.measure(v, null, ANISO, 255, PoreMeasures.Options.ALL.withHeapBudget(2L * 4 * slice), ProgressListener.NONE);
        assertTrue(Double.isNaN(none.maxPoreRadius()));
        assertTrue(none.notes().get(0).startsWith("distance measures skipped"), none.notes().toString());
        assertEquals(whole.poreVoxels(), none.poreVoxels());
    }

    @Test
    void localThicknessEqualsBruteForce() throws Exception {
        // every pore voxel: the largest 2 r(c) over all pore voxels c with |p - c| <= r(c)
        SyntheticPores p = new SyntheticPores(28, 0.3, 11);
        int n = 28;
        for (Calibration c : new Calibration[] {new Calibration(1, 1, 1, "px"), ANISO}) {
            float[][] sq = new float[n][];
            for (int z = 0; z < n; z++) {
                float[] s = p.slice(z);
                for (int i = 0; i < s.length; i++) {
                    s[i] = s[i] != 0 ? Float.POSITIVE_INFINITY : 0f;
                }
                sq[z] = s;
            }
            DistanceTransform.squaredInPlace(sq, n, n, c, ProgressListener.NONE);
            int count = 0;
            for (float[] s : sq) {
                for (float v : s) {
                    if (v > 0) {
                        count++;
                    }
                }
            }
            int[] xs = new int[count];
            int[] ys = new int[count];
            int[] zs = new int[count];
            double[] r2 = new double[count];
            int k = 0;
            for (int z = 0; z < n; z++) {
                for (int i = 0; i < n * n; i++) {
                    if (sq[z][i] > 0) {
                        xs[k] = i % n;
                        ys[k] = i / n;
                        zs[k] = z;
                        r2[k] = sq[z][i];
                        k++;
                    }
                }
            }
            float[][] lt = new float[n][];
            for (int z = 0; z < n; z++) {
                lt[z] = sq[z].clone();
            }
            LocalThickness.computeInPlace(lt, n, n, c, ProgressListener.NONE);
            for (int a = 0; a < count; a++) {
                double best = 0;
                for (int b = 0; b < count; b++) {
                    double dx = (xs[a] - xs[b]) * c.x();
                    double dy = (ys[a] - ys[b]) * c.y();
                    double dz = (zs[a] - zs[b]) * c.z();
                    if (dx * dx + dy * dy + dz * dz <= r2[b] && 2 * Math.sqrt(r2[b]) > best) {
                        best = 2 * Math.sqrt(r2[b]);
                    }
                }
                assertEquals(best, lt[zs[a]][ys[a] * n + xs[a]], 1e-4 * best, "voxel " + xs[a] + "," + ys[a] + "," + zs[a] + " " + c);
            }
        }
    }

    static java.util.List<float[]> slices(SyntheticPores p) {
        java.util.List<float[]> l = new java.util.ArrayList<>();
        for (int z = 0; z < p.info().depth(); z++) {
            l.add(p.slice(z));
        }
        return l;
    }
}
