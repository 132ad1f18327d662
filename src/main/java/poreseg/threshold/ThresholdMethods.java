package poreseg.threshold;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import poreseg.util.ParameterException;

/**
 * The registry of global threshold methods by name (built in: otsu, li, triangle, mean;
 * {@code hysteresis} is not a global method, see {@link Thresholding}). A new method is one
 * {@link ThresholdMethod} class plus one {@link #register} line.
 */
public final class ThresholdMethods {
    /** The name of the two-threshold method, handled by {@link Hysteresis}. */
    public static final String HYSTERESIS = "hysteresis";

    private static final Map<String, ThresholdMethod> BY_NAME = new LinkedHashMap<>();

    static {
        for (AutoThreshold.Method m : AutoThreshold.Method.values()) {
            register(m);
        }
    }

    private ThresholdMethods() {
    }

    public static synchronized void register(ThresholdMethod m) {
        BY_NAME.put(m.id().toLowerCase(Locale.ROOT), m);
    }

    /** The method of this name (any case); a {@link ParameterException} naming the known ones otherwise. */
    public static synchronized ThresholdMethod get(String name) {
        ThresholdMethod m = BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
        if (m == null) {
            throw new ParameterException("{method}: unknown method '" + name + "' (use " + choices() + ")");
        }
        return m;
    }

    /** All method names, hysteresis included, in the order of the help: otsu, hysteresis, li, ... */
    public static synchronized List<String> names() {
        List<String> n = new ArrayList<>(BY_NAME.keySet());
        n.add(Math.min(1, n.size()), HYSTERESIS);
        return n;
    }

    /** "a, b or c". */
    public static String choices() {
        List<String> n = names();
        return String.join(", ", n.subList(0, n.size() - 1)) + " or " + n.get(n.size() - 1);
    }
}
