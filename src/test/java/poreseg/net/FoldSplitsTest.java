package poreseg.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
        for (FoldSplits.Split s : FoldSplits.of(d, null, 2)) {
            // the stripes' cut edges outnumber the pore's boundary: judged on the stripe alone, it would look like strokes
            assertFalse(Validation.calibrating(s.val())[0]);
            assertArrayEquals(new boolean[] {true}, s.calibrating(), s.describe());
        }
        // one fold: a band of rows
        assertArrayEquals(new boolean[] {true}, FoldSplits.of(d, null, 1).get(0).calibrating());
    }

    @Test
    void strokesDoNotCalibrateHoweverSplit() {
        for (int folds : new int[] {1, 2}) {
            for (FoldSplits.Split s : FoldSplits.of(data(strokes()), null, folds)) {
                assertArrayEquals(new boolean[] {false}, s.calibrating());
            }
        }
        // whole slices as folds: each judged on its own labels
        List<FoldSplits.Split> s = FoldSplits.of(data(dense(), strokes(), dense(), strokes()), null, 2);
        assertEquals(2, s.size());
        assertArrayEquals(new boolean[] {true, false}, s.get(0).calibrating());
    }
}
