package poreseg.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.nio.FloatBuffer;
import poreseg.metrics.Confusion;

/** One optimizer step of {@link NetTrainer} on a batch, and its scores over the labelled pixels. */
final class TrainStep {
    private TrainStep() {
    }

    /**
     * Forward, loss, backward and step on the batch (xb, yb) of {@code shape}; adds the batch's scores to
     * {@code tm}. Steps with {@code adam} where it is not null, else with the trainer's optimizer.
     */
    static void run(Trainer trainer, FusedAdam adam, PoreLoss loss, float[] xb, float[] yb, Shape shape, EpochMetrics tm) {
        try (NDManager sub = trainer.getManager().newSubManager()) {
            NDArray x = sub.create(FloatBuffer.wrap(xb), shape);
            NDArray y = sub.create(FloatBuffer.wrap(yb), shape);
            NDArray pred;
            NDArray l;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                pred = trainer.forward(new NDList(x)).singletonOrThrow();
                l = loss.evaluate(new NDList(y), new NDList(pred));
                gc.backward(l);
            }
            FusedAdam.step(trainer, adam);
            Network.noGrad();
            // scores over labelled pixels only (label < 0 = unlabelled)
            NDArray w = y.gte(0f).toType(DataType.FLOAT32, false);
            NDArray t = y.gt(0.5f).toType(DataType.FLOAT32, false);
            NDArray pb = pred.gt(0.5f).toType(DataType.FLOAT32, false).mul(w);
            NDArray stats = NDArrays.stack(new NDList(l.reshape(new Shape()), pb.mul(t).sum(), pb.sum(), t.sum(),
                    pred.sub(t).square().mul(w).sum(), w.sum()));
            float[] v = stats.toFloatArray();
            long n = Math.round(v[5]);
            if (n == 0) {
                return;
            }
            long tp = Math.round(v[1]);
            long fp = Math.round(v[2]) - tp;
            long fn = Math.round(v[3]) - tp;
            tm.add(v[0], n, new Confusion(tp, fp, fn, n - tp - fp - fn), v[4]);
        }
    }
}
