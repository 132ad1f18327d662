package poreseg.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;
import poreseg.io.OutputFiles;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.preprocess.Pipeline;
import poreseg.preprocess.ShiftsFile;
import poreseg.preprocess.SliceAligner.Shift;
import poreseg.preprocess.SliceAligner;
import poreseg.preprocess.StackPlan;
import poreseg.preprocess.StackPreprocessing;
import poreseg.util.ProgressListener;

@Command(name = "preprocess", mixinStandardHelpOptions = true,
        description = {"Apply preprocessing steps, in the given order, to every slice of a stack (all cores), "
                + "keeping the bit depth unless --float is given (equalize-skimage always gives float).",
            PreprocessCommand.STEPS_LINE,
            "See docs/preprocess.md for the exact semantics of each step."})
final class PreprocessCommand implements Callable<Integer> {
    /** The help line of the steps; {@link #describeSteps} fills in the registered ones. */
    static final String STEPS_LINE = "Steps: %s, and align (registers each slice to the previous one; stacks only).";

    /** Lists the registered preprocessing steps in the help (they are not known at compile time). */
    static void describeSteps(CommandLine.Model.CommandSpec spec) {
        String[] d = spec.usageMessage().description().clone();
        for (int i = 0; i < d.length; i++) {
            if (d[i].equals(STEPS_LINE)) {
                d[i] = String.format(STEPS_LINE, Pipeline.forms());
            }
        }
        spec.usageMessage().description(d);
    }

    @Parameters(index = "0", paramLabel = "IN", description = "Image, stack or folder of slices.")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output stack (multi-page TIFF).")
    Path output;

    @Option(names = "--steps", required = true, paramLabel = "S1,S2,...", description = "Comma-separated steps, e.g. destripe,gaussian=1.5,equalize.")
    String steps;

    @Option(names = "--float", description = "Write 32-bit float (unrounded values) instead of the input bit depth.")
    boolean floatOutput;

    @Option(names = "--shifts", paramLabel = "FILE", description = "align: apply these shifts (CSV slice,dx,dy, as written by --shifts-out) instead of estimating them, e.g. to a mask stack.")
    Path shiftsIn;

    @Option(names = "--shifts-out", paramLabel = "FILE", description = "align: write the cumulative shifts as CSV (slice,dx,dy).")
    Path shiftsOut;

    @Option(names = "--min-quality", paramLabel = "Q", defaultValue = "12",
            description = "align: reject a slice-to-slice match whose correlation peak quality (peak / RMS of the surface) is below Q; "
                    + "that slice is not moved relative to the previous one (default ${DEFAULT-VALUE}).")
    double minQuality;

    @Option(names = "--nearest", description = "align: nearest-neighbour translation with 0 outside (for masks and labels) instead of bilinear.")
    boolean nearest;

    @Mixin SharedOptions.ReplaceFiles overwrite = new SharedOptions.ReplaceFiles();

    @CommandLine.Mixin
    NanOption nan = new NanOption();

    @Option(names = "--json", description = "Print a JSON summary (steps, types, timing, shifts) on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        StackPlan plan = StackPlan.parse(steps);
        Bounds.check("--min-quality", minQuality, 0, 1e9);
        if (!plan.align() && (shiftsIn != null || shiftsOut != null || nearest)) {
            throw new UsageException("--shifts, --shifts-out and --nearest need 'align' in --steps");
        }
        nan.validate();
        OutputFiles.checkWritable(output, overwrite.force, input);
        if (shiftsOut != null) {
            OutputFiles.checkWritable(shiftsOut, overwrite.force, input);
            if (shiftsOut.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())) {
                throw new UsageException("--shifts-out and OUT name the same file " + output);
            }
        }
        long t0 = System.nanoTime();
        try (Volume opened = Volumes.open(input)) {
            Volume v = nan.apply(opened, json ? ProgressListener.NONE : new ConsoleProgress("checking"));
            StackPreprocessing.Result r = StackPreprocessing.run(v, plan, floatOutput,
                    new StackPreprocessing.Alignment(shiftsIn, minQuality, nearest), output,
                    stage -> json ? ProgressListener.NONE : new ConsoleProgress(stage));
            if (shiftsOut != null && r.shifts() != null) {
                OutputFiles.writeString(shiftsOut, ShiftsFile.toCsv(r.shifts()));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (json) {
                printJson(plan, r, seconds);
            } else {
                printText(plan, r, seconds);
            }
        }
        return 0;
    }

    private void printJson(StackPlan plan, StackPreprocessing.Result r, double seconds) {
        StackInfo info = r.info();
        Shift[] shifts = r.shifts();
        SliceAligner.Alignment alignment = r.alignment();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input", input.toString());
        m.put("output", output.toString());
        m.put("steps", plan.spec());
        m.put("input_type", r.inputType().label());
        m.put("output_type", r.outputType().label());
        m.put("width", info.width());
        m.put("height", info.height());
        m.put("slices", info.depth());
        m.put("seconds", seconds);
        m.put("megapixels_per_second", info.voxels() / 1e6 / seconds);
        if (shifts != null) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (int z = 0; z < shifts.length; z++) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("slice", z);
                e.put("dx", shifts[z].dx());
                e.put("dy", shifts[z].dy());
                if (alignment != null && z > 0) {
                    e.put("quality", alignment.quality()[z]);
                    e.put("rejected", alignment.rejected()[z]);
                }
                list.add(e);
            }
            m.put("shifts", list);
            if (shiftsOut != null) {
                m.put("shifts_file", shiftsOut.toString());
            }
            if (alignment != null) {
                m.put("rejected_matches", alignment.rejectedCount());
            }
        }
        System.out.println(Json.write(m));
    }

    private void printText(StackPlan plan, StackPreprocessing.Result r, double seconds) {
        StackInfo info = r.info();
        Shift[] shifts = r.shifts();
        SliceAligner.Alignment alignment = r.alignment();
        System.out.printf(Locale.ROOT, "steps: %s%n", plan.spec());
        System.out.printf(Locale.ROOT, "%s: %dx%dx%d %s -> %s in %.2f s (%.1f MP/s)%n", output, info.width(), info.height(), info.depth(),
                r.inputType().label(), r.outputType().label(), seconds, info.voxels() / 1e6 / seconds);
        if (shifts == null) {
            return;
        }
        Shift last = shifts[shifts.length - 1];
        double maxAbs = 0;
        for (Shift s : shifts) {
            maxAbs = Math.max(maxAbs, Math.max(Math.abs(s.dx()), Math.abs(s.dy())));
        }
        System.out.printf(Locale.ROOT, "align: last slice shifted by (%.2f, %.2f) px, largest |shift| %.2f px%s%n",
                last.dx(), last.dy(), maxAbs, shiftsOut != null ? "; shifts in " + shiftsOut : "");
        if (alignment != null && alignment.rejectedCount() > 0) {
            List<Integer> bad = new ArrayList<>();
            for (int z = 1; z < shifts.length; z++) {
                if (alignment.rejected()[z]) {
                    bad.add(z);
                }
            }
            System.err.printf(Locale.ROOT, "poreseg: warning: %d of %d slices had no reliable match to the previous slice "
                    + "(quality < %s) and were not moved: slices %s%n", bad.size(), shifts.length - 1, minQuality, bad);
        }
    }
}
