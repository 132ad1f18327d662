package poreseg.net;

import poreseg.core.ComponentLabels;

/**
 * How wide the pores of a slice's mask are, for scale selection ({@link MultiScale#poreWidth}): the
 * pixels and the boundary of its pore components (4-connected) that do not touch the slice's edges
 * (a pore cut by the edge, or the background around a sample, has no width to read) and have at
 * least a given number of pixels (single noisy pixels are not pores).
 */
final class PoreWidth {
    private PoreWidth() {
    }

    /**
     * {pixels, perimeter} of the counted components of {@code mask} (nonzero = pore, width x height):
     * the perimeter is the number of pixel edges between a counted component and solid.
     */
    static long[] measure(byte[] mask, int width, int height, int minArea) {
        ComponentLabels c = ComponentLabels.label(mask, width, height, false);
        if (c.count == 0) {
            return new long[] {0, 0};
        }
        boolean[] counted = new boolean[c.count + 1];
        for (int l = 1; l <= c.count; l++) {
            counted[l] = c.size[l] >= minArea && c.minX[l] > 0 && c.minY[l] > 0 && c.maxX[l] < width - 1 && c.maxY[l] < height - 1;
        }
        int[] lab = c.labels;
        long area = 0;
        long perimeter = 0;
        for (int y = 0; y < height; y++) {
            int o = y * width;
            for (int x = 0; x < width; x++) {
                int l = lab[o + x];
                if (l == 0 || !counted[l]) {
                    continue;
                }
                area++;
                // a counted component is off the edges: all four neighbours exist
                perimeter += (lab[o + x - 1] == 0 ? 1 : 0) + (lab[o + x + 1] == 0 ? 1 : 0)
                        + (lab[o + x - width] == 0 ? 1 : 0) + (lab[o + x + width] == 0 ? 1 : 0);
            }
        }
        return new long[] {area, perimeter};
    }
}
