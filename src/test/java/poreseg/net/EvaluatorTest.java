package poreseg.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;

class EvaluatorTest {
    @Test
    void scoresOverAllPixelsOfTheStack() throws Exception {
        StackInfo info = new StackInfo(2, 2, 2, PixelType.U8, Calibration.NONE);
        ArrayVolume truth = new ArrayVolume(info, List.of(new float[] {255, 0, 0, 0}, new float[] {255, 255, 0, 0}));
        List<float[]> prob = List.of(new float[] {0.9f, 0.6f, 0.1f, 0f}, new float[] {0.8f, 0.4f, 0f, 0f});
        EpochMetrics m = Evaluator.evaluate(prob::get, truth, null, (d, t) -> { });
        // slice 0: tp 1, fp 1; slice 1: tp 1, fn 1; tn 4
        assertEquals(2, m.confusion().tp());
        assertEquals(1, m.confusion().fp());
        assertEquals(1, m.confusion().fn());
        assertEquals(4, m.confusion().tn());
        assertEquals(2.0 * 2 / (2 * 2 + 1 + 1), m.scores().f1, 1e-12);
        assertEquals(0.75, m.scores().accuracy, 1e-12);
        double se = 0.01 + 0.36 + 0.01 + 0 + 0.04 + 0.36 + 0 + 0;
        assertEquals(se / 8, m.scores().mse, 1e-6);
    }
}
