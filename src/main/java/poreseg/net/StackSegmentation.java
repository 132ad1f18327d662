package poreseg.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import poreseg.io.PixelType;
import poreseg.io.SliceTee;
import poreseg.io.StackInfo;
import poreseg.io.TiffWriter;
import poreseg.io.Volume;
import poreseg.util.ProgressListener;

/**
 * Segments a whole stack, streaming slice by slice: writes the mask (8-bit, 255 = pore) and, when
 * asked, the mean probability and the uncertainty (32-bit) from one inference per slice, and returns
 * the porosity with its interval for the stack and for every slice (see {@link Segmenter}).
 */
public final class StackSegmentation {
    private StackSegmentation() {
    }

    /**
     * Porosity of the stack and per slice, with intervals [low, high]; {@code scale}: the stack's scale
     * choice under scale selection ({@link Segmenter#chooseScale}), else null.
     */
    public record Result(long voxels, long pores, long low, long high, double[] slicePorosity, double[] sliceLow, double[] sliceHigh,
            List<String> contrastWarnings, String dataBarWarning, Segmenter.ScaleChoice scale) {
        public double porosity() {
            return (double) pores / voxels;
        }

        public double[] interval() {
            return new double[] {(double) low / voxels, (double) high / voxels};
        }

        /**
         * Every warning in slice order: {@link #contrastWarnings} (slices the network cannot read:
         * constant, saturated) and {@link #dataBarWarning} (an instrument data bar on the first slice),
         * which follows the first slice's contrast warning.
         */
        public List<String> warnings() {
            if (dataBarWarning == null) {
                return contrastWarnings;
            }
            int first = !contrastWarnings.isEmpty() && sliceOf(contrastWarnings.get(0)) == 1 ? 1 : 0;
            List<String> all = new ArrayList<>(contrastWarnings.subList(0, first));
            all.add(dataBarWarning);
            all.addAll(contrastWarnings.subList(first, contrastWarnings.size()));
            return List.copyOf(all);
        }
    }

    /** The slice number (1-based) a warning "slice N of M ..." names. */
    private static int sliceOf(String warning) {
        return Integer.parseInt(warning.substring(6, warning.indexOf(' ', 6)));
    }

    /** The warnings of one run, collected from its slices in any order. */
    private static final class Warnings {
        private final List<String> contrast = new ArrayList<>();
        private String dataBar;

        synchronized void add(String contrastWarning, String dataBarWarning) {
            if (contrastWarning != null) {
                contrast.add(contrastWarning);
            }
            if (dataBarWarning != null) {
                dataBar = dataBarWarning;
            }
        }

        /** The contrast warnings in slice order. */
        synchronized List<String> contrastInOrder() {
            contrast.sort(java.util.Comparator.comparingInt(StackSegmentation::sliceOf));
            return List.copyOf(contrast);
        }

        synchronized String dataBar() {
            return dataBar;
        }
    }

    /** {@code prob} and {@code uncertainty} may be null. Outputs are written atomically. */
    public static Result run(Volume v, Segmenter seg, double threshold, Path mask, Path prob, Path uncertainty, ProgressListener progress)
            throws IOException {
        return run(v, seg, threshold, mask, prob, uncertainty, null, Pipelining.FASTEST, progress);
    }

    /**
     * How a {@link Segmenter} runs through a stack (reading, inference and writing overlap either
     * way: the writer's threads each take slices, see {@link SliceGroups}). {@link #FASTEST} runs small
     * slices together in one forward pass and skips tiles that do not reach the ROI (their pixels get
     * probability 0; the ROI's pixels get the values of a full run). {@link #PER_SLICE} runs every
     * slice on its own, whole, to the bit as {@link Segmenter#predict(float[], StackInfo, double)}
     * (poreseg-spark's executors) does.
     */
    public enum Pipelining {
        FASTEST, PER_SLICE
    }

    /**
     * As {@link #run(Volume, Segmenter, double, Path, Path, Path, ProgressListener)}, with porosities
     * counted inside {@code roi} (non-zero = inside; null = everywhere). The outputs cover every pixel.
     */
    public static Result run(Volume v, Segmenter seg, double threshold, Path mask, Path prob, Path uncertainty, Volume roi,
            Pipelining how, ProgressListener progress) throws IOException {
        requireRoiShape(v, roi);
        Warnings warnings = new Warnings();
        boolean fast = how == Pipelining.FASTEST;
        // scale selection: one scale for the whole stack, chosen on a sample of its slices
        // (the sample counts as that many more slices on the progress bar)
        int n = v.info().depth();
        int k = seg.selectsScale() ? Segmenter.scaleSampleSize(n) : 0;
        Segmenter.ForStack runs = seg.forStack(v, (done, total) -> progress.progress(done, total + n));
        ProgressListener rest = k == 0 ? progress : (done, total) -> progress.progress(done + k, total + k);
        SliceGroups groups = new SliceGroups(v, roi, runs.segmenter(), threshold, fast, fast, (z, raw, inside) -> check(v, z, raw, inside, warnings));
        return write(v.info(), groups::take, threshold, mask, prob, uncertainty, warnings, runs.scale(), rest);
    }

    /**
     * The prediction of slice {@code z} of a stack from its raw pixels: a {@link Segmenter}'s, or one
     * made elsewhere with the same model and threshold (poreseg-spark segments slices on its executors
     * and replays their predictions here, so the outputs and numbers are those of a local run).
     */
    @FunctionalInterface
    public interface SlicePredictor {
        Segmenter.Prediction predict(int z, float[] raw, StackInfo info, double threshold) throws IOException;

        /** The stack's scale choice the predictions were made at, or null (no scale selection). */
        default Segmenter.ScaleChoice scale() {
            return null;
        }
    }

    /** As {@link #run(Volume, Segmenter, double, Path, Path, Path, Volume, Pipelining, ProgressListener)}, with the predictions of {@code seg}. */
    public static Result run(Volume v, SlicePredictor seg, double threshold, Path mask, Path prob, Path uncertainty, Volume roi,
            ProgressListener progress) throws IOException {
        requireRoiShape(v, roi);
        Warnings warnings = new Warnings();
        StackInfo info = v.info();
        return write(info, z -> {
            float[] raw = v.slice(z);
            float[] inside = roi == null ? null : roi.slice(z);
            check(v, z, raw, inside, warnings);
            return new SliceGroups.Taken(seg.predict(z, raw, info, threshold), inside);
        }, threshold, mask, prob, uncertainty, warnings, seg.scale(), progress);
    }

    private static void requireRoiShape(Volume v, Volume roi) {
        if (roi != null && !roi.info().sameShape(v.info())) {
            throw new poreseg.io.DataException(roi.source() + ": ROI is " + roi.info().shape() + " but the stack is " + v.info().shape());
        }
    }

    /** Rejects non-finite pixels; collects a contrast warning, and for the first slice a data-bar warning. */
    private static void check(Volume v, int z, float[] raw, float[] inside, Warnings warnings) {
        int n = v.info().depth();
        if (!v.info().type().isInteger()) { // integer pixels are always finite (as NonFinite.count says)
            TrainingData.requireFinite(raw, v.source(), z, n);
        }
        String w = contrastWarning(raw, inside, v.info().type(), z, n);
        // a data bar is in every slice of an exported stack: the first slice tells (sorting rows costs)
        String bar = z == 0 ? dataBarWarning(raw, inside, v.info().width(), v.info().height(), n) : null;
        if (w != null || bar != null) {
            warnings.add(w, bar);
        }
    }

    /**
     * A warning for an instrument data bar at the bottom of the first slice ({@link DataBar}), or null
     * (none, or an ROI that leaves the bar out).
     */
    static String dataBarWarning(float[] s, float[] roi, int width, int height, int n) {
        poreseg.preprocess.DataBar.Bar b = poreseg.preprocess.DataBar.find(s, width, height);
        if (b == null) {
            return null;
        }
        if (roi != null) {
            boolean inside = false;
            for (int i = b.firstRow() * width; i < s.length && !inside; i++) {
                inside = roi[i] != 0;
            }
            if (!inside) {
                return null;
            }
        }
        return "slice 1 of " + n + ": its bottom " + b.rows() + " rows (" + b.firstRow() + "-" + (height - 1)
                + ") look like an instrument data bar (a uniform " + Float.toString(b.background()).replaceAll("\\.0$", "")
                + " band with text): it is no sample, yet its pixels count in the porosity; crop it away (e.g. Fiji: Image > Crop)"
                + " or leave it out of the region of interest (analyze --roi MASK)";
    }

    /** Writes the outputs from the slices' predictions, taken in slice order, and sums the counts. */
    private static Result write(StackInfo info, poreseg.util.IOIntFunction<SliceGroups.Taken> predictions, double threshold, Path mask,
            Path prob, Path uncertainty, Warnings warnings, Segmenter.ScaleChoice scale, ProgressListener progress) throws IOException {
        int n = info.depth();
        long[][] counts = new long[n][];
        List<Path> outs = new ArrayList<>();
        List<StackInfo> infos = new ArrayList<>();
        outs.add(mask);
        infos.add(info.withType(PixelType.U8));
        if (prob != null) {
            outs.add(prob);
            infos.add(info.withType(PixelType.F32));
        }
        if (uncertainty != null) {
            outs.add(uncertainty);
            infos.add(info.withType(PixelType.F32));
        }
        int parts = outs.size();
        SliceTee tee = new SliceTee(parts, z -> {
            SliceGroups.Taken t = predictions.apply(z);
            Segmenter.Prediction p = t.prediction();
            counts[z] = t.roi() == null ? new long[] {p.pores(), p.low(), p.high(), p.pixels()} : inside(p, t.roi(), threshold);
            Object[] r = new Object[parts];
            float[] pr = p.probability();
            r[0] = Segmenter.maskBytes(pr, threshold); // the mask as bytes: no float copy to round and clamp
            int k = 1;
            if (prob != null) {
                r[k++] = pr;
            }
            if (uncertainty != null) {
                r[k] = p.uncertainty();
            }
            return r;
        });
        if (parts == 1) {
            TiffWriter.writeBytes(mask, infos.get(0), tee.bytePart(0), progress);
        } else {
            writeTogether(tee, outs, infos, progress);
        }
        return sum(counts, warnings, scale);
    }

    private static Result sum(long[][] counts, Warnings warnings, Segmenter.ScaleChoice scale) {
        int n = counts.length;
        double[] sp = new double[n];
        double[] sl = new double[n];
        double[] sh = new double[n];
        long pores = 0;
        long low = 0;
        long high = 0;
        long voxels = 0;
        for (int z = 0; z < n; z++) {
            pores += counts[z][0];
            low += counts[z][1];
            high += counts[z][2];
            voxels += counts[z][3];
            double px = Math.max(1, counts[z][3]);
            sp[z] = counts[z][0] / px;
            sl[z] = counts[z][1] / px;
            sh[z] = counts[z][2] / px;
        }
        return new Result(voxels, pores, low, high, sp, sl, sh, warnings.contrastInOrder(), warnings.dataBar(), scale);
    }

    /** Share of pixels at the type's extreme values from which a slice counts as saturated. */
    static final double SATURATED = 0.25;

    /**
     * A warning for a slice the network cannot read: constant (no contrast: the mask is whatever
     * the network makes of a flat input) or saturated (a quarter or more of the pixels at the type's
     * maximum, or, inside the ROI when there is one, at 0: a black background outside a particle is
     * not clipped data). Null when the slice is fine. Begins with "slice N ".
     */
    static String contrastWarning(float[] s, float[] roi, poreseg.io.PixelType type, int z, int n) {
        boolean constant = true;
        for (float v : s) {
            if (v != s[0]) { // -0 and 0 are one value (NaN never reaches here: non-finite slices are rejected first)
                constant = false;
                break;
            }
        }
        if (constant) {
            float value = s.length > 0 ? s[0] : Float.POSITIVE_INFINITY;
            return "slice " + (z + 1) + " of " + n + " is constant (" + value + "): no contrast, no pores called there (its porosity interval spans 0-100 %)";
        }
        if (!type.isInteger()) {
            return null;
        }
        float max = (float) type.maxValue();
        long at = 0;
        long of = 0;
        if (roi == null) { // the common case as a tight loop
            of = s.length;
            int count = 0;
            for (float v : s) {
                count += v >= max ? 1 : 0;
            }
            at = count;
        } else {
            for (int i = 0; i < s.length; i++) {
                if (roi[i] != 0) {
                    of++;
                    if (s[i] >= max || s[i] <= 0) {
                        at++;
                    }
                }
            }
        }
        if (of > 0 && at >= SATURATED * of) {
            return String.format(java.util.Locale.ROOT, "slice %d of %d is saturated (%.0f %% of its pixels%s at %s%d): pores or solid may be clipped",
                    z + 1, n, 100.0 * at / of, roi != null ? " inside the ROI" : "", roi != null ? "0 or " : "", (long) max);
        }
        return null;
    }

    /** Pore, interval and pixel counts inside the ROI, with the same rules as {@link Segmenter#predict}. */
    private static long[] inside(Segmenter.Prediction p, float[] roi, double threshold) {
        float[] pr = p.probability();
        long pores = 0;
        long low = 0;
        long high = 0;
        long n = 0;
        for (int i = 0; i < pr.length; i++) {
            if (roi[i] == 0) {
                continue;
            }
            n++;
            pores += pr[i] > threshold ? 1 : 0;
            low += p.lowSet().get(i) ? 1 : 0;
            high += p.highSet().get(i) ? 1 : 0;
        }
        return new long[] {pores, low, high, n};
    }

    private static void writeTogether(SliceTee tee, List<Path> outs, List<StackInfo> infos, ProgressListener progress) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(outs.size());
        List<Future<?>> jobs = new ArrayList<>();
        try {
            for (int i = 0; i < outs.size(); i++) {
                int k = i;
                jobs.add(pool.submit(() -> {
                    try {
                        if (k == 0) { // the mask, as bytes
                            TiffWriter.writeBytes(outs.get(k), infos.get(k), tee.bytePart(k), progress);
                        } else {
                            TiffWriter.write(outs.get(k), infos.get(k), tee.part(k), ProgressListener.NONE);
                        }
                    } catch (IOException e) {
                        tee.fail(e);
                        throw e;
                    } catch (RuntimeException e) {
                        tee.fail(new IOException(e.getMessage(), e));
                        throw e;
                    }
                    return null;
                }));
            }
            IOException first = null;
            RuntimeException firstRt = null;
            for (Future<?> f : jobs) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof IOException io && first == null) {
                        first = io;
                    } else if (c instanceof RuntimeException r && firstRt == null) {
                        firstRt = r;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            if (firstRt != null || first != null) {
                for (Path p : outs) {
                    Files.deleteIfExists(p);
                }
                if (firstRt != null) {
                    throw firstRt;
                }
                throw first;
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
