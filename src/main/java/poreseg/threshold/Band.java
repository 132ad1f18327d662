package poreseg.threshold;

import java.util.Locale;
import poreseg.util.ParameterException;

/**
 * The two thresholds of hysteresis and their direction. Bright foreground: weak pixels are
 * value &gt; weak, seeds value &gt; strong (scikit-image {@code apply_hysteresis_threshold}).
 * Dark foreground ({@code dark}, pores in BSE images): weak pixels are value &lt; weak, seeds value
 * &lt; strong. Comparisons are made in float32, as NumPy does for float32 images.
 */
public record Band(double weak, double strong, boolean dark) {

    public Band {
        if (!Double.isFinite(weak) || !Double.isFinite(strong)) {
            throw new ParameterException("hysteresis thresholds must be finite numbers, got weak=" + weak + " strong=" + strong);
        }
        if (dark ? weak < strong : weak > strong) {
            throw new ParameterException(String.format(Locale.ROOT,
                    "hysteresis: the weak threshold (%s) must be %s the strong one (%s) for %s foreground",
                    weak, dark ? ">=" : "<=", strong, dark ? "dark" : "bright"));
        }
    }

    /**
     * Automatic thresholds from a histogram: weak = the Otsu threshold, strong = halfway from it to
     * the mean of the foreground side (below Otsu for dark foreground, above for bright).
     */
    public static Band auto(poreseg.core.Histogram h, boolean dark) {
        double t = AutoThreshold.otsu(h);
        double s = 0;
        long n = 0;
        for (int i = 0; i < h.bins(); i++) {
            double c = h.center(i);
            if (dark ? c < t : c > t) {
                s += c * h.count(i);
                n += h.count(i);
            }
        }
        double mean = n == 0 ? t : s / n;
        return new Band(t, (t + mean) / 2, dark);
    }

    boolean weak(float v) {
        float t = (float) weak;
        return dark ? v < t : v > t;
    }

    boolean strong(float v) {
        float t = (float) strong;
        return dark ? v < t : v > t;
    }
}
