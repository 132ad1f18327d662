package poreseg.morpho;

import java.io.IOException;
import java.util.List;
import poreseg.io.Calibration;
import poreseg.util.ProgressListener;

/**
 * In-memory operations on a binary volume held as one 0/1 byte array per slice: hole filling
 * (2D and 3D), keeping the largest 6-connected component, morphological closing. Used by
 * {@link ParticleRoi}. Flood fills use an explicit stack of long voxel indices (no recursion, no
 * 2^31 limit).
 */
final class BinaryMasks {
    private BinaryMasks() {
    }

    /** Morphological closing with a Euclidean ball of radius r (two distance transforms). */
    static void close(List<byte[]> mask, int w, int h, Calibration c, double r) throws IOException {
        int d = mask.size();
        double r2 = r * r;
        float[][] f = new float[d][];
        for (int z = 0; z < d; z++) {
            byte[] b = mask.get(z);
            float[] t = new float[b.length];
            for (int i = 0; i < b.length; i++) {
                t[i] = b[i] != 0 ? 0f : Float.POSITIVE_INFINITY;
            }
            f[z] = t;
        }
        DistanceTransform.squaredInPlace(f, w, h, c, ProgressListener.NONE);
        for (int z = 0; z < d; z++) {
            float[] t = f[z];
            for (int i = 0; i < t.length; i++) {
                // dilated voxels become foreground (+inf) for the erosion, the rest background (0)
                t[i] = t[i] <= r2 ? Float.POSITIVE_INFINITY : 0f;
            }
        }
        DistanceTransform.squaredInPlace(f, w, h, c, ProgressListener.NONE);
        for (int z = 0; z < d; z++) {
            byte[] b = mask.get(z);
            float[] t = f[z];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (t[i] > r2 ? 1 : 0);
            }
            f[z] = null;
        }
    }

    /** Sets to 1 every 0 pixel not 4-connected to the slice border. */
    static void fillHoles2d(byte[] b, int w, int h) {
        byte[] outside = new byte[b.length];
        int[] stack = new int[b.length];
        int top = 0;
        for (int x = 0; x < w; x++) {
            top = seed(b, outside, stack, top, x);
            top = seed(b, outside, stack, top, (h - 1) * w + x);
        }
        for (int y = 0; y < h; y++) {
            top = seed(b, outside, stack, top, y * w);
            top = seed(b, outside, stack, top, y * w + w - 1);
        }
        while (top > 0) {
            int i = stack[--top];
            int x = i % w;
            int y = i / w;
            if (x > 0) {
                top = seed(b, outside, stack, top, i - 1);
            }
            if (x < w - 1) {
                top = seed(b, outside, stack, top, i + 1);
            }
            if (y > 0) {
                top = seed(b, outside, stack, top, i - w);
            }
            if (y < h - 1) {
                top = seed(b, outside, stack, top, i + w);
            }
        }
        for (int i = 0; i < b.length; i++) {
            if (outside[i] == 0) {
                b[i] = 1;
            }
        }
    }

    private static int seed(byte[] b, byte[] outside, int[] stack, int top, int i) {
        if (b[i] == 0 && outside[i] == 0) {
            outside[i] = 1;
            stack[top++] = i;
        }
        return top;
    }

    /** Sets to 1 every 0 voxel not 6-connected to the volume border (values 0/1; uses 2 as a mark). */
    static void fillHoles3d(List<byte[]> m, int w, int h) {
        int d = m.size();
        LongStack st = new LongStack();
        long plane = (long) w * h;
        for (int z = 0; z < d; z++) {
            byte[] b = m.get(z);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (z == 0 || z == d - 1 || y == 0 || y == h - 1 || x == 0 || x == w - 1) {
                        int i = y * w + x;
                        if (b[i] == 0) {
                            b[i] = 2;
                            st.push(z * plane + i);
                        }
                    }
                }
            }
        }
        while (st.size() > 0) {
            long v = st.pop();
            int z = (int) (v / plane);
            int i = (int) (v % plane);
            int x = i % w;
            int y = i / w;
            if (x > 0) {
                mark(m, st, z, i - 1, plane, (byte) 0, (byte) 2);
            }
            if (x < w - 1) {
                mark(m, st, z, i + 1, plane, (byte) 0, (byte) 2);
            }
            if (y > 0) {
                mark(m, st, z, i - w, plane, (byte) 0, (byte) 2);
            }
            if (y < h - 1) {
                mark(m, st, z, i + w, plane, (byte) 0, (byte) 2);
            }
            if (z > 0) {
                mark(m, st, z - 1, i, plane, (byte) 0, (byte) 2);
            }
            if (z < d - 1) {
                mark(m, st, z + 1, i, plane, (byte) 0, (byte) 2);
            }
        }
        for (byte[] b : m) {
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (b[i] == 2 ? 0 : 1);
            }
        }
    }

    private static void mark(List<byte[]> m, LongStack st, int z, int i, long plane, byte from, byte to) {
        byte[] b = m.get(z);
        if (b[i] == from) {
            b[i] = to;
            st.push(z * plane + i);
        }
    }

    /** Keeps the largest 6-connected component of the 1s; returns its voxel count. */
    static long keepLargest(List<byte[]> m, int w, int h) {
        int d = m.size();
        long plane = (long) w * h;
        long best = 0;
        long bestSeed = -1;
        LongStack st = new LongStack();
        for (int z = 0; z < d; z++) {
            byte[] b = m.get(z);
            for (int i = 0; i < b.length; i++) {
                if (b[i] != 1) {
                    continue;
                }
                long seed = z * plane + i;
                long n = flood(m, st, seed, w, h, plane, (byte) 1, (byte) 2);
                if (n > best) {
                    best = n;
                    bestSeed = seed;
                }
            }
        }
        if (bestSeed >= 0) {
            flood(m, st, bestSeed, w, h, plane, (byte) 2, (byte) 3);
        }
        for (byte[] b : m) {
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (b[i] == 3 ? 1 : 0);
            }
        }
        return best;
    }

    private static long flood(List<byte[]> m, LongStack st, long seed, int w, int h, long plane, byte from, byte to) {
        int d = m.size();
        m.get((int) (seed / plane))[(int) (seed % plane)] = to;
        st.push(seed);
        long n = 0;
        while (st.size() > 0) {
            long v = st.pop();
            n++;
            int z = (int) (v / plane);
            int i = (int) (v % plane);
            int x = i % w;
            int y = i / w;
            if (x > 0) {
                mark(m, st, z, i - 1, plane, from, to);
            }
            if (x < w - 1) {
                mark(m, st, z, i + 1, plane, from, to);
            }
            if (y > 0) {
                mark(m, st, z, i - w, plane, from, to);
            }
            if (y < h - 1) {
                mark(m, st, z, i + w, plane, from, to);
            }
            if (z > 0) {
                mark(m, st, z - 1, i, plane, from, to);
            }
            if (z < d - 1) {
                mark(m, st, z + 1, i, plane, from, to);
            }
        }
        return n;
    }

    /** A growable stack of longs. */
    private static final class LongStack {
        private long[] a = new long[1024];
        private int n;

        void push(long v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        long pop() {
            return a[--n];
        }

        int size() {
            return n;
        }
    }
}
