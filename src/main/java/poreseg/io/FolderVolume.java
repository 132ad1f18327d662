package poreseg.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A folder of single-image slices (TIFF, PNG, BMP, JPEG), in natural name order. Every slice must
 * have the size of the first; the pixel type is the first slice's (float wins if any slice is
 * float, which is only known when read). The calibration is the first slice's.
 */
public final class FolderVolume extends FileVolume {
    private final List<Path> files;

    FolderVolume(Path dir, List<Path> files) throws IOException {
        super(dir, firstSlice(files).withDepth(files.size()));
        this.files = List.copyOf(files);
    }

    /** The first file's {@link StackInfo}; it must be a single image. */
    private static StackInfo firstSlice(List<Path> files) throws IOException {
        try (Volume v = Volumes.openFile(files.get(0))) {
            StackInfo first = v.info();
            if (first.depth() != 1) {
                throw new DataException(files.get(0) + ": is a stack of " + first.depth()
                        + " slices; a folder of slices must hold single images");
            }
            return first;
        }
    }

    public List<Path> files() {
        return files;
    }

    @Override
    public float[] slice(int z) throws IOException {
        Path f = files.get(z);
        StackInfo info = info();
        try (Volume v = Volumes.openFile(f)) {
            StackInfo s = v.info();
            if (s.width() != info.width() || s.height() != info.height()) {
                throw new DataException(f + ": is " + s.width() + "x" + s.height() + " but " + files.get(0).getFileName()
                        + " is " + info.width() + "x" + info.height() + " (images of different sizes in one folder)");
            }
            if (s.depth() != 1) {
                throw new DataException(f + ": is a stack of " + s.depth() + " slices; a folder of slices must hold single images");
            }
            return v.slice(0);
        }
    }
}
