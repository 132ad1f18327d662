package poreseg.cli;

import java.util.Iterator;
import poreseg.net.Architectures;

/** The registered architecture names, for the help of --arch (picocli's ${COMPLETION-CANDIDATES}). */
final class ArchitectureNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return Architectures.names().iterator();
    }
}
