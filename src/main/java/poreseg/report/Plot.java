package poreseg.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>The pieces: {@link PlotTicks} (nice tick steps), {@link PlotArea} (mapping and axes),
 * {@link PlotLines} (bands, series, strokes) and {@link PlotLegend}.
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

    record Series(String label, double[] x, double[] y, Style style) {
    }

    record Band(String label, double[] x, double[] lo, double[] hi, Color color) {
    }

    record HLine(String label, double y, Style style) {
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
        PlotTicks xt = PlotTicks.of(xr[0], xr[1], Math.max(3, width / 110));
        PlotTicks yt = PlotTicks.of(yr[0], yr[1], Math.max(3, height / 70));
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
        PlotLegend legend = new PlotLegend(series, bands, hlines);
        int legendRows = legend.rows(fm, width - 40);
        int top = title.isEmpty() ? 14 : 40;
        int left = 18 + (yLabel.isEmpty() ? 0 : fm.getHeight()) + yTickWidth + 8;
        int right = 22;
        int bottom = 10 + fm.getHeight() + 6 + (xLabel.isEmpty() ? 0 : fm.getHeight() + 4) + legendRows * (fm.getHeight() + 4) + (legendRows > 0 ? 8 : 0);
        int pw = width - left - right;
        int ph = height - top - bottom;
        if (pw < 60 || ph < 40) {
            throw new ParameterException("plot too small for its labels and legend: " + width + "x" + height);
        }
        PlotArea m = new PlotArea(xr[0], xr[1], yr[0], yr[1], left, top, pw, ph);

        if (!title.isEmpty()) {
            g.setFont(bold);
            g.setColor(Color.BLACK);
            FontMetrics bm = g.getFontMetrics();
            g.drawString(title, Math.max(4, left + (pw - bm.stringWidth(title)) / 2), 26);
        }

        g.setFont(small);
        int xLabelY = m.drawAxes(g, xt, yt, fm, xLabel, yLabel);
        drawData(g, m);
        legend.draw(g, fm, left, xLabelY, width, xLabel.isEmpty());
        g.dispose();
        return img;
    }

    /** Bands, horizontal lines and series, clipped to the plot area. */
    private void drawData(Graphics2D g, PlotArea m) {
        int left = m.left();
        int top = m.top();
        int pw = m.pw();
        int ph = m.ph();
        Shape oldClip = g.getClip();
        g.clipRect(left, top, pw + 1, ph + 1);
        for (Band b : bands) {
            PlotLines.drawBand(g, m, b);
        }
        for (HLine h : hlines) {
            g.setColor(h.style.color());
            g.setStroke(PlotLines.stroke(h.style.dash()));
            g.draw(new Line2D.Double(left, m.py(h.y), left + pw, m.py(h.y)));
        }
        for (Series s : series) {
            PlotLines.drawSeries(g, m, s);
        }
        g.setClip(oldClip);
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
                if (PlotLines.finite(s.x[i], s.y[i])) {
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
}
