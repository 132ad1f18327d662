package poreseg.view;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import poreseg.io.StackInfo;
import poreseg.net.Architecture;
import poreseg.net.MaskEncoding;
import poreseg.net.ModelInfo;
import poreseg.net.ModelStore;
import poreseg.net.NetTrainer;
import poreseg.net.Network;
import poreseg.net.PatchSampler;
import poreseg.net.Precision;
import poreseg.net.Preprocessing;
import poreseg.net.TrainOptions;
import poreseg.net.TrainingData;
import poreseg.util.ParameterException;

/**
 * The one place where {@code poreseg view} calls the training library: fine-tunes a model on the
 * labelled slices of a {@link LabelStore}. It calls
 * {@code new NetTrainer(options, progress, epochs).initFrom(model).train(data, data, tmpDir, pre, summary)}
 * with the fine-tuning defaults of {@code train --init} ({@link TrainOptions#fineTuning}) and the
 * viewer's epochs and steps.
 * <p>
 * The labels are sparse: painted pixels are pore (255) or solid (0), everything else (128) is
 * unlabelled and ignored by the loss, exactly as {@code train --unlabelled 128} reads a label file.
 * Validation is on the same labelled pixels (a few strokes cannot spare a held-out slice), so its F1
 * measures fit, not generalisation.
 * <p>
 * The model is trained into a hidden folder beside {@code out} and renamed to {@code out} only when
 * training finishes, so a cancelled or failed run leaves no partial model.
 */
public final class FineTune {
    /**
     * Fine-tuning settings: few epochs at {@code train}'s fine-tuning rate, augmented (left-right
     * mirroring). On scribbles of five sets ({@code bench fewlabel --protocols view}, docs/net.md "Few
     * labels") 1e-3 scored mean F1 0.831 against 0.781 at 1e-4.
     */
    public record Settings(int epochs, int batch, double lr, int patch, int steps, long seed) {
        public static Settings defaults() {
            return new Settings(10, 8, TrainOptions.FINE_TUNE_LR, 128, 16, 1);
        }
    }

    /**
     * The training options of a viewer fine-tuning: {@link TrainOptions#fineTuning}'s augmentation,
     * loss and schedule with the viewer's epochs, steps, batch, learning rate and seed, one fold
     * (validation is on the training strokes themselves).
     */
    public static TrainOptions options(Architecture arch, int patch, Settings s) {
        TrainOptions d = TrainOptions.fineTuning(arch);
        return new TrainOptions(arch, s.epochs(), s.batch(), s.lr(), 1, patch, d.augment(), d.geometry(), d.loss(),
                s.seed(), s.steps(), false, d.schedule());
    }

    /** Receives progress; called from the training thread. */
    public interface Listener {
        void progress(long done, long total);

        void epoch(int epoch, int epochs, double loss, double f1, double valLoss, double valF1, double seconds);
    }

    private FineTune() {
    }

    /**
     * Fine-tunes {@code model} ("default" or a model folder) on the labelled slices and saves the
     * result to {@code out} (replaced if it exists). Throws {@link CancellationException} when
     * {@code cancelled} turns true.
     */
    public static ModelInfo run(String model, ViewStacks stacks, LabelStore labels, Path out, Settings s,
            Listener listener, BooleanSupplier cancelled) throws IOException {
        List<Integer> slices = labels.labelledSlices();
        if (slices.isEmpty()) {
            throw new ParameterException("no labels yet: paint pore and solid strokes on a slice first");
        }
        Path absOut = out.toAbsolutePath().normalize();
        Path parent = absOut.getParent();
        Files.createDirectories(parent);
        List<Path> temps = new ArrayList<>();
        try {
            ModelInfo from = ModelStore.info(model);
            Architecture arch = from.arch();
            Preprocessing pre = Preprocessing.of(from);
            StackInfo info = stacks.info();
            int m = arch.multiple();
            int patch = Math.min(s.patch(), Math.min(info.width(), info.height()) / m * m);
            if (patch < m) {
                throw new ParameterException("slices of " + info.width() + "x" + info.height() + " are too small to train a " + arch);
            }
            List<float[]> images = new ArrayList<>();
            List<float[]> masks = new ArrayList<>();
            for (int z : slices) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException();
                }
                images.add(pre.networkInput(stacks.read(ViewStacks.Layer.IMAGE, z), info.width(), info.height(), info.type()));
                masks.add(targets(labels.slice(z)));
            }
            TrainingData data = new TrainingData(info.width(), info.height(), images, masks, stacks.source(ViewStacks.Layer.IMAGE));
            TrainOptions o = options(arch, patch, s);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("images", stacks.source(ViewStacks.Layer.IMAGE));
            summary.put("labels", labels.file().toString());
            summary.put("labelled_slices", slices);
            summary.put("unlabelled_value", (float) LabelStore.UNLABELLED);
            Path tmp = Files.createTempDirectory(parent, "." + absOut.getFileName() + ".part-");
            temps.add(tmp);
            NetTrainer trainer = new NetTrainer(o, (done, total) -> {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException();
                }
                listener.progress(done, total);
            }, r -> listener.epoch(r.epoch(), s.epochs(), r.train().loss, r.train().f1, r.val().loss, r.val().f1, r.seconds()));
            // bf16 where the CPU has it (twice as fast, the same F1: docs/net.md#quality-of-bf16), as train's default
            trainer.precision(Precision.AUTO);
            ModelInfo result = trainer.initFrom(model).train(data, data, tmp, pre, summary);
            if (cancelled.getAsBoolean()) {
                throw new CancellationException();
            }
            replace(tmp, absOut, temps);
            return result;
        } finally {
            for (Path t : temps) {
                deleteTree(t);
            }
        }
    }

    /** Training target of one slice: 1 where painted pore, 0 where painted solid, unlabelled elsewhere. */
    static float[] targets(byte[] labels) {
        float[] t = new float[labels.length];
        for (int i = 0; i < t.length; i++) {
            int v = labels[i] & 0xff;
            t[i] = v == LabelStore.PORE ? 1f : v == LabelStore.SOLID ? 0f : MaskEncoding.UNLABELLED;
        }
        return t;
    }

    /** Moves {@code tmp} to {@code out}; an existing {@code out} is moved aside first and deleted after. */
    private static void replace(Path tmp, Path out, List<Path> temps) throws IOException {
        if (Files.exists(out)) {
            Path old = Files.createTempDirectory(out.getParent(), "." + out.getFileName() + ".old-");
            Files.delete(old);
            Files.move(out, old, StandardCopyOption.ATOMIC_MOVE);
            temps.add(old);
        }
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
    }

    static void deleteTree(Path dir) throws IOException {
        poreseg.io.OutputFiles.deleteTree(dir);
    }
}
