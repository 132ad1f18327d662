package poreseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.TiffWriter;

/** Inputs that used to give numbers with exit 0: each must now be one line on stderr and exit 1 (data) or 2 (usage). */
class BadDataCliTest {
    @TempDir
    Path dir;

    private Path stack(String name, PixelType t, int w, int h, float[]... slices) throws Exception {
        Path f = dir.resolve(name);
        TiffWriter.write(f, new ArrayVolume(new StackInfo(w, h, slices.length, t, Calibration.NONE), List.of(slices)));
        return f;
    }

    private static void oneLine(CliTest.Result r, int code, String... parts) {
        assertEquals(code, r.code(), r.err());
        String err = r.err().strip();
        String first = err.lines().findFirst().orElse("");
        for (String p : parts) {
            assertTrue(first.contains(p), "'" + p + "' not in: " + err);
        }
        assertFalse(err.contains("\tat ") || err.contains("internal error") || err.contains("Exception"), err);
        if (code == 1) {
            assertEquals(1, err.lines().count(), err);
        }
    }

    private static float[] mask(int n, float... values) {
        float[] m = new float[n];
        for (int i = 0; i < n; i++) {
            m[i] = values[i % values.length];
        }
        return m;
    }

    @Test
    void truncatedStackIsAnErrorNotFewerSlices() throws Exception {
        float[][] s = new float[8][];
        for (int z = 0; z < 8; z++) {
            s[z] = mask(256, 0, 255, z == 0 ? 255 : 0, 0);
        }
        Path f = stack("m.tif", PixelType.U8, 16, 16, s);
        byte[] b = Files.readAllBytes(f);
        Path cut = Files.write(dir.resolve("cut.tif"), Arrays.copyOf(b, 600));
        oneLine(CliTest.run("measure", cut.toString()), 1, "cut.tif", "truncated", "1 of 8 slices");
        oneLine(CliTest.run("info", cut.toString()), 1, "cut.tif", "truncated");
    }

    @Test
    void maskWithThreeValuesOrNaNIsRefusedUnlessThePoreValueIsGiven() throws Exception {
        Path three = stack("three.tif", PixelType.U8, 4, 4, mask(16, 0, 128, 255));
        oneLine(CliTest.run("measure", three.toString()), 1, "three.tif", "not a binary mask", "0, 128, 255");
        CliTest.Result ok = CliTest.run("measure", three.toString(), "--pore-value", "255", "--json", "-");
        assertEquals(0, ok.code(), ok.err());
        assertEquals(5, JsonParser.parseString(ok.out()).getAsJsonObject().get("pore_voxels").getAsLong());
        Path nan = stack("nan.tif", PixelType.F32, 4, 4, mask(16, 0, 255), mask(16, 0, Float.NaN));
        oneLine(CliTest.run("measure", nan.toString()), 1, "nan.tif", "NaN", "slice 2");
        // a 0/1 mask measured with the default pore value 255 used to report porosity 0 with exit 0
        Path zeroOne = stack("01.tif", PixelType.U8, 4, 4, mask(16, 0, 1));
        oneLine(CliTest.run("measure", zeroOne.toString()), 1, "pore value 255 not found", "0, 1");
    }

    @Test
    void unitMustBeALengthAndRoiThresholdFinite() throws Exception {
        Path m = stack("m.tif", PixelType.U8, 4, 4, mask(16, 0, 255));
        oneLine(CliTest.run("measure", m.toString(), "--voxel", "1,1,1", "--unit", "parsec"), 2, "unit must be a length", "parsec");
        assertEquals(0, CliTest.run("measure", m.toString(), "--voxel", "1,1,1", "--unit", "micron").code());
        oneLine(CliTest.run("roi", m.toString(), dir.resolve("r.tif").toString(), "--threshold", "NaN"), 2, "--threshold", "NaN");
        assertFalse(Files.exists(dir.resolve("r.tif")));
        oneLine(CliTest.run("synth", dir.resolve("s").toString(), "--unit", "kg"), 2, "unit must be a length");
    }

    @Test
    void nanAndInfInFloatImagesAreCountedAndRefused() throws Exception {
        float[] a = mask(64, 10, 20, 30, 40);
        float[] b = mask(64, 10, 20, 30, 40);
        b[3] = Float.NaN;
        b[9] = Float.POSITIVE_INFINITY;
        b[10] = Float.NEGATIVE_INFINITY;
        Path f = stack("f.tif", PixelType.F32, 8, 8, a, b);
        Path out = dir.resolve("o.tif");
        oneLine(CliTest.run("threshold", f.toString(), out.toString(), "--method", "otsu"), 1, "f.tif",
                "3 non-finite voxels (1 NaN, 1 +Inf, 1 -Inf)", "first in slice 2");
        oneLine(CliTest.run("preprocess", f.toString(), out.toString(), "--steps", "destripe"), 1, "3 non-finite");
        oneLine(CliTest.run("roi", f.toString(), out.toString()), 1, "3 non-finite");
        assertFalse(Files.exists(out));
        CliTest.Result ok = CliTest.run("threshold", f.toString(), out.toString(), "--method", "otsu", "--nan-value", "0");
        assertEquals(0, ok.code(), ok.err());
        oneLine(CliTest.run("threshold", f.toString(), dir.resolve("p.tif").toString(), "--method", "otsu", "--nan-value", "NaN"), 2,
                "--nan-value");
        CliTest.Result info = CliTest.run("info", f.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("min / max:   10 / 40"), info.out());
        assertTrue(info.out().contains("3 non-finite voxels (1 NaN, 1 +Inf, 1 -Inf), first in slice 2"), info.out());
        JsonObject j = JsonParser.parseString(CliTest.run("info", "--json", f.toString()).out()).getAsJsonObject();
        assertEquals(1, j.get("nan").getAsLong());
        assertEquals(1, j.get("pos_inf").getAsLong());
        assertEquals(1, j.get("neg_inf").getAsLong());
        assertEquals(40, j.get("max").getAsDouble());
    }
}
