package poreseg.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class EngineSmokeTest {
    @Test
    void engineLoadsOfflineAndConvolvesCorrectly() {
        assertEquals("PyTorch", NetEngine.get().getEngineName());
        try (NDManager m = NetEngine.newManager()) {
            // 3x3 image 1..9, 2x2 kernel [[1,0],[0,-1]], no padding: out[i][j] = x[i][j] - x[i+1][j+1] = -4
            NDArray x = m.arange(1f, 10f).reshape(1, 1, 3, 3);
            NDArray k = m.create(new float[] {1, 0, 0, -1}, new Shape(1, 1, 2, 2));
            NDArray b = m.create(new float[] {0.5f});
            NDArray y = x.getNDArrayInternal().convolution(x, k, b, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow();
            assertEquals(new Shape(1, 1, 2, 2), y.getShape());
            assertArrayEquals(new float[] {-3.5f, -3.5f, -3.5f, -3.5f}, y.toFloatArray(), 1e-6f);
            // a 3x3 sum kernel with same padding gives the neighbourhood sums
            NDArray ones = m.ones(new Shape(1, 1, 3, 3));
            NDArray z = x.getNDArrayInternal().convolution(x, ones, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow();
            assertArrayEquals(new float[] {12, 21, 16, 27, 45, 33, 24, 39, 28}, z.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void nearestUpsamplingRepeatsPixels() {
        try (NDManager m = NetEngine.newManager()) {
            NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
            NDArray y = Layers.upsampleNearest(x, 2);
            assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, y.toFloatArray());
        }
    }
}
