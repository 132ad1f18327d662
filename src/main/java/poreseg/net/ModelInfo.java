package poreseg.net;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The self-description of a trained model, stored as MODEL_DIR/model.json (snake_case keys). */
public final class ModelInfo {
    public static final String FORMAT = "poreseg-model";
    public static final int FORMAT_VERSION = 1;

    public String format = FORMAT;
    public int formatVersion = FORMAT_VERSION;
    public String architecture;
    public int width;
    public int depth;
    public long parameters;
    public String preprocessing = "none";
    public String inputScaling = InputScaling.NAME;
    public int patch;
    public int tile = 256;
    public int overlap = 32;
    public Map<String, Object> training = new LinkedHashMap<>();
    /** Validation scores of the saved (best) checkpoint. */
    public Scores scores;
    public List<Scores> folds = new ArrayList<>();
    /**
     * Sub-directories of the fold models (k-fold training); inference averages their probabilities.
     * Empty or absent: this directory's params.bin is the only network.
     */
    public List<String> members = new ArrayList<>();
    /**
     * Porosity calibration: for each validation slice of this model's best checkpoint, the
     * probability threshold at which its predicted porosity equals the true one (see
     * {@link PorosityCalibration}). Empty for models trained without it (the bundled one).
     */
    public List<Double> porosityThresholds = new ArrayList<>();
    /** Index into {@link #members} of the fold with the lowest validation loss (this params.bin). */
    public Integer bestMember;
    public Scores foldMean;
    public String engine;
    /**
     * Pixel sizes (nm, [min, max]) of the calibrated training data, or null when unknown; a stack far
     * outside gets a warning ({@link #voxelWarning}).
     */
    public List<Double> voxelRangeNm;
    /**
     * Input scales that {@code segment} and {@code analyze} use by default ({@link Segmenter#scales(int[])}):
     * reduction factors 1, 2, ... and enlargements written 1/e (0.5, 0.3333); null or empty: the slice as it is.
     */
    public List<Number> inferenceScales;
    /**
     * With {@link #inferenceScales}: the native confidence below which a slice also runs at the coarser
     * scales (adaptive, {@link Segmenter#scales(int[], Double)}); null: every slice at every scale.
     */
    public Double inferenceScaleConfidence;
    /**
     * With {@link #inferenceScales}: scale selection instead of averaging, a stack run at the finest
     * scale whose median porosity over sample slices agrees with the next coarser one's within this
     * fraction ({@link Segmenter#scaleSelection}, {@link Segmenter#chooseScale}); null: averaging.
     */
    public Double inferenceScaleTolerance;
    public String created;

    /** How far outside {@link #voxelRangeNm} a pixel size may be before {@link #voxelWarning} speaks. */
    public static final double VOXEL_MARGIN = 3;

    /**
     * A warning when the stack's pixel size is more than {@link #VOXEL_MARGIN} times outside the
     * pixel sizes this model was trained on: pores of the same physical size then cover a number of
     * pixels the network has not seen. Null when the stack is uncalibrated, the model records no
     * range, or the size is within it.
     */
    public String voxelWarning(poreseg.io.Calibration c) {
        if (voxelRangeNm == null || voxelRangeNm.size() != 2) {
            return null;
        }
        double nm = c.x() * poreseg.io.Calibration.nanometres(c.unit());
        double lo = voxelRangeNm.get(0);
        double hi = voxelRangeNm.get(1);
        if (!(nm > 0) || (nm >= lo / VOXEL_MARGIN && nm <= hi * VOXEL_MARGIN)) {
            return null;
        }
        // finer pixels: pores cover more pixels than in training, which a reduced copy of the slice undoes
        int f = Math.min(Segmenter.MAX_SCALE, Math.max(2, (int) Math.round(lo / nm)));
        int tried = inferenceScaleTolerance == null || inferenceScales == null ? 1
                : inferenceScales.stream().mapToInt(Number::intValue).max().orElse(1);
        boolean enlarges = inferenceScaleTolerance != null && inferenceScales != null
                && inferenceScales.stream().anyMatch(n -> n.doubleValue() > 0 && n.doubleValue() < 1);
        String fix = nm >= lo ? (enlarges ? "pores smaller in pixels than in training; its scale selection tries the slice enlarged 2x and 3x: "
                + "check the scale chosen (segment --json: scale), or force one with --scales 1/2" : "resample the stack, or fine-tune the model")
                : tried > 1 ? "pores about " + f + "x larger in pixels than in training; its scale selection tries reduction factors up to " + tried
                        + ": check the factor chosen (segment --json: scale), or force one with --scales F"
                : "segment --scales " + f + ", bin the stack, or fine-tune the model";
        return "the pixel size " + poreseg.util.Format.sig3(nm) + " nm is far outside the " + poreseg.util.Format.sig3(lo) + "-" + poreseg.util.Format.sig3(hi)
                + " nm this model was trained on: pores appear at a scale it has not seen (" + fix + ")";
    }

    public Architecture arch() {
        return new Architecture(architecture, width, depth);
    }

    /** Pixel scores of the pore class. */
    public static final class Scores {
        public Integer fold;
        public Integer epoch;
        public double loss;
        public double accuracy;
        public double precision;
        public double recall;
        public double f1;
        public double iou;
        public double mse;

        /** Mean of several score sets (fold and epoch left unset). */
        public static Scores mean(List<Scores> all) {
            Scores m = new Scores();
            for (Scores s : all) {
                m.loss += s.loss / all.size();
                m.accuracy += s.accuracy / all.size();
                m.precision += s.precision / all.size();
                m.recall += s.recall / all.size();
                m.f1 += s.f1 / all.size();
                m.iou += s.iou / all.size();
                m.mse += s.mse / all.size();
            }
            return m;
        }
    }
}
