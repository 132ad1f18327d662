package poreseg.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The porosity interval of a segmentation, calibrated on validation data. On each validation slice
 * (held out from the fold model that predicts it) the threshold t* is found at which the predicted
 * porosity, the fraction of labelled pixels with probability above t*, equals the true porosity. Each
 * member's probabilities are first shifted so that its median t* becomes 0.5 ({@link #bias}). The
 * spread of the shifted t* over validation slices says how far the model's 0.5 threshold may be from the one that
 * is right on a new slice; the interval of a new slice is its porosity at thresholds
 * [min t* - m, max t* + m], with the margin m = max(0.05, (max t* - min t*) / 2) (few validation
 * slices understate the spread), always bracketing the threshold used. Without calibration (the
 * bundled model, or fewer than one validation slice) the margin around the threshold is
 * {@link Segmenter#INTERVAL_BAND} on each side of the fold models' lowest and highest probability.
 *
 * @param lowThreshold  a pixel counts for the high end of the interval where its probability is above this
 * @param highThreshold a pixel counts for the low end of the interval where its probability is above this
 * @param calibrated    whether the thresholds come from validation data (else the fixed band)
 */
public record PorosityCalibration(double lowThreshold, double highThreshold, boolean calibrated) {
    /** The smallest margin around the calibrated thresholds. */
    public static final double MIN_MARGIN = 0.05;

    /**
     * The logit shift that moves a member's median t* to 0.5: {@code p' = sigmoid(logit(p) - bias)}
     * makes the member's porosity match the truth on its validation slices at threshold 0.5 (a one
     * parameter recalibration, like Platt scaling without the slope). 0 without thresholds.
     */
    public static double bias(Network member) {
        double med = medianThreshold(member.info());
        return Double.isNaN(med) ? 0 : logit(med);
    }

    /**
     * Whether a model's porosity interval is calibrated: some member recorded thresholds matched to
     * labelled porosities (validation slices with the pore boundaries labelled, or {@code poreseg
     * calibrate}); otherwise the interval is the members' own uncertainty band, unchecked against labels.
     */
    public static boolean calibrated(List<ModelInfo> members) {
        return members.stream().anyMatch(m -> m.porosityThresholds != null && !m.porosityThresholds.isEmpty());
    }

    /** What a porosity interval is, for a line of output: calibrated or the model's own uncertainty. */
    public static String intervalKind(boolean calibrated) {
        return calibrated ? "calibrated on labelled slices (the model's validation or poreseg calibrate)"
                : "the model's own uncertainty, not calibrated on labels (label a slice or region densely: poreseg calibrate or train)";
    }

    /** The median of a model's {@code porosity_thresholds}; NaN without any. */
    static double medianThreshold(ModelInfo info) {
        List<Double> t = info.porosityThresholds;
        if (t == null || t.isEmpty()) {
            return Double.NaN;
        }
        double[] v = t.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static double logit(double p) {
        double q = Math.min(1 - 1e-6, Math.max(1e-6, p));
        return Math.log(q / (1 - q));
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /**
     * From the thresholds t* that members recorded, each moved by its member's {@link #bias} (so they
     * scatter around 0.5); falls back to the fixed band without any.
     */
    public static PorosityCalibration of(List<Network> members, double threshold) {
        List<Double> t = new ArrayList<>();
        for (Network n : members) {
            if (n.info().porosityThresholds != null) {
                double b = bias(n);
                for (double x : n.info().porosityThresholds) {
                    t.add(sigmoid(logit(x) - b));
                }
            }
        }
        if (t.isEmpty()) {
            return new PorosityCalibration(Math.max(0.001, threshold - Segmenter.INTERVAL_BAND),
                    Math.min(0.999, threshold + Segmenter.INTERVAL_BAND), false);
        }
        double min = t.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = t.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double m = Math.max(MIN_MARGIN, (max - min) / 2);
        double lo = Math.max(0.001, Math.min(threshold, min - m));
        double hi = Math.min(0.999, Math.max(threshold, max + m));
        return new PorosityCalibration(lo, hi, true);
    }

    /**
     * Whether a slice's labels can calibrate a porosity: they must include the pore boundaries, not
     * only class interiors. Counted over the labelled pixels that have a 4-neighbour (inside the
     * slice) of another value: at least half of them must have no unlabelled neighbour, i.e. their
     * edge is drawn against the other class. Dense labels (whole slices, or a labelled region or
     * sample disk with unlabelled surroundings) pass; strokes painted on pore and solid interiors
     * (the viewer's, or {@code train --unlabelled}) do not: their pore fraction is the painter's
     * choice, and the threshold that matches it lands anywhere in the gap between the confident
     * probabilities of the two interiors. A slice of one class labelled throughout passes.
     */
    public static boolean boundariesLabelled(float[] truth, int width, int height) {
        long edge = 0;
        long drawn = 0;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                float v = truth[row + x];
                if (v < 0) {
                    continue;
                }
                boolean other = false;
                boolean unlabelled = false;
                for (int d = 0; d < 4; d++) {
                    int xx = x + (d == 0 ? -1 : d == 1 ? 1 : 0);
                    int yy = y + (d == 2 ? -1 : d == 3 ? 1 : 0);
                    if (xx < 0 || yy < 0 || xx >= width || yy >= height) {
                        continue;
                    }
                    float u = truth[yy * width + xx];
                    if (u < 0) {
                        unlabelled = true;
                    } else if ((u > 0.5f) != (v > 0.5f)) {
                        other = true;
                    }
                }
                if (other || unlabelled) {
                    edge++;
                    if (!unlabelled) {
                        drawn++;
                    }
                }
            }
        }
        return 2 * drawn >= edge;
    }

    /**
     * The threshold at which the fraction of labelled pixels (truth >= 0) with probability above it
     * equals their true pore fraction; NaN without labelled pixels. Meaningful where the labels
     * include the pore boundaries ({@link #boundariesLabelled}).
     */
    public static double matchingThreshold(float[] prob, float[] truth) {
        MaskEncoding.LabelCounts counts = MaskEncoding.LabelCounts.of(truth);
        if (counts.labelled() == 0) {
            return Double.NaN;
        }
        int n = (int) counts.labelled();
        int pores = (int) counts.pores();
        float[] p = new float[n];
        int k = 0;
        for (int i = 0; i < prob.length; i++) {
            if (truth[i] >= 0) {
                p[k++] = prob[i];
            }
        }
        Arrays.sort(p);
        // the `pores` largest probabilities must be above t: t lies between p[n-pores-1] and p[n-pores]
        int split = n - pores;
        double below = split > 0 ? p[split - 1] : 0.0;
        double above = split < n ? p[split] : 1.0;
        return Math.max(0, Math.min(1, (below + above) / 2));
    }

    /**
     * Where the model draws its line: none (probability 0.5), or the median of its matched thresholds
     * (validation slices of train, or the labelled slices of poreseg calibrate), with where they came from.
     */
    public static String describe(ModelInfo mi) {
        double med = medianThreshold(mi);
        if (Double.isNaN(med)) {
            return "none (pore where the probability is above the threshold)";
        }
        int n = mi.porosityThresholds.size();
        Object c = mi.training == null ? null : mi.training.get("calibration");
        String from = c instanceof Map<?, ?> m ? "labelled slices " + sliceList(m.get("slices")) + " of " + m.get("masks") + " (poreseg calibrate, " + m.get("created") + ")"
                : "validation slices of its training";
        return String.format(java.util.Locale.ROOT, "probabilities shifted so that %.4g counts as 0.5: the median of %d threshold%s matched to the "
                + "porosity of %s", med, n, n == 1 ? "" : "s", from);
    }

    /** A list of slice numbers as JSON gives them back (doubles) written as integers. */
    private static String sliceList(Object o) {
        if (o instanceof List<?> l) {
            return String.join(", ", l.stream().map(v -> v instanceof Number n ? Long.toString(n.longValue()) : String.valueOf(v)).toList());
        }
        return String.valueOf(o);
    }
}
