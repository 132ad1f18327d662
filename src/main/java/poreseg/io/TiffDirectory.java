package poreseg.io;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One image file directory (IFD, a page) of a classic or BigTIFF file, with the fields poreseg
 * needs, read strictly: every offset and count is checked against the file size, so a damaged file
 * fails here with a message naming the page and what is wrong, instead of being read short.
 */
record TiffDirectory(int page, int width, int height, int bitsPerSample, int samplesPerPixel, int sampleFormat,
        int compression, int planarConfig, int predictor, int fillOrder, int rowsPerStrip, long[] stripOffsets,
        long[] stripByteCounts, boolean tiled, String description, double xResolution, double yResolution,
        int resolutionUnit) {

    static final int NONE = 1;
    static final int LZW = 5;
    static final int DEFLATE = 8;
    static final int ADOBE_DEFLATE = 32946;
    static final int PACKBITS = 32773;

    /** Bytes of one row of one plane (chunky: all samples; planar: one sample). */
    long rowBytes() {
        int samples = planarConfig == 2 ? 1 : samplesPerPixel;
        return ((long) width * samples * bitsPerSample + 7) / 8;
    }

    /** Rows held by strip {@code s} (the last strip may be shorter). */
    int rowsInStrip(int s) {
        int perPlane = stripsPerPlane();
        int first = (s % perPlane) * rowsPerStrip;
        return Math.min(rowsPerStrip, height - first);
    }

    int stripsPerPlane() {
        return (int) ((height + (long) rowsPerStrip - 1) / rowsPerStrip);
    }

    /** Uncompressed bytes of one whole plane. */
    long planeBytes() {
        return rowBytes() * height;
    }

    /** The file's layout: byte order, BigTIFF or not, and its directories in file order. */
    record Layout(ByteOrder order, boolean bigTiff, List<TiffDirectory> pages, List<Region> structure) {
    }

    /** Bytes [start, end) of the file that hold one thing (header, a directory, a strip), for overlap checks. */
    record Region(long start, long end, String what, boolean pixels) {
    }

    /**
     * Reads the header and every IFD of {@code path}. A missing, looping or out-of-file directory,
     * entry or strip raises a {@link DataException} naming the page.
     */
    static Layout read(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return new TiffParser(path, ch).parse();
        }
    }

    /** True for the first IFD of an uncompressed ImageJ stack whose description says images=N, N > 1. */
    static boolean imageJContiguous(TiffDirectory d) {
        var desc = ImageJDescription.parse(d.description());
        if (desc == null || d.compression() != NONE || d.planarConfig() == 2 || d.tiled()) {
            return false;
        }
        try {
            return Integer.parseInt(desc.getOrDefault("images", "1")) > 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Bytes per value of a TIFF field type, 0 for an unknown type. */
    static int typeSize(int type) {
        return switch (type) {
            case 1, 2, 6, 7 -> 1;
            case 3, 8 -> 2;
            case 4, 9, 11, 13 -> 4;
            case 5, 10, 12, 16, 17, 18 -> 8;
            default -> 0;
        };
    }
}
