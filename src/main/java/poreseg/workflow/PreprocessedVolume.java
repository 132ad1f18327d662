package poreseg.workflow;

import java.io.IOException;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.preprocess.Pipeline;

/** A lazy view of a volume with a per-slice preprocessing pipeline applied to each slice as it is read. */
public final class PreprocessedVolume implements Volume {
    private final Volume in;
    private final Pipeline pipeline;
    private final StackInfo info;

    public PreprocessedVolume(Volume in, Pipeline pipeline, boolean floatOutput) {
        this.in = in;
        this.pipeline = pipeline;
        PixelType t = pipeline.outputType(in.info().type(), floatOutput);
        this.info = in.info().withType(t);
    }

    @Override
    public StackInfo info() {
        return info;
    }

    @Override
    public String source() {
        return in.source() + " [" + pipeline.spec() + "]";
    }

    @Override
    public float[] slice(int z) throws IOException {
        StackInfo i = in.info();
        return pipeline.apply(in.slice(z), i.width(), i.height(), i.type());
    }
}
