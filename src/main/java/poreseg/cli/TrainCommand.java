package poreseg.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.net.Architecture;
import poreseg.net.ModelDirectory;
import poreseg.net.ModelInfo;
import poreseg.net.ModelStore;
import poreseg.net.NetEngine;
import poreseg.net.NetTrainer;
import poreseg.net.PatchSampler;
import poreseg.net.Precision;
import poreseg.net.Preprocessing;
import poreseg.net.TrainOptions;
import poreseg.net.TrainingData;
import poreseg.util.ProgressListener;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a pore segmentation network (see --arch) on images and label masks.",
            "Writes MODEL_DIR/model.json, params.bin (best validation loss), history.csv, last.bin and state.json (for --resume)."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--images", required = true, paramLabel = "PATH", description = "Training images: stack or folder of slices.")
    Path images;

    @Option(names = "--masks", required = true, paramLabel = "PATH", description = "Label masks of the same size (two-valued; brighter = pore).")
    Path masks;

    @Option(names = "--out", required = true, paramLabel = "MODEL_DIR", description = "Model directory to write.")
    Path out;

    @Option(names = "--arch", completionCandidates = ArchitectureNames.class,
            description = "${COMPLETION-CANDIDATES} (default: unet; a network other than the bundled one is trained from scratch, the bundled U-Net fine-tuned; with --init, the initial model's).")
    String arch;

    @Option(names = "--width", description = "unet channels at the first level (default: " + Architecture.UNET_DEFAULT_WIDTH + ").")
    Integer width;

    @Option(names = "--depth", description = "unet number of poolings (default: " + Architecture.UNET_DEFAULT_DEPTH + ").")
    Integer depth;

    @Option(names = "--epochs", description = "Epochs (from scratch: " + TrainOptions.DEFAULT_EPOCHS + "; fine-tuning: " + TrainOptions.FINE_TUNE_EPOCHS + ").")
    Integer epochs;

    @Option(names = "--batch", description = "Patches per batch (default: 8).")
    Integer batch;

    @Option(names = "--lr", description = "Adam learning rate (default 1e-3, from scratch and fine-tuning).")
    Double lr;

    @Option(names = "--folds", description = "k-fold cross-validation when no --val; the fold models are averaged at inference (default: 2). "
            + "0: one model on all the labels, checked on the same labels (no held-out score, no calibrated porosity interval; "
            + "on few-label benchmarks often the better mask: docs/net.md).")
    Integer folds;

    @Option(names = "--val", paramLabel = "IMAGES:MASKS", description = "Validation images and masks (instead of cross-validation).")
    String val;

    @Option(names = "--preprocess", paramLabel = "STEPS", description = "Preprocessing steps, e.g. stretch, equalize, median=2,stretch (see the preprocess docs); applied identically at inference and recorded in the model; 'none' for raw grey values (default: " + TrainOptions.DEFAULT_PREPROCESSING + ", a per-slice stretch of the 0.5-99.5 percentiles; with --init, the initial model's).")
    String preprocess;

    @Option(names = "--input-scaling", paramLabel = "type-max|otsu-anchor", description = "How preprocessed grey values become the network's input: "
            + "type-max (divided by the type's maximum) or otsu-anchor (each slice's two Otsu classes' means at 0.25 and 0.75, so the "
            + "network starts from a global threshold whatever the contrast and porosity; docs/net.md); recorded in the model "
            + "(default: type-max; with --init, the initial model's).")
    String inputScaling;

    @Option(names = "--patch", description = "Training patch size (default: 128).")
    Integer patch;

    @Option(names = "--augment", negatable = true, description = "Intensity jitter and the geometric transforms of --geometry (default: on).")
    Boolean augment;

    @Option(names = "--geometry", paramLabel = "all|mirror|none", description = "Geometric augmentation: all = 8 flips and 90-degree rotations (isotropic data), mirror = left-right only, none = keep every orientation (default: mirror; FIB-SEM curtains, shine-through and streaks fall downwards, so no up-down flips or rotations).")
    String geometry;

    @Option(names = "--loss", description = "bce or bce+dice (default: bce+dice).")
    String loss;

    @Option(names = "--schedule", paramLabel = "cosine|plateau", description = "Learning rate: plateau = the paper's ReduceLROnPlateau(val_loss, 0.2, 10, 1e-5); cosine = the same times a cosine decay to 1 %% over the training (default: cosine).")
    String schedule;

    @Option(names = "--steps", description = "Batches per epoch; 0 = cover the training slices once, at least " + NetTrainer.MIN_AUTO_STEPS + " (default: 0).")
    Integer steps;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin SharedOptions.MaskLabels maskLabels = new SharedOptions.MaskLabels();

    @Option(names = "--init", paramLabel = "MODEL_DIR|default|none", description = "Start from this model's weights (fine-tuning; 'default' = the bundled model; "
            + "its architecture and preprocessing are used) or 'none' (from scratch). Default: the bundled model, unless --arch, --width, --depth, "
            + "--preprocess or --input-scaling describe a network other than it (then from scratch; --arch unet alone still fine-tunes).")
    String initOption;

    /** The model to fine-tune, or null to train from scratch (see {@link #initOption}). */
    private String init;

    @Option(names = "--precision", defaultValue = "auto", paramLabel = "fp32|bf16|auto",
            description = "Arithmetic of the training passes: fp32, bf16 convolutions on fp32 weights (both networks; about twice as fast where the CPU "
                + "has AVX512-BF16 or AMX, the same F1: docs/net.md#quality-of-bf16) or auto (bf16 where the CPU has it, else fp32). "
                + "Validation and the saved model are fp32 (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--resume", description = "Continue an interrupted training in MODEL_DIR.")
    boolean resume;

    @Option(names = "--force", description = "Replace an existing model directory's training files.")
    boolean force;

    @Option(names = "--json", description = "Print the model description as JSON on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        bound("--epochs", epochs, 1, 100_000);
        bound("--batch", batch, 1, 4096);
        bound("--patch", patch, 8, 4096);
        bound("--folds", folds, 0, 100);
        bound("--steps", steps, 0, 1_000_000);
        bound("--width", width, 1, 256);
        bound("--depth", depth, 1, 6);
        if (lr != null && !(lr > 0 && lr <= 1)) {
            throw new UsageException("--lr must be in (0, 1], got " + lr);
        }
        Precision pr = Precision.parse(precision).forTraining();
        resolveInit();
        ModelInfo from = init == null ? null : ModelStore.info(init);
        Architecture a = from != null && arch == null && width == null && depth == null ? from.arch()
                : Architecture.parse(arch == null ? "unet" : arch, width, depth);
        TrainOptions d = from != null ? TrainOptions.fineTuning(a) : a.type().recipe(a);
        TrainOptions o = options(a, d);
        Preprocessing pre = Preprocessing.parse(preprocess != null ? preprocess : from != null ? from.preprocessing : TrainOptions.DEFAULT_PREPROCESSING,
                inputScaling != null ? inputScaling : from != null ? from.inputScaling : null);
        maskLabels.check();
        Integer v1 = val == null ? null : val.lastIndexOf(':');
        if (val != null && (v1 <= 0 || v1 == val.length() - 1)) {
            throw new UsageException("--val must be IMAGES:MASKS, got '" + val + "'");
        }
        ModelDirectory.checkWritable(out, resume, force);
        TrainingData data = load(images, masks, pre, "reading training data");
        NetTrainer.checkLabels(data.labelledSlices(), from != null);
        TrainingData v = null;
        Map<String, Object> summary = summary(data, from != null ? d : null);
        if (pr == Precision.BF16 && !a.type().hasTrainingKernel(a.width(), a.depth())) {
            if (Precision.parse(precision) == Precision.BF16) { // auto falls back without a word
                System.err.println("poreseg: note: " + a + " trains in fp32 only (bf16 training needs the U-Net at a width that is a multiple of 16)");
            }
            pr = Precision.FP32;
        }
        summary.put("precision", pr.label());
        if (val != null) {
            v = load(Path.of(val.substring(0, v1)), Path.of(val.substring(v1 + 1)), pre, "reading validation data");
            summary.put("validation", val);
            summary.put("validation_slices", v.size());
        }
        if (!json) {
            announce(o, data, pre, from != null);
        }
        ProgressListener bar = json ? ProgressListener.NONE : new ConsoleProgress("training");
        int ep = o.epochs();
        NetTrainer.EpochListener lines = json ? r -> { } : r -> System.err.printf(Locale.ROOT,
                "%sfold %d epoch %d/%d: loss %.4f f1 %.4f | val_loss %.4f val_f1 %.4f val_iou %.4f (eval mode%s) | lr %.2g | %.1f s%n",
                System.console() != null ? "\r" : "", r.fold(), r.epoch(), ep, r.train().loss, r.train().f1, r.val().loss, r.val().f1, r.val().iou,
                r.recalibrated() > 0 ? ", BN recalibrated on " + r.recalibrated() + " crops" : "", r.lr(), r.seconds());
        NetTrainer trainer = new NetTrainer(o, bar, lines).precision(pr);
        if (!json) {
            trainer.onNote(n -> System.err.println((System.console() != null ? "\r" : "") + n));
        }
        if (init != null) {
            trainer.initFrom(init);
        }
        boolean created = !Files.exists(out);
        ModelDirectory.clearForTraining(out, resume);
        Thread hook = new Thread(() -> cleanUp(created, true));
        Runtime.getRuntime().addShutdownHook(hook);
        ModelInfo info;
        try {
            info = trainer.train(data, v, out, pre, summary);
        } catch (IOException | RuntimeException e) {
            cleanUp(created, false);
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook runs
            }
        }
        String warning = learnedNothing(info.scores.f1, data.poreFraction());
        if (warning != null) {
            System.err.println("poreseg: warning: " + warning);
        }
        print(info, a, warning);
        return 0;
    }

    /** Below this validation F1 a training whose labels have pores is reported as having learnt nothing. */
    static final double NOTHING_LEARNT_F1 = 0.05;

    /**
     * A one-line warning when the kept model's validation F1 is under {@link #NOTHING_LEARNT_F1} although the
     * training labels have pores (at least 0.1 % of the labelled pixels), else null: such a model calls almost
     * no pores right (the paper network from scratch sits at F1 0 for its first epochs, and one bf16 run of it
     * never left that state: docs/net.md#speed), and a user should not take it for a trained one.
     */
    static String learnedNothing(double valF1, double poreFraction) {
        if (!(poreFraction >= 0.001) || valF1 >= NOTHING_LEARNT_F1) {
            return null;
        }
        return String.format(Locale.ROOT, "the model's best validation F1 is %.3f: it calls almost no pores right on its validation data"
                + " (if that data has pores, the training did not take: train longer (--epochs), check which mask value is pore,"
                + " or start from a trained model (--init))", Double.isNaN(valF1) ? 0.0 : valF1);
    }

    /**
     * Few labels are worth more as a correction of the bundled model than as a training set of their own
     * (docs/net.md, "Few labels": two labelled slices, fine-tuned at lr 1e-3 0.847 mean F1 over five sets
     * against 0.768 from scratch, 0.839 against 0.770 on the FIB-SEM pore look, and no fold collapsing), so
     * without --init the bundled model is fine-tuned; options that describe another network mean from
     * scratch.
     */
    private void resolveInit() throws IOException {
        if ("none".equals(initOption)) {
            init = null;
        } else if (initOption != null) {
            init = initOption;
        } else if (ModelStore.hasDefault() && describesDefault(ModelStore.info(ModelStore.DEFAULT))) {
            init = ModelStore.DEFAULT;
        } else {
            init = null;
        }
    }

    /**
     * Whether the network options given (none, or some that restate it: {@code --arch unet}, {@code --width
     * 16}, the same preprocessing) describe the bundled network, which is then fine-tuned rather than a
     * network of the user's own trained from scratch. Unparseable options are left to the usual errors.
     */
    private boolean describesDefault(ModelInfo def) {
        if (arch == null && width == null && depth == null && preprocess == null && inputScaling == null) {
            return true;
        }
        try {
            Architecture mine = arch == null && width == null && depth == null ? def.arch()
                    : Architecture.parse(arch == null ? "unet" : arch, width, depth);
            Preprocessing pre = Preprocessing.parse(preprocess != null ? preprocess : def.preprocessing,
                    inputScaling != null ? inputScaling : def.inputScaling);
            return mine.equals(def.arch()) && pre.sameAs(Preprocessing.of(def));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private TrainOptions options(Architecture a, TrainOptions d) {
        return d.with(new TrainOptions.Overrides(epochs, batch, lr, folds, patch, augment,
                geometry != null ? PatchSampler.Geometry.parse(geometry) : null, loss, seed, steps, resume, schedule));
    }

    /** What model.json records about the training data; {@code fineTuning} the defaults when fine-tuning, else null. */
    private Map<String, Object> summary(TrainingData data, TrainOptions fineTuning) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("images", images.toString());
        summary.put("masks", masks.toString());
        summary.put("slices", data.size());
        if (data.stackSlices() > data.size()) {
            summary.put("stack_slices", data.stackSlices());
        }
        summary.put("slice_size", List.of(data.width(), data.height()));
        summary.put("pore_fraction", data.poreFraction());
        if (maskLabels.unlabelled != null) {
            summary.put("unlabelled_value", maskLabels.unlabelled);
        }
        if (fineTuning != null) {
            summary.put("fine_tuning", "from " + init + " with the fine-tuning defaults (epochs " + fineTuning.epochs() + ", learning rate "
                    + fineTuning.lr() + ") unless set");
        }
        return summary;
    }

    private void announce(TrainOptions o, TrainingData data, Preprocessing pre, boolean fineTuning) {
        System.err.printf(Locale.ROOT, "training %s (%s) on %d slices %dx%d, %.1f %% labelled, pore fraction %.4f, preprocessing %s, %s%n", o.arch(),
                o.augment() ? "augmented, geometry " + o.geometry().label() : "no augmentation", data.size(), data.width(), data.height(),
                100 * data.labelledFraction(), data.poreFraction(), pre.describe(), NetEngine.describe());
        if (fineTuning) {
            System.err.printf(Locale.ROOT, "fine-tuning %s%s: epochs %d, learning rate %.2g%s%n", init,
                    initOption == null ? " (the default; --init none trains from scratch)" : "", o.epochs(), o.lr(),
                    epochs == null && lr == null ? " (fine-tuning defaults)" : "");
        }
    }

    private void print(ModelInfo info, Architecture a, String warning) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", out.toString());
            m.put("architecture", info.architecture);
            m.put("parameters", info.parameters);
            m.put("members", info.members);
            m.put("scores", info.scores);
            m.put("folds", info.folds);
            m.put("fold_mean", info.foldMean);
            m.put("warnings", warning == null ? List.of() : List.of(warning));
            System.out.println(Json.write(m));
            return;
        }
        System.out.printf(Locale.ROOT, "model -> %s (%s, %,d parameters, %d fold model%s averaged at inference): best fold val_loss %.4f, accuracy %.4f, F1 %.4f, IoU %.4f, MSE %.5f%n",
                out, a, info.parameters, info.members.size(), info.members.size() == 1 ? "" : "s", info.scores.loss, info.scores.accuracy,
                info.scores.f1, info.scores.iou, info.scores.mse);
        if (info.foldMean != null) {
            for (ModelInfo.Scores s : info.folds) {
                System.out.printf(Locale.ROOT, "  fold %d: val_loss %.4f accuracy %.4f F1 %.4f IoU %.4f MSE %.5f%n", s.fold, s.loss, s.accuracy, s.f1, s.iou, s.mse);
            }
            ModelInfo.Scores s = info.foldMean;
            System.out.printf(Locale.ROOT, "  mean:   val_loss %.4f accuracy %.4f F1 %.4f IoU %.4f MSE %.5f%n", s.loss, s.accuracy, s.f1, s.iou, s.mse);
        }
    }

    private static void bound(String name, Integer v, int lo, int hi) {
        if (v != null && (v < lo || v > hi)) {
            throw new UsageException(name + " must be between " + lo + " and " + hi + ", got " + v);
        }
    }

    private void cleanUp(boolean created, boolean interrupted) {
        if (ModelDirectory.cleanUp(out, created, interrupted)) {
            System.err.println("\nporeseg: interrupted; continue with: poreseg train ... --out " + out + " --resume");
        }
    }

    private TrainingData load(Path img, Path msk, Preprocessing pre, String label) throws IOException {
        try (Volume a = Volumes.open(img); Volume b = Volumes.open(msk)) {
            return TrainingData.load(a, b, pre, maskLabels.poreValue, maskLabels.unlabelled, json ? ProgressListener.NONE : new ConsoleProgress(label));
        }
    }
}
