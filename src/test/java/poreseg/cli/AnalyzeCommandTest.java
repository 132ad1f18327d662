package poreseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.TiffWriter;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.synth.SynthGenerator;
import poreseg.synth.SynthParams;
import poreseg.util.ProgressListener;

/**
 * 'poreseg analyze' on tiny synthetic stacks (64x64x4, the bundled model on CPU): the files, the JSON
 * (porosity inside its interval, measures equal to 'measure' on the written mask), the ROI variants,
 * the calibration override, and bad inputs (exit 1 or 2, nothing left behind).
 */
class AnalyzeCommandTest {
    @TempDir
    static Path dir;

    static Path stack;
    static Path particleStack;
    static CliTest.Result plain;
    static JsonObject plainJson;

    @BeforeAll
    static void makeStacksAndRunOnce() throws Exception {
        SynthParams p = SynthParams.defaults().withSize(64).withSlices(4).withSeed(5);
        new SynthGenerator().generate(p).write(dir.resolve("crop"), false, ProgressListener.NONE);
        stack = dir.resolve("crop/image.tif");
        new SynthGenerator().generate(p.withParticle(true)).write(dir.resolve("particle"), false, ProgressListener.NONE);
        particleStack = dir.resolve("particle/image.tif");
        plain = CliTest.run("analyze", stack.toString(), "--out", dir.resolve("plain").toString(), "--quick", "--json");
        assertEquals(0, plain.code(), plain.err());
        plainJson = JsonParser.parseString(plain.out()).getAsJsonObject();
    }

    /** 'measure MASK [--roi ROI] --json OUT' as JSON. */
    static JsonObject measure(Path mask, Path roi) throws Exception {
        Path out = Files.createTempFile(dir, "m", ".json");
        Files.delete(out);
        List<String> args = new ArrayList<>(List.of("measure", mask.toString(), "--no-distances", "--json", out.toString()));
        if (roi != null) {
            args.add("--roi");
            args.add(roi.toString());
        }
        CliTest.Result r = CliTest.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return JsonParser.parseString(Files.readString(out)).getAsJsonObject();
    }

    static void assertPorosityInsideInterval(JsonObject j) {
        double p = j.get("porosity").getAsDouble();
        JsonArray iv = j.getAsJsonArray("porosity_interval");
        assertTrue(iv.get(0).getAsDouble() <= p && p <= iv.get(1).getAsDouble(), "porosity " + p + " outside " + iv);
        for (var s : j.getAsJsonArray("per_slice")) {
            JsonObject o = s.getAsJsonObject();
            double sp = o.get("porosity").getAsDouble();
            JsonArray si = o.getAsJsonArray("porosity_interval");
            assertTrue(si.get(0).getAsDouble() <= sp && sp <= si.get(1).getAsDouble(), "slice " + o);
        }
    }

    static void assertMeasuresEqual(JsonObject analyze, JsonObject measure) {
        assertEquals(measure.get("porosity").getAsDouble(), analyze.get("porosity").getAsDouble(), 1e-12);
        double v = measure.get("pore_volume").getAsDouble();
        assertEquals(v, analyze.get("pore_volume").getAsDouble(), 1e-9 * Math.max(1, v));
        double a = measure.get("surface_area").getAsDouble();
        assertEquals(a, analyze.get("surface_area").getAsDouble(), 1e-9 * Math.max(1, a));
    }

    @Test
    void writesEveryFileAndTheJsonAgreesWithMeasure() throws Exception {
        Path out = dir.resolve("plain");
        for (String f : new String[] {"cnn.tif", "cnn_probability.tif", "cnn_uncertainty.tif", "report.html", "report.json",
            "figures/porosity_profile.png", "figures/overlays.png"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertFalse(Files.exists(out.resolve("roi.tif")));
        assertPorosityInsideInterval(plainJson);
        assertMeasuresEqual(plainJson, measure(out.resolve("cnn.tif"), null));
        assertEquals("nm", plainJson.get("unit").getAsString());
        assertEquals(1, plainJson.get("members").getAsInt());
        assertTrue(plainJson.get("roi").isJsonNull());
        // the bundled model's scale selection is reported
        assertEquals("[0.3333333333333333,0.5,1,2,3,4,6,8,12,16]", plainJson.getAsJsonArray("scales").toString());
        assertEquals(0.1, plainJson.get("scale_tolerance").getAsDouble(), 0);
        // the scale this run chose for the stack, and the median porosity per factor it chose from
        double scale = plainJson.get("scale").getAsDouble();
        assertTrue(java.util.List.of(1 / 3.0, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0).contains(scale), plainJson.toString());
        assertEquals(10, plainJson.getAsJsonArray("scale_porosities").size());
        // a small stack is not run at factors 12 and 16 (under 16 px a side): null, not a porosity
        assertTrue(plainJson.getAsJsonArray("scale_porosities").get(8).isJsonNull() && plainJson.getAsJsonArray("scale_porosities").get(9).isJsonNull(), plainJson.toString());
        assertTrue(plainJson.get("scale_confidence").isJsonNull());
        assertTrue(plainJson.has("scale_pore_width"), plainJson.toString());
        assertTrue(plainJson.get("scale_pore_width").isJsonNull() || plainJson.get("scale_pore_width").getAsDouble() > 0, plainJson.toString());
        assertEquals(10, plainJson.getAsJsonArray("scale_pore_widths").size(), plainJson.toString());
        // the report's JSON holds the same results, the report's first headline is the porosity
        JsonObject report = JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject();
        JsonObject res = report.getAsJsonObject("results");
        assertEquals(plainJson.get("porosity").getAsDouble(), res.get("porosity").getAsDouble(), 0);
        assertEquals(plainJson.getAsJsonArray("porosity_interval"), res.getAsJsonArray("porosity_interval"));
        JsonObject first = report.getAsJsonArray("headline").get(0).getAsJsonObject();
        assertEquals("porosity", first.get("key").getAsString());
        assertTrue(first.get("detail").getAsString().startsWith("interval "), first.toString());
        poreseg.report.ReportCheck.Result check = poreseg.report.ReportCheck.checkHtml(Files.readString(out.resolve("report.html")));
        assertTrue(check.ok(), check.toString());
        String settings = report.getAsJsonObject("settings").toString();
        assertTrue(settings.contains("model: preprocessing") && settings.contains("model: members"), settings);
        // the report says which input scale the run chose and from what
        String scaleSetting = report.getAsJsonObject("settings").get("model: input scale").getAsString();
        String how = scale < 1 ? "enlarged " + Math.round(1 / scale) + "x" : "reduced " + (int) scale + "x";
        assertTrue(scaleSetting.startsWith(how) && scaleSetting.contains("chosen by scale selection"), scaleSetting);
        // the mask keeps the stack's voxel size
        try (Volume m = Volumes.open(out.resolve("cnn.tif"))) {
            assertEquals(new Calibration(9, 9, 15, "nm"), m.info().calibration());
            assertEquals(PixelType.U8, m.info().type());
        }
    }

    @Test
    void textSummaryShowsTheIntervalBesideThePorosity() {
        CliTest.Result r = CliTest.run("analyze", stack.toString(), "--out", dir.resolve("text").toString(), "--quick");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("interval") && r.out().contains("CNN (bundled U-Net)") && r.out().contains("report: "), r.out());
        String cnnLine = r.out().lines().filter(l -> l.startsWith("CNN")).findFirst().orElseThrow();
        assertTrue(cnnLine.matches("CNN \\(bundled U-Net\\)\\s+[0-9.]+\\s+[0-9.]+-[0-9.]+\\s+.*"), cnnLine);
        assertTrue(r.err().contains("poreseg analyze: CNN segmentation"), r.err());
        assertFalse(r.err().contains("warning"), r.err());
    }

    @Test
    void roiAutoWritesTheParticleMaskAndMeasuresInsideIt() throws Exception {
        Path out = dir.resolve("auto");
        CliTest.Result r = CliTest.run("analyze", particleStack.toString(), "--out", out.toString(), "--roi", "auto", "--quick", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
        Path roi = out.resolve("roi.tif");
        assertTrue(Files.isRegularFile(roi));
        assertEquals(roi.toString(), j.get("roi").getAsString());
        assertPorosityInsideInterval(j);
        assertMeasuresEqual(j, measure(out.resolve("cnn.tif"), roi));
        JsonObject whole = measure(out.resolve("cnn.tif"), null);
        assertTrue(whole.get("porosity").getAsDouble() != j.get("porosity").getAsDouble(), "the ROI changed nothing");
    }

    @Test
    void roiMaskIsUsedAsGiven() throws Exception {
        Path mask = dir.resolve("left-half.tif");
        StackInfo info = new StackInfo(64, 64, 4, PixelType.U8, new Calibration(9, 9, 15, "nm"));
        List<float[]> slices = new ArrayList<>();
        for (int z = 0; z < 4; z++) {
            float[] s = new float[64 * 64];
            for (int i = 0; i < s.length; i++) {
                s[i] = i % 64 < 32 ? 255 : 0;
            }
            slices.add(s);
        }
        TiffWriter.write(mask, new ArrayVolume(info, slices));
        Path out = dir.resolve("mask");
        CliTest.Result r = CliTest.run("analyze", stack.toString(), "--out", out.toString(), "--roi", mask.toString(), "--quick", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
        assertPorosityInsideInterval(j);
        assertMeasuresEqual(j, measure(out.resolve("cnn.tif"), mask));
        assertFalse(Files.exists(out.resolve("roi.tif")));
    }

    @Test
    void voxelOverridesTheCalibrationAndAStackWithoutOneIsWarnedAbout() throws Exception {
        Path bare = dir.resolve("bare.tif");
        try (Volume v = Volumes.open(stack)) {
            List<float[]> s = new ArrayList<>();
            for (int z = 0; z < v.info().depth(); z++) {
                s.add(v.slice(z));
            }
            TiffWriter.write(bare, new ArrayVolume(v.info().withCalibration(Calibration.NONE), s));
        }
        CliTest.Result r = CliTest.run("analyze", bare.toString(), "--out", dir.resolve("bare-px").toString(), "--quick", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning") && r.err().contains("no voxel size"), r.err());
        JsonObject px = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("pixel", px.get("unit").getAsString());
        assertFalse(px.get("calibrated").getAsBoolean());

        Path out = dir.resolve("bare-nm");
        r = CliTest.run("analyze", bare.toString(), "--out", out.toString(), "--voxel", "9,9,15", "--unit", "nm", "--quick", "--json");
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("warning"), r.err());
        JsonObject nm = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("nm", nm.get("unit").getAsString());
        // same pixels, same calibration as the original: the same numbers
        assertEquals(plainJson.get("porosity").getAsDouble(), nm.get("porosity").getAsDouble(), 0);
        assertEquals(plainJson.get("surface_area").getAsDouble(), nm.get("surface_area").getAsDouble(), 1e-9);
        assertEquals(px.get("porosity").getAsDouble(), nm.get("porosity").getAsDouble(), 0);
        assertEquals(px.get("pore_volume").getAsDouble() * 9 * 9 * 15, nm.get("pore_volume").getAsDouble(), 1e-6);
        try (Volume m = Volumes.open(out.resolve("cnn.tif"))) {
            assertEquals(new Calibration(9, 9, 15, "nm"), m.info().calibration());
        }
    }

    @Test
    void badInputsExitWithOneOrTwoAndLeaveNothingBehind() throws Exception {
        Path out = dir.resolve("bad");
        CliTest.Result r = CliTest.run("analyze", dir.resolve("missing.tif").toString(), "--out", out.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("missing.tif"), r.err());
        assertFalse(Files.exists(out));

        r = CliTest.run("analyze", stack.toString(), "--out", out.toString(), "--voxel", "9,x,15", "--unit", "nm");
        assertEquals(2, r.code(), r.err());
        assertFalse(Files.exists(out));

        r = CliTest.run("analyze", stack.toString(), "--out", out.toString(), "--unit", "kg");
        assertEquals(2, r.code(), r.err());
        assertFalse(Files.exists(out));

        r = CliTest.run("analyze", stack.toString(), "--out", out.toString(), "--threshold", "1.5");
        assertEquals(2, r.code(), r.err());
        assertFalse(Files.exists(out));

        Path small = dir.resolve("small-roi.tif");
        TiffWriter.write(small, new ArrayVolume(new StackInfo(32, 32, 4, PixelType.U8, Calibration.NONE),
                List.of(new float[1024], new float[1024], new float[1024], new float[1024])));
        r = CliTest.run("analyze", stack.toString(), "--out", out.toString(), "--roi", small.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("ROI is 32x32x4"), r.err());
        assertFalse(Files.exists(out));

        r = CliTest.run("analyze", stack.toString(), "--out", out.toString(), "--roi", dir.resolve("no-roi.tif").toString());
        assertEquals(1, r.code(), r.err());
        assertFalse(Files.exists(out));

        r = CliTest.run("analyze", stack.toString(), "--out", out.toString(), "--model", dir.resolve("no-model").toString());
        assertEquals(1, r.code(), r.err());
        assertFalse(Files.exists(out));

        r = CliTest.run("analyze", stack.toString());
        assertEquals(2, r.code(), r.err());

        // a used folder is refused without --force and keeps what it held
        Path used = dir.resolve("used");
        Files.createDirectories(used);
        Files.writeString(used.resolve("keep.txt"), "mine");
        r = CliTest.run("analyze", stack.toString(), "--out", used.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of(used.resolve("keep.txt")), Files.list(used).toList());

        // the output folder may not hold the input
        r = CliTest.run("analyze", stack.toString(), "--out", dir.resolve("crop").toString(), "--force");
        assertEquals(2, r.code(), r.err());
    }

    @Test
    void aFailureMidwayRemovesWhatTheRunAdded() throws Exception {
        // an ROI that is empty inside: segmentation succeeds, measuring inside it fails (exit 1)
        Path empty = dir.resolve("empty-roi.tif");
        TiffWriter.write(empty, new ArrayVolume(new StackInfo(64, 64, 4, PixelType.U8, Calibration.NONE),
                List.of(new float[4096], new float[4096], new float[4096], new float[4096])));
        Path used = dir.resolve("used-fail");
        Files.createDirectories(used);
        Files.writeString(used.resolve("keep.txt"), "mine");
        CliTest.Result r = CliTest.run("analyze", stack.toString(), "--out", used.toString(), "--roi", empty.toString(), "--force");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("empty"), r.err());
        assertEquals(List.of(used.resolve("keep.txt")), Files.list(used).toList());
    }

    @Test
    void demoImagesIsAnAliasOfAnalyzeWithTheBaseline() throws Exception {
        Path out = dir.resolve("demo-images");
        CliTest.Result r = CliTest.run("demo", "--images", stack.toString(), "--out", out.toString(), "--quick", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(plainJson.get("porosity").getAsDouble(), j.get("porosity").getAsDouble(), 0);
        assertEquals(2, j.getAsJsonArray("segmentations").size());
        assertTrue(Files.isRegularFile(out.resolve("threshold.tif")));
        assertNotNull(j.get("cnn_porosity_interval"));
    }
}
