package poreseg.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import poreseg.util.ParameterException;

/**
 * A line chart drawn with Java2D: title, axes with ticks, labels and units, several series, a legend
 * below the plot area. Train and test curves of one variant share a colour: train solid, test dashed
 * ({@link Style#train(int)}, {@link Style#test(int)}). NaN values break a line. Example:
 *
 * <pre>{@code
 * BufferedImage img = new Plot("Accuracy vs epoch").x("epoch", null).y("accuracy", null).yRange(0, 1)
 *         .series("equalize, train", epochs, trainAcc, Plot.Style.train(0))
 *         .series("equalize, test", epochs, testAcc, Plot.Style.test(0))
 *         .render(640, 420);
 * }</pre>
 */
public final class Plot {
    /** Colour-blind-safe palette (Okabe and Ito), in the order series get them. */
    public static final List<Color> PALETTE = List.of(new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
            new Color(0xCC79A7), new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442));

    /** How a line is drawn. */
    public enum Dash { SOLID, DASHED, DOTTED }

    /** Colour, dash and markers of a series. */
    public record Style(Color color, Dash dash, boolean markers) {
        /** Solid line in palette colour {@code k}. */
        public static Style of(int k) {
            return new Style(PALETTE.get(Math.floorMod(k, PALETTE.size())), Dash.SOLID, false);
        }

        /** Training curve of variant {@code k}: solid. */
        public static Style train(int k) {
            return of(k);
        }

        /** Test curve of variant {@code k}: dashed, same colour as its training curve. */
        public static Style test(int k) {
            return of(k).withDash(Dash.DASHED);
        }

        public Style withDash(Dash d) {
            return new Style(color, d, markers);
        }

        public Style withMarkers() {
            return new Style(color, dash, true);
        }
    }

    private record Series(String label, double[] x, double[] y, Style style) {
    }

    private record Band(String label, double[] x, double[] lo, double[] hi, Color color) {
    }

    private record HLine(String label, double y, Style style) {
    }

    private final String title;
    private String xLabel = "";
    private String yLabel = "";
    private double yMin = Double.NaN;
    private double yMax = Double.NaN;
    private final List<Series> series = new ArrayList<>();
    private final List<Band> bands = new ArrayList<>();
    private final List<HLine> hlines = new ArrayList<>();

    public Plot(String title) {
        this.title = title == null ? "" : title;
    }

    /** X axis label and unit (unit may be null or empty: then no brackets). */
    public Plot x(String label, String unit) {
        xLabel = axisLabel(label, unit);
        return this;
    }

    /** Y axis label and unit. */
    public Plot y(String label, String unit) {
        yLabel = axisLabel(label, unit);
        return this;
    }

    /** Fixes the y range (NaN for automatic), e.g. 0..1 for accuracy. */
    public Plot yRange(double min, double max) {
        yMin = min;
        yMax = max;
        return this;
    }

    /** Adds a line in the next palette colour. */
    public Plot series(String label, double[] x, double[] y) {
        return series(label, x, y, Style.of(series.size()));
    }

    /** Adds a line; {@code x} and {@code y} must have the same length. */
    public Plot series(String label, double[] x, double[] y, Style style) {
        if (x.length != y.length) {
            throw new ParameterException("series '" + label + "': " + x.length + " x values but " + y.length + " y values");
        }
        series.add(new Series(label, x.clone(), y.clone(), style));
        return this;
    }

    /** Adds a shaded band between lo and hi (e.g. mean +- sd over folds). */
    public Plot band(String label, double[] x, double[] lo, double[] hi, Color color) {
        if (x.length != lo.length || x.length != hi.length) {
            throw new ParameterException("band '" + label + "': arrays differ in length");
        }
        bands.add(new Band(label, x.clone(), lo.clone(), hi.clone(), color));
        return this;
    }

    /** Adds a horizontal reference line across the plot (e.g. the true porosity). */
    public Plot hline(String label, double y, Style style) {
        hlines.add(new HLine(label, y, style));
        return this;
    }

    private static String axisLabel(String label, String unit) {
        String l = label == null ? "" : label;
        return unit == null || unit.isBlank() ? l : l + " (" + unit + ")";
    }

    /** Draws the chart on a white image of the given size in pixels. */
    public BufferedImage render(int width, int height) {
        if (width < 200 || height < 150) {
            throw new ParameterException("plot too small: " + width + "x" + height + " (min 200x150)");
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        Font base = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        Font small = base.deriveFont(12f);
        Font bold = base.deriveFont(Font.BOLD, 15f);

        double[] xr = range(true);
        double[] yr = range(false);
        Ticks xt = Ticks.of(xr[0], xr[1], Math.max(3, width / 110));
        Ticks yt = Ticks.of(yr[0], yr[1], Math.max(3, height / 70));
        if (Double.isNaN(yMin)) {
            yr = new double[] {Math.min(yr[0], yt.first()), Math.max(yr[1], yt.last())};
        }

        // layout
        g.setFont(small);
        FontMetrics fm = g.getFontMetrics();
        int yTickWidth = 0;
        for (double v : yt.values()) {
            yTickWidth = Math.max(yTickWidth, fm.stringWidth(yt.label(v)));
        }
        List<LegendItem> legend = legendItems();
        int legendRows = legendRows(legend, fm, width - 40);
        int top = title.isEmpty() ? 14 : 40;
        int left = 18 + (yLabel.isEmpty() ? 0 : fm.getHeight()) + yTickWidth + 8;
        int right = 22;
        int bottom = 10 + fm.getHeight() + 6 + (xLabel.isEmpty() ? 0 : fm.getHeight() + 4) + legendRows * (fm.getHeight() + 4) + (legendRows > 0 ? 8 : 0);
        int pw = width - left - right;
        int ph = height - top - bottom;
        if (pw < 60 || ph < 40) {
            throw new ParameterException("plot too small for its labels and legend: " + width + "x" + height);
        }
        Mapper m = new Mapper(xr[0], xr[1], yr[0], yr[1], left, top, pw, ph);

        if (!title.isEmpty()) {
            g.setFont(bold);
            g.setColor(Color.BLACK);
            FontMetrics bm = g.getFontMetrics();
            g.drawString(title, Math.max(4, left + (pw - bm.stringWidth(title)) / 2), 26);
        }

        g.setFont(small);
        int xLabelY = drawAxes(g, m, xt, yt, fm);
        drawData(g, m);
        drawLegend(g, legend, fm, left, xLabelY, width);
        g.dispose();
        return img;
    }

    /** Grid lines, ticks with their labels, the frame and the axis labels; returns the baseline of the x label. */
    private int drawAxes(Graphics2D g, Mapper m, Ticks xt, Ticks yt, FontMetrics fm) {
        int left = m.left();
        int top = m.top();
        int pw = m.pw();
        int ph = m.ph();
        double[] xr = {m.x0(), m.x1()};
        double[] yr = {m.y0(), m.y1()};
        g.setStroke(new BasicStroke(1f));
        for (double v : yt.values()) {
            if (v < yr[0] - 1e-12 * Math.abs(yr[1] - yr[0]) || v > yr[1] + 1e-12 * Math.abs(yr[1] - yr[0])) {
                continue;
            }
            double py = m.py(v);
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
            double px = m.px(v);
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

    /** Bands, horizontal lines and series, clipped to the plot area. */
    private void drawData(Graphics2D g, Mapper m) {
        int left = m.left();
        int top = m.top();
        int pw = m.pw();
        int ph = m.ph();
        Shape oldClip = g.getClip();
        g.clipRect(left, top, pw + 1, ph + 1);
        for (Band b : bands) {
            drawBand(g, m, b);
        }
        for (HLine h : hlines) {
            g.setColor(h.style.color());
            g.setStroke(stroke(h.style.dash()));
            g.draw(new Line2D.Double(left, m.py(h.y), left + pw, m.py(h.y)));
        }
        for (Series s : series) {
            drawSeries(g, m, s);
        }
        g.setClip(oldClip);
    }

    /** A band: the area between its high and low curves, translucent. */
    private static void drawBand(Graphics2D g, Mapper m, Band b) {
        Path2D.Double p = new Path2D.Double();
        boolean started = false;
        for (int i = 0; i < b.x.length; i++) {
            if (finite(b.x[i], b.hi[i])) {
                if (!started) {
                    p.moveTo(m.px(b.x[i]), m.py(b.hi[i]));
                    started = true;
                } else {
                    p.lineTo(m.px(b.x[i]), m.py(b.hi[i]));
                }
            }
        }
        for (int i = b.x.length - 1; i >= 0; i--) {
            if (started && finite(b.x[i], b.lo[i])) {
                p.lineTo(m.px(b.x[i]), m.py(b.lo[i]));
            }
        }
        if (started) {
            p.closePath();
            g.setColor(translucent(b.color));
            g.fill(p);
        }
    }

    /** A series: its line (broken at non-finite points) and, where asked or alone, its markers. */
    private static void drawSeries(Graphics2D g, Mapper m, Series s) {
        g.setColor(s.style.color());
        g.setStroke(stroke(s.style.dash()));
        Path2D.Double p = new Path2D.Double();
        boolean pen = false;
        int points = 0;
        for (int i = 0; i < s.x.length; i++) {
            if (!finite(s.x[i], s.y[i])) {
                pen = false;
                continue;
            }
            points++;
            if (pen) {
                p.lineTo(m.px(s.x[i]), m.py(s.y[i]));
            } else {
                p.moveTo(m.px(s.x[i]), m.py(s.y[i]));
                pen = true;
            }
        }
        g.draw(p);
        if (s.style.markers() || points == 1 || s.x.length <= 1) {
            for (int i = 0; i < s.x.length; i++) {
                if (finite(s.x[i], s.y[i])) {
                    g.fill(new Ellipse2D.Double(m.px(s.x[i]) - 3, m.py(s.y[i]) - 3, 6, 6));
                }
            }
        }
    }

    /** The legend, below the axis label, wrapped into rows. */
    private void drawLegend(Graphics2D g, List<LegendItem> legend, FontMetrics fm, int left, int xLabelY, int width) {
        if (!legend.isEmpty()) {
            int y = xLabelY + (xLabel.isEmpty() ? 0 : 6) + fm.getHeight() / 2 + 4;
            int x = left;
            for (LegendItem it : legend) {
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

    private static boolean finite(double a, double b) {
        return Double.isFinite(a) && Double.isFinite(b);
    }

    private static Color translucent(Color c) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), 60);
    }

    private static BasicStroke stroke(Dash d) {
        return switch (d) {
            case SOLID -> new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
            case DASHED -> new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {8f, 5f}, 0f);
            case DOTTED -> new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {1f, 5f}, 0f);
        };
    }

    private record LegendItem(String label, Style style, Color fill) {
        int width(FontMetrics fm) {
            return 30 + fm.stringWidth(label);
        }

        void draw(Graphics2D g, int x, int y, FontMetrics fm) {
            if (fill != null) {
                g.setColor(translucent(fill));
                g.fillRect(x, y - 6, 24, 12);
            } else {
                g.setColor(style.color());
                g.setStroke(stroke(style.dash()));
                g.draw(new Line2D.Double(x, y, x + 24, y));
                if (style.markers()) {
                    g.fill(new Ellipse2D.Double(x + 9, y - 3, 6, 6));
                }
            }
            g.setColor(Color.BLACK);
            g.drawString(label, x + 30, y + fm.getAscent() / 2 - 1);
        }
    }

    private List<LegendItem> legendItems() {
        List<LegendItem> items = new ArrayList<>();
        for (Series s : series) {
            if (s.label != null && !s.label.isEmpty()) {
                items.add(new LegendItem(s.label, s.style, null));
            }
        }
        for (Band b : bands) {
            if (b.label != null && !b.label.isEmpty()) {
                items.add(new LegendItem(b.label, null, b.color));
            }
        }
        for (HLine h : hlines) {
            if (h.label != null && !h.label.isEmpty()) {
                items.add(new LegendItem(h.label, h.style, null));
            }
        }
        return items;
    }

    private static int legendRows(List<LegendItem> items, FontMetrics fm, int avail) {
        if (items.isEmpty()) {
            return 0;
        }
        int rows = 1;
        int x = 0;
        for (LegendItem it : items) {
            int w = it.width(fm);
            if (x + w > avail && x > 0) {
                rows++;
                x = 0;
            }
            x += w + 18;
        }
        return rows;
    }

    /** Data range of an axis (fixed range where set), widened when empty or flat. */
    private double[] range(boolean isX) {
        double lo = isX ? Double.NaN : yMin; // x: always from the data
        double hi = isX ? Double.NaN : yMax;
        if (!Double.isNaN(lo) && !Double.isNaN(hi)) {
            return new double[] {lo, hi};
        }
        double a = Double.POSITIVE_INFINITY;
        double b = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (finite(s.x[i], s.y[i])) {
                    double v = isX ? s.x[i] : s.y[i];
                    a = Math.min(a, v);
                    b = Math.max(b, v);
                }
            }
        }
        for (Band bd : bands) {
            for (int i = 0; i < bd.x.length; i++) {
                double[] vals = isX ? new double[] {bd.x[i]} : new double[] {bd.lo[i], bd.hi[i]};
                for (double v : vals) {
                    if (Double.isFinite(v)) {
                        a = Math.min(a, v);
                        b = Math.max(b, v);
                    }
                }
            }
        }
        if (!isX) {
            for (HLine h : hlines) {
                if (Double.isFinite(h.y)) {
                    a = Math.min(a, h.y);
                    b = Math.max(b, h.y);
                }
            }
        }
        if (a > b) {
            a = 0;
            b = 1;
        }
        if (a == b) {
            double d = a == 0 ? 1 : Math.abs(a) * 0.1;
            a -= d;
            b += d;
        }
        if (!Double.isNaN(lo)) {
            a = lo;
        }
        if (!Double.isNaN(hi)) {
            b = hi;
        }
        return new double[] {a, b};
    }

    private record Mapper(double x0, double x1, double y0, double y1, int left, int top, int pw, int ph) {
        double px(double x) {
            return left + (x - x0) / (x1 - x0) * pw;
        }

        double py(double y) {
            return top + ph - (y - y0) / (y1 - y0) * ph;
        }
    }

    /** "Nice" tick positions: steps of 1, 2, 2.5 or 5 times a power of ten. */
    record Ticks(double start, double step, int count) {
        static Ticks of(double lo, double hi, int target) {
            double span = hi - lo;
            double raw = span / Math.max(1, target);
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double step = mag;
            for (double f : new double[] {1, 2, 2.5, 5, 10}) {
                if (f * mag >= raw) {
                    step = f * mag;
                    break;
                }
            }
            double start = Math.floor(lo / step + 1e-9) * step;
            int count = (int) Math.floor((Math.ceil(hi / step - 1e-9) * step - start) / step + 0.5) + 1;
            return new Ticks(start, step, count);
        }

        double[] values() {
            double[] v = new double[count];
            for (int i = 0; i < count; i++) {
                v[i] = start + i * step;
                if (Math.abs(v[i]) < step * 1e-9) {
                    v[i] = 0;
                }
            }
            return v;
        }

        double first() {
            return start;
        }

        double last() {
            return start + (count - 1) * step;
        }

        String label(double v) {
            double a = Math.abs(step);
            if (a >= 1e5 || a < 1e-4) {
                return String.format(Locale.ROOT, "%.3g", v);
            }
            int decimals = Math.max(0, (int) Math.ceil(-Math.log10(a) - 1e-9));
            if (Math.abs(step * Math.pow(10, decimals) - Math.rint(step * Math.pow(10, decimals))) > 1e-6) {
                decimals++; // 2.5 x 10^k needs one more digit
            }
            return String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
    }
}
