package poreseg.metrics;

import java.util.Arrays;
import java.util.Locale;
import java.util.TreeSet;
import java.io.IOException;
import poreseg.io.DataException;
import poreseg.io.Volume;
import poreseg.util.Parallel;
import poreseg.util.ProgressListener;

/**
 * How a two-valued mask encodes "pore" (or "inside" for a region of interest). Any two values are
 * accepted (0/255, 0/1, 0/65535, 1/2 ...): by default the brighter one is pore. When a mask holds a
 * single value, 0 means "no pore anywhere" and any other value "pore everywhere". With an explicit
 * pore value V, voxels equal to V are pore and the (at most one) other value is not.
 */
public final class MaskValues {
    private final float[] values;
    private final float poreValue;
    private final boolean hasPore;

    private MaskValues(float[] values, float poreValue, boolean hasPore) {
        this.values = values;
        this.poreValue = poreValue;
        this.hasPore = hasPore;
    }

    /**
     * Resolves the encoding of a mask from the distinct values seen in it.
     *
     * @param source    the file, for messages
     * @param seen      the distinct values of the whole mask
     * @param poreValue the value that means pore, or null for "the brighter value"
     * @throws DataException if the mask is not two-valued, or the given pore value is absent from a two-valued mask
     */
    public static MaskValues resolve(String source, float[] seen, Float poreValue) {
        TreeSet<Float> set = new TreeSet<>();
        for (float v : seen) {
            if (Float.isNaN(v)) {
                throw new DataException(source + ": not a binary mask: holds NaN values");
            }
            set.add(v == 0f ? 0f : v); // -0 == 0
        }
        float[] vals = new float[set.size()];
        int i = 0;
        for (float v : set) {
            vals[i++] = v;
        }
        if (vals.length > 2) {
            throw new DataException(source + ": not a binary mask: found values " + list(vals)
                    + (vals.length == 3 ? " and maybe more" : "") + " (expected two values, e.g. 0 and 255, or an explicit pore value)");
        }
        if (vals.length == 0) {
            throw new DataException(source + ": empty mask");
        }
        if (poreValue != null) {
            float p = poreValue;
            boolean present = set.contains(p);
            if (!present && vals.length == 2) {
                throw new DataException(source + ": pore value " + fmt(p) + " not found: the mask holds " + list(vals));
            }
            return new MaskValues(vals, p, present);
        }
        if (vals.length == 2) {
            return new MaskValues(vals, vals[1], true);
        }
        return new MaskValues(vals, vals[0], vals[0] != 0f);
    }

    /**
     * Reads {@code mask} slice by slice and resolves its encoding: the check every mask goes through
     * before it is measured or trained on. Stops collecting at three distinct values (enough to say
     * the mask is not binary) but always reads to the end for NaN.
     *
     * @throws DataException when the mask holds NaN or more than two values, or {@code poreValue} is absent
     */
    public static MaskValues scan(Volume mask, Float poreValue, ProgressListener progress) throws IOException {
        TreeSet<Float> seen = new TreeSet<>();
        int[] nanSlice = {-1};
        int[] z = {0};
        Parallel.forEachOrdered(mask.info().depth(), k -> distinct(mask.slice(k)), d -> {
            for (float v : d) {
                if (Float.isNaN(v)) {
                    if (nanSlice[0] < 0) {
                        nanSlice[0] = z[0];
                    }
                } else if (seen.size() < 3) {
                    seen.add(v == 0f ? 0f : v);
                }
            }
            z[0]++;
        }, progress);
        if (nanSlice[0] >= 0) {
            throw new DataException(mask.source() + ": not a binary mask: holds NaN values (first in slice " + (nanSlice[0] + 1) + ")");
        }
        float[] vals = new float[seen.size()];
        int i = 0;
        for (float v : seen) {
            vals[i++] = v;
        }
        return resolve(mask.source(), vals, poreValue);
    }

    /** Up to three distinct values of a slice, and NaN if it holds one. */
    private static float[] distinct(float[] s) {
        float[] d = new float[4];
        int n = 0;
        boolean nan = false;
        for (float v : s) {
            if (v != v) {
                nan = true;
                continue;
            }
            boolean known = false;
            for (int k = 0; k < n; k++) {
                if (d[k] == v) {
                    known = true;
                    break;
                }
            }
            if (!known && n < 3) {
                d[n++] = v;
            }
        }
        if (nan) {
            d[n++] = Float.NaN;
        }
        return Arrays.copyOf(d, n);
    }

    /** True when a voxel of this value is pore (or inside). */
    public boolean isPore(float v) {
        return hasPore && v == poreValue;
    }

    /** The distinct values of the mask, ascending. */
    public float[] values() {
        return values.clone();
    }

    /** The value meaning pore, or NaN when no voxel is pore. */
    public float poreValue() {
        return hasPore ? poreValue : Float.NaN;
    }

    /** E.g. "values 0, 255; pore = 255". */
    public String describe() {
        return "values " + list(values) + "; " + (hasPore ? "pore = " + fmt(poreValue) : "no pore voxels");
    }

    static String list(float[] v) {
        return String.join(", ", Arrays.stream(box(v)).map(MaskValues::fmt).toList());
    }

    private static Float[] box(float[] v) {
        Float[] b = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i];
        }
        return b;
    }

    static String fmt(float v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }
}
