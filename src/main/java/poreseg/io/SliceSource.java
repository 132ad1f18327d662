package poreseg.io;

import java.io.IOException;

/** Produces slice z of a stack, row-major, width*height values. Implementations must be thread-safe. */
@FunctionalInterface
public interface SliceSource {
    float[] slice(int z) throws IOException;
}
