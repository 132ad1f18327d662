package poreseg.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import poreseg.io.OutputFiles;
import poreseg.net.ModelInfo;
import poreseg.workflow.Stages;
import poreseg.workflow.Study;
import poreseg.workflow.Variant;

@Command(name = "study", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The paper's experiment on your labelled stack: preprocessing variants x CNN architectures with k-fold "
                + "cross-validation, plus the digital-threshold baseline; writes Table 2, Figs. 5-7, report.html and report.json.",
            "Every CNN score is out-of-fold: each slice is segmented by the fold model that did not train on it."})
final class StudyCommand implements Callable<Integer> {
    @Option(names = "--images", required = true, paramLabel = "PATH", description = "Image stack or folder of slices.")
    Path images;

    @Option(names = "--masks", required = true, paramLabel = "PATH", description = "Label masks (two-valued; brighter = pore unless --pore-value).")
    Path masks;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--folds", defaultValue = "2", description = "Cross-validation folds (default ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--epochs", defaultValue = "100", description = "Epochs per fold (default ${DEFAULT-VALUE}, the paper's).")
    int epochs;

    @Option(names = "--archs", defaultValue = "paper,unet", split = ",", completionCandidates = ArchitectureNames.class,
            description = "Architectures among ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    List<String> archs;

    @Option(names = "--preprocess", defaultValue = "none;stretch;equalize", split = ";", paramLabel = "STEPS;STEPS",
            description = "Preprocessing variants separated by ';' (default ${DEFAULT-VALUE}: raw, stretch, equalize).")
    List<String> preprocessing;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--patch", defaultValue = "256", description = "Training patch size (default ${DEFAULT-VALUE}).")
    int patch;

    @Option(names = "--steps", defaultValue = "0", description = "Batches per epoch; 0 = cover the training slices once.")
    int steps;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--pore-value", paramLabel = "V", description = "Mask value that means pore (default: the brighter of two values).")
    Float poreValue;

    @Option(names = "--quick", description = "A smoke run: 3 epochs of 4 batches of 8 patches of at most 128 pixels, no distance measures.")
    boolean quick;

    @Mixin SharedOptions.NonEmptyFolder overwrite = new SharedOptions.NonEmptyFolder();

    @Override
    public Integer call() throws Exception {
        if (quick) {
            epochs = Math.min(epochs, 3);
            steps = steps == 0 ? 4 : steps;
            batch = Math.min(batch, 8);
            patch = Math.min(patch, 128);
        }
        Bounds.check("--folds", folds, 2, 100);
        Bounds.check("--epochs", epochs, 1, 100_000);
        Bounds.check("--batch", batch, 1, 4096);
        Bounds.check("--patch", patch, 16, 4096);
        Bounds.check("--steps", steps, 0, 1_000_000);
        for (String a : archs) {
            poreseg.net.Architecture.parse(a.trim(), null, null); // unknown names fail here, before any folder is made
        }
        for (String p : preprocessing) {
            poreseg.net.Preprocessing.parse(p);
        }
        // one batch of patches and its float copies; the networks need many times more, but this catches absurd sizes early
        poreseg.io.Memory.require(poreseg.io.Memory.product(batch, patch, patch, 4L * 8), "a training batch of " + batch
                + " patches of " + patch + "x" + patch);
        try (poreseg.io.Volume v = poreseg.io.Volumes.open(images)) {
            poreseg.io.NonFinite.require(v, poreseg.util.ProgressListener.NONE); // before any folder is made
        }
        OutputFiles.Rollback rollback = OutputFiles.Rollback.of(out);
        try {
            int code = run();
            rollback.commit();
            return code;
        } catch (Exception | Error e) {
            rollback.undo();
            throw e;
        }
    }

    private int run() throws Exception {
        Stages stages = name -> {
            System.err.println("poreseg study: " + name);
            return new ConsoleProgress("  " + name);
        };
        Study.Result r = Study.run(new Study.Options(images, masks, out, folds, epochs, archs, preprocessing, batch, patch, steps, seed,
                poreValue, quick, overwrite.force), stages);
        System.out.printf(Locale.ROOT, "%n%-28s %9s %9s %9s %9s %10s%n", "variant", "test acc", "test F1", "test MSE", "OOF F1", "porosity");
        Variant t = r.truth();
        System.out.printf(Locale.ROOT, "%-28s %9s %9s %9s %9s %9.3f%%%n", t.name(), "", "", "", "", 100 * t.measures().porosity());
        for (Variant b : r.baselines()) {
            var s = b.evaluation().total();
            System.out.printf(Locale.ROOT, "%-28s %9.4f %9.4f %9.5f %9.4f %9.3f%%%n", b.name(), s.accuracy(), s.f1(), s.mse(), s.f1(),
                    100 * b.measures().porosity());
        }
        for (Study.CnnVariant c : r.cnns()) {
            ModelInfo.Scores te = c.testMean();
            System.out.printf(Locale.ROOT, "%-28s %9.4f %9.4f %9.5f %9.4f %9.3f%%%n", c.name(), te.accuracy, te.f1, te.mse,
                    c.segmentation().evaluation().total().f1(), 100 * c.segmentation().measures().porosity());
        }
        System.out.println("report: " + r.report().toAbsolutePath());
        return 0;
    }
}
