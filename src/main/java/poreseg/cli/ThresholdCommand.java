package poreseg.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;
import poreseg.io.OutputFiles;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.threshold.Thresholding;
import poreseg.util.ProgressListener;

@Command(name = "threshold", mixinStandardHelpOptions = true,
        description = {"Segment a stack by a global threshold and write an 8-bit mask (255 = foreground = pore, 0 = other).",
            "otsu, li, triangle, mean: scikit-image semantics on the whole stack's histogram (one bin per grey value for "
                + "8/16-bit, --bins bins for float); foreground is value > threshold, or value <= threshold with --dark.",
            "hysteresis: seeds are pixels beyond --strong, pixels beyond --weak join when connected to a seed "
                + "(4/8-connected per slice, or 6/26-connected through the stack with --3d); beyond = above, or below with --dark. "
                + "Without --weak/--strong: weak = Otsu threshold, strong = halfway from it to the mean of the foreground side."})
final class ThresholdCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "Image, stack or folder of slices.")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output mask (multi-page TIFF, 8-bit).")
    Path output;

    @Option(names = "--method", required = true, paramLabel = "METHOD",
            completionCandidates = ThresholdMethodNames.class, description = "${COMPLETION-CANDIDATES}.")
    String method;

    @Option(names = "--dark", description = "Foreground (pores) is dark: below the threshold.")
    boolean dark;

    @Option(names = "--weak", paramLabel = "T", description = "Hysteresis: weak threshold (in image grey values).")
    Double weak;

    @Option(names = "--strong", paramLabel = "T", description = "Hysteresis: strong (seed) threshold.")
    Double strong;

    @Option(names = "--connectivity", paramLabel = "N", description = "Hysteresis: 4 or 8 per slice (default 4); with --3d 6 or 26 (default 6).")
    Integer connectivity;

    @Option(names = "--3d", description = "Hysteresis: connect through the stack (6- or 26-connected).")
    boolean threeD;

    @Option(names = "--bins", paramLabel = "N", defaultValue = "256", description = "Histogram bins for float images (default ${DEFAULT-VALUE}; li uses at least 65536).")
    int bins;

    @Mixin SharedOptions.ReplaceOut overwrite = new SharedOptions.ReplaceOut();

    @CommandLine.Mixin
    NanOption nan = new NanOption();

    @Option(names = "--json", description = "Print the thresholds and the foreground fraction as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Thresholding.Options o = new Thresholding.Options(method, dark, weak, strong, connectivity, threeD, bins);
        nan.validate();
        OutputFiles.checkWritable(output, overwrite.force, input);
        try (Volume opened = Volumes.open(input)) {
            Volume v = nan.apply(opened, json ? ProgressListener.NONE : new ConsoleProgress("checking"));
            Thresholding.Result r = Thresholding.run(v, o, output, stage -> json ? ProgressListener.NONE : new ConsoleProgress(stage));
            print(o, r);
        }
        return 0;
    }

    private void print(Thresholding.Options o, Thresholding.Result r) {
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("input", input.toString());
            out.put("output", output.toString());
            out.put("method", o.method());
            out.put("dark", dark);
            if (!o.hysteresis()) {
                out.put("threshold", r.threshold());
            } else {
                out.put("weak", r.weak());
                out.put("strong", r.strong());
                out.put("automatic", r.automatic());
                out.put("connectivity", r.connectivity());
            }
            out.put("foreground_voxels", r.foreground());
            out.put("voxels", r.voxels());
            out.put("foreground_fraction", r.foregroundFraction());
            out.put("image_min", r.min());
            out.put("image_max", r.max());
            System.out.println(Json.write(out));
            return;
        }
        if (o.hysteresis()) {
            System.out.printf(Locale.ROOT, "hysteresis (%s, %d-connected%s): weak %s, strong %s%n",
                    dark ? "dark foreground" : "bright foreground", r.connectivity(), r.threeD() ? ", 3D" : "",
                    Thresholding.num(r.weak()), Thresholding.num(r.strong()));
        } else {
            System.out.printf(Locale.ROOT, "%s threshold: %s (foreground: value %s threshold)%n", o.method(), Thresholding.num(r.threshold()),
                    dark ? "<=" : ">");
        }
        System.out.printf(Locale.ROOT, "foreground: %d of %d voxels (%.4f %%)%n", r.foreground(), r.voxels(), 100.0 * r.foreground() / r.voxels());
        System.out.printf(Locale.ROOT, "wrote %s%n", output);
    }
}
