package poreseg.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.metrics.Evaluation;

class EvaluationReportTest {
    static final float P = 255;

    static Volume vol(float[]... slices) {
        List<float[]> s = new ArrayList<>(List.of(slices));
        return new ArrayVolume(new StackInfo(4, 2, slices.length, PixelType.U8, Calibration.NONE), s);
    }

    @Test
    void scoresTableHasTruthRowThenOneRowPerSegmentation() throws Exception {
        Volume truth = vol(new float[] {P, 0, P, 0, 0, 0, 0, 0}, new float[] {P, P, P, P, P, P, 0, 0});
        Volume a = vol(new float[] {P, P, 0, 0, 0, 0, 0, 0}, new float[] {P, P, P, P, 0, 0, 0, 0});
        Volume b = vol(new float[] {P, 0, P, 0, 0, 0, 0, 0}, new float[] {P, P, P, P, P, P, 0, 0});
        Map<String, Evaluation> m = new LinkedHashMap<>();
        m.put("threshold", Evaluation.evaluate(a, truth));
        m.put("CNN", Evaluation.evaluate(b, truth));
        Table t = EvaluationReport.scoresTable("k", "c", m);
        assertEquals(3, t.rows().size());
        assertEquals("ground truth", t.rows().get(0).get(0));
        assertEquals(50.0, (Double) t.rows().get(0).get(1), 1e-12);
        assertNull(t.rows().get(0).get(3));
        assertEquals(37.5, (Double) t.rows().get(1).get(1), 1e-12);
        assertEquals(-12.5, (Double) t.rows().get(1).get(3), 1e-12);
        assertEquals(10.0 / 14, (Double) t.rows().get(1).get(7), 1e-12);
        assertEquals(1.0, (Double) t.rows().get(2).get(7), 1e-12); // perfect
        assertEquals("+0.000", t.text(2, 3));
        // figures render
        assertEquals(600, EvaluationReport.porosityPerSlice(m, 600, 300).getWidth());
        assertEquals(600, EvaluationReport.f1PerSlice(m, 600, 300).getWidth());
        Map<String, Volume> segs = new LinkedHashMap<>();
        segs.put("threshold", a);
        segs.put("CNN", b);
        // columns: truth, 2 segmentations, errors
        int w = EvaluationReport.montage(null, truth, segs, new int[] {0, 1}, 40).getWidth();
        assertEquals(true, w >= 4 * 40 && w < 4 * 46 + 100, "width " + w);
    }

    @Test
    void learningCurveDrawsTrainAndTestOfEachVariant() {
        double[] ep = {1, 2, 3, 4};
        Map<String, double[]> train = new LinkedHashMap<>();
        Map<String, double[]> test = new LinkedHashMap<>();
        train.put("raw", new double[] {0.5, 0.6, 0.7, 0.8});
        test.put("raw", new double[] {0.4, 0.5, 0.6, 0.7});
        test.put("equalize", new double[] {0.6, 0.7, Double.NaN, 0.9});
        java.awt.image.BufferedImage img = EvaluationReport.learningCurve("accuracy", ep, train, test, true, 500, 320);
        assertEquals(500, img.getWidth());
        assertEquals(true, PlotTest.countColor(img, Plot.PALETTE.get(0), 10) > 100, "raw drawn in colour 0");
        assertEquals(true, PlotTest.countColor(img, Plot.PALETTE.get(1), 10) > 50, "equalize drawn in colour 1");
    }

    @Test
    void evenSlicesSpreadThroughTheStack() {
        assertArrayEquals(new int[] {25, 50, 75}, EvaluationReport.evenSlices(100, 3));
        assertArrayEquals(new int[] {0, 1}, EvaluationReport.evenSlices(2, 3));
        assertArrayEquals(new int[] {0}, EvaluationReport.evenSlices(1, 3));
    }
}
