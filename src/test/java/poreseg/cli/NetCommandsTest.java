package poreseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.TiffWriter;
import poreseg.io.Volume;
import poreseg.io.Volumes;

/** Slow (minutes on 2 cores): tagged so that {@code mvn -B verify -DexcludedGroups=slow} can leave it out. */
@Tag("slow")
class NetCommandsTest {
    @TempDir
    Path tmp;

    /** Dark discs (pores) on a bright 8-bit background; mask 255 = pore (or {@code poreValue}). */
    static void toyStack(Path image, Path mask, int size, int slices, long seed, float poreValue) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        List<float[]> imgs = new ArrayList<>();
        List<float[]> masks = new ArrayList<>();
        for (int z = 0; z < slices; z++) {
            float[] img = new float[size * size];
            float[] m = new float[size * size];
            double cx = r.nextDouble() * size;
            double cy = r.nextDouble() * size;
            double rad = 5 + r.nextDouble() * 8;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean pore = (x - cx) * (x - cx) + (y - cy) * (y - cy) <= rad * rad;
                    m[y * size + x] = pore ? poreValue : 0;
                    img[y * size + x] = (float) Math.round(Math.max(0, Math.min(255, (pore ? 60 : 180) + 15 * r.nextGaussian())));
                }
            }
            imgs.add(img);
            masks.add(m);
        }
        Calibration cal = Calibration.parseVoxel("9,9,15", "nm");
        TiffWriter.write(image, new ArrayVolume(new StackInfo(size, size, slices, PixelType.U8, cal), imgs));
        TiffWriter.write(mask, new ArrayVolume(new StackInfo(size, size, slices, PixelType.U8, cal), masks));
    }

    @Test
    void trainThenSegmentKeepsShapeAndCalibration() throws Exception {
        Path img = tmp.resolve("img.tif");
        Path msk = tmp.resolve("mask.tif");
        toyStack(img, msk, 64, 4, 1, 255);
        Path model = tmp.resolve("model");
        int rc = Main.execute("train", "--images", img.toString(), "--masks", msk.toString(), "--out", model.toString(),
                "--arch", "unet", "--width", "4", "--depth", "2", "--epochs", "2", "--steps", "2", "--batch", "4", "--patch", "32",
                "--folds", "2", "--preprocess", "stretch", "--json");
        assertEquals(0, rc);
        assertTrue(Files.isRegularFile(model.resolve("model.json")));
        assertTrue(Files.isRegularFile(model.resolve("params.bin")));
        assertTrue(Files.isRegularFile(model.resolve("fold-1/params.bin")));
        assertEquals(1 + 2 * 2, Files.readAllLines(model.resolve("history.csv")).size());
        String json = Files.readString(model.resolve("model.json"));
        assertTrue(json.contains("\"fold_mean\"") && json.contains("\"format_version\": 1"), json);
        assertTrue(json.contains("\"preprocessing\": \"stretch"), json);

        // a second train into the same directory needs --force or --resume
        assertEquals(2, Main.execute("train", "--images", img.toString(), "--masks", msk.toString(), "--out", model.toString()));
        // resume of a finished training just re-finalises
        assertEquals(0, Main.execute("train", "--images", img.toString(), "--masks", msk.toString(), "--out", model.toString(),
                "--arch", "unet", "--width", "4", "--depth", "2", "--epochs", "2", "--steps", "2", "--batch", "4", "--patch", "32",
                "--folds", "2", "--preprocess", "stretch", "--resume", "--json"));

        Path out = tmp.resolve("seg.tif");
        Path prob = tmp.resolve("prob.tif");
        assertEquals(0, Main.execute("segment", img.toString(), out.toString(), "--model", model.toString(), "--prob", prob.toString(),
                "--tile", "32", "--overlap", "8", "--json"));
        try (Volume v = Volumes.open(out); Volume p = Volumes.open(prob)) {
            assertEquals(new StackInfo(64, 64, 4, PixelType.U8, Calibration.parseVoxel("9,9,15", "nm")), v.info());
            assertEquals(PixelType.F32, p.info().type());
            float[] m = v.slice(0);
            float[] q = p.slice(0);
            for (int i = 0; i < m.length; i++) {
                assertEquals(q[i] > 0.5f ? 255f : 0f, m[i]);
            }
        }
        // quality benchmark: the model and Otsu scored against the truth
        assertEquals(0, Main.execute("bench", "quality", "--test", img + ":" + msk, "--model", model.toString(), "--otsu", "--json"));
        // existing output without --force: usage error
        assertEquals(2, Main.execute("segment", img.toString(), out.toString(), "--model", model.toString()));
        // multi-scale inference: runs and writes a mask; bad factors are usage errors, and nothing is written
        Path ms = tmp.resolve("multiscale.tif");
        CliTest.Result msr = CliTest.run("segment", img.toString(), ms.toString(), "--model", model.toString(), "--scales", "1,2", "--json");
        assertEquals(0, msr.code());
        assertTrue(Files.isRegularFile(ms));
        com.google.gson.JsonObject msj = com.google.gson.JsonParser.parseString(msr.out()).getAsJsonObject();
        assertEquals("[1,2]", msj.getAsJsonArray("scales").toString());
        assertEquals(msj.get("slices").getAsInt(), msj.get("multiscale_slices").getAsInt(), "every slice ran at both scales");
        // scale selection: one factor for the stack, chosen from the medians over its sampled slices
        CliTest.Result auto = CliTest.run("segment", img.toString(), ms.toString(), "--model", model.toString(), "--scales", "auto", "--force", "--json");
        assertEquals(0, auto.code(), auto.err());
        com.google.gson.JsonObject aj = com.google.gson.JsonParser.parseString(auto.out()).getAsJsonObject();
        assertEquals("[0.3333333333333333,0.5,1,2,3,4,6,8,12,16]", aj.getAsJsonArray("scales").toString());
        assertEquals(0.1, aj.get("scale_tolerance").getAsDouble(), 0);
        double chosen = aj.get("scale").getAsDouble();
        assertTrue(java.util.List.of(1 / 3.0, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0).contains(chosen), auto.out());
        assertEquals(10, aj.getAsJsonArray("scale_porosities").size());
        // a small stack is not run at factors 12 and 16 (under 16 px a side): null, not a porosity
        assertTrue(aj.getAsJsonArray("scale_porosities").get(8).isJsonNull() && aj.getAsJsonArray("scale_porosities").get(9).isJsonNull(), aj.toString());
        assertTrue(aj.getAsJsonArray("scale_sample_slices").size() >= 1);
        // how wide the pores read at factor 1: a width in pixels, or null without pores off the slice edges; too wide, never enlarged
        assertTrue(aj.has("scale_pore_width"), aj.toString());
        if (!aj.get("scale_pore_width").isJsonNull()) {
            double width = aj.get("scale_pore_width").getAsDouble();
            assertTrue(width > 0, aj.toString());
            assertTrue(width <= 6.2 || chosen >= 1, aj.toString());
        }
        // how wide they read to the network at each scale: factor 1's is the width above; none at the
        // enlargements or where a factor did not run, positive elsewhere
        com.google.gson.JsonArray widths = aj.getAsJsonArray("scale_pore_widths");
        assertEquals(10, widths.size());
        assertTrue(widths.get(0).isJsonNull() && widths.get(1).isJsonNull() && widths.get(8).isJsonNull() && widths.get(9).isJsonNull(), aj.toString());
        assertEquals(aj.get("scale_pore_width").isJsonNull() ? null : aj.get("scale_pore_width").getAsDouble(),
                widths.get(2).isJsonNull() ? null : widths.get(2).getAsDouble(), aj.toString());
        for (int k = 2; k < 8; k++) {
            assertTrue(widths.get(k).isJsonNull() || widths.get(k).getAsDouble() > 0, aj.toString());
        }
        assertEquals(chosen == 1 ? 0 : aj.get("slices").getAsInt(), aj.get("multiscale_slices").getAsInt());
        for (String bad : new String[] {"0", "1,1", "1,x", "99", "automatic", "0.4", "1/4", "1/2,0.5"}) {
            Path none = tmp.resolve("bad-scales.tif");
            assertEquals(2, Main.execute("segment", img.toString(), none.toString(), "--model", model.toString(), "--scales", bad), bad);
            assertTrue(!Files.exists(none), bad);
        }
        // a factor too coarse for the slices (64 px reduced 8x is under 16 px): a usage error naming the
        // factors that fit, not an internal error, and no output
        Path none = tmp.resolve("too-coarse.tif");
        CliTest.Result coarse = CliTest.run("segment", img.toString(), none.toString(), "--model", model.toString(), "--scales", "8");
        assertEquals(2, coarse.code(), coarse.err());
        assertTrue(coarse.err().contains("--scales [8]: reduced by 8 a 64x64 slice is under 16 px a side; factors up to 4 fit it"), coarse.err());
        assertTrue(!Files.exists(none));
        assertEquals(0, Main.execute("segment", img.toString(), none.toString(), "--model", model.toString(), "--scales", "1,8", "--force"));
    }

    @Test
    void aTrainingThatLearntNothingIsReported() {
        String w = TrainCommand.learnedNothing(0.0, 0.08);
        assertTrue(w != null && w.contains("validation F1 is 0.000") && !w.contains("\n"), w);
        assertTrue(TrainCommand.learnedNothing(Double.NaN, 0.08).contains("F1 is 0.000"));
        assertEquals(null, TrainCommand.learnedNothing(0.6, 0.08)); // learnt
        assertEquals(null, TrainCommand.learnedNothing(0.0, 0.0)); // no pores in the labels: F1 says nothing
        assertEquals(null, TrainCommand.learnedNothing(0.0, 0.0005));
    }

    @Test
    void theInputScalingIsRecordedInTheModelAndUsedBySegment() throws Exception {
        Path img = tmp.resolve("img.tif");
        Path msk = tmp.resolve("mask.tif");
        toyStack(img, msk, 64, 3, 2, 255);
        Path model = tmp.resolve("anchored");
        assertEquals(0, Main.execute("train", "--images", img.toString(), "--masks", msk.toString(), "--out", model.toString(),
                "--arch", "unet", "--width", "4", "--depth", "2", "--epochs", "1", "--steps", "2", "--batch", "4", "--patch", "32",
                "--input-scaling", "otsu-anchor", "--json"));
        String json = Files.readString(model.resolve("model.json"));
        assertTrue(json.contains("\"input_scaling\": \"otsu-anchor\""), json);
        Path out = tmp.resolve("anchored.tif");
        assertEquals(0, Main.execute("segment", img.toString(), out.toString(), "--model", model.toString(), "--json"));
        try (poreseg.net.Network net = poreseg.net.ModelStore.load(model); Volume v = Volumes.open(img)) {
            float[] in = poreseg.net.Preprocessing.of(net.info()).networkInput(v.slice(0), 64, 64, v.info().type());
            float[] plain = poreseg.net.Preprocessing.parse(net.info().preprocessing).networkInput(v.slice(0), 64, 64, v.info().type());
            assertTrue(!java.util.Arrays.equals(in, plain), "the model's own scaling, not type-max");
        }
        assertEquals(2, Main.execute("train", "--images", img.toString(), "--masks", msk.toString(), "--out", tmp.resolve("x").toString(),
                "--input-scaling", "z-score"));
    }

    @Test
    void badInputsGiveDataOrUsageErrors() throws Exception {
        Path img = tmp.resolve("img.tif");
        Path msk = tmp.resolve("mask.tif");
        toyStack(img, msk, 64, 2, 1, 255);
        Path small = tmp.resolve("small.tif");
        Path smallMask = tmp.resolve("small-mask.tif");
        toyStack(small, smallMask, 32, 2, 1, 255);
        Path out = tmp.resolve("m");
        // mismatched image/mask sizes
        assertEquals(1, Main.execute("train", "--images", img.toString(), "--masks", smallMask.toString(), "--out", out.toString()));
        // empty folder
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertEquals(1, Main.execute("train", "--images", empty.toString(), "--masks", msk.toString(), "--out", out.toString()));
        // unknown architecture, bad loss: usage
        assertEquals(2, Main.execute("train", "--images", img.toString(), "--masks", msk.toString(), "--out", out.toString(), "--arch", "vgg"));
        assertEquals(2, Main.execute("train", "--images", img.toString(), "--masks", msk.toString(), "--out", out.toString(), "--loss", "l1"));
        assertEquals(2, Main.execute("train", "--images", img.toString(), "--masks", msk.toString(), "--out", out.toString(), "--geometry", "rotate"));
        // int8 is for inference: training in it is a usage error, and nothing is written
        assertEquals(2, Main.execute("train", "--images", img.toString(), "--masks", msk.toString(), "--out", out.toString(), "--precision", "int8"));
        assertTrue(!Files.exists(out), "no model folder after a usage error");
        assertEquals(2, Main.execute("bench", "train", "--arch", "unet", "--steps", "1", "--precision", "int8"));
        // the bundled U-Net segments in int8 (the mask written, the precision reported)
        Path q = tmp.resolve("int8.tif");
        assertEquals(0, Main.execute("segment", img.toString(), q.toString(), "--precision", "int8", "--scales", "1", "--json"));
        assertTrue(Files.size(q) > 64 * 64 * 2, "mask written");
        // missing model directory
        assertEquals(1, Main.execute("segment", img.toString(), tmp.resolve("o.tif").toString(), "--model", tmp.resolve("nope").toString()));
        // model of another format version
        Path old = Files.createDirectories(tmp.resolve("old"));
        Files.writeString(old.resolve("model.json"), "{\"format\": \"poreseg-model\", \"format_version\": 99, \"architecture\": \"unet\"}");
        assertEquals(1, Main.execute("segment", img.toString(), tmp.resolve("o.tif").toString(), "--model", old.toString()));
        // bad threshold
        assertEquals(2, Main.execute("segment", img.toString(), tmp.resolve("o.tif").toString(), "--threshold", "2"));
    }

    @Test
    void kFoldModelsAreAveragedAndSegmentReportsAPorosityInterval() throws Exception {
        Path img = tmp.resolve("img.tif");
        Path msk = tmp.resolve("mask.tif");
        toyStack(img, msk, 64, 2, 3, 255);
        Path model = tmp.resolve("model");
        assertEquals(0, Main.execute("train", "--images", img.toString(), "--masks", msk.toString(), "--out", model.toString(),
                "--width", "4", "--depth", "2", "--epochs", "2", "--steps", "2", "--batch", "4", "--patch", "32", "--json"));
        String json = Files.readString(model.resolve("model.json"));
        assertTrue(json.contains("\"members\": [\n    \"fold-0\",\n    \"fold-1\"\n  ]"), json);
        assertTrue(json.contains("bn_recalibration") && json.contains("\"loss\": \"bce+dice\""), json);
        Path out = tmp.resolve("seg.tif");
        Path unc = tmp.resolve("unc.tif");
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(buf, true));
        try {
            assertEquals(0, Main.execute("segment", img.toString(), out.toString(), "--model", model.toString(), "--uncertainty", unc.toString(), "--json"));
            assertEquals(0, Main.execute("segment", img.toString(), tmp.resolve("seg0.tif").toString(), "--model", model.toString(), "--fold", "0", "--json"));
        } finally {
            System.setOut(old);
        }
        String[] lines = buf.toString().split("\n(?=\\{)");
        com.google.gson.JsonObject all = com.google.gson.JsonParser.parseString(lines[0]).getAsJsonObject();
        com.google.gson.JsonObject one = com.google.gson.JsonParser.parseString(lines[1]).getAsJsonObject();
        assertEquals(2, all.get("members").getAsInt());
        assertEquals(1, one.get("members").getAsInt());
        double p = all.get("porosity").getAsDouble();
        com.google.gson.JsonArray iv = all.getAsJsonArray("porosity_interval");
        assertTrue(iv.get(0).getAsDouble() <= p && p <= iv.get(1).getAsDouble(), all.toString());
        assertEquals(2, all.getAsJsonArray("per_slice").size());
        try (Volume u = Volumes.open(unc); Volume m = Volumes.open(out)) {
            assertEquals(PixelType.F32, u.info().type());
            assertEquals(m.info().depth(), u.info().depth());
            for (float v : u.slice(1)) {
                assertTrue(v >= 0 && v <= 1);
            }
        }
        // a fold that does not exist: usage error
        assertEquals(2, Main.execute("segment", img.toString(), tmp.resolve("seg2.tif").toString(), "--model", model.toString(), "--fold", "5"));
        // three outputs on two paths: usage error, nothing written
        assertEquals(2, Main.execute("segment", img.toString(), tmp.resolve("same.tif").toString(), "--model", model.toString(), "--prob",
                tmp.resolve("same.tif").toString()));
        assertTrue(Files.notExists(tmp.resolve("same.tif")));
    }

    @Test
    void sparseLabelsFineTuningAndBadLabels() throws Exception {
        Path img = tmp.resolve("img.tif");
        Path msk = tmp.resolve("mask.tif");
        toyStack(img, msk, 64, 2, 4, 255);
        // scribbles: keep every fourth row of labels, the rest 128 = unlabelled
        Path sparse = tmp.resolve("sparse.tif");
        try (Volume m = Volumes.open(msk)) {
            List<float[]> s = new ArrayList<>();
            for (int z = 0; z < 2; z++) {
                float[] v = m.slice(z);
                for (int i = 0; i < v.length; i++) {
                    if ((i / 64) % 4 != 0) {
                        v[i] = 128;
                    }
                }
                s.add(v);
            }
            TiffWriter.write(sparse, new ArrayVolume(m.info(), s));
        }
        Path model = tmp.resolve("sparse-model");
        assertEquals(0, Main.execute("train", "--images", img.toString(), "--masks", sparse.toString(), "--unlabelled", "128", "--out", model.toString(),
                "--width", "4", "--depth", "2", "--epochs", "1", "--steps", "2", "--batch", "4", "--patch", "32", "--json"));
        assertTrue(Files.readString(model.resolve("model.json")).contains("\"unlabelled_value\": 128"));
        // without --unlabelled the three-valued mask needs a pore value
        assertEquals(1, Main.execute("train", "--images", img.toString(), "--masks", sparse.toString(), "--out", tmp.resolve("x").toString()));
        // the unlabelled value cannot be the pore value
        assertEquals(2, Main.execute("train", "--images", img.toString(), "--masks", sparse.toString(), "--unlabelled", "128", "--pore-value", "128",
                "--out", tmp.resolve("x").toString()));
        // labels of one class (an all-zero mask) from scratch: data error, no model directory left behind
        Path zero = tmp.resolve("zero.tif");
        try (Volume m = Volumes.open(msk)) {
            TiffWriter.write(zero, ArrayVolume.zeros(m.info()));
        }
        assertEquals(1, Main.execute("train", "--images", img.toString(), "--masks", zero.toString(), "--init", "none", "--out", tmp.resolve("x").toString()));
        // all unlabelled: data error
        Path none = tmp.resolve("none.tif");
        try (Volume m = Volumes.open(msk)) {
            List<float[]> s = new ArrayList<>();
            for (int z = 0; z < 2; z++) {
                float[] v = new float[64 * 64];
                java.util.Arrays.fill(v, 128);
                s.add(v);
            }
            TiffWriter.write(none, new ArrayVolume(m.info(), s));
        }
        assertEquals(1, Main.execute("train", "--images", img.toString(), "--masks", none.toString(), "--unlabelled", "128", "--out", tmp.resolve("x").toString()));
        assertTrue(Files.notExists(tmp.resolve("x")), "no half-written model directory");
        // a failing training (a fine-tuning source of another architecture) removes the directory it created
        assertEquals(2, Main.execute("train", "--images", img.toString(), "--masks", msk.toString(), "--init", model.toString(), "--arch", "paper",
                "--out", tmp.resolve("y").toString(), "--epochs", "1", "--steps", "1", "--batch", "2", "--patch", "32"));
        assertTrue(Files.notExists(tmp.resolve("y")), "no half-written model directory");

        // fine-tuning the bundled model: its architecture, preprocessing and the fine-tuning defaults
        Path tuned = tmp.resolve("tuned");
        assertEquals(0, Main.execute("train", "--images", img.toString(), "--masks", msk.toString(), "--init", "default", "--out", tuned.toString(),
                "--epochs", "1", "--steps", "1", "--batch", "2", "--patch", "32", "--folds", "1", "--json"));
        String json = Files.readString(tuned.resolve("model.json"));
        assertTrue(json.contains("\"initialised_from\": \"default\"") && json.contains("\"learning_rate\": 0.001")
                && json.contains("\"preprocessing\": \"stretch-guarded\"") && json.contains("\"width\": 16"), json);
        assertEquals(0, Main.execute("segment", img.toString(), tmp.resolve("t.tif").toString(), "--model", tuned.toString()));

        // without --init and without options of a network of one's own, train fine-tunes the bundled model
        Path byDefault = tmp.resolve("by-default");
        assertEquals(0, Main.execute("train", "--images", img.toString(), "--masks", msk.toString(), "--out", byDefault.toString(),
                "--epochs", "1", "--steps", "1", "--batch", "2", "--patch", "32", "--folds", "1", "--json"));
        String d = Files.readString(byDefault.resolve("model.json"));
        assertTrue(d.contains("\"initialised_from\": \"default\"") && d.contains("\"learning_rate\": 0.001") && d.contains("\"width\": 16"), d);
        // --init none, or a network described on the command line, trains from scratch
        Path scratch = tmp.resolve("scratch");
        assertEquals(0, Main.execute("train", "--images", img.toString(), "--masks", msk.toString(), "--out", scratch.toString(), "--init", "none",
                "--epochs", "1", "--steps", "1", "--batch", "2", "--patch", "32", "--folds", "1", "--json"));
        String n = Files.readString(scratch.resolve("model.json"));
        assertTrue(!n.contains("initialised_from") && n.contains("\"learning_rate\": 0.001"), n);
        Path own = tmp.resolve("own");
        assertEquals(0, Main.execute("train", "--images", img.toString(), "--masks", msk.toString(), "--out", own.toString(), "--width", "4",
                "--depth", "2", "--epochs", "1", "--steps", "1", "--batch", "2", "--patch", "32", "--folds", "1", "--json"));
        assertTrue(!Files.readString(own.resolve("model.json")).contains("initialised_from"));
        // --folds 0: one model on all the labels, no held-out check, no calibrated interval
        Path all = tmp.resolve("all-labels");
        CliTest.Result fr = CliTest.run("train", "--images", img.toString(), "--masks", msk.toString(), "--out", all.toString(), "--folds", "0",
                "--epochs", "1", "--steps", "1", "--batch", "2", "--patch", "32");
        assertEquals(0, fr.code(), fr.err());
        assertTrue(fr.err().contains("no held-out labels (--folds 0)"), fr.err());
        assertTrue(Files.readString(all.resolve("fold-0").resolve("model.json")).contains("\"porosity_thresholds\": []"));
        CliTest.Result fs = CliTest.run("segment", img.toString(), tmp.resolve("all.tif").toString(), "--model", all.toString(), "--json");
        assertEquals(0, fs.code(), fs.err());
        assertTrue(fs.out().contains("\"porosity_interval_calibrated\": false") && fs.out().contains("\"members\": 1"), fs.out());
        assertEquals(2, Main.execute("train", "--images", img.toString(), "--masks", msk.toString(), "--out", tmp.resolve("neg").toString(), "--folds", "-1"));
        // options that only restate the bundled network (--arch unet, its width) still fine-tune it
        Path restated = tmp.resolve("restated");
        assertEquals(0, Main.execute("train", "--images", img.toString(), "--masks", msk.toString(), "--out", restated.toString(), "--arch", "unet",
                "--width", "16", "--epochs", "1", "--steps", "1", "--batch", "2", "--patch", "32", "--folds", "1", "--json"));
        assertTrue(Files.readString(restated.resolve("model.json")).contains("\"initialised_from\": \"default\""));
        // another preprocessing is a network of one's own
        Path otherPre = tmp.resolve("other-pre");
        assertEquals(0, Main.execute("train", "--images", img.toString(), "--masks", msk.toString(), "--out", otherPre.toString(), "--arch", "unet",
                "--preprocess", "equalize", "--epochs", "1", "--steps", "1", "--batch", "2", "--patch", "32", "--folds", "1", "--json"));
        assertTrue(!Files.readString(otherPre.resolve("model.json")).contains("initialised_from"));
    }
}
