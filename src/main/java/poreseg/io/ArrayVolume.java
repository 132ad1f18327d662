package poreseg.io;

import java.util.ArrayList;
import java.util.List;
import poreseg.util.ParameterException;

/** A volume held in memory, one array per slice. For small data, tests and results. */
public final class ArrayVolume implements Volume {
    private final StackInfo info;
    private final List<float[]> slices;
    private final String source;

    public ArrayVolume(StackInfo info, List<float[]> slices, String source) {
        if (slices.size() != info.depth()) {
            throw new ParameterException("expected " + info.depth() + " slices, got " + slices.size());
        }
        for (float[] s : slices) {
            if (s.length != info.sliceSize()) {
                throw new ParameterException("slice length " + s.length + " != " + info.sliceSize());
            }
        }
        this.info = info;
        this.slices = List.copyOf(slices);
        this.source = source;
    }

    public ArrayVolume(StackInfo info, List<float[]> slices) {
        this(info, slices, "memory");
    }

    /** An all-zero volume of the given shape. */
    public static ArrayVolume zeros(StackInfo info) {
        List<float[]> s = new ArrayList<>(info.depth());
        for (int z = 0; z < info.depth(); z++) {
            s.add(new float[info.sliceSize()]);
        }
        return new ArrayVolume(info, s);
    }

    @Override
    public StackInfo info() {
        return info;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public float[] slice(int z) {
        return slices.get(z).clone();
    }

    /** The stored slice itself, without a copy: do not modify. */
    public float[] sliceView(int z) {
        return slices.get(z);
    }
}
