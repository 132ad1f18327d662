package poreseg.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import poreseg.net.PorosityCalibration;
import poreseg.workflow.Analysis;
import poreseg.workflow.DisplayUnit;
import poreseg.workflow.Stages;
import poreseg.workflow.Variant;

/** What {@code analyze} and {@code demo} print: progress per stage on stderr, then a summary table or JSON on stdout. */
final class AnalysisOutput {
    private AnalysisOutput() {
    }

    /** A stage line and a progress bar on stderr for each stage, nothing under --json. */
    static Stages stages(String command, boolean json) {
        return json ? Stages.NONE : name -> {
            System.err.println("poreseg " + command + ": " + name);
            return new ConsoleProgress("  " + name);
        };
    }

    /** Warnings go to stderr, also under --json (stdout stays clean JSON). */
    static void warn(String command, String text) {
        System.err.println("poreseg " + command + ": warning: " + text);
    }

    static void print(Analysis.Result r, boolean json) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("report", r.report().toString());
            m.put("out", r.options().out().toString());
            m.put("stack", r.options().stack() == null ? null : r.options().stack().toString());
            m.put("shape", r.info().shape());
            m.putAll(r.results());
            m.put("cnn_porosity_interval", r.cnnPorosityInterval());
            m.put("cnn_porosity_interval_calibrated", r.intervalCalibrated());
            m.put("warnings", r.warnings());
            m.put("seconds", r.seconds());
            System.out.println(Json.write(m));
            return;
        }
        DisplayUnit du = DisplayUnit.of(r.info().calibration().unit());
        String u = du.name().replace("\u00b5", "u"); // plain ASCII on terminals
        boolean scores = r.truth() != null;
        String what = r.synth() != null ? "synthetic stack" : "stack " + r.options().stack().getFileName();
        System.out.printf(Locale.ROOT, "%n%s %s, voxel %s, %s, done in %.0f s%n", what, r.info().shape(), r.info().calibration(),
                r.roi() == null ? "whole stack" : "inside the ROI " + r.roi().getFileName(), r.seconds().get("total"));
        String head = "%-24s %10s %15s %14s %14s";
        System.out.printf(Locale.ROOT, head + (scores ? " %8s %8s" : "") + "%n", row("segmentation", "porosity", "interval",
                "pore volume", "surface area", "F1", "IoU"));
        System.out.printf(Locale.ROOT, head + (scores ? " %8s %8s" : "") + "%n", row("", "%", "%", u + "^3", u + "^2", "", ""));
        Variant cnn = r.cnnVariant();
        double[] iv = r.cnnPorosityInterval();
        for (Variant v : r.all()) {
            var e = v.evaluation();
            String interval = v == cnn ? String.format(Locale.ROOT, "%.3f-%.3f", 100 * iv[0], 100 * iv[1]) : "-";
            System.out.printf(Locale.ROOT, "%-24s %10.3f %15s %14.4g %14.4g", v.name(), 100 * v.measures().porosity(), interval,
                    du.volume(v.measures().poreVolume()), du.area(v.measures().surfaceArea()));
            if (scores) {
                System.out.printf(Locale.ROOT, " %8s %8s", e == null ? "-" : String.format(Locale.ROOT, "%.4f", e.total().f1()),
                        e == null ? "-" : String.format(Locale.ROOT, "%.4f", e.total().iou()));
            }
            System.out.println();
        }
        System.out.printf(Locale.ROOT, "specific surface area %.4g 1/%s; porosity interval: %s (%d model%s)%n",
                du.inverse(cnn.measures().specificSurfaceArea()), u, PorosityCalibration.intervalKind(r.intervalCalibrated()), r.members(),
                r.members() == 1 ? "" : "s averaged");
        if (r.cnn().scale() != null && r.cnn().scale().factor() != 1) {
            // the network did not see the slices as they are: say so where the numbers are
            System.out.println("CNN input: " + r.inputScale());
        }
        System.out.println("report: " + r.report().toAbsolutePath());
    }

    private static Object[] row(Object... cells) {
        return cells;
    }
}
