package poreseg.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class PlotTest {

    static int countColor(BufferedImage img, Color c, int tol) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                if (Math.abs((rgb >> 16 & 255) - c.getRed()) <= tol && Math.abs((rgb >> 8 & 255) - c.getGreen()) <= tol
                        && Math.abs((rgb & 255) - c.getBlue()) <= tol) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void ticksAreNiceNumbersCoveringTheRange() {
        PlotTicks t = PlotTicks.of(0, 100, 5);
        assertArrayEquals(new double[] {0, 20, 40, 60, 80, 100}, t.values(), 1e-12);
        assertEquals("20", t.label(20));
        PlotTicks a = PlotTicks.of(0.9, 0.97, 5);
        assertEquals(0.02, a.step(), 1e-15);
        assertTrue(a.first() <= 0.9 && a.last() >= 0.97);
        assertEquals("0.94", a.label(0.94));
        PlotTicks q = PlotTicks.of(0, 1, 4);
        assertEquals(0.25, q.step(), 1e-15);
        assertEquals("0.75", q.label(0.75));
        assertEquals("2.5", PlotTicks.of(0, 10, 4).label(2.5));
    }

    @Test
    void drawsEachSeriesInItsColour() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        double[] train = {0.5, 0.7, 0.8, 0.85, 0.9, 0.92, 0.94, 0.95, 0.96, 0.97};
        double[] test = {0.45, 0.6, 0.7, 0.8, 0.82, Double.NaN, 0.86, 0.88, 0.9, 0.9};
        BufferedImage img = new Plot("Accuracy vs epoch").x("epoch", null).y("accuracy", null).yRange(0, 1)
                .series("raw, train", x, train, Plot.Style.train(0))
                .series("raw, test", x, test, Plot.Style.test(0))
                .series("equalize, train", x, test, Plot.Style.train(1))
                .hline("target", 0.97, Plot.Style.of(2).withDash(Plot.Dash.DOTTED))
                .render(640, 420);
        assertEquals(640, img.getWidth());
        assertEquals(420, img.getHeight());
        assertTrue(countColor(img, Plot.PALETTE.get(0), 10) > 200, "blue series drawn");
        assertTrue(countColor(img, Plot.PALETTE.get(1), 10) > 200, "orange series drawn");
        assertTrue(countColor(img, Color.WHITE, 0) > 640 * 420 / 2, "mostly white background");
        assertTrue(countColor(img, Color.BLACK, 60) > 500, "axes and text drawn");
    }

    @Test
    void rejectsMismatchedSeriesAndTinyImages() {
        assertThrows(IllegalArgumentException.class, () -> new Plot("t").series("a", new double[2], new double[3]));
        assertThrows(IllegalArgumentException.class, () -> new Plot("t").render(50, 50));
        // empty and flat plots still render
        assertEquals(300, new Plot("empty").render(300, 200).getWidth());
        assertEquals(300, new Plot("flat").series("c", new double[] {1, 2}, new double[] {3, 3}).render(300, 200).getWidth());
    }
}
