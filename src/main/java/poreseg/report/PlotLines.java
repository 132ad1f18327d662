package poreseg.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;

/** How a {@link Plot} draws its data: bands, series with their markers, and the strokes of its dashes. */
final class PlotLines {
    private PlotLines() {
    }

    /** A band: the area between its high and low curves, translucent. */
    static void drawBand(Graphics2D g, PlotArea m, Plot.Band b) {
        Path2D.Double p = new Path2D.Double();
        boolean started = false;
        for (int i = 0; i < b.x().length; i++) {
            if (finite(b.x()[i], b.hi()[i])) {
                if (!started) {
                    p.moveTo(m.px(b.x()[i]), m.py(b.hi()[i]));
                    started = true;
                } else {
                    p.lineTo(m.px(b.x()[i]), m.py(b.hi()[i]));
                }
            }
        }
        for (int i = b.x().length - 1; i >= 0; i--) {
            if (started && finite(b.x()[i], b.lo()[i])) {
                p.lineTo(m.px(b.x()[i]), m.py(b.lo()[i]));
            }
        }
        if (started) {
            p.closePath();
            g.setColor(translucent(b.color()));
            g.fill(p);
        }
    }

    /** A series: its line (broken at non-finite points) and, where asked or alone, its markers. */
    static void drawSeries(Graphics2D g, PlotArea m, Plot.Series s) {
        g.setColor(s.style().color());
        g.setStroke(stroke(s.style().dash()));
        Path2D.Double p = new Path2D.Double();
        boolean pen = false;
        int points = 0;
        for (int i = 0; i < s.x().length; i++) {
            if (!finite(s.x()[i], s.y()[i])) {
                pen = false;
                continue;
            }
            points++;
            if (pen) {
                p.lineTo(m.px(s.x()[i]), m.py(s.y()[i]));
            } else {
                p.moveTo(m.px(s.x()[i]), m.py(s.y()[i]));
                pen = true;
            }
        }
        g.draw(p);
        if (s.style().markers() || points == 1 || s.x().length <= 1) {
            for (int i = 0; i < s.x().length; i++) {
                if (finite(s.x()[i], s.y()[i])) {
                    g.fill(new Ellipse2D.Double(m.px(s.x()[i]) - 3, m.py(s.y()[i]) - 3, 6, 6));
                }
            }
        }
    }

    static boolean finite(double a, double b) {
        return Double.isFinite(a) && Double.isFinite(b);
    }

    static Color translucent(Color c) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), 60);
    }

    static BasicStroke stroke(Plot.Dash d) {
        return switch (d) {
            case SOLID -> new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
            case DASHED -> new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {8f, 5f}, 0f);
            case DOTTED -> new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {1f, 5f}, 0f);
        };
    }
}
