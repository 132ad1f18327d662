package poreseg.net;

import poreseg.metrics.Confusion;
import poreseg.util.ParameterException;

/**
 * Loss, pore confusion counts and squared error accumulated over all pixels of an epoch (not
 * averaged per batch).
 */
public final class EpochMetrics {
    private final Confusion confusion = new Confusion();
    private double lossSum;
    private long lossPixels;
    private double sqErr;
    private long pixels;
    private double sumPY;
    private double sumP;
    private double sumY;

    /** Adds a batch: mean loss over its pixels, confusion counts and sum of squared errors. */
    public void add(double meanLoss, long pixelsInBatch, Confusion c, double squaredErrors) {
        lossSum += meanLoss * pixelsInBatch;
        lossPixels += pixelsInBatch;
        confusion.add(c);
        sqErr += squaredErrors;
        pixels += pixelsInBatch;
    }

    /**
     * Adds a slice's probabilities against its truth (1 pore, 0 solid, negative = unlabelled, skipped),
     * with BCE (probabilities clipped at 1e-7).
     */
    public void addSlice(float[] prob, float[] truth) {
        if (prob.length != truth.length) {
            throw new ParameterException("mask sizes differ: " + prob.length + " vs " + truth.length);
        }
        Confusion c = new Confusion();
        double bce = 0;
        double se = 0;
        for (int i = 0; i < prob.length; i++) {
            float t = truth[i];
            if (t < 0) {
                continue;
            }
            boolean pore = t > 0.5f;
            c.add(prob[i] > 0.5f, pore);
            double p = Math.min(1 - 1e-7, Math.max(1e-7, prob[i]));
            bce -= pore ? Math.log(p) : Math.log(1 - p);
            double d = prob[i] - t;
            se += d * d;
            sumPY += prob[i] * t;
            sumP += prob[i];
            sumY += t;
        }
        long n = c.total();
        if (n > 0) {
            add(bce / n, n, c, se);
        }
    }

    public double loss() {
        return lossPixels == 0 ? Double.NaN : lossSum / lossPixels;
    }

    /** 1 - soft Dice over all pixels added with {@link #addSlice} (smoothing 1). */
    public double diceLoss() {
        return 1 - (2 * sumPY + 1) / (sumP + sumY + 1);
    }

    public double mse() {
        return pixels == 0 ? Double.NaN : sqErr / pixels;
    }

    public Confusion confusion() {
        return confusion;
    }

    public ModelInfo.Scores scores() {
        ModelInfo.Scores s = new ModelInfo.Scores();
        s.loss = loss();
        s.accuracy = confusion.accuracy();
        s.precision = confusion.precision();
        s.recall = confusion.recall();
        s.f1 = confusion.f1();
        s.iou = confusion.iou();
        s.mse = mse();
        return s;
    }
}
