package poreseg.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
            TiledPredictor tp = net.tiled(32, 8, 4);
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
        try (Network usable = ModelStore.load(out)) {
            assertEquals(a, usable.architecture());
        }
        TrainOptions resume = new TrainOptions(a, 4, 4, 1e-2, 1, 16, false, PatchSampler.Geometry.ALL, "bce", 1, 2, true);
        new NetTrainer(resume, (d, t) -> { }, r -> { }).train(train, val, out, Preprocessing.NONE, Map.of());
        List<String> after = Files.readAllLines(out.resolve("history.csv"));
        assertEquals(5, after.size());
        assertEquals(before.subList(0, 3), after.subList(0, 3));
        assertTrue(after.get(3).startsWith("0,3,") && after.get(4).startsWith("0,4,"), String.join("\n", after));
        // resuming with other settings is refused
        assertThrows(poreseg.io.UsageException.class, () -> new NetTrainer(
                new TrainOptions(a, 4, 8, 1e-2, 1, 16, false, PatchSampler.Geometry.ALL, "bce", 1, 2, true), (d, t) -> { }, r -> { })
                .train(train, val, out, Preprocessing.NONE, Map.of()));
    }
}
