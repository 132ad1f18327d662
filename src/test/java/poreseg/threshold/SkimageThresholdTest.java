package poreseg.threshold;

import poreseg.core.Histogram;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import poreseg.io.ArrayVolume;
import poreseg.io.StackInfo;
import poreseg.testutil.SkimageCases;

/** Golden agreement with scikit-image 0.19.3: Otsu thresholds and hysteresis masks. */
class SkimageThresholdTest {

    @Test
    void otsuIsIdenticalForU8U16AndF32() throws Exception {
        int n = 0;
        for (JsonObject c : SkimageCases.cases("otsu")) {
            ArrayVolume v = SkimageCases.image(c.get("input").getAsString());
            StackInfo i = v.info();
            Histogram h = Histogram.of(v.sliceView(0), i.type(), c.get("nbins").getAsInt());
            double expected = c.get("expected_threshold").getAsDouble();
            assertEquals(expected, AutoThreshold.otsu(h), 0.0, c.get("input").getAsString() + " " + i.type());
            // the volume path (streamed, multi-threaded) gives the same number
            assertEquals(expected, AutoThreshold.otsu(Histogram.of(v, c.get("nbins").getAsInt(), poreseg.util.ProgressListener.NONE)), 0.0);
            n++;
        }
        assertEquals(9, n);
    }

    @Test
    void hysteresisMasksAreIdentical() throws Exception {
        for (JsonObject c : SkimageCases.cases("hysteresis")) {
            ArrayVolume v = SkimageCases.image(c.get("input").getAsString());
            float[] img = v.sliceView(0);
            float[] inv = new float[img.length];
            for (int k = 0; k < img.length; k++) {
                inv[k] = c.get("invert").getAsBoolean() ? 1f - img[k] : img[k];
            }
            Band band = new Band(c.get("low").getAsDouble(), c.get("high").getAsDouble(), false);
            float[] mask = Hysteresis.apply2D(inv, v.info().width(), v.info().height(), band, c.get("connectivity").getAsInt() == 8);
            float[] expected = SkimageCases.image(c.get("expected").getAsString()).sliceView(0);
            int diff = 0;
            int fg = 0;
            for (int k = 0; k < mask.length; k++) {
                if (mask[k] != expected[k]) {
                    diff++;
                }
                if (expected[k] != 0) {
                    fg++;
                }
            }
            assertEquals(0, diff, c.get("input").getAsString() + ": differing pixels (of " + fg + " foreground)");
            assertEquals(true, fg > 0 && fg < mask.length, "case is not trivial");
        }
    }
}
