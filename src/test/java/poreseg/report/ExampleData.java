package poreseg.report;

import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Fake but clearly labelled example data for report tests and for the screenshot in docs/img: a
 * synthetic particle slice with round pores, a "ground truth", a "CNN" output (truth with a few
 * pixels changed) and a "threshold" output (noisy threshold). None of these numbers are measured.
 */
final class ExampleData {
    static final int W = 160;
    static final int H = 120;

    private ExampleData() {
    }

    /** Slice z: {input, truth, cnn, threshold}. */
    static float[][] slice(int z) {
        Random rnd = new Random(42 + z);
        float[] in = new float[W * H];
        float[] truth = new float[W * H];
        float[] cnn = new float[W * H];
        float[] thr = new float[W * H];
        double[][] pores = new double[9][];
        Random pr = new Random(7);
        for (int k = 0; k < pores.length; k++) {
            pores[k] = new double[] {40 + pr.nextDouble() * 80, 30 + pr.nextDouble() * 60, 3 + pr.nextDouble() * 7 * (0.6 + 0.4 * Math.cos(z * 0.4 + k))};
        }
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int i = y * W + x;
                double r = Math.hypot((x - W / 2.0) / 1.2, y - H / 2.0);
                boolean particle = r < 50;
                boolean pore = false;
                for (double[] p : pores) {
                    pore |= Math.hypot(x - p[0], y - p[1]) < p[2];
                }
                pore &= particle;
                double v = particle ? (pore ? 70 : 170) : 40;
                in[i] = (float) (v + rnd.nextGaussian() * 25);
                truth[i] = pore ? 255 : 0;
                boolean edge = false;
                for (double[] p : pores) {
                    edge |= Math.abs(Math.hypot(x - p[0], y - p[1]) - p[2]) < 1;
                }
                cnn[i] = (edge && rnd.nextDouble() < 0.4) ? 255 - truth[i] : truth[i];
                thr[i] = particle && in[i] < 110 ? 255 : 0;
            }
        }
        return new float[][] {in, truth, cnn, thr};
    }

    static double[] epochs(int n) {
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = i + 1;
        }
        return e;
    }

    /** A made-up learning curve rising from {@code start} to {@code end}. */
    static double[] curve(int n, double start, double end, double rate, long seed) {
        Random r = new Random(seed);
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = end - (end - start) * Math.exp(-rate * i) + r.nextGaussian() * 0.004;
        }
        return c;
    }

    static BufferedImage accuracyPlot() {
        int n = 40;
        double[] x = epochs(n);
        return new Plot("Accuracy vs epoch (EXAMPLE DATA)").x("epoch", null).y("accuracy", null)
                .series("raw, train", x, curve(n, 0.80, 0.955, 0.12, 1), Plot.Style.train(0))
                .series("raw, test", x, curve(n, 0.78, 0.94, 0.12, 2), Plot.Style.test(0))
                .series("equalize, train", x, curve(n, 0.82, 0.975, 0.2, 3), Plot.Style.train(1))
                .series("equalize, test", x, curve(n, 0.80, 0.97, 0.2, 4), Plot.Style.test(1))
                .render(560, 380);
    }

    static BufferedImage porosityPlot() {
        int n = 30;
        double[] z = epochs(n);
        double[] truth = new double[n];
        double[] cnn = new double[n];
        double[] thr = new double[n];
        for (int i = 0; i < n; i++) {
            float[][] s = slice(i);
            truth[i] = 100 * fraction(s[1]);
            cnn[i] = 100 * fraction(s[2]);
            thr[i] = 100 * fraction(s[3]);
        }
        return new Plot("Porosity per slice (EXAMPLE DATA)").x("slice", null).y("porosity", "%")
                .series("ground truth", z, truth, Plot.Style.of(6))
                .series("CNN", z, cnn, Plot.Style.of(0).withMarkers())
                .series("threshold", z, thr, Plot.Style.of(1).withDash(Plot.Dash.DASHED))
                .render(560, 380);
    }

    static double fraction(float[] mask) {
        int n = 0;
        for (float v : mask) {
            if (v > 0.5f) {
                n++;
            }
        }
        return (double) n / mask.length;
    }

    static BufferedImage montage() {
        Montage m = new Montage("input", "ground truth", "CNN output", "threshold output", "CNN errors");
        for (int z : new int[] {3, 15}) {
            float[][] s = slice(z);
            m.row("slice " + (z + 1), Tile.grey(s[0], W, H), Tile.mask(s[1], W, H), Tile.mask(s[2], W, H),
                    Tile.mask(s[3], W, H), Tile.errors(s[0], s[2], s[1], W, H));
        }
        return m.title("Segmentations (EXAMPLE DATA)").scaleBar(9, "nm")
                .legend("found pore", Tile.TRUE_POSITIVE).legend("false pore", Tile.FALSE_POSITIVE)
                .legend("missed pore", Tile.FALSE_NEGATIVE).render(170);
    }
}
