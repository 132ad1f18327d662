package poreseg.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class MontageTest {
    static final int W = 40;
    static final int H = 20;

    static float[] ramp() {
        float[] a = new float[W * H];
        for (int i = 0; i < a.length; i++) {
            a[i] = i % W;
        }
        return a;
    }

    static float[] leftHalf() {
        float[] a = new float[W * H];
        for (int i = 0; i < a.length; i++) {
            a[i] = i % W < W / 2 ? 255 : 0;
        }
        return a;
    }

    @Test
    void tilesMapValues() {
        BufferedImage g = Tile.grey(ramp(), W, H).image();
        assertEquals(0, g.getRGB(0, 0) & 255);
        assertEquals(255, g.getRGB(W - 1, 0) & 255);
        BufferedImage m = Tile.mask(leftHalf(), W, H).image();
        assertEquals(0xFFFFFF, m.getRGB(0, 5) & 0xFFFFFF);
        assertEquals(0, m.getRGB(W - 1, 5) & 0xFFFFFF);
        float[] none = new float[W * H];
        BufferedImage e = Tile.errors(ramp(), leftHalf(), none, W, H).image();
        int rgb = e.getRGB(0, 0); // grey 0 blended with the false-positive colour
        assertEquals(Tile.FALSE_POSITIVE.getRed() * 3 / 4, rgb >> 16 & 255);
        assertThrows(IllegalArgumentException.class, () -> Tile.grey(new float[10], W, H));
    }

    @Test
    void gridHasCaptionsTilesAndLegend() {
        Montage mt = new Montage("input", "ground truth", "CNN")
                .row("slice 1", Tile.grey(ramp(), W, H), Tile.mask(leftHalf(), W, H), Tile.overlay(ramp(), leftHalf(), W, H, Color.RED))
                .row("slice 2", Tile.grey(ramp(), W, H), Tile.mask(leftHalf(), W, H), Tile.mask(leftHalf(), W, H))
                .legend("pore", Color.RED).scaleBar(9, "nm").title("Fig. 6");
        BufferedImage img = mt.render(120);
        assertTrue(img.getWidth() >= 3 * 120 && img.getWidth() < 3 * 120 + 120, "width " + img.getWidth());
        assertTrue(img.getHeight() >= 2 * 60, "height " + img.getHeight());
        assertTrue(PlotTest.countColor(img, Color.WHITE, 0) > 2 * 60 * 60, "mask tiles drawn");
        assertThrows(IllegalArgumentException.class, () -> new Montage("a", "b").row("r", Tile.grey(ramp(), W, H)));
        assertThrows(IllegalStateException.class, () -> new Montage("a").render(100));
    }
}
