package poreseg.report;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.util.ArrayList;
import java.util.List;

/** The legend of a {@link Plot}: one item per labelled series, band and line, wrapped into rows below the plot. */
final class PlotLegend {
    private record Item(String label, Plot.Style style, Color fill) {
        int width(FontMetrics fm) {
            return 30 + fm.stringWidth(label);
        }

        void draw(Graphics2D g, int x, int y, FontMetrics fm) {
            if (fill != null) {
                g.setColor(PlotLines.translucent(fill));
                g.fillRect(x, y - 6, 24, 12);
            } else {
                g.setColor(style.color());
                g.setStroke(PlotLines.stroke(style.dash()));
                g.draw(new Line2D.Double(x, y, x + 24, y));
                if (style.markers()) {
                    g.fill(new Ellipse2D.Double(x + 9, y - 3, 6, 6));
                }
            }
            g.setColor(Color.BLACK);
            g.drawString(label, x + 30, y + fm.getAscent() / 2 - 1);
        }
    }

    private final List<Item> items = new ArrayList<>();

    PlotLegend(List<Plot.Series> series, List<Plot.Band> bands, List<Plot.HLine> hlines) {
        for (Plot.Series s : series) {
            if (s.label() != null && !s.label().isEmpty()) {
                items.add(new Item(s.label(), s.style(), null));
            }
        }
        for (Plot.Band b : bands) {
            if (b.label() != null && !b.label().isEmpty()) {
                items.add(new Item(b.label(), null, b.color()));
            }
        }
        for (Plot.HLine h : hlines) {
            if (h.label() != null && !h.label().isEmpty()) {
                items.add(new Item(h.label(), h.style(), null));
            }
        }
    }

    /** The rows the legend takes in a width of {@code avail} pixels. */
    int rows(FontMetrics fm, int avail) {
        if (items.isEmpty()) {
            return 0;
        }
        int rows = 1;
        int x = 0;
        for (Item it : items) {
            int w = it.width(fm);
            if (x + w > avail && x > 0) {
                rows++;
                x = 0;
            }
            x += w + 18;
        }
        return rows;
    }

    /** Draws the legend below the x label (whose baseline is xLabelY), wrapped into rows. */
    void draw(Graphics2D g, FontMetrics fm, int left, int xLabelY, int width, boolean xLabelEmpty) {
        if (!items.isEmpty()) {
            int y = xLabelY + (xLabelEmpty ? 0 : 6) + fm.getHeight() / 2 + 4;
            int x = left;
            for (Item it : items) {
                int w = it.width(fm);
                if (x + w > width - 10 && x > left) {
                    x = left;
                    y += fm.getHeight() + 4;
                }
                it.draw(g, x, y, fm);
                x += w + 18;
            }
        }
    }
}
