package poreseg.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import poreseg.io.Calibration;
import poreseg.io.DataException;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;

class DefaultModelTest {
    @Test
    void aMissingBundledModelIsExplained() {
        DataException e = assertThrows(DataException.class, () -> ModelStore.loadResource("/poreseg/models/no-such-model/"));
        assertTrue(e.template().contains("{model} MODEL_DIR"), e.getMessage());
    }

    @Test
    void bundledModelLoadsAndSegmentsOrItsAbsenceIsExplained() throws Exception {
        if (!ModelStore.hasDefault()) {
            DataException e = assertThrows(DataException.class, () -> ModelStore.load("default"));
            assertTrue(e.template().contains("{model} MODEL_DIR"), e.getMessage());
            return;
        }
        try (Network net = ModelStore.load("default")) {
            ModelInfo info = net.info();
            assertEquals("unet", info.architecture);
            assertEquals(info.parameters, Architecture.trainableParameters(net.block()));
            // a dark disc on a bright 16-bit background is found as pore, the background is not
            int n = 96;
            float[] img = new float[n * n];
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    boolean pore = (x - 48) * (x - 48) + (y - 48) * (y - 48) < 15 * 15;
                    img[y * n + x] = pore ? 3000 : 20000 + 2000 * (float) Math.sin(x * 0.7) * (float) Math.cos(y * 0.5);
                }
            }
            Segmenter seg = new Segmenter(net, 256, 32, 1);
            float[] p = seg.probability(img, new StackInfo(n, n, 1, PixelType.U16, Calibration.NONE));
            assertTrue(p[48 * n + 48] > 0.5, "centre of the pore: " + p[48 * n + 48]);
            assertTrue(p[5 * n + 5] < 0.5, "background: " + p[5 * n + 5]);
        }
    }
}
