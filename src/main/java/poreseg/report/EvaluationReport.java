package poreseg.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import poreseg.io.Calibration;
import poreseg.io.StackInfo;
import poreseg.io.Views;
import poreseg.io.Volume;
import poreseg.metrics.Evaluation;
import poreseg.metrics.MaskValues;
import poreseg.metrics.Scores;
import poreseg.metrics.Spread;

/**
 * Report parts made from {@link Evaluation}s: a scores table, per-slice porosity and F1 plots, and a
 * montage of input, truth and segmentations; plus {@link #build} for the report of one
 * {@code poreseg evaluate} run. Maps are keyed by the segmentation's display name (e.g. "threshold
 * (Otsu)", "CNN, equalize") in the order they should appear; all evaluations of one map are against
 * the same ground truth.
 */
public final class EvaluationReport {
    private EvaluationReport() {
    }

    /**
     * One row per segmentation plus a first row for the ground truth: porosity (%), its sd across
     * slices, porosity error (percentage points), accuracy, precision, recall, F1, IoU, MSE.
     */
    public static Table scoresTable(String key, String caption, Map<String, Evaluation> evaluations) {
        Table t = new Table(key, caption, "segmentation", "porosity (%)", "sd across slices (%)", "porosity error (points)",
                "accuracy", "precision", "recall", "F1", "IoU", "MSE")
                .format("porosity (%)", "%.3f").format("sd across slices (%)", "%.3f").format("porosity error (points)", "%+.3f")
                .format("accuracy", "%.4f").format("precision", "%.4f").format("recall", "%.4f").format("F1", "%.4f")
                .format("IoU", "%.4f").format("MSE", "%.4f");
        if (evaluations.isEmpty()) {
            return t;
        }
        Evaluation first = evaluations.values().iterator().next();
        t.emphasisedRow("ground truth", 100 * first.total().truePorosity(), 100 * first.truePorositySpread().sd(), null,
                null, null, null, null, null, null);
        for (Map.Entry<String, Evaluation> e : evaluations.entrySet()) {
            Scores s = e.getValue().total();
            t.row(e.getKey(), 100 * s.predictedPorosity(), 100 * e.getValue().predictedPorositySpread().sd(),
                    100 * s.porosityError(), s.accuracy(), s.precision(), s.recall(), s.f1(), s.iou(), s.mse());
        }
        return t;
    }

    /** Porosity of each slice: the ground truth (black) and each segmentation. */
    public static BufferedImage porosityPerSlice(Map<String, Evaluation> evaluations, int width, int height) {
        Plot p = new Plot("Porosity per slice").x("slice", null).y("porosity", "%");
        if (!evaluations.isEmpty()) {
            Evaluation first = evaluations.values().iterator().next();
            p.series("ground truth", sliceNumbers(first), percent(first, true), Plot.Style.of(6));
        }
        int k = 0;
        for (Map.Entry<String, Evaluation> e : evaluations.entrySet()) {
            p.series(e.getKey(), sliceNumbers(e.getValue()), percent(e.getValue(), false), Plot.Style.of(k++));
        }
        return p.render(width, height);
    }

    /** F1 score of each slice for each segmentation (slices without pore in truth or prediction score 1). */
    public static BufferedImage f1PerSlice(Map<String, Evaluation> evaluations, int width, int height) {
        Plot p = new Plot("F1 score per slice").x("slice", null).y("F1 score of the pore class", null);
        int k = 0;
        for (Map.Entry<String, Evaluation> e : evaluations.entrySet()) {
            double[] f1 = e.getValue().slices().stream().mapToDouble(Scores::f1).toArray();
            p.series(e.getKey(), sliceNumbers(e.getValue()), f1, Plot.Style.of(k++));
        }
        return p.render(width, height);
    }

    /**
     * A learning curve as in the paper's Fig. 5: one metric against epoch for each variant, training
     * solid and test dashed in the variant's colour. {@code train} and {@code test} map variant names to
     * one value per epoch (NaN where not measured); either map may lack a variant.
     *
     * @param metric   axis label, e.g. "accuracy", "F1 score", "MSE"
     * @param unitRange fix the y axis to 0..1 (accuracy, F1); false for automatic (MSE)
     */
    public static BufferedImage learningCurve(String metric, double[] epochs, Map<String, double[]> train,
            Map<String, double[]> test, boolean unitRange, int width, int height) {
        Plot p = new Plot(Character.toUpperCase(metric.charAt(0)) + metric.substring(1) + " vs epoch").x("epoch", null).y(metric, null);
        if (unitRange) {
            p.yRange(0, 1);
        }
        List<String> variants = new ArrayList<>(train.keySet());
        test.keySet().stream().filter(k -> !variants.contains(k)).forEach(variants::add);
        for (int k = 0; k < variants.size(); k++) {
            String v = variants.get(k);
            if (train.containsKey(v)) {
                p.series(v + ", train", epochs, train.get(v), Plot.Style.train(k));
            }
            if (test.containsKey(v)) {
                p.series(v + ", test", epochs, test.get(v), Plot.Style.test(k));
            }
        }
        return p.render(width, height);
    }

    private static double[] sliceNumbers(Evaluation e) {
        return e.slices().stream().mapToDouble(s -> s.z() + 1).toArray();
    }

    private static double[] percent(Evaluation e, boolean truth) {
        return e.slices().stream().mapToDouble(s -> 100 * (truth ? s.truePorosity() : s.predictedPorosity())).toArray();
    }

    /**
     * Montage of some slices: input (when given), ground truth, each segmentation, and the errors of
     * the last segmentation drawn on the input (or on the truth when there is no input). Masks: values above 0.5
     * are pore, so 0/1 and 0/255 masks work; other encodings must be converted first.
     *
     * @param image    the greyscale input, or null
     * @param truth    the ground-truth mask
     * @param segs     segmentations by name
     * @param slices   0-based slice indices, one row each
     * @param tileWidth width of each tile in pixels
     */
    public static BufferedImage montage(Volume image, Volume truth, Map<String, Volume> segs, int[] slices, int tileWidth)
            throws IOException {
        List<String> cols = new ArrayList<>();
        if (image != null) {
            cols.add("input");
        }
        cols.add("ground truth");
        cols.addAll(segs.keySet());
        String lastName = segs.isEmpty() ? null : new ArrayList<>(segs.keySet()).get(segs.size() - 1);
        if (lastName != null) {
            cols.add("errors: " + lastName);
        }
        Montage m = new Montage(cols.toArray(String[]::new));
        int w = truth.info().width();
        int h = truth.info().height();
        for (int z : slices) {
            List<Tile> row = new ArrayList<>();
            float[] grey = image == null ? null : image.slice(z);
            if (grey != null) {
                row.add(Tile.grey(grey, w, h));
            }
            float[] t = truth.slice(z);
            row.add(Tile.mask(t, w, h));
            float[] last = null;
            for (Volume v : segs.values()) {
                last = v.slice(z);
                row.add(Tile.mask(last, w, h));
            }
            if (last != null) {
                row.add(Tile.errors(grey != null ? grey : scaled(t), last, t, w, h));
            }
            m.row("slice " + (z + 1), row);
        }
        Calibration c = truth.info().calibration();
        if (image != null && !image.info().calibration().unit().equals("pixel")) {
            c = image.info().calibration();
        }
        return m.scaleBar(c.x(), c.unit()).legend("found pore", Tile.TRUE_POSITIVE).legend("false pore", Tile.FALSE_POSITIVE)
                .legend("missed pore", Tile.FALSE_NEGATIVE).render(tileWidth);
    }

    private static float[] scaled(float[] mask) {
        float[] g = new float[mask.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = mask[i] > 0.5f ? 0.25f : 0.75f; // pores dark, as in a BSE image
        }
        return g;
    }

    /** Up to {@code n} slice indices spread evenly through the stack (never the very first and last when avoidable). */
    public static int[] evenSlices(int depth, int n) {
        int k = Math.max(1, Math.min(n, depth));
        int[] s = new int[k];
        for (int i = 0; i < k; i++) {
            s[i] = (int) Math.floor((i + 1) * (double) depth / (k + 1));
        }
        return s;
    }

    /**
     * The report of one evaluation: headline porosity of prediction and truth with their spread across
     * slices, porosity error, F1 and IoU; the scores table; per-slice plots; a montage of three slices
     * (masks read with the encodings found by the evaluation). {@code settings} lists the inputs and options.
     */
    public static HtmlReport build(Evaluation e, String predictedName, Volume image, Volume truth, Volume pred,
            Map<String, Object> settings) throws IOException {
        Scores s = e.total();
        Spread pt = e.truePorositySpread();
        Spread pp = e.predictedPorositySpread();
        String slicesText = "sd across " + pt.n() + " slices";
        HtmlReport r = new HtmlReport("Segmentation scores: " + predictedName)
                .subtitle(String.format(Locale.ROOT, "%s against the ground truth; %d x %d x %d voxels of %s%s",
                        predictedName, truth.info().width(), truth.info().height(), truth.info().depth(), e.calibration(),
                        e.hasRoi() ? ", scored inside the region of interest" : ""))
                .headline(Quantity.of("porosity_predicted", "Porosity (" + predictedName + ")", 100 * s.predictedPorosity(), "%")
                        .withDecimals(3).withSpread(100 * pp.sd(), slicesText))
                .headline(Quantity.of("porosity_truth", "Porosity (ground truth)", 100 * s.truePorosity(), "%")
                        .withDecimals(3).withSpread(100 * pt.sd(), slicesText))
                .headline(Quantity.of("porosity_error", "Porosity error", 100 * s.porosityError(), "points").withDecimals(3)
                        .withDetail(Double.isNaN(s.relativePorosityError()) ? "" : String.format(Locale.ROOT,
                                "%+.2f %% of the true porosity", 100 * s.relativePorosityError())))
                .headline(Quantity.of("f1", "F1 score (pore)", s.f1(), "").withDecimals(4)
                        .withDetail(String.format(Locale.ROOT, "IoU %.4f, accuracy %.4f", s.iou(), s.accuracy())));
        Map<String, Evaluation> one = new LinkedHashMap<>();
        one.put(predictedName, e);
        r.summary(scoresTable("scores", "Porosity and scores of the pore class over the whole volume"
                + (e.hasRoi() ? " (inside the region of interest)" : "") + "; MSE on the "
                + (e.mseFromProbability() ? "probability map." : "binary masks."), one));
        r.note(String.format(Locale.ROOT, "Confusion counts: TP %d, FP %d, FN %d, TN %d voxels. Porosity is the pore "
                + "fraction of the %s.", s.tp(), s.fp(), s.fn(), s.tn(), e.hasRoi() ? "region of interest" : "whole image"));
        r.section("Per slice")
                .figure("porosity_per_slice", porosityPerSlice(one, 900, 420), "Porosity of each slice (slices numbered from 1, as in Fiji).")
                .figure("f1_per_slice", f1PerSlice(one, 900, 380), "F1 score of the pore class in each slice.");
        Map<String, Volume> segs = new LinkedHashMap<>();
        segs.put(predictedName, binary(pred, e.predicted()));
        r.section("Segmentations").figure("montage", montage(image, binary(truth, e.truth()), segs,
                evenSlices(truth.info().depth(), 3), 220), "Ground truth and prediction for three slices spread through the "
                + "stack; right: errors of the prediction (yellow: found pore, orange: false pore, blue: missed pore)"
                + (image == null ? " drawn on the truth." : " drawn on the input."));
        r.settings(settings);
        return r;
    }

    /** A view of a mask as 0/1 (1 = pore) under its encoding. */
    static Volume binary(Volume v, MaskValues enc) {
        return Views.map(v, a -> {
            for (int i = 0; i < a.length; i++) {
                a[i] = enc.isPore(a[i]) ? 1f : 0f;
            }
            return a;
        });
    }
}
