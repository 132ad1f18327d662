package poreseg.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Training validates through the inference kernel refolded with the current weights and batch-norm
 * statistics: the same scores and porosity thresholds as the layer-by-layer forward, and a change of
 * the weights between epochs reaches the kernel.
 */
class ValidationTest {
    @Test
    void kernelValidationScoresAsTheLayersDo() {
        Architecture arch = new Architecture("unet", 16, 2);
        SplittableRandom r = new SplittableRandom(4);
        int w = 96;
        int h = 64;
        List<float[]> images = new ArrayList<>();
        List<float[]> masks = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            float[] img = new float[w * h];
            float[] m = new float[w * h];
            for (int i = 0; i < img.length; i++) {
                img[i] = (float) r.nextDouble();
                m[i] = img[i] < 0.4 ? 1 : 0;
            }
            images.add(img);
            masks.add(m);
        }
        TrainingData val = new TrainingData(w, h, images, masks, "random");
        try (Model model = Model.newInstance("v", NetEngine.device(), "PyTorch")) {
            Block block = arch.newUninitializedWeights();
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 32, 32));
            // batch-norm statistics away from 0 / 1, so that folding them matters
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray a = p.getValue().getArray();
                if (p.getKey().endsWith("_runningVar") || p.getKey().endsWith("_runningMean") || p.getKey().endsWith("_gamma")) {
                    float[] v = new float[(int) a.size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) (p.getKey().endsWith("_runningMean") ? r.nextDouble() - 0.5 : 0.5 + r.nextDouble());
                    }
                    a.set(FloatBuffer.wrap(v));
                }
            }
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                ScriptedKernel kernel = ScriptedKernel.of(arch, block, trainer.getManager().newSubManager());
                assertNotNull(kernel);
                for (int round = 0; round < 2; round++) {
                    List<Double> tl = new ArrayList<>();
                    List<Double> tk = new ArrayList<>();
                    ModelInfo.Scores layers = Validation.validate(trainer, null, val, 64, 16, arch.multiple(), tl).scores();
                    ModelInfo.Scores scripted = Validation.validate(trainer, kernel, val, 64, 16, arch.multiple(), tk).scores();
                    assertEquals(layers.f1, scripted.f1, 1e-4, "round " + round);
                    assertEquals(layers.mse, scripted.mse, 1e-5, "round " + round);
                    assertEquals(tl.size(), tk.size());
                    for (int i = 0; i < tl.size(); i++) {
                        assertEquals(tl.get(i), tk.get(i), 1e-3);
                    }
                    // the next epoch's weights: every convolution scaled, which the kernel must see
                    for (Pair<String, Parameter> p : block.getParameters()) {
                        if (p.getKey().endsWith("_weight")) {
                            p.getValue().getArray().muli(-1.5f);
                        }
                    }
                }
            }
        }
    }
}
