package poreseg.threshold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import poreseg.io.PixelType;
import poreseg.core.Histogram;
import poreseg.util.ParameterException;

class ThresholdRegistryTest {
    /** A new method is one class and one register line: here the middle of the grey range. */
    record MidRange() implements ThresholdMethod {
        @Override
        public String id() {
            return "midrange";
        }

        @Override
        public double compute(Histogram h) {
            return (Thresholding.minMax(h)[0] + Thresholding.minMax(h)[1]) / 2;
        }
    }

    @Test
    void builtInsAndARegisteredMethod() {
        assertEquals(AutoThreshold.Method.OTSU, ThresholdMethods.get(" Otsu "));
        assertTrue(ThresholdMethods.names().subList(0, 5).equals(java.util.List.of("otsu", "hysteresis", "li", "triangle", "mean")));
        ThresholdMethods.register(new MidRange());
        Histogram h = Histogram.of(new float[] {10, 20, 30, 50}, PixelType.U8, 256);
        assertEquals(30.0, ThresholdMethods.get("midrange").compute(h));
        assertTrue(ThresholdMethods.names().contains("midrange"));
        ParameterException e = assertThrows(ParameterException.class, () -> ThresholdMethods.get("bogus"));
        assertEquals("{method}: unknown method 'bogus' (use " + ThresholdMethods.choices() + ")", e.template());
        assertThrows(ParameterException.class, () -> new Thresholding.Options("otsu", false, 1.0, 2.0, null, false, 256));
    }
}
