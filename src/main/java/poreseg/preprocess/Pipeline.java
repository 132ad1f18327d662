package poreseg.preprocess;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.Views;
import poreseg.io.Volume;
import poreseg.util.Format;
import poreseg.util.ParameterException;

/**
 * An ordered list of per-slice preprocessing steps, parsed from text such as
 * {@code "destripe,gaussian=1.5,equalize"}. {@code ""}, {@code "raw"} and {@code "none"} are the
 * identity. Pure and thread-safe: the same pipeline may process many slices at once.
 *
 * <p>Values flow as floats in the scale of the input type and are not rounded between steps; steps
 * that need grey levels (equalize) round on their own. Steps that output [0, 1]
 * ({@code equalize-skimage}) switch the scale to float for the steps after them. When writing to an
 * integer type, the writer rounds and clamps ({@link PixelType#clamp(float)}).
 *
 * <p>{@code align} is not a per-slice step: it needs neighbouring slices, see {@link SliceAligner}
 * and {@link StackPlan}.
 */
public final class Pipeline {
    /** The accepted forms of the registered steps, for help and error messages (see {@link Steps}). */
    public static String forms() {
        return Steps.forms();
    }

    private final List<Step> steps;

    public Pipeline(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /** The identity pipeline. */
    public static Pipeline identity() {
        return new Pipeline(List.of());
    }

    /**
     * Parses comma-separated steps. Unknown steps and malformed parameters raise an
     * IllegalArgumentException naming the step and its accepted forms.
     */
    public static Pipeline parse(String text) {
        List<Step> steps = new ArrayList<>();
        String t = text == null ? "" : text.trim();
        if (t.isEmpty() || t.equalsIgnoreCase("raw") || t.equalsIgnoreCase("none")) {
            return identity();
        }
        for (String token : t.split(",", -1)) {
            steps.add(parseStep(token.trim()));
        }
        return new Pipeline(steps);
    }

    /** One step from its text; see {@link Steps#parse}. */
    static Step parseStep(String token) {
        return Steps.parse(token);
    }

    /** Applies all steps to one slice; returns a new array (never the input). */
    public float[] apply(float[] slice, int width, int height, PixelType type) {
        if ((long) width * height != slice.length) {
            throw new ParameterException("slice has " + slice.length + " values, expected " + width + "x" + height);
        }
        float[] cur = slice;
        PixelType t = type;
        for (Step s : steps) {
            cur = s.apply(cur, width, height, t);
            t = s.outputType(t);
        }
        return cur == slice ? slice.clone() : cur;
    }

    /**
     * A lazy view of {@code in} with this pipeline applied to each slice as it is read, stored as
     * {@link #outputType(PixelType, boolean)}; its source names the steps. Closing it closes {@code in}.
     */
    public Volume view(Volume in, boolean floatOutput) {
        StackInfo i = in.info();
        return Views.map(in, i.withType(outputType(i.type(), floatOutput)), in.source() + " [" + spec() + "]",
                s -> apply(s, i.width(), i.height(), i.type()));
    }

    /** The type to store the result in: F32 with {@code floatOutput} or after a [0, 1] step, else the input type. */
    public PixelType outputType(PixelType in, boolean floatOutput) {
        PixelType t = in;
        for (Step s : steps) {
            t = s.outputType(t);
        }
        return floatOutput ? PixelType.F32 : t;
    }

    /** Canonical text ("none" for the identity) that {@link #parse(String)} accepts again. */
    public String spec() {
        if (steps.isEmpty()) {
            return "none";
        }
        StringJoiner j = new StringJoiner(",");
        for (Step s : steps) {
            j.add(s.spec());
        }
        return j.toString();
    }

    public List<Step> steps() {
        return steps;
    }

    public boolean isIdentity() {
        return steps.isEmpty();
    }

    @Override
    public String toString() {
        return spec();
    }

    /** Shortest text of a number that parses back to the same double ("1.5", "3"). */
    static String num(double v) {
        return Format.exact(v);
    }
}
