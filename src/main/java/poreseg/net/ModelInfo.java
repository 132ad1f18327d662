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
    public String created;

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
