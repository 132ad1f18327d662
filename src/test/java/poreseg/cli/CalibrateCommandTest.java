package poreseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.io.ArrayVolume;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.TiffWriter;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.net.ModelInfo;
import poreseg.net.ModelStore;

/**
 * {@code poreseg calibrate} on the bundled model's weak spot, pores whose back walls show through as
 * bright as solid ({@code synth --appearance wallGain=1.3}): zero-shot it calls a third of the pores
 * solid; one or two labelled slices move its threshold so that the other slices' porosity comes right.
 */
class CalibrateCommandTest {
    @TempDir
    static Path tmp;

    static Path image;
    static Path truth;
    /** The truth with slices 3-6 unlabelled (128): a user who labelled slices 1 and 2. */
    static Path firstTwo;

    @BeforeAll
    static void stack() throws Exception {
        Path s = tmp.resolve("shine");
        assertEquals(0, Main.execute("synth", s.toString(), "--size", "192", "--slices", "6", "--voxel", "9,9,15", "--porosity", "0.26",
                "--seed", "81", "--appearance", "wallGain=1.3"));
        image = s.resolve("image.tif");
        truth = s.resolve("truth.tif");
        firstTwo = tmp.resolve("labels-1-2.tif");
        try (Volume t = Volumes.open(truth)) {
            List<float[]> slices = new ArrayList<>();
            for (int z = 0; z < t.info().depth(); z++) {
                float[] v = t.slice(z);
                if (z >= 2) {
                    Arrays.fill(v, 128);
                }
                slices.add(v);
            }
            TiffWriter.write(firstTwo, new ArrayVolume(t.info(), slices));
        }
    }

    /** Porosity and pore F1 of a mask against the truth over slices 3-6 (never labelled). */
    static double[] scoreLastFour(Path mask) throws Exception {
        long tp = 0;
        long pred = 0;
        long tru = 0;
        long n = 0;
        try (Volume m = Volumes.open(mask); Volume t = Volumes.open(truth)) {
            for (int z = 2; z < 6; z++) {
                float[] a = m.slice(z);
                float[] b = t.slice(z);
                for (int i = 0; i < a.length; i++) {
                    boolean p = a[i] > 0;
                    boolean q = b[i] > 0;
                    tp += p && q ? 1 : 0;
                    pred += p ? 1 : 0;
                    tru += q ? 1 : 0;
                    n++;
                }
            }
        }
        return new double[] {(double) pred / n, (double) tru / n, 2.0 * tp / (pred + tru)};
    }

    @Test
    void twoLabelledSlicesFixThePorosityOfTheOthers() throws Exception {
        Path model = tmp.resolve("calibrated");
        CliTest.Result r = CliTest.run("calibrate", "--images", image.toString(), "--masks", firstTwo.toString(), "--unlabelled", "128",
                "--out", model.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
        JsonArray slices = j.getAsJsonArray("slices");
        assertEquals(2, slices.size(), "only the labelled slices");
        assertEquals(1, slices.get(0).getAsJsonObject().get("slice").getAsInt());
        double t = j.get("median_threshold").getAsDouble();
        assertTrue(t > 0 && t < 0.2, "the bundled model under-calls these pores: threshold far below 0.5, got " + t);
        double before = j.get("porosity_error_before").getAsDouble();
        double loo = j.get("porosity_error_leave_one_out").getAsDouble();
        assertTrue(before > 0.05, "zero-shot porosity error " + before);
        assertTrue(loo < before / 2, "leave-one-out " + loo + " against " + before);

        ModelInfo info = ModelStore.info(model.toString());
        assertEquals(2, info.porosityThresholds.size());
        assertTrue(info.training.containsKey("calibration"), "provenance recorded");
        String said = poreseg.net.PorosityCalibration.describe(info);
        assertTrue(said.contains("labelled slices 1, 2 of") && said.contains("poreseg calibrate"), "the report names it: " + said);
        assertTrue(poreseg.net.PorosityCalibration.describe(ModelStore.info("default")).startsWith("none"));
        assertTrue(info.members.isEmpty());
        assertEquals(ModelStore.info("default").parameters, info.parameters);
        assertTrue(Arrays.equals(Files.readAllBytes(model.resolve("params.bin")), ModelStore.params("default").readAllBytes()),
                "the weights are the bundled model's, unchanged");

        // out of sample: slices 3-6 segmented as a user would
        Path zero = tmp.resolve("zero.tif");
        Path cal = tmp.resolve("cal.tif");
        CliTest.Result zr = CliTest.run("segment", image.toString(), zero.toString(), "--json");
        CliTest.Result cr = CliTest.run("segment", image.toString(), cal.toString(), "--model", model.toString(), "--json");
        assertEquals(0, zr.code(), zr.err());
        assertEquals(0, cr.code(), cr.err());
        // the output says which interval is calibrated on labels
        assertTrue(zr.out().contains("\"porosity_interval_calibrated\": false"), zr.out());
        assertTrue(cr.out().contains("\"porosity_interval_calibrated\": true"), cr.out());
        double[] z = scoreLastFour(zero);
        double[] c = scoreLastFour(cal);
        assertTrue(Math.abs(z[0] - z[1]) > 0.05, "zero-shot porosity " + z[0] + " against " + z[1]);
        assertTrue(Math.abs(c[0] - c[1]) < 0.5 * Math.abs(z[0] - z[1]), "calibrated porosity " + c[0] + " against " + c[1] + " (zero-shot " + z[0] + ")");
        assertTrue(c[2] > z[2], "pore F1 " + c[2] + " against zero-shot " + z[2]);

        // calibrating the calibrated model replaces its thresholds (computed on raw probabilities)
        Path again = tmp.resolve("again");
        CliTest.Result r2 = CliTest.run("calibrate", "--model", model.toString(), "--images", image.toString(), "--masks", firstTwo.toString(),
                "--unlabelled", "128", "--out", again.toString(), "--json");
        assertEquals(0, r2.code(), r2.err());
        JsonObject j2 = JsonParser.parseString(r2.out()).getAsJsonObject();
        assertEquals(t, j2.get("median_threshold").getAsDouble(), 1e-6, "the same threshold, not one on top of the other");
        assertTrue(j2.get("porosity_error_before").getAsDouble() < before, "its 'before' is the calibrated model's");
    }

    @Test
    void oneSliceWarnsThatNothingCheckedIt() throws Exception {
        Path one = tmp.resolve("one.tif");
        try (Volume t = Volumes.open(truth)) {
            TiffWriter.write(one, new ArrayVolume(t.info().withDepth(1), List.of(t.slice(0))));
        }
        Path img = tmp.resolve("img1.tif");
        try (Volume v = Volumes.open(image)) {
            TiffWriter.write(img, new ArrayVolume(v.info().withDepth(1), List.of(v.slice(0))));
        }
        CliTest.Result r = CliTest.run("calibrate", "--images", img.toString(), "--masks", one.toString(), "--out", tmp.resolve("m1").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("one labelled slice"), r.err());
        assertTrue(r.out().contains("leave-one-out - (one slice)"), r.out());
    }

    @Test
    void thresholdsThatDoNotCarryBetweenSlicesAreReported() throws Exception {
        // slice 1 labelled truly, slice 2 labelled all solid: the two thresholds contradict each other
        Path odd = tmp.resolve("odd.tif");
        try (Volume t = Volumes.open(truth)) {
            List<float[]> slices = new ArrayList<>();
            for (int z = 0; z < t.info().depth(); z++) {
                float[] v = z == 0 ? t.slice(z) : new float[t.info().sliceSize()];
                if (z >= 2) {
                    Arrays.fill(v, 128);
                }
                slices.add(v);
            }
            TiffWriter.write(odd, new ArrayVolume(t.info(), slices));
        }
        CliTest.Result r = CliTest.run("calibrate", "--images", image.toString(), "--masks", odd.toString(), "--unlabelled", "128",
                "--out", tmp.resolve("odd").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
        assertTrue(j.get("porosity_error_leave_one_out").getAsDouble() > j.get("porosity_error_before").getAsDouble(), r.out());
        assertTrue(j.getAsJsonArray("warnings").toString().contains("does not carry"), r.out());
        // slice 1 gets its labelled porosity at its own threshold; slice 2 (no pores labelled) gets the
        // closest a threshold can give: the pixels the model is certain of, and a warning where those are many
        JsonObject s1 = j.getAsJsonArray("slices").get(0).getAsJsonObject();
        JsonObject s2 = j.getAsJsonArray("slices").get(1).getAsJsonObject();
        assertEquals(s1.get("porosity_truth").getAsDouble(), s1.get("porosity_at_threshold").getAsDouble(), poreseg.net.ModelCalibration.MATCH);
        assertTrue(s2.get("threshold").getAsDouble() <= 1 - poreseg.net.PorosityCalibration.THRESHOLD_LIMIT, r.out());
        double at = s2.get("porosity_at_threshold").getAsDouble();
        assertEquals(at > poreseg.net.ModelCalibration.MATCH, j.getAsJsonArray("warnings").toString().contains("no threshold gives labelled slice 2 its labelled porosity 0.0000"),
                "porosity at the threshold " + at + ": " + r.out());
    }

    @Test
    void strokesAreNotDenseLabels() throws Exception {
        // a 12-pixel-wide band of slice 1 labelled whole (6 % of it), the rest unlabelled: dense, but small
        Path band = tmp.resolve("band.tif");
        try (Volume t = Volumes.open(truth)) {
            List<float[]> slices = new ArrayList<>();
            int w = t.info().width();
            for (int z = 0; z < t.info().depth(); z++) {
                float[] v = t.slice(z);
                for (int i = 0; i < v.length; i++) {
                    if (z > 0 || i / w >= 12) {
                        v[i] = 128;
                    }
                }
                slices.add(v);
            }
            TiffWriter.write(band, new ArrayVolume(t.info(), slices));
        }
        CliTest.Result r = CliTest.run("calibrate", "--images", image.toString(), "--masks", band.toString(), "--unlabelled", "128",
                "--out", tmp.resolve("band").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("small regions labelled whole") && !r.err().contains("needs dense labels"), r.err());
        // interiors labelled, every pore edge left unlabelled (2 px each side): most of the slice labelled, still strokes
        Path interiors = tmp.resolve("interiors.tif");
        try (Volume t = Volumes.open(truth)) {
            List<float[]> slices = new ArrayList<>();
            int w = t.info().width();
            int h = t.info().height();
            for (int z = 0; z < t.info().depth(); z++) {
                float[] v = t.slice(z);
                float[] out = v.clone();
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        boolean edge = false;
                        for (int dy = -2; dy <= 2 && !edge; dy++) {
                            for (int dx = -2; dx <= 2; dx++) {
                                int yy = Math.min(h - 1, Math.max(0, y + dy));
                                int xx = Math.min(w - 1, Math.max(0, x + dx));
                                edge |= v[yy * w + xx] != v[y * w + x];
                            }
                        }
                        if (z > 0 || edge) {
                            out[y * w + x] = 128;
                        }
                    }
                }
                slices.add(out);
            }
            TiffWriter.write(interiors, new ArrayVolume(t.info(), slices));
        }
        r = CliTest.run("calibrate", "--images", image.toString(), "--masks", interiors.toString(), "--unlabelled", "128",
                "--out", tmp.resolve("interiors").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("needs dense labels"), r.err());
        r = CliTest.run("calibrate", "--images", image.toString(), "--masks", firstTwo.toString(), "--unlabelled", "128",
                "--out", tmp.resolve("dense").toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("dense labels"), r.err());
    }

    @Test
    void constantLabelledSlicesAreLeftOut() throws Exception {
        // slice 2 of the images blank (a milling gap), labelled all the same
        Path gap = tmp.resolve("gap.tif");
        Path allGap = tmp.resolve("allgap.tif");
        try (Volume v = Volumes.open(image)) {
            List<float[]> one = new ArrayList<>();
            List<float[]> two = new ArrayList<>();
            for (int z = 0; z < v.info().depth(); z++) {
                float[] blank = new float[v.info().sliceSize()];
                Arrays.fill(blank, 1000);
                one.add(z == 1 ? blank : v.slice(z));
                two.add(z <= 1 ? blank : v.slice(z));
            }
            TiffWriter.write(gap, new ArrayVolume(v.info(), one));
            TiffWriter.write(allGap, new ArrayVolume(v.info(), two));
        }
        CliTest.Result r = CliTest.run("calibrate", "--images", gap.toString(), "--masks", firstTwo.toString(), "--unlabelled", "128",
                "--out", tmp.resolve("gap").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(1, j.getAsJsonArray("slices").size(), r.out());
        assertTrue(j.getAsJsonArray("warnings").toString().contains("labelled slice 2 of the images is constant"), r.out());
        assertEquals(1, ModelStore.info(tmp.resolve("gap").toString()).porosityThresholds.size());
        r = CliTest.run("calibrate", "--images", allGap.toString(), "--masks", firstTwo.toString(), "--unlabelled", "128",
                "--out", tmp.resolve("allgap").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("every labelled slice is constant"), r.err());
        assertFalse(Files.exists(tmp.resolve("allgap")));
    }

    @Test
    void badInputIsRefusedAndWritesNothing() throws Exception {
        // masks of another size: bad data, exit 1
        Path small = tmp.resolve("small.tif");
        TiffWriter.write(small, new ArrayVolume(new StackInfo(8, 8, 6, PixelType.U8, poreseg.io.Calibration.NONE),
                java.util.Collections.nCopies(6, new float[64])));
        Path out = tmp.resolve("bad");
        CliTest.Result r = CliTest.run("calibrate", "--images", image.toString(), "--masks", small.toString(), "--out", out.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(out));

        // nothing labelled: exit 1
        Path none = tmp.resolve("none.tif");
        try (Volume t = Volumes.open(truth)) {
            float[] u = new float[t.info().sliceSize()];
            Arrays.fill(u, 128);
            TiffWriter.write(none, new ArrayVolume(t.info(), java.util.Collections.nCopies(6, u)));
        }
        r = CliTest.run("calibrate", "--images", image.toString(), "--masks", none.toString(), "--unlabelled", "128", "--out", out.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("no labelled pixels"), r.err());
        assertFalse(Files.exists(out));

        // a k-fold model: usage, exit 2
        Path kfold = tmp.resolve("kfold");
        Files.createDirectories(kfold);
        ModelInfo info = ModelStore.info("default");
        info.members = List.of("fold-0", "fold-1");
        ModelStore.saveInfo(info, kfold.resolve("model.json"));
        r = CliTest.run("calibrate", "--model", kfold.toString(), "--images", image.toString(), "--masks", truth.toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("fold models"), r.err());
        assertFalse(Files.exists(out));

        // an existing model without --force, and the input model as output: usage, exit 2, nothing replaced
        Path made = tmp.resolve("made");
        assertEquals(0, CliTest.run("calibrate", "--images", image.toString(), "--masks", truth.toString(), "--out", made.toString()).code());
        byte[] json = Files.readAllBytes(made.resolve("model.json"));
        r = CliTest.run("calibrate", "--images", image.toString(), "--masks", truth.toString(), "--out", made.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--force"), r.err());
        r = CliTest.run("calibrate", "--model", made.toString(), "--images", image.toString(), "--masks", truth.toString(), "--out", made.toString(), "--force");
        assertEquals(2, r.code(), r.err());
        assertTrue(Arrays.equals(json, Files.readAllBytes(made.resolve("model.json"))), "the input model is never overwritten");
    }
}
