package poreseg.workflow;

import java.io.IOException;
import poreseg.core.Histogram;
import poreseg.core.Masks;
import poreseg.io.SliceSource;
import poreseg.io.Volume;
import poreseg.threshold.AutoThreshold;
import poreseg.util.ProgressListener;

/**
 * The paper's "digital threshold" baseline: one global automatic threshold (Otsu by default) over
 * the whole preprocessed stack, dark pixels are pore (BSE: pores are dark).
 */
public final class ThresholdBaseline {
    private final Volume image;
    private final double threshold;

    private ThresholdBaseline(Volume image, double threshold) {
        this.image = image;
        this.threshold = threshold;
    }

    /** Computes the global threshold of {@code image} (already preprocessed) with the given method. */
    public static ThresholdBaseline of(Volume image, AutoThreshold.Method method, ProgressListener progress) throws IOException {
        Histogram h = Histogram.of(image, 256, progress);
        double t = h.isConstant() ? h.constantValue() : method.compute(h);
        return new ThresholdBaseline(image, t);
    }

    public double threshold() {
        return threshold;
    }

    /** Mask slices: 255 where value <= threshold (dark = pore), else 0. */
    public SliceSource masks() {
        return z -> Masks.threshold(image.slice(z), threshold, true);
    }
}
