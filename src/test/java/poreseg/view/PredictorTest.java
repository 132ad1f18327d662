package poreseg.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.net.Architecture;
import poreseg.net.ModelStore;
import poreseg.net.Network;
import poreseg.net.Segmenter;

class PredictorTest {
    @TempDir
    Path tmp;

    /** The viewer shows what segment and analyze measure: with scale selection, the stack's one scale. */
    @Test
    void aScaleSelectingModelPredictsEverySliceAtTheStacksScale() throws Exception {
        int w = 96;
        int h = 80;
        int n = 5;
        List<float[]> slices = new ArrayList<>();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int z = 0; z < n; z++) {
            float[] s = new float[w * h];
            for (int i = 0; i < s.length; i++) {
                s[i] = 60 + rnd.nextInt(40 + 10 * z) + ((i % w) / 24 % 2 == 0 ? 50 : 0);
            }
            slices.add(s);
        }
        StackInfo info = new StackInfo(w, h, n, PixelType.U8, Calibration.NONE);
        Volume v = new ArrayVolume(info, slices, "test stack");
        Path dir = tmp.resolve("m");
        try (Network net = Network.create(new Architecture("unet", 4, 2), 8)) {
            net.info().tile = 64;
            net.info().overlap = 16;
            net.info().inferenceScales = List.<Number>of(1, 2, 3);
            net.info().inferenceScaleTolerance = 0.01;
            ModelStore.save(net, dir);
        }
        try (Network net = ModelStore.load(dir.toString())) {
            Segmenter seg = Segmenter.of(net, 8);
            Segmenter.ScaleChoice want = seg.chooseScale(v);
            Segmenter at = seg.atScale(want.factor());
            try (Predictor p = new Predictor(dir.toString(), 8, v)) {
                for (int z : new int[] {3, 0}) {
                    assertArrayEquals(at.probability(slices.get(z), info), p.probability(z, slices.get(z), info), 0f, "slice " + z);
                }
                assertEquals(want.factor(), p.scale().factor());
                assertArrayEquals(want.porosity(), p.scale().porosity(), 0);
            }
            // without the stack, each slice is its own stack (per-slice selection)
            try (Predictor p = new Predictor(dir.toString(), 8, null)) {
                assertArrayEquals(seg.probability(slices.get(2), info), p.probability(2, slices.get(2), info), 0f);
                assertNull(p.scale());
            }
        }
    }
}
