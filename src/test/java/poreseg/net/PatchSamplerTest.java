package poreseg.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PatchSamplerTest {
    private static final int N = 8;

    /** An 8x8 image whose pixel value encodes its position (x + 8 y), a patch that covers it whole. */
    private static TrainingData data() {
        float[] img = new float[N * N];
        float[] mask = new float[N * N];
        for (int i = 0; i < img.length; i++) {
            img[i] = i;
            mask[i] = i % 3 == 0 ? 1 : 0;
        }
        return new TrainingData(N, N, List.of(img), List.of(mask), "test");
    }

    /** The transforms seen in 200 patches, each as "where source pixel (0,0) went > where (1,0) went". */
    private static Set<String> transformsSeen(PatchSampler.Geometry g, boolean augment) {
        PatchSampler s = new PatchSampler(data(), N, augment, g, 42);
        float[] img = new float[N * N];
        float[] msk = new float[N * N];
        Set<String> seen = new HashSet<>();
        for (int k = 0; k < 200; k++) {
            s.fill(img, msk, 1);
            // the image is jittered (gain, offset); its ordering is not: the smallest value is source pixel 0
            int min = 0;
            for (int i = 0; i < img.length; i++) {
                if (img[i] < img[min]) {
                    min = i;
                }
            }
            // source pixel 1 (x + 1) is the next smallest value
            int second = -1;
            for (int i = 0; i < img.length; i++) {
                if (i != min && (second < 0 || img[i] < img[second])) {
                    second = i;
                }
            }
            seen.add(min + ">" + second);
        }
        return seen;
    }

    @Test
    void geometryNoneKeepsOrientation() {
        assertEquals(Set.of("0>1"), transformsSeen(PatchSampler.Geometry.NONE, true));
    }

    @Test
    void noAugmentationMeansNoTransformWhateverTheGeometry() {
        assertEquals(Set.of("0>1"), transformsSeen(PatchSampler.Geometry.ALL, false));
    }

    @Test
    void mirrorFlipsLeftRightOnly() {
        // identity: source (0,0) at (0,0), (1,0) right of it; mirror: (0,0) at (7,0), (1,0) at (6,0)
        assertEquals(Set.of("0>1", "7>6"), transformsSeen(PatchSampler.Geometry.MIRROR, true));
    }

    @Test
    void allGivesTheEightFlipsAndRotations() {
        assertEquals(8, transformsSeen(PatchSampler.Geometry.ALL, true).size());
    }

    @Test
    void intensityJitterKeepsTheMaskAndStaysSmall() {
        PatchSampler s = new PatchSampler(data(), N, true, PatchSampler.Geometry.NONE, 3);
        float[] img = new float[N * N];
        float[] msk = new float[N * N];
        for (int k = 0; k < 20; k++) {
            s.fill(img, msk, 1);
            for (int i = 0; i < img.length; i++) {
                assertEquals(i % 3 == 0 ? 1f : 0f, msk[i]);
                assertTrue(Math.abs(img[i] - i) <= 0.1 * i + 0.05 + 0.1 + 1e-4, "pixel " + i + ": " + img[i]);
            }
        }
    }

    @Test
    void parsesNamesAndRejectsOthers() {
        assertEquals(PatchSampler.Geometry.MIRROR, PatchSampler.Geometry.parse("Mirror"));
        assertThrows(IllegalArgumentException.class, () -> PatchSampler.Geometry.parse("rotate"));
    }
}
