package poreseg.workflow;

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
import poreseg.morpho.SurfaceRenderer;
import poreseg.report.EvaluationReport;
import poreseg.report.HtmlReport;
import poreseg.report.Montage;
import poreseg.report.Plot;
import poreseg.report.Quantity;
import poreseg.report.Table;
import poreseg.report.Tile;
import poreseg.synth.SynthParams;

/** Builds the demo's report.html / report.json from the measured variants. */
final class DemoReport {
    private DemoReport() {
    }

    static Path write(Demo.Options o, Volume image, Volume truth, Volume roi, Variant truthVariant, List<Variant> segs,
            double threshold, SynthParams synth, double[] interval, Stages stages) throws IOException {
        Variant cnn = segs.get(segs.size() - 1);
        MeasureResult m = cnn.measures();
        Calibration cal = image.info().calibration();
        DisplayUnit du = DisplayUnit.of(cal.unit());
        String u = du.name();
        HtmlReport r = new HtmlReport(synth != null ? "poreseg demo: synthetic NCM cathode FIB-SEM stack"
                : "poreseg: " + Path.of(image.source()).getFileName());
        r.subtitle(String.format(Locale.ROOT, "%s, %s voxels of %s; %s; baseline: global Otsu threshold after %s",
                image.source(), image.info().shape(), cal, cnn.name(), Demo.THRESHOLD_PREPROCESSING));

        double sd = Spread.of(m.porosityProfile()).sd();
        r.headline(Quantity.of("porosity", "Porosity (CNN)", 100 * m.porosity(), "%")
                .withSpread(100 * sd, "sd across " + m.porosityProfile().length + " slices")
                .withDetail(String.format(Locale.ROOT, "interval %.2f-%.2f %% (model uncertainty, see docs/net.md); ", 100 * interval[0], 100 * interval[1])
                        + (truthVariant != null ? String.format(Locale.ROOT, "ground truth %.2f %%", 100 * truthVariant.measures().porosity())
                        : "no ground truth for this stack")));
        r.headline(Quantity.of("pore_volume", "Pore volume", du.volume(m.poreVolume()), u + "\u00b3"));
        r.headline(Quantity.of("surface_area", "Pore surface area", du.area(m.surfaceArea()), u + "\u00b2")
                .withDetail("Crofton estimate; marching cubes " + fmt(du.area(m.surfaceAreaMarchingCubes()))));
        r.headline(Quantity.of("specific_surface_area", "Specific surface area", du.inverse(m.specificSurfaceArea()), "1/" + u));

        List<Variant> all = new ArrayList<>();
        if (truthVariant != null) {
            all.add(truthVariant);
        }
        all.addAll(segs);
        r.summary(measuresTable(all, du));

        Map<String, Evaluation> evals = new LinkedHashMap<>();
        for (Variant v : segs) {
            if (v.evaluation() != null) {
                evals.put(v.name(), v.evaluation());
            }
        }
        if (!evals.isEmpty()) {
            r.section("Pixel scores against the ground truth (Table 2)");
            r.table(EvaluationReport.scoresTable("scores", "Scores of the pore class over all voxels"
                    + (roi != null ? " inside the particle" : "") + "; MSE of the CNN on its probabilities.", evals));
        }

        r.section("Slices (Fig. 6)");
        int[] slices = EvaluationReport.evenSlices(image.info().depth(), 3);
        Map<String, Volume> open = new LinkedHashMap<>();
        try {
            for (Variant v : segs) {
                open.put(v.name(), Volumes.open(v.mask()));
            }
            BufferedImage montage = truth != null ? EvaluationReport.montage(image, truth, open, slices, 220)
                    : montageWithoutTruth(image, open, slices);
            r.figure("fig6_montage", montage, "Input slices, " + (truth != null ? "ground truth, " : "")
                    + "and each segmentation (white = pore)" + (truth != null ? "; the last column shows the CNN's errors." : "."));
        } finally {
            for (Volume v : open.values()) {
                v.close();
            }
        }

        r.figure("porosity_profile", profilePlot(all), "Porosity of each slice for each segmentation.");

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

        r.setting("threshold_preprocessing", Demo.THRESHOLD_PREPROCESSING);
        r.setting("otsu_threshold", threshold);
        r.setting("model", o.model());
        r.setting("quick", o.quick());
        if (synth != null) {
            r.setting("synthetic", synth.toString());
        }
        for (Variant v : all) {
            r.setting("mask: " + v.name(), o.out().relativize(v.mask()).toString());
        }
        r.settings(Map.of("check_by_hand", "poreseg measure " + o.out().relativize(cnn.mask())
                + (roi != null ? " --roi " + Path.of(roi.source()).getFileName() : "") + " --json m.json ; poreseg evaluate "
                + o.out().relativize(cnn.mask()) + (truthVariant != null ? " " + o.out().relativize(truthVariant.mask()) : " TRUTH")));
        r.write(o.out());
        return o.out().resolve(HtmlReport.HTML);
    }

    static Table measuresTable(List<Variant> all, DisplayUnit du) {
        String u = du.name();
        Table t = new Table("measures", "3D measures of each segmentation (Fig. 7b), in " + u + ".", "segmentation",
                "porosity (%)", "pore volume (" + u + "\u00b3)", "surface area (" + u + "\u00b2)",
                "specific surface (1/" + u + ")", "components (26)", "mean pore diameter (" + u + ")", "F1", "porosity error (points)")
                .format("porosity (%)", "%.3f").format("pore volume (" + u + "\u00b3)", "%.4g")
                .format("surface area (" + u + "\u00b2)", "%.4g").format("specific surface (1/" + u + ")", "%.4g")
                .format("mean pore diameter (" + u + ")", "%.4g").format("F1", "%.4f").format("porosity error (points)", "%+.3f");
        for (Variant v : all) {
            MeasureResult m = v.measures();
            Evaluation e = v.evaluation();
            Object[] row = {v.name(), 100 * m.porosity(), du.volume(m.poreVolume()), du.area(m.surfaceArea()),
                du.inverse(m.specificSurfaceArea()), m.components26(),
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

    private static BufferedImage profilePlot(List<Variant> all) {
        Plot p = new Plot("Porosity per slice").x("slice", null).y("porosity", "%");
        int k = 0;
        for (Variant v : all) {
            double[] prof = v.measures().porosityProfile();
            double[] x = new double[prof.length];
            double[] y = new double[prof.length];
            for (int i = 0; i < prof.length; i++) {
                x[i] = i + 1;
                y[i] = 100 * prof[i];
            }
            p.series(v.name(), x, y, v.name().equals("ground truth") ? Plot.Style.of(6) : Plot.Style.of(k++));
        }
        return p.render(900, 380);
    }

    private static BufferedImage montageWithoutTruth(Volume image, Map<String, Volume> segs, int[] slices) throws IOException {
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
}
