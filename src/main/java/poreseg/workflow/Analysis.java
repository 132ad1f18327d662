package poreseg.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import poreseg.io.Calibration;
import poreseg.io.DataException;
import poreseg.io.NonFinite;
import poreseg.io.OutputFiles;
import poreseg.io.StackInfo;
import poreseg.io.Views;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.net.ModelInfo;
import poreseg.net.ModelStore;
import poreseg.net.Precision;
import poreseg.net.Network;
import poreseg.net.Segmenter;
import poreseg.net.StackSegmentation;
import poreseg.synth.SynthParams;
import poreseg.util.ParameterException;

/**
 * The main job, from a raw stack to numbers and a report ({@code poreseg analyze}, and {@code poreseg
 * demo} on synthetic data with truth): region of interest (none, a given mask, or the particle mask
 * computed from the stack) -> optional threshold baseline -> CNN segmentation with the model's own
 * preprocessing, the members of a k-fold model averaged, mask, probability and uncertainty written in
 * one pass -> 3D measures of each segmentation -> scores against the truth where there is one ->
 * report.html and report.json. Every intermediate stack is written to the output folder, so each
 * number of the report can be checked by hand with {@code poreseg measure} and {@code poreseg evaluate}.
 * A run that fails removes what it added to the output folder.
 */
public final class Analysis {
    /** Preprocessing of the threshold baseline: the paper's destriping and Gaussian denoising. */
    public static final String THRESHOLD_PREPROCESSING = "destripe,gaussian=1.5";

    /** Output file names, relative to the output folder. */
    public static final String CNN = "cnn.tif";
    public static final String PROBABILITY = "cnn_probability.tif";
    public static final String UNCERTAINTY = "cnn_uncertainty.tif";
    public static final String THRESHOLD = "threshold.tif";
    public static final String ROI = "roi.tif";

    /** Where the region of interest comes from. */
    public enum RoiKind { NONE, AUTO, FILE }

    /**
     * @param kind none (the whole stack), auto (the particle mask of {@code morpho.ParticleRoi}, written
     *             to roi.tif) or a file (non-zero = inside, same shape as the stack)
     */
    public record Roi(RoiKind kind, Path mask) {
        public static final Roi NONE = new Roi(RoiKind.NONE, null);
        public static final Roi AUTO = new Roi(RoiKind.AUTO, null);

        public Roi {
            if ((kind == RoiKind.FILE) != (mask != null)) {
                throw new ParameterException("an ROI file goes with kind FILE only");
            }
        }

        /** Parses {@code auto}, {@code none} or a mask path. */
        public static Roi parse(String text) {
            if (text == null || text.equals("none")) {
                return NONE;
            }
            return text.equals("auto") ? AUTO : new Roi(RoiKind.FILE, Path.of(text));
        }

        @Override
        public String toString() {
            return kind == RoiKind.FILE ? mask.toString() : kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param stack     the user's stack, or null for synthetic data made from {@code synth}
     * @param synth     parameters of the synthetic stack (with truth); used when {@code stack} is null
     * @param out       output folder (created; must be empty or absent unless force)
     * @param model     "default" (bundled) or a model folder
     * @param fold      one fold of a k-fold model, or null for the mean of all members
     * @param threshold a pixel is pore where its probability is above this, in (0, 1)
     * @param roi       region of interest; the synthetic data of a particle brings its own
     * @param voxel     "X,Y,Z" or one number overriding the stack's voxel size, or null
     * @param unit      unit overriding the stack's, or null
     * @param baseline  also segment with the paper's global Otsu threshold, for comparison
     * @param quick     skip the slow distance measures (pore sizes) and render small figures
     * @param force     allow writing into a non-empty output folder
     * @param precision arithmetic of the network (FP32 unless asked; AUTO is resolved when the model loads)
     */
    public record Options(Path stack, SynthParams synth, Path out, String model, Integer fold, double threshold, Roi roi,
            String voxel, String unit, boolean baseline, boolean quick, boolean force, Precision precision) {
        /** Options in fp32. */
        public Options(Path stack, SynthParams synth, Path out, String model, Integer fold, double threshold, Roi roi,
                String voxel, String unit, boolean baseline, boolean quick, boolean force) {
            this(stack, synth, out, model, fold, threshold, roi, voxel, unit, baseline, quick, force, Precision.FP32);
        }

        public Options {
            precision = precision == null ? Precision.FP32 : precision;
            if ((stack == null) == (synth == null)) {
                throw new ParameterException("give either a stack or synthetic parameters");
            }
            if (out == null) {
                throw new ParameterException("no output folder ({out} DIR)");
            }
            if (!(threshold > 0 && threshold < 1)) {
                throw new ParameterException("{threshold} must be in (0, 1), got " + threshold);
            }
            if (fold != null && fold < 0) {
                throw new ParameterException("{fold} must be 0 or more, got " + fold);
            }
            roi = roi == null ? Roi.NONE : roi;
            if (stack == null && roi.kind() != RoiKind.NONE) {
                throw new ParameterException("{roi} needs a stack of your own (the synthetic data brings its own)");
            }
            if (unit != null) {
                unit = Calibration.lengthUnit(unit);
            }
            if (voxel != null) {
                Calibration.parseVoxel(voxel, "pixel"); // a usage error before any file is read
            }
        }

        /** Options for a user's stack with the defaults of {@code poreseg analyze}. */
        public static Options of(Path stack, Path out) {
            return new Options(stack, null, out, ModelStore.DEFAULT, null, 0.5, Roi.NONE, null, null, false, false, false);
        }

        public Options withRoi(Roi r) {
            return new Options(stack, synth, out, model, fold, threshold, r, voxel, unit, baseline, quick, force, precision);
        }

        public Options withVoxel(String v, String u) {
            return new Options(stack, synth, out, model, fold, threshold, roi, v, u, baseline, quick, force, precision);
        }

        public Options withModel(String m, Integer f) {
            return new Options(stack, synth, out, m, f, threshold, roi, voxel, unit, baseline, quick, force, precision);
        }

        public Options withFlags(boolean withBaseline, boolean isQuick, boolean isForce) {
            return new Options(stack, synth, out, model, fold, threshold, roi, voxel, unit, withBaseline, isQuick, isForce, precision);
        }

        public Options withPrecision(Precision p) {
            return new Options(stack, synth, out, model, fold, threshold, roi, voxel, unit, baseline, quick, force, p);
        }
    }

    /**
     * What the run produced.
     *
     * @param truth         the ground truth's measures (synthetic data), or null
     * @param segmentations the threshold baseline (when asked) and the CNN, last
     * @param otsu          the baseline's threshold, NaN without baseline
     * @param cnn           porosity and interval of the CNN, per slice and for the stack, inside the ROI
     * @param roi           the ROI file used (written roi.tif, the given mask, or the synthetic particle), or null
     * @param calibrated    whether the numbers are in a physical unit (the stack had a voxel size, or one was given)
     * @param intervalCalibrated whether the CNN's porosity interval is calibrated on labelled slices
     *                      ({@link poreseg.net.PorosityCalibration#calibrated(List)}), else the model's own uncertainty
     */
    public record Result(Options options, Path report, Path dataDir, StackInfo info, boolean calibrated, Variant truth,
            List<Variant> segmentations, double otsu, StackSegmentation.Result cnn, Path roi, ModelInfo model, int members,
            boolean intervalCalibrated, Map<String, Double> seconds, List<String> warnings) {
        public Variant cnnVariant() {
            return segmentations.get(segmentations.size() - 1);
        }

        /** How the slices were scaled for the network (the report's "model: input scale"). */
        public String inputScale() {
            return AnalysisReport.inputScale(this);
        }

        /** Truth (if any), then each segmentation. */
        public List<Variant> all() {
            List<Variant> a = new ArrayList<>();
            if (truth != null) {
                a.add(truth);
            }
            a.addAll(segmentations);
            return a;
        }

        /** The CNN's porosity, interval, measures and per-slice values (report.json {@code results}, {@code analyze --json}). */
        public Map<String, Object> results() {
            return AnalysisReport.results(this);
        }

        public double[] cnnPorosityInterval() {
            return cnn.interval();
        }

        public SynthParams synth() {
            return options.synth();
        }
    }

    private Analysis() {
    }

    /** Runs without reporting warnings. */
    public static Result run(Options o, Stages stages) throws IOException {
        return run(o, stages, w -> { });
    }

    /**
     * Runs the analysis. Inputs and options are checked before the output folder is touched; a run
     * that fails (or is interrupted) removes what it added to it.
     *
     * @param warn receives warnings as they arise (e.g. a stack without voxel size)
     */
    public static Result run(Options o, Stages stages, Consumer<String> warn) throws IOException {
        return run(o, stages, warn, null);
    }

    /**
     * The CNN's predictions of every slice, made elsewhere with the model of {@link Options#model()} and
     * the same threshold (poreseg-spark: on its executors); {@link #run(Options, Stages, Consumer, Predictions)}
     * replays them instead of loading the model, so everything after inference is this class's code.
     */
    public interface Predictions extends StackSegmentation.SlicePredictor {
        /** How many member networks were averaged. */
        int members();
    }

    /**
     * As {@link #run(Options, Stages, Consumer)}, with the CNN's slice predictions taken from
     * {@code predictions} (null: computed here by the model).
     */
    public static Result run(Options o, Stages stages, Consumer<String> warn, Predictions predictions) throws IOException {
        List<String> warnings = new ArrayList<>();
        Consumer<String> w = s -> {
            warnings.add(s);
            warn.accept(s);
        };
        Path roiFile = o.roi().kind() == RoiKind.FILE ? o.roi().mask() : null;
        if (o.stack() != null) {
            checkInputs(o, roiFile);
        }
        ModelInfo modelInfo = ModelStore.info(o.model());
        OutputFiles.prepareFolder(o.out(), o.force(), o.stack(), roiFile);
        OutputFiles.Rollback rollback = OutputFiles.Rollback.of(o.out());
        try {
            Result r = runIn(o, stages, w, modelInfo, warnings, predictions);
            rollback.commit();
            return r;
        } catch (IOException | RuntimeException | Error e) {
            rollback.undo();
            throw e;
        }
    }

    /** Checks the stack and the ROI file before anything is written: readable, same shape, finite. */
    private static void checkInputs(Options o, Path roiFile) throws IOException {
        if (!Files.exists(o.stack())) {
            throw new DataException(o.stack() + ": stack not found");
        }
        try (Volume v = Volumes.open(o.stack())) {
            if (roiFile != null) {
                if (!Files.exists(roiFile)) {
                    throw new DataException(roiFile + ": ROI mask not found");
                }
                try (Volume r = Volumes.open(roiFile)) {
                    if (!r.info().sameShape(v.info())) {
                        throw new DataException(roiFile + ": ROI is " + r.info().shape() + " but the stack is " + v.info().shape());
                    }
                }
            }
            calibration(v.info().calibration(), o.voxel(), o.unit());
        }
    }

    /**
     * The voxel size used: the file's, or {@code voxel} ("X,Y,Z" or one number) in {@code unit} (or the
     * file's unit), or the file's numbers in {@code unit}. A voxel size without any unit is refused.
     */
    public static Calibration calibration(Calibration file, String voxel, String unit) {
        if (voxel != null && (unit != null ? unit : file.unit()).equals("pixel")) {
            throw new ParameterException("{voxel} needs {unit}: the stack has no unit of length");
        }
        return file.overriddenBy(voxel, unit);
    }

    private static Result runIn(Options o, Stages stages, Consumer<String> warn, ModelInfo modelInfo, List<String> warnings,
            Predictions predictions) throws IOException {
        Map<String, Double> seconds = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        AnalysisSteps.Inputs in = AnalysisSteps.inputs(o, stages);
        Path roiPath = in.roi();
        seconds.put("data", lap(t0));

        try (Volume opened = Volumes.open(in.image())) {
            Calibration file = opened.info().calibration();
            Calibration cal = calibration(file, o.voxel(), o.unit());
            boolean calibrated = !cal.unit().equals("pixel");
            if (!calibrated) {
                warn.accept(in.image() + " has no voxel size: lengths, areas and volumes are in pixels (give the voxel size and its unit)");
            }
            Volume image = cal.equals(file) ? opened : Views.describedAs(opened, opened.info().withCalibration(cal));
            StackInfo info = image.info();

            long t = System.nanoTime();
            boolean readsBeforeCnn = o.baseline() || o.roi().kind() == RoiKind.AUTO;
            if (o.stack() != null && readsBeforeCnn) {
                NonFinite.require(image, stages.stage("checking the stack"));
            }
            if (o.roi().kind() == RoiKind.AUTO) {
                roiPath = AnalysisSteps.particleRoi(o, image, cal, stages);
                seconds.put("roi", lap(t));
            }

            try (Volume roi = roiPath == null ? null : Volumes.open(roiPath)) {
                if (roi != null && !roi.info().sameShape(info)) {
                    throw new DataException(roiPath + ": ROI is " + roi.info().shape() + " but the stack is " + info.shape());
                }
                List<Variant> segs = new ArrayList<>();
                AnalysisSteps.Baseline baseline = AnalysisSteps.Baseline.NONE;
                if (o.baseline()) {
                    t = System.nanoTime();
                    baseline = AnalysisSteps.baseline(o, image, stages);
                    seconds.put("threshold", lap(t));
                }

                t = System.nanoTime();
                AnalysisSteps.Cnn cnn = AnalysisSteps.cnn(o, modelInfo, cal, image, roi, predictions, warn, stages);
                seconds.put("cnn", lap(t));
                AnalysisSteps.cnnWarnings(cnn.result(), warn);

                t = System.nanoTime();
                boolean distances = !o.quick();
                Path truthPath = in.truth();
                Variant truth = truthPath == null ? null : Variants.measure("ground truth", truthPath, null, null, roi, distances, stages);
                if (baseline.mask() != null) {
                    segs.add(Variants.measure("threshold (Otsu)", baseline.mask(), null, truthPath, roi, distances, stages));
                }
                segs.add(Variants.measure("CNN (" + modelName(o.model()) + ")", cnn.mask(), cnn.probability(), truthPath, roi, distances, stages));
                seconds.put("measure", lap(t));

                t = System.nanoTime();
                Result partial = new Result(o, o.out().resolve(poreseg.report.HtmlReport.HTML), in.data(), info, calibrated, truth, segs,
                        baseline.otsu(), cnn.result(), roiPath, modelInfo, cnn.members(),
                        poreseg.net.PorosityCalibration.calibrated(ModelStore.memberInfos(o.model(), o.fold())), seconds, warnings);
                try (Volume truthVol = truthPath == null ? null : Volumes.open(truthPath)) {
                    AnalysisReport.write(partial, image, truthVol, roi, stages);
                }
                seconds.put("report", lap(t));
                seconds.put("total", lap(t0));
                return partial;
            }
        }
    }

    /** The segmenter {@code analyze} runs on the members of a model (tile and overlap of the model, batches of 8 tiles). */
    public static Segmenter newSegmenter(List<Network> members) {
        return Segmenter.of(members, null, null, 8);
    }

    static String modelName(String model) {
        return ModelStore.DEFAULT.equals(model) ? "bundled U-Net" : Path.of(model).getFileName().toString();
    }

    private static double lap(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
