package poreseg.preprocess;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;
import poreseg.io.DataException;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.TiffWriter;
import poreseg.io.Volume;
import poreseg.preprocess.SliceAligner.Shift;
import poreseg.util.ParameterException;
import poreseg.util.ProgressListener;

/**
 * Runs a {@link StackPlan} over a whole stack and writes the result: the steps before {@code align},
 * the alignment (shifts estimated on the preprocessed slices, or read from a file), the steps after
 * it. Slices are processed on all cores; the output keeps the input type unless a step or
 * {@code floatOutput} makes it float.
 */
public final class StackPreprocessing {
    private StackPreprocessing() {
    }

    /**
     * Alignment settings (used only when the plan aligns).
     *
     * @param shiftsIn shifts to apply (CSV slice,dx,dy) instead of estimating them; null to estimate
     * @param minQuality a slice-to-slice match of lower correlation peak quality is rejected (slice not moved)
     * @param nearest nearest-neighbour translation with 0 outside (masks, labels) instead of bilinear
     */
    public record Alignment(Path shiftsIn, double minQuality, boolean nearest) {
        public static final Alignment NONE = new Alignment(null, 12, false);

        boolean given() {
            return shiftsIn != null || nearest;
        }
    }

    /**
     * What was done.
     *
     * @param shifts the cumulative shift of each slice; null without {@code align}
     * @param alignment the estimate behind the shifts (qualities, rejected matches); null when they were read from a file
     */
    public record Result(PixelType inputType, PixelType outputType, StackInfo info, Shift[] shifts, SliceAligner.Alignment alignment) {
    }

    /**
     * Preprocesses {@code v} by {@code plan} into {@code output}. {@code progress} gives a listener
     * for each stage ("aligning", "preprocessing").
     */
    public static Result run(Volume v, StackPlan plan, boolean floatOutput, Alignment a, Path output,
            Function<String, ProgressListener> progress) throws IOException {
        if (!plan.align() && a.given()) {
            throw new ParameterException("{shifts} and {nearest} need 'align' in the steps");
        }
        StackInfo info = v.info();
        int w = info.width();
        int h = info.height();
        PixelType inType = info.type();
        PixelType midType = plan.before().outputType(inType, false);
        PixelType outType = plan.outputType(inType, floatOutput);
        Pipeline before = plan.before();
        Pipeline after = plan.after();
        Shift[] shifts = null;
        SliceAligner.Alignment alignment = null;
        if (plan.align()) {
            if (a.shiftsIn() != null) {
                shifts = ShiftsFile.read(a.shiftsIn());
                if (shifts.length != info.depth()) {
                    throw new DataException(a.shiftsIn() + ": has " + shifts.length + " shifts but " + v.source() + " has "
                            + info.depth() + " slices");
                }
            } else {
                alignment = SliceAligner.alignStack(z -> before.apply(v.slice(z), w, h, inType), info.depth(), w, h, a.minQuality(),
                        progress.apply("aligning"));
                shifts = alignment.shifts();
            }
        }
        Shift[] sh = shifts;
        TiffWriter.write(output, info.withType(outType), z -> {
            float[] s = before.apply(v.slice(z), w, h, inType);
            if (sh != null) {
                s = SliceAligner.translate(s, w, h, sh[z], a.nearest());
            }
            return after.apply(s, w, h, midType);
        }, progress.apply("preprocessing"));
        return new Result(inType, outType, info, shifts, alignment);
    }
}
