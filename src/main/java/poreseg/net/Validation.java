package poreseg.net;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What {@link NetTrainer} does after the optimizer steps of an epoch: batch-norm recalibration over
 * the training slices, then eval-mode validation tiled exactly as inference tiles.
 */
final class Validation {
    /** Batch-norm recalibration: at most this many crops, in batches of {@link #RECAL_BATCH}. */
    static final int RECAL_CROPS = 8;
    static final int RECAL_BATCH = 4;
    /**
     * Recalibration crops are at most this many times the network's size multiple (2^depth) a side
     * and at least {@link #RECAL_MIN_SIDE}: 256 for the default U-Net, its deepest level then 32 x 32.
     * Crops of the whole inference tile (1024) made recalibration 30 % of an epoch on two 1024x1024
     * slices, with the same test F1 (docs/net.md).
     */
    static final int RECAL_SIDE_MULTIPLES = 32;
    static final int RECAL_MIN_SIDE = 256;

    private Validation() {
    }

    /**
     * Recalibrates the batch-norm statistics over crops of the training slices (at most the inference
     * tile and {@link #RECAL_SIDE_MULTIPLES} x {@code m} a side, whole slices when smaller), without
     * augmentation. Returns the number of crops used.
     */
    static int recalibrate(Block block, ParameterStore store, NDManager manager, TrainingData train, int tile, int m, long seed) {
        if (BnRecalibration.layers(block).isEmpty()) {
            return 0;
        }
        int w = train.width();
        int h = train.height();
        int side = Math.min(tile, Math.max(RECAL_MIN_SIDE, RECAL_SIDE_MULTIPLES * m));
        int cw = Math.min(side, w / m * m);
        int ch = Math.min(side, h / m * m);
        if (cw < m || ch < m) {
            return 0;
        }
        long area = (long) w * h * train.size();
        int crops = (int) Math.max(RECAL_BATCH, Math.min(RECAL_CROPS, (area + (long) cw * ch - 1) / ((long) cw * ch)));
        int per = Math.min(RECAL_BATCH, crops);
        int batches = (crops + per - 1) / per;
        SplittableRandom r = new SplittableRandom(seed);
        float[] buf = new float[per * cw * ch];
        int[] next = {0};
        BnRecalibration.run(block, store, manager, sub -> {
            for (int k = 0; k < per; k++) {
                int sIdx = (next[0]++) % train.size();
                float[] img = train.image(sIdx);
                int ox = r.nextInt(w - cw + 1);
                int oy = r.nextInt(h - ch + 1);
                for (int y = 0; y < ch; y++) {
                    System.arraycopy(img, (oy + y) * w + ox, buf, k * cw * ch + y * cw, cw);
                }
            }
            return sub.create(FloatBuffer.wrap(buf), new Shape(per, 1, ch, cw));
        }, batches);
        return batches * per;
    }

    /**
     * Eval-mode scores on the validation slices, tiled exactly as inference tiles them, through
     * {@code kernel} (the architecture's inference kernel in fp32, refolded with the block's current
     * weights and batch-norm statistics: what {@code segment} runs by default) or, where it is null,
     * layer by layer.
     */
    static EpochMetrics validate(Trainer trainer, ScriptedKernel kernel, TrainingData val, int tile, int overlap, int multiple,
            List<Double> thresholds) {
        return validate(trainer, kernel, val, tile, overlap, multiple, thresholds, calibration(val, val));
    }

    /**
     * As above, {@code calibration.get(i)} the labels of validation slice i whose matched threshold
     * goes into {@code thresholds}, or null for none ({@link #calibration}).
     */
    static EpochMetrics validate(Trainer trainer, ScriptedKernel kernel, TrainingData val, int tile, int overlap, int multiple,
            List<Double> thresholds, List<float[]> calibration) {
        Network.noGrad();
        if (kernel == null) {
            return validate(trainer.getManager(), x -> trainer.evaluate(new NDList(x)).singletonOrThrow(), val, tile, overlap, multiple,
                    thresholds, calibration);
        }
        try (NDManager sub = trainer.getManager().newSubManager(); ScriptedKernel k = kernel.refold(trainer.getModel().getBlock(), sub)) {
            return validate(sub, x -> k.forward(x, false), val, tile, overlap, multiple, thresholds, calibration);
        }
    }

    /**
     * Per validation slice, the labels that may calibrate the porosity, or null: those of
     * {@code val}'s slice i kept where {@code full}'s slice i (the labels as drawn, before a split cut
     * them into stripes or rows) has regions labelled whole ({@link PorosityCalibration#calibrationLabels});
     * strokes calibrate nothing.
     */
    static List<float[]> calibration(TrainingData full, TrainingData val) {
        List<float[]> c = new java.util.ArrayList<>(val.size());
        for (int i = 0; i < val.size(); i++) {
            c.add(PorosityCalibration.calibrationLabels(full.mask(i), val.mask(i), val.width(), val.height()));
        }
        return c;
    }

    private static EpochMetrics validate(NDManager manager, TiledPredictor.Net forward, TrainingData val, int tile,
            int overlap, int multiple, List<Double> thresholds, List<float[]> calibration) {
        TiledPredictor tp = new TiledPredictor(manager, forward, tile, overlap, 8, multiple);
        EpochMetrics m = new EpochMetrics();
        thresholds.clear();
        for (int i = 0; i < val.size(); i++) {
            float[] p = tp.predict(val.image(i), val.width(), val.height());
            m.addSlice(p, val.mask(i));
            double t = calibration.get(i) != null ? PorosityCalibration.matchingThreshold(p, calibration.get(i)) : Double.NaN;
            if (!Double.isNaN(t)) {
                thresholds.add(t);
            }
        }
        return m;
    }
}
