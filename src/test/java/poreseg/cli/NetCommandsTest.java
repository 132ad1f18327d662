package poreseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.TiffWriter;
import poreseg.io.Volume;
import poreseg.io.Volumes;

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
        // missing model directory
        assertEquals(1, Main.execute("segment", img.toString(), tmp.resolve("o.tif").toString(), "--model", tmp.resolve("nope").toString()));
        // model of another format version
        Path old = Files.createDirectories(tmp.resolve("old"));
        Files.writeString(old.resolve("model.json"), "{\"format\": \"poreseg-model\", \"format_version\": 99, \"architecture\": \"unet\"}");
        assertEquals(1, Main.execute("segment", img.toString(), tmp.resolve("o.tif").toString(), "--model", old.toString()));
        // bad threshold
        assertEquals(2, Main.execute("segment", img.toString(), tmp.resolve("o.tif").toString(), "--threshold", "2"));
    }
}
