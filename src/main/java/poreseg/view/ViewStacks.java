package poreseg.view;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import poreseg.io.DataException;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.util.ParameterException;

/**
 * The stacks given on the command line, opened lazily slice by slice (nothing else can be read):
 * the image and optionally a mask, pore probabilities, an uncertainty map and a truth mask, all of
 * the image's size. Recently read slices stay in a small cache bounded in bytes.
 */
public final class ViewStacks implements AutoCloseable {
    /** A stack that can be shown. */
    public enum Layer {
        IMAGE, MASK, PROB, UNCERTAINTY, TRUTH
    }

    private record Key(Layer layer, int z) {
    }

    private final EnumMap<Layer, Volume> volumes;
    private final StackInfo info;
    private final long cacheLimit;
    private long cached;
    private final LinkedHashMap<Key, float[]> cache = new LinkedHashMap<>(16, 0.75f, true);
    /** One thread, at most two waiting reads; older requests are dropped when scrolling fast. */
    private final ThreadPoolExecutor prefetcher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(2), r -> {
        Thread t = new Thread(r, "poreseg-view-prefetch");
        t.setDaemon(true);
        return t;
    }, new ThreadPoolExecutor.DiscardOldestPolicy());

    private ViewStacks(EnumMap<Layer, Volume> volumes) {
        this.volumes = volumes;
        this.info = volumes.get(Layer.IMAGE).info();
        long sliceBytes = 4L * info.sliceSize();
        this.cacheLimit = Math.max(4 * sliceBytes, Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 6));
    }

    /**
     * Opens the stacks; paths other than {@code image} may be null. Every stack must have the image's
     * size and its first slice must be readable, else a {@link DataException} names the file.
     */
    public static ViewStacks open(Path image, Path mask, Path prob, Path uncertainty, Path truth) throws IOException {
        EnumMap<Layer, Volume> v = new EnumMap<>(Layer.class);
        try {
            Map<Layer, Path> paths = new LinkedHashMap<>();
            paths.put(Layer.IMAGE, image);
            paths.put(Layer.MASK, mask);
            paths.put(Layer.PROB, prob);
            paths.put(Layer.UNCERTAINTY, uncertainty);
            paths.put(Layer.TRUTH, truth);
            for (Map.Entry<Layer, Path> e : paths.entrySet()) {
                if (e.getValue() == null) {
                    continue;
                }
                Volume vol = Volumes.open(e.getValue());
                v.put(e.getKey(), vol);
                StackInfo first = v.get(Layer.IMAGE).info();
                if (!vol.info().sameShape(first)) {
                    throw new DataException(e.getValue() + ": " + e.getKey().name().toLowerCase(java.util.Locale.ROOT) + " is "
                            + vol.info().shape() + ", the stack " + image + " is " + first.shape());
                }
                vol.slice(0);
            }
            return new ViewStacks(v);
        } catch (IOException | RuntimeException e) {
            for (Volume vol : v.values()) {
                vol.close();
            }
            throw e;
        }
    }

    public StackInfo info() {
        return info;
    }

    public boolean has(Layer layer) {
        return volumes.containsKey(layer);
    }

    public String source(Layer layer) {
        return volumes.get(layer).source();
    }

    /** Slice z of a layer (shared with the cache: do not modify). */
    public float[] slice(Layer layer, int z) throws IOException {
        Volume v = volumes.get(layer);
        if (v == null) {
            throw new ParameterException("no " + layer + " stack");
        }
        if (z < 0 || z >= info.depth()) {
            throw new IndexOutOfBoundsException("slice " + z + " is outside 0.." + (info.depth() - 1));
        }
        Key k = new Key(layer, z);
        synchronized (cache) {
            float[] s = cache.get(k);
            if (s != null) {
                return s;
            }
        }
        float[] s = v.slice(z);
        synchronized (cache) {
            if (cache.put(k, s) == null) {
                cached += 4L * s.length;
            }
            var it = cache.entrySet().iterator();
            while (cached > cacheLimit && it.hasNext()) {
                var e = it.next();
                if (e.getKey().equals(k)) {
                    continue;
                }
                cached -= 4L * e.getValue().length;
                it.remove();
            }
        }
        return s;
    }

    /** The stack of a layer (null when not open), for reads that bypass the cache. */
    public Volume volume(Layer layer) {
        return volumes.get(layer);
    }

    /** Slice z of a layer read directly, bypassing the cache (for scans over the whole stack). */
    public float[] read(Layer layer, int z) throws IOException {
        return volumes.get(layer).slice(z);
    }

    /** Reads slice z into the cache in the background (ignored when out of range). */
    public void prefetch(Layer layer, int z) {
        if (z < 0 || z >= info.depth() || !has(layer)) {
            return;
        }
        synchronized (cache) {
            if (cache.containsKey(new Key(layer, z))) {
                return;
            }
        }
        prefetcher.execute(() -> {
            try {
                slice(layer, z);
            } catch (IOException | RuntimeException e) {
                // a failed prefetch is reported when the slice is asked for
            }
        });
    }

    @Override
    public void close() throws IOException {
        prefetcher.shutdownNow();
        for (Volume v : volumes.values()) {
            v.close();
        }
    }
}
