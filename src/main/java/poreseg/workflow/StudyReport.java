package poreseg.workflow;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import poreseg.io.Calibration;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.metrics.Spread;
import poreseg.morpho.MeasureResult;
import poreseg.report.SurfaceRenderer;
import poreseg.net.ModelInfo;
import poreseg.report.EvaluationReport;
import poreseg.report.HtmlReport;
import poreseg.report.Quantity;
import poreseg.report.Table;

/** Builds the study's report: result first, then Table 2, Figs. 5-7, then settings. */
final class StudyReport {
    private StudyReport() {
    }

    static Path write(Study.Options o, Volume image, Variant truth, List<Variant> baselines, List<Study.CnnVariant> cnns,
            double threshold, Stages stages) throws IOException {
        Calibration cal = image.info().calibration();
        DisplayUnit du = DisplayUnit.of(cal.unit());
        String u = du.name();
        Study.CnnVariant best = cnns.stream().max(Comparator.comparingDouble(c -> c.segmentation().evaluation().total().f1())).orElseThrow();
        MeasureResult bm = best.segmentation().measures();
        HtmlReport r = new HtmlReport("poreseg study: " + Path.of(o.images().toString()).getFileName());
        r.subtitle(String.format(Locale.ROOT, "%s with labels %s: %s voxels of %s; %d-fold cross-validation, %d epochs; "
                + "every CNN number below comes from out-of-fold predictions.", o.images(), o.masks(), image.info().shape(), cal,
                o.folds(), o.epochs()));
        double[] perFold = perFoldPorosity(bm.porosityProfile(), o.folds());
        r.headline(Quantity.of("porosity", "Porosity (best CNN: " + best.name() + ")", 100 * bm.porosity(), "%")
                .withSpread(100 * Spread.of(bm.porosityProfile()).sd(), "sd across " + bm.porosityProfile().length + " slices")
                .withDetail(String.format(Locale.ROOT, "sd across %d folds %.2f %%; ground truth %.2f %%", o.folds(),
                        100 * Spread.of(perFold).sd(), 100 * truth.measures().porosity())));
        r.headline(Quantity.of("pore_volume", "Pore volume", du.volume(bm.poreVolume()), u + "\u00b3"));
        r.headline(Quantity.of("surface_area", "Pore surface area", du.area(bm.surfaceArea()), u + "\u00b2"));
        r.headline(Quantity.of("f1", "Test F1 (out-of-fold)", best.segmentation().evaluation().total().f1(), "")
                .withDecimals(4));

        List<Variant> all = new ArrayList<>();
        all.add(truth);
        all.addAll(baselines);
        cnns.forEach(c -> all.add(c.segmentation()));
        r.summary(AnalysisReport.measuresTable(all, du));

        r.section("Scores (Table 2)");
        r.table(table2(cnns, baselines));
        Map<String, poreseg.metrics.Evaluation> evals = new LinkedHashMap<>();
        baselines.forEach(b -> evals.put(b.name(), b.evaluation()));
        cnns.forEach(c -> evals.put(c.segmentation().name(), c.segmentation().evaluation()));
        r.table(EvaluationReport.scoresTable("oof_scores", "Scores of the whole stack, each slice predicted by the fold model that "
                + "did not train on it; MSE on probabilities for the CNNs.", evals));

        learningCurves(r, cnns);
        montage(r, image, truth, baselines, best);
        poreSpace(r, all, cal, du, stages);
        settings(r, o, cnns, threshold);
        r.write(o.out());
        return o.out().resolve(HtmlReport.HTML);
    }

    /** Fig. 5: accuracy, F1 and MSE per epoch, mean over folds, training and held-out. */
    private static void learningCurves(HtmlReport r, List<Study.CnnVariant> cnns) {
        r.section("Learning curves (Fig. 5)");
        double[] epochs = cnns.get(0).curves().epochs();
        for (String[] metric : new String[][] {{"accuracy", "accuracy"}, {"f1", "F1 score"}, {"mse", "MSE"}}) {
            Map<String, double[]> train = new LinkedHashMap<>();
            Map<String, double[]> test = new LinkedHashMap<>();
            for (Study.CnnVariant c : cnns) {
                train.put(c.name(), c.curves().train().get(metric[0]));
                test.put(c.name(), c.curves().test().get(metric[0]));
            }
            r.figure("fig5_" + metric[0], EvaluationReport.learningCurve(metric[1], epochs, train, test, !metric[0].equals("mse"), 900, 380),
                    metric[1] + " per epoch, mean over folds; solid = training patches, dashed = the held-out fold.");
        }
    }

    /** Fig. 6: a montage of slices: input, truth, the baselines and the best CNN. */
    private static void montage(HtmlReport r, Volume image, Variant truth, List<Variant> baselines, Study.CnnVariant best)
            throws IOException {
        r.section("Slices (Fig. 6)");
        Map<String, Volume> open = new LinkedHashMap<>();
        try (Volume t = Volumes.open(truth.mask())) {
            for (Variant v : baselines) {
                open.put(v.name(), Volumes.open(v.mask()));
            }
            open.put(best.segmentation().name(), Volumes.open(best.segmentation().mask()));
            r.figure("fig6_montage", EvaluationReport.montage(image, t, open, EvaluationReport.evenSlices(image.info().depth(), 3), 220),
                    "Input, ground truth, threshold and the best CNN (out-of-fold); the last column shows the CNN's errors.");
        } finally {
            for (Volume v : open.values()) {
                v.close();
            }
        }
    }

    /** Fig. 7: three views of each variant's pore space. */
    private static void poreSpace(HtmlReport r, List<Variant> all, Calibration cal, DisplayUnit du, Stages stages) throws IOException {
        String u = du.name();
        r.section("3D pore space (Fig. 7)");
        for (Variant v : all) {
            try (Volume mask = Volumes.open(v.mask())) {
                MeasureResult vm = v.measures();
                r.figure("fig7_" + Study.slug(v.name()), SurfaceRenderer.threeViews(mask, null, cal, 255, 260, stages.stage("rendering " + v.name())),
                        String.format(Locale.ROOT, "%s: porosity %.2f %%, pore volume %s %s\u00b3, surface area %s %s\u00b2.", v.name(),
                                100 * vm.porosity(), AnalysisReport.fmt(du.volume(vm.poreVolume())), u, AnalysisReport.fmt(du.area(vm.surfaceArea())), u));
            }
        }
    }

    /** The settings of the study, for reproduction. */
    private static void settings(HtmlReport r, Study.Options o, List<Study.CnnVariant> cnns, double threshold) {
        r.setting("images", o.images().toString());
        r.setting("masks", o.masks().toString());
        r.setting("folds", o.folds());
        r.setting("epochs", o.epochs());
        r.setting("batch", o.batch());
        r.setting("patch", o.patch());
        r.setting("steps_per_epoch", o.steps() == 0 ? "cover the training slices once" : o.steps());
        r.setting("optimizer", "Adam lr 1e-3, binary cross-entropy, ReduceLROnPlateau(val_loss, 0.2, 10, 1e-5)");
        r.setting("seed", o.seed());
        r.setting("threshold_preprocessing", Demo.THRESHOLD_PREPROCESSING);
        r.setting("otsu_threshold", threshold);
        for (Study.CnnVariant c : cnns) {
            r.setting("model: " + c.name(), o.out().relativize(c.modelDir()).toString() + " (" + c.parameters() + " parameters)");
        }
    }

    private static Table table2(List<Study.CnnVariant> cnns, List<Variant> baselines) {
        Table t = new Table("table2", "Training and test scores at each fold's best epoch, mean over folds (the paper's Table 2); "
                + "test = the held-out fold.", "variant", "parameters", "train accuracy", "train F1", "train MSE", "test accuracy",
                "test F1", "test MSE", "test IoU");
        for (String c : List.of("train accuracy", "train F1", "test accuracy", "test F1", "test IoU")) {
            t.format(c, "%.4f");
        }
        t.format("train MSE", "%.5f").format("test MSE", "%.5f");
        for (Study.CnnVariant c : cnns) {
            ModelInfo.Scores tr = c.trainMean();
            ModelInfo.Scores te = c.testMean();
            t.row(c.name(), c.parameters(), tr == null ? null : tr.accuracy, tr == null ? null : tr.f1, tr == null ? null : tr.mse,
                    te.accuracy, te.f1, te.mse, te.iou);
        }
        for (Variant b : baselines) {
            var s = b.evaluation().total();
            t.row(b.name(), null, null, null, null, s.accuracy(), s.f1(), s.mse(), s.iou());
        }
        return t;
    }

    private static double[] perFoldPorosity(double[] profile, int folds) {
        double[] sum = new double[folds];
        int[] n = new int[folds];
        for (int z = 0; z < profile.length; z++) {
            int f = Study.foldOf(z, profile.length, folds);
            sum[f] += profile[z];
            n[f]++;
        }
        for (int f = 0; f < folds; f++) {
            sum[f] = n[f] == 0 ? 0 : sum[f] / n[f];
        }
        return sum;
    }
}
