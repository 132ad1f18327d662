package poreseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.OutputFiles;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.TiffWriter;

/** Error messages say what is wrong and where, in one line. */
class MessagesCliTest {
    @TempDir
    Path dir;

    @Test
    void benchHelpFormatsWithoutPicocliWarnings() {
        CliTest.Result r = CliTest.run("bench", "measure", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("~20 % porosity"), r.out());
        assertFalse(r.err().contains("WARN") || r.out().contains("WARN"), r.err());
    }

    @Test
    void negativeUnetDepthIsAUsageErrorWithTheRange() {
        CliTest.Result r = CliTest.run("bench", "train", "--arch", "unet", "--depth", "-1");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--depth must be in 1..6, got -1"), r.err());
    }

    @Test
    void benchTrainJsonNamesThePathAndTheOptimizer() {
        CliTest.Result r = CliTest.run("bench", "train", "--arch", "paper", "--batch", "2", "--size", "32", "--steps", "1", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"path\": \"scripted\""), r.out());
        assertTrue(r.out().contains("\"optimizer\": \"fused-adam\""), r.out());
        assertTrue(r.out().contains("\"images_per_second\""), r.out());
    }

    @Test
    void benchInferInt8NamesTheWeightLevelsOfThisCpu() {
        CliTest.Result r = CliTest.run("bench", "infer", "--arch", "paper", "--batch", "2", "--size", "32", "--steps", "1", "--precision", "int8", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"precision\": \"int8\""), r.out());
        // 127 with AVX512-VNNI, 63 without (Int8Calibration.weightLevels)
        int levels = poreseg.util.CpuFeatures.current().has("avx512_vnni") ? 127 : 63;
        assertTrue(r.out().contains("\"int8_weight_levels\": " + levels), r.out());
    }

    @Test
    void errorsWithoutAMessageNameTheirCauseNotNull() {
        assertEquals("a file ends early (EOFException)", Main.describe(new EOFException()));
        assertEquals("disk full (IOException)", Main.describe(new IOException((String) null, new IOException("disk full"))));
    }

    @Test
    void writeErrorsNameTheTargetNotTheTemporaryFile() throws Exception {
        Path target = dir.resolve("out.csv");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> OutputFiles.writeAtomically(target,
                tmp -> {
                    throw new java.nio.file.FileSystemException(tmp.toString(), null, "No space left on device");
                }));
        assertEquals(target + ": cannot write (No space left on device)", e.getMessage());
        assertFalse(e.getMessage().contains(".part"));
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void nanImagesStopAStudyBeforeItMakesItsFolder() throws Exception {
        float[] s = new float[64];
        s[5] = Float.NaN;
        Path img = dir.resolve("img.tif");
        TiffWriter.write(img, new ArrayVolume(new StackInfo(8, 8, 1, PixelType.F32, Calibration.NONE), List.of(s)));
        Path out = dir.resolve("study");
        CliTest.Result r = CliTest.run("study", "--images", img.toString(), "--masks", img.toString(), "--out", out.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("1 non-finite voxel (1 NaN)"), r.err());
        assertFalse(Files.exists(out));
    }
}
