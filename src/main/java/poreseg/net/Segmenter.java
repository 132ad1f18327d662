package poreseg.net;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import poreseg.core.FloatThreshold;
import poreseg.core.Masks;
import poreseg.io.SliceSource;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.util.ParameterException;

/**
 * Applies a trained model to raw slices: the model's preprocessing, the input scaling, then tiled
 * inference of every member network (the fold models of a k-fold model, or one network). Each
 * member's probabilities are shifted by its porosity calibration ({@link PorosityCalibration#bias}:
 * the logit offset that makes its porosity right on its validation slices; none for models without
 * it, such as the bundled one). The prediction is the members' mean probability; a pixel is pore
 * where it is above the threshold.
 *
 * <p>Uncertainty. Each pixel also gets an uncertainty in [0, 1]: the larger of (a) how close the mean
 * probability is to a coin flip, {@code 1 - |2 p - 1|}, and (b) how much the members disagree,
 * {@code max p_m - min p_m}. The porosity interval is the porosity at two thresholds calibrated on the
 * validation data of the training ({@link PorosityCalibration}); for models without that calibration
 * (the bundled one) the low end counts the pixels that every member calls pore with a margin
 * ({@code min p_m > threshold + band}) and the high end those that any member might call pore
 * ({@code max p_m > threshold - band}), with {@link #INTERVAL_BAND} (0.25). Either way the interval
 * covers at least the mask's boundary moved by half a pixel (labels and partial-volume pixels are
 * uncertain by that much). Its coverage of the true porosity on held-out data is measured in
 * docs/net.md.
 */
public final class Segmenter {
    /** Probability margin around the threshold for the porosity interval. */
    public static final double INTERVAL_BAND = 0.25;

    private final List<Network> nets;
    private final Preprocessing pre;
    private final List<TiledPredictor> tiled = new ArrayList<>();
    /** The same tiling in the arithmetic of scale selection ({@link Network#forwardForDecisions}). */
    private final List<TiledPredictor> deciding = new ArrayList<>();
    /** Per member: the logit shift of its porosity calibration (0 without). */
    private final double[] bias;
    private final java.util.Map<Double, PorosityCalibration> calibrations = new java.util.concurrent.ConcurrentHashMap<>();
    /** Multi-scale inference: the scales and the adaptive rule ({@link #scales(int[], Double)}). */
    private volatile MultiScale multiScale = MultiScale.SINGLE;
    /** Slices predicted at more than one scale so far (adaptive scales: the unsure ones; scale selection: those kept at a coarser scale). */
    private final java.util.concurrent.atomic.AtomicLong multiScaleSlices = new java.util.concurrent.atomic.AtomicLong();

    /**
     * {@code --scales auto}: per stack, the finest of these reduction factors whose porosity agrees with
     * the next coarser one's, at levels derived from {@link #AUTO_TOLERANCE} ({@link #scaleSelection});
     * the codes -3 and -2 are the slice enlarged 3x and 2x ({@link #scaleValue}: 1/3 and 1/2), which
     * replace that choice where pores are smaller in pixels than in training.
     */
    public static final int[] AUTO_SCALES = {-3, -2, 1, 2, 3, 4, 6, 8, 12, 16};
    public static final double AUTO_TOLERANCE = 0.1;

    /** Largest reduction factor {@link #scales(int[])} accepts. */
    public static final int MAX_SCALE = MultiScale.MAX_SCALE;

    public Segmenter(Network net, int tile, int overlap, int batch) {
        this(List.of(net), tile, overlap, batch);
    }

    /**
     * A segmenter with the given tile size and overlap, else {@link TiledPredictor#DEFAULT_TILE} (or
     * the model's tile where larger) and the model's overlap, at most half a tile rounded down to the
     * network's size step (so it fits a smaller tile than the model's).
     */
    public static Segmenter of(List<Network> nets, Integer tile, Integer overlap, int batch) {
        if (nets.isEmpty()) {
            throw new ParameterException("no network");
        }
        Network first = nets.get(0);
        int m = first.architecture().multiple();
        int t = tile != null ? tile : TiledPredictor.defaultTile(m, first.info().tile);
        int o = overlap != null ? overlap : Math.min(first.info().overlap, t / 2 / m * m);
        return new Segmenter(nets, t, o, batch);
    }

    /** {@link #of(List, Integer, Integer, int)} with the model's tile size and overlap. */
    public static Segmenter of(Network net, int batch) {
        return of(List.of(net), null, null, batch);
    }

    /** Members must share their preprocessing (fold models of one training do). */
    public Segmenter(List<Network> nets, int tile, int overlap, int batch) {
        if (nets.isEmpty()) {
            throw new ParameterException("no network");
        }
        this.nets = List.copyOf(nets);
        this.pre = Preprocessing.of(nets.get(0).info());
        for (Network n : nets) {
            if (!Preprocessing.of(n.info()).sameAs(pre)) {
                throw new ParameterException("ensemble members use different preprocessing: " + pre.describe() + " and " + Preprocessing.of(n.info()).describe());
            }
            tiled.add(n.tiled(tile, overlap, batch));
            deciding.add(n.tiledForDecisions(tile, overlap, batch));
        }
        bias = new double[nets.size()];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = PorosityCalibration.bias(nets.get(i));
        }
        List<Number> ms = nets.get(0).info().inferenceScales;
        if (ms != null && !ms.isEmpty()) {
            int[] f = new int[ms.size()];
            for (int i = 0; i < f.length; i++) {
                Integer c = MultiScale.code(ms.get(i).doubleValue());
                if (c == null) {
                    throw new poreseg.io.DataException("model inference_scales " + ms + ": " + ms.get(i)
                            + " is neither a reduction factor (1, 2, ...) nor an enlargement 1/e (0.5, 0.3333)");
                }
                f[i] = c;
            }
            Double tol = nets.get(0).info().inferenceScaleTolerance;
            if (tol != null) {
                scaleSelection(f, tol);
            } else {
                scales(f, nets.get(0).info().inferenceScaleConfidence);
            }
        }
    }

    /** A segmenter sharing {@code base}'s networks, running {@code scales}. */
    private Segmenter(Segmenter base, MultiScale scales) {
        this.nets = base.nets;
        this.pre = base.pre;
        this.tiled.addAll(base.tiled);
        this.deciding.addAll(base.deciding);
        this.bias = base.bias;
        this.multiScale = scales;
    }

    /**
     * Multi-scale inference: the slice is also run reduced by each factor (box means, so a factor of 4
     * sees pores a quarter of the size in pixels, with a quarter of the pixel noise), the
     * probabilities are enlarged back (bilinear) and averaged with equal weights. {1} (the default
     * unless the model's {@code inference_scales} says otherwise) is the slice as it is. Factors
     * 1..{@link #MAX_SCALE}, distinct. Returns this segmenter.
     */
    public Segmenter scales(int[] factors) {
        return scales(factors, null);
    }

    /**
     * As {@link #scales(int[])}; with a {@code confidence} (in (0, 1]) the scales other than 1 (which
     * must be among the factors) run only on slices where the network is unsure at the native scale:
     * the mean of |2 p - 1| over the slice (its ROI, with one) below {@code confidence}. Elsewhere the
     * slice's result is the single-scale one, bit for bit.
     */
    public Segmenter scales(int[] factors, Double confidence) {
        multiScale = new MultiScale(factors, confidence, null);
        return this;
    }

    /**
     * Scale selection: a stack segmented by {@link StackSegmentation} runs at one factor, chosen by
     * {@link #chooseScale} from sample slices. A slice predicted on its own ({@link #predict(float[],
     * StackInfo, double)}) is its own stack: it runs at each of the reduction factors (1 among them)
     * and keeps the probabilities of one scale, the finest of a plateau of scales whose porosities
     * (pixels at p >= 0.5 over the slice or its ROI) agree, at the tightest of half, once and twice
     * {@code tolerance} (times the larger porosity, or 0.01) where any pair agrees; at the two tighter
     * levels a coarser plateau with 1.5x the porosity or more replaces a finer one
     * ({@link MultiScale#select}). Where none
     * agrees, scale 1. The idea: at the scale the network was trained for, reducing the slice further
     * keeps the pore fraction (it only blurs the boundaries); at a finer scale, pores larger than the
     * network knows lose their interiors (or noise becomes pores) and the porosity jumps; where they
     * are far larger, the finest scales all see only their rims and agree on a porosity far too low.
     * Returns this segmenter.
     */
    public Segmenter scaleSelection(int[] factors, double tolerance) {
        multiScale = new MultiScale(factors, null, tolerance);
        return this;
    }

    /** How many slices of a stack {@link #chooseScale} runs at every scale (evenly spaced; all of a shorter stack). */
    public static final int SCALE_SAMPLE = 8;

    /**
     * The scale a whole stack is segmented at under scale selection: {@code factor} (one of
     * {@code factors}), picked by the selection rule from {@code porosity}, the median over the
     * {@code slices} sampled of each factor's porosity (NaN where the slices are too small to run it),
     * and {@code poreWidths}, how wide the pores read to the network at each scale, in its pixels (per
     * factor, {@link MultiScale#poreWidth}; NaN where not measured: enlargements, factors too coarse, no
     * pore component off the edges): a reduction where they read under {@link MultiScale#MIN_REDUCED_WIDTH}
     * is not chosen, and over {@link MultiScale#MAX_ENLARGE_WIDTH} at factor 1 ({@link #poreWidth()}) the
     * stack is not enlarged.
     */
    public record ScaleChoice(int factor, int[] factors, double[] porosity, int[] slices, double tolerance, double[] poreWidths)
            implements java.io.Serializable {
        /** How wide the pores read at factor 1 (NaN: unknown, or no factor 1). */
        public double poreWidth() {
            return MultiScale.widthAtOne(factors, poreWidths);
        }
    }

    /**
     * A scale code as a number for output (JSON, reports): a reduction factor as an Integer, an
     * enlargement by e (code -e) as the Double 1/e.
     */
    public static Number scaleValue(int code) {
        return code < 0 ? (Number) (1.0 / -code) : (Number) code;
    }

    /**
     * How wide the pores read at factor 1, for a summary line: "pores 11.7 px wide at scale 1, too wide
     * to enlarge" (over {@link MultiScale#MAX_ENLARGE_WIDTH}), "pores 3.5 px wide at scale 1", or
     * "no pore off the slice edges at scale 1".
     */
    public static String poreWidthText(double width) {
        if (Double.isNaN(width)) {
            return "no pore off the slice edges at scale 1";
        }
        return String.format(java.util.Locale.ROOT, "pores %.1f px wide at scale 1%s", width,
                MultiScale.tooWide(width) ? ", too wide to enlarge (limit " + MultiScale.MAX_ENLARGE_WIDTH + ")" : "");
    }

    /**
     * {@link #poreWidthText(double)} of a choice, and where it is a reduction, how wide the pores read to
     * the network there: "pores 4.6 px wide at scale 1, 3.0 px at scale 2 (at least 2.5 to be kept)".
     */
    public static String poreWidthText(ScaleChoice c) {
        String s = poreWidthText(c.poreWidth());
        int k = MultiScale.indexOf(c.factors(), c.factor());
        if (c.factor() > 1 && k >= 0 && !Double.isNaN(c.poreWidths()[k])) {
            s += String.format(java.util.Locale.ROOT, ", %.1f px at scale %d (at least %s to be kept)", c.poreWidths()[k], c.factor(), MultiScale.MIN_REDUCED_WIDTH);
        }
        return s;
    }

    /** A scale code as users write it: "4", "1/2". */
    public static String scaleLabel(int code) {
        return MultiScale.label(code);
    }

    /** A scale code for a line of text: "4", or for an enlargement "1/2 (enlarged 2x)". */
    public static String scaleText(int code) {
        return scaleLabel(code) + (code < 0 ? " (enlarged " + -code + "x)" : "");
    }

    /** Scale codes as users write them: "[1/2, 1, 2]". */
    public static String scaleLabels(int[] codes) {
        return MultiScale.describe(codes);
    }

    /** Scale codes as numbers ({@link #scaleValue}). */
    public static List<Number> scaleValues(int[] codes) {
        List<Number> out = new ArrayList<>(codes.length);
        for (int c : codes) {
            out.add(scaleValue(c));
        }
        return out;
    }

    /**
     * The code of a scale as users write it: a reduction factor ("4"), or an enlargement as 1/e or
     * its decimal ("1/2", "0.5", "1/3", "0.333"); null when it is neither.
     */
    public static Integer scaleCode(String s) {
        String t = s.trim();
        try {
            if (t.startsWith("1/")) {
                int e = Integer.parseInt(t.substring(2).trim());
                return e >= 2 ? Integer.valueOf(-e) : e == 1 ? Integer.valueOf(1) : null;
            }
            return MultiScale.code(Double.parseDouble(t));
        } catch (NumberFormatException ex) {
            return null;
        }
    }

    /** Whether this segmenter selects a scale ({@link #scaleSelection}): a stack is then run at the scale {@link #chooseScale} picks. */
    public boolean selectsScale() {
        return multiScale.tolerance() != null;
    }

    /**
     * Scale selection for a whole stack: up to {@link #SCALE_SAMPLE} evenly spaced slices (constant
     * ones skipped) run at every reduction factor, and enlarged only where that can still change the
     * choice ({@link MultiScale#choose}; the same choice as with every scale run, at a fraction of the
     * work); per factor the median of their porosities (pixels at p >= 0.5
     * over the whole slice) is taken, and the stack's scale is chosen from these medians as in
     * {@link #scaleSelection} ({@link MultiScale#select}: plateaus of agreeing factors at the tightest of
     * half, once and twice the tolerance; the finest, unless a coarser one has 1.5x its porosity); none,
     * or no slice with contrast: factor 1.
     * One pixel size, one scale: every slice of the stack is then run at that factor ({@link #atScale}),
     * so neighbouring slices cannot flip between scales, and the stack costs the sample's extra work
     * plus one pass at the chosen scale. The sample runs in fp32 where the networks run bf16 or int8
     * ({@link Network#forwardForDecisions}): the stack then runs at the scale an fp32 run picks. Needs
     * {@link #selectsScale()}.
     */
    public ScaleChoice chooseScale(Volume v) throws IOException {
        return chooseScale(v, poreseg.util.ProgressListener.NONE);
    }

    /** As {@link #chooseScale(Volume)}, reporting each sample slice done (of {@link #scaleSampleSize}). */
    public ScaleChoice chooseScale(Volume v, poreseg.util.ProgressListener progress) throws IOException {
        Double tol = multiScale.tolerance();
        if (tol == null) {
            throw new IllegalStateException("chooseScale needs scale selection");
        }
        StackInfo info = v.info();
        int n = info.depth();
        int k = scaleSampleSize(n);
        int[] f = multiScale.factors();
        MultiScale.Choice c = MultiScale.choose(k, f, tol, info.width(), info.height(), (i, which) -> {
            int z = (int) ((i + 0.5) * n / k);
            float[] raw = v.slice(z);
            TrainingData.requireFinite(raw, v.source(), z, n); // a damaged slice is an error here as when it is segmented
            // a constant slice has no porosity to compare
            return constant(raw) ? null : multiScale.porosities(deciding, pre, new Input(raw, info, multiScale), info.width(), info.height(), which);
        }, progress);
        int[] used = java.util.Arrays.stream(c.sampled()).map(i -> (int) ((i + 0.5) * n / k)).toArray();
        return new ScaleChoice(f[c.index()], f, c.porosity(), used, tol, c.widths());
    }

    /** The segmenter to run a whole stack with, and the scale choice it runs at (null without scale selection). */
    public record ForStack(Segmenter segmenter, ScaleChoice scale) {
    }

    /**
     * How a whole stack is segmented: with scale selection, at the factor {@link #chooseScale} picks
     * ({@link #atScale}); otherwise by this segmenter as it is.
     */
    public ForStack forStack(Volume v, poreseg.util.ProgressListener progress) throws IOException {
        if (!selectsScale()) {
            multiScale.requireRunnable(v.info().width(), v.info().height());
            return new ForStack(this, null);
        }
        ScaleChoice c = chooseScale(v, progress);
        return new ForStack(atScale(c.factor()), c);
    }

    /** How many slices of a stack of {@code depth} {@link #chooseScale} samples. */
    public static int scaleSampleSize(int depth) {
        return Math.min(depth, SCALE_SAMPLE);
    }

    /** The median of the values (NaN when there are none or any is NaN: a factor too coarse for these slices). */
    static double median(double[] x) {
        if (x.length == 0) {
            return Double.NaN;
        }
        double[] s = x.clone();
        java.util.Arrays.sort(s); // NaN sorts last
        if (Double.isNaN(s[s.length - 1])) {
            return Double.NaN;
        }
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    /**
     * A segmenter with these networks that runs every slice at one reduction factor only (1: as it is),
     * as {@code --scales F} does; this one is unchanged.
     */
    public Segmenter atScale(int factor) {
        return new Segmenter(this, new MultiScale(new int[] {factor}, null, null));
    }

    /** The porosity tolerance of scale selection, or null when the scales are averaged. */
    public Double scaleTolerance() {
        return multiScale.tolerance();
    }

    /** How many slices this segmenter has predicted at more than one scale (adaptive scales: the unsure ones; scale selection: those kept at a coarser scale). */
    public long multiScaleSlices() {
        return multiScaleSlices.get();
    }

    /** The confidence below which coarser scales are added (adaptive), or null when every slice runs every scale. */
    public Double scaleConfidence() {
        return multiScale.confidence();
    }

    /** The input scales (reduction factors) whose probabilities are averaged. */
    public int[] scales() {
        return multiScale.factors();
    }

    /**
     * The network inputs of one raw slice, one per {@link #scales() scale} (null where the reduced slice
     * is too small to run).
     */
    public static final class Input {
        final float[] raw;
        final StackInfo info;
        /** The scales this input is for (the segmenter's when it was made). */
        final MultiScale scales;
        /** The network inputs per scale, computed on first use. */
        final float[][] scaled;

        Input(float[] raw, StackInfo info, MultiScale scales) {
            this.raw = raw;
            this.info = info;
            this.scales = scales;
            this.scaled = new float[scales.factors().length][];
        }
    }

    /**
     * The prediction of one slice: the members' mean pore probability, the uncertainty of every pixel
     * (the larger of 1 - |2p - 1| and the members' spread max - min), and pixel counts. {@code lowSet}
     * holds the pixels counted for the low end of the porosity interval (a subset of the pores),
     * {@code highSet} those for the high end (a superset). The uncertainty is computed when first asked
     * for (most runs never write it).
     */
    public static final class Prediction {
        private final float[] probability;
        private final long pores;
        private final java.util.BitSet lowSet;
        private final java.util.BitSet highSet;
        /** The members' lowest and highest probabilities, or null (one member: no spread). */
        private final float[] lo;
        private final float[] hi;
        private float[] uncertainty;

        public Prediction(float[] probability, float[] uncertainty, long pores, java.util.BitSet lowSet, java.util.BitSet highSet) {
            this(probability, null, null, pores, lowSet, highSet);
            this.uncertainty = java.util.Objects.requireNonNull(uncertainty);
        }

        private Prediction(float[] probability, float[] lo, float[] hi, long pores, java.util.BitSet lowSet, java.util.BitSet highSet) {
            this.probability = probability;
            this.lo = lo;
            this.hi = hi;
            this.pores = pores;
            this.lowSet = lowSet;
            this.highSet = highSet;
        }

        public float[] probability() {
            return probability;
        }

        public synchronized float[] uncertainty() {
            if (uncertainty == null) {
                int n = probability.length;
                float[] u = new float[n];
                for (int i = 0; i < n; i++) {
                    float p = probability[i];
                    float sure = 1 - Math.abs(2 * p - 1);
                    u[i] = lo == null ? sure : Math.max(sure, hi[i] - lo[i]);
                }
                uncertainty = u;
            }
            return uncertainty;
        }

        public long pores() {
            return pores;
        }

        public java.util.BitSet lowSet() {
            return lowSet;
        }

        public java.util.BitSet highSet() {
            return highSet;
        }

        public int pixels() {
            return probability.length;
        }

        public long low() {
            return lowSet.cardinality();
        }

        public long high() {
            return highSet.cardinality();
        }
    }

    /** Pore probability (the members' mean) of every pixel of a raw slice of a stack described by {@code info}. */
    public float[] probability(float[] raw, StackInfo info) {
        return predict(raw, info, 0.5).probability();
    }

    /** Probability, uncertainty and pore / interval counts of a raw slice. */
    public Prediction predict(float[] raw, StackInfo info, double threshold) {
        return predict(java.util.Collections.singletonList(input(raw, info)), info.width(), info.height(), threshold, null).get(0);
    }

    /**
     * The network inputs of a raw slice at each scale (the model's preprocessing and input scaling,
     * after the reduction), or null for a constant slice, which has nothing to segment ({@link #unknown}).
     */
    public Input input(float[] raw, StackInfo info) {
        if (constant(raw)) {
            return null;
        }
        // the first scale now, in the reading thread (with adaptive scales the native one)
        return multiScale.input(raw, info, pre);
    }

    /** How many slices of this size {@link #predict(List, int, int, double, List)} runs in one forward pass. */
    public int slicesPerPass(int width, int height) {
        return tiled.get(0).slicesPerPass(width, height);
    }

    /**
     * Predictions of several slices of one size from their {@link #input network inputs} (null for a
     * constant slice), run together so small slices share forward passes. With {@code rois} (one per
     * slice, non-zero = inside; null = everywhere) tiles that do not reach the ROI are not run (their
     * pixels get probability 0); the ROI's pixels get exactly the values of a full run.
     */
    public List<Prediction> predict(List<Input> inputs, int width, int height, double threshold, List<float[]> rois) {
        List<Input> run = new ArrayList<>();
        List<float[]> runRois = rois == null ? null : new ArrayList<>();
        for (int s = 0; s < inputs.size(); s++) {
            if (inputs.get(s) != null) {
                run.add(inputs.get(s));
                if (runRois != null) {
                    runRois.add(rois.get(s));
                }
            }
        }
        List<List<float[]>> members = run.isEmpty() ? java.util.Collections.nCopies(tiled.size(), List.of())
                : run.get(0).scales.run(tiled, pre, run, width, height, runRois, multiScaleSlices);
        List<Prediction> out = new ArrayList<>(inputs.size());
        int r = 0;
        for (Input in : inputs) {
            if (in == null) {
                out.add(unknown(width * height));
                continue;
            }
            float[][] p = new float[tiled.size()][];
            for (int mIdx = 0; mIdx < p.length; mIdx++) {
                p[mIdx] = members.get(mIdx).get(r);
            }
            r++;
            out.add(combine(p, width, height, threshold));
        }
        return out;
    }

    /** The members' probabilities of one slice, calibrated, averaged, with uncertainty and interval counts. */
    private Prediction combine(float[][] members, int width, int height, double threshold) {
        int n = members[0].length;
        // one member: its own array is the sum (0 + p is p for every probability; sigmoid gives no -0)
        float[] sum = members.length == 1 ? null : new float[n];
        float[] lo = null;
        float[] hi = null;
        for (int mIdx = 0; mIdx < members.length; mIdx++) {
            float[] p = members[mIdx];
            double b = bias[mIdx];
            if (b != 0) {
                for (int i = 0; i < n; i++) {
                    p[i] = (float) PorosityCalibration.sigmoid(PorosityCalibration.logit(p[i]) - b);
                }
            }
            if (lo == null) {
                lo = members.length == 1 ? p : p.clone(); // one member: min = max = its own, no copies
                hi = members.length == 1 ? p : p.clone();
            } else {
                for (int i = 0; i < n; i++) {
                    lo[i] = Math.min(lo[i], p[i]);
                    hi[i] = Math.max(hi[i], p[i]);
                }
            }
            if (sum == null) {
                sum = p;
            } else {
                for (int i = 0; i < n; i++) {
                    sum[i] += p[i];
                }
            }
        }
        float k = 1f / tiled.size();
        PorosityCalibration cal = calibration(threshold);
        boolean band = !cal.calibrated();
        double tLow = cal.highThreshold();
        double tHigh = cal.lowThreshold();
        boolean one = lo == hi; // one member: no spread between members
        if (!one) { // one member: its probabilities are the mean (p * 1 is p)
            for (int i = 0; i < n; i++) {
                sum[i] *= k;
            }
        }
        // the sets as bit words (bit i of word i / 64), each word built in a register
        // (BitSet.set per pixel was a fifth of segment's Java time, a read-modify-write per pixel a tenth)
        int words = (n + 63) >>> 6;
        long[] pore = new long[words];
        long[] low = new long[words];
        long[] high = new long[words];
        float[] lowBy = band ? lo : sum;
        float[] highBy = band ? hi : sum;
        float t = FloatThreshold.of(threshold); // float comparisons, the same answers
        float tl = FloatThreshold.of(tLow);
        float th = FloatThreshold.of(tHigh);
        long pores = 0;
        for (int w = 0; w < words; w++) {
            int i0 = w << 6;
            int i1 = Math.min(n, i0 + 64);
            long pw = 0;
            long lw = 0;
            long hw = 0;
            for (int i = i0; i < i1; i++) { // without branches: the pixels' order is random to a predictor
                long bit = 1L << i;
                boolean isPore = sum[i] > t;
                pw |= isPore ? bit : 0;
                lw |= isPore & lowBy[i] > tl ? bit : 0;
                hw |= isPore | highBy[i] > th ? bit : 0;
            }
            pore[w] = pw;
            low[w] = lw;
            high[w] = hw;
            pores += Long.bitCount(pw);
        }
        boundaryFloor(pore, width, height, low, high);
        return new Prediction(sum, one ? null : lo, one ? null : hi, pores, java.util.BitSet.valueOf(low), java.util.BitSet.valueOf(high));
    }

    /**
     * The boundary floor: the interval covers at least the mask's boundary moved by half a pixel
     * either way. Walking the slice in raster order, every other pore pixel with a solid 4-neighbour
     * (the first, third, ...) leaves the low end, and every other solid pixel with a pore 4-neighbour
     * joins the high end. All sets are bit words (bit i of word i / 64, pixel i = y * w + x): the
     * neighbours are the pore words shifted by 1 and by w bits, and "every other" is the running
     * parity of the boundary pixels, so the work is per word, not per pixel (BoundaryFloorTest checks
     * it against the same rule written per pixel).
     */
    static void boundaryFloor(long[] pore, int w, int h, long[] low, long[] high) {
        long n = (long) w * h;
        int words = pore.length;
        // vertical neighbours: the source bit of word k's bit 0 is 64 k -+ w, i.e. word k + dq, bit r
        int upWords = Math.floorDiv(-w, 64);
        int upBits = Math.floorMod(-w, 64);
        int downWords = w >>> 6;
        int downBits = w & 63;
        // the offsets in the current word of its first pixel in column 0 and in column w - 1
        int step = 64 % w;
        int firstColAt = 0;
        int lastColAt = w - 1;
        boolean parityIn = false;
        boolean parityOut = false;
        for (int k = 0; k < words; k++) {
            long p = pore[k];
            long base = (long) k << 6;
            long valid = base + 64 <= n ? -1L : (1L << (n - base)) - 1;
            // neighbours' pore bits; where a neighbour lies outside the slice, the pixel's own bit
            long left = (p << 1) | (k > 0 ? pore[k - 1] >>> 63 : 0);
            long right = (p >>> 1) | (k + 1 < words ? pore[k + 1] << 63 : 0);
            long up = word(pore, k + upWords, upBits);
            long down = word(pore, k + downWords, downBits);
            long firstCol = columnMask(firstColAt, w);
            long lastCol = columnMask(lastColAt, w);
            long firstRow = rowMask(base, 0, w);
            long lastRow = rowMask(base, n - w, n);
            left = (left & ~firstCol) | (p & firstCol);
            right = (right & ~lastCol) | (p & lastCol);
            up = (up & ~firstRow) | (p & firstRow);
            down = (down & ~lastRow) | (p & lastRow);
            long edge = ((p ^ left) | (p ^ right) | (p ^ up) | (p ^ down)) & valid;
            long in = edge & p;
            long out = edge & ~p;
            low[k] &= ~(in & (prefixParity(in) ^ (parityIn ? -1L : 0)));
            high[k] |= out & (prefixParity(out) ^ (parityOut ? -1L : 0));
            parityIn ^= (Long.bitCount(in) & 1) != 0;
            parityOut ^= (Long.bitCount(out) & 1) != 0;
            firstColAt = firstColAt - step < 0 ? firstColAt - step + w : firstColAt - step;
            lastColAt = lastColAt - step < 0 ? lastColAt - step + w : lastColAt - step;
        }
    }

    /** Bit b of the result: the parity of bits 0..b of x. */
    private static long prefixParity(long x) {
        x ^= x << 1;
        x ^= x << 2;
        x ^= x << 4;
        x ^= x << 8;
        x ^= x << 16;
        x ^= x << 32;
        return x;
    }

    /** The 64 bits of {@code bits} from bit r of word q on (0 outside the array). */
    private static long word(long[] bits, int q, int r) {
        long a = q >= 0 && q < bits.length ? bits[q] : 0;
        if (r == 0) {
            return a;
        }
        long b = q + 1 >= 0 && q + 1 < bits.length ? bits[q + 1] : 0;
        return (a >>> r) | (b << (64 - r));
    }

    /** The bits at offsets first, first + w, ... (< 64) of a word. */
    private static long columnMask(int first, int w) {
        if (w == 1) {
            return -1L;
        }
        long m = 0;
        for (int b = first; b < 64; b += w) {
            m |= 1L << b;
        }
        return m;
    }

    /** Bits of the word starting at pixel {@code base} whose pixel index lies in [from, to). */
    private static long rowMask(long base, long from, long to) {
        long lo = Math.max(from, base) - base;
        long hi = Math.min(to, base + 64) - base;
        if (hi <= lo) {
            return 0;
        }
        long len = hi - lo;
        return (len == 64 ? -1L : (1L << len) - 1) << lo;
    }

    /** Whether every pixel of the slice has the same value (nothing to segment). */
    static boolean constant(float[] raw) {
        for (float v : raw) {
            if (Float.compare(v, raw[0]) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The prediction for a slice without contrast: nothing can be told apart, so no pixel is called
     * pore (a network would return whatever it makes of a flat input, often noise), every pixel is
     * fully uncertain, and the porosity interval spans the whole slice (low end none, high end all).
     */
    static Prediction unknown(int n) {
        float[] u = new float[n];
        java.util.Arrays.fill(u, 1f);
        java.util.BitSet all = new java.util.BitSet(n);
        all.set(0, n);
        return new Prediction(new float[n], u, 0, new java.util.BitSet(n), all);
    }

    /** 255 where probability > threshold, else 0. */
    public static float[] mask(float[] prob, double threshold) {
        return Masks.threshold(prob, threshold, false);
    }

    /** {@link #mask} as bytes ((byte) 255 where probability > threshold, else 0), for an 8-bit output. */
    public static byte[] maskBytes(float[] prob, double threshold) {
        return Masks.thresholdBytes(prob, threshold);
    }

    /** Masks (255 = pore) of a probability volume, slice by slice, for {@code TiffWriter}. */
    public static SliceSource masks(Volume probabilities, double threshold) {
        return z -> mask(probabilities.slice(z), threshold);
    }

    private PorosityCalibration calibration(double threshold) {
        PorosityCalibration c = calibrations.get(threshold);
        if (c == null) {
            c = PorosityCalibration.of(nets, threshold);
            calibrations.put(threshold, c);
        }
        return c;
    }

    /** The interval rule used at this threshold. */
    public PorosityCalibration intervalRule(double threshold) {
        return calibration(threshold);
    }

    /** The first member network. */
    public Network network() {
        return nets.get(0);
    }

    public int members() {
        return nets.size();
    }

    /** Convenience for callers that want a checked exception type. */
    public float[] probability(Volume v, int z) throws IOException {
        return probability(v.slice(z), v.info());
    }
}
