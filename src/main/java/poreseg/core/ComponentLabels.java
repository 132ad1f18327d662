package poreseg.core;

import java.util.Arrays;

/**
 * Connected components of one binary slice (4- or 8-connected), with each component's pixel
 * count and bounding box. The 2D step of streaming 3D labelling: hysteresis thresholding here and the
 * pore components of {@code poreseg.morpho}.
 * Run-based: runs of pore pixels are joined to the overlapping runs of the row above (union-find
 * over runs), so the cost is per run rather than per pixel.
 */
public final class ComponentLabels {
    public final int width;
    public final int height;
    /** Label per pixel, 0 for background, 1..count for components. */
    public final int[] labels;
    public final int count;
    public final int[] size;
    public final int[] minX;
    public final int[] maxX;
    public final int[] minY;
    public final int[] maxY;

    private ComponentLabels(int width, int height, int[] labels, int count) {
        this.width = width;
        this.height = height;
        this.labels = labels;
        this.count = count;
        size = new int[count + 1];
        minX = new int[count + 1];
        maxX = new int[count + 1];
        minY = new int[count + 1];
        maxY = new int[count + 1];
        Arrays.fill(minX, Integer.MAX_VALUE);
        Arrays.fill(minY, Integer.MAX_VALUE);
        Arrays.fill(maxX, -1);
        Arrays.fill(maxY, -1);
    }

    /** Labels the nonzero pixels of {@code mask}; {@code eight} selects 8-connectivity, else 4. */
    public static ComponentLabels label(byte[] mask, int width, int height, boolean eight) {
        // runs: start, end (inclusive), row; provisional label = run index
        int[] start = new int[64];
        int[] end = new int[64];
        int[] row = new int[64];
        int[] parent = new int[64];
        int n = 0;
        int prevFirst = 0;
        int prevEnd = 0;
        int reach = eight ? 1 : 0;
        for (int y = 0; y < height; y++) {
            int first = n;
            int o = y * width;
            int x = 0;
            while (x < width) {
                while (x < width && mask[o + x] == 0) {
                    x++;
                }
                if (x == width) {
                    break;
                }
                int s = x;
                while (x < width && mask[o + x] != 0) {
                    x++;
                }
                if (n == start.length) {
                    int cap = n * 2;
                    start = Arrays.copyOf(start, cap);
                    end = Arrays.copyOf(end, cap);
                    row = Arrays.copyOf(row, cap);
                    parent = Arrays.copyOf(parent, cap);
                }
                start[n] = s;
                end[n] = x - 1;
                row[n] = y;
                parent[n] = n;
                n++;
            }
            // join with overlapping runs of the previous row (two pointers, both sorted by start)
            int p = prevFirst;
            for (int r = first; r < n; r++) {
                while (p < prevEnd && end[p] + reach < start[r]) {
                    p++;
                }
                for (int q = p; q < prevEnd && start[q] <= end[r] + reach; q++) {
                    UnionFind.union(parent, r, q);
                }
            }
            prevFirst = first;
            prevEnd = n;
        }
        int[] compact = new int[n];
        int count = 0;
        for (int r = 0; r < n; r++) {
            int root = UnionFind.find(parent, r);
            if (root == r) {
                compact[r] = ++count;
            }
        }
        int[] labels = new int[width * height];
        ComponentLabels out = new ComponentLabels(width, height, labels, count);
        for (int r = 0; r < n; r++) {
            int l = compact[UnionFind.find(parent, r)];
            int o = row[r] * width;
            Arrays.fill(labels, o + start[r], o + end[r] + 1, l);
            out.size[l] += end[r] - start[r] + 1;
            out.minX[l] = Math.min(out.minX[l], start[r]);
            out.maxX[l] = Math.max(out.maxX[l], end[r]);
            out.minY[l] = Math.min(out.minY[l], row[r]);
            out.maxY[l] = Math.max(out.maxY[l], row[r]);
        }
        return out;
    }

    /** Receives one link between a label of the previous slice and a label of the current slice. */
    @FunctionalInterface
    public interface Link {
        void accept(int previousLabel, int currentLabel);
    }

    /**
     * Calls {@code link} for the labels of two consecutive slices that touch: on the same pixel
     * (6-connectivity in 3D), or within the 3x3 neighbourhood when {@code full} (26-connectivity).
     * Label 0 is background. A link repeated right after itself for one current label is skipped, so
     * most pairs are reported once.
     */
    public static void forEachLink(int[] previous, int[] current, int currentCount, int w, int h, boolean full, Link link) {
        int[] last = new int[currentCount + 1];
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++, i++) {
                int l = current[i];
                if (l == 0) {
                    continue;
                }
                if (!full) {
                    int p = previous[i];
                    if (p != 0 && last[l] != p) {
                        last[l] = p;
                        link.accept(p, l);
                    }
                    continue;
                }
                for (int yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) {
                    for (int xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
                        int p = previous[yy * w + xx];
                        if (p != 0 && last[l] != p) {
                            last[l] = p;
                            link.accept(p, l);
                        }
                    }
                }
            }
        }
    }
}
