package poreseg.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import poreseg.io.UsageException;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.net.Architecture;
import poreseg.net.ModelInfo;
import poreseg.net.NetEngine;
import poreseg.net.NetTrainer;
import poreseg.net.PatchSampler;
import poreseg.net.Preprocessing;
import poreseg.net.TrainOptions;
import poreseg.net.TrainingData;
import poreseg.util.ProgressListener;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a pore segmentation network (paper or unet) on images and label masks.",
            "Writes MODEL_DIR/model.json, params.bin (best validation loss), history.csv, last.bin and state.json (for --resume)."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--images", required = true, paramLabel = "PATH", description = "Training images: stack or folder of slices.")
    Path images;

    @Option(names = "--masks", required = true, paramLabel = "PATH", description = "Label masks of the same size (two-valued; brighter = pore).")
    Path masks;

    @Option(names = "--out", required = true, paramLabel = "MODEL_DIR", description = "Model directory to write.")
    Path out;

    @Option(names = "--arch", defaultValue = "unet", description = "paper or unet (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--width", description = "unet channels at the first level (default: " + Architecture.UNET_DEFAULT_WIDTH + ").")
    Integer width;

    @Option(names = "--depth", description = "unet number of poolings (default: " + Architecture.UNET_DEFAULT_DEPTH + ").")
    Integer depth;

    @Option(names = "--epochs", defaultValue = "100", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "32", description = "Patches per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--folds", defaultValue = "2", description = "k-fold cross-validation over slices when no --val (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--val", paramLabel = "IMAGES:MASKS", description = "Validation images and masks (instead of cross-validation).")
    String val;

    @Option(names = "--preprocess", defaultValue = "none", paramLabel = "STEPS", description = "Preprocessing steps, e.g. stretch, equalize, median=2,stretch (see the preprocess docs); applied identically at inference and recorded in the model (default: ${DEFAULT-VALUE}).")
    String preprocess;

    @Option(names = "--patch", defaultValue = "256", description = "Training patch size (default: ${DEFAULT-VALUE}).")
    int patch;

    @Option(names = "--augment", negatable = true, description = "Intensity jitter and the geometric transforms of --geometry (default: on for unet, off for paper).")
    Boolean augment;

    @Option(names = "--geometry", defaultValue = "none", paramLabel = "all|mirror|none", description = "Geometric augmentation: all = 8 flips and 90-degree rotations (isotropic data), mirror = left-right only, none = keep the FIB-SEM orientation (curtains, shine-through and streaks fall downwards) (default: ${DEFAULT-VALUE}).")
    String geometry;

    @Option(names = "--loss", defaultValue = "bce", description = "bce or bce+dice (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--steps", defaultValue = "0", description = "Batches per epoch; 0 = cover the training slices once (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--pore-value", paramLabel = "V", description = "Mask value that means pore (needed for masks with more than two values).")
    Float poreValue;

    @Option(names = "--init", paramLabel = "MODEL_DIR", description = "Start from this model's weights (fine-tuning; same architecture).")
    Path init;

    @Option(names = "--resume", description = "Continue an interrupted training in MODEL_DIR.")
    boolean resume;

    @Option(names = "--force", description = "Replace an existing model directory's training files.")
    boolean force;

    @Option(names = "--json", description = "Print the model description as JSON on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Architecture a = Architecture.parse(arch, width, depth);
        boolean aug = augment != null ? augment : a.name().equals("unet");
        TrainOptions o = new TrainOptions(a, epochs, batch, lr, folds, patch, aug, PatchSampler.Geometry.parse(geometry), loss, seed, steps, resume);
        Preprocessing pre = Preprocessing.parse(preprocess);
        prepareOut();
        TrainingData data = load(images, masks, pre, "reading training data");
        TrainingData v = null;
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("images", images.toString());
        summary.put("masks", masks.toString());
        summary.put("slices", data.size());
        summary.put("slice_size", List.of(data.width(), data.height()));
        summary.put("pore_fraction", data.poreFraction());
        if (val != null) {
            int i = val.lastIndexOf(':');
            if (i <= 0 || i == val.length() - 1) {
                throw new UsageException("--val must be IMAGES:MASKS, got '" + val + "'");
            }
            v = load(Path.of(val.substring(0, i)), Path.of(val.substring(i + 1)), pre, "reading validation data");
            summary.put("validation", val);
            summary.put("validation_slices", v.size());
        }
        if (!json) {
            System.err.printf(Locale.ROOT, "training %s (%s) on %d slices %dx%d, pore fraction %.4f, %s%n", a, o.augment() ? "augmented, geometry " + o.geometry().label() : "no augmentation",
                    data.size(), data.width(), data.height(), data.poreFraction(), NetEngine.describe());
        }
        ProgressListener bar = json ? ProgressListener.NONE : new ConsoleProgress("training");
        NetTrainer.EpochListener lines = json ? r -> { } : r -> System.err.printf(Locale.ROOT,
                "%sfold %d epoch %d/%d: loss %.4f f1 %.4f | val_loss %.4f val_f1 %.4f val_iou %.4f | lr %.2g | %.1f s%n",
                System.console() != null ? "\r" : "", r.fold(), r.epoch(), epochs, r.train().loss, r.train().f1, r.val().loss, r.val().f1, r.val().iou, r.lr(), r.seconds());
        NetTrainer trainer = new NetTrainer(o, bar, lines);
        if (init != null) {
            if (!java.nio.file.Files.isRegularFile(init.resolve("model.json"))) {
                throw new poreseg.io.DataException(init + ": not a model directory (no model.json)");
            }
            trainer.initFrom(init);
        }
        ModelInfo info = trainer.train(data, v, out, pre, summary);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", out.toString());
            m.put("architecture", info.architecture);
            m.put("parameters", info.parameters);
            m.put("scores", info.scores);
            m.put("folds", info.folds);
            m.put("fold_mean", info.foldMean);
            System.out.println(Json.write(m));
        } else {
            System.out.printf(Locale.ROOT, "model -> %s (%s, %,d parameters): best val_loss %.4f, accuracy %.4f, F1 %.4f, IoU %.4f, MSE %.5f%n",
                    out, a, info.parameters, info.scores.loss, info.scores.accuracy, info.scores.f1, info.scores.iou, info.scores.mse);
            if (info.foldMean != null) {
                for (ModelInfo.Scores s : info.folds) {
                    System.out.printf(Locale.ROOT, "  fold %d: val_loss %.4f accuracy %.4f F1 %.4f IoU %.4f MSE %.5f%n", s.fold, s.loss, s.accuracy, s.f1, s.iou, s.mse);
                }
                ModelInfo.Scores s = info.foldMean;
                System.out.printf(Locale.ROOT, "  mean:   val_loss %.4f accuracy %.4f F1 %.4f IoU %.4f MSE %.5f%n", s.loss, s.accuracy, s.f1, s.iou, s.mse);
            }
        }
        return 0;
    }

    private void prepareOut() throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UsageException(out + ": exists and is not a directory");
        }
        if (resume) {
            if (!Files.isRegularFile(out.resolve("state.json"))) {
                throw new UsageException(out + ": nothing to resume (no state.json)");
            }
            return;
        }
        boolean used = Files.exists(out.resolve("state.json")) || Files.exists(out.resolve("model.json"));
        if (used && !force) {
            throw new UsageException(out + ": already holds a model (use --resume to continue or --force to replace it)");
        }
        if (used) {
            for (String f : List.of("state.json", "model.json", "params.bin", "last.bin", "history.csv")) {
                Files.deleteIfExists(out.resolve(f));
            }
            try (Stream<Path> s = Files.list(out)) {
                for (Path p : s.filter(p -> p.getFileName().toString().startsWith("fold-")).toList()) {
                    for (String f : List.of("model.json", "params.bin", "last.bin")) {
                        Files.deleteIfExists(p.resolve(f));
                    }
                }
            }
        }
    }

    private TrainingData load(Path img, Path msk, Preprocessing pre, String label) throws IOException {
        try (Volume a = Volumes.open(img); Volume b = Volumes.open(msk)) {
            return TrainingData.load(a, b, pre, poreValue, json ? ProgressListener.NONE : new ConsoleProgress(label));
        }
    }
}
