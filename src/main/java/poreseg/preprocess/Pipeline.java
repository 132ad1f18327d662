package poreseg.preprocess;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import poreseg.io.PixelType;
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
    /** The accepted forms, for help and error messages. */
    public static final String FORMS = "destripe[=ANGLE[:MINRADIUS]], destripe-h[=ANGLE[:MINRADIUS]], gaussian=SIGMA, "
            + "stretch[=LOW:HIGH] (percentiles), equalize, equalize-skimage, clahe[=TILE[:CLIP]], invert, median=RADIUS "
            + "(comma-separated; '', 'raw' or 'none' for no preprocessing)";

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

    static Step parseStep(String token) {
        if (token.isEmpty()) {
            throw new ParameterException("empty preprocessing step (steps are separated by single commas); accepted: " + FORMS);
        }
        int eq = token.indexOf('=');
        String name = (eq < 0 ? token : token.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
        String arg = eq < 0 ? null : token.substring(eq + 1).trim();
        try {
            return switch (name) {
                case "destripe", "destripe-h", "destripe-v" -> {
                    boolean hz = name.equals("destripe-h");
                    if (arg == null) {
                        yield new Destripe(hz);
                    }
                    double[] p = numbers(arg, 1, 2);
                    yield new Destripe(p[0], p.length > 1 ? p[1] : Destripe.DEFAULT_MIN_RADIUS, hz);
                }
                case "gaussian" -> {
                    if (arg == null) {
                        throw new ParameterException("needs SIGMA");
                    }
                    double s = numbers(arg, 1, 1)[0];
                    if (!(s > 0)) {
                        throw new ParameterException("SIGMA must be > 0");
                    }
                    yield new Gaussian(s);
                }
                case "stretch" -> {
                    if (arg == null) {
                        yield new Stretch();
                    }
                    double[] p = numbers(arg.replace("%", ""), 2, 2);
                    yield new Stretch(p[0], p[1]);
                }
                case "equalize" -> {
                    noArg(arg);
                    yield new Equalize();
                }
                case "equalize-skimage" -> {
                    noArg(arg);
                    yield new EqualizeSkimage();
                }
                case "clahe" -> {
                    if (arg == null) {
                        yield new Clahe(Clahe.DEFAULT_TILE, Clahe.DEFAULT_CLIP);
                    }
                    double[] p = numbers(arg, 1, 2);
                    if (p[0] != Math.rint(p[0]) || p[0] > 65536 || p[0] < 8) {
                        throw new ParameterException("TILE must be a whole number of pixels in 8..65536");
                    }
                    yield new Clahe((int) p[0], p.length > 1 ? p[1] : Clahe.DEFAULT_CLIP);
                }
                case "invert" -> {
                    noArg(arg);
                    yield new Invert();
                }
                case "median" -> {
                    if (arg == null) {
                        throw new ParameterException("needs RADIUS");
                    }
                    yield new Median(numbers(arg, 1, 1)[0]);
                }
                case "align" -> throw new ParameterException(
                        "is a stack step (it registers each slice to the previous one), not a per-slice step; "
                                + "use 'poreseg preprocess' or SliceAligner");
                default -> throw new ParameterException("unknown step");
            };
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            if (msg != null && msg.startsWith(name + ":")) {
                msg = msg.substring(name.length() + 1).trim();
            }
            throw new ParameterException("preprocessing step '" + token + "': " + msg + "; accepted: " + FORMS, e);
        }
    }

    private static void noArg(String arg) {
        if (arg != null) {
            throw new ParameterException("takes no parameter");
        }
    }

    private static double[] numbers(String arg, int min, int max) {
        String[] parts = arg.split(":", -1);
        if (parts.length < min || parts.length > max) {
            throw new ParameterException("expected " + (min == max ? min : min + " to " + max)
                    + " number" + (max > 1 ? "s separated by ':'" : "") + ", got '" + arg + "'");
        }
        double[] p = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                p[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new ParameterException("'" + parts[i] + "' is not a number");
            }
            if (!Double.isFinite(p[i])) {
                throw new ParameterException("'" + parts[i] + "' is not a finite number");
            }
        }
        return p;
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
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
