package poreseg.io;

import java.util.Locale;

/** Heap estimates before large allocations: fail early with the size needed and how to get it. */
public final class Memory {
    private Memory() {
    }

    /** The heap the JVM may still use (its limit minus what is in use now). */
    public static long available() {
        Runtime r = Runtime.getRuntime();
        return r.maxMemory() - (r.totalMemory() - r.freeMemory());
    }

    /**
     * Raises a {@link DataException} when {@code bytes} will not fit in the heap, saying what needs
     * them and which -Xmx would do (through PORESEG_JAVA_OPTS, read by the poreseg launcher).
     */
    public static void require(long bytes, String what) {
        if (bytes < 0 || bytes > available()) {
            System.gc();
        }
        long avail = available();
        if (bytes < 0 || bytes > avail) {
            double need = bytes < 0 ? Double.POSITIVE_INFINITY : bytes / 1e9;
            long suggest = bytes < 0 ? -1 : (long) Math.ceil((bytes + (Runtime.getRuntime().maxMemory() - avail)) * 1.25 / (1L << 30));
            throw new DataException(String.format(Locale.ROOT, "%s needs about %s GB of memory, but only %.1f GB of the %.1f GB heap "
                    + "are free%s", what, bytes < 0 ? "more than 9e9" : String.format(Locale.ROOT, "%.1f", need), avail / 1e9,
                    Runtime.getRuntime().maxMemory() / 1e9, suggest > 0 && suggest < 1 << 20
                            ? "; give Java more with PORESEG_JAVA_OPTS=-Xmx" + Math.max(1, suggest) + "g (if the machine has it)"
                            : "; choose smaller values"));
        }
    }

    /** a * b * c ... with overflow reported as -1 (i.e. "too much"). */
    public static long product(long... f) {
        long p = 1;
        for (long x : f) {
            try {
                p = Math.multiplyExact(p, x);
            } catch (ArithmeticException e) {
                return -1;
            }
        }
        return p;
    }
}
