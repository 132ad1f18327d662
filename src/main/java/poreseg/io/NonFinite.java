package poreseg.io;

import java.io.IOException;
import poreseg.util.Parallel;
import poreseg.util.ParameterException;
import poreseg.util.ProgressListener;

/**
 * NaN and infinite voxels of a float stack. Every algorithm assumes finite values (a NaN makes
 * Otsu's threshold NaN, and destriping spreads it over the whole slice), so stacks are checked
 * before use: {@link #require} fails with the count and the first slice, and {@link #replaced}
 * maps them to a value the user chose. Integer stacks hold no such values and are not scanned.
 */
public record NonFinite(long nan, long positiveInfinity, long negativeInfinity, int firstSlice) {

    public static final NonFinite NONE = new NonFinite(0, 0, 0, -1);

    public long total() {
        return nan + positiveInfinity + negativeInfinity;
    }

    /** Counts the non-finite voxels of {@code v}, streaming slice by slice (nothing to do for integer stacks). */
    public static NonFinite count(Volume v, ProgressListener progress) throws IOException {
        if (v.info().type().isInteger()) {
            return NONE;
        }
        long[] acc = new long[3];
        int[] first = {-1};
        int[] z0 = {0};
        Parallel.forEachOrdered(v.info().depth(), z -> count(v.slice(z)), c -> {
            if (first[0] < 0 && c[0] + c[1] + c[2] > 0) {
                first[0] = z0[0];
            }
            for (int k = 0; k < 3; k++) {
                acc[k] += c[k];
            }
            z0[0]++;
        }, progress);
        return new NonFinite(acc[0], acc[1], acc[2], first[0]);
    }

    /** NaN, +Inf and -Inf counts of one slice. */
    public static long[] count(float[] s) {
        long nan = 0;
        long pos = 0;
        long neg = 0;
        for (float f : s) {
            if (f != f) {
                nan++;
            } else if (f == Float.POSITIVE_INFINITY) {
                pos++;
            } else if (f == Float.NEGATIVE_INFINITY) {
                neg++;
            }
        }
        return new long[] {nan, pos, neg};
    }

    /**
     * Fails with a {@link DataException} naming the source, the number of non-finite voxels and the
     * first slice (1-based) that holds one; does nothing for integer stacks or when all are finite.
     */
    public static void require(Volume v, ProgressListener progress) throws IOException {
        NonFinite n = count(v, progress);
        if (n.total() > 0) {
            throw new DataException(v.source() + ": " + n.describe() + " (first in slice " + (n.firstSlice() + 1) + " of "
                    + v.info().depth() + "); replace them with a value first");
        }
    }

    /** E.g. "12 non-finite voxels (10 NaN, 2 +Inf)". */
    public String describe() {
        StringBuilder s = new StringBuilder(total() + " non-finite voxel" + (total() == 1 ? "" : "s") + " (");
        String sep = "";
        if (nan > 0) {
            s.append(nan).append(" NaN");
            sep = ", ";
        }
        if (positiveInfinity > 0) {
            s.append(sep).append(positiveInfinity).append(" +Inf");
            sep = ", ";
        }
        if (negativeInfinity > 0) {
            s.append(sep).append(negativeInfinity).append(" -Inf");
        }
        return s.append(')').toString();
    }

    /** A view of {@code v} with every NaN and infinite voxel replaced by {@code value} (which must be finite). */
    public static Volume replaced(Volume v, float value) {
        if (!Float.isFinite(value)) {
            throw new ParameterException("the replacement for NaN/Inf must be finite, got " + value);
        }
        if (v.info().type().isInteger()) {
            return v;
        }
        return Views.map(v, s -> {
            for (int i = 0; i < s.length; i++) {
                if (!Float.isFinite(s[i])) {
                    s[i] = value;
                }
            }
            return s;
        });
    }
}
