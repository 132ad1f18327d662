package poreseg.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TiledPredictorTest {
    @TempDir
    Path tmp;

    private static float[] noise(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextDouble();
        }
        return a;
    }

    @Test
    void tiledEqualsWholeImageAwayFromBorders() {
        // unet depth 1: receptive field radius 2 + 2*(2) + 2 + 1 = 9 px < the 16 px (overlap/4) tile margin
        try (Network net = Network.create(new Architecture("unet", 4, 1), 3)) {
            int w = 200;
            int h = 136;
            float[] img = noise(w * h, 5);
            float[] whole = net.tiled(64, 0, 4).predictWhole(img, w, h);
            float[] tiled = net.tiled(128, 64, 3).predict(img, w, h);
            double maxDiff = 0;
            for (int y = 16; y < h - 16; y++) {
                for (int x = 16; x < w - 16; x++) {
                    maxDiff = Math.max(maxDiff, Math.abs(whole[y * w + x] - tiled[y * w + x]));
                }
            }
            assertTrue(maxDiff < 1e-5, "max difference " + maxDiff);
        }
    }

    @Test
    void tilesShrinkToCoverTheSliceWithLittlePadding() {
        // 1024 pixels, tile 512, overlap 32: 3 tiles of 368 (stride 336) cover 1040 pixels, not 3 of 512
        long[] computed = new long[1];
        int[] shapes = new int[2];
        try (ai.djl.ndarray.NDManager m = NetEngine.newManager()) {
            TiledPredictor tp = new TiledPredictor(m, x -> {
                ai.djl.ndarray.types.Shape s = x.getShape();
                computed[0] += s.get(0) * s.get(2) * s.get(3);
                shapes[0] = (int) s.get(2);
                shapes[1] = (int) s.get(3);
                return x.duplicate(); // identity: the blended result must be the input exactly
            }, 512, 32, 4, 8);
            int w = 1024;
            int h = 600;
            float[] img = noise(w * h, 9);
            float[] out = tp.predict(img, w, h);
            assertArrayEquals(img, out, 1e-6f);
            assertEquals(368, shapes[1]);
            assertEquals(320, shapes[0]); // 600: 2 tiles of 320 (stride 288) cover 608
            assertEquals(3L * 368 * 2 * 320, computed[0]);
        }
    }

    @Test
    void tiledInferenceHandlesAnySizeAndBatchSizeDoesNotMatter() {
        try (Network net = Network.create(Architecture.paper(), 4)) {
            int w = 37;
            int h = 301;
            float[] img = noise(w * h, 6);
            float[] a = net.tiled(64, 16, 1).predict(img, w, h);
            float[] b = net.tiled(64, 16, 7).predict(img, w, h);
            assertEquals(w * h, a.length);
            assertArrayEquals(a, b, 1e-6f);
            for (float v : a) {
                assertTrue(v >= 0 && v <= 1);
            }
        }
    }

    @Test
    void smallSlicesShareForwardPassesAndGiveTheSameProbabilities() {
        try (Network net = Network.create(new Architecture("unet", 4, 2), 11)) {
            int w = 48;
            int h = 40;
            List<float[]> slices = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                slices.add(noise(w * h, 20 + k));
            }
            List<Long> batches = new ArrayList<>();
            TiledPredictor tp = new TiledPredictor(net.manager(), x -> {
                batches.add(x.getShape().get(0));
                return net.forward(x);
            }, 64, 16, 3, 4);
            assertEquals(3, tp.slicesPerPass(w, h), "a slice fits one tile: as many slices a pass as the batch");
            List<float[]> together = tp.predict(slices, w, h, null);
            assertEquals(List.of(3L, 2L), batches, "5 slices in passes of 3 and 2");
            for (int k = 0; k < slices.size(); k++) {
                assertArrayEquals(net.tiled(64, 16, 1).predict(slices.get(k), w, h), together.get(k), 1e-6f, "slice " + k);
            }
            assertEquals(1, tp.slicesPerPass(200, 40), "a slice of several tiles runs on its own");
        }
    }

    @Test
    void tilesThatDoNotReachTheRoiAreSkippedAndRoiPixelsKeepTheirValues() {
        try (Network net = Network.create(new Architecture("unet", 4, 1), 12)) {
            int w = 200;
            int h = 136;
            float[] img = noise(w * h, 13);
            float[] roi = new float[w * h];
            for (int y = 0; y < 30; y++) {
                for (int x = 0; x < 40; x++) {
                    roi[y * w + x] = 1; // the top-left corner only
                }
            }
            int[] tiles = new int[1];
            TiledPredictor tp = new TiledPredictor(net.manager(), x -> {
                tiles[0] += (int) x.getShape().get(0);
                return net.forward(x);
            }, 64, 16, 4, 2);
            float[] full = tp.predict(img, w, h);
            int all = tiles[0];
            tiles[0] = 0;
            float[] skipped = tp.predict(List.of(img), w, h, java.util.Collections.singletonList(roi)).get(0);
            assertTrue(tiles[0] < all / 4, tiles[0] + " of " + all + " tiles run");
            for (int i = 0; i < w * h; i++) {
                if (roi[i] != 0) {
                    assertEquals(full[i], skipped[i], 1e-6f, "ROI pixel " + i);
                }
            }
            assertEquals(0f, skipped[w * h - 1], "a pixel no run tile covers gets 0");
            tiles[0] = 0;
            tp.predict(List.of(img), w, h, java.util.Collections.singletonList(new float[w * h]));
            assertEquals(0, tiles[0], "an empty ROI runs nothing");
        }
    }

    @Test
    void saveAndLoadGiveIdenticalPredictions() throws Exception {
        float[] img = noise(96 * 80, 7);
        Path dir = tmp.resolve("m");
        float[] before;
        try (Network net = Network.create(new Architecture("unet", 4, 2), 9)) {
            net.info().patch = 32;
            before = net.tiled(64, 16, 2).predict(img, 96, 80);
            ModelStore.save(net, dir);
        }
        try (Network loaded = ModelStore.load(dir)) {
            assertEquals(new Architecture("unet", 4, 2), loaded.architecture());
            assertArrayEquals(before, loaded.tiled(64, 16, 2).predict(img, 96, 80), 0f);
        }
    }

    @Test
    void badTileSettingsAreRejected() {
        try (Network net = Network.create(Architecture.paper(), 4)) {
            assertThrows(IllegalArgumentException.class, () -> net.tiled(60, 16, 1));
            assertThrows(IllegalArgumentException.class, () -> net.tiled(64, 40, 1));
            assertThrows(IllegalArgumentException.class, () -> net.tiled(64, 12, 1));
            assertThrows(IllegalArgumentException.class, () -> net.tiled(64, 16, 0));
        }
    }

    @Test
    void mirrorIndexReflects() {
        assertEquals(1, TiledPredictor.mirror(-1, 5));
        assertEquals(3, TiledPredictor.mirror(5, 5));
        assertEquals(0, TiledPredictor.mirror(8, 5));
        assertEquals(0, TiledPredictor.mirror(3, 1));
    }
}
