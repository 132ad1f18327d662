package poreseg.preprocess;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;
import poreseg.core.Histogram;
import poreseg.io.ArrayVolume;
import poreseg.io.PixelType;
import poreseg.io.Volumes;

/**
 * Not a test: writes the before/after figure of docs/preprocess.md from a real FIB-SEM slice and
 * prints the destriping numbers measured on real slices. Run from the repository root:
 * {@code java -cp target/classes:target/test-classes:<deps> poreseg.preprocess.DestripeFigure SLICE_DIR OUT.png}
 */
public final class DestripeFigure {
    private DestripeFigure() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Path out = Path.of(args[1]);
        java.util.List<Path> files = Volumes.listSlices(dir);
        double sumRatio = 0;
        double sumChange = 0;
        double minRatio = Double.MAX_VALUE;
        double maxChange = 0;
        for (int k = 0; k < files.size(); k++) {
            ArrayVolume v = Volumes.load(files.get(k));
            int w = v.info().width();
            int h = v.info().height();
            float[] img = v.sliceView(0);
            double[] mm = Histogram.minMax(img);
            double range = mm[1] - mm[0];
            float[] striped = stripes(img, w, h, 0.10 * range, k);
            Destripe d = new Destripe(false);
            float[] clean = d.apply(img, w, h, PixelType.F32);
            float[] fixed = d.apply(striped, w, h, PixelType.F32);
            double ratio = rmse(striped, img) / rmse(fixed, img);
            double change = rmse(clean, img) / range * 100;
            sumRatio += ratio;
            sumChange += change;
            minRatio = Math.min(minRatio, ratio);
            maxChange = Math.max(maxChange, change);
            if (k == 0) {
                figure(img, striped, clean, fixed, w, h, out);
            }
        }
        int n = files.size();
        System.out.printf(Locale.ROOT, "%d real slices: with 10%% synthetic stripes RMSE cut %.2fx (mean), %.2fx (worst); "
                + "change of the unstriped slice %.2f %% (mean), %.2f %% (worst) of range%n", n, sumRatio / n, minRatio, sumChange / n, maxChange);
    }

    static float[] stripes(float[] img, int w, int h, double amplitude, long seed) {
        Random r = new Random(seed);
        double[] off = new double[w];
        for (int x = 0; x < w; x++) {
            off[x] = (r.nextDouble() - 0.5) * amplitude;
        }
        float[] s = img.clone();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                s[y * w + x] += (float) off[x];
            }
        }
        return s;
    }

    static double rmse(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return Math.sqrt(s / a.length);
    }

    /** 3 x 2 panels of a 400 x 300 crop: top: original, destriped, difference x4; bottom: the same with 10 % stripes added. */
    private static void figure(float[] img, float[] striped, float[] clean, float[] fixed, int w, int h, Path out) throws IOException {
        int cw = Math.min(400, w);
        int ch = Math.min(300, h);
        int x0 = (w - cw) / 2;
        int y0 = (h - ch) / 2;
        int gap = 6;
        BufferedImage bi = new BufferedImage(3 * cw + 2 * gap, 2 * ch + gap, BufferedImage.TYPE_BYTE_GRAY);
        java.awt.Graphics2D g = bi.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, bi.getWidth(), bi.getHeight());
        g.dispose();
        float[][] row0 = {img, clean, diff(img, clean)};
        float[][] row1 = {striped, fixed, diff(img, fixed)};
        for (int r = 0; r < 2; r++) {
            float[][] row = r == 0 ? row0 : row1;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < ch; y++) {
                    for (int x = 0; x < cw; x++) {
                        float v = row[c][(y + y0) * w + x + x0];
                        int grey = Math.max(0, Math.min(255, Math.round(v)));
                        bi.getRaster().setSample(c * (cw + gap) + x, r * (ch + gap) + y, 0, grey);
                    }
                }
            }
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        ImageIO.write(bi, "png", out.toFile());
    }

    /** 128 + 4 (a - b): the removed component, amplified. */
    private static float[] diff(float[] a, float[] b) {
        float[] d = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = 128 + 4 * (a[i] - b[i]);
        }
        return d;
    }
}
