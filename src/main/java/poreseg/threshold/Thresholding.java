package poreseg.threshold;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import poreseg.core.Histogram;
import poreseg.core.Masks;
import poreseg.io.DataException;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.TiffWriter;
import poreseg.io.Volume;
import poreseg.util.Format;
import poreseg.util.ParameterException;
import poreseg.util.ProgressListener;

/**
 * Segments a whole stack by one threshold method and writes the 8-bit mask (255 = foreground):
 * a registered global method ({@link ThresholdMethods}) on the stack's histogram, or hysteresis
 * between a weak and a strong threshold (given, or chosen by {@link Band#auto}).
 */
public final class Thresholding {
    private Thresholding() {
    }

    /**
     * What to do.
     *
     * @param method a registered method name or {@code hysteresis}
     * @param weak hysteresis: the weak threshold, or null with {@code strong} null for automatic ones
     * @param connectivity hysteresis: 4 or 8 per slice, 6 or 26 in 3D; null for 4 or 6
     * @param bins histogram bins for float images
     */
    public record Options(String method, boolean dark, Double weak, Double strong, Integer connectivity, boolean threeD, int bins) {
        public Options {
            method = method.trim().toLowerCase(Locale.ROOT);
            if (!hysteresis(method)) {
                ThresholdMethods.get(method);
                if (weak != null || strong != null || connectivity != null || threeD) {
                    throw new ParameterException("{weak}, {strong}, {connectivity} and {3d} apply to {method} hysteresis only");
                }
            } else if ((weak == null) != (strong == null)) {
                throw new ParameterException("hysteresis: give both {weak} and {strong}, or neither (automatic)");
            }
            if (bins < 2 || bins > 1 << 20) {
                throw new ParameterException("{bins} must be between 2 and 1048576, got " + bins);
            }
            if (hysteresis(method)) {
                neighbourhood();
            }
        }

        public boolean hysteresis() {
            return hysteresis(method);
        }

        private static boolean hysteresis(String m) {
            return m.equals(ThresholdMethods.HYSTERESIS);
        }

        /** Hysteresis: the connectivity (default 4, or 6 in 3D). */
        public Hysteresis.Connectivity neighbourhood() {
            return Hysteresis.Connectivity.of(connectivity == null ? (threeD ? 6 : 4) : connectivity, threeD);
        }
    }

    /**
     * What was done.
     *
     * @param threshold global methods: the threshold; NaN for hysteresis
     * @param weak hysteresis: the thresholds used and whether they were chosen automatically (NaN, false otherwise)
     * @param connectivity hysteresis: the connectivity used (0 otherwise)
     * @param min smallest grey value (integer images: bin centre; float: exact)
     */
    public record Result(double threshold, double weak, double strong, boolean automatic, int connectivity, boolean threeD,
            long foreground, long voxels, double min, double max) {
        public double foregroundFraction() {
            return voxels == 0 ? 0.0 : (double) foreground / voxels;
        }
    }

    /**
     * Thresholds {@code v} and writes the mask to {@code output}. {@code progress} gives a listener
     * for each stage ("histogram", "threshold", "labelling", "writing").
     */
    public static Result run(Volume v, Options o, Path output, Function<String, ProgressListener> progress) throws IOException {
        StackInfo info = v.info();
        ThresholdMethod method = o.hysteresis() ? null : ThresholdMethods.get(o.method());
        int nb = method == null ? o.bins() : method.bins(o.bins(), info.type().isInteger());
        Histogram h = Histogram.of(v, nb, progress.apply("histogram"));
        if (h.total() == 0) {
            throw new DataException(v.source() + ": no pixel values (all NaN)");
        }
        double[] mm = minMax(h);
        StackInfo maskInfo = info.withType(PixelType.U8);
        long total = info.voxels();
        if (method != null) {
            double t = method.compute(h);
            long fg = writeGlobal(v, (float) t, o.dark(), output, maskInfo, progress.apply("threshold"));
            return new Result(t, Double.NaN, Double.NaN, false, 0, false, fg, total, mm[0], mm[1]);
        }
        boolean automatic = o.weak() == null;
        double wk;
        double st;
        if (automatic) {
            Band chosen = Band.auto(h, o.dark());
            wk = chosen.weak();
            st = chosen.strong();
        } else {
            wk = o.weak();
            st = o.strong();
            checkInRange("weak", wk, mm);
            checkInRange("strong", st, mm);
        }
        Hysteresis.Connectivity conn = o.neighbourhood();
        Hysteresis.MaskSource src = Hysteresis.prepare(v, new Band(wk, st, o.dark()), conn, progress.apply("labelling"));
        TiffWriter.write(output, maskInfo, src, progress.apply("writing"));
        return new Result(Double.NaN, wk, st, automatic, conn.number(), conn.is3D(), src.foreground(), total, mm[0], mm[1]);
    }

    /** Writes the mask of value &gt; t (&lt;= t when dark; NaN is never foreground); returns the foreground voxels. */
    private static long writeGlobal(Volume v, float t, boolean dark, Path output, StackInfo maskInfo, ProgressListener progress)
            throws IOException {
        long[] count = new long[1];
        TiffWriter.write(output, maskInfo, z -> {
            float[] mask = Masks.threshold(v.slice(z), t, dark);
            long n = Masks.count(mask);
            synchronized (count) {
                count[0] += n;
            }
            return mask;
        }, progress);
        return count[0];
    }

    /** The smallest and largest grey value: bin centres for integer images, the exact data range for float ones. */
    static double[] minMax(Histogram h) {
        double lo = Double.NaN;
        double hi = Double.NaN;
        for (int i = 0; i < h.bins(); i++) {
            if (h.count(i) > 0) {
                if (Double.isNaN(lo)) {
                    lo = h.center(i);
                }
                hi = h.center(i);
            }
        }
        if (!h.isInteger()) {
            lo = h.isConstant() ? (h.min() + h.max()) / 2 : h.min();
            hi = h.isConstant() ? lo : h.max();
        }
        return new double[] {lo, hi};
    }

    private static void checkInRange(String name, double t, double[] mm) {
        if (!(t >= mm[0] && t <= mm[1])) {
            throw new ParameterException(String.format(Locale.ROOT, "{%s} %s is outside the image range [%s, %s]", name, num(t), num(mm[0]), num(mm[1])));
        }
    }

    /** A grey value for messages: whole numbers plainly, others with 6 significant digits. */
    public static String num(double v) {
        return Format.sig6(v);
    }
}
