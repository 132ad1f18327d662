package poreseg.io;

import java.nio.file.Path;

/**
 * A volume read from a file or a folder of files: its shape, type and calibration are known once it
 * is open, and its source is the path it was opened from.
 */
abstract class FileVolume implements Volume {
    /** The file or folder the volume is read from. */
    final Path path;
    private final StackInfo info;

    FileVolume(Path path, StackInfo info) {
        this.path = path;
        this.info = info;
    }

    @Override
    public final StackInfo info() {
        return info;
    }

    @Override
    public final String source() {
        return path.toString();
    }
}
