package poreseg.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
        TrainOptions o = new TrainOptions(new Architecture("unet", 4, 2), 12, 8, 1e-2, 1, 32, true, "bce+dice", 7, 6, false);
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
        TrainOptions ft = new TrainOptions(new Architecture("unet", 4, 2), 1, 8, 1e-4, 1, 32, true, "bce+dice", 8, 2, false);
        ModelInfo tuned = new NetTrainer(ft, (d, t) -> { }, r -> { }).initFrom(out).train(train, val, tmp.resolve("tuned"),
                Preprocessing.NONE, Map.of());
        assertTrue(tuned.scores.f1 > 0.9, "fine-tuned F1 " + tuned.scores.f1);
        assertEquals(out.toString(), tuned.training.get("initialised_from"));
    }
}
