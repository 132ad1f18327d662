package poreseg.morpho;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.DataException;
import poreseg.synth.SyntheticPores;
import poreseg.util.ProgressListener;

/** Empty, full, single-voxel, one-slice volumes, ROI handling, and components against a BFS. */
class EdgeCasesTest {
    private static final Calibration ISO = new Calibration(1, 1, 1, "pixel");
    private static final Calibration ANISO = new Calibration(9, 9, 15, "nm");

    private static MeasureResult measure(ArrayVolume v, ArrayVolume roi) throws Exception {
        return PoreMeasures.measure(v, roi, v.info().calibration(), 255, PoreMeasures.Options.ALL, ProgressListener.NONE);
    }

    @Test
    void emptyMask() throws Exception {
        MeasureResult m = measure(Shapes.volume(10, 8, 6, ANISO, (x, y, z) -> false), null);
        assertEquals(0.0, m.porosity());
        assertEquals(0, m.poreVoxels());
        assertEquals(480, m.roiVoxels());
        assertEquals(0.0, m.surfaceArea());
        assertEquals(0.0, m.surfaceAreaMarchingCubes());
        assertEquals(0L, m.components6());
        assertEquals(0L, m.components26());
        assertTrue(Double.isNaN(m.largestComponentFraction()));
        assertFalse(m.percolates().x() || m.percolates().y() || m.percolates().z());
        assertEquals(0.0, m.maxPoreRadius());
        assertNull(m.poreSizeDistribution());
        assertTrue(m.toJson().contains("\"largest_component_fraction\": null"));
    }

    @Test
    void fullMask() throws Exception {
        MeasureResult m = measure(Shapes.volume(10, 8, 6, ANISO, (x, y, z) -> true), null);
        assertEquals(1.0, m.porosity());
        assertEquals(480 * 9 * 9 * 15.0, m.poreVolume(), 1e-6);
        // the volume border is not a pore surface (scikit-image convention: no padding)
        assertEquals(0.0, m.surfaceAreaMarchingCubes());
        assertEquals(0.0, m.surfaceArea());
        assertEquals(1L, m.components6());
        assertTrue(m.percolates().x() && m.percolates().y() && m.percolates().z());
        assertTrue(Double.isNaN(m.maxPoreRadius()));
        assertTrue(m.notes().get(0).contains("no solid voxel"));
    }

    @Test
    void singleVoxel() throws Exception {
        MeasureResult m = measure(Shapes.volume(5, 5, 5, ISO, (x, y, z) -> x == 2 && y == 2 && z == 2), null);
        assertEquals(1, m.poreVoxels());
        assertEquals(1.0 / 125, m.porosity(), 1e-15);
        // scikit-image: 8 corner triangles with edge-midpoint vertices, each sqrt(3)/8
        assertEquals(Math.sqrt(3), m.surfaceAreaMarchingCubes(), 1e-12);
        assertTrue(m.surfaceArea() > 0);
        assertEquals(1L, m.components6());
        assertEquals(1.0, m.maxPoreRadius(), 1e-12);
        assertEquals(2.0, m.meanPoreDiameter(), 1e-6);
    }

    @Test
    void oneSlice() throws Exception {
        MeasureResult m = measure(Shapes.volume(20, 10, 1, ISO, (x, y, z) -> x < 5 || x > 15), null);
        assertEquals(90, m.poreVoxels());
        assertArrayEquals(new double[] {90.0 / 200}, m.porosityProfile(), 1e-15);
        assertEquals(0.0, m.surfaceAreaMarchingCubes());
        assertEquals(2L, m.components6());
        assertEquals(2L, m.components26());
        assertTrue(m.percolates().y() && m.percolates().z());
        assertFalse(m.percolates().x());
        assertEquals(5.0, m.maxPoreRadius(), 1e-12);
    }

    @Test
    void roiExcludingEverythingIsAClearError() {
        ArrayVolume v = Shapes.volume(6, 6, 4, ISO, (x, y, z) -> true);
        ArrayVolume roi = ArrayVolume.zeros(v.info());
        DataException e = assertThrows(DataException.class, () -> measure(v, roi));
        assertTrue(e.getMessage().contains("region of interest is empty"), e.getMessage());
    }

    @Test
    void roiShapeMismatchIsAnError() {
        ArrayVolume v = Shapes.volume(6, 6, 4, ISO, (x, y, z) -> true);
        ArrayVolume roi = Shapes.volume(6, 6, 5, ISO, (x, y, z) -> true);
        assertThrows(DataException.class, () -> measure(v, roi));
    }

    @Test
    void roiRestrictsPoresAndPercolationBox() throws Exception {
        // pores: a tube along x through the whole volume; ROI: a box x in [4, 15]
        ArrayVolume v = Shapes.volume(20, 12, 10, ISO, (x, y, z) -> y >= 5 && y <= 6 && z >= 4 && z <= 5);
        ArrayVolume roi = Shapes.volume(20, 12, 10, ISO, (x, y, z) -> x >= 4 && x <= 15 && y >= 1 && z >= 1);
        MeasureResult m = measure(v, roi);
        assertEquals(12 * 11 * 9, m.roiVoxels());
        assertEquals(12 * 2 * 2, m.poreVoxels());
        assertEquals(48.0 / (12 * 11 * 9), m.porosity(), 1e-15);
        assertTrue(m.percolates().x());
        assertFalse(m.percolates().y() || m.percolates().z());
        assertTrue(Double.isNaN(m.porosityProfile()[0]));
    }

    @Test
    void componentsMatchBreadthFirstSearch() throws Exception {
        Random rnd = new Random(42);
        for (double density : new double[] {0.2, 0.3, 0.45}) {
            int w = 31;
            int h = 27;
            int d = 23;
            boolean[] a = new boolean[w * h * d];
            for (int i = 0; i < a.length; i++) {
                a[i] = rnd.nextDouble() < density;
            }
            ArrayVolume v = Shapes.volume(w, h, d, ISO, (x, y, z) -> a[(z * h + y) * w + x]);
            MeasureResult m = measure(v, null);
            long[] r6 = bfs(a, w, h, d, false);
            long[] r26 = bfs(a, w, h, d, true);
            assertEquals(r6[0], m.components6(), "6-connected at " + density);
            assertEquals(r26[0], m.components26(), "26-connected at " + density);
            assertEquals((double) r6[1] / m.poreVoxels(), m.largestComponentFraction(), 1e-12);
            assertEquals(r6[2] == 1, m.percolates().x(), "percolation x at " + density);
            assertEquals(r6[3] == 1, m.percolates().y(), "percolation y at " + density);
            assertEquals(r6[4] == 1, m.percolates().z(), "percolation z at " + density);
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() throws Exception {
        ArrayVolume v = new ArrayVolume(new SyntheticPores(40, 0.3, 9).info(), DistancesTest.slices(new SyntheticPores(40, 0.3, 9)));
        String many = PoreMeasures.measure(v, null, ANISO, 255, PoreMeasures.Options.ALL, ProgressListener.NONE).toJson();
        String old = System.getProperty("poreseg.threads");
        System.setProperty("poreseg.threads", "1");
        try {
            String one = PoreMeasures.measure(v, null, ANISO, 255, PoreMeasures.Options.ALL, ProgressListener.NONE).toJson();
            assertEquals(many, one);
        } finally {
            if (old == null) {
                System.clearProperty("poreseg.threads");
            } else {
                System.setProperty("poreseg.threads", old);
            }
        }
    }

    /** {count, largest, percolates x, y, z} by plain breadth-first search. */
    private static long[] bfs(boolean[] a, int w, int h, int d, boolean full) {
        int[] label = new int[a.length];
        long count = 0;
        long largest = 0;
        long[] perc = new long[3];
        ArrayDeque<Integer> q = new ArrayDeque<>();
        for (int s = 0; s < a.length; s++) {
            if (!a[s] || label[s] != 0) {
                continue;
            }
            count++;
            label[s] = 1;
            q.add(s);
            long size = 0;
            int[] lo = {w, h, d};
            int[] hi = {-1, -1, -1};
            while (!q.isEmpty()) {
                int i = q.poll();
                size++;
                int x = i % w;
                int y = i / w % h;
                int z = i / (w * h);
                int[] p = {x, y, z};
                for (int k = 0; k < 3; k++) {
                    lo[k] = Math.min(lo[k], p[k]);
                    hi[k] = Math.max(hi[k], p[k]);
                }
                for (int dz = -1; dz <= 1; dz++) {
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int n = Math.abs(dx) + Math.abs(dy) + Math.abs(dz);
                            if (n == 0 || (!full && n > 1)) {
                                continue;
                            }
                            int xx = x + dx;
                            int yy = y + dy;
                            int zz = z + dz;
                            if (xx < 0 || yy < 0 || zz < 0 || xx >= w || yy >= h || zz >= d) {
                                continue;
                            }
                            int j = (zz * h + yy) * w + xx;
                            if (a[j] && label[j] == 0) {
                                label[j] = 1;
                                q.add(j);
                            }
                        }
                    }
                }
            }
            largest = Math.max(largest, size);
            int[] dims = {w, h, d};
            for (int k = 0; k < 3; k++) {
                if (lo[k] == 0 && hi[k] == dims[k] - 1) {
                    perc[k] = 1;
                }
            }
        }
        return new long[] {count, largest, perc[0], perc[1], perc[2]};
    }
}
