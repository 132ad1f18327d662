package poreseg.preprocess;

import java.util.Arrays;
import poreseg.core.Histogram;

/**
 * Finds an instrument data bar at the bottom of a slice: the band of full-width rows that SEM and
 * FIB-SEM software append to exported images (magnification, detector, scale bar, date), a uniform
 * background with text. It is no part of the sample, and a network or a threshold calls it pore or
 * solid wholesale, so a porosity read with it in is wrong.
 *
 * <p>A bar is a block of rows at the bottom edge in which one grey value (the background, the same in
 * every row) holds at least half of each row, that starts abruptly (its top row at least 90 % that
 * value, the row above it not even half), that holds text or a scale bar (at least 0.1 % of its
 * pixels a quarter of the slice's grey range or more away from the background), and that is 4 rows
 * to 35 % of the slice high (at least 1 % of it). The abrupt start is what tells a bar from a dark
 * field-of-view corner of a micro-CT reconstruction or a vacuum region, whose share of one grey
 * value grows row by row.
 */
public final class DataBar {
    /** Rows {@code firstRow .. height-1} of the slice, on a background of {@code background}. */
    public record Bar(int firstRow, int rows, float background) {
    }

    static final double ROW_SHARE = 0.5;
    static final double TOP_SHARE = 0.9;
    static final double MAX_HEIGHT = 0.35;
    static final double INK_CONTRAST = 0.25;
    static final double INK_SHARE = 0.001;

    private DataBar() {
    }

    /** The data bar at the bottom of a row-major slice, or null where there is none. */
    public static Bar find(float[] slice, int width, int height) {
        if (width < 16 || height < 16 || slice.length != (long) width * height) {
            return null;
        }
        int minRows = Math.max(4, (int) Math.ceil(0.01 * height));
        int maxRows = (int) (MAX_HEIGHT * height);
        float[] row = new float[width];
        float background = Float.NaN;
        int first = height;
        double topShare = 0;
        double aboveShare = 0;
        float aboveValue = Float.NaN;
        for (int y = height - 1; y >= 0 && height - y <= maxRows + 1; y--) {
            System.arraycopy(slice, y * width, row, 0, width);
            float[] mode = mode(row);
            boolean bar = mode[1] >= ROW_SHARE && (y == height - 1 || Float.compare(mode[0], background) == 0);
            if (!bar) {
                aboveShare = mode[1];
                aboveValue = mode[0];
                break;
            }
            background = mode[0];
            first = y;
            topShare = mode[1];
        }
        int rows = height - first;
        if (rows < minRows || rows > maxRows || first == 0) {
            return null;
        }
        // an abrupt start: the bar's top row nearly all background, the row above mostly not (or a separator line of another value)
        boolean abrupt = topShare >= TOP_SHARE && (aboveShare < ROW_SHARE || Float.compare(aboveValue, background) != 0);
        if (!abrupt) {
            return null;
        }
        double[] range = Histogram.minMax(slice);
        double far = INK_CONTRAST * (range[1] - range[0]);
        if (!(far > 0)) {
            return null;
        }
        long ink = 0;
        for (int i = first * width; i < slice.length; i++) {
            ink += Math.abs(slice[i] - background) >= far ? 1 : 0;
        }
        if (ink < INK_SHARE * rows * (double) width) {
            return null;
        }
        return new Bar(first, rows, background);
    }

    /** {value, share} of the most frequent value of {@code row} (sorted in place). */
    private static float[] mode(float[] row) {
        Arrays.sort(row);
        float best = row[0];
        int bestRun = 0;
        int run = 0;
        for (int i = 0; i < row.length; i++) {
            run = i > 0 && Float.compare(row[i], row[i - 1]) == 0 ? run + 1 : 1;
            if (run > bestRun) {
                bestRun = run;
                best = row[i];
            }
        }
        return new float[] {best, (float) bestRun / row.length};
    }
}
