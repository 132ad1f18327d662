package poreseg.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import poreseg.io.OutputFiles;
import poreseg.workflow.Demo;
import poreseg.workflow.DisplayUnit;
import poreseg.workflow.Stages;
import poreseg.workflow.Variant;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The main job on built-in data: generate a synthetic FIB-SEM stack with exact truth, segment it with the "
                + "bundled CNN and with a threshold baseline, measure 3D porosity and surface area of each, score them "
                + "against the truth and write report.html.",
            "With --images, the same on your own stack (no truth: measures and figures only)."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "poreseg-demo", paramLabel = "DIR", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--quick", description = "Small data, about a minute (used by CI).")
    boolean quick;

    @Option(names = "--images", paramLabel = "STACK", description = "Your own stack (TIFF or folder of slices) instead of synthetic data.")
    Path images;

    @Option(names = "--roi", paramLabel = "MASK", description = "Particle mask of --images (255 = inside); see 'poreseg roi'.")
    Path roi;

    @Option(names = "--model", defaultValue = "default", paramLabel = "MODEL_DIR",
            description = "Model folder from 'poreseg train', or 'default' for the bundled U-Net (default).")
    String model;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the synthetic data (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--force", description = "Write into a non-empty output folder.")
    boolean force;

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (roi != null && images == null) {
            throw new IllegalArgumentException("--roi needs --images (the synthetic data brings its own)");
        }
        Stages stages = json ? Stages.NONE : name -> {
            System.err.println("poreseg demo: " + name);
            return new ConsoleProgress("  " + name);
        };
        if (images != null) {
            try (poreseg.io.Volume v = poreseg.io.Volumes.open(images)) {
                poreseg.io.NonFinite.require(v, poreseg.util.ProgressListener.NONE);
            }
        }
        Demo.Options options = new Demo.Options(out, quick, images, roi, model, seed, force);
        OutputFiles.Rollback rollback = OutputFiles.Rollback.of(out);
        Demo.Result r;
        try {
            r = Demo.run(options, stages);
            rollback.commit();
        } catch (Exception | Error e) {
            rollback.undo(); // a failed demo leaves nothing behind that it made
            throw e;
        }
        List<Variant> all = new ArrayList<>();
        if (r.truth() != null) {
            all.add(r.truth());
        }
        all.addAll(r.segmentations());
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("report", r.report().toString());
            m.put("shape", r.info().shape());
            m.put("unit", r.info().calibration().unit());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Variant v : all) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", v.name());
                row.put("mask", v.mask().toString());
                row.put("porosity", v.measures().porosity());
                row.put("pore_volume", v.measures().poreVolume());
                row.put("surface_area", v.measures().surfaceArea());
                if (v.evaluation() != null) {
                    row.put("f1", v.evaluation().total().f1());
                    row.put("accuracy", v.evaluation().total().accuracy());
                    row.put("iou", v.evaluation().total().iou());
                }
                rows.add(row);
            }
            m.put("segmentations", rows);
            m.put("cnn_porosity_interval", r.cnnPorosityInterval());
            m.put("seconds", r.seconds());
            System.out.println(Json.write(m));
            return 0;
        }
        DisplayUnit du = DisplayUnit.of(r.info().calibration().unit());
        String u = du.name().replace("\u00b5", "u"); // plain ASCII on terminals
        System.out.printf(Locale.ROOT, "%n%s stack %s, voxel %s, done in %.0f s%n", r.synth() != null ? "synthetic" : "your",
                r.info().shape(), r.info().calibration(), r.seconds().get("total"));
        System.out.printf(Locale.ROOT, "%-24s %10s %16s %16s %8s %8s%n", "segmentation", "porosity", "pore volume", "surface area", "F1", "IoU");
        System.out.printf(Locale.ROOT, "%-24s %10s %16s %16s %8s %8s%n", "", "%", u + "^3", u + "^2", "", "");
        for (Variant v : all) {
            var e = v.evaluation();
            System.out.printf(Locale.ROOT, "%-24s %10.3f %16.4g %16.4g %8s %8s%n", v.name(), 100 * v.measures().porosity(),
                    du.volume(v.measures().poreVolume()), du.area(v.measures().surfaceArea()),
                    e == null ? "-" : String.format(Locale.ROOT, "%.4f", e.total().f1()),
                    e == null ? "-" : String.format(Locale.ROOT, "%.4f", e.total().iou()));
        }
        double[] iv = r.cnnPorosityInterval();
        System.out.printf(Locale.ROOT, "CNN porosity interval: %.3f - %.3f %% (model uncertainty)%n", 100 * iv[0], 100 * iv[1]);
        System.out.println("report: " + r.report().toAbsolutePath());
        return 0;
    }
}
