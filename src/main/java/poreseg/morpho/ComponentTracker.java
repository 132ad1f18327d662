package poreseg.morpho;

import poreseg.core.ComponentLabels;
import poreseg.core.UnionFind;

import java.util.Arrays;

/**
 * Streaming 3D connected components: slices are added in order, each already labelled in 2D
 * ({@link ComponentLabels}); components still touching the last slice are kept "open" with their
 * voxel count and bounding box, and are closed as soon as a slice does not continue them. Memory
 * is two slices of labels plus the open components; counters are {@code long}.
 * 6-connectivity uses 4-connected slices and the voxel straight below; 26-connectivity uses
 * 8-connected slices and the 3x3 voxels below.
 */
final class ComponentTracker {
    private final boolean full;
    private final int[] box;
    private ComponentLabels prev;
    private int[] prevMap = new int[1];
    private int open;
    private long[] size = new long[16];
    private int[][] bounds = new int[16][];
    private long components;
    private long largest;
    private final boolean[] percolates = new boolean[3];

    /**
     * @param full 26-connectivity when true, else 6
     * @param box  the region's bounding box {x0, x1, y0, y1, z0, z1} (inclusive) that a component
     *             must span to percolate along an axis
     */
    ComponentTracker(boolean full, int[] box) {
        this.full = full;
        this.box = box.clone();
    }

    void add(ComponentLabels cur, int z) {
        int k = open;
        int m = cur.count;
        int[] parent = new int[k + m];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        if (prev != null && k > 0 && m > 0) {
            ComponentLabels.forEachLink(prev.labels, cur.labels, m, cur.width, cur.height, full,
                    (p, l) -> UnionFind.union(parent, k + l - 1, prevMap[p]));
        }
        long[] sz = new long[k + m];
        int[][] bb = new int[k + m][];
        boolean[] hasNew = new boolean[k + m];
        for (int n = 0; n < k + m; n++) {
            int r = UnionFind.find(parent, n);
            long s;
            int[] b;
            if (n < k) {
                s = size[n];
                b = bounds[n];
            } else {
                int l = n - k + 1;
                s = cur.size[l];
                b = new int[] {cur.minX[l], cur.maxX[l], cur.minY[l], cur.maxY[l], z, z};
                hasNew[r] = true;
            }
            sz[r] += s;
            if (bb[r] == null) {
                bb[r] = b.clone();
            } else {
                union(bb[r], b);
            }
        }
        int[] index = new int[k + m];
        long[] nsize = new long[Math.max(16, m)];
        int[][] nbounds = new int[nsize.length][];
        int nopen = 0;
        for (int n = 0; n < k + m; n++) {
            if (parent[n] != n) {
                continue;
            }
            if (hasNew[n]) {
                index[n] = nopen;
                nsize[nopen] = sz[n];
                nbounds[nopen] = bb[n];
                nopen++;
            } else {
                close(sz[n], bb[n]);
            }
        }
        int[] map = new int[m + 1];
        for (int l = 1; l <= m; l++) {
            map[l] = index[UnionFind.find(parent, k + l - 1)];
        }
        prev = cur;
        prevMap = map;
        open = nopen;
        size = nsize;
        bounds = nbounds;
    }

    /** Closes all open components; call once after the last slice. */
    void finish() {
        for (int n = 0; n < open; n++) {
            close(size[n], bounds[n]);
        }
        open = 0;
        prev = null;
    }

    long components() {
        return components;
    }

    long largest() {
        return largest;
    }

    /** Whether some component spans the region's bounding box along x, y, z. */
    boolean[] percolates() {
        return percolates.clone();
    }

    private void close(long s, int[] b) {
        components++;
        largest = Math.max(largest, s);
        for (int a = 0; a < 3; a++) {
            if (b[2 * a] <= box[2 * a] && b[2 * a + 1] >= box[2 * a + 1]) {
                percolates[a] = true;
            }
        }
    }

    @Override
    public String toString() {
        return "ComponentTracker" + Arrays.toString(box);
    }

    /** Grows the bounding box {minX, maxX, minY, maxY, minZ, maxZ} {@code box} to contain {@code b}. */
    static void union(int[] box, int[] b) {
        box[0] = Math.min(box[0], b[0]);
        box[1] = Math.max(box[1], b[1]);
        box[2] = Math.min(box[2], b[2]);
        box[3] = Math.max(box[3], b[3]);
        box[4] = Math.min(box[4], b[4]);
        box[5] = Math.max(box[5], b[5]);
    }
}
