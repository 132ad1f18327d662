package poreseg.net;

import poreseg.io.PixelType;
import poreseg.preprocess.Pipeline;

/**
 * The preprocessing steps ({@link Pipeline}) applied to every slice before the network, identically
 * at training and inference time; the canonical spec string is recorded in model.json.
 */
public final class Preprocessing {
    public static final Preprocessing NONE = new Preprocessing(Pipeline.identity(), InputScaling.NAME);

    private final Pipeline pipeline;
    private final String scaling;

    private Preprocessing(Pipeline pipeline, String scaling) {
        this.pipeline = pipeline;
        this.scaling = InputScaling.check(scaling);
    }

    /** Parses a steps spec such as "median=2,stretch"; "none" or "raw" for raw images; type-max input scaling. */
    public static Preprocessing parse(String steps) {
        return parse(steps, InputScaling.NAME);
    }

    /** Steps and the {@link InputScaling} method (null: {@value InputScaling#NAME}). */
    public static Preprocessing parse(String steps, String scaling) {
        return new Preprocessing(Pipeline.parse(steps), scaling);
    }

    /** What a model's network expects: its preprocessing steps and input scaling. */
    public static Preprocessing of(ModelInfo info) {
        return parse(info.preprocessing, info.inputScaling);
    }

    /** Preprocesses a raw slice and scales it to the network input range (see {@link InputScaling}). */
    public float[] networkInput(float[] slice, int width, int height, PixelType type) {
        float[] p = pipeline.apply(slice, width, height, type);
        return InputScaling.scale(p, pipeline.outputType(type, false), scaling);
    }

    /** The steps' canonical spec (the input scaling is {@link #scaling()}). */
    public String spec() {
        return pipeline.spec();
    }

    /** The {@link InputScaling} method. */
    public String scaling() {
        return scaling;
    }

    /** Whether two give the same network input: the same steps and the same scaling. */
    public boolean sameAs(Preprocessing o) {
        return spec().equals(o.spec()) && scaling.equals(o.scaling);
    }

    /** The steps, and the scaling where it is not the default, for messages and logs. */
    public String describe() {
        return InputScaling.NAME.equals(scaling) ? spec() : spec() + ", then " + scaling;
    }
}
