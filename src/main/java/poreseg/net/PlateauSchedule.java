package poreseg.net;

import ai.djl.training.tracker.Tracker;

/**
 * Keras ReduceLROnPlateau as a DJL learning-rate tracker: after {@code patience} epochs without the
 * monitored value (validation loss) improving by more than 1e-4, the rate is multiplied by
 * {@code factor}, never below {@code minLr}.
 */
public final class PlateauSchedule implements Tracker {
    private static final double MIN_DELTA = 1e-4;
    private final double factor;
    private final int patience;
    private final double minLr;
    private volatile float lr;
    private volatile float scale = 1f;
    private double best = Double.POSITIVE_INFINITY;
    private int wait;

    public PlateauSchedule(double lr, double factor, int patience, double minLr) {
        this.lr = (float) lr;
        this.factor = factor;
        this.patience = patience;
        this.minLr = minLr;
    }

    /** The paper's schedule: factor 0.2, patience 10, min_lr 1e-5. */
    public static PlateauSchedule paper(double lr) {
        return new PlateauSchedule(lr, 0.2, 10, 1e-5);
    }

    @Override
    public float getNewValue(int numUpdate) {
        return lr * scale;
    }

    /** Multiplies the rate by {@code f} until changed (a decay over the steps of training). */
    public void scale(double f) {
        this.scale = (float) f;
    }

    /** Cosine decay from 1 at step 0 to {@code floor} at step {@code total}. */
    public static double cosine(long step, long total, double floor) {
        double t = total <= 1 ? 1 : Math.min(1, (double) step / (total - 1));
        return floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * t));
    }

    public float lr() {
        return lr * scale;
    }

    /** The plateau rate, without the decay. */
    public float baseLr() {
        return lr;
    }

    /** Reports the epoch's monitored value; returns true if the rate was reduced. */
    public boolean epochEnd(double monitored) {
        if (monitored < best - MIN_DELTA) {
            best = monitored;
            wait = 0;
            return false;
        }
        wait++;
        if (wait >= patience && lr > minLr * (1 + 1e-6)) {
            lr = (float) Math.max(lr * factor, minLr);
            wait = 0;
            return true;
        }
        return false;
    }

    /** Restores the state (for --resume). */
    public void restore(float lr, double best, int wait) {
        this.lr = lr;
        this.best = best;
        this.wait = wait;
    }

    public double best() {
        return best;
    }

    public int waitCount() {
        return wait;
    }
}
