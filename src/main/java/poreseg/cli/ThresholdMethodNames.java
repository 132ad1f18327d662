package poreseg.cli;

import java.util.Iterator;
import poreseg.threshold.ThresholdMethods;

/** The threshold method names, for the help of --method (picocli's ${COMPLETION-CANDIDATES}). */
final class ThresholdMethodNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return ThresholdMethods.names().iterator();
    }
}
