package poreseg.preprocess;

import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

/**
 * JTransforms runs large transforms on a thread pool of JLargeArrays whose default threads are not
 * daemons: they kept the JVM alive after the work was done. This installs a daemon pool once.
 */
final class FftThreads {
    private static final AtomicInteger COUNT = new AtomicInteger();

    static {
        ConcurrencyUtils.setThreadPool(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "poreseg-fft-" + COUNT.incrementAndGet());
            t.setDaemon(true);
            return t;
        }));
    }

    private FftThreads() {
    }

    /** Ensures the daemon pool is installed (class initialisation does the work). */
    static void init() {
        // nothing: the static initialiser runs once
    }
}
