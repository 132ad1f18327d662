package poreseg.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import poreseg.workflow.Analysis;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"The main job on your stack: segment the pores with a trained CNN (the model's own preprocessing; the fold "
                + "models of a k-fold model averaged), write the mask, probability and uncertainty, measure 3D porosity with its "
                + "interval, pore volume, surface area and specific surface (inside a region of interest if given) and write "
                + "DIR/report.html and report.json.",
            "Exit codes: 1 bad data (missing or unreadable stack, ROI of another size), 2 usage, 130 interrupted; a failed run "
                + "removes what it added to DIR."})
final class AnalyzeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "STACK", description = "Raw stack: TIFF (multi-page or not), image, or folder of slices.")
    Path stack;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created; must be empty unless --force).")
    Path out;

    @Mixin SharedOptions.AnalysisModel modelOption = new SharedOptions.AnalysisModel();

    @Option(names = "--fold", paramLabel = "N", description = "Use only fold N of a k-fold model (default: the mean of all folds).")
    Integer fold;

    @Option(names = "--roi", defaultValue = "none", paramLabel = "auto|MASK|none",
            description = "Region of interest: 'auto' computes the particle mask from the stack (as 'poreseg roi', written to "
                    + "DIR/roi.tif), MASK is a mask of the stack's size (non-zero = inside), 'none' (default) measures the whole stack.")
    String roi;

    @Option(names = "--voxel", paramLabel = "X,Y,Z", description = "Voxel size, overriding the stack's calibration (e.g. 9,9,15).")
    String voxel;

    @Option(names = "--unit", description = "Unit of length of --voxel (e.g. nm; default: the stack's unit).")
    String unit;

    @Mixin SharedOptions.ProbabilityThreshold thresholdOption = new SharedOptions.ProbabilityThreshold();

    @Option(names = "--baseline", description = "Also segment with the paper's global Otsu threshold (after destripe, Gaussian 1.5), for comparison.")
    boolean baseline;

    @Option(names = "--quick", description = "Skip the slow distance measures (pore sizes) and draw smaller figures.")
    boolean quick;

    @Mixin SharedOptions.NonEmptyFolder overwrite = new SharedOptions.NonEmptyFolder();

    @Mixin SharedOptions.InferencePrecision precisionOption = new SharedOptions.InferencePrecision();

    @Option(names = "--json", description = "Print the results as JSON on stdout (porosity, porosity_interval, measures, per_slice).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Analysis.Options o = new Analysis.Options(stack, null, out, modelOption.model, fold, thresholdOption.threshold,
                Analysis.Roi.parse(roi), voxel, unit, baseline, quick, overwrite.force, precisionOption.get());
        Analysis.Result r = Analysis.run(o, AnalysisOutput.stages("analyze", json), w -> AnalysisOutput.warn("analyze", w));
        AnalysisOutput.print(r, json);
        return 0;
    }
}
