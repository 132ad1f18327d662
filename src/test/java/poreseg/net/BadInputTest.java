package poreseg.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.DataException;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;

class BadInputTest {
    @TempDir
    Path tmp;

    private static ArrayVolume vol(int w, int h, float... values) {
        return new ArrayVolume(new StackInfo(w, h, 1, PixelType.U8, Calibration.NONE), List.of(values), "v.tif");
    }

    @Test
    void twoValuedMasksAnyEncoding() throws Exception {
        assertArrayEquals(new float[] {0, 1, 1, 0}, MaskEncoding.detect(vol(2, 2, 0, 255, 255, 0), null).binarize(new float[] {0, 255, 255, 0}));
        assertArrayEquals(new float[] {1, 0, 0, 1}, MaskEncoding.detect(vol(2, 2, 1, 0, 0, 1), null).binarize(new float[] {1, 0, 0, 1}));
        // pores encoded as the darker value with --pore-value 0
        assertArrayEquals(new float[] {1, 0, 0, 1}, MaskEncoding.detect(vol(2, 2, 0, 7, 7, 0), 0f).binarize(new float[] {0, 7, 7, 0}));
    }

    @Test
    void nonBinaryMaskNeedsPoreValue() throws Exception {
        DataException e = assertThrows(DataException.class, () -> MaskEncoding.detect(vol(2, 2, 0, 1, 2, 0), null));
        assertTrue(e.template().contains("{poreValue}"), e.getMessage());
        assertArrayEquals(new float[] {0, 0, 1, 0}, MaskEncoding.detect(vol(2, 2, 0, 1, 2, 0), 2f).binarize(new float[] {0, 1, 2, 0}));
        assertThrows(DataException.class, () -> MaskEncoding.detect(vol(2, 2, 0, 1, 2, 0), 5f));
    }

    @Test
    void mismatchedSizesAreRejected() {
        DataException e = assertThrows(DataException.class, () -> TrainingData.load(vol(2, 2, 0, 1, 2, 3), vol(4, 1, 0, 1, 1, 0),
                Preprocessing.NONE, null, (d, t) -> { }));
        assertTrue(e.getMessage().contains("differs from image size"), e.getMessage());
    }

    @Test
    void modelDirectoryProblemsAreNamed() throws Exception {
        DataException a = assertThrows(DataException.class, () -> ModelStore.load(tmp.resolve("missing")));
        assertTrue(a.getMessage().contains("not found"), a.getMessage());
        Path d = Files.createDirectories(tmp.resolve("v2"));
        Files.writeString(d.resolve("model.json"), "{\"format\": \"poreseg-model\", \"format_version\": 2, \"architecture\": \"unet\", \"width\": 8, \"depth\": 2}");
        DataException b = assertThrows(DataException.class, () -> ModelStore.load(d));
        assertTrue(b.getMessage().contains("format version 2"), b.getMessage());
        Files.writeString(d.resolve("model.json"), "{\"format\": \"poreseg-model\", \"format_version\": 1, \"architecture\": \"unet\", \"width\": 8, \"depth\": 2}");
        DataException c = assertThrows(DataException.class, () -> ModelStore.load(d));
        assertTrue(c.getMessage().contains("params.bin"), c.getMessage());
        // parameters of another architecture
        try (Network n = Network.create(new Architecture("unet", 4, 1), 1)) {
            ModelStore.saveParams(n.block(), d.resolve("params.bin"));
        }
        DataException f = assertThrows(DataException.class, () -> ModelStore.load(d));
        assertTrue(f.getMessage().contains("do not match"), f.getMessage());
    }
}
