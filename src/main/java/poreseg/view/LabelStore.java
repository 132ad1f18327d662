package poreseg.view;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import poreseg.io.DataException;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.util.ParameterException;

/**
 * Sparse pore labels of a stack, held in memory per labelled slice and saved as an 8-bit TIFF of the
 * stack's size: {@link #PORE} 255 = pore, {@link #SOLID} 0 = solid, {@link #UNLABELLED} 128 = not
 * labelled (the format {@code train --unlabelled 128} reads). An existing file is read in the
 * background after {@link #open}, so opening is instant; a slice asked for before that is read from
 * the file directly, and saving waits for the read (it never writes over labels it could not read).
 * Saves are serialised and atomic, so concurrent saves cannot corrupt the file.
 */
public final class LabelStore implements AutoCloseable {
    public static final int PORE = poreseg.core.Masks.PORE;
    public static final int SOLID = poreseg.core.Masks.SOLID;
    public static final int UNLABELLED = poreseg.core.Masks.UNLABELLED;

    private final Path file;
    private final StackInfo info;
    private final byte[] empty;
    private final ConcurrentSkipListMap<Integer, byte[]> slices = new ConcurrentSkipListMap<>();
    private final Set<Integer> touched = ConcurrentHashMap.newKeySet();
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final Object saveLock = new Object();
    private final Volume existing;
    private volatile String loadError;
    private volatile boolean closed;
    private long version;
    private long savedVersion;

    private LabelStore(Path file, StackInfo stack, Volume existing) {
        this.file = file;
        this.info = stack;
        this.existing = existing;
        this.empty = new byte[stack.sliceSize()];
        Arrays.fill(empty, (byte) UNLABELLED);
    }

    /**
     * Opens the labels of a stack: reads {@code file} if it exists (its size must be the stack's and
     * its values 0, 128 or 255), otherwise starts with every pixel unlabelled; the file is then created
     * on the first save.
     */
    public static LabelStore open(Path file, StackInfo stack) throws IOException {
        if (Files.isDirectory(file)) {
            throw new DataException(file + ": is a folder, the labels must be a TIFF file");
        }
        if (!Files.exists(file)) {
            Path parent = file.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new DataException(file + ": folder " + parent + " does not exist");
            }
            if (!Files.isWritable(parent)) {
                throw new DataException(file + ": folder " + parent + " is not writable");
            }
            LabelStore s = new LabelStore(file, stack, null);
            s.loaded.countDown();
            return s;
        }
        Volume v = Volumes.open(file);
        try {
            if (!v.info().sameShape(stack)) {
                throw new DataException(file + ": labels are " + v.info().shape() + ", the stack is " + stack.shape());
            }
            if (!Files.isWritable(file)) {
                throw new DataException(file + ": labels file is not writable");
            }
            LabelStore s = new LabelStore(file, stack, v);
            s.check(0, v.slice(0)); // a wrong file fails now, not in the background
            Thread t = new Thread(s::loadAll, "poreseg-labels-load");
            t.setDaemon(true);
            t.start();
            return s;
        } catch (IOException | RuntimeException e) {
            v.close();
            throw e;
        }
    }

    private void loadAll() {
        try {
            for (int z = 0; z < info.depth() && !closed; z++) {
                if (touched.contains(z)) {
                    continue;
                }
                byte[] b = check(z, existing.slice(z));
                if (b != null && !touched.contains(z)) {
                    slices.putIfAbsent(z, b);
                }
            }
        } catch (IOException | RuntimeException e) {
            loadError = e.getMessage();
        } finally {
            loaded.countDown();
        }
    }

    /** The bytes of a slice read from file, or null when it holds no label; rejects other values. */
    private byte[] check(int z, float[] s) {
        byte[] b = new byte[s.length];
        boolean any = false;
        for (int i = 0; i < s.length; i++) {
            float v = s[i];
            if (v != PORE && v != SOLID && v != UNLABELLED) {
                throw new DataException(file + ": slice " + (z + 1) + " holds the value " + v
                        + "; labels must be 255 (pore), 0 (solid) or 128 (unlabelled)");
            }
            b[i] = (byte) (int) v;
            any |= v != UNLABELLED;
        }
        return any ? b : null;
    }

    public Path file() {
        return file;
    }

    public StackInfo info() {
        return info;
    }

    /** A copy of slice z's labels (width * height bytes: 0, 128 or 255). */
    public byte[] slice(int z) throws IOException {
        checkIndex(z);
        byte[] b = slices.get(z);
        if (b == null && existing != null && !touched.contains(z) && loaded.getCount() > 0) {
            byte[] read = check(z, existing.slice(z));
            b = read;
        }
        return b == null ? empty.clone() : b.clone();
    }

    /** Replaces slice z's labels; values must be 0, 128 or 255. */
    public void set(int z, byte[] labels) {
        checkIndex(z);
        if (labels.length != info.sliceSize()) {
            throw new ParameterException("labels of slice " + z + " must have " + info.sliceSize() + " values, got " + labels.length);
        }
        boolean any = false;
        for (byte v : labels) {
            int u = v & 0xff;
            if (u != PORE && u != SOLID && u != UNLABELLED) {
                throw new ParameterException("label value " + u + " (allowed: 0 solid, 128 unlabelled, 255 pore)");
            }
            any |= u != UNLABELLED;
        }
        byte[] copy = labels.clone();
        synchronized (this) {
            touched.add(z);
            if (any) {
                slices.put(z, copy);
            } else {
                slices.remove(z);
            }
            version++;
        }
    }

    /** Slices that hold at least one label, in order (waits for the background read). */
    public List<Integer> labelledSlices() throws IOException {
        awaitLoaded();
        return new ArrayList<>(slices.keySet());
    }

    /** Number of labelled pore and solid pixels, over all slices (waits for the background read). */
    public long[] counts() throws IOException {
        awaitLoaded();
        long pore = 0;
        long solid = 0;
        for (byte[] b : slices.values()) {
            for (byte v : b) {
                int u = v & 0xff;
                pore += u == PORE ? 1 : 0;
                solid += u == SOLID ? 1 : 0;
            }
        }
        return new long[] {pore, solid};
    }

    /** True when there are changes since the last save (or since opening). */
    public synchronized boolean dirty() {
        return version != savedVersion;
    }

    /** Whether the existing file has been read completely. */
    public boolean ready() {
        return loaded.getCount() == 0;
    }

    /** Saves all labels atomically; saves are serialised. Returns the number of labelled slices written. */
    public int save() throws IOException {
        awaitLoaded();
        synchronized (saveLock) {
            ConcurrentSkipListMap<Integer, byte[]> snapshot;
            long v;
            synchronized (this) {
                snapshot = slices.clone();
                v = version;
            }
            LabelTiff.write(file, info.width(), info.height(), info.depth(), info.calibration(), z -> {
                byte[] b = snapshot.get(z);
                return b == null ? empty : b;
            });
            synchronized (this) {
                savedVersion = Math.max(savedVersion, v);
            }
            return snapshot.size();
        }
    }

    private void awaitLoaded() throws IOException {
        try {
            while (!loaded.await(100, TimeUnit.MILLISECONDS)) {
                if (closed) {
                    throw new IOException(file + ": closed");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + file, e);
        }
        if (loadError != null) {
            throw new DataException(file + ": could not read the existing labels, refusing to overwrite them (" + loadError + ")");
        }
    }

    private void checkIndex(int z) {
        if (z < 0 || z >= info.depth()) {
            throw new IndexOutOfBoundsException("slice " + z + " is outside 0.." + (info.depth() - 1));
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        if (existing != null) {
            existing.close();
        }
    }
}
