package poreseg.util;

import java.io.IOException;

/** A consumer that may fail with an IOException. */
@FunctionalInterface
public interface IOConsumer<T> {
    void accept(T t) throws IOException;
}
