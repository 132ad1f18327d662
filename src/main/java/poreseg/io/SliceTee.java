package poreseg.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import poreseg.util.IOIntFunction;
import poreseg.util.ParameterException;

/**
 * Several stacks computed together, slice by slice: {@code compute(z)} gives the z-th slice of every
 * part at once (e.g. the mask, the probabilities and the uncertainty of one inference), and
 * {@link #part(int)} hands part i to its own consumer (one {@link TiffWriter} each, running at the same
 * time). Slice z is computed once, by whichever consumer asks first, and kept only until every part has
 * taken it, so no stack is ever held in memory. Each part's slice z must be taken exactly once. A part
 * is a float[] slice ({@link #part}) or, for an 8-bit output made as bytes, a byte[] one ({@link #bytePart}).
 */
public final class SliceTee {
    private final IOIntFunction<Object[]> compute;
    private final int parts;
    private final Map<Integer, Entry> entries = new HashMap<>();
    private IOException failure;

    private static final class Entry {
        Object[] value;
        int remaining;
        boolean computing;
        RuntimeException runtimeError;
        IOException ioError;
    }

    /** {@code compute(z)}: slice z of every part, each a float[] or a byte[] (as its consumer takes it). */
    public SliceTee(int parts, IOIntFunction<Object[]> compute) {
        if (parts < 1) {
            throw new ParameterException("parts must be >= 1, got " + parts);
        }
        this.parts = parts;
        this.compute = compute;
    }

    /** The source of part {@code i}. */
    public SliceSource part(int i) {
        checked(i);
        return z -> (float[]) take(z, i);
    }

    /** The source of part {@code i}, whose slices are byte[]. */
    public ByteSliceSource bytePart(int i) {
        checked(i);
        return z -> (byte[]) take(z, i);
    }

    private int checked(int i) {
        if (i < 0 || i >= parts) {
            throw new ParameterException("part " + i + " of " + parts);
        }
        return i;
    }

    /** Makes every waiting and later request fail (a consumer gave up: nobody will take its parts). */
    public synchronized void fail(IOException cause) {
        if (failure == null) {
            failure = cause;
        }
        notifyAll();
    }

    private Object take(int z, int part) throws IOException {
        Entry e;
        boolean mine;
        synchronized (this) {
            check();
            e = entries.computeIfAbsent(z, k -> new Entry());
            mine = !e.computing;
            e.computing = true;
        }
        if (mine) {
            Object[] v = null;
            RuntimeException re = null;
            IOException io = null;
            try {
                v = compute.apply(z);
                if (v.length != parts) {
                    throw new IllegalStateException("compute gave " + v.length + " parts, expected " + parts);
                }
            } catch (UncheckedIOException u) {
                io = u.getCause();
            } catch (IOException x) {
                io = x;
            } catch (RuntimeException x) {
                re = x;
            }
            synchronized (this) {
                e.value = v;
                e.remaining = parts;
                e.ioError = io;
                e.runtimeError = re;
                notifyAll();
            }
        }
        synchronized (this) {
            while (e.value == null && e.ioError == null && e.runtimeError == null) {
                check();
                try {
                    wait();
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", x);
                }
            }
            if (e.ioError != null) {
                throw e.ioError;
            }
            if (e.runtimeError != null) {
                throw e.runtimeError;
            }
            Object out = e.value[part];
            e.value[part] = null;
            if (--e.remaining == 0) {
                entries.remove(z);
            }
            return out;
        }
    }

    private void check() throws IOException {
        if (failure != null) {
            throw new IOException("another output failed: " + failure.getMessage(), failure);
        }
    }
}
