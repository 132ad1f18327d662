package poreseg.io;

import java.io.IOException;
import poreseg.util.Parallel;
import poreseg.util.ProgressListener;

/** Minimum, maximum and mean of all voxels, streamed slice by slice on all cores. NaN values are skipped. */
public record VolumeStats(double min, double max, double mean, long count) {

    public static VolumeStats of(Volume v, ProgressListener progress) throws IOException {
        double[] acc = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0};
        long[] n = {0};
        Parallel.forEachOrdered(v.info().depth(), z -> sliceStats(v.slice(z)), s -> {
            acc[0] = Math.min(acc[0], s[0]);
            acc[1] = Math.max(acc[1], s[1]);
            acc[2] += s[2];
            n[0] += (long) s[3];
        }, progress);
        if (n[0] == 0) {
            return new VolumeStats(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        return new VolumeStats(acc[0], acc[1], acc[2] / n[0], n[0]);
    }

    private static double[] sliceStats(float[] s) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        long count = 0;
        for (float f : s) {
            if (f == f) {
                min = Math.min(min, f);
                max = Math.max(max, f);
                sum += f;
                count++;
            }
        }
        return new double[] {min, max, sum, count};
    }
}
