package poreseg.morpho;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.report.StlWriter;
import poreseg.report.SurfaceRenderer;
import poreseg.synth.SyntheticPores;
import poreseg.util.ProgressListener;

/** STL mesh: area equals surface_area_marching_cubes, normals outward; renderer draws the ball. */
class MeshAndRenderTest {
    @TempDir
    Path dir;

    @Test
    void stlAreaAndNormals() throws Exception {
        Calibration c = new Calibration(9, 9, 15, "nm");
        double r = 10 * 15.0;
        ArrayVolume v = Shapes.ellipsoid(r, r, r, c);
        MeasureResult m = PoreMeasures.measure(v, null, c, 255, new PoreMeasures.Options(false, false), ProgressListener.NONE);
        Path stl = dir.resolve("ball.stl");
        long n = StlWriter.write(stl, v, null, c, 255, ProgressListener.NONE);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(stl)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(84 + 50 * n, b.capacity());
        assertEquals(n, b.getInt(80) & 0xFFFFFFFFL);
        double area = 0;
        double[] centre = new double[3];
        float[][] t = new float[(int) n][12];
        for (int k = 0; k < n; k++) {
            b.position(84 + 50 * k);
            for (int j = 0; j < 12; j++) {
                t[k][j] = b.getFloat();
            }
            for (int j = 0; j < 3; j++) {
                centre[j] += (t[k][3 + j] + t[k][6 + j] + t[k][9 + j]) / (3.0 * n);
            }
        }
        long outward = 0;
        for (float[] q : t) {
            double ux = q[6] - q[3];
            double uy = q[7] - q[4];
            double uz = q[8] - q[5];
            double wx = q[9] - q[3];
            double wy = q[10] - q[4];
            double wz = q[11] - q[5];
            double nx = uy * wz - uz * wy;
            double ny = uz * wx - ux * wz;
            double nz = ux * wy - uy * wx;
            area += 0.5 * Math.sqrt(nx * nx + ny * ny + nz * nz);
            double cx = (q[3] + q[6] + q[9]) / 3 - centre[0];
            double cy = (q[4] + q[7] + q[10]) / 3 - centre[1];
            double cz = (q[5] + q[8] + q[11]) / 3 - centre[2];
            if (q[0] * cx + q[1] * cy + q[2] * cz > 0) {
                outward++;
            }
        }
        assertEquals(m.surfaceAreaMarchingCubes(), area, 1e-5 * area);
        assertEquals(n, outward);
    }

    @Test
    void rendersBallInTheMiddle() throws Exception {
        ArrayVolume v = Shapes.ellipsoid(12, 12, 12, Calibration.NONE);
        BufferedImage im = SurfaceRenderer.render(v, Calibration.NONE, 128, 30, 25);
        assertEquals(128, im.getWidth());
        int centre = im.getRGB(64, 64) & 0xFFFFFF;
        assertTrue(centre != 0xFFFFFF, "the ball covers the image centre");
        assertEquals(0xFFFFFF, im.getRGB(2, 64) & 0xFFFFFF, "background at the left edge");
        long covered = 0;
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                int p = im.getRGB(x, y);
                int red = p >> 16 & 0xFF;
                int blue = p & 0xFF;
                if (red > blue + 30) {
                    covered++;
                }
            }
        }
        // a ball of radius 12 in a volume of 31 voxels: its silhouette is a disc of a sizeable fraction
        assertTrue(covered > 128 * 128 / 10 && covered < 128 * 128 / 2, "covered " + covered);
        BufferedImage three = SurfaceRenderer.threeViews(v, null, Calibration.NONE, 255, 64, ProgressListener.NONE);
        assertEquals(192, three.getWidth());
    }

    @Test
    void syntheticPoresHaveRequestedPorosity() throws Exception {
        SyntheticPores p = new SyntheticPores(64, 0.2, 3);
        MeasureResult m = PoreMeasures.measure(p, null, Calibration.NONE, 255, new PoreMeasures.Options(false, false),
                ProgressListener.NONE);
        assertEquals(0.2, m.porosity(), 0.03);
    }
}
