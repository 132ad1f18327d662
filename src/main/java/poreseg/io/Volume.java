package poreseg.io;

import java.io.IOException;

/**
 * A stack of 2D slices read on demand, one slice at a time: the whole volume never needs to be in
 * memory. {@link #slice(int)} returns a fresh array that the caller may modify, and may be called
 * from several threads at once.
 */
public interface Volume extends SliceSource, AutoCloseable {

    StackInfo info();

    /** Where the data comes from, for messages. */
    String source();

    @Override
    default void close() throws IOException {
    }
}
