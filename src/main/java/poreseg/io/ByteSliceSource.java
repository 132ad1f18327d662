package poreseg.io;

import java.io.IOException;

/** Produces slice z of an 8-bit stack as bytes, row-major, width*height values. Implementations must be thread-safe. */
@FunctionalInterface
public interface ByteSliceSource {
    byte[] slice(int z) throws IOException;
}
