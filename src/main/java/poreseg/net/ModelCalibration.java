package poreseg.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import poreseg.io.DataException;
import poreseg.io.OutputFiles;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.util.ParameterException;
import poreseg.util.ProgressListener;

/**
 * Porosity calibration of an existing model on a few labelled slices, without training: the model
 * predicts the labelled slices exactly as {@code segment} runs it on their stack (its scale selection
 * included), and on each slice the probability threshold at which the predicted porosity equals the
 * labelled one is found ({@link PorosityCalibration#matchingThreshold}). Their median becomes the
 * model's decision threshold: the thresholds are stored as {@code porosity_thresholds}, which every
 * prediction of the model then uses through {@link PorosityCalibration#bias} (the logit shift that
 * moves the median threshold to 0.5), and the porosity interval comes from their spread.
 *
 * <p>Why: a model used on images unlike its training data can rank pore pixels well and still put
 * its 0.5 in the wrong place (the bundled model on pores whose back walls show through bright calls
 * them solid at probability 0.002-0.01, yet above the solid around them). One labelled slice then
 * fixes the porosity of the others in seconds; {@code train --init} fixes more, in minutes.
 *
 * <p>The probabilities are taken without any calibration the model already had, so calibrating a
 * calibrated model replaces its thresholds. Models with several members (k-fold directories) are
 * refused: their members carry their own thresholds from their own validation folds.
 */
public final class ModelCalibration {
    private ModelCalibration() {
    }

    /**
     * One labelled slice: its labelled pixels and true porosity, the porosity the model gave before
     * (at its threshold 0.5 with its old calibration), the threshold that makes it right, and its
     * porosity at the median threshold of the other slices (leave one out; NaN with one slice), all
     * over the regions labelled whole where the slice has any ({@code boundaries}: {@link
     * PorosityCalibration#calibrationLabels}), else over all its labels (strokes); and its porosity at
     * its own threshold, the labelled one unless no threshold reaches it ({@link #matched}).
     */
    public record SliceResult(int slice, long labelled, double truePorosity, double porosityBefore, double threshold, double porosityLeaveOneOut,
            boolean boundaries, double porosityAtThreshold) {
        /**
         * Whether its own threshold gives the slice its labelled porosity (within {@link #MATCH}): not
         * where the network is certain (probability 1 or 0 in float) of more pores or more solid than
         * the labels have, which no threshold can undo.
         */
        public boolean matched() {
            return Math.abs(porosityAtThreshold - truePorosity) <= MATCH;
        }

        public SliceResult {
            if (slice < 0 || labelled <= 0) {
                throw new IllegalArgumentException("slice " + slice + ", labelled " + labelled);
            }
        }
    }

    /**
     * The calibration: the model it started from, the new description (to be written with the same
     * parameters), the slices, the scale factor the stack was run at (null without scale selection),
     * the median threshold, and the labelled slices left out because their image is constant (0-based).
     */
    public record Result(String model, ModelInfo info, List<SliceResult> slices, Integer scale, double medianThreshold, List<Integer> flatSlices) {
        public Result {
            slices = List.copyOf(slices);
            flatSlices = List.copyOf(flatSlices);
        }

        /** Mean |porosity before - true| over the labelled slices (in sample: the model never saw these labels). */
        public double errorBefore() {
            return slices.stream().mapToDouble(s -> Math.abs(s.porosityBefore() - s.truePorosity())).average().orElse(Double.NaN);
        }

        /** Mean |leave-one-out porosity - true|: each slice at the median threshold of the others; NaN with one slice. */
        public double errorLeaveOneOut() {
            return slices.size() < 2 ? Double.NaN
                    : slices.stream().mapToDouble(s -> Math.abs(s.porosityLeaveOneOut() - s.truePorosity())).average().orElse(Double.NaN);
        }

        /**
         * Whether the calibration is checked and failed: with two or more slices, each slice at the
         * others' threshold is no closer to its labelled porosity than the model was before.
         */
        public boolean failsLeaveOneOut() {
            return slices.size() >= 2 && !(errorLeaveOneOut() < errorBefore());
        }

        /** The logit shift {@code segment} applies with this calibration. */
        public double bias() {
            return PorosityCalibration.logit(medianThreshold);
        }

        /**
         * Whether the labels look like strokes rather than dense labels: no labelled slice has a region
         * labelled whole, its pore boundaries included ({@link PorosityCalibration#calibrationLabels}).
         * The porosity of strokes is the painter's proportion of pore and solid strokes, not the slice's.
         */
        public boolean strokes() {
            return slices.stream().noneMatch(SliceResult::boundaries);
        }

        /**
         * Whether the regions labelled whole are small: on every slice that has one they cover less
         * than {@link #SPARSE} of it, so their porosity may not be the slice's.
         */
        public boolean smallRegions(long slicePixels) {
            return !strokes() && slices.stream().filter(SliceResult::boundaries).allMatch(s -> s.labelled() < SPARSE * slicePixels);
        }

        /** The slices whose own threshold does not reach their labelled porosity ({@link SliceResult#matched}). */
        public List<SliceResult> unmatched() {
            return slices.stream().filter(s -> !s.matched()).toList();
        }

        /** A threshold so close to 0 or 1 that the model hardly separates these pores from solid. */
        public boolean extreme() {
            return medianThreshold < EXTREME || medianThreshold > 1 - EXTREME;
        }
    }

    /** Tiles per forward pass (segment's default). */
    static final int BATCH = 8;

    /** Regions labelled whole below this fraction of every slice are reported as small. */
    public static final double SPARSE = 0.1;

    /** How far a slice's porosity at its own threshold may be from its labelled porosity and still count as matched. */
    public static final double MATCH = 0.01;

    /** Below this (or above 1 minus it) the median threshold is reported as extreme. */
    public static final double EXTREME = 1e-4;

    /**
     * Calibrates {@code model} ("default" or a model directory) on the labelled pixels of
     * {@code masks} (same shape as {@code images}; slices without labelled pixels are skipped).
     *
     * @param encoding how the masks encode pore, solid and unlabelled pixels
     * @param progress one step per labelled slice (after the scale choice)
     */
    public static Result calibrate(String model, Volume images, Volume masks, MaskEncoding encoding, Precision precision,
            ProgressListener progress) throws IOException {
        StackInfo info = images.info();
        if (!info.sameShape(masks.info())) {
            throw new DataException(masks.source() + ": masks are " + masks.info().shape() + ", images " + info.shape());
        }
        ModelInfo before = ModelStore.info(model);
        if (before.members != null && before.members.size() > 1) {
            throw new ParameterException(model + ": has " + before.members.size() + " fold models, each calibrated on its own validation "
                    + "fold when it was trained; calibrate one of them (its fold-K folder) instead");
        }
        List<Integer> labelled = new ArrayList<>();
        List<float[]> truth = new ArrayList<>();
        List<float[]> raws = new ArrayList<>();
        List<Integer> flat = new ArrayList<>();
        for (int z = 0; z < info.depth(); z++) {
            float[] t = encoding.binarize(masks.slice(z));
            if (MaskEncoding.LabelCounts.of(t).labelled() > 0) {
                float[] raw = images.slice(z);
                if (Segmenter.constant(raw)) {
                    flat.add(z); // nothing to segment: the model gives no probabilities to match
                } else {
                    TrainingData.requireFinite(raw, images.source(), z, info.depth());
                    labelled.add(z);
                    truth.add(t);
                    raws.add(raw);
                }
            }
        }
        if (labelled.isEmpty()) {
            throw new DataException(flat.isEmpty() ? masks.source() + ": no labelled pixels to calibrate on"
                    : images.source() + ": every labelled slice is constant (no contrast), nothing to calibrate on");
        }
        // where a slice has regions labelled whole (pore edges included), they alone calibrate; strokes are
        // used only where a slice has nothing else (and the result says so: SliceResult.boundaries false)
        List<float[]> region = new ArrayList<>();
        List<Boolean> dense = new ArrayList<>();
        for (float[] tr : truth) {
            float[] c = PorosityCalibration.calibrationLabels(tr, info.width(), info.height());
            region.add(c != null ? c : tr);
            dense.add(c != null);
        }
        try (Network net = ModelStore.load(model)) {
            net.precision(precision);
            List<Double> old = net.info().porosityThresholds;
            double oldBias = PorosityCalibration.bias(net);
            // raw probabilities: a new calibration replaces the old (this network is ours, closed below)
            net.info().porosityThresholds = new ArrayList<>();
            Segmenter.ForStack fs = Segmenter.of(net, BATCH).forStack(images, ProgressListener.NONE);
            List<float[]> prob = new ArrayList<>();
            double[] t = new double[labelled.size()];
            for (int i = 0; i < labelled.size(); i++) {
                float[] p = fs.segmenter().probability(raws.get(i), info);
                prob.add(p);
                t[i] = PorosityCalibration.matchingThreshold(p, region.get(i));
                progress.progress(i + 1, labelled.size());
            }
            // at 0.5 after the old calibration = at the old median threshold before it
            double oldThreshold = oldBias == 0 ? 0.5 : PorosityCalibration.sigmoid(oldBias);
            List<SliceResult> slices = new ArrayList<>();
            for (int i = 0; i < labelled.size(); i++) {
                double[] others = new double[t.length - 1];
                for (int j = 0, k = 0; j < t.length; j++) {
                    if (j != i) {
                        others[k++] = t[j];
                    }
                }
                float[] tr = region.get(i);
                MaskEncoding.LabelCounts c = MaskEncoding.LabelCounts.of(tr);
                slices.add(new SliceResult(labelled.get(i), c.labelled(), c.poreFraction(), porosity(prob.get(i), tr, oldThreshold), t[i],
                        others.length == 0 ? Double.NaN : porosity(prob.get(i), tr, Segmenter.median(others)), dense.get(i),
                        porosity(prob.get(i), tr, t[i])));
            }
            ModelInfo out = copy(before);
            out.porosityThresholds = Arrays.stream(t).boxed().toList();
            Map<String, Object> cal = new LinkedHashMap<>();
            cal.put("from", model);
            cal.put("images", images.source());
            cal.put("masks", masks.source());
            cal.put("mask_encoding", encoding.describe());
            cal.put("slices", labelled.stream().map(z -> z + 1).toList());
            cal.put("scale", fs.scale() == null ? null : Segmenter.scaleValue(fs.scale().factor()));
            cal.put("precision", precision.label());
            double med = Segmenter.median(t);
            cal.put("median_threshold", med);
            cal.put("replaced_thresholds", old == null || old.isEmpty() ? null : old);
            cal.put("constant_slices_skipped", flat.stream().map(z -> z + 1).toList());
            cal.put("created", java.time.Instant.now().toString());
            out.training = new LinkedHashMap<>(before.training == null ? Map.of() : before.training);
            out.training.put("calibration", cal);
            return new Result(model, out, slices, fs.scale() == null ? null : fs.scale().factor(), med, flat);
        }
    }

    /**
     * Writes the calibrated model into {@code dir} (created; it must not hold a model unless
     * {@code force}, and must not be the model it came from): the parameters copied unchanged, then
     * model.json, each atomically; what this call added is removed again on failure or interrupt.
     */
    public static void write(Result r, Path dir, boolean force) throws IOException {
        checkWritable(r.model(), dir, force);
        // what this call adds is removed again on failure or interrupt (Main's handler undoes active rollbacks)
        OutputFiles.Rollback rollback = OutputFiles.Rollback.of(dir);
        boolean ok = false;
        try {
            Files.createDirectories(dir);
            if (force) {
                // a training's leftovers would describe another model
                for (String f : List.of(ModelDirectory.STATE, ModelDirectory.LAST, ModelDirectory.HISTORY)) {
                    Files.deleteIfExists(dir.resolve(f));
                }
            }
            OutputFiles.writeAtomically(dir.resolve(ModelStore.PARAMS), tmp -> {
                try (InputStream in = ModelStore.params(r.model())) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
            });
            ModelStore.saveInfo(r.info(), dir.resolve(ModelStore.INFO));
            ok = true;
        } finally {
            if (ok) {
                rollback.commit();
            } else {
                rollback.undo();
            }
        }
    }

    /**
     * Refuses an output directory that {@link #write} must not write: the model being calibrated (inputs
     * are never overwritten), a file, or a directory holding a model unless {@code force}.
     */
    public static void checkWritable(String model, Path dir, boolean force) throws IOException {
        if (!ModelStore.DEFAULT.equals(model) && Files.exists(dir) && Files.exists(Path.of(model))
                && Files.isSameFile(Path.of(model).toAbsolutePath(), dir.toAbsolutePath())) {
            throw new ParameterException(dir + ": is the model being calibrated; write the calibrated model to another folder");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ParameterException(dir + ": exists and is not a directory");
        }
        if (ModelDirectory.used(dir) && !force) {
            throw new ParameterException(dir + ": already holds a model (use {force} to replace it)");
        }
    }

    /**
     * The fraction of labelled pixels whose probability, shifted so that {@code threshold} becomes 0.5,
     * is at least 0.5: sigmoid(logit(p) - logit(t)) >= 0.5 exactly when p >= t (logit is monotone).
     */
    static double porosity(float[] p, float[] truth, double threshold) {
        long n = 0;
        long pore = 0;
        float t = (float) threshold;
        for (int i = 0; i < p.length; i++) {
            if (truth[i] >= 0) {
                n++;
                if (p[i] >= t) {
                    pore++;
                }
            }
        }
        return n == 0 ? Double.NaN : (double) pore / n;
    }

    private static ModelInfo copy(ModelInfo m) throws DataException {
        ModelInfo c = ModelStore.copyOf(m);
        c.members = new ArrayList<>();
        c.bestMember = null;
        return c;
    }
}
