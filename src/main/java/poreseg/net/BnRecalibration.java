package poreseg.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Recomputes the running (inference) statistics of every batch-norm layer of a network as the exact
 * mean and variance of its inputs over a set of batches, as PyTorch's {@code swa_utils.update_bn} does.
 * During training the running statistics are an exponential average (momentum 0.1) over a few recent
 * batches of a network whose weights keep changing; after few optimizer steps (small training sets)
 * they do not describe the final network, and inference output (eval mode, what {@code segment} runs)
 * collapses while training-mode output is good. Recalibration fixes that before each checkpoint.
 *
 * <p>Each batch runs forward in training mode (normalised by its own statistics, no gradients) with
 * the running statistics set to zero first, so that afterwards they hold momentum times the batch
 * statistics. Means and second moments are pooled over the batches, weighted equally (all batches have
 * the same size), and the pooled mean and variance are written back.
 */
public final class BnRecalibration {
    /** PyTorch's momentum for DJL's default BatchNorm (DJL 0.9 = keep 90 % of the old value). */
    static final float MOMENTUM = 0.1f;

    private BnRecalibration() {
    }

    /** The batch-norm layers of a block, depth first. */
    static List<BatchNorm> layers(Block block) {
        List<BatchNorm> out = new ArrayList<>();
        collect(block, out);
        return out;
    }

    private static void collect(Block b, List<BatchNorm> out) {
        if (b instanceof BatchNorm bn) {
            out.add(bn);
            return;
        }
        for (Pair<String, Block> c : b.getChildren()) {
            collect(c.getValue(), out);
        }
    }

    /**
     * Recalibrates {@code block}'s batch-norm statistics over {@code batches} inputs (NCHW), each made
     * by {@code next} in a sub-manager of {@code manager} (closed after each batch). Returns the number of layers updated (0 when the network has no batch norm).
     */
    public static int run(Block block, ParameterStore store, NDManager manager, Function<NDManager, NDArray> next, int batches) {
        List<BatchNorm> bns = layers(block);
        if (bns.isEmpty() || batches < 1) {
            return 0;
        }
        Network.noGrad();
        int n = bns.size();
        NDArray[] mean = new NDArray[n];
        NDArray[] var = new NDArray[n];
        double[][] sum = new double[n][];
        double[][] sumSq = new double[n][];
        for (int i = 0; i < n; i++) {
            for (Pair<String, Parameter> p : bns.get(i).getParameters()) {
                if (p.getValue().getType() == Parameter.Type.RUNNING_MEAN) {
                    mean[i] = p.getValue().getArray();
                } else if (p.getValue().getType() == Parameter.Type.RUNNING_VAR) {
                    var[i] = p.getValue().getArray();
                }
            }
            if (mean[i] == null || var[i] == null) {
                throw new IllegalStateException("batch norm layer without running statistics");
            }
            sum[i] = new double[(int) mean[i].size()];
            sumSq[i] = new double[(int) mean[i].size()];
        }
        for (int b = 0; b < batches; b++) {
            for (int i = 0; i < n; i++) {
                mean[i].muli(0f);
                var[i].muli(0f);
            }
            // every intermediate array of the forward pass lives in this sub-manager and is freed with it
            try (NDManager sub = manager.newSubManager()) {
                block.forward(store, new NDList(next.apply(sub)), true);
            }
            for (int i = 0; i < n; i++) {
                float[] m = mean[i].toFloatArray();
                float[] v = var[i].toFloatArray();
                for (int c = 0; c < m.length; c++) {
                    double bm = m[c] / MOMENTUM;
                    double bv = v[c] / MOMENTUM;
                    sum[i][c] += bm;
                    sumSq[i][c] += bv + bm * bm;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            float[] m = new float[sum[i].length];
            float[] v = new float[sum[i].length];
            for (int c = 0; c < m.length; c++) {
                double mu = sum[i][c] / batches;
                m[c] = (float) mu;
                v[c] = (float) Math.max(0, sumSq[i][c] / batches - mu * mu);
            }
            mean[i].set(m);
            var[i].set(v);
        }
        return n;
    }
}
