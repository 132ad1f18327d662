package poreseg.net;

import java.util.Locale;
import poreseg.io.PixelType;

/**
 * The preprocessing steps applied to every slice before the network, identically at training and
 * inference time; the spec string is recorded in model.json. "none" (or "raw") is the identity.
 */
public final class Preprocessing {
    /** A slice operation with the signature of the preprocessing pipeline. */
    @FunctionalInterface
    interface SliceOp {
        float[] apply(float[] slice, int width, int height, PixelType type);
    }

    private final String spec;
    private final SliceOp op;

    private Preprocessing(String spec, SliceOp op) {
        this.spec = spec;
        this.op = op;
    }

    public static final Preprocessing NONE = new Preprocessing("none", (s, w, h, t) -> s);

    /** Parses a steps spec such as "median:2,stretch" (see the preprocess docs); "none" for raw images. */
    public static Preprocessing parse(String steps) {
        if (steps == null || steps.isBlank()) {
            return NONE;
        }
        String s = steps.trim();
        String l = s.toLowerCase(Locale.ROOT);
        if (l.equals("none") || l.equals("raw")) {
            return NONE;
        }
        return PipelineAdapter.parse(s);
    }

    static Preprocessing of(String spec, SliceOp op) {
        return new Preprocessing(spec, op);
    }

    public float[] apply(float[] slice, int width, int height, PixelType type) {
        return op.apply(slice, width, height, type);
    }

    public String spec() {
        return spec;
    }
}
