package poreseg.threshold;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import poreseg.io.ArrayVolume;
import poreseg.io.PixelType;
import poreseg.core.Histogram;
import poreseg.testutil.SkimageCases;

/**
 * Li, triangle and mean against a NumPy port of scikit-image 0.19.3
 * (src/test/resources/skimage/port/threshold_port.py) on the golden images.
 */
class ThresholdMethodsTest {
    // image, li, triangle, mean
    private static final Object[][] EXPECTED = {
        {"img0_u8", 137.50960491382912, 254.0, 211.26903125},
        {"img0_u16", 22569.238537278696, 40995.0, 34139.8611875},
        {"img0_f32", 0.5392308831214905, 0.994140625, 0.828496515750885},
        {"img1_u8", 137.71951142400525, 254.0, 218.51184895833333},
        {"img1_u16", 22553.316519083677, 40999.0, 35276.24919270833},
        {"img1_f32", 0.5388329029083252, 0.994140625, 0.8569061160087585},
        {"img2_u8", 135.7715979070087, 254.0, 210.31808035714286},
        {"img2_u16", 22243.16686053448, 40999.0, 33991.251049107144},
        {"img2_f32", 0.5312690138816833, 0.994140625, 0.8247812986373901},
    };

    @Test
    void agreeWithScikitImage() throws Exception {
        for (Object[] e : EXPECTED) {
            ArrayVolume v = SkimageCases.image(e[0] + ".tif");
            PixelType t = v.info().type();
            Histogram h = Histogram.of(v.sliceView(0), t, 256);
            String name = (String) e[0];
            if (t.isInteger()) {
                assertEquals((double) e[1], AutoThreshold.li(h), 1e-9, name + " li");
            } else {
                // float Li runs on a histogram (volumes are streamed): 256 bins within 1e-3 of the range,
                // the 65536 bins used by 'poreseg threshold --method li' within 1e-5
                assertEquals((double) e[1], AutoThreshold.li(h), 1e-3, name + " li");
                assertEquals((double) e[1], AutoThreshold.li(Histogram.of(v.sliceView(0), t, 65536)), 1e-5, name + " li fine");
            }
            assertEquals((double) e[2], AutoThreshold.triangle(h), 0.0, name + " triangle");
            assertEquals((double) e[3], AutoThreshold.mean(h), t.isInteger() ? 1e-9 : 1e-6, name + " mean");
        }
    }

    @Test
    void constantAndEmptyHistograms() {
        float[] c = {5, 5, 5, 5};
        for (PixelType t : PixelType.values()) {
            Histogram h = Histogram.of(c, t, 256);
            for (AutoThreshold.Method m : AutoThreshold.Method.values()) {
                assertEquals(5.0, m.compute(h), 1e-6, m + " " + t);
            }
        }
        Histogram empty = Histogram.of(new float[] {Float.NaN, Float.NaN}, PixelType.F32, 256);
        for (AutoThreshold.Method m : AutoThreshold.Method.values()) {
            assertEquals(0.0, m.compute(empty));
        }
    }
}
