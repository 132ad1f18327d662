package poreseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.TiffWriter;
import poreseg.io.Volumes;
import poreseg.preprocess.SliceAligner;
import poreseg.preprocess.SliceAligner.Shift;

/** The preprocess and threshold commands, in process. */
class PreprocessThresholdCliTest {
    @TempDir
    Path dir;

    /** Runs the CLI, returns {exit code, stdout, stderr}. */
    static Object[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            picocli.CommandLine cl = Main.commandLine();
            cl.setOut(new java.io.PrintWriter(System.out, true));
            cl.setErr(new java.io.PrintWriter(System.err, true));
            int code = cl.execute(args);
            return new Object[] {code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private Path resource(String name) throws Exception {
        Path p = dir.resolve(name);
        Files.copy(Path.of(getClass().getResource("/skimage/" + name).toURI()), p);
        return p;
    }

    @Test
    void otsuOnGoldenImagesMatchesScikitImage() throws Exception {
        Path in = resource("img0_u8.tif");
        Object[] r = run("threshold", in.toString(), dir.resolve("m.tif").toString(), "--method", "otsu", "--json");
        assertEquals(0, r[0], (String) r[2]);
        JsonObject j = new Gson().fromJson((String) r[1], JsonObject.class);
        assertEquals(158.0, j.get("threshold").getAsDouble());
        ArrayVolume m = Volumes.load(dir.resolve("m.tif"));
        assertEquals(PixelType.U8, m.info().type());
        float[] img = Volumes.load(in).sliceView(0);
        long above = 0;
        for (int i = 0; i < img.length; i++) {
            assertEquals(img[i] > 158 ? 255f : 0f, m.sliceView(0)[i]);
            above += img[i] > 158 ? 1 : 0;
        }
        assertEquals((double) above / img.length, j.get("foreground_fraction").getAsDouble(), 1e-12);
        // --dark is the complement
        Object[] d = run("threshold", in.toString(), dir.resolve("d.tif").toString(), "--method", "otsu", "--dark", "--json");
        JsonObject jd = new Gson().fromJson((String) d[1], JsonObject.class);
        assertEquals(1.0, jd.get("foreground_fraction").getAsDouble() + j.get("foreground_fraction").getAsDouble(), 1e-12);
    }

    @Test
    void hysteresisCommandMatchesScikitImageMask() throws Exception {
        // skimage: apply_hysteresis_threshold(1 - img, 0.45, 0.65) == dark pixels: img < 0.55 joined to img < 0.35
        Path in = resource("img0_f32.tif");
        Path exp = resource("img0_hyst.tif");
        Path out = dir.resolve("h.tif");
        Object[] r = run("threshold", in.toString(), out.toString(), "--method", "hysteresis", "--dark", "--weak", "0.55", "--strong", "0.35", "--json");
        assertEquals(0, r[0], (String) r[2]);
        float[] a = Volumes.load(out).sliceView(0);
        float[] b = Volumes.load(exp).sliceView(0);
        int diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff += a[i] != b[i] ? 1 : 0;
        }
        // 1 - v < 0.45 vs v > 0.55 can differ only for values within float rounding of the thresholds
        assertTrue(diff <= 2, "differing pixels: " + diff);
        System.out.println("hysteresis CLI vs skimage: differing pixels " + diff);
        // automatic thresholds are reported
        Object[] auto = run("threshold", in.toString(), dir.resolve("h2.tif").toString(), "--method", "hysteresis", "--dark", "--3d", "--json");
        JsonObject j = new Gson().fromJson((String) auto[1], JsonObject.class);
        assertTrue(j.get("automatic").getAsBoolean());
        assertTrue(j.get("strong").getAsDouble() < j.get("weak").getAsDouble());
        assertEquals(6, j.get("connectivity").getAsInt());
    }

    @Test
    void badThresholdUsageExitsTwo() throws Exception {
        Path in = resource("img1_u8.tif");
        Object[] r = run("threshold", in.toString(), dir.resolve("x.tif").toString(), "--method", "hysteresis", "--weak", "100", "--strong", "300");
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("--strong 300 is outside the image range"), (String) r[2]);
        assertEquals(2, run("threshold", in.toString(), dir.resolve("x.tif").toString(), "--method", "kmeans")[0]);
        assertEquals(2, run("threshold", in.toString(), dir.resolve("x.tif").toString(), "--method", "hysteresis", "--weak", "100")[0]);
        assertEquals(2, run("threshold", in.toString(), dir.resolve("x.tif").toString(), "--method", "otsu", "--connectivity", "8")[0]);
        assertEquals(2, run("threshold", in.toString(), dir.resolve("x.tif").toString(), "--method", "hysteresis", "--connectivity", "26")[0]);
        assertFalse(Files.exists(dir.resolve("x.tif")));
        assertEquals(1, run("threshold", dir.resolve("missing.tif").toString(), dir.resolve("x.tif").toString(), "--method", "otsu")[0]);
    }

    @Test
    void constantImagesGiveDefinedResults() throws Exception {
        Path in = dir.resolve("const.tif");
        float[] c = new float[32 * 24];
        java.util.Arrays.fill(c, 1000f);
        StackInfo info = new StackInfo(32, 24, 2, PixelType.U16, Calibration.NONE);
        TiffWriter.write(in, new ArrayVolume(info, List.of(c, c.clone())));
        for (String m : new String[] {"otsu", "li", "triangle", "mean", "hysteresis"}) {
            Object[] r = run("threshold", in.toString(), dir.resolve(m + ".tif").toString(), "--method", m, "--json");
            assertEquals(0, r[0], m + ": " + r[2]);
            JsonObject j = new Gson().fromJson((String) r[1], JsonObject.class);
            assertEquals(0.0, j.get("foreground_fraction").getAsDouble(), m);
        }
        Object[] p = run("preprocess", in.toString(), dir.resolve("p.tif").toString(), "--steps", "destripe,gaussian=1,stretch,equalize,clahe=16", "--float");
        assertEquals(0, p[0], (String) p[2]);
        for (float f : Volumes.load(dir.resolve("p.tif")).sliceView(1)) {
            assertFalse(Float.isNaN(f));
        }
    }

    @Test
    void preprocessWritesTypesAndRefusesToOverwrite() throws Exception {
        Path in = resource("img0_u16.tif");
        Path out = dir.resolve("o.tif");
        Object[] r = run("preprocess", in.toString(), out.toString(), "--steps", "destripe,gaussian=1.5,stretch", "--json");
        assertEquals(0, r[0], (String) r[2]);
        JsonObject j = new Gson().fromJson((String) r[1], JsonObject.class);
        assertEquals("destripe,gaussian=1.5,stretch", j.get("steps").getAsString());
        assertEquals("uint16", j.get("output_type").getAsString());
        ArrayVolume o = Volumes.load(out);
        assertEquals(PixelType.U16, o.info().type());
        float mx = 0;
        for (float f : o.sliceView(0)) {
            mx = Math.max(mx, f);
        }
        assertEquals(65535f, mx);
        // exists without --force: usage error, file untouched
        long size = Files.size(out);
        assertEquals(2, run("preprocess", in.toString(), out.toString(), "--steps", "invert")[0]);
        assertEquals(size, Files.size(out));
        assertEquals(0, run("preprocess", in.toString(), out.toString(), "--steps", "equalize-skimage", "--force")[0]);
        assertEquals(PixelType.F32, Volumes.load(out).info().type());
        // never over the input
        assertEquals(2, run("preprocess", in.toString(), in.toString(), "--steps", "invert", "--force")[0]);
    }

    @Test
    void unknownStepIsAUsageErrorNamingIt() throws Exception {
        Path in = resource("img0_u8.tif");
        Object[] r = run("preprocess", in.toString(), dir.resolve("o.tif").toString(), "--steps", "destripe,sharpen=2");
        assertEquals(2, r[0]);
        String err = (String) r[2];
        assertTrue(err.contains("'sharpen=2'") && err.contains("unknown step") && err.contains("gaussian=SIGMA"), err);
        Object[] g = run("preprocess", in.toString(), dir.resolve("o.tif").toString(), "--steps", "gaussian=abc");
        assertEquals(2, g[0]);
        assertTrue(((String) g[2]).contains("'gaussian=abc'"), (String) g[2]);
        assertEquals(2, run("preprocess", in.toString(), dir.resolve("o.tif").toString(), "--steps", "invert", "--shifts-out", dir.resolve("s.csv").toString())[0]);
    }

    @Test
    void alignEstimatesShiftsAndAppliesThemToAMaskStack() throws Exception {
        int w = 96;
        int h = 80;
        java.util.Random rnd = new java.util.Random(2);
        float[] n = new float[w * h];
        for (int i = 0; i < n.length; i++) {
            n[i] = (float) rnd.nextGaussian();
        }
        float[] base = new poreseg.preprocess.Gaussian(2).apply(n, w, h, PixelType.F32);
        List<float[]> img = new ArrayList<>();
        List<float[]> mask = new ArrayList<>();
        float[] m0 = new float[w * h];
        for (int y = 30; y < 50; y++) {
            for (int x = 40; x < 60; x++) {
                m0[y * w + x] = 255;
            }
        }
        for (int z = 0; z < 4; z++) {
            Shift drift = new Shift(2.0 * z, -1.0 * z);
            float[] s = SliceAligner.translate(base, w, h, drift, false);
            for (int i = 0; i < s.length; i++) {
                s[i] = 30000 + 5000 * s[i];
            }
            img.add(s);
            mask.add(SliceAligner.translate(m0, w, h, drift, true));
        }
        StackInfo info = new StackInfo(w, h, 4, PixelType.U16, Calibration.NONE);
        Path in = dir.resolve("stack.tif");
        Path masks = dir.resolve("masks.tif");
        TiffWriter.write(in, new ArrayVolume(info, img));
        TiffWriter.write(masks, new ArrayVolume(info.withType(PixelType.U8), mask));
        Path csv = dir.resolve("shifts.csv");
        Object[] r = run("preprocess", in.toString(), dir.resolve("aligned.tif").toString(), "--steps", "align", "--shifts-out", csv.toString(), "--json");
        assertEquals(0, r[0], (String) r[2]);
        JsonObject j = new Gson().fromJson((String) r[1], JsonObject.class);
        JsonObject last = j.getAsJsonArray("shifts").get(3).getAsJsonObject();
        assertEquals(-6.0, last.get("dx").getAsDouble(), 0.3);
        assertEquals(3.0, last.get("dy").getAsDouble(), 0.3);
        Path alignedMasks = dir.resolve("masks-aligned.tif");
        Object[] a = run("preprocess", masks.toString(), alignedMasks.toString(), "--steps", "align", "--shifts", csv.toString(), "--nearest");
        assertEquals(0, a[0], (String) a[2]);
        ArrayVolume am = Volumes.load(alignedMasks);
        for (int z = 0; z < 4; z++) {
            assertEquals(m0[40 * w + 50], am.sliceView(z)[40 * w + 50]);
            int diff = 0;
            for (int i = 0; i < m0.length; i++) {
                diff += am.sliceView(z)[i] != m0[i] ? 1 : 0;
            }
            assertEquals(0, diff, "slice " + z + " realigned onto slice 0");
        }
        // wrong number of shifts: data error
        Files.writeString(csv, "slice,dx,dy\n0,0,0\n");
        assertEquals(1, run("preprocess", masks.toString(), dir.resolve("x.tif").toString(), "--steps", "align", "--shifts", csv.toString())[0]);
    }
}
