package poreseg.net;

import java.io.IOException;
import java.util.TreeSet;
import poreseg.io.DataException;
import poreseg.io.Volume;

/**
 * How a label mask encodes pores: any two-valued mask, the brighter value being pore (255 or 1), or an
 * explicit pore value. A mask with more than two values needs an explicit pore value.
 */
public final class MaskEncoding {
    private final float poreValue;
    private final boolean explicit;

    private MaskEncoding(float poreValue, boolean explicit) {
        this.poreValue = poreValue;
        this.explicit = explicit;
    }

    /** Scans the mask volume once and returns its encoding; {@code poreValue} may be null. */
    public static MaskEncoding detect(Volume mask, Float poreValue) throws IOException {
        TreeSet<Float> values = new TreeSet<>();
        for (int z = 0; z < mask.info().depth(); z++) {
            for (float v : mask.slice(z)) {
                if (values.size() <= 2 || !values.contains(v)) {
                    values.add(v);
                }
                if (poreValue == null && values.size() > 2) {
                    throw new DataException(mask.source() + ": mask has more than two values (e.g. " + values.first() + ", "
                            + values.higher(values.first()) + ", " + values.last() + "); give the pore value with --pore-value");
                }
            }
        }
        if (poreValue != null) {
            if (!values.contains(poreValue)) {
                throw new DataException(mask.source() + ": mask has no pixel of value " + fmt(poreValue) + " (--pore-value)");
            }
            return new MaskEncoding(poreValue, true);
        }
        if (values.size() == 1) {
            float v = values.first();
            return new MaskEncoding(v > 0 ? v : Float.NaN, false); // one value: all pore if non-zero, else no pore
        }
        return new MaskEncoding(values.last(), false);
    }

    /** 1 where pore, 0 elsewhere. */
    public float[] binarize(float[] slice) {
        float[] out = new float[slice.length];
        for (int i = 0; i < slice.length; i++) {
            out[i] = slice[i] == poreValue ? 1f : 0f;
        }
        return out;
    }

    public String describe() {
        return (explicit ? "pore value " : "brighter value is pore: ") + fmt(poreValue);
    }

    private static String fmt(float v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Float.toString(v);
    }
}
