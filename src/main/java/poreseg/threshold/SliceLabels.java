package poreseg.threshold;

import poreseg.core.ComponentLabels;

/**
 * Connected components of the "weak" pixels of one slice (4- or 8-connected), labelled 1..count by
 * {@link ComponentLabels} (0 = not weak), with a flag per component telling whether it
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
        byte[] weak = new byte[n];
        for (int i = 0; i < n; i++) {
            weak[i] = band.weak(img[i]) ? (byte) 1 : 0;
        }
        ComponentLabels c = ComponentLabels.label(weak, w, h, eight);
        boolean[] seeded = new boolean[c.count + 1];
        for (int i = 0; i < n; i++) {
            if (c.labels[i] != 0 && band.strong(img[i])) {
                seeded[c.labels[i]] = true;
            }
        }
        return new SliceLabels(c.labels, c.count, seeded);
    }
}
