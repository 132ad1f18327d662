package poreseg.net;

import poreseg.metrics.Confusion;

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

    /** Adds a slice's probabilities against its 0/1 truth, with BCE (probabilities clipped at 1e-7). */
    public void addSlice(float[] prob, float[] truth) {
        double bce = 0;
        double se = 0;
        Confusion c = new Confusion();
        c.add(prob, truth, 0.5f);
        for (int i = 0; i < prob.length; i++) {
            double p = Math.min(1 - 1e-7, Math.max(1e-7, prob[i]));
            bce -= truth[i] > 0.5f ? Math.log(p) : Math.log(1 - p);
            double d = prob[i] - truth[i];
            se += d * d;
            sumPY += prob[i] * truth[i];
            sumP += prob[i];
            sumY += truth[i];
        }
        add(bce / prob.length, prob.length, c, se);
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
