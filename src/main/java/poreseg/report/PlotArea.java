package poreseg.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;

/**
 * The plot area of a {@link Plot}: the data ranges mapped onto a rectangle of the image (left, top,
 * width pw, height ph in pixels), and its axes: grid, ticks, labels and frame.
 */
record PlotArea(double x0, double x1, double y0, double y1, int left, int top, int pw, int ph) {
    double px(double x) {
        return left + (x - x0) / (x1 - x0) * pw;
    }

    double py(double y) {
        return top + ph - (y - y0) / (y1 - y0) * ph;
    }

    /** Grid lines, ticks with their labels, the frame and the axis labels; returns the baseline of the x label. */
    int drawAxes(Graphics2D g, PlotTicks xt, PlotTicks yt, FontMetrics fm, String xLabel, String yLabel) {
        double[] xr = {x0, x1};
        double[] yr = {y0, y1};
        g.setStroke(new BasicStroke(1f));
        for (double v : yt.values()) {
            if (v < yr[0] - 1e-12 * Math.abs(yr[1] - yr[0]) || v > yr[1] + 1e-12 * Math.abs(yr[1] - yr[0])) {
                continue;
            }
            double py = py(v);
            g.setColor(new Color(0xE6E6E6));
            g.draw(new Line2D.Double(left, py, left + pw, py));
            g.setColor(Color.DARK_GRAY);
            g.draw(new Line2D.Double(left - 5, py, left, py));
            String s = yt.label(v);
            g.drawString(s, left - 8 - fm.stringWidth(s), (float) (py + fm.getAscent() / 2.0 - 1));
        }
        for (double v : xt.values()) {
            if (v < xr[0] - 1e-12 * Math.abs(xr[1] - xr[0]) || v > xr[1] + 1e-12 * Math.abs(xr[1] - xr[0])) {
                continue;
            }
            double px = px(v);
            g.setColor(new Color(0xE6E6E6));
            g.draw(new Line2D.Double(px, top, px, top + ph));
            g.setColor(Color.DARK_GRAY);
            g.draw(new Line2D.Double(px, top + ph, px, top + ph + 5));
            String s = xt.label(v);
            g.drawString(s, (float) (px - fm.stringWidth(s) / 2.0), top + ph + 6 + fm.getAscent());
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, pw, ph);
        int xLabelY = top + ph + 6 + fm.getHeight() + 4 + fm.getAscent();
        if (!xLabel.isEmpty()) {
            g.drawString(xLabel, left + (pw - fm.stringWidth(xLabel)) / 2, xLabelY);
        }
        if (!yLabel.isEmpty()) {
            AffineTransform old = g.getTransform();
            g.rotate(-Math.PI / 2);
            g.drawString(yLabel, -(top + (ph + fm.stringWidth(yLabel)) / 2), 14 + fm.getAscent() - 2);
            g.setTransform(old);
        }
        return xLabelY;
    }
}
