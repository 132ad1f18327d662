package poreseg.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import poreseg.util.ParameterException;

/**
 * One image cell of a {@link Montage}, made from a slice ({@code float[]} of width x height). Greyscale
 * tiles are contrast-stretched between the 0.5th and 99.5th percentiles unless a range is given. In mask
 * tiles a value above 0.5 is pore (fits 0/1, 0/255 and probabilities).
 */
public final class Tile {
    /** Overlay colours (Okabe and Ito): correctly found pore, false pore, missed pore. */
    public static final Color TRUE_POSITIVE = new Color(0xF0E442);
    public static final Color FALSE_POSITIVE = new Color(0xD55E00);
    public static final Color FALSE_NEGATIVE = new Color(0x56B4E9);
    /** Colour of uncertain pixels in {@link #uncertainty}. */
    public static final Color UNCERTAIN = new Color(0xFF00FF);

    private final BufferedImage image;
    private final boolean isMask;

    private Tile(BufferedImage image, boolean isMask) {
        this.image = image;
        this.isMask = isMask;
    }

    /** Wraps a finished image. */
    public static Tile of(BufferedImage image) {
        return new Tile(image, false);
    }

    /** Greyscale, stretched between the 0.5th and 99.5th percentiles of the slice. */
    public static Tile grey(float[] pixels, int width, int height) {
        double[] r = percentiles(pixels, 0.005, 0.995);
        return grey(pixels, width, height, r[0], r[1]);
    }

    /** Greyscale with {@code lo} black and {@code hi} white (e.g. 0..1 for a probability map). */
    public static Tile grey(float[] pixels, int width, int height, double lo, double hi) {
        check(pixels, width, height);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            int v = grey(pixels[i], lo, hi);
            rgb[i] = v << 16 | v << 8 | v;
        }
        img.setRGB(0, 0, width, height, rgb, 0, width);
        return new Tile(img, false);
    }

    /** A binary mask: pore white on black. */
    public static Tile mask(float[] mask, int width, int height) {
        check(mask, width, height);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[mask.length];
        for (int i = 0; i < mask.length; i++) {
            rgb[i] = mask[i] > 0.5f ? 0xFFFFFF : 0;
        }
        img.setRGB(0, 0, width, height, rgb, 0, width);
        return new Tile(img, true);
    }

    /** The greyscale image with the mask's pore voxels tinted in {@code color} (half opacity). */
    public static Tile overlay(float[] grey, float[] mask, int width, int height, Color color) {
        check(grey, width, height);
        check(mask, width, height);
        double[] r = percentiles(grey, 0.005, 0.995);
        int[] rgb = new int[grey.length];
        for (int i = 0; i < grey.length; i++) {
            int v = grey(grey[i], r[0], r[1]);
            rgb[i] = mask[i] > 0.5f ? blend(v, color) : v << 16 | v << 8 | v;
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, width, height, rgb, 0, width);
        return new Tile(img, false);
    }

    /**
     * The greyscale image with the errors of a prediction against the truth: found pore
     * ({@link #TRUE_POSITIVE}), false pore ({@link #FALSE_POSITIVE}), missed pore ({@link #FALSE_NEGATIVE}).
     */
    public static Tile errors(float[] grey, float[] predicted, float[] truth, int width, int height) {
        check(grey, width, height);
        check(predicted, width, height);
        check(truth, width, height);
        double[] r = percentiles(grey, 0.005, 0.995);
        int[] rgb = new int[grey.length];
        for (int i = 0; i < grey.length; i++) {
            int v = grey(grey[i], r[0], r[1]);
            boolean p = predicted[i] > 0.5f;
            boolean t = truth[i] > 0.5f;
            rgb[i] = p && t ? blend(v, TRUE_POSITIVE) : p ? blend(v, FALSE_POSITIVE) : t ? blend(v, FALSE_NEGATIVE) : v << 16 | v << 8 | v;
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, width, height, rgb, 0, width);
        return new Tile(img, false);
    }

    /**
     * The greyscale image tinted by an uncertainty map in [0, 1]: the more uncertain, the more
     * {@link #UNCERTAIN} (magenta); 0 leaves the grey value, 1 is three quarters magenta.
     */
    public static Tile uncertainty(float[] grey, float[] uncertainty, int width, int height) {
        check(grey, width, height);
        check(uncertainty, width, height);
        double[] r = percentiles(grey, 0.005, 0.995);
        int[] rgb = new int[grey.length];
        for (int i = 0; i < grey.length; i++) {
            int v = grey(grey[i], r[0], r[1]);
            float u = Float.isFinite(uncertainty[i]) ? Math.max(0f, Math.min(1f, uncertainty[i])) * 0.75f : 0f;
            int rr = Math.round(v * (1 - u) + UNCERTAIN.getRed() * u);
            int gg = Math.round(v * (1 - u) + UNCERTAIN.getGreen() * u);
            int bb = Math.round(v * (1 - u) + UNCERTAIN.getBlue() * u);
            rgb[i] = rr << 16 | gg << 8 | bb;
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, width, height, rgb, 0, width);
        return new Tile(img, false);
    }

    public BufferedImage image() {
        return image;
    }

    /** Whether this is a binary mask (scaled without smoothing). */
    public boolean isMask() {
        return isMask;
    }

    private static int blend(int grey, Color c) {
        int r = (grey + c.getRed() * 3) / 4;
        int g = (grey + c.getGreen() * 3) / 4;
        int b = (grey + c.getBlue() * 3) / 4;
        return r << 16 | g << 8 | b;
    }

    private static int grey(float v, double lo, double hi) {
        if (Float.isNaN(v)) {
            return 0;
        }
        double t = hi > lo ? (v - lo) / (hi - lo) : (v > lo ? 1 : 0);
        return (int) Math.round(255 * Math.min(1, Math.max(0, t)));
    }

    private static void check(float[] px, int w, int h) {
        if (w <= 0 || h <= 0 || (long) w * h != px.length) {
            throw new ParameterException("slice of " + px.length + " pixels is not " + w + "x" + h);
        }
    }

    /** Percentiles of the finite values, from a sample of at most ~1 M pixels. */
    static double[] percentiles(float[] px, double a, double b) {
        int stride = Math.max(1, px.length / 1_000_000);
        float[] s = new float[(px.length + stride - 1) / stride];
        int n = 0;
        for (int i = 0; i < px.length; i += stride) {
            if (Float.isFinite(px[i])) {
                s[n++] = px[i];
            }
        }
        if (n == 0) {
            return new double[] {0, 1};
        }
        Arrays.sort(s, 0, n);
        double lo = s[(int) Math.floor(a * (n - 1))];
        double hi = s[(int) Math.ceil(b * (n - 1))];
        if (hi <= lo) { // flat or nearly: fall back to the full range
            lo = s[0];
            hi = s[n - 1];
        }
        return new double[] {lo, hi};
    }
}
