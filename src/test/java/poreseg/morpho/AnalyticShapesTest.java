package poreseg.morpho;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static poreseg.morpho.SkimageMorphometryTest.rel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.util.ProgressListener;

/** Volume and Crofton surface area of balls and ellipsoids against the exact values. */
class AnalyticShapesTest {
    private static final Calibration ISO = new Calibration(1, 1, 1, "pixel");
    private static final Calibration ANISO = new Calibration(9, 9, 15, "nm");
    private static final PoreMeasures.Options STREAMING = new PoreMeasures.Options(true, false);

    static MeasureResult measure(ArrayVolume v, PoreMeasures.Options o) throws Exception {
        return PoreMeasures.measure(v, null, v.info().calibration(), 255, o, ProgressListener.NONE);
    }

    @ParameterizedTest(name = "ball r={0} voxels, anisotropic={1}")
    @CsvSource({"10,false", "20,false", "40,false", "10,true", "20,true", "40,true"})
    void balls(int r, boolean aniso) throws Exception {
        Calibration c = aniso ? ANISO : ISO;
        double rad = r * c.z();
        MeasureResult m = measure(Shapes.ellipsoid(rad, rad, rad, c), STREAMING);
        rel(4.0 / 3 * Math.PI * rad * rad * rad, m.poreVolume(), 0.01, "volume");
        rel(4 * Math.PI * rad * rad, m.surfaceArea(), 0.03, "Crofton surface area");
        assertEquals(1L, m.components6());
        assertEquals(1L, m.components26());
        assertEquals(1.0, m.largestComponentFraction());
        // marching cubes on binary data overestimates a ball's area by several percent
        assertTrue(m.surfaceAreaMarchingCubes() > m.surfaceArea());
    }

    @ParameterizedTest(name = "ellipsoid {0} x {1} x {2} nm")
    @CsvSource({"300,200,150", "150,250,400", "400,400,200"})
    void ellipsoids(double a, double b, double cz) throws Exception {
        for (Calibration c : new Calibration[] {ANISO, new Calibration(10, 10, 10, "nm")}) {
            MeasureResult m = measure(Shapes.ellipsoid(a, b, cz, c), STREAMING);
            rel(4.0 / 3 * Math.PI * a * b * cz, m.poreVolume(), 0.01, "volume " + c);
            rel(Shapes.ellipsoidArea(a, b, cz), m.surfaceArea(), 0.03, "Crofton area " + c);
        }
    }

    @Test
    void ellipsoidAreaIntegrationIsExactForSphere() {
        rel(4 * Math.PI * 4, Shapes.ellipsoidArea(2, 2, 2), 1e-6, "sphere by integration");
    }

    @Test
    void isotropicCroftonWeightsMatchMorphoLibJ() {
        double[] w = CroftonSurface.directionWeights(ISO);
        // MorphoLibJ IntrinsicVolumes3D, 13 directions, isotropic: 2 x 0.04577789, 2 x 0.03698063, 2 x 0.03519564
        assertEquals(0.0915558, w[0], 2e-4);
        assertEquals(0.0739613, w[3], 2e-4);
        assertEquals(0.0703913, w[9], 2e-4);
        double s = 0;
        for (double v : w) {
            s += v;
        }
        assertEquals(1.0, s, 1e-12);
    }

    @Test
    void fittedWeightsLimitTheOrientationError() {
        for (Calibration c : new Calibration[] {ISO, ANISO}) {
            double[] w = CroftonSurface.fittedWeights(c);
            double sum = 0;
            for (double v : w) {
                assertTrue(v >= 0);
                sum += v;
            }
            assertEquals(1.0, sum, 1e-12);
            double min = 9;
            double max = 0;
            int n = 20_000;
            double golden = Math.PI * (3 - Math.sqrt(5));
            for (int k = 0; k < n; k++) {
                double z = 1 - (2.0 * k + 1) / n;
                double r = Math.sqrt(1 - z * z);
                double x = r * Math.cos(golden * k);
                double y = r * Math.sin(golden * k);
                double f = 0;
                for (int i = 0; i < 13; i++) {
                    int[] d = CroftonSurface.DIRECTIONS[i];
                    double ux = d[0] * c.x();
                    double uy = d[1] * c.y();
                    double uz = d[2] * c.z();
                    double len = Math.sqrt(ux * ux + uy * uy + uz * uz);
                    f += 2 * w[i] * Math.abs(x * ux + y * uy + z * uz) / len;
                }
                min = Math.min(min, f);
                max = Math.max(max, f);
            }
            // response to a plane of any orientation, relative to its area (Voronoi weights: 0.89..1.08 for ANISO)
            assertTrue(min > 0.88 && max < 1.06, c + ": " + min + " .. " + max);
        }
    }

    @Test
    void localThicknessOfBallIsItsDiameter() throws Exception {
        for (Calibration c : new Calibration[] {ISO, ANISO}) {
            double rad = 12 * c.z();
            MeasureResult m = measure(Shapes.ellipsoid(rad, rad, rad, c), PoreMeasures.Options.ALL);
            rel(2 * rad, m.meanPoreDiameter(), 0.05, "mean local thickness " + c);
            rel(rad, m.maxPoreRadius(), 0.05, "max radius " + c);
            double s = 0;
            for (double f : m.poreSizeDistribution().volumeFraction()) {
                s += f;
            }
            assertEquals(1.0, s, 1e-9);
        }
    }

    @Test
    void localThicknessOfCylinderIsItsDiameter() throws Exception {
        // cylinder of radius 8 voxels along z, crossing the volume: the border is not solid
        double r = 8;
        ArrayVolume v = Shapes.volume(25, 25, 30, ISO, (x, y, z) -> (x - 12.2) * (x - 12.2) + (y - 11.9) * (y - 11.9) <= r * r);
        MeasureResult m = measure(v, PoreMeasures.Options.ALL);
        rel(2 * r, m.meanPoreDiameter(), 0.05, "cylinder mean local thickness");
        assertTrue(m.percolates().z());
        assertTrue(!m.percolates().x() && !m.percolates().y());
    }

    /**
     * Balls cut by the volume's faces (centre half a voxel outside the first voxel centres): like
     * marching cubes, the estimate covers the hull of the voxel centres, so the expected area is the
     * part of the sphere with x, y, z >= 0 (by numerical integration), without the cut faces.
     */
    @ParameterizedTest(name = "ball r={0} cut by {1} faces, anisotropic={2}")
    @CsvSource({"20,1,false", "20,2,false", "20,3,false", "12,1,true", "12,3,true"})
    void ballsCutByTheVolumeBorder(int r, int faces, boolean aniso) throws Exception {
        Calibration c = aniso ? ANISO : ISO;
        double rad = r * c.z();
        int n = (int) Math.ceil(2 * rad / Math.min(c.x(), c.z())) + 4;
        // the centre lies on the outer boundary (-0.5 voxel) of the first 'faces' axes
        double cx = faces >= 1 ? -0.5 : n / 2.0;
        double cy = faces >= 2 ? -0.5 : n / 2.0;
        double cz = faces >= 3 ? -0.5 : n / 2.0;
        ArrayVolume v = Shapes.volume(n, n, n, c, (x, y, z) -> {
            double dx = (x - cx) * c.x();
            double dy = (y - cy) * c.y();
            double dz = (z - cz) * c.z();
            return dx * dx + dy * dy + dz * dz <= rad * rad;
        });
        MeasureResult m = measure(v, STREAMING);
        double part = Math.pow(0.5, faces);
        double[] lo = {faces >= 1 ? 0.5 * c.x() : -1e300, faces >= 2 ? 0.5 * c.y() : -1e300, faces >= 3 ? 0.5 * c.z() : -1e300};
        rel(sphereAreaAbove(rad, lo), m.surfaceArea(), 0.015, "Crofton area of the cut ball");
        rel(part * 4.0 / 3 * Math.PI * rad * rad * rad, m.poreVolume(), 0.01, "volume of the cut ball");
    }

    /** Area of the part of the sphere (centre 0, radius r) with x >= lo[0], y >= lo[1], z >= lo[2]. */
    static double sphereAreaAbove(double r, double[] lo) {
        int n = 1500;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double th = Math.PI * (i + 0.5) / n;
            double z = r * Math.cos(th);
            double st = Math.sin(th);
            if (z < lo[2]) {
                continue;
            }
            for (int j = 0; j < 2 * n; j++) {
                double ph = Math.PI * (j + 0.5) / n;
                if (r * st * Math.cos(ph) >= lo[0] && r * st * Math.sin(ph) >= lo[1]) {
                    sum += st;
                }
            }
        }
        return sum * r * r * (Math.PI / n) * (Math.PI / n);
    }
}
