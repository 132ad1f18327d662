package poreseg.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slow (minutes on 2 cores): tagged so that {@code mvn -B verify -DexcludedGroups=slow} can leave it out. */
@Tag("slow")
class NetTrainerTest {
    @TempDir
    Path tmp;

    @Test
    void shortTrainingOnATrivialTaskReachesHighF1AndSavesAModel() throws Exception {
        TrainingData train = ToyData.make(64, 6, 1);
        TrainingData val = ToyData.make(64, 2, 2);
        TrainOptions o = new TrainOptions(new Architecture("unet", 4, 2), 12, 8, 1e-2, 1, 32, true, PatchSampler.Geometry.ALL, "bce+dice", 7, 6, false);
        Path out = tmp.resolve("model");
        long t0 = System.nanoTime();
        ModelInfo info = new NetTrainer(o, (d, t) -> { }, r -> { }).train(train, val, out, Preprocessing.NONE, Map.of("images", "toy"));
        double secs = (System.nanoTime() - t0) / 1e9;
        assertTrue(info.scores.f1 > 0.9, "validation F1 " + info.scores.f1 + " after " + secs + " s");
        List<String> history = Files.readAllLines(out.resolve("history.csv"));
        assertEquals(13, history.size());
        assertTrue(history.get(0).startsWith("fold,epoch,loss,accuracy,precision,recall,f1,iou,mse,val_loss"));

        // the saved model reproduces the recorded validation F1 on the validation data
        try (Network net = ModelStore.load(out)) {
            assertEquals("unet", net.info().architecture);
            TiledPredictor tp = net.tiled(net.info().tile, net.info().overlap, 4); // as validation and segment tile
            EpochMetrics m = new EpochMetrics();
            for (int i = 0; i < val.size(); i++) {
                m.addSlice(tp.predict(val.image(i), 64, 64), val.mask(i));
            }
            assertEquals(info.scores.f1, m.confusion().f1(), 1e-9);
        }

        // fine-tuning starts from the saved weights: one epoch at a small rate keeps F1 high
        TrainOptions ft = new TrainOptions(new Architecture("unet", 4, 2), 1, 8, 1e-4, 1, 32, true, PatchSampler.Geometry.ALL, "bce+dice", 8, 2, false);
        ModelInfo tuned = new NetTrainer(ft, (d, t) -> { }, r -> { }).initFrom(out).train(train, val, tmp.resolve("tuned"),
                Preprocessing.NONE, Map.of());
        assertTrue(tuned.scores.f1 > 0.9, "fine-tuned F1 " + tuned.scores.f1);
        assertEquals(out.toString(), tuned.training.get("initialised_from"));
    }

    /**
     * The paper network's bf16 training kernel learns as its fp32 one does over 48 steps (augmented, bce+dice),
     * beyond TrainingKernelTest's single step: measured last-epoch losses 1.0908 (fp32) and 1.0911 (bf16).
     */
    @Test
    void paperNetworkTrainsInBf16AsInFp32() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Precision.BF16.resolve() == Precision.BF16, "no bf16 on this CPU");
        TrainingData train = ToyData.make(128, 8, 5);
        TrainingData val = ToyData.make(128, 2, 6);
        double[] last = new double[2];
        int k = 0;
        for (Precision p : new Precision[] {Precision.FP32, Precision.BF16}) {
            TrainOptions o = new TrainOptions(Architecture.paper(), 3, 8, 1e-3, 1, 128, true, PatchSampler.Geometry.MIRROR, "bce+dice", 3, 16, false);
            Path out = tmp.resolve("paper-" + p.label());
            new NetTrainer(o, (d, t) -> { }, r -> { }).precision(p).train(train, val, out, Preprocessing.NONE, Map.of());
            List<String> h = Files.readAllLines(out.resolve("history.csv"));
            last[k++] = Double.parseDouble(h.get(h.size() - 1).split(",")[2]); // the last epoch's training loss
        }
        assertTrue(last[1] < last[0] * 1.03 && last[1] > last[0] * 0.97, "last epoch's loss fp32 " + last[0] + ", bf16 " + last[1]);
    }

    @Test
    void interruptedTrainingResumesAtTheNextEpoch() throws Exception {
        TrainingData train = ToyData.make(32, 4, 3);
        TrainingData val = ToyData.make(32, 1, 4);
        Path out = tmp.resolve("r");
        Architecture a = new Architecture("unet", 2, 1);
        TrainOptions o = new TrainOptions(a, 4, 4, 1e-2, 1, 16, false, PatchSampler.Geometry.ALL, "bce", 1, 2, false);
        // interrupted (like Ctrl-C) after the checkpoint of epoch 2
        assertThrows(IllegalStateException.class, () -> new NetTrainer(o, (d, t) -> { }, r -> {
            if (r.epoch() == 2) {
                throw new IllegalStateException("interrupted");
            }
        }).train(train, val, out, Preprocessing.NONE, Map.of()));
        List<String> before = Files.readAllLines(out.resolve("history.csv"));
        assertEquals(3, before.size());
        // an unfinished training is not a model; its fold checkpoint is
        poreseg.io.DataException unfinished = assertThrows(poreseg.io.DataException.class, () -> ModelStore.load(out));
        assertTrue(unfinished.template().contains("{resume}"), unfinished.getMessage());
        try (Network usable = ModelStore.load(out.resolve("fold-0"))) {
            assertEquals(a, usable.architecture());
        }
        TrainOptions resume = new TrainOptions(a, 4, 4, 1e-2, 1, 16, false, PatchSampler.Geometry.ALL, "bce", 1, 2, true);
        new NetTrainer(resume, (d, t) -> { }, r -> { }).train(train, val, out, Preprocessing.NONE, Map.of());
        List<String> after = Files.readAllLines(out.resolve("history.csv"));
        assertEquals(5, after.size());
        assertEquals(before.subList(0, 3), after.subList(0, 3));
        assertTrue(after.get(3).startsWith("0,3,") && after.get(4).startsWith("0,4,"), String.join("\n", after));
        // resuming with other settings is refused
        assertThrows(poreseg.util.ParameterException.class, () -> new NetTrainer(
                new TrainOptions(a, 4, 8, 1e-2, 1, 16, false, PatchSampler.Geometry.ALL, "bce", 1, 2, true), (d, t) -> { }, r -> { })
                .train(train, val, out, Preprocessing.NONE, Map.of()));
    }

    /** Two toy slices, as a user with two labelled slices has them. */
    private static TrainingData twoSlices(long seed) {
        return ToyData.make(64, 2, seed);
    }

    @Test
    void withTwoLabelledSlicesEvalModeValidationMatchesTrainMode() throws Exception {
        // the defaults' shape (BN U-Net, few steps per epoch, 2 folds) at toy scale: each fold sees one slice
        Architecture a = new Architecture("unet", 8, 2);
        TrainOptions o = new TrainOptions(a, 8, 8, 1e-2, 2, 32, true, PatchSampler.Geometry.MIRROR, "bce+dice", 3, 0, false);
        List<String> notes = new java.util.ArrayList<>();
        List<NetTrainer.HistoryRow> rows = new java.util.ArrayList<>();
        Path out = tmp.resolve("two");
        ModelInfo info = new NetTrainer(o, (d, t) -> { }, rows::add).onNote(notes::add).train(twoSlices(5), null, out, Preprocessing.NONE, Map.of());
        assertEquals(2, info.members.size());
        assertTrue(String.join("\n", notes).contains("steps per epoch chosen automatically"), String.join("\n", notes));
        for (ModelInfo.Scores f : info.folds) {
            NetTrainer.HistoryRow best = rows.stream().filter(r -> r.fold() == f.fold && r.epoch() == f.epoch).findFirst().orElseThrow();
            assertTrue(best.recalibrated() > 0, "BN statistics recalibrated");
            assertTrue(Math.abs(best.val().f1 - best.train().f1) < 0.05 && best.val().f1 > 0.85,
                    "fold " + f.fold + ": eval-mode val F1 " + best.val().f1 + " vs train-mode F1 " + best.train().f1);
        }
        // the ensemble of the fold models scores like the folds on new slices
        TrainingData test = ToyData.make(64, 2, 99);
        List<Network> members = ModelStore.loadMembers(out.toString(), null);
        try {
            assertEquals(2, members.size());
            EpochMetrics m = new EpochMetrics();
            Segmenter seg = new Segmenter(members, 64, 16, 4);
            poreseg.io.StackInfo si = new poreseg.io.StackInfo(64, 64, 1, poreseg.io.PixelType.F32, poreseg.io.Calibration.NONE);
            for (int i = 0; i < test.size(); i++) {
                Segmenter.Prediction p = seg.predict(test.image(i), si, 0.5);
                m.addSlice(p.probability(), test.mask(i));
                assertTrue(p.low() <= p.pores() && p.pores() <= p.high());
            }
            assertTrue(m.scores().f1 > 0.85, "ensemble F1 " + m.scores().f1);
        } finally {
            members.forEach(Network::close);
        }
        try (Network one = ModelStore.loadMembers(out.toString(), 1).get(0)) {
            assertEquals(1, one.info().scores.fold);
        }
        assertThrows(poreseg.util.ParameterException.class, () -> ModelStore.loadMembers(out.toString(), 2));
    }

    @Test
    void oneLabelledSliceTrainsOnBandsOfRows() throws Exception {
        Architecture a = new Architecture("unet", 4, 2);
        TrainOptions o = new TrainOptions(a, 3, 4, 1e-2, 2, 32, false, PatchSampler.Geometry.NONE, "bce", 1, 2, false);
        List<String> notes = new java.util.ArrayList<>();
        ModelInfo info = new NetTrainer(o, (d, t) -> { }, r -> { }).onNote(notes::add).train(ToyData.make(64, 1, 8), null, tmp.resolve("one"),
                Preprocessing.NONE, Map.of());
        assertEquals(2, info.members.size());
        String log = String.join("\n", notes);
        assertTrue(log.contains("validates on rows 0-15, 32-47 of each") && log.contains("validates on rows 16-31, 48-63 of each"), log);
        TrainOptions single = new TrainOptions(a, 2, 4, 1e-2, 1, 32, false, PatchSampler.Geometry.NONE, "bce", 1, 2, false);
        notes.clear();
        new NetTrainer(single, (d, t) -> { }, r -> { }).onNote(notes::add).train(ToyData.make(64, 1, 8), null, tmp.resolve("one-1"),
                Preprocessing.NONE, Map.of());
        assertTrue(String.join("\n", notes).contains("one labelled slice: trains on rows 0-51, validates on rows 52-63"), String.join("\n", notes));
    }

    @Test
    void sparseLabelsOnlyCountWhereLabelled() throws Exception {
        TrainingData dense = ToyData.make(64, 4, 11);
        // label only a 3-pixel diagonal stroke pattern, everything else unlabelled
        List<float[]> imgs = new java.util.ArrayList<>();
        List<float[]> masks = new java.util.ArrayList<>();
        for (int z = 0; z < dense.size(); z++) {
            float[] m = dense.mask(z).clone();
            for (int i = 0; i < m.length; i++) {
                int x = i % 64;
                int y = i / 64;
                if (Math.floorMod(x + y, 8) > 2) {
                    m[i] = MaskEncoding.UNLABELLED;
                }
            }
            imgs.add(dense.image(z));
            masks.add(m);
        }
        TrainingData sparse = new TrainingData(64, 64, imgs, masks, "sparse");
        assertEquals(3.0 / 8, sparse.labelledFraction(), 0.01);
        // the metrics skip unlabelled pixels
        EpochMetrics m = new EpochMetrics();
        m.addSlice(dense.mask(0), sparse.mask(0));
        assertEquals(1.0, m.scores().f1, 1e-12);
        assertEquals(0.0, m.mse(), 1e-12);
        // so does the loss: a perfect prediction on the labelled pixels costs (almost) nothing, whatever it says elsewhere
        try (ai.djl.ndarray.NDManager nd = NetEngine.newManager()) {
            float[] pred = dense.mask(0).clone();
            for (int i = 0; i < pred.length; i++) {
                pred[i] = sparse.mask(0)[i] < 0 ? 1 - pred[i] : pred[i];
            }
            ai.djl.ndarray.types.Shape sh = new ai.djl.ndarray.types.Shape(1, 1, 64, 64);
            float masked = new PoreLoss("bce+dice", true).evaluate(new ai.djl.ndarray.NDList(nd.create(sparse.mask(0), sh)),
                    new ai.djl.ndarray.NDList(nd.create(pred, sh))).getFloat();
            float denseLoss = new PoreLoss("bce+dice", true).evaluate(new ai.djl.ndarray.NDList(nd.create(dense.mask(0), sh)),
                    new ai.djl.ndarray.NDList(nd.create(pred, sh))).getFloat();
            assertTrue(masked < 0.01 && denseLoss > 1, "masked loss " + masked + ", dense loss " + denseLoss);
        }
        TrainOptions o = new TrainOptions(new Architecture("unet", 8, 2), 8, 8, 1e-2, 1, 32, true, PatchSampler.Geometry.MIRROR, "bce+dice", 2, 0, false);
        ModelInfo info = new NetTrainer(o, (d, t) -> { }, r -> { }).train(sparse, ToyData.make(64, 2, 12), tmp.resolve("sparse"), Preprocessing.NONE, Map.of());
        assertTrue(info.scores.f1 > 0.85, "trained on 37 % of the labels: val F1 " + info.scores.f1);
        // dense validation slices calibrate the porosity; strokes (pore edges not drawn against solid) do not
        assertEquals(2, ModelStore.info(tmp.resolve("sparse").toString()).porosityThresholds.size());
        TrainOptions brief = o.with(1, 1e-2);
        List<String> notes = new java.util.ArrayList<>();
        new NetTrainer(brief, (d, t) -> { }, r -> { }).onNote(notes::add).train(sparse, sparse, tmp.resolve("strokes"), Preprocessing.NONE, Map.of());
        assertTrue(ModelStore.info(tmp.resolve("strokes").toString()).porosityThresholds.isEmpty());
        assertTrue(String.join("\n", notes).contains("(strokes) do not calibrate the porosity"), String.join("\n", notes));
    }

    @Test
    void labelsWithOneClassOrNoneAreRefused() {
        TrainingData d = ToyData.make(32, 1, 1);
        float[] none = new float[32 * 32];
        java.util.Arrays.fill(none, MaskEncoding.UNLABELLED);
        poreseg.io.DataException a = assertThrows(poreseg.io.DataException.class,
                () -> NetTrainer.checkLabels(new TrainingData(32, 32, List.of(d.image(0)), List.of(none), "x"), false));
        assertTrue(a.getMessage().contains("no labelled pixel"), a.getMessage());
        poreseg.io.DataException b = assertThrows(poreseg.io.DataException.class,
                () -> NetTrainer.checkLabels(new TrainingData(32, 32, List.of(d.image(0)), List.of(new float[32 * 32]), "x"), false));
        assertTrue(b.getMessage().contains("only one class"), b.getMessage());
        // fine-tuning may learn from solid-only strokes
        assertDoesNotThrowChecked(() -> NetTrainer.checkLabels(new TrainingData(32, 32, List.of(d.image(0)), List.of(new float[32 * 32]), "x"), true));
    }

    private interface Checked {
        void run() throws Exception;
    }

    private static void assertDoesNotThrowChecked(Checked c) {
        try {
            c.run();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
