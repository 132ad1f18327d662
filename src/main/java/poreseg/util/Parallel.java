package poreseg.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Streams work over slices on all cores with bounded memory: computes items 0..n-1 in parallel,
 * at most a small window ahead, and hands the results to a consumer in order, on the caller's thread.
 */
public final class Parallel {
    private static final AtomicInteger POOL_ID = new AtomicInteger();

    private Parallel() {
    }

    public static int threads() {
        String p = System.getProperty("poreseg.threads");
        if (p != null) {
            try {
                return Math.max(1, Integer.parseInt(p));
            } catch (NumberFormatException e) {
                // ignore and use the core count
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Computes {@code compute.apply(i)} for i in [0, n) on all cores and passes the results to
     * {@code sink} in index order. At most 2 x threads results are held at once.
     */
    public static <T> void forEachOrdered(int n, IOIntFunction<T> compute, IOConsumer<T> sink, ProgressListener progress)
            throws IOException {
        int threads = Math.min(threads(), Math.max(1, n));
        if (threads == 1) {
            for (int i = 0; i < n; i++) {
                sink.accept(compute.apply(i));
                progress.progress(i + 1, n);
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemonFactory());
        try {
            Deque<Future<T>> window = new ArrayDeque<>();
            int next = 0;
            for (int done = 0; done < n; done++) {
                while (next < n && window.size() < 2 * threads) {
                    final int i = next++;
                    window.add(pool.submit(() -> compute.apply(i)));
                }
                sink.accept(await(window.poll()));
                progress.progress(done + 1, n);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs {@code body.apply(i)} for i in [0, n) on all cores, in no particular order. */
    public static void forEach(int n, IOIntFunction<?> body, ProgressListener progress) throws IOException {
        forEachOrdered(n, body, r -> { }, progress);
    }

    private static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException(c);
        }
    }

    private static ThreadFactory daemonFactory() {
        int id = POOL_ID.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "poreseg-" + id + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
