package poreseg.morpho;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.util.ProgressListener;

/** Distance transform against brute force; chunked distances equal the in-memory ones. */
class DistancesTest {
    private static final Calibration ANISO = new Calibration(9, 9, 15, "nm");

    @AfterEach
    void reset() {
        PoreMeasures.budgetOverride = 0;
    }

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
        PoreMeasures.budgetOverride = 40L * 4 * 64 * 64;
        MeasureResult chunked = PoreMeasures.measure(v, null, c, 255, PoreMeasures.Options.ALL, ProgressListener.NONE);
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
        PoreMeasures.budgetOverride = 80L * 4 * slice;
        MeasureResult chunked = PoreMeasures.measure(v, null, ANISO, 255, PoreMeasures.Options.ALL, ProgressListener.NONE);
        assertEquals(whole.maxPoreRadius(), chunked.maxPoreRadius(), 0.0);
        assertEquals(whole.meanPoreDiameter(), chunked.meanPoreDiameter(), 1e-9 * whole.meanPoreDiameter());
        // too little heap: skipped with a note, the other measures still there
        PoreMeasures.budgetOverride = 2L * 4 * slice;
        MeasureResult none = PoreMeasures.measure(v, null, ANISO, 255, PoreMeasures.Options.ALL, ProgressListener.NONE);
        assertTrue(Double.isNaN(none.maxPoreRadius()));
        assertTrue(none.notes().get(0).startsWith("distance measures skipped"), none.notes().toString());
        assertEquals(whole.poreVoxels(), none.poreVoxels());
    }

    static java.util.List<float[]> slices(SyntheticPores p) {
        java.util.List<float[]> l = new java.util.ArrayList<>();
        for (int z = 0; z < p.info().depth(); z++) {
            l.add(p.slice(z));
        }
        return l;
    }
}
