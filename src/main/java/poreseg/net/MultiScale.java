package poreseg.net;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import poreseg.core.Resample;
import poreseg.util.ParameterException;

/**
 * Multi-scale inference for {@link Segmenter}: each slice also runs reduced by integer factors (box
 * means of the raw slice, then the model's preprocessing), the probabilities are enlarged back
 * (bilinear) and averaged with equal weights; or enlarged (scale codes -2 and -3: the preprocessed
 * slice enlarged 2x or 3x, bilinear, and the probabilities reduced back by box means), for pores smaller
 * in pixels than in training. Adaptive (a {@code confidence}): the scales other than
 * 1 run only on slices whose native mean confidence |2 p - 1| (over the ROI, with one) is below it;
 * the other slices keep their single-scale result bit for bit. Selecting (a {@code tolerance}): each
 * slice runs at every scale and keeps the probabilities of one, chosen by {@link #select} from the
 * porosities (at 0.5): the finest of a plateau of scales whose porosities agree ({@link #agree}).
 * Immutable.
 */
final class MultiScale {
    /** Largest reduction factor. */
    static final int MAX_SCALE = 16;
    /**
     * Largest enlargement: a scale code -e (e = 2, 3) runs the slice enlarged e times (written 1/e: {@link #label}).
     * Negative codes sort before the reductions, so sorted codes run finest first.
     */
    static final int MAX_ENLARGEMENT = 3;
    /** An enlarged slice over this many pixels is not run (NaN): about a 2700x2700 slice enlarged 3x. */
    static final long MAX_ENLARGED_PIXELS = 1L << 26;
    /** A reduced slice smaller than this in either dimension is not run at that scale. */
    static final int MIN_REDUCED = 16;
    /**
     * Factors above this one (12 and 16, added in the eleventh session for pores 9x larger than in
     * training whose back walls shine through) act only through the jump:
     * {@link #select(double[], double, int[], int, int)} first chooses among the factors up to this one
     * exactly as before they existed, and a plateau that needs a coarser factor can then only replace
     * that choice with 1.5x its porosity (and only where its finest factor leaves the slice
     * {@link #MIN_JUMP_REDUCED} px a side). Without this, two coarse factors agreeing where no finer
     * pair did became the finest plateau: on a real 1024x768 FIB-SEM stack whose porosity rose
     * steadily with the factor (8 and 12 agreed within 5 %: factor 8 instead of 3), and on a 256x256
     * randomised stack (8 and 12, 42 and 21 px).
     */
    static final int BASE_MAX_FACTOR = 8;
    /** One scale, the slice as it is. */
    static final MultiScale SINGLE = new MultiScale(new int[] {1}, null, null);
    /** Porosities this close always agree (slices with hardly any pores: ratios of tiny numbers say nothing). */
    static final double AGREE_ABSOLUTE = 0.01;

    private final int[] factors;
    private final Double confidence;
    private final Double tolerance;

    MultiScale(int[] factors, Double confidence, Double tolerance) {
        if (factors == null || factors.length == 0) {
            throw new ParameterException("no input scale");
        }
        Set<Integer> seen = new HashSet<>();
        boolean enlarged = false;
        for (int f : factors) {
            if (f < -MAX_ENLARGEMENT || f > MAX_SCALE || f > -2 && f < 1 || !seen.add(f)) {
                throw new ParameterException("input scales must be distinct reduction factors 1.." + MAX_SCALE + " or enlargements 1/2, 1/3, got "
                        + describe(factors));
            }
            enlarged |= f < 0;
        }
        if (confidence != null && (!(confidence > 0 && confidence <= 1) || !seen.contains(1) || enlarged)) {
            throw new ParameterException("adaptive scales need factor 1, no enlargement and a confidence in (0, 1], got " + describe(factors)
                    + " and " + confidence);
        }
        if (tolerance != null && (confidence != null || !(tolerance > 0 && tolerance < 1) || !seen.contains(1) || factors.length < 2)) {
            throw new ParameterException("scale selection needs factor 1, a coarser one and a tolerance in (0, 1), got "
                    + describe(factors) + " and " + tolerance);
        }
        int[] f = factors.clone();
        if (confidence != null || tolerance != null) {
            java.util.Arrays.sort(f); // the native scale first (it decides which slices run the others), finest to coarsest
        }
        this.factors = f;
        this.confidence = confidence;
        this.tolerance = tolerance;
    }

    Double tolerance() {
        return tolerance;
    }

    /** A code as users write it: "4", "1/2". */
    static String label(int code) {
        return code < 0 ? "1/" + -code : Integer.toString(code);
    }

    /** Codes as users write them: "[1/2, 1, 2]". */
    static String describe(int[] codes) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < codes.length; i++) {
            b.append(i == 0 ? "" : ", ").append(label(codes[i]));
        }
        return b.append(']').toString();
    }

    /**
     * The code of a scale written as a number: a whole reduction factor (1, 2, ...), or 1/e for an
     * enlargement by e (0.5, 0.333..., within 1 %); null when it is neither.
     */
    static Integer code(double v) {
        if (v >= 1) {
            return v == Math.rint(v) && v <= Integer.MAX_VALUE ? (int) v : null;
        }
        if (!(v > 0)) {
            return null;
        }
        long e = Math.round(1 / v);
        return e >= 2 && e <= Integer.MAX_VALUE && Math.abs(e * v - 1) <= 0.01 ? (int) -e : null;
    }

    /** A slice dimension at a scale code: reduced (rounded up) or enlarged. */
    static long size(int n, int code) {
        return code < 0 ? (long) n * -code : Resample.reduced(n, code);
    }

    /** Whether a width x height slice runs at a scale code: a reduced side at least {@link #MIN_REDUCED} px, an enlarged slice at most {@link #MAX_ENLARGED_PIXELS}. */
    static boolean runs(int width, int height, int code) {
        if (code == 1) {
            return true;
        }
        if (code < 0) {
            return size(width, code) * size(height, code) <= MAX_ENLARGED_PIXELS;
        }
        return Resample.reduced(width, code) >= MIN_REDUCED && Resample.reduced(height, code) >= MIN_REDUCED;
    }

    /**
     * Whether two porosities of one slice at neighbouring scales agree: within {@link #AGREE_ABSOLUTE},
     * or within {@code tolerance} times the larger one.
     */
    static boolean agree(double a, double b, double tolerance) {
        return Math.abs(a - b) <= Math.max(AGREE_ABSOLUTE, tolerance * Math.max(a, b));
    }

    /**
     * A coarser plateau whose porosity is at least this many times the finer plateau's replaces it
     * ({@link #select}): the finer one is the network seeing only the rims of pores far larger than
     * in training.
     */
    static final double PLATEAU_JUMP = 1.5;

    /**
     * The index of the scale to keep, given each scale's porosity (finest first; NaN where the slice was
     * too small to run it). At the tightest of three levels where any pair of neighbouring scales that
     * ran agrees (half the tolerance, the tolerance, twice the tolerance; none: 0), the agreeing pairs
     * form plateaus (runs of scales each agreeing with the next); the finest scale of the finest plateau
     * is kept, unless (at the two tighter levels) a coarser plateau's porosity (the median of its
     * scales') is at least {@link #PLATEAU_JUMP} times the kept one's, which then replaces it (and so
     * on, coarser), if its finest scale leaves the slice at least {@link #MIN_JUMP_REDUCED} px a side
     * (this overload: every scale does).
     * <ul>
     * <li>The tightest level first: pores 2x larger than in training can move the porosity by less than
     * the tolerance (0.234 at scale 1, 0.256 at 2, then flat); the loosest last: a small image (a
     * 256x256 crop reduced 4x has few pores) scatters by 10-15 %. At the loosest level no plateau
     * replaces a finer one: porosities that rise 15-20 % a factor chain into "plateaus" there (a
     * 128x128 slice at its native scale: 0.072, 0.085, 0.115, 0.141, 0.171, 0.241).</li>
     * <li>The jump: where pores are 9-12x larger in pixels than in training, scales 1-2 both see only
     * their rims and agree on a porosity 2.1-3.3x below the plateau of scales 6-8, the right one
     * (measured on the fixed synthetic model at 0.75 and 1 nm); elsewhere coarser plateaus were at
     * most 1.14x the finest at the tighter levels.</li>
     * </ul>
     */
    static int select(double[] porosity, double tolerance) {
        boolean[] all = new boolean[porosity.length];
        java.util.Arrays.fill(all, true);
        return select(porosity, tolerance, all, new boolean[porosity.length], 0).index;
    }

    /**
     * A reduced slice smaller than this (either side) is too small for its plateau to replace a finer
     * one ({@link #select}): single 256x256 slices of the demo's generator at their native scale,
     * reduced 6x and 8x (42 and 32 px), agreed on a porosity 1.5-1.8x the native one (F1 0.92 -> 0.45).
     */
    static final int MIN_JUMP_REDUCED = 64;

    /**
     * {@link #select(double[], double)} for a slice of {@code width} x {@code height} at {@code factors}:
     * chosen among the factors up to {@link #BASE_MAX_FACTOR} as that rule does; then, at the level
     * of that choice if it is one of the two tighter ones, a coarser plateau that needs a factor above
     * {@link #BASE_MAX_FACTOR} replaces it where its porosity is {@link #PLATEAU_JUMP} times the kept
     * one's (and so on, coarser).
     */
    static int select(double[] porosity, double tolerance, int[] factors, int width, int height) {
        return select(porosity, tolerance, factors, width, height, Double.NaN);
    }

    /**
     * As {@link #select(double[], double, int[], int, int)}, with the pores' width at factor 1
     * ({@link #poreWidth}; NaN: unknown): over {@link #MAX_ENLARGE_WIDTH} the slice is never enlarged.
     */
    static int select(double[] porosity, double tolerance, int[] factors, int width, int height, double poreWidth) {
        return select(porosity, tolerance, factors, width, height, atOne(factors, poreWidth));
    }

    /**
     * As {@link #select(double[], double, int[], int, int)}, with how wide the pores read to the network
     * at each scale ({@code widths}, per code, network pixels, {@link #poreWidth}; NaN: unknown): over
     * {@link #MAX_ENLARGE_WIDTH} at factor 1 the slice is never enlarged, and a reduction under which
     * they read narrower than {@link #MIN_REDUCED_WIDTH} is not chosen ({@link #wideEnough}).
     */
    static int select(double[] porosity, double tolerance, int[] factors, int width, int height, double[] widths) {
        if (porosity.length != factors.length || widths.length != factors.length) {
            throw new IllegalArgumentException(porosity.length + " porosities and " + widths.length + " widths for " + factors.length + " factors");
        }
        return enlarged(porosity, tolerance, factors, amongReductions(porosity, tolerance, factors, width, height, widths), widths);
    }

    /** Widths per code ({@link #select(double[], double, int[], int, int, double[])}) known at factor 1 only. */
    static double[] atOne(int[] factors, double poreWidth) {
        double[] w = new double[factors.length];
        java.util.Arrays.fill(w, Double.NaN);
        int one = indexOf(factors, 1);
        if (one >= 0) {
            w[one] = poreWidth;
        }
        return w;
    }

    /** The pores' width at factor 1 among widths per code (NaN: unknown, or no factor 1). */
    static double widthAtOne(int[] factors, double[] widths) {
        int one = indexOf(factors, 1);
        return one < 0 ? Double.NaN : widths[one];
    }

    /** Whether pores of this width at factor 1 ({@link #poreWidth}) rule the enlargement out. */
    static boolean tooWide(double poreWidth) {
        return poreWidth > MAX_ENLARGE_WIDTH; // NaN: unknown, no veto
    }

    /**
     * The choice among the reductions of {@link #select(double[], double, int[], int, int, double[])},
     * before the enlargement: as the porosities pick it, then, where the pores read narrower than
     * {@link #MIN_REDUCED_WIDTH} at a chosen factor above 1, the coarsest finer reduction at which they
     * do not ({@link #wideEnough}).
     */
    private static Pick amongReductions(double[] porosity, double tolerance, int[] factors, int width, int height, double[] widths) {
        Pick p = byPorosity(porosity, tolerance, factors, width, height);
        int k = p.jumped ? p.index : wideEnough(factors, porosity, widths, tolerance, p.index);
        return k == p.index ? p : new Pick(k, false);
    }

    /**
     * The smallest width ({@link #poreWidth}, network pixels) that pores may read at a chosen reduction
     * above factor 1. Reducing a slice whose pores are already about the network's training size makes
     * them smaller to it than anything it learned, and it then over-calls: porosity rises with the
     * factor without a plateau, until coarse factors agree on blurred, merged pores. Where the porosities
     * alone picked such a factor, a finer one is kept. The bundled model's training pores read 4.2-6.6 px
     * at factor 1; on the independent renderer's hard look (docs/net.md, "Pores too narrow at a
     * reduction") 2.5 changed 3 of 32 held-out stacks, each for the better (0.30-0.69 -> 0.52-0.77), and
     * no held-out stack of the other looks; 2.8 and 3.0 cost F1 on tuning stacks.
     */
    static final double MIN_REDUCED_WIDTH = 2.5;

    /**
     * Index {@code chosen}, or where it is a reduction above 1 at which the pores read narrower than
     * {@link #MIN_REDUCED_WIDTH} (NaN counts as wide enough), the coarsest finer reduction at which they
     * do not, else factor 1; only a reduction whose porosity is at most the chosen one's over
     * (1 - {@code tolerance}) replaces it (the network over-calls the pores it sees too small, so the finer
     * factor calls fewer: where it calls more, it reads noise as pores, as in {@link #noisyAtOne}).
     */
    static int wideEnough(int[] factors, double[] porosity, double[] widths, double tolerance, int chosen) {
        if (factors[chosen] <= 1 || !(widths[chosen] < MIN_REDUCED_WIDTH)) {
            return chosen;
        }
        int best = -1;
        int one = -1;
        for (int k = 0; k < factors.length; k++) {
            if (factors[k] < 1 || factors[k] >= factors[chosen] || !((1 - tolerance) * porosity[k] <= porosity[chosen])) {
                continue;
            }
            one = factors[k] == 1 ? k : one;
            if (!(widths[k] < MIN_REDUCED_WIDTH) && (best < 0 || factors[k] > factors[best])) {
                best = k;
            }
        }
        return best >= 0 ? best : one >= 0 ? one : chosen;
    }

    /** The choice among the reductions by their porosities alone. */
    private static Pick byPorosity(double[] porosity, double tolerance, int[] factors, int width, int height) {
        boolean[] big = new boolean[factors.length];
        boolean[] coarse = new boolean[factors.length];
        double[] reductions = porosity.clone(); // the choice among reductions leaves the enlargements out
        for (int k = 0; k < factors.length; k++) {
            big[k] = factors[k] > 0 && Resample.reduced(width, factors[k]) >= MIN_JUMP_REDUCED && Resample.reduced(height, factors[k]) >= MIN_JUMP_REDUCED;
            coarse[k] = factors[k] > BASE_MAX_FACTOR;
            if (factors[k] < 0) {
                reductions[k] = Double.NaN;
            }
        }
        // where no pair agrees: the slice as it is (factor 1, else the finest reduction; never an enlargement)
        return select(reductions, tolerance, big, coarse, asItIs(factors));
    }

    /**
     * For running the enlargements only where they can change the choice (they cost 13x the slice's
     * pixels, the reductions about 1.5x): with the porosities {@code known} so far (the others NaN),
     * the scale code whose porosities {@link #select(double[], double, int[], int, int)} still needs,
     * or 0 where its answer is already final. The reductions come first (they are needed in every
     * case); then 1/2, unless the choice among them was a jump or factor 1 reads noise ({@link #noisyAtOne}); then 1/3, only where the choice's
     * porosity is under {@link #ENLARGE_RISE} times the 1/2 one's. The choice is the one with every
     * porosity known, bit for bit: an unknown porosity is NaN only where the rule no longer reads it.
     */
    static int pending(double[] porosity, boolean[] known, double tolerance, int[] factors, int width, int height) {
        return pending(porosity, known, tolerance, factors, width, height, atOne(factors, Double.NaN));
    }

    /**
     * As {@link #pending(double[], boolean[], double, int[], int, int)}, with the pores' widths per code
     * (known with the reductions): none past the reductions where the one at factor 1 is {@link #tooWide}.
     */
    static int pending(double[] porosity, boolean[] known, double tolerance, int[] factors, int width, int height, double[] widths) {
        for (int k = 0; k < factors.length; k++) {
            if (factors[k] > 0 && !known[k]) {
                return factors[k];
            }
        }
        Pick base = amongReductions(porosity, tolerance, factors, width, height, widths);
        if (!enlargeable(porosity, tolerance, factors, base, widthAtOne(factors, widths))) {
            return 0;
        }
        int i3 = indexOf(factors, -3);
        int i2 = indexOf(factors, -2);
        if (!known[i2]) {
            return -2;
        }
        if (!(porosity[i2] > 0 && porosity[base.index] < ENLARGE_RISE * porosity[i2])) {
            return 0;
        }
        return known[i3] ? 0 : -3;
    }

    /**
     * The enlarged scale replaces the choice among reductions ({@link #select(double[], double, int[], int, int)})
     * at most where the choice's porosity is under this many times the enlarged slice's. Where pores
     * are far larger in pixels than in training, enlarging shows the network only their rims and the
     * porosity the reductions settle on is 1.8-3.1x the enlarged one's (ten synthetic stacks at 1-4.5
     * nm, seventh-session looks included); where pores are smaller and the reductions over-call, at
     * most 1.46x (the fixed model at 27 and 36 nm).
     */
    static final double ENLARGE_RISE = 1.6;

    /**
     * Enlargement (codes -2 and -3 among the factors): where the porosities of the slice enlarged 3x
     * and 2x agree within the tolerance (relative only: no absolute floor), the choice among the
     * reductions was not a jump to pores far larger than in training nor a coarser factor below factor
     * 1's porosity ({@link #noisyAtOne}), and that choice's porosity is under {@link #ENLARGE_RISE}
     * times the enlarged one's, the slice runs enlarged 2x. The network
     * then sees pores smaller than in training at about its training size: pores 2-4x smaller keep
     * their porosity as the slice is enlarged 2x and 3x, where at their size the porosity falls as
     * soon as the slice is enlarged (0.26 at 9 nm, 0.22 enlarged 2x, 0.12 enlarged 3x). 3x only checks:
     * it is never kept (measured: 2x is as good or better on all but two stacks, and 9x the work).
     */
    private static int enlarged(double[] porosity, double tolerance, int[] codes, Pick base, double[] widths) {
        if (!enlargeable(porosity, tolerance, codes, base, widthAtOne(codes, widths))) {
            return base.index;
        }
        int i3 = indexOf(codes, -3);
        int i2 = indexOf(codes, -2);
        double p3 = porosity[i3];
        double p2 = porosity[i2];
        double chosen = porosity[base.index];
        if (p2 > 0 && p3 > 0 && Math.abs(p3 - p2) <= tolerance * Math.max(p3, p2) && chosen < ENLARGE_RISE * p2) {
            return i2;
        }
        return base.index;
    }

    /**
     * Whether the enlargement can replace the reductions' choice {@code base} at all, before its own
     * porosities are read: both enlargements are among the codes, the pores are not {@link #tooWide},
     * the choice was not a jump to pores far larger than in training, and factor 1 does not read noise
     * ({@link #noisyAtOne}). {@link #enlarged} and {@link #pending} both ask this.
     */
    private static boolean enlargeable(double[] porosity, double tolerance, int[] codes, Pick base, double poreWidth) {
        return indexOf(codes, -3) >= 0 && indexOf(codes, -2) >= 0 && !tooWide(poreWidth) && !base.jumped
                && !noisyAtOne(porosity, tolerance, codes, base.index);
    }

    /**
     * Whether the network reads noise as pores at factor 1: the reductions chose a coarser factor whose
     * porosity is more than the tolerance below factor 1's. Pores smaller than in training, which the
     * enlargement is for, go the other way: reducing over-calls them and the porosity rises with the
     * factor. Where factor 1 calls more pores than a coarser plateau, the extra are specks that
     * averaging removes, and enlarging the slice makes them larger to the network, not fewer: on the
     * independent renderer ({@code scripts/fibsem_render.py}) noisy stacks ran enlarged at F1
     * 0.41-0.69 where the reductions' factor 2 scores 0.62-0.88 (docs/net.md, "Enlargement").
     */
    static boolean noisyAtOne(double[] porosity, double tolerance, int[] factors, int chosen) {
        int one = indexOf(factors, 1);
        return one >= 0 && factors[chosen] > 1 && porosity[chosen] < (1 - tolerance) * porosity[one];
    }

    /** What sample slice i reads at the scales marked in {@code which}; null for a slice without contrast. */
    @FunctionalInterface
    interface Sample {
        Reading porosities(int i, boolean[] which) throws java.io.IOException;
    }

    /**
     * One sample slice at some scales: its porosity per scale code (NaN where not run), and per code,
     * where a reduction ran, the pixels and the boundary of its pore components (brought back to the
     * slice) that are off the slice's edges and of at least {@link #WIDTH_MIN_AREA} pixels
     * ({@link PoreWidth}; 0 and 0 otherwise).
     */
    record Reading(double[] porosity, long[] poreArea, long[] porePerimeter) {
        /** Porosities only: the pores' widths unknown (no veto). */
        static Reading of(double[] porosity) {
            return new Reading(porosity, new long[porosity.length], new long[porosity.length]);
        }
    }

    /** The smallest pore component (pixels) that counts for the pores' width: smaller ones are mostly noise. */
    static final int WIDTH_MIN_AREA = 16;

    /**
     * The pores' width as a network reads them at factor 1, in pixels: 2 area / perimeter of the pore
     * components off the slice edges (4-connected, at least {@link #WIDTH_MIN_AREA} pixels; the
     * perimeter counts pixel edges between pore and solid, times pi / 4 so that a disk of radius r
     * gives about r), pooled over the sample slices; NaN without such components.
     */
    static double poreWidth(long area, long perimeter) {
        return perimeter == 0 ? Double.NaN : 2.0 * area / perimeter * 4 / Math.PI;
    }

    /**
     * The enlargement runs only where the pores, as the network reads them at factor 1, are at most
     * this wide ({@link #poreWidth}): about what it reads on its training data (the bundled model's
     * generator at 9 nm, porosity 0.08 / 0.17 / 0.26 / 0.34: 4.2 / 5.4 / 6.3 / 6.6 px). Enlarging
     * pores already at their training size or larger cannot bring them to it, and on the independent
     * renderer {@code scripts/fibsem_render.py} it cost 0.01-0.17 F1 on every one of the 7 stacks with
     * pores read 6.8-15 px wide where it ran (docs/net.md, "Enlargement"); where it helps the pores read 2.6-3.7 px
     * (this project's generator at 18-36 nm), on catalyst-stem and sandstone-xrm 6.1 and 5.5 px.
     */
    static final double MAX_ENLARGE_WIDTH = 6.2;

    /**
     * A stack's choice ({@link #choose}): the index of its scale, the median porosity over the sampled
     * slices per scale (NaN where it did not run or was not needed), the sample slices used, and how
     * wide the pores read to the network at each scale ({@code widths}, {@link #networkWidth}; NaN where
     * not measured; at factor 1: {@link #widthAtOne}).
     */
    record Choice(int index, double[] porosity, int[] sampled, double[] widths) {
    }

    /**
     * How wide the pores read to the network at scale {@code code}, in its pixels, from their
     * {@code area} and {@code perimeter} brought back to the slice ({@link #poreWidth}): reduced by f,
     * 1/f of that; enlarged e times, e times.
     */
    static double networkWidth(int code, long area, long perimeter) {
        double w = poreWidth(area, perimeter);
        return code < 0 ? w * -code : w / code;
    }

    /**
     * Scale selection over {@code k} sample slices: the median of their porosities per scale, and the
     * choice {@link #select(double[], double, int[], int, int)} makes from them. The scales run in
     * stages, each over the sample slices: the reductions (every one; slices without contrast are
     * left out here), then each enlargement only while it can still change the choice ({@link #pending}),
     * and an enlargement stops as soon as the rest of its slices cannot ({@link #settled}): the choice
     * is the one with every scale run on every slice, at a fraction of the work where the enlargements
     * are not needed. The progress counts network pixels, in sample slices.
     */
    static Choice choose(int k, int[] factors, double tolerance, int width, int height, Sample sample,
            poreseg.util.ProgressListener progress) throws java.io.IOException {
        int nf = factors.length;
        double all = 0;
        for (int c : factors) {
            all += runs(width, height, c) ? work(c) : 0;
        }
        double done = 0;
        boolean[] known = new boolean[nf];
        double[] median = new double[nf];
        java.util.Arrays.fill(median, Double.NaN);
        List<Integer> used = new ArrayList<>();
        List<double[]> per = new ArrayList<>();
        long[] poreArea = new long[nf];
        long[] porePerimeter = new long[nf];
        for (int stage = 0;; stage++) {
            double[] widths = widths(factors, poreArea, porePerimeter);
            int next = pending(median, known, tolerance, factors, width, height, widths); // the reductions first, all in one stage
            if (next == 0 || per.isEmpty() && stage > 0) {
                break;
            }
            boolean[] which = new boolean[nf];
            double stageWork = 0;
            for (int j = 0; j < nf; j++) {
                which[j] = !known[j] && (next > 0 ? factors[j] > 0 : factors[j] == next);
                stageWork += which[j] && runs(width, height, factors[j]) ? work(factors[j]) : 0;
            }
            int column = next > 0 ? -1 : indexOf(factors, next);
            int slices = stage == 0 ? k : used.size();
            boolean stopped = false;
            for (int i = 0; i < slices && !stopped; i++) {
                Reading r = sample.porosities(stage == 0 ? i : used.get(i), which);
                progress.progress(Math.min(k, Math.round((done += stageWork) / all)), k);
                if (stage == 0) {
                    if (r == null) {
                        continue;
                    }
                    used.add(i);
                    for (int j = 0; j < nf; j++) {
                        poreArea[j] += r.poreArea()[j];
                        porePerimeter[j] += r.porePerimeter()[j];
                    }
                    double[] row = new double[nf];
                    java.util.Arrays.fill(row, Double.NaN);
                    per.add(row);
                }
                double[] into = per.get(stage == 0 ? per.size() - 1 : i);
                double[] p = r.porosity();
                for (int j = 0; j < nf; j++) {
                    if (which[j]) {
                        into[j] = p[j];
                    }
                }
                if (column >= 0 && i + 1 < slices) {
                    // the median is bounded by the slices run so far, the rest taken as 0 and as 1
                    stopped = settled(median, tolerance, factors, width, height, widths, next,
                            Segmenter.median(column(per, column, i + 1, 0)), Segmenter.median(column(per, column, i + 1, 1)));
                }
            }
            for (int j = 0; j < nf; j++) {
                if (which[j]) {
                    known[j] = true;
                    median[j] = stopped ? Double.NaN : Segmenter.median(column(per, j, per.size(), 0));
                }
            }
        }
        progress.progress(k, k);
        // no slice with contrast: nothing to choose from, the slice as it is (the finest reduction without factor 1)
        double[] widths = widths(factors, poreArea, porePerimeter);
        int pick = per.isEmpty() ? asItIs(factors) : select(median, tolerance, factors, width, height, widths);
        return new Choice(pick, median, used.stream().mapToInt(Integer::intValue).toArray(), widths);
    }

    /** The pores' width per code ({@link #networkWidth}) from their pooled pixels and boundary. */
    private static double[] widths(int[] factors, long[] area, long[] perimeter) {
        double[] w = new double[factors.length];
        for (int k = 0; k < w.length; k++) {
            w[k] = networkWidth(factors[k], area[k], perimeter[k]);
        }
        return w;
    }

    /** The index of factor 1 among the scale codes, else of the finest reduction, else 0. */
    static int asItIs(int[] factors) {
        int best = -1;
        for (int k = 0; k < factors.length; k++) {
            if (factors[k] > 0 && (best < 0 || factors[k] < factors[best])) {
                best = k;
            }
        }
        return Math.max(best, 0);
    }

    /** Column j of the sample's porosities: the first {@code ran} slices', the rest taken as {@code rest}. */
    private static double[] column(List<double[]> per, int j, int ran, double rest) {
        double[] col = new double[per.size()];
        for (int i = 0; i < col.length; i++) {
            col[i] = i < ran ? per.get(i)[j] : rest;
        }
        return col;
    }

    /** The network work of a slice at a scale code, in slices: 1/f^2 reduced by f, e^2 enlarged e times. */
    private static double work(int code) {
        return code < 0 ? (double) code * code : 1.0 / ((double) code * code);
    }

    /**
     * Whether the answer of {@link #select(double[], double, int[], int, int)} is the same for every
     * porosity in [{@code low}, {@code high}] at the enlargement {@code code} (-2 or -3, the one
     * {@link #pending} asked for), the other porosities as given: a stage can then stop before all its
     * sample slices ran (their median is bounded by the slices run so far, the others taken as 0 and
     * as 1). Conservative: false where rounding could matter.
     */
    static boolean settled(double[] porosity, double tolerance, int[] factors, int width, int height, double[] widths, int code, double low, double high) {
        double margin = 1e-9;
        if (code == -2) {
            // the enlargement needs the choice's porosity under ENLARGE_RISE times this one
            double chosen = porosity[amongReductions(porosity, tolerance, factors, width, height, widths).index];
            return high <= 0 || chosen >= ENLARGE_RISE * high + margin;
        }
        if (code == -3) {
            // and this one within the tolerance of the 1/2 porosity
            double p2 = porosity[indexOf(factors, -2)];
            return !(p2 > 0) || high <= 0 || high < p2 * (1 - tolerance) - margin || low > p2 / (1 - tolerance) + margin;
        }
        throw new IllegalArgumentException("not an enlargement: " + code);
    }

    /** The index of {@code code} among the scale codes, -1 where absent. */
    static int indexOf(int[] codes, int code) {
        for (int k = 0; k < codes.length; k++) {
            if (codes[k] == code) {
                return k;
            }
        }
        return -1;
    }

    /** A choice among the scales: its index, and whether a coarser plateau replaced the finest one (a jump). */
    private record Pick(int index, boolean jumped) {
    }

    /**
     * As {@link #select(double[], double)}; only a plateau whose finest scale k has {@code mayReplace[k]}
     * replaces a finer one, and the scales marked {@code coarse} act only through such a replacement:
     * the choice is made without them, then a plateau that holds one of them may replace it.
     */
    private static Pick select(double[] porosity, double tolerance, boolean[] mayReplace, boolean[] coarse, int fallback) {
        double[] base = porosity.clone();
        for (int k = 0; k < base.length; k++) {
            if (coarse[k]) {
                base[k] = Double.NaN;
            }
        }
        for (double t : new double[] {tolerance / 2, tolerance, 2 * tolerance}) {
            boolean jump = t <= tolerance;
            List<Plateau> plateaus = plateaus(base, t);
            Plateau kept = kept(plateaus, jump, mayReplace);
            if (kept == null) {
                continue;
            }
            if (jump) {
                for (Plateau p : plateaus(porosity, t)) {
                    if (p.first > kept.first && p.reaches(coarse) && mayReplace[p.first] && p.level >= PLATEAU_JUMP * kept.level) {
                        kept = p;
                    }
                }
            }
            return new Pick(kept.first, kept.first != plateaus.get(0).first);
        }
        return new Pick(fallback, false);
    }

    /** A run of scales (indices {@code first..last} among those that ran), each agreeing with the next, and its median porosity. */
    private record Plateau(int first, int last, double level) {
        /** Whether it holds a scale marked in {@code marked}. */
        boolean reaches(boolean[] marked) {
            for (int k = first; k <= last; k++) {
                if (marked[k]) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The plateaus at one agreement level, finest first (scales that did not run, NaN, are skipped inside a plateau). */
    private static List<Plateau> plateaus(double[] porosity, double tolerance) {
        List<Integer> ran = new ArrayList<>();
        for (int k = 0; k < porosity.length; k++) {
            if (!Double.isNaN(porosity[k])) {
                ran.add(k);
            }
        }
        List<Plateau> out = new ArrayList<>();
        int i = 0;
        while (i + 1 < ran.size()) {
            if (!agree(porosity[ran.get(i)], porosity[ran.get(i + 1)], tolerance)) {
                i++;
                continue;
            }
            int j = i + 1; // the plateau: ran[i..j], each agreeing with the next
            while (j + 1 < ran.size() && agree(porosity[ran.get(j)], porosity[ran.get(j + 1)], tolerance)) {
                j++;
            }
            double[] members = new double[j - i + 1];
            for (int m = i; m <= j; m++) {
                members[m - i] = porosity[ran.get(m)];
            }
            out.add(new Plateau(ran.get(i), ran.get(j), Segmenter.median(members)));
            i = j;
        }
        return out;
    }

    /**
     * The kept plateau at one agreement level ({@link #select}), or null where none: the finest, replaced
     * ({@code jump}) by a coarser one whose finest scale k has {@code mayReplace[k]} and whose porosity
     * is {@link #PLATEAU_JUMP} times the kept one's, and so on.
     */
    private static Plateau kept(List<Plateau> plateaus, boolean jump, boolean[] mayReplace) {
        Plateau kept = null;
        for (Plateau p : plateaus) {
            if (kept == null || jump && mayReplace[p.first] && p.level >= PLATEAU_JUMP * kept.level) {
                kept = p;
            }
        }
        return kept;
    }

    int[] factors() {
        return factors.clone();
    }

    Double confidence() {
        return confidence;
    }

    /** The inputs of one raw slice at these scales (the first one computed now, the others on first use). */
    Segmenter.Input input(float[] raw, poreseg.io.StackInfo info, Preprocessing pre) {
        Segmenter.Input in = new Segmenter.Input(raw, info, this);
        scaled(in, 0, pre);
        return in;
    }

    /**
     * Refuses scales of which none runs on a width x height slice (every factor leaves it under
     * {@link #MIN_REDUCED} px a side): the slice would get no prediction at all.
     */
    void requireRunnable(int width, int height) {
        int finest = Integer.MAX_VALUE;
        boolean enlarged = false;
        for (int f : factors) {
            if (runs(width, height, f)) {
                return;
            }
            if (f < 0) {
                enlarged = true;
            } else {
                finest = Math.min(finest, f);
            }
        }
        if (finest == Integer.MAX_VALUE || enlarged) {
            throw new ParameterException("{scales} " + describe(factors).replace(" ", "") + ": enlarged, a " + width + "x" + height
                    + " slice is over " + MAX_ENLARGED_PIXELS + " pixels" + (finest == Integer.MAX_VALUE ? "; use factor 1 or a reduction" : ""));
        }
        int most = 1;
        while (most < MAX_SCALE && runs(width, height, most + 1)) {
            most++;
        }
        throw new ParameterException("{scales} " + describe(factors).replace(" ", "") + ": reduced by " + finest + " a "
                + width + "x" + height + " slice is under " + MIN_REDUCED + " px a side; factors up to " + most + " fit it");
    }

    /**
     * The network input of {@code in} at scale index k, computed on first use (with adaptive scales the
     * coarse ones are only needed for unsure slices); null where the reduced slice is too small.
     */
    private float[] scaled(Segmenter.Input in, int k, Preprocessing pre) {
        int f = factors[k];
        int w = in.info.width();
        int h = in.info.height();
        if (in.scaled[k] == null && runs(w, h, f)) {
            if (f == 1) {
                in.scaled[k] = pre.networkInput(in.raw, w, h, in.info.type());
            } else if (f < 0) {
                // the slice preprocessed as it is (the native input, computed once for both enlargements
                // where factor 1 is among the scales), then enlarged: its contrast is set on the pixels as
                // acquired (enlarging first turned one hot pixel into a blob of bright ones, more than the
                // guarded stretch's few wild pixels, and moved the stretch of the whole slice)
                int one = indexOf(factors, 1);
                float[] at1 = one >= 0 ? scaled(in, one, pre) : pre.networkInput(in.raw, w, h, in.info.type());
                in.scaled[k] = Resample.bilinearUp(at1, w, h, w * -f, h * -f, -f);
            } else {
                float[] d = Resample.boxDown(in.raw, w, h, f, in.info.type().isInteger());
                in.scaled[k] = pre.networkInput(d, Resample.reduced(w, f), Resample.reduced(h, f), in.info.type());
            }
        }
        return in.scaled[k];
    }

    /**
     * Each member's probabilities of the slices (inputs made by {@link #input} of this instance),
     * averaged over the scales each slice runs at (one scale: the member's output itself, so
     * single-scale results are those of a plain run). Counts the slices that ran at more than one
     * scale into {@code multiSlices}.
     */
    List<List<float[]>> run(List<TiledPredictor> tiled, Preprocessing pre, List<Segmenter.Input> run, int width, int height,
            List<float[]> rois, java.util.concurrent.atomic.AtomicLong multiSlices) {
        for (Segmenter.Input in : run) {
            if (in.scales != this) {
                throw new IllegalArgumentException("inputs made for other scales than the segmenter's (scales changed in between)");
            }
        }
        int nm = tiled.size();
        float[][][] acc = new float[nm][run.size()][];
        int[] count = new int[run.size()]; // scales run per slice: the same for every member
        float[][][][] perScale = tolerance == null ? null : new float[factors.length][nm][run.size()][]; // selecting: [scale][member][slice]
        boolean[] coarse = null;
        for (int k = 0; k < factors.length; k++) {
            int f = factors[k];
            if (f != 1 && coarse == null && confidence != null) {
                coarse = unsure(acc, count, rois, confidence);
            }
            // the slices at this scale, their inputs and reduced ROIs, once for all members
            List<float[]> batch = new ArrayList<>();
            List<float[]> batchRois = rois == null ? null : new ArrayList<>();
            List<Integer> which = new ArrayList<>();
            for (int s = 0; s < run.size(); s++) {
                float[] in = f == 1 || coarse == null || coarse[s] ? scaled(run.get(s), k, pre) : null;
                if (in != null) {
                    batch.add(in);
                    which.add(s);
                    if (batchRois != null) {
                        batchRois.add(reducedRoi(rois.get(s), width, height, f));
                    }
                }
            }
            if (batch.isEmpty()) {
                continue;
            }
            for (int m = 0; m < nm; m++) {
                List<float[]> probs = predictAt(tiled.get(m), batch, width, height, f, batchRois);
                for (int j = 0; j < probs.size(); j++) {
                    int s = which.get(j);
                    float[] p = probs.get(j);
                    if (perScale != null) {
                        perScale[k][m][s] = p;
                    } else if (acc[m][s] == null) {
                        acc[m][s] = factors.length == 1 ? p : p.clone();
                    } else {
                        for (int i = 0; i < p.length; i++) {
                            acc[m][s][i] += p[i];
                        }
                    }
                }
            }
            for (int s : which) {
                count[s]++;
            }
        }
        if (perScale != null) {
            return selected(perScale, rois, width, height, multiSlices);
        }
        List<List<float[]>> out = new ArrayList<>(nm);
        for (int m = 0; m < nm; m++) {
            List<float[]> mo = new ArrayList<>(run.size());
            for (int s = 0; s < run.size(); s++) {
                if (count[s] > 1) {
                    float k = 1f / count[s];
                    for (int i = 0; i < acc[m][s].length; i++) {
                        acc[m][s][i] *= k;
                    }
                }
                mo.add(acc[m][s]);
            }
            out.add(mo);
        }
        for (int c : count) {
            if (c > 1) {
                multiSlices.incrementAndGet();
            }
        }
        return out;
    }

    /**
     * The porosity of one slice at the scales marked in {@code which} (the fraction of its pixels where
     * the members' mean probability, brought back to the slice, is at least 0.5), finest first; NaN at
     * the others and where the scale does not run on the slice. One scale's probabilities are held at a time.
     */
    Reading porosities(List<TiledPredictor> tiled, Preprocessing pre, Segmenter.Input in, int width, int height, boolean[] which) {
        double[] out = new double[factors.length];
        java.util.Arrays.fill(out, Double.NaN);
        long[] area = new long[factors.length];
        long[] perimeter = new long[factors.length];
        for (int k = 0; k < factors.length; k++) {
            if (!which[k]) {
                continue;
            }
            int f = factors[k];
            float[] x = scaled(in, k, pre);
            if (x == null) {
                out[k] = Double.NaN;
                continue;
            }
            float[][][] members = new float[tiled.size()][1][];
            for (int m = 0; m < members.length; m++) {
                members[m][0] = predictAt(tiled.get(m), List.of(x), width, height, f, null).get(0);
            }
            // one pass over the probabilities: the mask gives the porosity (as porosity() counts it) and, at
            // the reductions, the width
            byte[] mask = poreMask(members);
            long pores = 0;
            for (byte b : mask) {
                pores += b;
            }
            out[k] = (double) pores / mask.length;
            if (f >= 1) {
                long[] measured = PoreWidth.measure(mask, width, height, WIDTH_MIN_AREA);
                area[k] = measured[0];
                perimeter[k] = measured[1];
            }
            in.scaled[k] = null; // the sample slice's inputs are not needed again
        }
        return new Reading(out, area, perimeter);
    }

    /** Slice 0 of the members' mean probability at least 0.5, as a mask (1 = pore), as {@link #porosity} counts it. */
    private static byte[] poreMask(float[][][] members) {
        int len = members[0][0].length;
        byte[] mask = new byte[len];
        for (int i = 0; i < len; i++) {
            mask[i] = (byte) (meanProbability(members, 0, i) >= 0.5 ? 1 : 0);
        }
        return mask;
    }

    /**
     * One member's probabilities of network inputs reduced by {@code f} from width x height slices
     * (with their reduced ROIs, or null), enlarged back to width x height.
     */
    private static List<float[]> predictAt(TiledPredictor tp, List<float[]> batch, int width, int height, int f, List<float[]> rois) {
        int ws = (int) size(width, f);
        int hs = (int) size(height, f);
        List<float[]> out = new ArrayList<>(batch.size());
        for (float[] p : tp.predict(batch, ws, hs, rois)) {
            out.add(f < 0 ? Resample.boxDown(p, ws, hs, -f, false) : Resample.bilinearUp(p, ws, hs, width, height, f));
        }
        return out;
    }

    /**
     * Selecting: per slice, every member's probabilities at the scale {@link #select} picks from the
     * members' mean porosities (over the ROI, with one); counts the slices kept at a coarser scale.
     */
    private List<List<float[]>> selected(float[][][][] perScale, List<float[]> rois, int width, int height,
            java.util.concurrent.atomic.AtomicLong coarser) {
        int nm = perScale[0].length;
        int n = perScale[0][0].length;
        List<List<float[]>> out = new ArrayList<>(nm);
        for (int m = 0; m < nm; m++) {
            out.add(new ArrayList<>(n));
        }
        for (int s = 0; s < n; s++) {
            float[] roi = rois == null ? null : rois.get(s);
            double[] porosity = new double[factors.length];
            for (int k = 0; k < factors.length; k++) {
                porosity[k] = perScale[k][0][s] == null ? Double.NaN : porosity(perScale[k], s, roi);
            }
            int k = select(porosity, tolerance, factors, width, height);
            if (factors[k] != 1) {
                coarser.incrementAndGet();
            }
            for (int m = 0; m < nm; m++) {
                out.get(m).add(perScale[k][m][s]);
            }
        }
        return out;
    }

    /** The fraction of the slice's pixels (its ROI's, with one) where the members' mean probability is at least 0.5; 0 without pixels. */
    private static double porosity(float[][][] members, int s, float[] roi) {
        double f = meanOverRoi(members, s, roi, p -> p >= 0.5 ? 1 : 0);
        return Double.isNaN(f) ? 0 : f;
    }

    /**
     * The slices whose native (first-scale) probability, averaged over the members, has a mean
     * confidence |2 p - 1| below {@code conf} (over the ROI's pixels where there is one).
     */
    private static boolean[] unsure(float[][][] acc, int[] count, List<float[]> rois, double conf) {
        int n = acc[0].length;
        boolean[] out = new boolean[n];
        for (int s = 0; s < n; s++) {
            if (count[s] > 0) {
                out[s] = meanOverRoi(acc, s, rois == null ? null : rois.get(s), p -> Math.abs(2 * p - 1)) < conf; // NaN: no pixels, false
            }
        }
        return out;
    }

    /**
     * The mean of {@code f} of the members' mean probability ({@code members[m][s]}) over slice s's
     * pixels (its ROI's, with one); NaN without pixels.
     */
    private static double meanOverRoi(float[][][] members, int s, float[] roi, java.util.function.DoubleUnaryOperator f) {
        double sum = 0;
        long pixels = 0;
        int len = members[0][s].length;
        for (int i = 0; i < len; i++) {
            if (roi != null && roi[i] == 0) {
                continue;
            }
            sum += f.applyAsDouble(meanProbability(members, s, i));
            pixels++;
        }
        return pixels == 0 ? Double.NaN : sum / pixels;
    }

    /** The members' mean probability ({@code members[m][s][i]}) at pixel i of slice s. */
    private static double meanProbability(float[][][] members, int s, int i) {
        if (members.length == 1) {
            return members[0][s][i];
        }
        double p = 0;
        for (float[][] member : members) {
            p += member[s][i];
        }
        return p / members.length;
    }

    /**
     * The ROI of a reduced slice: any pixel of its block inside, grown by one pixel so that the
     * bilinear enlargement of ROI pixels only reads computed values.
     */
    private static float[] reducedRoi(float[] roi, int w, int h, int f) {
        if (roi == null || f == 1) {
            return roi;
        }
        if (f < 0) { // enlarged: each ROI pixel covers its e x e block
            int e = -f;
            float[] g = new float[w * e * h * e];
            for (int y = 0; y < h * e; y++) {
                for (int x = 0; x < w * e; x++) {
                    g[y * w * e + x] = roi[(y / e) * w + x / e];
                }
            }
            return g;
        }
        float[] d = Resample.maxDown(roi, w, h, f);
        int ws = Resample.reduced(w, f);
        int hs = Resample.reduced(h, f);
        float[] g = new float[d.length];
        for (int y = 0; y < hs; y++) {
            for (int x = 0; x < ws; x++) {
                float m = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = y + dy;
                        int xx = x + dx;
                        if (yy >= 0 && yy < hs && xx >= 0 && xx < ws && d[yy * ws + xx] != 0) {
                            m = 1;
                        }
                    }
                }
                g[y * ws + x] = m;
            }
        }
        return g;
    }
}
