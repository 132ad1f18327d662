package poreseg.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.DataException;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.Volume;

class TrainingDataTest {
    private static final int W = 4;
    private static final int H = 2;

    /** A stack whose image slice z is all z; {@code read} counts the image slices read. */
    private static Volume image(int depth, int[] read) {
        List<float[]> s = new ArrayList<>();
        for (int z = 0; z < depth; z++) {
            s.add(new float[] {z, z, z, z, z, z, z, z});
        }
        ArrayVolume v = new ArrayVolume(new StackInfo(W, H, depth, PixelType.U8, Calibration.NONE), s, "img.tif");
        return new Volume() {
            @Override
            public poreseg.io.StackInfo info() {
                return v.info();
            }

            @Override
            public String source() {
                return v.source();
            }

            @Override
            public float[] slice(int z) throws IOException {
                read[0]++;
                return v.slice(z);
            }

            @Override
            public void close() {
            }
        };
    }

    /** Labels: slices in {@code labelled} half pore (255) half solid (0), the others all 128. */
    private static Volume labels(int depth, int... labelled) {
        List<float[]> s = new ArrayList<>();
        for (int z = 0; z < depth; z++) {
            float[] m = new float[W * H];
            java.util.Arrays.fill(m, 128);
            for (int l : labelled) {
                if (l == z) {
                    m = new float[] {255, 255, 255, 255, 0, 0, 0, 0};
                }
            }
            s.add(m);
        }
        return new ArrayVolume(new StackInfo(W, H, depth, PixelType.U8, Calibration.NONE), s, "lab.tif");
    }

    @Test
    void onlyLabelledSlicesAreReadAndHeld() throws Exception {
        int[] read = {0};
        TrainingData d = TrainingData.load(image(10, read), labels(10, 2, 7), Preprocessing.NONE, null, 128f, (a, b) -> { });
        assertEquals(2, d.size());
        assertEquals(10, d.stackSlices());
        assertEquals(2, read[0], "unlabelled slices are not even read");
        // the held slices are slices 2 and 7, in order, with their labels
        assertEquals(2f / 255, d.image(0)[0], 1e-6);
        assertEquals(7f / 255, d.image(1)[0], 1e-6);
        assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0, 0, 0}, d.mask(1));
        assertEquals(d, d.labelledSlices());
        assertEquals(10, d.labelledSlices().stackSlices());
    }

    @Test
    void withoutAnUnlabelledValueEverySliceIsHeld() throws Exception {
        int[] read = {0};
        TrainingData d = TrainingData.load(image(3, read), labels(3, 0, 1, 2), Preprocessing.NONE, null, null, (a, b) -> { });
        assertEquals(3, d.size());
        assertEquals(3, d.stackSlices());
    }

    @Test
    void aMaskOfFewerSlicesSaysHowToLabelAFewSlices() {
        DataException e = assertThrows(DataException.class, () -> TrainingData.load(image(5, new int[1]), labels(2, 0, 1), Preprocessing.NONE,
                null, 128f, (a, b) -> { }));
        assertTrue(e.getMessage().contains("differs from image size") && e.getMessage().contains("--unlabelled 128"), e.getMessage());
    }
}
