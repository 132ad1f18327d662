package poreseg.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import poreseg.util.ParameterException;

/** The registry of network architectures by name. */
public final class Architectures {
    private static final Map<String, ArchitectureType> TYPES = new ConcurrentHashMap<>();
    private static final List<String> ORDER = new ArrayList<>();

    static {
        register(new PaperNet());
        register(new UNet());
    }

    private Architectures() {
    }

    /** Makes an architecture known by its name (replacing one of the same name). */
    public static synchronized void register(ArchitectureType type) {
        String name = type.name().toLowerCase(Locale.ROOT);
        if (TYPES.put(name, type) == null) {
            ORDER.add(name);
        }
    }

    /** The architecture of this name (any case); a {@link ParameterException} naming the known ones otherwise. */
    public static ArchitectureType get(String name) {
        ArchitectureType t = TYPES.get(name.toLowerCase(Locale.ROOT));
        if (t == null) {
            throw new ParameterException("unknown architecture '" + name + "' (use " + choices() + ")");
        }
        return t;
    }

    /** The registered names, in registration order. */
    public static synchronized List<String> names() {
        return List.copyOf(ORDER);
    }

    /** "a, b or c". */
    static String choices() {
        List<String> n = names();
        return n.size() == 1 ? n.get(0) : String.join(", ", n.subList(0, n.size() - 1)) + " or " + n.get(n.size() - 1);
    }
}
