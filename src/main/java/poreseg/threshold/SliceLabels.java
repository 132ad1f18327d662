package poreseg.threshold;

/**
 * Connected components of the "weak" pixels of one slice (4- or 8-connected), labelled 1..count in
 * raster order of their first pixel (0 = not weak), with a flag per component telling whether it
 * holds a "strong" pixel. Deterministic: labelling the same slice twice gives the same labels.
 */
final class SliceLabels {
    final int[] labels;
    final int count;
    final boolean[] seeded;

    private SliceLabels(int[] labels, int count, boolean[] seeded) {
        this.labels = labels;
        this.count = count;
        this.seeded = seeded;
    }

    static SliceLabels of(float[] img, int w, int h, Band band, boolean eight) {
        int n = w * h;
        int[] parent = new int[n];
        boolean[] weak = new boolean[n];
        for (int i = 0; i < n; i++) {
            weak[i] = band.weak(img[i]);
            parent[i] = i;
        }
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                int i = row + x;
                if (!weak[i]) {
                    continue;
                }
                if (x > 0 && weak[i - 1]) {
                    union(parent, i, i - 1);
                }
                if (y > 0) {
                    int up = i - w;
                    if (weak[up]) {
                        union(parent, i, up);
                    }
                    if (eight) {
                        if (x > 0 && weak[up - 1]) {
                            union(parent, i, up - 1);
                        }
                        if (x < w - 1 && weak[up + 1]) {
                            union(parent, i, up + 1);
                        }
                    }
                }
            }
        }
        int[] labels = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (!weak[i]) {
                continue;
            }
            int r = find(parent, i);
            if (r == i) {
                labels[i] = ++count;
            } else {
                labels[i] = labels[r];
            }
        }
        boolean[] seeded = new boolean[count + 1];
        for (int i = 0; i < n; i++) {
            if (labels[i] != 0 && band.strong(img[i])) {
                seeded[labels[i]] = true;
            }
        }
        return new SliceLabels(labels, count, seeded);
    }

    /** Union keeping the smaller index as root, so a root is always the component's first pixel. */
    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra < rb) {
            parent[rb] = ra;
        } else if (rb < ra) {
            parent[ra] = rb;
        }
    }

    private static int find(int[] parent, int i) {
        int r = i;
        while (parent[r] != r) {
            r = parent[r];
        }
        while (parent[i] != r) {
            int next = parent[i];
            parent[i] = r;
            i = next;
        }
        return r;
    }
}
