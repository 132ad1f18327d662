package poreseg.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import poreseg.net.Architecture;
import poreseg.net.NetBenchmark;
import poreseg.net.NetEngine;
import poreseg.net.Precision;
import poreseg.util.CpuFeatures;

/** 'poreseg bench train' and 'poreseg bench infer': network throughput in images per second. */
abstract class BenchNetCommand implements Callable<Integer> {
    @Option(names = "--arch", defaultValue = "paper", completionCandidates = ArchitectureNames.class,
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--width", description = "unet width (default: " + Architecture.UNET_DEFAULT_WIDTH + ").")
    Integer width;

    @Option(names = "--depth", description = "unet depth (default: " + Architecture.UNET_DEFAULT_DEPTH + ").")
    Integer depth;

    @Option(names = "--batch", defaultValue = "32", description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--size", defaultValue = "256", description = "Image height and width (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--steps", defaultValue = "3", description = "Timed batches after two warm-up batches (default: ${DEFAULT-VALUE}).")
    int steps;

    @Mixin SharedOptions.BenchJson output = new SharedOptions.BenchJson();

    @Option(names = "--profile", paramLabel = "FILE",
            description = "Record the timed batches with libtorch's profiler into FILE (Chrome trace JSON, open in chrome://tracing or "
                    + "Perfetto; summarise with scripts/profile-summary.py). Slows the batches: the throughput is then not comparable.")
    Path profile;

    abstract NetBenchmark.Result run(Architecture a);

    @Override
    public Integer call() {
        if (depth != null) {
            Bounds.check("--depth", depth, 1, 6);
        }
        if (width != null) {
            Bounds.check("--width", width, 1, 512);
        }
        Bounds.check("--batch", batch, 1, 4096);
        Bounds.check("--size", size, 16, 8192);
        Bounds.check("--steps", steps, 1, 100_000);
        Architecture a = Architecture.parse(arch, width, depth);
        if (batch < 1 || steps < 1 || size < a.multiple() || size % a.multiple() != 0) {
            throw new UsageException("need --batch >= 1, --steps >= 1 and --size a multiple of " + a.multiple());
        }
        if (profile != null && java.nio.file.Files.exists(profile, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new UsageException(profile + ": already exists (the profile is written to a new file)");
        }
        String load = loadAverage();
        NetBenchmark.Result r = run(a);
        if (output.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mode", r.mode());
            m.put("arch", a.toString());
            m.put("batch", r.batch());
            m.put("size", r.size());
            m.put("steps", r.steps());
            m.put("seconds", r.seconds());
            m.put("images_per_second", r.imagesPerSecond());
            m.put("precision", r.precision().label());
            if (r.precision() == Precision.INT8) {
                m.put("int8_weight_levels", Precision.int8WeightLevels());
            }
            m.put("path", r.path());
            if (r.optimizer() != null) {
                m.put("optimizer", r.optimizer());
            }
            m.put("engine", NetEngine.describe());
            CpuFeatures cpu = CpuFeatures.current();
            m.put("cpu", cpu.model());
            m.put("cpu_features", cpu.vectorFeatures());
            m.put("cores", Runtime.getRuntime().availableProcessors());
            m.put("load_average_before", load);
            System.out.println(Json.write(m));
        } else {
            System.out.printf(Locale.ROOT, "%s %s: %.2f images/s (%s, %s%s; batch %d, %dx%d, %d batches in %.1f s; %s; %s; load average before: %s)%n",
                    r.mode(), a, r.imagesPerSecond(), r.precision().label()
                            + (r.precision() == Precision.INT8 ? ", weights on +-" + Precision.int8WeightLevels() : ""), r.path(), r.optimizer() == null ? "" : ", " + r.optimizer(), r.batch(), r.size(), r.size(), r.steps(), r.seconds(),
                    NetEngine.describe(), CpuFeatures.describe(), load);
        }
        return 0;
    }

    private static String loadAverage() {
        try {
            String s = Files.readString(Path.of("/proc/loadavg")).trim();
            return s.substring(0, s.indexOf(' ', s.indexOf(' ', s.indexOf(' ') + 1) + 1));
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true, description = "Training throughput (Adam + BCE steps), images/s.")
    static final class Train extends BenchNetCommand {
        @Option(names = "--precision", defaultValue = "fp32",
                description = "fp32, bf16 or auto, as 'train --precision' (default: ${DEFAULT-VALUE}).")
        String precision;

        @Option(names = "--eager", description = "Train layer by layer (DJL blocks) instead of through the TorchScript kernel (fp32).")
        boolean eager;

        @Override
        NetBenchmark.Result run(Architecture a) {
            return NetBenchmark.train(a, batch, size, steps, Precision.parse(precision), eager, profile);
        }
    }

    @Command(name = "infer", mixinStandardHelpOptions = true, description = "Inference throughput (forward, no autograd), images/s.")
    static final class Infer extends BenchNetCommand {
        @Mixin SharedOptions.InferencePrecision precisionOption = new SharedOptions.InferencePrecision();

        @Option(names = "--eager", description = "Run the DJL block layer by layer instead of the TorchScript kernel (fp32).")
        boolean eager;

        @Override
        NetBenchmark.Result run(Architecture a) {
            return NetBenchmark.infer(a, batch, size, steps, precisionOption.get(), eager, profile);
        }
    }
}
