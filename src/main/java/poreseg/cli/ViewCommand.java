package poreseg.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import poreseg.io.OutputFiles;
import poreseg.view.FineTune;
import poreseg.view.LabelStore;
import poreseg.view.ViewServer;
import poreseg.view.ViewSession;
import poreseg.view.ViewStacks;

@Command(name = "view", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Look at a stack, its segmentation and errors in the browser, paint labels and fine-tune the model.",
            "Serves a local web app on 127.0.0.1 only; the first line on stdout is its address with a secret token. "
                + "Labels are saved as an 8-bit TIFF of the stack's size: 255 = pore, 0 = solid, 128 = unlabelled. Ctrl-C stops."})
final class ViewCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "STACK", description = "Image stack, TIFF or folder of slices.")
    Path stack;

    @Option(names = "--mask", paramLabel = "M", description = "Segmentation (prediction) of the stack: non-zero = pore.")
    Path mask;

    @Option(names = "--prob", paramLabel = "P", description = "Pore probabilities 0..1 (from 'segment --prob').")
    Path prob;

    @Option(names = "--uncertainty", paramLabel = "U", description = "Uncertainty map 0..1 of the prediction.")
    Path uncertainty;

    @Option(names = "--truth", paramLabel = "T", description = "True pores (non-zero = pore): adds the error overlay.")
    Path truth;

    @Option(names = "--labels", paramLabel = "L.tif", description = "Label file to read and write (created on the first save; "
            + "default: STACK's name with .labels.tif).")
    Path labels;

    @Option(names = "--model", paramLabel = "MODEL_DIR", defaultValue = "default",
            description = "Model for predictions and fine-tuning: a folder from 'poreseg train', 'default' (bundled U-Net) or 'none' (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--tuned", paramLabel = "DIR", description = "Folder the fine-tuned model is saved to (default: the labels' name with -model).")
    Path tuned;

    @Option(names = "--epochs", defaultValue = "10", description = "Fine-tuning epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--port", defaultValue = "0", description = "Port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--force", description = "Replace an existing --tuned folder.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        Path labelFile = labels != null ? labels : sibling(stack, ".labels.tif");
        Path tunedDir = tuned != null ? tuned : sibling(labelFile, "-model");
        OutputFiles.checkWritable(labelFile, true, stack, mask, prob, uncertainty, truth);
        checkTuned(tunedDir);
        if (epochs < 1) {
            throw new UsageException("--epochs must be >= 1, got " + epochs);
        }
        FineTune.Settings d = FineTune.Settings.defaults();
        FineTune.Settings settings = new FineTune.Settings(epochs, d.batch(), d.lr(), d.patch(), d.steps(), d.seed());
        ViewStacks stacks = ViewStacks.open(stack, mask, prob, uncertainty, truth);
        ViewSession session;
        ViewServer server;
        try {
            LabelStore store = LabelStore.open(labelFile, stacks.info());
            session = new ViewSession(stacks, store, model.equals("none") ? null : model, tunedDir, settings);
            server = ViewServer.start(session, port);
        } catch (IOException | RuntimeException e) {
            stacks.close();
            throw e;
        }
        System.out.println(server.url());
        System.out.flush();
        System.err.printf(Locale.ROOT, "viewing %s (%s); labels -> %s; fine-tuned model -> %s; Ctrl-C stops%n",
                stack, stacks.info().shape(), labelFile, tunedDir);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            try {
                session.shutdown(30_000);
                System.err.println("poreseg view: stopped" + (Files.exists(labelFile) ? "; labels in " + labelFile : ""));
            } catch (IOException | RuntimeException e) {
                System.err.println("poreseg view: could not save the labels: " + e.getMessage());
            } finally {
                try {
                    session.close();
                } catch (IOException e) {
                    // closing read-only stacks
                }
                stopped.countDown();
            }
        }, "poreseg-view-stop"));
        stopped.await();
        return 0;
    }

    /** {@code base} without its image extension, plus {@code suffix}, in the same folder. */
    private static Path sibling(Path base, String suffix) {
        Path abs = base.toAbsolutePath().normalize();
        String name = abs.getFileName().toString().replaceFirst("(?i)\\.(ome\\.)?(tiff?|png|bmp|jpe?g)$", "");
        return abs.resolveSibling(name + suffix);
    }

    private void checkTuned(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UsageException(dir + ": exists and is not a folder (--tuned)");
        }
        if (Files.isDirectory(dir) && !force) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new UsageException(dir + ": already holds files; use --force to replace it with the fine-tuned model, "
                            + "or --tuned to name another folder");
                }
            }
        }
    }
}
