package poreseg.morpho;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.util.ProgressListener;

/**
 * Benchmark volumes from ../shared/datasets (skipped when absent): Berea sandstone micro-CT
 * (110^3, 0 = pore, 17.8 %) and a real NMC cathode volume (128^3, 0 = pore). Prints the numbers
 * reported in docs/measure.md.
 */
class RealVolumesTest {
    private static final Path DATA = Path.of("..", "shared", "datasets");

    /** Reads a headerless uint8 raw volume, x fastest. */
    static ArrayVolume readRaw(Path file, int w, int h, int d) throws Exception {
        byte[] all = Files.readAllBytes(file);
        assertEquals((long) w * h * d, all.length, "raw size");
        List<float[]> s = new ArrayList<>();
        for (int z = 0; z < d; z++) {
            float[] a = new float[w * h];
            for (int i = 0; i < a.length; i++) {
                a[i] = all[z * w * h + i] & 0xff;
            }
            s.add(a);
        }
        return new ArrayVolume(new StackInfo(w, h, d, PixelType.U8, Calibration.NONE), s, file.toString());
    }

    @Test
    void bereaSandstone() throws Exception {
        Path f = DATA.resolve("berea-microct/berea_pore.raw");
        assumeTrue(Files.isRegularFile(f), "Berea data not available");
        ArrayVolume v = readRaw(f, 110, 110, 110);
        MeasureResult m = PoreMeasures.measure(v, null, Calibration.NONE, 0, PoreMeasures.Options.ALL, ProgressListener.NONE);
        System.out.println("Berea: " + m.toJson().replaceAll("\\s+", " "));
        assertEquals(0.178, m.porosity(), 0.001);
        assertTrue(m.percolates().x() && m.percolates().y() && m.percolates().z());
        assertTrue(m.largestComponentFraction() > 0.9);
    }

    @Test
    void nmcCathode() throws Exception {
        Path f = DATA.resolve("nmc-microstructure/NMC_lr_input.tif");
        assumeTrue(Files.isRegularFile(f), "NMC data not available");
        try (Volume v = Volumes.open(f)) {
            MeasureResult m = PoreMeasures.measure(v, null, Calibration.NONE, 0, PoreMeasures.Options.ALL, ProgressListener.NONE);
            System.out.println("NMC: " + m.toJson().replaceAll("\\s+", " "));
            assertTrue(m.porosity() > 0 && m.porosity() < 1);
        }
    }
}
