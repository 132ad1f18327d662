package poreseg.net;

import poreseg.io.PixelType;
import poreseg.preprocess.Pipeline;

/**
 * The preprocessing steps ({@link Pipeline}) applied to every slice before the network, identically
 * at training and inference time; the canonical spec string is recorded in model.json.
 */
public final class Preprocessing {
    public static final Preprocessing NONE = new Preprocessing(Pipeline.identity());

    private final Pipeline pipeline;

    private Preprocessing(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** Parses a steps spec such as "median=2,stretch"; "none" or "raw" for raw images. */
    public static Preprocessing parse(String steps) {
        return new Preprocessing(Pipeline.parse(steps));
    }

    /** Preprocesses a raw slice and scales it to the network input range (see {@link InputScaling}). */
    public float[] networkInput(float[] slice, int width, int height, PixelType type) {
        float[] p = pipeline.apply(slice, width, height, type);
        return InputScaling.scale(p, pipeline.outputType(type, false));
    }

    public String spec() {
        return pipeline.spec();
    }
}
