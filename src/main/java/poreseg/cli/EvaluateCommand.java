package poreseg.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import poreseg.io.NonFinite;
import poreseg.io.OutputFiles;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.metrics.Evaluation;
import poreseg.metrics.Grids;
import poreseg.metrics.Scores;
import poreseg.metrics.Spread;
import poreseg.report.EvaluationReport;
import poreseg.report.HtmlReport;
import poreseg.util.ProgressListener;

/** {@code poreseg evaluate}: scores a predicted pore mask against the ground truth. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score a predicted pore mask against a ground-truth mask: confusion counts, accuracy, precision, "
                + "recall, F1, IoU of the pore class, MSE, porosity of each and the porosity error, for the whole "
                + "volume and slice by slice.",
                "Masks may use any two values (0/255, 0/1, ...); the brighter value is pore unless --pore-value is given."})
public final class EvaluateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PRED", description = "Predicted mask (stack, image or folder of slices).")
    Path pred;

    @Parameters(index = "1", paramLabel = "TRUTH", description = "Ground-truth mask, same size.")
    Path truth;

    @Option(names = "--prob", paramLabel = "PROB", description = "Probability of pore per voxel (32-bit in [0, 1], or 8/16-bit scaled to full range): MSE is taken on it instead of the binary mask.")
    Path prob;

    @Option(names = "--roi", paramLabel = "MASK", description = "Region of interest (two-valued, brighter = inside), e.g. the particle: only voxels inside are scored and porosity is relative to it.")
    Path roi;

    @Option(names = "--pore-value", paramLabel = "V", description = "Value meaning pore in PRED and TRUTH (default: the brighter of the two values).")
    Float poreValue;

    @Option(names = "--json", arity = "0..1", paramLabel = "OUT", fallbackValue = "-",
            description = "Write the results as JSON to OUT, or to standard output when OUT is omitted (then no text is printed).")
    String json;

    @Option(names = "--csv", paramLabel = "OUT.csv", description = "Write the per-slice scores as CSV (slices numbered from 1, as in Fiji).")
    Path csv;

    @Option(names = "--report", paramLabel = "DIR", description = "Write a self-contained HTML report (report.html, report.json, figures/) into DIR.")
    Path report;

    @Option(names = "--image", paramLabel = "STACK", description = "The greyscale input images, shown under the masks in the report's montage.")
    Path image;

    @Mixin SharedOptions.ReplaceFiles overwrite = new SharedOptions.ReplaceFiles();

    @Override
    public Integer call() throws Exception {
        boolean jsonStdout = "-".equals(json);
        Path jsonFile = json == null || jsonStdout ? null : Path.of(json);
        java.util.Map<String, Path> named = new LinkedHashMap<>();
        named.put("--json", jsonFile);
        named.put("--csv", csv);
        named.put("--report", report == null ? null : report.resolve(HtmlReport.HTML));
        OutputFiles.checkDistinct(named);
        for (Path out : new Path[] {jsonFile, csv}) {
            if (out != null) {
                OutputFiles.checkWritable(out, overwrite.force, pred, truth, prob, roi);
            }
        }
        if (report != null) {
            // the folder may exist (and is created when missing); the report in it is replaced only with --force
            OutputFiles.checkWritable(report, true, pred, truth, prob, roi, image);
            if (java.nio.file.Files.exists(report.resolve(HtmlReport.HTML)) && !overwrite.force) {
                throw new UsageException(report.resolve(HtmlReport.HTML) + ": already exists (use --force to replace it)");
            }
        }
        if (image != null && report == null) {
            throw new UsageException("--image is only used with --report");
        }
        Evaluation e;
        try (Volume p = Volumes.open(pred); Volume t = Volumes.open(truth);
                Volume q = prob == null ? null : Volumes.open(prob); Volume r = roi == null ? null : Volumes.open(roi);
                Volume img = image == null ? null : Volumes.open(image)) {
            ProgressListener progress = jsonStdout ? ProgressListener.NONE : new ConsoleProgress("evaluating");
            if (q != null) {
                NonFinite.require(q, progress);
            }
            e = Evaluation.evaluate(p, t, q, r, poreValue, progress);
            if (report != null) {
                Grids.check(t, img, null);
                Map<String, Object> settings = new LinkedHashMap<>();
                settings.put("command", "poreseg evaluate");
                settings.put("predicted", pred.toAbsolutePath().toString());
                settings.put("truth", truth.toAbsolutePath().toString());
                settings.put("probability", prob == null ? "(none)" : prob.toAbsolutePath().toString());
                settings.put("roi", roi == null ? "(none)" : roi.toAbsolutePath().toString());
                settings.put("image", image == null ? "(none)" : image.toAbsolutePath().toString());
                settings.put("pore value", poreValue == null ? "brighter value" : poreValue);
                settings.put("predicted encoding", e.predicted().describe());
                settings.put("truth encoding", e.truth().describe());
                EvaluationReport.build(e, "prediction", img, t, p, settings).write(report);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("predicted", pred.toString());
        m.put("truth", truth.toString());
        m.put("probability", prob == null ? null : prob.toString());
        m.put("roi_file", roi == null ? null : roi.toString());
        m.putAll(e.toMap(true));
        if (csv != null) {
            OutputFiles.writeString(csv, e.slicesCsv());
        }
        if (jsonFile != null) {
            OutputFiles.writeString(jsonFile, Json.write(m) + "\n");
        }
        if (jsonStdout) {
            System.out.println(Json.write(m));
        } else {
            printText(e);
            if (csv != null) {
                System.out.println("per-slice scores: " + csv);
            }
            if (jsonFile != null) {
                System.out.println("JSON:             " + jsonFile);
            }
            if (report != null) {
                System.out.println("report:           " + report.resolve(HtmlReport.HTML));
            }
        }
        return 0;
    }

    private void printText(Evaluation e) {
        Scores s = e.total();
        System.out.printf(Locale.ROOT, "predicted:  %s (%s)%n", pred, e.predicted().describe());
        System.out.printf(Locale.ROOT, "truth:      %s (%s)%n", truth, e.truth().describe());
        System.out.printf(Locale.ROOT, "scored:     %d voxels%s in %d slices%n", s.voxels(),
                e.hasRoi() ? " inside " + roi : "", e.slices().size());
        System.out.printf(Locale.ROOT, "confusion:  TP %d  FP %d  FN %d  TN %d%n", s.tp(), s.fp(), s.fn(), s.tn());
        System.out.printf(Locale.ROOT, "accuracy:   %.6f%n", s.accuracy());
        System.out.printf(Locale.ROOT, "precision:  %.6f%n", s.precision());
        System.out.printf(Locale.ROOT, "recall:     %.6f%n", s.recall());
        System.out.printf(Locale.ROOT, "F1:         %.6f%n", s.f1());
        System.out.printf(Locale.ROOT, "IoU:        %.6f%n", s.iou());
        System.out.printf(Locale.ROOT, "MSE:        %.6f (on the %s)%n", s.mse(),
                e.mseFromProbability() ? "probability map" : "binary masks");
        System.out.printf(Locale.ROOT, "porosity:   predicted %.4f %%, truth %.4f %%, error %+.4f percentage points (%s relative)%n",
                100 * s.predictedPorosity(), 100 * s.truePorosity(), 100 * s.porosityError(),
                Double.isNaN(s.relativePorosityError()) ? "n/a" : String.format(Locale.ROOT, "%+.2f %%", 100 * s.relativePorosityError()));
        Spread pt = e.truePorositySpread();
        Spread pp = e.predictedPorositySpread();
        System.out.printf(Locale.ROOT, "per slice:  porosity truth %.4f +- %.4f %%, predicted %.4f +- %.4f %% (mean +- sd over %d slices)%n",
                100 * pt.mean(), 100 * pt.sd(), 100 * pp.mean(), 100 * pp.sd(), pt.n());
    }
}
