package poreseg.util;

import java.io.IOException;

/** An int-indexed function that may fail with an IOException. */
@FunctionalInterface
public interface IOIntFunction<T> {
    T apply(int i) throws IOException;
}
