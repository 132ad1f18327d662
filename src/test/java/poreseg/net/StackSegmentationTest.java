package poreseg.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.util.ProgressListener;

class StackSegmentationTest {
    @TempDir
    Path tmp;

    @Test
    void flatAndSaturatedSlicesAreNamedAndTheIntervalHoldsThePorosity() throws Exception {
        int s = 32;
        List<float[]> slices = new ArrayList<>();
        float[] textured = new float[s * s];
        for (int i = 0; i < textured.length; i++) {
            textured[i] = 60 + (i * 37 % 101);
        }
        float[] flat = new float[s * s];
        Arrays.fill(flat, 90);
        float[] saturated = textured.clone();
        Arrays.fill(saturated, 0, s * s / 2, 255);
        slices.add(textured);
        slices.add(flat);
        slices.add(saturated);
        Volume v = new ArrayVolume(new StackInfo(s, s, 3, PixelType.U8, Calibration.NONE), slices, "test stack");
        try (Network net = Network.create(new Architecture("unet", 2, 1), 3)) {
            net.info().tile = 32;
            net.info().overlap = 0;
            Segmenter seg = new Segmenter(net, 32, 0, 2);
            Path mask = tmp.resolve("m.tif");
            StackSegmentation.Result r = StackSegmentation.run(v, seg, 0.5, mask, null, tmp.resolve("u.tif"), ProgressListener.NONE);
            assertEquals(2, r.warnings().size(), r.warnings().toString());
            assertTrue(r.warnings().get(0).startsWith("slice 2 of 3 is constant"), r.warnings().get(0));
            assertTrue(r.warnings().get(1).startsWith("slice 3 of 3 is saturated (50 %"), r.warnings().get(1));
            double[] iv = r.interval();
            assertTrue(iv[0] <= r.porosity() && r.porosity() <= iv[1]);
            try (Volume m = Volumes.open(mask)) {
                long pores = 0;
                for (int z = 0; z < 3; z++) {
                    for (float x : m.slice(z)) {
                        pores += x > 0 ? 1 : 0;
                    }
                }
                assertEquals(r.pores(), pores, "the mask written is the one counted");
                for (float x : m.slice(1)) {
                    assertEquals(0f, x, "a flat slice gets no pores, not a mask of noise");
                }
                assertEquals(0.0, r.slicePorosity()[1]);
                assertEquals(0.0, r.sliceLow()[1]);
                assertEquals(1.0, r.sliceHigh()[1], "the flat slice's interval spans it whole");
            }
        }
        assertNull(StackSegmentation.contrastWarning(textured, null, PixelType.U8, 0, 1));
        float[] black = textured.clone();
        Arrays.fill(black, 0, s * s / 2, 0);
        assertNull(StackSegmentation.contrastWarning(black, null, PixelType.U8, 0, 1), "a black background is not saturation");
    }
}
