package poreseg.preprocess;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import poreseg.util.ParameterException;

/**
 * The registry of per-slice preprocessing steps: a step's name (as in {@code gaussian=1.5}) maps to
 * a factory that makes the step from the text after '=' (null when there is none). A new step is
 * one {@link Step} class plus one {@link #register} line (see docs/architecture.md); the helpers
 * {@link #numbers}, {@link #noArg} and {@link #required} parse its parameter text.
 */
public final class Steps {
    /** Makes a step from the text after '=' (null when the token has none). */
    @FunctionalInterface
    public interface Factory {
        Step create(String arg);
    }

    private record Entry(String form, Factory factory) {
    }

    private static final Map<String, Entry> BY_NAME = new LinkedHashMap<>();

    static {
        register("destripe[=ANGLE[:MINRADIUS]]", arg -> destripe(arg, false), "destripe", "destripe-v");
        register("destripe-h[=ANGLE[:MINRADIUS]]", arg -> destripe(arg, true), "destripe-h");
        register("gaussian=SIGMA", Steps::gaussian, "gaussian");
        register("stretch[=LOW:HIGH] (percentiles)", Steps::stretch, "stretch");
        register("stretch-guarded (min-max, unless a few pixels stretch the range past 2x)", arg -> noArg(arg, new GuardedStretch()), "stretch-guarded");
        register("equalize", arg -> noArg(arg, new Equalize()), "equalize");
        register("equalize-skimage", arg -> noArg(arg, new EqualizeSkimage()), "equalize-skimage");
        register("clahe[=TILE[:CLIP]]", Steps::clahe, "clahe");
        register("invert", arg -> noArg(arg, new Invert()), "invert");
        register("median=RADIUS", arg -> new Median(numbers(required(arg, "RADIUS"), 1, 1)[0]), "median");
        register(null, arg -> {
            throw new ParameterException("is a stack step (it registers each slice to the previous one), not a per-slice step; "
                    + "use 'poreseg preprocess' or SliceAligner");
        }, "align");
    }

    private Steps() {
    }

    /**
     * Makes {@code names} known as a step. {@code form} is its syntax for help and error messages
     * (e.g. {@code gaussian=SIGMA}); null keeps it out of them.
     */
    public static synchronized void register(String form, Factory factory, String... names) {
        for (String n : names) {
            BY_NAME.put(n.toLowerCase(Locale.ROOT), new Entry(form, factory));
        }
    }

    /** The accepted forms, for help and error messages. */
    public static synchronized String forms() {
        List<String> forms = new ArrayList<>();
        for (Entry e : BY_NAME.values()) {
            if (e.form() != null && !forms.contains(e.form())) {
                forms.add(e.form());
            }
        }
        return String.join(", ", forms) + " (comma-separated; '', 'raw' or 'none' for no preprocessing)";
    }

    /** One step from its text ({@code name} or {@code name=ARG}); errors name the step and the accepted forms. */
    public static Step parse(String token) {
        if (token.isEmpty()) {
            throw new ParameterException("empty preprocessing step (steps are separated by single commas); accepted: " + forms());
        }
        int eq = token.indexOf('=');
        String name = (eq < 0 ? token : token.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
        String arg = eq < 0 ? null : token.substring(eq + 1).trim();
        try {
            Entry e;
            synchronized (Steps.class) {
                e = BY_NAME.get(name);
            }
            if (e == null) {
                throw new ParameterException("unknown step");
            }
            return e.factory().create(arg);
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            if (msg != null && msg.startsWith(name + ":")) {
                msg = msg.substring(name.length() + 1).trim();
            }
            throw new ParameterException("preprocessing step '" + token + "': " + msg + "; accepted: " + forms(), e);
        }
    }

    private static Step destripe(String arg, boolean horizontal) {
        if (arg == null) {
            return new Destripe(horizontal);
        }
        double[] p = numbers(arg, 1, 2);
        return new Destripe(p[0], p.length > 1 ? p[1] : Destripe.DEFAULT_MIN_RADIUS, horizontal);
    }

    private static Step gaussian(String arg) {
        double s = numbers(required(arg, "SIGMA"), 1, 1)[0];
        if (!(s > 0)) {
            throw new ParameterException("SIGMA must be > 0");
        }
        return new Gaussian(s);
    }

    private static Step stretch(String arg) {
        if (arg == null) {
            return new Stretch();
        }
        double[] p = numbers(arg.replace("%", ""), 2, 2);
        return new Stretch(p[0], p[1]);
    }

    private static Step clahe(String arg) {
        if (arg == null) {
            return new Clahe(Clahe.DEFAULT_TILE, Clahe.DEFAULT_CLIP);
        }
        double[] p = numbers(arg, 1, 2);
        if (p[0] != Math.rint(p[0]) || p[0] > 65536 || p[0] < 8) {
            throw new ParameterException("TILE must be a whole number of pixels in 8..65536");
        }
        return new Clahe((int) p[0], p.length > 1 ? p[1] : Clahe.DEFAULT_CLIP);
    }

    /** {@code step} when there is no parameter text; a {@link ParameterException} otherwise. */
    public static Step noArg(String arg, Step step) {
        if (arg != null) {
            throw new ParameterException("takes no parameter");
        }
        return step;
    }

    /** The parameter text, which must be there ({@code what} names it in the error). */
    public static String required(String arg, String what) {
        if (arg == null) {
            throw new ParameterException("needs " + what);
        }
        return arg;
    }

    /** {@code min} to {@code max} finite numbers separated by ':'. */
    public static double[] numbers(String arg, int min, int max) {
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
}
