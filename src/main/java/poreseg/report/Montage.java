package poreseg.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import poreseg.util.ParameterException;

/**
 * A grid of image tiles with column captions on top and row captions on the left, as in the paper's
 * Fig. 6 (columns: input, ground truth, CNN output, threshold output; one row per slice). Tiles are
 * scaled to a common width (masks without smoothing); an optional scale bar is drawn on the first
 * column and an optional colour legend below. Example:
 *
 * <pre>{@code
 * BufferedImage img = new Montage("input", "ground truth", "CNN", "threshold")
 *         .row("slice 12", Tile.grey(in, w, h), Tile.mask(gt, w, h), Tile.mask(cnn, w, h), Tile.mask(thr, w, h))
 *         .scaleBar(9, "nm").render(220);
 * }</pre>
 */
public final class Montage {
    private record Row(String caption, List<Tile> tiles) {
    }

    private record Key(String label, Color color) {
    }

    private final List<String> columns;
    private final List<Row> rows = new ArrayList<>();
    private final List<Key> legend = new ArrayList<>();
    private double pixelSize = Double.NaN;
    private String unit = "";
    private String title = "";

    /** A montage with these column captions (one per tile of each row). */
    public Montage(String... columnCaptions) {
        this.columns = List.of(columnCaptions);
        if (columns.isEmpty()) {
            throw new ParameterException("a montage needs at least one column");
        }
    }

    public Montage title(String text) {
        title = text == null ? "" : text;
        return this;
    }

    /** Adds a row of tiles, one per column; tiles of one montage should have the same aspect ratio. */
    public Montage row(String caption, Tile... tiles) {
        return row(caption, List.of(tiles));
    }

    public Montage row(String caption, List<Tile> tiles) {
        if (tiles.size() != columns.size()) {
            throw new ParameterException("row '" + caption + "' has " + tiles.size() + " tiles for " + columns.size() + " columns");
        }
        rows.add(new Row(caption == null ? "" : caption, List.copyOf(tiles)));
        return this;
    }

    /** Draws a scale bar on the first column, for tiles whose pixels are {@code size} {@code unit} wide. */
    public Montage scaleBar(double size, String unit) {
        if (!(size > 0) || unit == null || unit.equals("pixel")) {
            return this;
        }
        this.pixelSize = size;
        this.unit = unit;
        return this;
    }

    /** Adds a colour swatch with its meaning below the grid (e.g. the colours of {@link Tile#errors}). */
    public Montage legend(String label, Color color) {
        legend.add(new Key(label, color));
        return this;
    }

    /** Renders with each tile scaled to {@code tileWidth} pixels wide. */
    public BufferedImage render(int tileWidth) {
        if (rows.isEmpty()) {
            throw new IllegalStateException("montage has no rows");
        }
        if (tileWidth < 16) {
            throw new ParameterException("tile width must be at least 16 pixels");
        }
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        Font bold = font.deriveFont(Font.BOLD, 15f);
        pg.setFont(font);
        FontMetrics fm = pg.getFontMetrics();
        int rowCaptionWidth = 0;
        for (Row r : rows) {
            rowCaptionWidth = Math.max(rowCaptionWidth, fm.stringWidth(r.caption));
        }
        pg.dispose();
        int gap = 6;
        int left = rowCaptionWidth > 0 ? rowCaptionWidth + 16 : 8;
        int top = (title.isEmpty() ? 8 : 34) + fm.getHeight() + 6;
        List<Integer> heights = new ArrayList<>();
        for (Row r : rows) {
            int h = 0;
            for (Tile t : r.tiles) {
                h = Math.max(h, scaledHeight(t.image(), tileWidth));
            }
            heights.add(h);
        }
        int legendHeight = legend.isEmpty() ? 0 : fm.getHeight() + 12;
        int width = left + columns.size() * (tileWidth + gap) + 2;
        int height = top + heights.stream().mapToInt(h -> h + gap).sum() + legendHeight + 6;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        if (!title.isEmpty()) {
            g.setFont(bold);
            g.drawString(title, left, 24);
        }
        g.setFont(font);
        for (int c = 0; c < columns.size(); c++) {
            String s = fit(columns.get(c), fm, tileWidth);
            g.drawString(s, left + c * (tileWidth + gap) + (tileWidth - fm.stringWidth(s)) / 2, top - 6 - fm.getDescent());
        }
        int y = top;
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            int h = heights.get(r);
            g.setColor(Color.BLACK);
            g.drawString(row.caption, 8, y + h / 2 + fm.getAscent() / 2);
            for (int c = 0; c < row.tiles.size(); c++) {
                Tile t = row.tiles.get(c);
                BufferedImage scaled = Scale.toWidth(t.image(), tileWidth, t.isMask());
                int x = left + c * (tileWidth + gap);
                g.drawImage(scaled, x, y, null);
                if (c == 0 && !Double.isNaN(pixelSize)) {
                    drawScaleBar(g, x, y, scaled.getWidth(), scaled.getHeight(), t.image().getWidth(), fm);
                }
            }
            y += h + gap;
        }
        drawLegend(g, left, y + 4, fm);
        g.dispose();
        return out;
    }

    /** The colour keys in one row at height {@code ly}. */
    private void drawLegend(Graphics2D g, int left, int ly, FontMetrics fm) {
        int x = left;
        for (Key k : legend) {
            g.setColor(k.color);
            g.fillRect(x, ly, 14, 14);
            g.setColor(Color.DARK_GRAY);
            g.drawRect(x, ly, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(k.label, x + 20, ly + 12);
            x += 20 + fm.stringWidth(k.label) + 18;
        }
    }

    private void drawScaleBar(Graphics2D g, int x, int y, int w, int h, int sourceWidth, FontMetrics fm) {
        double scale = (double) w / sourceWidth; // display pixels per source pixel
        double physicalWidth = sourceWidth * pixelSize;
        double len = nice(physicalWidth / 4);
        int barPx = (int) Math.round(len / pixelSize * scale);
        if (barPx < 8) {
            return;
        }
        String label = fmt(len) + " " + (unit.equals("um") ? "\u00b5m" : unit);
        int boxW = Math.max(barPx, fm.stringWidth(label));
        if (boxW + 16 > w) {
            return;
        }
        int bx = x + w - boxW - 8;
        int by = y + h - 10;
        g.setColor(new Color(0, 0, 0, 150));
        g.fillRect(bx - 4, by - fm.getAscent() - 6, boxW + 8, fm.getAscent() + 14);
        g.setColor(Color.WHITE);
        g.fillRect(bx, by, barPx, 4);
        g.drawString(label, bx, by - 3);
    }

    private static double nice(double v) {
        double mag = Math.pow(10, Math.floor(Math.log10(v)));
        double f = v / mag;
        return (f >= 5 ? 5 : f >= 2 ? 2 : 1) * mag;
    }

    private static String fmt(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private static String fit(String s, FontMetrics fm, int width) {
        if (fm.stringWidth(s) <= width) {
            return s;
        }
        String t = s;
        while (t.length() > 1 && fm.stringWidth(t + "...") > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "...";
    }

    private static int scaledHeight(BufferedImage img, int width) {
        return Math.max(1, (int) Math.round((double) img.getHeight() * width / img.getWidth()));
    }
}
