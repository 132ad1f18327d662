package poreseg.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import poreseg.workflow.Analysis;
import poreseg.workflow.Demo;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The main job on built-in data: generate a synthetic FIB-SEM stack with exact truth, segment it with the "
                + "bundled CNN and with a threshold baseline, measure 3D porosity and surface area of each, score them "
                + "against the truth and write report.html (the same pipeline as 'poreseg analyze').",
            "With --images, the same on your own stack: 'poreseg analyze STACK --baseline' (no truth: measures and figures only)."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "poreseg-demo", paramLabel = "DIR", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--quick", description = "Small data, about ten seconds (used by CI).")
    boolean quick;

    @Option(names = "--images", paramLabel = "STACK", description = "Your own stack (TIFF or folder of slices) instead of synthetic data.")
    Path images;

    @Option(names = "--roi", paramLabel = "MASK", description = "Particle mask of --images (255 = inside); see 'poreseg roi'.")
    Path roi;

    @Mixin SharedOptions.AnalysisModel modelOption = new SharedOptions.AnalysisModel();

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the synthetic data (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin SharedOptions.NonEmptyFolder overwrite = new SharedOptions.NonEmptyFolder();

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (roi != null && images == null) {
            throw new UsageException("--roi needs --images (the synthetic data brings its own)");
        }
        Analysis.Options options = new Demo.Options(out, quick, images, roi, modelOption.model, seed, overwrite.force).analysis();
        Analysis.Result r = Analysis.run(options, AnalysisOutput.stages("demo", json), w -> AnalysisOutput.warn("demo", w));
        AnalysisOutput.print(r, json);
        return 0;
    }
}
