package poreseg.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlateauScheduleTest {
    @Test
    void reducesByFactorAfterPatienceEpochsWithoutImprovementDownToMinLr() {
        PlateauSchedule s = PlateauSchedule.paper(1e-3);
        assertFalse(s.epochEnd(1.0)); // best = 1.0
        for (int i = 0; i < 9; i++) {
            assertFalse(s.epochEnd(1.0 - 5e-5)); // not better by min_delta 1e-4
        }
        assertTrue(s.epochEnd(1.0)); // 10th epoch without improvement
        assertEquals(2e-4, s.lr(), 1e-9);
        for (int k = 0; k < 10; k++) {
            s.epochEnd(2.0);
        }
        assertEquals(4e-5, s.lr(), 1e-10);
        for (int k = 0; k < 10; k++) {
            s.epochEnd(2.0);
        }
        assertEquals(1e-5, s.lr(), 1e-11); // max(8e-6, min_lr)
        for (int k = 0; k < 30; k++) {
            assertFalse(s.epochEnd(2.0));
        }
        assertEquals(1e-5, s.lr(), 1e-11);
    }

    @Test
    void improvementResetsPatience() {
        PlateauSchedule s = PlateauSchedule.paper(1e-3);
        s.epochEnd(1.0);
        for (int i = 0; i < 9; i++) {
            s.epochEnd(1.0);
        }
        s.epochEnd(0.5); // improvement on the 10th epoch
        assertEquals(1e-3, s.lr(), 1e-9);
    }

    @Test
    void lossValuesMatchHandComputedBce() {
        try (var m = NetEngine.newManager()) {
            var y = m.create(new float[] {1, 0, 1, 0});
            var p = m.create(new float[] {0.9f, 0.2f, 0.6f, 0f});
            float bce = new PoreLoss("bce").evaluate(new ai.djl.ndarray.NDList(y), new ai.djl.ndarray.NDList(p)).getFloat();
            double expect = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.6) + Math.log(1 - 1e-7)) / 4;
            assertEquals(expect, bce, 1e-5);
            float both = new PoreLoss("bce+dice").evaluate(new ai.djl.ndarray.NDList(y), new ai.djl.ndarray.NDList(p)).getFloat();
            double dice = 1 - (2 * (0.9 + 0.6) + 1) / ((0.9 + 0.2 + 0.6) + 2 + 1);
            assertEquals(expect + dice, both, 1e-5);
        }
    }
}
