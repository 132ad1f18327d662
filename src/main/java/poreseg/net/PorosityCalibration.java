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
     * The largest logit shift that thresholds matched on a training's own validation slices may apply
     * (odds times e: thresholds 0.27-0.73). Measured (docs/net.md, "Few labels"): within a stack the
     * matched shifts are small (thresholds 0.3-0.6) and bring the porosity 0.01 closer; where the test
     * slices differ from the labelled ones, shifts of 2-3 logits made a failure worse (catalyst crop 3:
     * porosity error 0.58 against 0.27 unshifted, F1 0.48 against 0.64). Thresholds from {@code poreseg
     * calibrate} (labelled slices of the stack itself, asked for) shift in full.
     */
    public static final double MAX_TRAINING_SHIFT = 1.0;

    /**
     * The logit shift that moves a member's median t* to 0.5: {@code p' = sigmoid(logit(p) - bias)}
     * makes the member's porosity match the truth on its validation slices at threshold 0.5 (a one
     * parameter recalibration, like Platt scaling without the slope), at most {@link
     * #MAX_TRAINING_SHIFT} either way for thresholds from the training's validation. 0 without thresholds.
     */
    public static double bias(Network member) {
        return bias(member.info());
    }

    /** {@link #bias(Network)} of a model description. */
    public static double bias(ModelInfo info) {
        double med = medianThreshold(info);
        if (Double.isNaN(med)) {
            return 0;
        }
        double b = logit(med);
        boolean calibrated = info.training != null && info.training.get("calibration") != null; // poreseg calibrate
        return calibrated ? b : Math.max(-MAX_TRAINING_SHIFT, Math.min(MAX_TRAINING_SHIFT, b));
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

    /** A threshold for output: four significant digits, or as many as show how close to 1 it is (0.99999, not 1.000). */
    public static String formatThreshold(double t) {
        return t > 0.999 && t < 1 ? String.format(java.util.Locale.ROOT, "%.6f", t).replaceAll("0+$", "")
                : String.format(java.util.Locale.ROOT, "%.4g", t);
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
     * A labelled pixel lies in a dense region where every pixel within this Chebyshev distance (inside
     * the slice) is labelled too: a 5x5 neighbourhood. Strokes up to 4 pixels wide have no dense pixel.
     */
    public static final int DENSE_RADIUS = 2;
    /** A dense region calibrates where at least this many of its pixels lie on a pore/solid boundary. */
    public static final int MIN_BOUNDARY = 8;

    /**
     * The labels of a slice that may calibrate a porosity, the others set to unlabelled; null when
     * none may. A porosity is calibrated by matching the model's porosity to the labelled one, which
     * is only the true porosity where the labels cover a region whole, its pore boundaries included:
     * strokes painted on pore and solid interiors have the painter's proportion of pore, and the
     * threshold that matches it lands anywhere in the gap between the confident probabilities of the
     * two interiors. So: a slice labelled throughout calibrates whole (one class only too); otherwise
     * the dense regions ({@link #DENSE_RADIUS}) that hold at least {@link #MIN_BOUNDARY} pixels next to
     * the other class (a labelled box, a sample disk, a painted-in area; each 4-connected region on its
     * own) calibrate, and strokes, thin or thick, and areas of one class do not, also beside such a
     * region on the same slice.
     */
    public static float[] calibrationLabels(float[] truth, int width, int height) {
        int n = width * height;
        boolean any = false;
        for (float v : truth) {
            if (v < 0) {
                any = true;
                break;
            }
        }
        if (!any) {
            return truth;
        }
        // near[i]: an unlabelled pixel within DENSE_RADIUS (a separable max filter over rows, then columns)
        boolean[] rowNear = new boolean[n];
        for (int y = 0; y < height; y++) {
            int row = y * width;
            int last = Integer.MIN_VALUE / 2; // the last unlabelled column seen
            for (int x = 0; x < width; x++) {
                if (truth[row + x] < 0) {
                    last = x;
                }
                rowNear[row + x] = x - last <= DENSE_RADIUS;
            }
            last = Integer.MAX_VALUE / 2;
            for (int x = width - 1; x >= 0; x--) {
                if (truth[row + x] < 0) {
                    last = x;
                }
                rowNear[row + x] |= last - x <= DENSE_RADIUS;
            }
        }
        byte[] dense = new byte[n];
        for (int x = 0; x < width; x++) {
            int last = Integer.MIN_VALUE / 2;
            boolean[] near = new boolean[height];
            for (int y = 0; y < height; y++) {
                if (rowNear[y * width + x]) {
                    last = y;
                }
                near[y] = y - last <= DENSE_RADIUS;
            }
            last = Integer.MAX_VALUE / 2;
            for (int y = height - 1; y >= 0; y--) {
                if (rowNear[y * width + x]) {
                    last = y;
                }
                dense[y * width + x] = (byte) (near[y] || last - y <= DENSE_RADIUS ? 0 : 1);
            }
        }
        // 4-connected regions of dense pixels; keep those with enough pixels on a pore/solid boundary
        poreseg.core.ComponentLabels regions = poreseg.core.ComponentLabels.label(dense, width, height, false);
        int[] boundary = new int[regions.count + 1];
        for (int i = 0; i < n; i++) {
            if (dense[i] == 0) {
                continue;
            }
            int x = i % width;
            boolean pore = truth[i] > 0.5f;
            if (x > 0 && otherClass(truth, dense, i - 1, pore) || x < width - 1 && otherClass(truth, dense, i + 1, pore)
                    || i >= width && otherClass(truth, dense, i - width, pore) || i + width < n && otherClass(truth, dense, i + width, pore)) {
                boundary[regions.labels[i]]++;
            }
        }
        float[] out = new float[n];
        boolean kept = false;
        for (int i = 0; i < n; i++) {
            boolean calibrates = boundary[regions.labels[i]] >= MIN_BOUNDARY; // label 0 (not dense) has no boundary count
            out[i] = calibrates ? truth[i] : MaskEncoding.UNLABELLED;
            kept |= calibrates;
        }
        return kept ? out : null;
    }

    /** Whether pixel j is a dense labelled pixel ({@link #calibrationLabels}) of the other class than {@code pore}. */
    private static boolean otherClass(float[] truth, byte[] dense, int j, boolean pore) {
        return dense[j] != 0 && (truth[j] > 0.5f) != pore;
    }

    /**
     * {@code split}'s labels (a part of {@code full}'s: stripes or rows of a slice for a validation
     * fold) kept where {@code full}'s labels may calibrate ({@link #calibrationLabels}), judged on the
     * whole slice so that the split's cut edges count for nothing; null where none may. The same array
     * as {@code full}: the slice was not split.
     */
    public static float[] calibrationLabels(float[] full, float[] split, int width, int height) {
        float[] c = calibrationLabels(full, width, height);
        if (c == null || full == split) {
            return c;
        }
        float[] out = split.clone();
        boolean any = false;
        for (int i = 0; i < out.length; i++) {
            if (c[i] < 0) {
                out[i] = MaskEncoding.UNLABELLED;
            }
            any |= out[i] >= 0;
        }
        return any ? out : null;
    }

    /**
     * The nearest a matched threshold comes to 0 or 1. Where the network is certain its probabilities
     * are exactly 1.0 (or 0.0) in float, and where more pixels are certain pores than the labels have
     * pores, the threshold that matches lies inside that tie: midway it is 1.0, which calls no pixel
     * pore at all (catalyst-stem and sandstone crops in {@code bench fewlabel --protocols calibrate}:
     * F1 0.000 on the other crops). Held this far inside, every pixel the network is certain of stays
     * pore (the closest porosity a threshold can give), and the logit shift of {@link #bias}, which
     * clamps probabilities 1e-6 from 0 and 1, keeps the order: pore after the shift exactly where
     * above the threshold.
     */
    public static final double THRESHOLD_LIMIT = 1e-5;

    /**
     * The threshold at which the fraction of labelled pixels (truth >= 0) with probability above it
     * equals their true pore fraction, or comes closest to it (within {@link #THRESHOLD_LIMIT} of 0
     * and 1); NaN without labelled pixels. Meaningful where the labels include the pore boundaries
     * ({@link #calibrationLabels}).
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
        return Math.max(THRESHOLD_LIMIT, Math.min(1 - THRESHOLD_LIMIT, (below + above) / 2));
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
        double shifted = sigmoid(bias(mi));
        String capped = Math.abs(shifted - med) > 1e-9 ? String.format(java.util.Locale.ROOT, " (their median %.4g, a shift of more than "
                + "%.0f logit that thresholds from a training's own validation may not make)", med, MAX_TRAINING_SHIFT) : "";
        return String.format(java.util.Locale.ROOT, "probabilities shifted so that %.4g counts as 0.5%s: the median of %d threshold%s matched to the "
                + "porosity of %s", shifted, capped, n, n == 1 ? "" : "s", from);
    }

    /** A list of slice numbers as JSON gives them back (doubles) written as integers. */
    private static String sliceList(Object o) {
        if (o instanceof List<?> l) {
            return String.join(", ", l.stream().map(v -> v instanceof Number n ? Long.toString(n.longValue()) : String.valueOf(v)).toList());
        }
        return String.valueOf(o);
    }
}
