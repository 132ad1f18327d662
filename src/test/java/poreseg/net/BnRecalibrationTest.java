package poreseg.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BnRecalibrationTest {
    @Test
    void runningStatisticsBecomeTheExactPooledMeanAndVariance() {
        try (NDManager m = NetEngine.newManager()) {
            SequentialBlock b = new SequentialBlock().add(BatchNorm.builder().build());
            b.initialize(m, DataType.FLOAT32, new Shape(4, 2, 8, 8));
            ParameterStore ps = new ParameterStore(m, false);
            SplittableRandom r = new SplittableRandom(3);
            int batches = 5;
            float[][] data = new float[batches][4 * 2 * 64];
            double[] sum = new double[2];
            double[] sq = new double[2];
            long per = 0;
            for (float[] d : data) {
                double shift = r.nextDouble() * 4; // batches differ: the pooled variance includes that
                for (int i = 0; i < d.length; i++) {
                    int c = (i / 64) % 2;
                    d[i] = (float) ((c == 0 ? 1 : -3) + shift + (c + 1) * r.nextGaussian());
                    sum[c] += d[i];
                    sq[c] += (double) d[i] * d[i];
                }
                per += 4 * 64;
            }
            int[] k = {0};
            int layers = BnRecalibration.run(b, ps, m, sub -> sub.create(data[k[0]++], new Shape(4, 2, 8, 8)), batches);
            assertEquals(1, layers);
            NDArray mean = null;
            NDArray var = null;
            for (Pair<String, Parameter> p : BnRecalibration.layers(b).get(0).getParameters()) {
                if (p.getValue().getType() == Parameter.Type.RUNNING_MEAN) {
                    mean = p.getValue().getArray();
                } else if (p.getValue().getType() == Parameter.Type.RUNNING_VAR) {
                    var = p.getValue().getArray();
                }
            }
            float[] mu = mean.toFloatArray();
            float[] v = var.toFloatArray();
            for (int c = 0; c < 2; c++) {
                double em = sum[c] / per;
                double ev = sq[c] / per - em * em;
                assertEquals(em, mu[c], 1e-4 * (1 + Math.abs(em)), "mean of channel " + c);
                // PyTorch keeps the unbiased batch variance: (n/(n-1)) differs by 1/256 here
                assertEquals(ev, v[c], 0.01 * ev, "variance of channel " + c);
            }
        }
    }
}
