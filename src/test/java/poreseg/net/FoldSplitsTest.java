package poreseg.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FoldSplitsTest {
    private static final int N = 128;

    /** A dense slice: one pore disk of radius 6 in solid (few boundary pixels against long stripe edges). */
    private static float[] dense() {
        float[] m = new float[N * N];
        for (int y = 0; y < N; y++) {
            for (int x = 0; x < N; x++) {
                m[y * N + x] = (x - 40) * (x - 40) + (y - 70) * (y - 70) <= 36 ? 1f : 0f;
            }
        }
        return m;
    }

    /** The same slice labelled by strokes: short horizontal lines inside the pore and in the solid. */
    private static float[] strokes() {
        float[] m = new float[N * N];
        Arrays.fill(m, MaskEncoding.UNLABELLED);
        for (int x = 37; x <= 43; x++) {
            m[70 * N + x] = 1f;
        }
        for (int y : new int[] {10, 50, 100}) {
            for (int x = 10; x < 110; x++) {
                m[y * N + x] = 0f;
            }
        }
        return m;
    }

    private static TrainingData data(float[]... masks) {
        List<float[]> imgs = Arrays.stream(masks).map(m -> new float[N * N]).toList();
        return new TrainingData(N, N, imgs, List.of(masks), "t");
    }

    @Test
    void stripesOfADenseSliceCalibrate() {
        TrainingData d = data(dense());
        boolean aloneFails = false;
        for (FoldSplits.Split s : FoldSplits.of(d, null, 2)) {
            // every stripe is part of a slice labelled whole: all its labels calibrate
            assertArrayEquals(s.val().mask(0), s.calibration().get(0), s.describe());
            // judged alone, a stripe without the pore has no pore boundary and would not
            aloneFails |= PorosityCalibration.calibrationLabels(s.val().mask(0), N, N) == null;
        }
        assertTrue(aloneFails);
        // one fold: a band of rows
        assertArrayEquals(FoldSplits.of(d, null, 1).get(0).val().mask(0), FoldSplits.of(d, null, 1).get(0).calibration().get(0));
    }

    @Test
    void strokesDoNotCalibrateHoweverSplit() {
        for (int folds : new int[] {1, 2}) {
            for (FoldSplits.Split s : FoldSplits.of(data(strokes()), null, folds)) {
                assertNull(s.calibration().get(0));
                assertTrue(s.hasStrokes() && !s.calibrates());
            }
        }
        // whole slices as folds: each judged on its own labels
        List<FoldSplits.Split> s = FoldSplits.of(data(dense(), strokes(), dense(), strokes()), null, 2);
        assertEquals(2, s.size());
        assertNotNull(s.get(0).calibration().get(0));
        assertNull(s.get(0).calibration().get(1));
    }
}
