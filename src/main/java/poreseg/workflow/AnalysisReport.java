package poreseg.workflow;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import poreseg.io.Calibration;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.metrics.Evaluation;
import poreseg.metrics.Spread;
import poreseg.morpho.MeasureResult;
import poreseg.report.SurfaceRenderer;
import poreseg.net.ModelInfo;
import poreseg.net.Precision;
import poreseg.net.StackSegmentation;
import poreseg.report.EvaluationReport;
import poreseg.report.HtmlReport;
import poreseg.report.Montage;
import poreseg.report.Plot;
import poreseg.report.Quantity;
import poreseg.report.Table;
import poreseg.report.Tile;

/**
 * Builds report.html / report.json of an {@link Analysis}: the CNN porosity with its interval first,
 * then pore volume, surface area and specific surface, the measures of every segmentation, scores
 * against the truth where there is one, the per-slice porosity with the interval band, slices with
 * the mask and uncertainty overlays, 3D views, and the settings with the model's provenance.
 */
final class AnalysisReport {
    private AnalysisReport() {
    }

    static void write(Analysis.Result res, Volume image, Volume truth, Volume roi, Stages stages) throws IOException {
        Analysis.Options o = res.options();
        Variant cnn = res.cnnVariant();
        MeasureResult m = cnn.measures();
        Calibration cal = image.info().calibration();
        DisplayUnit du = DisplayUnit.of(cal.unit());
        String u = du.name();
        double[] interval = res.cnn().interval();
        String inside = roi != null ? " of the particle (ROI)" : "";
        HtmlReport r = new HtmlReport(o.synth() != null ? "poreseg demo: synthetic NCM cathode FIB-SEM stack"
                : "poreseg analyze: " + Path.of(image.source()).getFileName());
        r.subtitle(String.format(Locale.ROOT, "%s, %s voxels of %s; %s%s; region: %s", image.source(), image.info().shape(), cal,
                cnn.name(), res.members() > 1 ? " (" + res.members() + " fold models averaged)" : "", roiName(res)));
        warnings(r, res);

        double sd = Spread.of(m.porosityProfile()).sd();
        r.headline(Quantity.of("porosity", "Porosity" + inside + " (CNN)", 100 * m.porosity(), "%")
                .withSpread(100 * sd, "sd across " + m.porosityProfile().length + " slices")
                .withDetail(String.format(Locale.ROOT, "interval %.2f-%.2f %% (%s, see docs/net.md); ", 100 * interval[0],
                        100 * interval[1], res.intervalCalibrated() ? "calibrated on labelled slices" : "model uncertainty, not calibrated on labels") + (res.truth() != null ? String.format(Locale.ROOT, "ground truth %.2f %%",
                        100 * res.truth().measures().porosity()) : "no ground truth for this stack")));
        r.headline(Quantity.of("pore_volume", "Pore volume", du.volume(m.poreVolume()), u + "\u00b3"));
        r.headline(Quantity.of("surface_area", "Pore surface area", du.area(m.surfaceArea()), u + "\u00b2")
                .withDetail("Crofton estimate; marching cubes " + fmt(du.area(m.surfaceAreaMarchingCubes()))));
        r.headline(Quantity.of("specific_surface_area", "Specific surface area", du.inverse(m.specificSurfaceArea()), "1/" + u));

        List<Variant> all = res.all();
        r.summary(measuresTable(all, du, res.cnn(), cnn));
        results(res).forEach(r::result);

        Map<String, Evaluation> evals = new LinkedHashMap<>();
        for (Variant v : res.segmentations()) {
            if (v.evaluation() != null) {
                evals.put(v.name(), v.evaluation());
            }
        }
        if (!evals.isEmpty()) {
            r.section("Pixel scores against the ground truth (Table 2)");
            r.table(EvaluationReport.scoresTable("scores", "Scores of the pore class over all voxels"
                    + (roi != null ? " inside the particle" : "") + "; MSE of the CNN on its probabilities.", evals));
        }

        r.section("Porosity per slice");
        r.figure("porosity_profile", profilePlot(all, res.cnn(), cnn.name()), "Porosity" + inside + " of each slice for each "
                + "segmentation; the band is the CNN's porosity interval (model uncertainty).");

        slicesSection(r, res, image, truth, roi);

        poreSpaceSection(r, res, roi, cal, du, stages);

        settings(r, res, cal);
        r.write(o.out());
    }

    private static void warnings(HtmlReport r, Analysis.Result res) {
        if (!res.calibrated()) {
            r.warning("The stack has no voxel size: lengths, areas and volumes are in pixels. Give the voxel size and its unit (analyze --voxel X,Y,Z --unit nm).");
        }
        if (res.truth() == null) {
            r.warning("No ground truth for this stack: measures and figures only, no scores. The porosity interval is "
                    + (res.intervalCalibrated() ? "calibrated on the model's labelled slices, not on this stack."
                    : "the model's own uncertainty, not calibrated on labels: label a slice or region densely and run poreseg calibrate "
                    + "(seconds) or train to calibrate it."));
        }

        List<String> contrast = res.cnn().contrastWarnings();
        if (!contrast.isEmpty()) {
            r.warning(contrast.size() + " slice(s) without usable contrast for the network, e.g. " + contrast.get(0));
        }
        String bar = res.cnn().dataBarWarning();
        if (bar != null) {
            r.warning(bar.substring(0, 1).toUpperCase(Locale.ROOT) + bar.substring(1) + ".");
        }
    }

    private static void slicesSection(HtmlReport r, Analysis.Result res, Volume image, Volume truth, Volume roi) throws IOException {
        Analysis.Options o = res.options();
        Variant cnn = res.cnnVariant();
        r.section("Slices (Fig. 6)");
        int[] slices = EvaluationReport.evenSlices(image.info().depth(), 3);
        try (Volume mask = Volumes.open(cnn.mask()); Volume unc = Volumes.open(o.out().resolve(Analysis.UNCERTAINTY))) {
            r.figure("overlays", overlayMontage(image, mask, unc, roi, slices), "Input slices; the CNN's pores (orange) over the "
                    + "input; its uncertainty per pixel (magenta, 0 = certain, 1 = coin flip or members disagree)"
                    + (roi != null ? "; the region of interest in the last column (blue)." : "."));
        }
        Map<String, Volume> open = new LinkedHashMap<>();
        try {
            for (Variant v : res.segmentations()) {
                open.put(v.name(), Volumes.open(v.mask()));
            }
            if (truth != null || open.size() > 1) {
                BufferedImage montage = truth != null ? EvaluationReport.montage(image, truth, open, slices, 220)
                        : masksMontage(image, open, slices);
                r.figure("fig6_montage", montage, "Input slices, " + (truth != null ? "ground truth, " : "")
                        + "and each segmentation (white = pore)" + (truth != null ? "; the last column shows the CNN's errors." : "."));
            }
        } finally {
            for (Volume v : open.values()) {
                v.close();
            }
        }
    }

    private static void poreSpaceSection(HtmlReport r, Analysis.Result res, Volume roi, Calibration cal, DisplayUnit du, Stages stages)
            throws IOException {
        Analysis.Options o = res.options();
        List<Variant> all = res.all();
        String u = du.name();
        r.section("3D pore space (Fig. 7)");
        for (Variant v : all) {
            try (Volume mask = Volumes.open(v.mask())) {
                BufferedImage views = SurfaceRenderer.threeViews(mask, roi, cal, 255, o.quick() ? 220 : 300,
                        stages.stage("rendering " + v.name()));
                MeasureResult vm = v.measures();
                r.figure("fig7_" + Study.slug(v.name()), views, String.format(Locale.ROOT,
                        "%s: porosity %.2f %%, pore volume %s %s\u00b3, surface area %s %s\u00b2.", v.name(), 100 * vm.porosity(),
                        fmt(du.volume(vm.poreVolume())), u, fmt(du.area(vm.surfaceArea())), u));
            }
        }
    }

    private static String roiName(Analysis.Result res) {
        if (res.roi() == null) {
            return "whole stack";
        }
        return switch (res.options().roi().kind()) {
            case AUTO -> "particle mask computed from the stack (roi.tif)";
            case FILE -> "given mask " + res.roi().getFileName();
            case NONE -> "the synthetic particle (" + res.roi().getFileName() + ")";
        };
    }

    private static void settings(HtmlReport r, Analysis.Result res, Calibration cal) {
        Analysis.Options o = res.options();
        Path out = o.out();
        r.setting("stack", o.stack() != null ? o.stack().toString() : "synthetic (" + o.synth() + ")");
        r.setting("voxel size", cal.toString() + (o.voxel() != null || o.unit() != null ? " (given on the command line)"
                : res.calibrated() ? " (from the file)" : " (none in the file)"));
        r.setting("region of interest", roiName(res));
        r.setting("threshold", o.threshold());
        if (o.baseline()) {
            r.setting("threshold_preprocessing", Analysis.THRESHOLD_PREPROCESSING);
            r.setting("otsu_threshold", res.otsu());
        }
        r.setting("model", o.model());
        ModelInfo mi = res.model();
        r.setting("model: architecture", mi.architecture + " (width " + mi.width + ", depth " + mi.depth + ", " + mi.parameters
                + " parameters)");
        r.setting("model: preprocessing", mi.preprocessing + ", then " + mi.inputScaling);
        r.setting("model: members", res.members() + (o.fold() != null ? " (fold " + o.fold() + " only)"
                : mi.members != null && mi.members.size() > 1 ? " (" + String.join(", ", mi.members) + ", mean probability)" : ""));
        r.setting("model: tile / overlap", mi.tile + " / " + mi.overlap);
        r.setting("model: arithmetic", arithmetic(res));
        r.setting("model: input scale", inputScale(res));
        Map<String, Object> tr = mi.training == null ? Map.of() : mi.training;
        for (String k : new String[] {"images", "masks", "slices", "slice_size", "validation", "epochs", "folds", "initialised_from",
            "held_out_test"}) {
            if (tr.get(k) != null) {
                r.setting("model: training " + k, String.valueOf(tr.get(k)));
            }
        }
        r.setting("model: porosity calibration", poreseg.net.PorosityCalibration.describe(mi));
        if (mi.scores != null) {
            r.setting("model: validation F1", mi.scores.f1);
        }
        if (mi.created != null) {
            r.setting("model: created", mi.created);
        }
        r.setting("quick", o.quick());
        if (o.synth() != null) {
            r.setting("synthetic", o.synth().toString());
        }
        for (Variant v : res.all()) {
            r.setting("mask: " + v.name(), out.relativize(v.mask()).toString());
        }
        r.setting("probability", Analysis.PROBABILITY);
        r.setting("uncertainty", Analysis.UNCERTAINTY);
        Variant cnn = res.cnnVariant();
        String roiArg = res.roi() == null ? "" : " --roi " + (res.roi().startsWith(out) ? out.relativize(res.roi()) : res.roi());
        r.setting("check_by_hand", "poreseg measure " + out.relativize(cnn.mask()) + roiArg + " --json m.json ; poreseg evaluate "
                + out.relativize(cnn.mask()) + (res.truth() != null ? " " + out.relativize(res.truth().mask()) : " TRUTH") + roiArg);
    }

    /**
     * The machine-readable results (report.json {@code results}, {@code analyze --json}): the CNN's
     * porosity and interval, its measures in the file's unit, the per-slice values, and each segmentation.
     */
    static Map<String, Object> results(Analysis.Result res) {
        Map<String, Object> m = new LinkedHashMap<>();
        Variant cnn = res.cnnVariant();
        MeasureResult mr = cnn.measures();
        StackSegmentation.Result s = res.cnn();
        m.put("porosity", mr.porosity());
        m.put("porosity_interval", s.interval());
        m.put("pore_volume", mr.poreVolume());
        m.put("surface_area", mr.surfaceArea());
        m.put("specific_surface_area", finite(mr.specificSurfaceArea()));
        m.put("unit", res.info().calibration().unit());
        m.put("voxel_size", new double[] {res.info().calibration().x(), res.info().calibration().y(), res.info().calibration().z()});
        m.put("calibrated", res.calibrated());
        m.put("roi", res.roi() == null ? null : res.roi().toString());
        m.put("members", res.members());
        m.put("porosity_interval_calibrated", res.intervalCalibrated());
        m.put("precision", arithmetic(res));
        // multi-scale inference as the model sets it (analyze has no option of its own; docs/net.md); with
        // scale selection, the scale the run chose for this stack
        poreseg.net.Segmenter.ScaleChoice chosen = s.scale();
        List<Number> scales = chosen != null ? poreseg.net.Segmenter.scaleValues(chosen.factors())
                : res.model() == null ? null : res.model().inferenceScales;
        m.put("scales", scales == null || scales.isEmpty() ? List.of(1) : scales);
        m.put("scale_confidence", res.model() == null ? null : res.model().inferenceScaleConfidence);
        m.put("scale_tolerance", chosen != null ? (Double) chosen.tolerance() : res.model() == null ? null : res.model().inferenceScaleTolerance);
        m.put("scale", chosen == null ? null : poreseg.net.Segmenter.scaleValue(chosen.factor()));
        m.put("scale_porosities", chosen == null ? null : java.util.Arrays.stream(chosen.porosity()).mapToObj(AnalysisReport::finite).toList());
        m.put("scale_pore_width", chosen == null ? null : finite(chosen.poreWidth()));
        m.put("scale_pore_widths", chosen == null ? null : java.util.Arrays.stream(chosen.poreWidths()).mapToObj(AnalysisReport::finite).toList());
        List<Map<String, Object>> slices = new ArrayList<>();
        for (int z = 0; z < s.slicePorosity().length; z++) {
            Map<String, Object> sl = new LinkedHashMap<>();
            sl.put("slice", z);
            sl.put("porosity", s.slicePorosity()[z]);
            sl.put("porosity_interval", new double[] {s.sliceLow()[z], s.sliceHigh()[z]});
            slices.add(sl);
        }
        m.put("per_slice", slices);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Variant v : res.all()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", v.name());
            row.put("mask", v.mask().toString());
            row.put("porosity", v.measures().porosity());
            row.put("pore_volume", v.measures().poreVolume());
            row.put("surface_area", v.measures().surfaceArea());
            row.put("specific_surface_area", finite(v.measures().specificSurfaceArea()));
            if (v.evaluation() != null) {
                row.put("f1", v.evaluation().total().f1());
                row.put("accuracy", v.evaluation().total().accuracy());
                row.put("iou", v.evaluation().total().iou());
            }
            rows.add(row);
        }
        m.put("segmentations", rows);
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** The measures of each segmentation, without a porosity interval. */
    static Table measuresTable(List<Variant> all, DisplayUnit du) {
        return measuresTable(all, du, null, null);
    }

    /** As {@link #measuresTable(List, DisplayUnit)}, with the interval of {@code cnn} (both may be null). */
    static Table measuresTable(List<Variant> all, DisplayUnit du, StackSegmentation.Result cnnResult, Variant cnn) {
        String u = du.name();
        Table t = new Table("measures", "3D measures of each segmentation (Fig. 7b), in " + u + "; the CNN's porosity interval is "
                + "its model uncertainty.", "segmentation", "porosity (%)", "interval (%)", "pore volume (" + u + "\u00b3)",
                "surface area (" + u + "\u00b2)", "specific surface (1/" + u + ")", "components (26)", "mean pore diameter (" + u + ")",
                "F1", "porosity error (points)")
                .format("porosity (%)", "%.3f").format("pore volume (" + u + "\u00b3)", "%.4g")
                .format("surface area (" + u + "\u00b2)", "%.4g").format("specific surface (1/" + u + ")", "%.4g")
                .format("mean pore diameter (" + u + ")", "%.4g").format("F1", "%.4f").format("porosity error (points)", "%+.3f");
        double[] iv = cnnResult == null ? null : cnnResult.interval();
        for (Variant v : all) {
            MeasureResult m = v.measures();
            Evaluation e = v.evaluation();
            Object[] row = {v.name(), 100 * m.porosity(), v == cnn && iv != null ? String.format(Locale.ROOT, "%.3f-%.3f", 100 * iv[0], 100 * iv[1]) : null,
                du.volume(m.poreVolume()), du.area(m.surfaceArea()), du.inverse(m.specificSurfaceArea()), m.components26(),
                Double.isNaN(m.meanPoreDiameter()) ? null : du.length(m.meanPoreDiameter()), e == null ? null : e.total().f1(),
                e == null ? null : 100 * e.total().porosityError()};
            if (e == null && v.name().equals("ground truth")) {
                t.emphasisedRow(row);
            } else {
                t.row(row);
            }
        }
        return t;
    }

    private static BufferedImage profilePlot(List<Variant> all, StackSegmentation.Result cnn, String cnnName) {
        Plot p = new Plot("Porosity per slice").x("slice", null).y("porosity", "%");
        int n = cnn.slicePorosity().length;
        double[] bx = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        for (int i = 0; i < n; i++) {
            bx[i] = i + 1;
            lo[i] = 100 * cnn.sliceLow()[i];
            hi[i] = 100 * cnn.sliceHigh()[i];
        }
        int k = 0;
        List<Variant> ordered = new ArrayList<>(all);
        for (Variant v : ordered) {
            double[] prof = v.measures().porosityProfile();
            double[] x = new double[prof.length];
            double[] y = new double[prof.length];
            for (int i = 0; i < prof.length; i++) {
                x[i] = i + 1;
                y[i] = 100 * prof[i];
            }
            Plot.Style style = v.name().equals("ground truth") ? Plot.Style.of(6) : Plot.Style.of(k++);
            if (v.name().equals(cnnName)) {
                Color c = style.color();
                p.band(cnnName + " interval", bx, lo, hi, new Color(c.getRed(), c.getGreen(), c.getBlue(), 110));
            }
            p.series(v.name(), x, y, style);
        }
        return p.render(900, 380);
    }

    private static BufferedImage overlayMontage(Volume image, Volume mask, Volume unc, Volume roi, int[] slices) throws IOException {
        List<String> cols = new ArrayList<>(List.of("input", "CNN pores", "uncertainty"));
        if (roi != null) {
            cols.add("region of interest");
        }
        Montage mt = new Montage(cols.toArray(new String[0]));
        int w = image.info().width();
        int h = image.info().height();
        for (int z : slices) {
            float[] g = image.slice(z);
            List<Tile> row = new ArrayList<>();
            row.add(Tile.grey(g, w, h));
            row.add(Tile.overlay(g, mask.slice(z), w, h, Tile.FALSE_POSITIVE));
            row.add(Tile.uncertainty(g, unc.slice(z), w, h));
            if (roi != null) {
                row.add(Tile.overlay(g, roi.slice(z), w, h, Tile.FALSE_NEGATIVE));
            }
            mt.row("slice " + (z + 1), row);
        }
        Calibration c = image.info().calibration();
        return mt.scaleBar(c.x(), c.unit()).legend("pore", Tile.FALSE_POSITIVE).legend("uncertain", Tile.UNCERTAIN).render(220);
    }

    private static BufferedImage masksMontage(Volume image, Map<String, Volume> segs, int[] slices) throws IOException {
        List<String> cols = new ArrayList<>();
        cols.add("input");
        cols.addAll(segs.keySet());
        Montage mt = new Montage(cols.toArray(new String[0]));
        int w = image.info().width();
        int h = image.info().height();
        for (int z : slices) {
            List<Tile> row = new ArrayList<>();
            row.add(Tile.grey(image.slice(z), w, h));
            for (Volume s : segs.values()) {
                row.add(Tile.mask(s.slice(z), w, h));
            }
            mt.row("slice " + (z + 1), row);
        }
        return mt.scaleBar(image.info().calibration().x(), image.info().calibration().unit()).render(220);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** How the slices were scaled for the network: the scale selection's choice and what it was chosen from, or the model's fixed scales. */
    static String inputScale(Analysis.Result res) {
        poreseg.net.Segmenter.ScaleChoice c = res.cnn().scale();
        if (c != null) {
            StringBuilder p = new StringBuilder();
            for (int i = 0; i < c.factors().length; i++) {
                p.append(i == 0 ? "" : ", ").append(poreseg.net.Segmenter.scaleLabel(c.factors()[i])).append(": ")
                        .append(Double.isNaN(c.porosity()[i]) ? "n/a" : String.format(java.util.Locale.ROOT, "%.3f", c.porosity()[i]));
            }
            return (c.factor() < 0 ? "enlarged " + -c.factor() + "x" : "reduced " + c.factor() + "x" + (c.factor() == 1 ? " (as they are)" : ""))
                    + ", chosen by scale selection (median porosity per scale "
                    + p + " over " + c.slices().length + (c.slices().length == 1 ? " sample slice" : " sample slices") + "; tolerance " + c.tolerance() + ")";
        }
        List<Number> f = res.model() == null ? null : res.model().inferenceScales;
        return f == null || f.isEmpty() || f.size() == 1 && f.get(0).doubleValue() == 1 ? "1 (the slices as they are)" : "scales " + f + " averaged";
    }

    /** The arithmetic the model ran in: the asked precision resolved for this CPU and the model's architecture. */
    private static String arithmetic(Analysis.Result res) {
        Precision p = res.options().precision();
        return (res.model() == null ? p.resolve() : p.resolveFor(res.model().arch())).label();
    }
}
