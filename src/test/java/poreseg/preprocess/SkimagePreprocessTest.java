package poreseg.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import poreseg.core.Histogram;
import poreseg.io.ArrayVolume;
import poreseg.io.PixelType;
import poreseg.testutil.SkimageCases;

/** Golden agreement with scikit-image 0.19.3 / SciPy 1.10.1 (src/test/resources/skimage/cases.json). */
class SkimagePreprocessTest {

    private static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    @Test
    void equalizeClassicIsIdentical() throws Exception {
        for (JsonObject c : SkimageCases.cases("equalize_classic")) {
            ArrayVolume in = SkimageCases.image(c.get("input").getAsString());
            assertEquals(PixelType.U8, in.info().type());
            assertEquals(256, c.get("levels").getAsInt());
            float[] out = new Equalize().apply(in.sliceView(0), in.info().width(), in.info().height(), PixelType.U8);
            float[] exp = SkimageCases.image(c.get("expected").getAsString()).sliceView(0);
            assertEquals(0.0, maxAbsDiff(out, exp), c.get("input").getAsString());
        }
    }

    @Test
    void equalizeSkimageWithin1e6() throws Exception {
        for (JsonObject c : SkimageCases.cases("equalize_skimage")) {
            ArrayVolume in = SkimageCases.image(c.get("input").getAsString());
            float[] out = new EqualizeSkimage().apply(in.sliceView(0), in.info().width(), in.info().height(), in.info().type());
            float[] exp = SkimageCases.image(c.get("expected").getAsString()).sliceView(0);
            double d = maxAbsDiff(out, exp);
            assertTrue(d <= 1e-6, c.get("input").getAsString() + ": max difference " + d);
        }
    }

    @Test
    void gaussianWithin1e4OfRange() throws Exception {
        for (JsonObject c : SkimageCases.cases("gaussian")) {
            assertEquals("reflect", c.get("mode").getAsString());
            assertEquals(4.0, c.get("truncate").getAsDouble());
            ArrayVolume in = SkimageCases.image(c.get("input").getAsString());
            float[] img = in.sliceView(0);
            float[] out = new Gaussian(c.get("sigma").getAsDouble()).apply(img, in.info().width(), in.info().height(), in.info().type());
            float[] exp = SkimageCases.image(c.get("expected").getAsString()).sliceView(0);
            double[] mm = Histogram.minMax(img);
            double d = maxAbsDiff(out, exp) / (mm[1] - mm[0]);
            assertTrue(d <= 1e-4, c.get("input").getAsString() + " sigma " + c.get("sigma") + ": max difference / range " + d);
        }
    }

    @Test
    void stretchWithinOneGreyLevel() throws Exception {
        for (JsonObject c : SkimageCases.cases("stretch")) {
            ArrayVolume in = SkimageCases.image(c.get("input").getAsString());
            float[] img = in.sliceView(0);
            double[] mm = Histogram.minMax(img);
            float[] out = Stretch.rescale(img, mm[0], mm[1], c.get("out_max").getAsDouble());
            for (int i = 0; i < out.length; i++) {
                out[i] = PixelType.U8.clamp(out[i]);
            }
            float[] exp = SkimageCases.image(c.get("expected").getAsString()).sliceView(0);
            double d = maxAbsDiff(out, exp);
            assertTrue(d <= 1.0, c.get("input").getAsString() + ": max difference " + d);
            // and through the pipeline: stretch of the 16-bit image to 0..65535, then /257 to 8 bits
            float[] p = Pipeline.parse("stretch").apply(img, in.info().width(), in.info().height(), PixelType.U16);
            for (int i = 0; i < p.length; i++) {
                assertEquals(exp[i], p[i] / 257.0, 1.0);
            }
        }
    }
}
