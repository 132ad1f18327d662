package poreseg.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;
import poreseg.io.DataException;
import poreseg.io.OutputFiles;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.TiffWriter;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.preprocess.Histogram;
import poreseg.threshold.AutoThreshold;
import poreseg.threshold.Band;
import poreseg.threshold.Hysteresis;
import poreseg.util.ProgressListener;

@Command(name = "threshold", mixinStandardHelpOptions = true,
        description = {"Segment a stack by a global threshold and write an 8-bit mask (255 = foreground = pore, 0 = other).",
            "otsu, li, triangle, mean: scikit-image semantics on the whole stack's histogram (one bin per grey value for "
                + "8/16-bit, --bins bins for float); foreground is value > threshold, or value <= threshold with --dark.",
            "hysteresis: seeds are pixels beyond --strong, pixels beyond --weak join when connected to a seed "
                + "(4/8-connected per slice, or 6/26-connected through the stack with --3d); beyond = above, or below with --dark. "
                + "Without --weak/--strong: weak = Otsu threshold, strong = halfway from it to the mean of the foreground side."})
final class ThresholdCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "Image, stack or folder of slices.")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output mask (multi-page TIFF, 8-bit).")
    Path output;

    @Option(names = "--method", required = true, paramLabel = "METHOD",
            description = "otsu, hysteresis, li, triangle or mean.")
    String method;

    @Option(names = "--dark", description = "Foreground (pores) is dark: below the threshold.")
    boolean dark;

    @Option(names = "--weak", paramLabel = "T", description = "Hysteresis: weak threshold (in image grey values).")
    Double weak;

    @Option(names = "--strong", paramLabel = "T", description = "Hysteresis: strong (seed) threshold.")
    Double strong;

    @Option(names = "--connectivity", paramLabel = "N", description = "Hysteresis: 4 or 8 per slice (default 4); with --3d 6 or 26 (default 6).")
    Integer connectivity;

    @Option(names = "--3d", description = "Hysteresis: connect through the stack (6- or 26-connected).")
    boolean threeD;

    @Option(names = "--bins", paramLabel = "N", defaultValue = "256", description = "Histogram bins for float images (default ${DEFAULT-VALUE}; li uses at least 65536).")
    int bins;

    @Option(names = "--force", description = "Replace OUT if it exists.")
    boolean force;

    @CommandLine.Mixin
    NanOption nan = new NanOption();

    @Option(names = "--json", description = "Print the thresholds and the foreground fraction as JSON.")
    boolean json;

    static final int LI_FLOAT_BINS = 65536;

    @Override
    public Integer call() throws Exception {
        String m = method.trim().toLowerCase(Locale.ROOT);
        boolean hyst = m.equals("hysteresis");
        AutoThreshold.Method auto = null;
        if (!hyst) {
            try {
                auto = AutoThreshold.Method.valueOf(m.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--method: unknown method '" + method + "' (use otsu, hysteresis, li, triangle or mean)");
            }
            if (weak != null || strong != null || connectivity != null || threeD) {
                throw new UsageException("--weak, --strong, --connectivity and --3d apply to --method hysteresis only");
            }
        } else if ((weak == null) != (strong == null)) {
            throw new UsageException("hysteresis: give both --weak and --strong, or neither (automatic)");
        }
        if (bins < 2 || bins > 1 << 20) {
            throw new UsageException("--bins must be between 2 and 1048576, got " + bins);
        }
        Hysteresis.Connectivity conn = hyst ? Hysteresis.Connectivity.of(connectivity == null ? (threeD ? 6 : 4) : connectivity, threeD) : null;
        nan.validate();
        OutputFiles.checkWritable(output, force, input);
        try (Volume opened = Volumes.open(input)) {
            ProgressListener quiet = ProgressListener.NONE;
            Volume v = nan.apply(opened, json ? quiet : new ConsoleProgress("checking"));
            StackInfo info = v.info();
            // Li iterates on the values themselves in scikit-image: on float data a fine histogram keeps it within ~2e-6 of the range
            int nb = auto == AutoThreshold.Method.LI && !info.type().isInteger() ? Math.max(bins, LI_FLOAT_BINS) : bins;
            Histogram h = Histogram.of(v, nb, json ? quiet : new ConsoleProgress("histogram"));
            if (h.total() == 0) {
                throw new DataException(input + ": no pixel values (all NaN)");
            }
            double[] mm = minMax(h);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("input", input.toString());
            out.put("output", output.toString());
            out.put("method", m);
            out.put("dark", dark);
            StackInfo maskInfo = info.withType(PixelType.U8);
            long fg;
            if (!hyst) {
                double t = auto.compute(h);
                float tf = (float) t;
                boolean d = dark;
                long[] count = new long[1];
                TiffWriter.write(output, maskInfo, z -> {
                    float[] s = v.slice(z);
                    float[] mask = new float[s.length];
                    long n = 0;
                    for (int i = 0; i < s.length; i++) {
                        float x = s[i];
                        boolean on = x == x && (d ? x <= tf : x > tf);
                        if (on) {
                            mask[i] = 255f;
                            n++;
                        }
                    }
                    synchronized (count) {
                        count[0] += n;
                    }
                    return mask;
                }, json ? quiet : new ConsoleProgress("threshold"));
                fg = count[0];
                out.put("threshold", t);
            } else {
                double wk;
                double st;
                boolean automatic = weak == null;
                if (automatic) {
                    Band chosen = Band.auto(h, dark);
                    wk = chosen.weak();
                    st = chosen.strong();
                } else {
                    wk = weak;
                    st = strong;
                    checkInRange("--weak", wk, mm);
                    checkInRange("--strong", st, mm);
                }
                Band band = new Band(wk, st, dark);
                Hysteresis.MaskSource src = Hysteresis.prepare(v, band, conn, json ? quiet : new ConsoleProgress("labelling"));
                TiffWriter.write(output, maskInfo, src, json ? quiet : new ConsoleProgress("writing"));
                fg = src.foreground();
                out.put("weak", wk);
                out.put("strong", st);
                out.put("automatic", automatic);
                out.put("connectivity", conn.number());
            }
            long total = info.voxels();
            out.put("foreground_voxels", fg);
            out.put("voxels", total);
            out.put("foreground_fraction", total == 0 ? 0.0 : (double) fg / total);
            out.put("image_min", mm[0]);
            out.put("image_max", mm[1]);
            if (json) {
                System.out.println(Json.write(out));
            } else {
                if (hyst) {
                    System.out.printf(Locale.ROOT, "hysteresis (%s, %d-connected%s): weak %s, strong %s%n",
                            dark ? "dark foreground" : "bright foreground", conn.number(), conn.is3D() ? ", 3D" : "",
                            num((double) out.get("weak")), num((double) out.get("strong")));
                } else {
                    System.out.printf(Locale.ROOT, "%s threshold: %s (foreground: value %s threshold)%n", m, num((double) out.get("threshold")), dark ? "<=" : ">");
                }
                System.out.printf(Locale.ROOT, "foreground: %d of %d voxels (%.4f %%)%n", fg, total, 100.0 * fg / total);
                System.out.printf(Locale.ROOT, "wrote %s%n", output);
            }
        }
        return 0;
    }

    private static double[] minMax(Histogram h) {
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
            // float: report the exact data range (edges), not bin centres
            lo = h.isConstant() ? (h.min() + h.max()) / 2 : h.min();
            hi = h.isConstant() ? lo : h.max();
        }
        return new double[] {lo, hi};
    }

    private static void checkInRange(String name, double t, double[] mm) {
        if (!(t >= mm[0] && t <= mm[1])) {
            throw new UsageException(String.format(Locale.ROOT, "%s %s is outside the image range [%s, %s]", name, num(t), num(mm[0]), num(mm[1])));
        }
    }

    static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }
}
