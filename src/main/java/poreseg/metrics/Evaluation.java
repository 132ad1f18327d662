package poreseg.metrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import poreseg.io.Calibration;
import poreseg.io.DataException;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.util.Parallel;
import poreseg.util.ProgressListener;

/**
 * A predicted pore mask scored against a ground-truth mask, for the whole volume and slice by slice.
 * Built by {@link #evaluate}, which streams both volumes one slice at a time (on all cores) and keeps
 * only a few counters per slice, so volumes of any size can be scored.
 *
 * <p>Masks may use any two-valued encoding (see {@link MaskValues}). The mean squared error is taken
 * on the probability of pore when a probability map is given (values in [0, 1]; 8- and 16-bit maps
 * are scaled by 1/255 and 1/65535), else on the binary prediction (then MSE = 1 - accuracy). With a
 * region of interest (a two-valued mask, brighter = inside) only voxels inside it are scored, and
 * porosity is the pore fraction of the region (e.g. of the particle); without one, of the whole image.
 *
 * @param total              scores of the whole volume ({@code z = -1})
 * @param slices             scores of each slice, in order ({@code z = 0 .. depth-1})
 * @param mseFromProbability whether the MSE was taken on a probability map
 * @param predicted          how the prediction encodes pore
 * @param truth              how the ground truth encodes pore
 * @param hasRoi             whether a region of interest restricted the scoring
 * @param calibration        the voxel size shared by the inputs (NONE when none is calibrated)
 */
public record Evaluation(Scores total, List<Scores> slices, boolean mseFromProbability, MaskValues predicted,
        MaskValues truth, boolean hasRoi, Calibration calibration) {

    public Evaluation {
        slices = List.copyOf(slices);
    }

    /** Scores {@code pred} against {@code truth} over all voxels, MSE on the binary masks. */
    public static Evaluation evaluate(Volume pred, Volume truth) throws IOException {
        return evaluate(pred, truth, null, null, null, ProgressListener.NONE);
    }

    /**
     * Scores {@code pred} against {@code truth}; {@code prob} and {@code roi} may be null.
     * The brighter value of each mask is pore.
     */
    public static Evaluation evaluate(Volume pred, Volume truth, Volume prob, Volume roi) throws IOException {
        return evaluate(pred, truth, prob, roi, null, ProgressListener.NONE);
    }

    /**
     * Scores a predicted mask against the ground truth.
     *
     * @param pred      the predicted mask
     * @param truth     the ground-truth mask, same size (and voxel size, when both are calibrated)
     * @param prob      probability of pore for each voxel (for the MSE), or null
     * @param roi       region of interest (brighter value = inside), or null for all voxels
     * @param poreValue the value meaning pore in pred and truth, or null for the brighter value
     * @param progress  receives slices done
     * @throws DataException on mismatched sizes or voxel sizes, non-binary masks, probabilities outside [0, 1]
     */
    public static Evaluation evaluate(Volume pred, Volume truth, Volume prob, Volume roi, Float poreValue,
            ProgressListener progress) throws IOException {
        StackInfo info = pred.info();
        Calibration cal = Grids.check(pred, truth, null);
        cal = Grids.check(pred, prob, cal);
        cal = Grids.check(pred, roi, cal);
        int depth = info.depth();
        List<Tally> tallies = new ArrayList<>(depth);
        Parallel.forEachOrdered(depth, z -> Tally.of(z, pred, truth, prob, roi), tallies::add, progress);

        MaskValues pv = MaskValues.resolve(pred.source(), union(tallies, 0), poreValue);
        MaskValues tv = MaskValues.resolve(truth.source(), union(tallies, 1), poreValue);
        MaskValues rv = roi == null ? null : MaskValues.resolve(roi.source(), union(tallies, 2), null);
        List<Scores> slices = new ArrayList<>(depth);
        for (Tally t : tallies) {
            slices.add(t.scores(pv, tv, rv, prob != null));
        }
        Scores total = Scores.sum(Scores.TOTAL, slices);
        if (roi != null && total.voxels() == 0) {
            throw new DataException(roi.source() + ": the region of interest is empty (" + rv.describe().replace("pore", "inside") + ")");
        }
        return new Evaluation(total, slices, prob != null, pv, tv, roi != null, cal);
    }

    private static float[] union(List<Tally> tallies, int which) {
        Set<Float> s = new LinkedHashSet<>();
        for (Tally t : tallies) {
            Values2 v = which == 0 ? t.pred : which == 1 ? t.truth : t.roi;
            for (int i = 0; i < v.n; i++) {
                s.add(v.v[i]);
            }
            if (s.size() > 2) {
                break; // MaskValues reports the first three values
            }
        }
        float[] out = new float[s.size()];
        int i = 0;
        for (float f : s) {
            out[i++] = f;
        }
        return out;
    }

    /** Spread of the per-slice true porosity (slices with voxels in the region only). */
    public Spread truePorositySpread() {
        return Spread.of(slices.stream().mapToDouble(Scores::truePorosity).toArray());
    }

    /** Spread of the per-slice predicted porosity. */
    public Spread predictedPorositySpread() {
        return Spread.of(slices.stream().mapToDouble(Scores::predictedPorosity).toArray());
    }

    /** Spread of the per-slice porosity error (predicted - true). */
    public Spread porosityErrorSpread() {
        return Spread.of(slices.stream().mapToDouble(Scores::porosityError).toArray());
    }

    /** Totals, encodings and per-slice scores as nested maps (snake_case keys), for JSON. */
    public Map<String, Object> toMap(boolean withSlices) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("predicted_encoding", predicted.describe());
        m.put("truth_encoding", truth.describe());
        m.put("roi", hasRoi);
        m.put("mse_on", mseFromProbability ? "probability" : "binary");
        m.put("voxel_size", List.of(calibration.x(), calibration.y(), calibration.z()));
        m.put("unit", calibration.unit());
        m.put("total", total.toMap());
        Map<String, Object> spread = new LinkedHashMap<>();
        spread.put("porosity_truth", spreadMap(truePorositySpread()));
        spread.put("porosity_predicted", spreadMap(predictedPorositySpread()));
        spread.put("porosity_error", spreadMap(porosityErrorSpread()));
        m.put("per_slice_spread", spread);
        if (withSlices) {
            m.put("slices", slices.stream().map(Scores::toMap).toList());
        }
        return m;
    }

    static Map<String, Object> spreadMap(Spread s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", s.mean());
        m.put("sd", s.sd());
        m.put("min", s.min());
        m.put("max", s.max());
        m.put("n", s.n());
        return m;
    }

    /** Per-slice CSV: one header line, then one line per slice (1-based slice numbers, as in Fiji). */
    public String slicesCsv() {
        StringBuilder b = new StringBuilder();
        List<String> keys = List.copyOf(slices.isEmpty() ? List.of() : slices.get(0).toMap().keySet());
        b.append(String.join(",", keys)).append('\n');
        for (Scores s : slices) {
            Map<String, Object> m = s.toMap();
            List<String> cells = new ArrayList<>(keys.size());
            for (String k : keys) {
                Object v = m.get(k);
                cells.add(v instanceof Double d ? (Double.isNaN(d) ? "" : String.format(Locale.ROOT, "%.10g", d)) : String.valueOf(v));
            }
            b.append(String.join(",", cells)).append('\n');
        }
        return b.toString();
    }

    /** Up to two distinct values of one slice of a mask, growing as pixels are seen. */
    static final class Values2 {
        final float[] v = new float[2];
        int n;

        /** Index 0 or 1 of this value, or -1 when it would be a third value. */
        int index(float x) {
            if (n > 0 && v[0] == x) {
                return 0;
            }
            if (n > 1 && v[1] == x) {
                return 1;
            }
            if (n < 2 && !Float.isNaN(x)) {
                v[n] = x == 0f ? 0f : x;
                return n++;
            }
            return -1;
        }
    }

    /** Counters of one slice keyed by raw values: counts[roi][pred][truth], squared errors [roi][truth]. */
    static final class Tally {
        final int z;
        final Values2 pred = new Values2();
        final Values2 truth = new Values2();
        final Values2 roi = new Values2();
        final long[] counts = new long[8];
        final double[] sqIfNot = new double[4]; // sum p^2 (error when truth is not pore)
        final double[] sqIfPore = new double[4]; // sum (1-p)^2 (error when truth is pore)

        private Tally(int z) {
            this.z = z;
        }

        static Tally of(int z, Volume predV, Volume truthV, Volume probV, Volume roiV) throws IOException {
            float[] p = predV.slice(z);
            float[] t = truthV.slice(z);
            float[] q = probV == null ? null : probV.slice(z);
            float[] r = roiV == null ? null : roiV.slice(z);
            float probScale = probV == null ? 1 : probScale(probV.info().type());
            Tally tally = new Tally(z);
            if (r == null) {
                tally.roi.index(1f);
            }
            for (int i = 0; i < p.length; i++) {
                int pi = tally.pred.index(p[i]);
                if (pi < 0) {
                    throw notBinary(predV, z, tally.pred, p[i]);
                }
                int ti = tally.truth.index(t[i]);
                if (ti < 0) {
                    throw notBinary(truthV, z, tally.truth, t[i]);
                }
                int ri = 0;
                if (r != null) {
                    ri = tally.roi.index(r[i]);
                    if (ri < 0) {
                        throw notBinary(roiV, z, tally.roi, r[i]);
                    }
                }
                tally.counts[ri * 4 + pi * 2 + ti]++;
                if (q != null) {
                    double pr = q[i] * probScale;
                    if (!(pr >= -1e-4 && pr <= 1 + 1e-4)) {
                        throw new DataException(probV.source() + ": probabilities must lie in [0, 1], found "
                                + q[i] + " in slice " + (z + 1));
                    }
                    pr = Math.min(1, Math.max(0, pr));
                    tally.sqIfNot[ri * 2 + ti] += pr * pr;
                    tally.sqIfPore[ri * 2 + ti] += (1 - pr) * (1 - pr);
                }
            }
            return tally;
        }

        private static float probScale(PixelType type) {
            return type.isInteger() ? (float) (1.0 / type.maxValue()) : 1f;
        }

        private static DataException notBinary(Volume v, int z, Values2 seen, float third) {
            if (Float.isNaN(third)) {
                return new DataException(v.source() + ": not a binary mask: slice " + (z + 1) + " holds NaN values");
            }
            return new DataException(v.source() + ": not a binary mask: slice " + (z + 1) + " holds values "
                    + MaskValues.list(new float[] {seen.v[0], seen.v[1], third}) + " (expected two values, e.g. 0 and 255)");
        }

        Scores scores(MaskValues pv, MaskValues tv, MaskValues rv, boolean withProb) {
            Confusion confusion = new Confusion();
            double sq = 0;
            for (int ri = 0; ri < roi.n; ri++) {
                if (rv != null && !rv.isPore(roi.v[ri])) {
                    continue;
                }
                for (int ti = 0; ti < truth.n; ti++) {
                    boolean tPore = tv.isPore(truth.v[ti]);
                    for (int pi = 0; pi < pred.n; pi++) {
                        confusion.add(pv.isPore(pred.v[pi]), tPore, counts[ri * 4 + pi * 2 + ti]);
                    }
                    if (withProb) {
                        sq += tPore ? sqIfPore[ri * 2 + ti] : sqIfNot[ri * 2 + ti];
                    }
                }
            }
            if (!withProb) {
                sq = confusion.fp() + confusion.fn();
            }
            return new Scores(z, confusion.tp(), confusion.fp(), confusion.fn(), confusion.tn(), sq);
        }
    }
}
