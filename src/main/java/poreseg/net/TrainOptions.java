package poreseg.net;

import poreseg.util.ParameterException;

/**
 * Training settings. Defaults are the paper's: Adam lr 1e-3, BCE, 100 epochs, batch 32, patches of
 * 256, ReduceLROnPlateau(val_loss, 0.2, 10, 1e-5).
 *
 * @param steps batches per epoch; 0 = enough patches to cover the training slices once
 * @param geometry geometric part of the augmentation (when {@code augment})
 * @param folds k-fold cross-validation over slices (contiguous blocks); ignored with a validation set
 * @param schedule {@code plateau}: the paper's ReduceLROnPlateau on the validation loss;
 *     {@code cosine}: the same, times a cosine decay from 1 to 0.01 over all steps of a fold, which
 *     ends training on a settled network (the validation of few slices is too noisy to steer the rate)
 */
public record TrainOptions(Architecture arch, int epochs, int batch, double lr, int folds, int patch, boolean augment,
        PatchSampler.Geometry geometry, String loss, long seed, int steps, boolean resume, String schedule) {

    /** With the paper's plateau schedule. */
    public TrainOptions(Architecture arch, int epochs, int batch, double lr, int folds, int patch, boolean augment,
            PatchSampler.Geometry geometry, String loss, long seed, int steps, boolean resume) {
        this(arch, epochs, batch, lr, folds, patch, augment, geometry, loss, seed, steps, resume, "plateau");
    }

    public TrainOptions {
        if (epochs < 1) {
            throw new ParameterException("epochs must be >= 1, got " + epochs);
        }
        if (batch < 1) {
            throw new ParameterException("batch must be >= 1, got " + batch);
        }
        if (!(lr > 0)) {
            throw new ParameterException("learning rate must be > 0, got " + lr);
        }
        if (folds < 0) {
            throw new ParameterException("folds must be >= 0, got " + folds);
        }
        if (patch < arch.multiple() || patch % arch.multiple() != 0) {
            throw new ParameterException("patch size must be a positive multiple of " + arch.multiple() + " for " + arch + ", got " + patch);
        }
        if (steps < 0) {
            throw new ParameterException("steps must be >= 0, got " + steps);
        }
        if (geometry == null) {
            throw new ParameterException("geometry must not be null");
        }
        new PoreLoss(loss); // validates the name
        if (!schedule.equals("plateau") && !schedule.equals("cosine")) {
            throw new ParameterException("schedule must be plateau or cosine, got '" + schedule + "'");
        }
    }

    public boolean cosine() {
        return schedule.equals("cosine");
    }

    /** A copy with another number of folds (0: one model on all the labels). */
    public TrainOptions withFolds(int k) {
        return new TrainOptions(arch, epochs, batch, lr, k, patch, augment, geometry, loss, seed, steps, resume, schedule);
    }

    /** A copy with another schedule. */
    public TrainOptions withSchedule(String s) {
        return new TrainOptions(arch, epochs, batch, lr, folds, patch, augment, geometry, loss, seed, steps, resume, s);
    }

    /**
     * The defaults of {@code poreseg train}, made for what users have: a few labelled slices (1-8).
     * Small patches (128) in small batches (8) give many optimizer steps per pass over few slices;
     * every epoch has at least {@link NetTrainer#MIN_AUTO_STEPS} steps ({@code steps} 0); BCE + Dice
     * copes with rare pores; intensity jitter and left-right mirroring (FIB-SEM images are not
     * up-down or rotation symmetric, but left-right mirrored pores look like pores); 2 folds, whose
     * models are averaged at inference.
     */
    public static TrainOptions defaults(Architecture arch) {
        return new TrainOptions(arch, DEFAULT_EPOCHS, 8, 1e-3, 2, 128, true, PatchSampler.Geometry.MIRROR, "bce+dice", 1, 0, false, "cosine");
    }

    /**
     * Fine-tuning defaults ({@code train --init}, and {@code train} without options of one's own
     * network): like {@link #defaults} with half the epochs. The learning rate is the same 1e-3: with
     * two labelled slices, 1e-3 beat 1e-4, 3e-4 and 2e-3 on average over five sets held out from
     * training (docs/net.md, "Few labels"), and 40 epochs gained nothing over 20.
     */
    public static TrainOptions fineTuning(Architecture arch) {
        return defaults(arch).with(FINE_TUNE_EPOCHS, FINE_TUNE_LR);
    }

    /** Learning rate of {@link #fineTuning}. */
    public static final double FINE_TUNE_LR = 1e-3;

    public static final int DEFAULT_EPOCHS = 40;
    /**
     * Preprocessing of new models: a per-slice linear stretch of the 0.5-99.5 percentiles onto the
     * type's range, so brightness and contrast drift along a stack, 8/16-bit and bright or dark
     * images all reach the network alike.
     */
    public static final String DEFAULT_PREPROCESSING = "stretch=0.5:99.5";
    public static final int FINE_TUNE_EPOCHS = 20;

    /**
     * Settings that replace a recipe's where they are given (not null), as the options of
     * {@code poreseg train} do; see {@link #with(Overrides)}.
     */
    public record Overrides(Integer epochs, Integer batch, Double lr, Integer folds, Integer patch, Boolean augment,
            PatchSampler.Geometry geometry, String loss, Long seed, Integer steps, Boolean resume, String schedule) {
    }

    /** These options with the settings that {@code o} gives in their place. */
    public TrainOptions with(Overrides o) {
        return new TrainOptions(arch, or(o.epochs(), epochs), or(o.batch(), batch), or(o.lr(), lr), or(o.folds(), folds),
                or(o.patch(), patch), or(o.augment(), augment), or(o.geometry(), geometry), or(o.loss(), loss), or(o.seed(), seed),
                or(o.steps(), steps), or(o.resume(), resume), or(o.schedule(), schedule));
    }

    private static <T> T or(T given, T recipe) {
        return given != null ? given : recipe;
    }

    /** A copy with other epochs and learning rate. */
    public TrainOptions with(int newEpochs, double newLr) {
        return new TrainOptions(arch, newEpochs, batch, newLr, folds, patch, augment, geometry, loss, seed, steps, resume, schedule);
    }

    public static TrainOptions paper(Architecture arch) {
        return new TrainOptions(arch, 100, 32, 1e-3, 2, 256, false, PatchSampler.Geometry.NONE, "bce", 1, 0, false);
    }
}
