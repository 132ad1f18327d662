package poreseg.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import poreseg.net.Segmenter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.net.MaskEncoding;
import poreseg.net.ModelCalibration;
import poreseg.net.PorosityCalibration;
import poreseg.net.Precision;
import poreseg.util.ProgressListener;

/** {@code poreseg calibrate}: a model's decision threshold matched to the porosity of a few labelled slices, without training. */
@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Calibrate a model's porosity on a few labelled slices, without training: the model predicts them as "
                + "'segment' would, and the probability threshold at which each slice's porosity is right is stored in a new model "
                + "directory (its median becomes the threshold every prediction of the new model uses; the spread gives the "
                + "porosity interval). Seconds instead of the minutes of 'train --init'; it moves where the model draws the line, "
                + "not what it sees. The labels must be dense (whole slices or fully labelled regions): the porosity of the "
                + "labelled pixels is what the threshold is matched to.",
                "Writes MODEL_DIR/model.json and params.bin (the weights unchanged). Use it with: poreseg segment STACK OUT.tif --model MODEL_DIR"})
final class CalibrateCommand implements Callable<Integer> {
    @Option(names = "--images", required = true, paramLabel = "PATH", description = "Images: a stack or folder of slices (the whole stack, or only the labelled slices).")
    Path images;

    @Option(names = "--masks", required = true, paramLabel = "PATH",
            description = "Label masks of the same size (two-valued, brighter = pore); slices without labelled pixels are skipped.")
    Path masks;

    @Option(names = "--out", required = true, paramLabel = "MODEL_DIR", description = "Model directory to write (a new folder, or one with --force).")
    Path out;

    @Option(names = "--model", paramLabel = "MODEL_DIR", defaultValue = "default",
            description = "The model to calibrate: a model directory with one network, or 'default' for the bundled U-Net (default: ${DEFAULT-VALUE}).")
    String model;

    @Mixin SharedOptions.MaskLabels maskLabels = new SharedOptions.MaskLabels();

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16|int8|auto",
            description = "Arithmetic of the network while calibrating (default: ${DEFAULT-VALUE}, the reference).")
    String precision;

    @Option(names = "--force", description = "Replace a model already in MODEL_DIR.")
    boolean force;

    @Option(names = "--json", description = "Print the calibration as JSON on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        maskLabels.check();
        Precision pr = Precision.parse(precision).resolve();
        ModelCalibration.checkWritable(model, out, force);
        ModelCalibration.Result r;
        long slicePixels;
        try (Volume img = Volumes.open(images); Volume msk = Volumes.open(masks)) {
            slicePixels = img.info().sliceSize();
            MaskEncoding enc = MaskEncoding.detect(msk, maskLabels.poreValue, maskLabels.unlabelled);
            ProgressListener bar = json ? ProgressListener.NONE : new ConsoleProgress("calibrating");
            r = ModelCalibration.calibrate(model, img, msk, enc, pr, bar);
        }
        ModelCalibration.write(r, out, force);
        List<String> warnings = new ArrayList<>();
        if (r.extreme()) {
            warnings.add(String.format(Locale.ROOT, "the threshold that matches the labels is %s: the model hardly separates these pores from the solid; "
                    + "fine-tune it instead (train --init %s)", PorosityCalibration.formatThreshold(r.medianThreshold()), model));
        }
        List<ModelCalibration.SliceResult> unmatched = r.unmatched();
        if (!unmatched.isEmpty()) {
            ModelCalibration.SliceResult u = unmatched.get(0);
            String which = unmatched.size() == 1 ? String.format(Locale.ROOT, "slice %d its labelled porosity %.4f (the closest is %.4f)",
                    u.slice() + 1, u.truePorosity(), u.porosityAtThreshold())
                    : String.format(Locale.ROOT, "slices %s their labelled porosity (slice %d: %.4f, the closest %.4f)",
                            String.join(", ", unmatched.stream().map(x -> Integer.toString(x.slice() + 1)).toList()), u.slice() + 1, u.truePorosity(),
                            u.porosityAtThreshold());
            boolean over = u.porosityAtThreshold() > u.truePorosity();
            warnings.add(String.format(Locale.ROOT, "no threshold gives labelled %s: the model is certain (probability %s) of more %s than the labels have, "
                    + "which a threshold cannot undo; fine-tune it instead (train --init %s)", which, over ? "1" : "0", over ? "pores" : "solid", model));
        }
        if (!r.flatSlices().isEmpty()) {
            warnings.add("labelled slice" + (r.flatSlices().size() == 1 ? " " : "s ") + String.join(", ", r.flatSlices().stream().map(z -> Integer.toString(z + 1)).toList())
                    + " of the images " + (r.flatSlices().size() == 1 ? "is" : "are") + " constant (no contrast) and left out");
        }
        if (r.strokes()) {
            warnings.add("the labels look like strokes (no region labelled whole, its pore edges drawn against solid): calibration matches the "
                    + "porosity of the labelled pixels, so it needs dense labels (whole slices or fully labelled regions); strokes painted on "
                    + "pores and solid give the strokes' proportion, not the slice's porosity");
        } else if (r.smallRegions(slicePixels)) {
            warnings.add(String.format(Locale.ROOT, "the calibration rests on small regions labelled whole (less than %.0f %% of each "
                    + "labelled slice): their porosity may not be the slice's; label larger regions or more slices", 100 * ModelCalibration.SPARSE));
        }
        if (r.failsLeaveOneOut()) {
            warnings.add(String.format(Locale.ROOT, "the threshold does not carry from slice to slice: each slice at the others' threshold has a porosity "
                    + "error of %.4f, against %.4f before calibrating; keep the model as it is, label more slices, or fine-tune it (train --init %s)",
                    r.errorLeaveOneOut(), r.errorBefore(), model));
        }
        if (r.slices().size() == 1) {
            warnings.add("one labelled slice: no out-of-sample check of the threshold; label a second slice to see how far it carries");
        }
        if (json) {
            System.out.println(Json.write(toMap(r, warnings)));
            return 0;
        }
        warnings.forEach(w -> System.err.println("poreseg: warning: " + w));
        System.out.printf(Locale.ROOT, "calibrated %s on %d labelled slice%s of %s%s%n", model, r.slices().size(), r.slices().size() == 1 ? "" : "s", images,
                r.scale() == null ? "" : " (the stack runs at scale " + Segmenter.scaleLabel(r.scale()) + (r.scale() < 0 ? ", enlarged " + -r.scale() + "x" : "") + ")");
        System.out.println(" slice  labelled px  true porosity  before  threshold  leave-one-out");
        for (ModelCalibration.SliceResult s : r.slices()) {
            System.out.printf(Locale.ROOT, "%6d  %11d  %13.4f  %6.4f  %9s  %13s%n", s.slice() + 1, s.labelled(), s.truePorosity(), s.porosityBefore(),
                    PorosityCalibration.formatThreshold(s.threshold()), Double.isNaN(s.porosityLeaveOneOut()) ? "-" : String.format(Locale.ROOT, "%.4f", s.porosityLeaveOneOut()));
        }
        System.out.printf(Locale.ROOT, "median threshold %s (logit shift %+.2f); mean porosity error on these slices: before %.4f, leave-one-out %s%n",
                PorosityCalibration.formatThreshold(r.medianThreshold()), -r.bias(), r.errorBefore(),
                Double.isNaN(r.errorLeaveOneOut()) ? "- (one slice)" : String.format(Locale.ROOT, "%.4f", r.errorLeaveOneOut()));
        System.out.printf(Locale.ROOT, "model -> %s (use: poreseg segment STACK OUT.tif --model %s)%n", out, out);
        return 0;
    }

    private Map<String, Object> toMap(ModelCalibration.Result r, List<String> warnings) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", out.toString());
        m.put("from", model);
        m.put("images", images.toString());
        m.put("masks", masks.toString());
        m.put("scale", r.scale() == null ? null : Segmenter.scaleValue(r.scale()));
        m.put("median_threshold", r.medianThreshold());
        m.put("logit_shift", -r.bias());
        m.put("porosity_error_before", r.errorBefore());
        m.put("porosity_error_leave_one_out", Double.isNaN(r.errorLeaveOneOut()) ? null : r.errorLeaveOneOut());
        List<Map<String, Object>> slices = new ArrayList<>();
        for (ModelCalibration.SliceResult s : r.slices()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("slice", s.slice() + 1);
            e.put("labelled_pixels", s.labelled());
            e.put("porosity_truth", s.truePorosity());
            e.put("porosity_before", s.porosityBefore());
            e.put("threshold", s.threshold());
            e.put("porosity_at_threshold", s.porosityAtThreshold());
            e.put("porosity_leave_one_out", Double.isNaN(s.porosityLeaveOneOut()) ? null : s.porosityLeaveOneOut());
            slices.add(e);
        }
        m.put("slices", slices);
        m.put("warnings", warnings);
        return m;
    }
}
