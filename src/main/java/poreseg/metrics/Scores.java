package poreseg.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import poreseg.util.ParameterException;

/**
 * Segmentation scores of the pore class over a set of voxels (one slice, or a whole volume):
 * confusion counts, the sum of squared errors, and everything derived from them. Counts are over
 * the voxels inside the region of interest only. When there are no voxels, every score is NaN.
 *
 * @param z             the slice index (0-based), or -1 for a whole volume
 * @param tp            voxels predicted pore that truly are pore
 * @param fp            voxels predicted pore that are not
 * @param fn            pore voxels predicted not pore
 * @param tn            voxels correctly predicted not pore
 * @param squaredError  sum over voxels of (prediction - truth)^2, truth in {0, 1}; the prediction is the
 *                      probability of pore when one was given, else the binary prediction (then this equals fp + fn)
 */
public record Scores(int z, long tp, long fp, long fn, long tn, double squaredError) {

    /** Whole-volume index for {@link #z()}. */
    public static final int TOTAL = -1;

    public Scores {
        if (tp < 0 || fp < 0 || fn < 0 || tn < 0) {
            throw new ParameterException("negative count");
        }
    }

    /** Sums a list of scores (e.g. all slices) into one with the given index. */
    public static Scores sum(int z, Iterable<Scores> parts) {
        long a = 0;
        long b = 0;
        long c = 0;
        long d = 0;
        double e = 0;
        for (Scores s : parts) {
            a += s.tp;
            b += s.fp;
            c += s.fn;
            d += s.tn;
            e += s.squaredError;
        }
        return new Scores(z, a, b, c, d, e);
    }

    public Confusion confusion() {
        return new Confusion(tp, fp, fn, tn);
    }

    /** Voxels scored (inside the region of interest). */
    public long voxels() {
        return tp + fp + fn + tn;
    }

    public double accuracy() {
        return empty() ? Double.NaN : confusion().accuracy();
    }

    public double precision() {
        return empty() ? Double.NaN : confusion().precision();
    }

    public double recall() {
        return empty() ? Double.NaN : confusion().recall();
    }

    public double f1() {
        return empty() ? Double.NaN : confusion().f1();
    }

    /** Intersection over union (Jaccard index) of the pore class. */
    public double iou() {
        return empty() ? Double.NaN : confusion().iou();
    }

    /** Mean squared error: {@link #squaredError()} / {@link #voxels()}. */
    public double mse() {
        return empty() ? Double.NaN : squaredError / voxels();
    }

    /** Porosity of the prediction: predicted pore voxels / voxels. */
    public double predictedPorosity() {
        return empty() ? Double.NaN : (double) (tp + fp) / voxels();
    }

    /** Porosity of the ground truth: true pore voxels / voxels. */
    public double truePorosity() {
        return empty() ? Double.NaN : (double) (tp + fn) / voxels();
    }

    /** Predicted minus true porosity, as a fraction (0.01 = one percentage point). */
    public double porosityError() {
        return predictedPorosity() - truePorosity();
    }

    /** {@link #porosityError()} / true porosity; NaN when the truth has no pore. */
    public double relativePorosityError() {
        double t = truePorosity();
        return t > 0 ? porosityError() / t : Double.NaN;
    }

    private boolean empty() {
        return voxels() == 0;
    }

    /** All counts and scores by name (snake_case), for JSON and CSV. The slice is 1-based ("slice"), absent for a total. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (z >= 0) {
            m.put("slice", z + 1);
        }
        m.put("voxels", voxels());
        m.put("tp", tp);
        m.put("fp", fp);
        m.put("fn", fn);
        m.put("tn", tn);
        m.put("accuracy", accuracy());
        m.put("precision", precision());
        m.put("recall", recall());
        m.put("f1", f1());
        m.put("iou", iou());
        m.put("mse", mse());
        m.put("porosity_predicted", predictedPorosity());
        m.put("porosity_truth", truePorosity());
        m.put("porosity_error", porosityError());
        m.put("porosity_error_relative", relativePorosityError());
        return m;
    }
}
