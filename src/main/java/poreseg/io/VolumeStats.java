package poreseg.io;

import java.io.IOException;
import poreseg.util.Parallel;
import poreseg.util.ProgressListener;

/**
 * Minimum, maximum and mean of the finite voxels, and the counts of NaN, +Inf and -Inf voxels,
 * streamed slice by slice on all cores. {@code count} is the number of finite voxels.
 */
public record VolumeStats(double min, double max, double mean, long count, NonFinite nonFinite) {

    public static VolumeStats of(Volume v, ProgressListener progress) throws IOException {
        double[] acc = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0};
        long[] n = {0, 0, 0, 0};
        int[] first = {-1};
        int[] z = {0};
        Parallel.forEachOrdered(v.info().depth(), k -> sliceStats(v.slice(k)), s -> {
            acc[0] = Math.min(acc[0], s[0]);
            acc[1] = Math.max(acc[1], s[1]);
            acc[2] += s[2];
            n[0] += (long) s[3];
            long bad = (long) (s[4] + s[5] + s[6]);
            if (bad > 0 && first[0] < 0) {
                first[0] = z[0];
            }
            n[1] += (long) s[4];
            n[2] += (long) s[5];
            n[3] += (long) s[6];
            z[0]++;
        }, progress);
        NonFinite nf = n[1] + n[2] + n[3] == 0 ? NonFinite.NONE : new NonFinite(n[1], n[2], n[3], first[0]);
        if (n[0] == 0) {
            return new VolumeStats(Double.NaN, Double.NaN, Double.NaN, 0, nf);
        }
        return new VolumeStats(acc[0], acc[1], acc[2] / n[0], n[0], nf);
    }

    private static double[] sliceStats(float[] s) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        long count = 0;
        for (float f : s) {
            if (Float.isFinite(f)) {
                min = Math.min(min, f);
                max = Math.max(max, f);
                sum += f;
                count++;
            }
        }
        long[] bad = NonFinite.count(s);
        return new double[] {min, max, sum, count, bad[0], bad[1], bad[2]};
    }
}
