package poreseg.io;

import java.io.IOException;

/**
 * Lazy views of volumes: each slice is computed when it is read, nothing is held. One small factory
 * instead of a hand-written {@link Volume} class per view.
 */
public final class Views {
    private Views() {
    }

    /** Computes a new slice from a freshly read one (which it may modify and return). */
    @FunctionalInterface
    public interface SliceMap {
        float[] apply(float[] slice) throws IOException;
    }

    /** {@code v} with every slice passed through {@code f}, described by {@code info}; closing it closes {@code v}. */
    public static Volume map(Volume v, StackInfo info, String source, SliceMap f) {
        return new View(info, source, z -> f.apply(v.slice(z)), v);
    }

    /** {@code v} with every slice passed through {@code f}; same description; closing it closes {@code v}. */
    public static Volume map(Volume v, SliceMap f) {
        return map(v, v.info(), v.source(), f);
    }

    /** {@code v} with another description (e.g. a voxel size for a file that has none); the pixels are the same. */
    public static Volume describedAs(Volume v, StackInfo info) {
        return new View(info, v.source(), v::slice, v);
    }

    /** A volume computed slice by slice by {@code src} (slice indices are checked); nothing to close. */
    public static Volume generated(StackInfo info, String source, SliceSource src) {
        return new View(info, source, z -> {
            if (z < 0 || z >= info.depth()) {
                throw new IndexOutOfBoundsException("slice " + z + " of " + info.depth());
            }
            return src.slice(z);
        }, null);
    }

    private record View(StackInfo info, String source, SliceSource slices, Volume closes) implements Volume {
        @Override
        public float[] slice(int z) throws IOException {
            return slices.slice(z);
        }

        @Override
        public void close() throws IOException {
            if (closes != null) {
                closes.close();
            }
        }
    }
}
