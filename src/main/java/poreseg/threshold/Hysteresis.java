package poreseg.threshold;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import poreseg.core.ComponentLabels;
import poreseg.io.DataException;
import poreseg.io.SliceSource;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.util.Parallel;
import poreseg.util.ParameterException;
import poreseg.util.ProgressListener;

/**
 * Hysteresis thresholding: pixels beyond the strong threshold are seeds; pixels beyond the weak
 * threshold are kept when connected to a seed through weak pixels. In 2D (each slice alone) with 4-
 * or 8-connectivity; in 3D through the stack with 6- or 26-connectivity. Agrees with
 * {@code skimage.filters.apply_hysteresis_threshold} (which uses {@code ndimage.label}'s default,
 * i.e. 4-connectivity in 2D and 6 in 3D).
 *
 * <p>The 3D version streams: pass 1 labels each slice's weak components (in parallel) and joins
 * components of consecutive slices in a union-find over components, not voxels; pass 2 relabels each
 * slice and keeps the components joined to a seed. Memory: a few slices plus one int per component.
 */
public final class Hysteresis {
    private Hysteresis() {
    }

    /** Connectivity of foreground pixels. */
    public enum Connectivity {
        /** 2D, edge neighbours. */
        C4(false, false),
        /** 2D, edge and corner neighbours. */
        C8(true, false),
        /** 3D, face neighbours. */
        C6(false, true),
        /** 3D, face, edge and corner neighbours. */
        C26(true, true);

        final boolean eight;
        final boolean threeD;

        Connectivity(boolean eight, boolean threeD) {
            this.eight = eight;
            this.threeD = threeD;
        }

        public boolean is3D() {
            return threeD;
        }

        public int number() {
            return switch (this) {
                case C4 -> 4;
                case C8 -> 8;
                case C6 -> 6;
                case C26 -> 26;
            };
        }

        /** 4 or 8 in 2D; in 3D, 4 means 6-connected and 8 means 26 (26 and 6 also accepted). */
        public static Connectivity of(int n, boolean threeD) {
            if (threeD) {
                return switch (n) {
                    case 4, 6 -> C6;
                    case 8, 26 -> C26;
                    default -> throw new ParameterException("connectivity must be 6 or 26 in 3D, got " + n);
                };
            }
            return switch (n) {
                case 4 -> C4;
                case 8 -> C8;
                default -> throw new ParameterException("connectivity must be 4 or 8 in 2D, got " + n + " (6 or 26 need --3d)");
            };
        }
    }

    /** Hysteresis of one 2D slice. Returns a mask: 255 = foreground, 0 = background. */
    public static float[] apply2D(float[] img, int w, int h, Band band, boolean eight) {
        SliceLabels l = SliceLabels.of(img, w, h, band, eight);
        float[] out = new float[img.length];
        for (int i = 0; i < out.length; i++) {
            int lab = l.labels[i];
            if (lab != 0 && l.seeded[lab]) {
                out[i] = 255f;
            }
        }
        return out;
    }

    /**
     * Prepares the hysteresis mask of a volume: 2D connectivities treat every slice alone, 3D ones
     * join slices (pass 1 runs here). The returned source computes mask slices on demand (pass 2),
     * from any thread, and counts the foreground voxels it produced.
     */
    public static MaskSource prepare(Volume v, Band band, Connectivity conn, ProgressListener progress) throws IOException {
        StackInfo info = v.info();
        int w = info.width();
        int h = info.height();
        if (!conn.threeD) {
            return new MaskSource(z -> apply2D(v.slice(z), w, h, band, conn.eight));
        }
        int depth = info.depth();
        int[] offsets = new int[depth + 1];
        UnionFind uf = new UnionFind();
        SliceLabels[] prev = {null};
        int[] z0 = {0};
        Parallel.forEachOrdered(depth, z -> SliceLabels.of(v.slice(z), w, h, band, conn.eight), cur -> {
            int z = z0[0]++;
            long next = (long) offsets[z] + cur.count;
            if (next > Integer.MAX_VALUE - 16) {
                throw new DataException(v.source() + ": too many separate components for 3D hysteresis (over 2^31)");
            }
            offsets[z + 1] = (int) next;
            int base = offsets[z];
            uf.grow((int) next);
            for (int k = 1; k <= cur.count; k++) {
                if (cur.seeded[k]) {
                    uf.seed(base + k - 1);
                }
            }
            if (prev[0] != null) {
                joinSlices(prev[0], offsets[z - 1], cur, base, w, h, conn.eight, uf);
            }
            prev[0] = cur;
        }, progress);
        boolean[] keep = uf.seededComponents();
        return new MaskSource(z -> {
            SliceLabels l = SliceLabels.of(v.slice(z), w, h, band, conn.eight);
            int base = offsets[z];
            float[] out = new float[w * h];
            for (int i = 0; i < out.length; i++) {
                int lab = l.labels[i];
                if (lab != 0 && keep[base + lab - 1]) {
                    out[i] = 255f;
                }
            }
            return out;
        });
    }

    private static void joinSlices(SliceLabels a, int baseA, SliceLabels b, int baseB, int w, int h, boolean full, UnionFind uf) {
        ComponentLabels.forEachLink(a.labels, b.labels, b.count, w, h, full, (ca, cb) -> uf.union(baseA + ca - 1, baseB + cb - 1));
    }

    /** Mask slices computed on demand; counts the foreground voxels produced. */
    public static final class MaskSource implements SliceSource {
        private final SliceSource inner;
        private final AtomicLong foreground = new AtomicLong();

        MaskSource(SliceSource inner) {
            this.inner = inner;
        }

        @Override
        public float[] slice(int z) throws IOException {
            float[] m = inner.slice(z);
            long n = 0;
            for (float f : m) {
                if (f != 0) {
                    n++;
                }
            }
            foreground.addAndGet(n);
            return m;
        }

        /** Foreground voxels in the slices produced so far. */
        public long foreground() {
            return foreground.get();
        }
    }

    /** Union-find over component ids with a "holds a seed" flag per root. */
    private static final class UnionFind {
        private final poreseg.core.UnionFind sets = new poreseg.core.UnionFind(1024);
        boolean[] seed = new boolean[1024];

        void grow(int n) {
            sets.grow(n);
            if (n > seed.length) {
                seed = Arrays.copyOf(seed, (int) Math.min(Integer.MAX_VALUE - 8, Math.max((long) n, 2L * seed.length)));
            }
        }

        void seed(int i) {
            seed[sets.find(i)] = true;
        }

        int find(int i) {
            return sets.find(i);
        }

        void union(int a, int b) {
            boolean s = seed[sets.find(a)] | seed[sets.find(b)];
            seed[sets.union(a, b)] = s;
        }

        boolean[] seededComponents() {
            boolean[] keep = new boolean[sets.size()];
            for (int i = 0; i < keep.length; i++) {
                keep[i] = seed[sets.find(i)];
            }
            return keep;
        }
    }
}
