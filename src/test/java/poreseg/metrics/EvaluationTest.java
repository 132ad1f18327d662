package poreseg.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.DataException;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.util.ProgressListener;

/** Hand-computed cases: 4x2 pixels, 2 slices. */
class EvaluationTest {
    static final float P = 255;

    // slice 0: pred 2 pore, truth 2 pore, overlap 1 -> tp1 fp1 fn1 tn5
    // slice 1: pred 4 pore, truth 6 pore, overlap 4 -> tp4 fp0 fn2 tn2
    static final float[][] PRED = {{P, P, 0, 0, 0, 0, 0, 0}, {P, P, P, P, 0, 0, 0, 0}};
    static final float[][] TRUTH = {{P, 0, P, 0, 0, 0, 0, 0}, {P, P, P, P, P, P, 0, 0}};

    static Volume vol(PixelType type, Calibration cal, String name, float[]... slices) {
        List<float[]> s = new ArrayList<>();
        for (float[] a : slices) {
            s.add(a.clone());
        }
        return new ArrayVolume(new StackInfo(4, 2, slices.length, type, cal), s, name);
    }

    static Volume vol(String name, float[]... slices) {
        return vol(PixelType.U8, Calibration.NONE, name, slices);
    }

    static float[][] map(float[][] a, float pore, float not) {
        float[][] o = new float[a.length][];
        for (int z = 0; z < a.length; z++) {
            o[z] = new float[a[z].length];
            for (int i = 0; i < a[z].length; i++) {
                o[z][i] = a[z][i] > 0 ? pore : not;
            }
        }
        return o;
    }

    @Test
    void totalsAndSlicesMatchHandCounts() throws Exception {
        Evaluation e = Evaluation.evaluate(vol("pred", PRED), vol("truth", TRUTH));
        Scores t = e.total();
        assertEquals(List.of(5L, 1L, 3L, 7L), List.of(t.tp(), t.fp(), t.fn(), t.tn()));
        assertEquals(16, t.voxels());
        assertEquals(12.0 / 16, t.accuracy(), 1e-15);
        assertEquals(5.0 / 6, t.precision(), 1e-15);
        assertEquals(5.0 / 8, t.recall(), 1e-15);
        assertEquals(10.0 / 14, t.f1(), 1e-15);
        assertEquals(5.0 / 9, t.iou(), 1e-15);
        assertEquals(4.0 / 16, t.mse(), 1e-15);
        assertEquals(6.0 / 16, t.predictedPorosity(), 1e-15);
        assertEquals(8.0 / 16, t.truePorosity(), 1e-15);
        assertEquals(-2.0 / 16, t.porosityError(), 1e-15);
        assertEquals(-0.25, t.relativePorosityError(), 1e-15);
        assertEquals(Scores.TOTAL, t.z());

        Scores s0 = e.slices().get(0);
        Scores s1 = e.slices().get(1);
        assertEquals(List.of(0, 1L, 1L, 1L, 5L), List.of(s0.z(), s0.tp(), s0.fp(), s0.fn(), s0.tn()));
        assertEquals(List.of(1, 4L, 0L, 2L, 2L), List.of(s1.z(), s1.tp(), s1.fp(), s1.fn(), s1.tn()));
        assertEquals(0.25, s0.truePorosity(), 1e-15);
        assertEquals(0.75, s1.truePorosity(), 1e-15);
        assertEquals(0.0, s0.porosityError(), 1e-15);
        assertEquals(-0.25, s1.porosityError(), 1e-15);

        Spread sp = e.truePorositySpread();
        assertEquals(0.5, sp.mean(), 1e-15);
        assertEquals(Math.sqrt(0.125), sp.sd(), 1e-15); // ((.25)^2 + (.25)^2) / (2 - 1)
        assertEquals(2, sp.n());
        assertEquals(255f, e.predicted().poreValue());
        assertTrue(!e.mseFromProbability() && !e.hasRoi());
    }

    @Test
    void anyTwoValuedEncodingGivesTheSameCounts() throws Exception {
        Scores ref = Evaluation.evaluate(vol("pred", PRED), vol("truth", TRUTH)).total();
        Volume pred01 = vol(PixelType.F32, Calibration.NONE, "pred", map(PRED, 1, 0));
        Volume truth12 = vol(PixelType.U16, Calibration.NONE, "truth", map(TRUTH, 2, 1));
        assertEquals(ref, Evaluation.evaluate(pred01, truth12).total());
        // inverted encoding (0 = pore), selected with an explicit pore value
        Volume predInv = vol("pred", map(PRED, 0, 255));
        Volume truthInv = vol("truth", map(TRUTH, 0, 255));
        assertEquals(ref, Evaluation.evaluate(predInv, truthInv, null, null, 0f, ProgressListener.NONE).total());
    }

    @Test
    void mseOnProbabilities() throws Exception {
        // truth slice 0 = {1,0,1,0,0,0,0,0}: errors .1^2 + .6^2 + .6^2 + .1^2 = 0.74; slice 1: 8 x 0.5^2 = 2
        float[][] prob = {{0.9f, 0.6f, 0.4f, 0.1f, 0, 0, 0, 0}, {.5f, .5f, .5f, .5f, .5f, .5f, .5f, .5f}};
        Evaluation e = Evaluation.evaluate(vol("pred", PRED), vol("truth", TRUTH),
                vol(PixelType.F32, Calibration.NONE, "prob", prob), null);
        assertTrue(e.mseFromProbability());
        assertEquals(2.74 / 16, e.total().mse(), 1e-7);
        assertEquals(0.74 / 8, e.slices().get(0).mse(), 1e-7);
        assertEquals(0.25, e.slices().get(1).mse(), 1e-7);
        // the same map as 8-bit (0..255 = 0..1)
        float[][] prob8 = {{255, 0, 0, 255, 0, 0, 0, 0}, {255, 255, 255, 255, 0, 0, 0, 0}};
        // slice 0 vs truth {1,0,1,0,...}: errors 0 + 0 + 1 + 1 = 2; slice 1 vs {1,1,1,1,1,1,0,0}: 2
        Evaluation e8 = Evaluation.evaluate(vol("pred", PRED), vol("truth", TRUTH), vol("prob", prob8), null);
        assertEquals(4.0 / 16, e8.total().mse(), 1e-12);
    }

    @Test
    void roiRestrictsScoringAndPorosity() throws Exception {
        float[][] roi = {{P, P, P, P, 0, 0, 0, 0}, {P, P, P, P, P, P, P, P}};
        Evaluation e = Evaluation.evaluate(vol("pred", PRED), vol("truth", TRUTH), null, vol("roi", roi));
        Scores t = e.total();
        assertEquals(List.of(5L, 1L, 3L, 3L), List.of(t.tp(), t.fp(), t.fn(), t.tn()));
        assertEquals(8.0 / 12, t.truePorosity(), 1e-15);
        assertEquals(0.5, e.slices().get(0).truePorosity(), 1e-15);
        assertEquals(4, e.slices().get(0).voxels());
        assertTrue(e.hasRoi());
    }

    @Test
    void singleValuedMasks() throws Exception {
        float[][] zeros = {new float[8], new float[8]};
        Evaluation e = Evaluation.evaluate(vol("pred", zeros), vol("truth", TRUTH));
        assertEquals(0, e.total().tp() + e.total().fp());
        assertEquals(8, e.total().fn());
        assertEquals(0.0, e.total().predictedPorosity());
        assertTrue(Float.isNaN(e.predicted().poreValue()));
        Evaluation same = Evaluation.evaluate(vol("pred", zeros), vol("truth", zeros));
        assertEquals(1.0, same.total().f1()); // nothing to find, nothing found
        assertTrue(Double.isNaN(same.total().relativePorosityError()));
    }

    @Test
    void nonBinaryMasksAreRejected() {
        float[][] three = {{0, 128, 255, 0, 0, 0, 0, 0}, new float[8]};
        DataException a = assertThrows(DataException.class, () -> Evaluation.evaluate(vol("p.tif", three), vol("truth", TRUTH)));
        assertTrue(a.getMessage().startsWith("p.tif: not a binary mask: slice 1 holds values 0, 128, 255"), a.getMessage());
        float[][] acrossSlices = {{0, 255, 0, 0, 0, 0, 0, 0}, {0, 128, 0, 0, 0, 0, 0, 0}};
        DataException b = assertThrows(DataException.class, () -> Evaluation.evaluate(vol("pred", PRED), vol("t.tif", acrossSlices)));
        assertTrue(b.getMessage().startsWith("t.tif: not a binary mask: found values"), b.getMessage());
        DataException c = assertThrows(DataException.class, () -> Evaluation.evaluate(vol("pred", PRED), vol("t.tif", TRUTH),
                null, null, 1f, ProgressListener.NONE));
        assertTrue(c.getMessage().contains("pore value 1 not found"), c.getMessage());
    }

    @Test
    void mismatchedGridsAreRejected() throws Exception {
        float[][] oneSlice = {PRED[0]};
        DataException a = assertThrows(DataException.class, () -> Evaluation.evaluate(vol("pred", PRED), vol("t.tif", oneSlice)));
        assertTrue(a.getMessage().contains("size 4x2x1"), a.getMessage());
        Calibration nm9 = new Calibration(9, 9, 15, "nm");
        Calibration nm10 = new Calibration(10, 10, 15, "nm");
        Calibration um = new Calibration(0.009, 0.009, 0.015, "um");
        DataException b = assertThrows(DataException.class, () -> Evaluation.evaluate(
                vol(PixelType.U8, nm9, "pred", PRED), vol(PixelType.U8, nm10, "t.tif", TRUTH)));
        assertTrue(b.getMessage().startsWith("t.tif: voxel size 10 x 10 x 15 nm differs"), b.getMessage());
        // the same voxel size in another unit, or an uncalibrated mask, is accepted
        Evaluation ok = Evaluation.evaluate(vol(PixelType.U8, nm9, "pred", PRED), vol(PixelType.U8, um, "truth", TRUTH));
        assertEquals(nm9, ok.calibration());
        assertEquals(nm9, Evaluation.evaluate(vol("pred", PRED), vol(PixelType.U8, nm9, "truth", TRUTH)).calibration());
    }

    @Test
    void badProbabilitiesAndEmptyRoiAreRejected() {
        float[][] prob = {{1.5f, 0, 0, 0, 0, 0, 0, 0}, new float[8]};
        DataException a = assertThrows(DataException.class, () -> Evaluation.evaluate(vol("pred", PRED), vol("truth", TRUTH),
                vol(PixelType.F32, Calibration.NONE, "q.tif", prob), null));
        assertTrue(a.getMessage().startsWith("q.tif: probabilities must lie in [0, 1]"), a.getMessage());
        float[][] zeros = {new float[8], new float[8]};
        DataException b = assertThrows(DataException.class, () -> Evaluation.evaluate(vol("pred", PRED), vol("truth", TRUTH),
                null, vol("r.tif", zeros)));
        assertTrue(b.getMessage().startsWith("r.tif: the region of interest is empty"), b.getMessage());
    }

    @Test
    void csvHasOneLinePerSlice() throws Exception {
        String csv = Evaluation.evaluate(vol("pred", PRED), vol("truth", TRUTH)).slicesCsv();
        String[] lines = csv.split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[0].startsWith("slice,voxels,tp,fp,fn,tn,accuracy"), lines[0]);
        assertTrue(lines[2].startsWith("2,8,4,0,2,2,0.7500000000"), lines[2]);
    }

    @Test
    void spreadIgnoresNaN() {
        Spread s = Spread.of(1, Double.NaN, 3);
        assertEquals(2, s.mean(), 1e-15);
        assertEquals(Math.sqrt(2), s.sd(), 1e-15);
        assertEquals(2, s.n());
        assertEquals(0, Spread.of(5).sd());
        assertTrue(Double.isNaN(Spread.of().mean()));
    }
}
