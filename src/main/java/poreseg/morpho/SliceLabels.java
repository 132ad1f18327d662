package poreseg.morpho;

import java.util.Arrays;

/**
 * Connected components of one binary slice (4- or 8-connected), with each component's pixel
 * count and bounding box: the 2D step of the streaming 3D labelling ({@link ComponentTracker}).
 */
final class SliceLabels {
    final int width;
    final int height;
    /** Label per pixel, 0 for background, 1..count for components. */
    final int[] labels;
    final int count;
    final int[] size;
    final int[] minX;
    final int[] maxX;
    final int[] minY;
    final int[] maxY;

    private SliceLabels(int width, int height, int[] labels, int count) {
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
        for (int y = 0, i = 0; y < height; y++) {
            for (int x = 0; x < width; x++, i++) {
                int l = labels[i];
                if (l != 0) {
                    size[l]++;
                    if (x < minX[l]) {
                        minX[l] = x;
                    }
                    if (x > maxX[l]) {
                        maxX[l] = x;
                    }
                    if (y < minY[l]) {
                        minY[l] = y;
                    }
                    maxY[l] = y;
                }
            }
        }
    }

    /** Labels the nonzero pixels of {@code mask}; {@code eight} selects 8-connectivity, else 4. */
    static SliceLabels label(byte[] mask, int width, int height, boolean eight) {
        int[] labels = new int[mask.length];
        int[] parent = new int[64];
        int next = 1;
        for (int y = 0, i = 0; y < height; y++) {
            for (int x = 0; x < width; x++, i++) {
                if (mask[i] == 0) {
                    continue;
                }
                int l = 0;
                if (x > 0 && labels[i - 1] != 0) {
                    l = labels[i - 1];
                }
                if (y > 0) {
                    int up = labels[i - width];
                    if (up != 0) {
                        l = l == 0 ? up : union(parent, l, up);
                    }
                    if (eight) {
                        if (x > 0 && labels[i - width - 1] != 0) {
                            int v = labels[i - width - 1];
                            l = l == 0 ? v : union(parent, l, v);
                        }
                        if (x < width - 1 && labels[i - width + 1] != 0) {
                            int v = labels[i - width + 1];
                            l = l == 0 ? v : union(parent, l, v);
                        }
                    }
                }
                if (l == 0) {
                    if (next == parent.length) {
                        parent = Arrays.copyOf(parent, parent.length * 2);
                    }
                    parent[next] = next;
                    l = next++;
                }
                labels[i] = l;
            }
        }
        int[] compact = new int[next];
        int count = 0;
        for (int l = 1; l < next; l++) {
            int r = find(parent, l);
            if (compact[r] == 0) {
                compact[r] = ++count;
            }
            compact[l] = compact[r];
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0) {
                labels[i] = compact[labels[i]];
            }
        }
        return new SliceLabels(width, height, labels, count);
    }

    private static int find(int[] parent, int a) {
        while (parent[a] != a) {
            parent[a] = parent[parent[a]];
            a = parent[a];
        }
        return a;
    }

    private static int union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra == rb) {
            return ra;
        }
        if (ra < rb) {
            parent[rb] = ra;
            return ra;
        }
        parent[ra] = rb;
        return rb;
    }
}
