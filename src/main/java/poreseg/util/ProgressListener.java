package poreseg.util;

/** Receives progress of long work; algorithms report through it and never print. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> { };

    /** Called with the number of units done so far and the total (e.g. slices). */
    void progress(long done, long total);
}
