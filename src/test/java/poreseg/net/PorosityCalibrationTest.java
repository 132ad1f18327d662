package poreseg.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import poreseg.workflow.FewLabelBench;

/** The matched threshold, and which labels may calibrate a porosity at all. */
class PorosityCalibrationTest {
    static final int W = 96;
    static final int H = 80;

    /** Dense labels: discs of pore (1) on solid (0). */
    static float[] discs() {
        float[] t = new float[W * H];
        int[][] c = {{20, 20, 9}, {60, 30, 12}, {35, 60, 7}, {80, 65, 10}};
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                for (int[] d : c) {
                    if ((x - d[0]) * (x - d[0]) + (y - d[1]) * (y - d[1]) <= d[2] * d[2]) {
                        t[y * W + x] = 1;
                    }
                }
            }
        }
        return t;
    }

    @Test
    void denseLabelsAndLabelledRegionsCalibrateStrokesDoNot() {
        float[] dense = discs();
        assertNotNull(PorosityCalibration.calibrationLabels(dense, W, H));
        // a labelled disk inside an unlabelled surround (a sample disk, a labelled box): its pores' edges are drawn
        float[] region = dense.clone();
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                if ((x - 48) * (x - 48) + (y - 40) * (y - 40) > 38 * 38) {
                    region[y * W + x] = MaskEncoding.UNLABELLED;
                }
            }
        }
        assertNotNull(PorosityCalibration.calibrationLabels(region, W, H));
        // scribbles: eroded class interiors on thin diagonal strokes
        float[] strokes = FewLabelBench.scribble(dense, W, H, 3, 24);
        assertNull(PorosityCalibration.calibrationLabels(strokes, W, H));
        // strokes of one class only
        float[] solidStroke = new float[W * H];
        Arrays.fill(solidStroke, MaskEncoding.UNLABELLED);
        for (int x = 10; x < 90; x++) {
            solidStroke[40 * W + x] = 0;
            solidStroke[41 * W + x] = 0;
        }
        assertNull(PorosityCalibration.calibrationLabels(solidStroke, W, H));
        // a slice labelled solid throughout (no pore at all) is dense
        assertNotNull(PorosityCalibration.calibrationLabels(new float[W * H], W, H));
    }

    @Test
    void aBoxLabelledWholeCalibratesBesideStrokesAndThickStrokesDoNot() {
        float[] dense = discs();
        // strokes over the whole slice, and a box labelled whole around the disc at (60, 30)
        float[] mixed = FewLabelBench.scribble(dense, W, H, 3, 24);
        for (int y = 10; y < 50; y++) {
            for (int x = 40; x < 80; x++) {
                mixed[y * W + x] = dense[y * W + x];
            }
        }
        float[] c = PorosityCalibration.calibrationLabels(mixed, W, H);
        assertNotNull(c);
        long inBox = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                float v = c[y * W + x];
                boolean box = y >= 10 && y < 50 && x >= 40 && x < 80;
                if (v >= 0) {
                    assertTrue(box, "only the box calibrates, not the strokes beside it: " + x + "," + y);
                    assertEquals(dense[y * W + x], v);
                    inBox++;
                }
            }
        }
        // the box without the pixels within 2 of its unlabelled surround or of a stroke's gaps
        assertTrue(inBox >= 36 * 36 && inBox <= 40 * 40, "box pixels kept: " + inBox);
        // thick strokes (8 px brush) on pore and on solid interiors: dense cores, but no pore edge among them
        float[] thick = new float[W * H];
        Arrays.fill(thick, MaskEncoding.UNLABELLED);
        for (int y = 26; y < 34; y++) {
            for (int x = 52; x < 68; x++) {
                thick[y * W + x] = 1; // inside the disc of radius 12 at (60, 30)
            }
            for (int x = 5; x < 40; x++) {
                thick[(y + 20) * W + x] = 0; // solid, rows 46-53
            }
        }
        assertNull(PorosityCalibration.calibrationLabels(thick, W, H));
        // the same brush dragged across a pore edge, both classes painted up to it: that is a drawn boundary
        float[] across = thick.clone();
        for (int y = 26; y < 34; y++) {
            for (int x = 68; x < 84; x++) {
                across[y * W + x] = dense[y * W + x];
            }
        }
        assertNotNull(PorosityCalibration.calibrationLabels(across, W, H));
    }

    @Test
    void aTrainingsOwnShiftIsCappedACalibrationsIsNot() {
        ModelInfo trained = new ModelInfo();
        trained.porosityThresholds = new java.util.ArrayList<>(java.util.List.of(0.01, 0.05, 0.9));
        // the median 0.05 would shift by logit(0.05) = -2.94; a training's validation may shift by 1 at most
        assertEquals(-PorosityCalibration.MAX_TRAINING_SHIFT, PorosityCalibration.bias(trained), 1e-12);
        trained.porosityThresholds = new java.util.ArrayList<>(java.util.List.of(0.4, 0.45));
        assertEquals(Math.log(0.425 / 0.575), PorosityCalibration.bias(trained), 1e-9, "small shifts are kept");
        assertTrue(PorosityCalibration.describe(trained).startsWith("probabilities shifted so that 0.4250 counts as 0.5:"));
        ModelInfo calibrated = new ModelInfo();
        calibrated.porosityThresholds = new java.util.ArrayList<>(java.util.List.of(0.05));
        calibrated.training = new java.util.LinkedHashMap<>(java.util.Map.of("calibration", java.util.Map.of("slices", java.util.List.of(1))));
        assertEquals(Math.log(0.05 / 0.95), PorosityCalibration.bias(calibrated), 1e-9, "poreseg calibrate's threshold shifts in full");
        trained.porosityThresholds = new java.util.ArrayList<>(java.util.List.of(0.05));
        assertTrue(PorosityCalibration.describe(trained).contains("their median 0.05000"), PorosityCalibration.describe(trained));
    }

    @Test
    void matchingThresholdMakesThePorosityRight() {
        float[] truth = discs();
        float[] prob = new float[truth.length];
        for (int i = 0; i < prob.length; i++) {
            // a model that is sure of the interiors and leans to solid everywhere: pores at 0.3-0.9, solid at 0-0.2
            prob[i] = truth[i] > 0 ? 0.3f + 0.6f * (i % 7) / 6f : 0.2f * (i % 5) / 4f;
        }
        double t = PorosityCalibration.matchingThreshold(prob, truth);
        assertEquals(0.25, t, 1e-6, "midway between the highest solid (0.2) and the lowest pore (0.3) probability");
        long above = 0;
        long pores = 0;
        for (int i = 0; i < prob.length; i++) {
            above += prob[i] > t ? 1 : 0;
            pores += truth[i] > 0 ? 1 : 0;
        }
        assertEquals(pores, above);
    }

    /**
     * Where the network is certain (probability exactly 1.0 or 0.0 in float) of more pores or more
     * solid than the labels have, the matching threshold stops short of 1 and 0: every certain pixel
     * keeps its class (a threshold of 1.0 called no pixel pore: F1 0.000 on two catalyst-stem and two
     * sandstone crops), and the logit shift that a calibrated model applies keeps the order, pore
     * after the shift exactly where above the threshold.
     */
    @Test
    void certainProbabilitiesKeepTheirClass() {
        int n = 1000;
        float[] truth = new float[n];
        float[] prob = new float[n];
        for (int i = 0; i < n; i++) {
            truth[i] = i < 300 ? 1 : 0; // 30 % pores labelled
            prob[i] = i < 600 ? 1.0f : i < 650 ? 0.99999994f : 0.3f * (i % 10) / 10; // 60 % certain pores
        }
        double t = PorosityCalibration.matchingThreshold(prob, truth);
        assertEquals(1 - PorosityCalibration.THRESHOLD_LIMIT, t, 0);
        assertEquals(650, shiftedPores(prob, t), "the certain pores (and those within 1e-5 of 1) stay pores, the rest does not");
        // the other end: 90 % labelled pores, the network certain of solid on half of the slice
        for (int i = 0; i < n; i++) {
            truth[i] = i < 900 ? 1 : 0;
            prob[i] = i < 500 ? 0.0f : i < 520 ? 1e-7f : 0.7f;
        }
        t = PorosityCalibration.matchingThreshold(prob, truth);
        assertEquals(PorosityCalibration.THRESHOLD_LIMIT, t, 0);
        assertEquals(480, shiftedPores(prob, t), "the certain solid (and that within 1e-5 of 0) stays solid");
        assertEquals("0.99999", PorosityCalibration.formatThreshold(1 - PorosityCalibration.THRESHOLD_LIMIT), "not 1.000");
        assertEquals("0.9736", PorosityCalibration.formatThreshold(0.97363));
        assertEquals("0.001828", PorosityCalibration.formatThreshold(0.0018281));
        assertEquals("1.000e-05", PorosityCalibration.formatThreshold(PorosityCalibration.THRESHOLD_LIMIT));
        // inside the limits the shift still tells apart probabilities a little above and below the threshold
        for (double th : new double[] {1e-4, 0.02, 0.5, 0.9998, 1 - 2e-5}) {
            float[] p = {(float) (th * 0.999), (float) (th + (1 - th) * 0.001), 1.0f, 0.0f};
            assertEquals(2, shiftedPores(p, th), "threshold " + th);
        }
    }

    /** Pores after a calibration to threshold t, as Segmenter shifts and thresholds the probabilities (above 0.5). */
    private static int shiftedPores(float[] prob, double t) {
        double bias = PorosityCalibration.logit(t);
        int pores = 0;
        for (float p : prob) {
            pores += (float) PorosityCalibration.sigmoid(PorosityCalibration.logit(p) - bias) > 0.5f ? 1 : 0;
        }
        return pores;
    }
}
