package poreseg.preprocess;

import ij.plugin.filter.RankFilters;
import ij.process.FloatProcessor;
import poreseg.io.PixelType;
import poreseg.util.ParameterException;

/**
 * Median filter with ImageJ's {@code RankFilters} (the same as Fiji's Process &gt; Filters &gt; Median):
 * circular kernel of the given radius (pixels within radius^2 + 1 of the centre), borders padded with
 * the nearest edge pixel.
 */
public final class Median implements Step {
    private final double radius;

    static {
        // slices are already processed in parallel; ImageJ's own threads (a cached pool that keeps the
        // JVM alive for a minute after the last call) would only oversubscribe the cores
        ij.Prefs.setThreads(1);
    }

    public Median(double radius) {
        if (!(radius >= 0.5) || radius > 100) {
            throw new ParameterException("median: radius must be between 0.5 and 100 pixels, got " + radius);
        }
        this.radius = radius;
    }

    @Override
    public float[] apply(float[] in, int w, int h, PixelType type) {
        FloatProcessor fp = new FloatProcessor(w, h, in.clone());
        new RankFilters().rank(fp, radius, RankFilters.MEDIAN);
        return (float[]) fp.getPixels();
    }

    @Override
    public String spec() {
        return "median=" + Pipeline.num(radius);
    }
}
