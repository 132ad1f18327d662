package poreseg.net;

import java.io.IOException;
import java.util.TreeSet;
import poreseg.io.DataException;
import poreseg.io.Volume;
import poreseg.util.ParameterException;

/**
 * How a label mask encodes pores: any two-valued mask, the brighter value being pore (255 or 1), or an
 * explicit pore value. A mask with more than two values needs an explicit pore value. An optional
 * unlabelled value marks pixels that carry no label (sparse labels, e.g. scribbles: 255 = pore, 0 =
 * solid, 128 = unlabelled); they are binarised to {@link #UNLABELLED} and ignored by the loss and the
 * scores. The unlabelled value does not count as one of the two values.
 */
public final class MaskEncoding {
    /** The binarised value of an unlabelled pixel (pore is 1, solid 0). */
    public static final float UNLABELLED = -1f;

    /** Pixels of binarised labels that are labelled (not {@link #UNLABELLED}), and the pore pixels among them. */
    public record LabelCounts(long labelled, long pores) {
        /** Counts binarised labels (1 pore, 0 solid, negative unlabelled). */
        public static LabelCounts of(float[] binarized) {
            long n = 0;
            long p = 0;
            for (float v : binarized) {
                if (v >= 0) {
                    n++;
                    if (v > 0.5f) {
                        p++;
                    }
                }
            }
            return new LabelCounts(n, p);
        }

        public LabelCounts plus(LabelCounts o) {
            return new LabelCounts(labelled + o.labelled, pores + o.pores);
        }

        /** Pores per labelled pixel; NaN when nothing is labelled. */
        public double poreFraction() {
            return (double) pores / labelled;
        }
    }

    private final float poreValue;
    private final boolean explicit;
    private final Float unlabelled;

    private MaskEncoding(float poreValue, boolean explicit, Float unlabelled) {
        this.poreValue = poreValue;
        this.explicit = explicit;
        this.unlabelled = unlabelled;
    }

    /** Scans the mask volume once and returns its encoding; {@code poreValue} may be null. */
    public static MaskEncoding detect(Volume mask, Float poreValue) throws IOException {
        return detect(mask, poreValue, null);
    }

    /**
     * Scans the mask volume once and returns its encoding; {@code poreValue} and {@code unlabelled}
     * may be null. They must differ.
     */
    public static MaskEncoding detect(Volume mask, Float poreValue, Float unlabelled) throws IOException {
        if (poreValue != null && unlabelled != null && poreValue.floatValue() == unlabelled.floatValue()) {
            throw new ParameterException("the unlabelled value and the pore value must differ, both are " + fmt(poreValue));
        }
        TreeSet<Float> values = new TreeSet<>();
        for (int z = 0; z < mask.info().depth(); z++) {
            for (float v : mask.slice(z)) {
                if (unlabelled != null && v == unlabelled) {
                    continue;
                }
                if (values.size() <= 2 || !values.contains(v)) {
                    values.add(v);
                }
                if (poreValue == null && values.size() > 2) {
                    throw new DataException(mask.source() + ": mask has more than two " + (unlabelled != null ? "labelled " : "") + "values (e.g. "
                            + fmt(values.first()) + ", " + fmt(values.higher(values.first())) + ", " + fmt(values.last())
                            + "); give the pore value ({poreValue})" + (unlabelled == null ? ", and for sparse labels the unlabelled value ({unlabelled})" : ""));
                }
            }
        }
        if (poreValue != null) {
            if (!values.contains(poreValue)) {
                throw new DataException(mask.source() + ": mask has no pixel of the pore value " + fmt(poreValue));
            }
            return new MaskEncoding(poreValue, true, unlabelled);
        }
        if (values.isEmpty()) {
            return new MaskEncoding(Float.NaN, false, unlabelled); // nothing labelled
        }
        if (values.size() == 1) {
            float v = values.first();
            return new MaskEncoding(v > 0 ? v : Float.NaN, false, unlabelled); // one value: all pore if non-zero, else no pore
        }
        return new MaskEncoding(values.last(), false, unlabelled);
    }

    /** 1 where pore, 0 where solid, {@link #UNLABELLED} where unlabelled. */
    public float[] binarize(float[] slice) {
        float[] out = new float[slice.length];
        boolean sparse = unlabelled != null;
        float u = sparse ? unlabelled : Float.NaN;
        for (int i = 0; i < slice.length; i++) {
            float v = slice[i];
            out[i] = sparse && v == u ? UNLABELLED : v == poreValue ? 1f : 0f;
        }
        return out;
    }

    /** Whether this encoding has an unlabelled value. */
    public boolean sparse() {
        return unlabelled != null;
    }

    public String describe() {
        return (explicit ? "pore value " : "brighter value is pore: ") + fmt(poreValue) + (unlabelled != null ? ", unlabelled " + fmt(unlabelled) : "");
    }

    static String fmt(float v) {
        return v == Math.rint(v) && !Float.isInfinite(v) ? Long.toString((long) v) : Float.toString(v);
    }
}
