package poreseg.metrics;

import poreseg.util.ParameterException;

/**
 * Pixel confusion counts of the pore (positive) class and the scores derived from them. Counts are
 * {@code long}, so whole volumes of any size can be accumulated; scores are computed over all pixels
 * added (not averaged per slice or batch). Scores with a zero denominator are defined as 1 when
 * there is nothing to find and nothing was found (e.g. F1 of two empty masks), else 0.
 */
public final class Confusion {
    private long tp;
    private long fp;
    private long fn;
    private long tn;

    public Confusion() {
    }

    public Confusion(long tp, long fp, long fn, long tn) {
        this.tp = tp;
        this.fp = fp;
        this.fn = fn;
        this.tn = tn;
    }

    /** Adds one pixel: predicted pore, truly pore. */
    public void add(boolean predicted, boolean truth) {
        add(predicted, truth, 1);
    }

    /** Adds {@code count} pixels of one kind: predicted pore, truly pore. */
    public void add(boolean predicted, boolean truth, long count) {
        if (predicted) {
            if (truth) {
                tp += count;
            } else {
                fp += count;
            }
        } else if (truth) {
            fn += count;
        } else {
            tn += count;
        }
    }

    /** Adds two masks of equal length; a value above {@code cut} is pore. */
    public void add(float[] predicted, float[] truth, float cut) {
        if (predicted.length != truth.length) {
            throw new ParameterException("mask sizes differ: " + predicted.length + " vs " + truth.length);
        }
        long a = 0;
        long b = 0;
        long c = 0;
        long d = 0;
        for (int i = 0; i < predicted.length; i++) {
            boolean p = predicted[i] > cut;
            boolean t = truth[i] > cut;
            if (p && t) {
                a++;
            } else if (p) {
                b++;
            } else if (t) {
                c++;
            } else {
                d++;
            }
        }
        tp += a;
        fp += b;
        fn += c;
        tn += d;
    }

    public void add(Confusion o) {
        tp += o.tp;
        fp += o.fp;
        fn += o.fn;
        tn += o.tn;
    }

    public long tp() {
        return tp;
    }

    public long fp() {
        return fp;
    }

    public long fn() {
        return fn;
    }

    public long tn() {
        return tn;
    }

    public long total() {
        return tp + fp + fn + tn;
    }

    public double accuracy() {
        return ratio(tp + tn, total(), 1);
    }

    public double precision() {
        return ratio(tp, tp + fp, fn == 0 ? 1 : 0);
    }

    public double recall() {
        return ratio(tp, tp + fn, fp == 0 ? 1 : 0);
    }

    public double f1() {
        return ratio(2 * tp, 2 * tp + fp + fn, 1);
    }

    public double iou() {
        return ratio(tp, tp + fp + fn, 1);
    }

    private static double ratio(long num, long den, double whenEmpty) {
        return den == 0 ? whenEmpty : (double) num / den;
    }

    @Override
    public String toString() {
        return "Confusion[tp=" + tp + ", fp=" + fp + ", fn=" + fn + ", tn=" + tn + "]";
    }
}
