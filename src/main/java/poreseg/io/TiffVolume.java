package poreseg.io;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A TIFF file read lazily, slice by slice: classic TIFF and BigTIFF, strips uncompressed, LZW,
 * Deflate or PackBits (with horizontal differencing), 1-bit (read as 0/255, as ImageJ does), 8-bit,
 * 16-bit and 32-bit integer or float, 64-bit float, grey stored as RGB. Signed and 32-bit integers
 * are read as float stacks holding their exact values (-1 stays -1). One IFD per page, or
 * ImageJ's contiguous stacks (the first IFD's description says {@code images=N}; ImageJ writes only
 * that IFD for stacks over 4 GiB). Calibration is read the ImageJ way: XResolution/YResolution for x
 * and y, the {@code spacing} and {@code unit} entries of the ImageJ description for z and the unit.
 *
 * <p>Reading is strict: a page, strip or slice that is not in the file in full, or that does not
 * decode, is a {@link DataException} naming the file, the page and what is missing; it is never
 * read as fewer slices or as zeros.
 */
public final class TiffVolume extends FileVolume {
    private final ByteOrder order;
    private final List<TiffDirectory> pages;
    private final boolean contiguous;
    private final long firstOffset;
    private final TiffPixels pixels;

    private TiffVolume(Path path, ByteOrder order, List<TiffDirectory> pages, boolean contiguous, StackInfo info, TiffSample sample) {
        super(path, info);
        this.order = order;
        this.pages = pages;
        this.contiguous = contiguous;
        this.pixels = new TiffPixels(path, order, sample);
        this.firstOffset = pages.get(0).tiled() ? 0 : pages.get(0).stripOffsets()[0];
    }

    public static TiffVolume open(Path path) throws IOException {
        TiffDirectory.Layout layout = TiffDirectory.read(path);
        List<TiffDirectory> pages = layout.pages();
        TiffDirectory first = pages.get(0);
        TiffSample sample = TiffChecks.check(path, first);
        for (int i = 1; i < pages.size(); i++) {
            TiffDirectory p = pages.get(i);
            if (p.width() != first.width() || p.height() != first.height()) {
                throw new DataException(path + ": page " + (i + 1) + " is " + p.width() + "x" + p.height()
                        + ", page 1 is " + first.width() + "x" + first.height() + " (pages of different sizes)");
            }
            if (TiffChecks.check(path, p) != sample || p.samplesPerPixel() != first.samplesPerPixel()) {
                throw new DataException(path + ": page " + (i + 1) + " has another pixel type than page 1");
            }
            if (p.compression() != first.compression() || p.predictor() != first.predictor()) {
                // legal, but no writer does it, and a damaged compression tag looks like this
                throw new DataException(path + ": page " + (i + 1) + " has compression " + p.compression() + " (predictor "
                        + p.predictor() + "), page 1 has " + first.compression() + " (predictor " + first.predictor() + ")");
            }
        }
        Map<String, String> desc = ImageJDescription.parse(first.description());
        if (desc != null && !first.description().chars().allMatch(ch -> ch < 0x80)) {
            // ImageJ writes its description in ASCII (other characters as \\u escapes)
            throw new DataException(path + ": corrupt TIFF: the ImageJ description holds non-ASCII bytes");
        }
        int images = desc == null ? 1 : ImageJDescription.intEntry(path, desc, "images");
        if (desc != null) {
            int channels = ImageJDescription.intEntry(path, desc, "channels");
            int slices = ImageJDescription.intEntry(path, desc, "slices");
            int frames = ImageJDescription.intEntry(path, desc, "frames");
            // one axis only (tifffile writes plain 3D arrays as "channels=N"): that axis is z
            if (channels > 1 && (slices > 1 || frames > 1)) {
                throw new DataException(path + ": is an ImageJ hyperstack with " + channels + " channels of "
                        + Math.max(slices, frames) + " slices; poreseg needs one channel (Fiji: Image > Color > Split Channels)");
            }
            if (frames > 1 && slices > 1) {
                throw new DataException(path + ": is an ImageJ hyperstack with " + frames + " time frames of " + slices
                        + " slices; save one frame (Fiji: Image > Duplicate)");
            }
        }
        boolean contiguous = images > 1 && TiffDirectory.imageJContiguous(first);
        if (contiguous && !TiffChecks.stripsContiguous(first)) {
            throw new DataException(path + ": corrupt TIFF: an ImageJ stack whose first slice is not stored in one piece");
        }
        if (contiguous && java.util.Arrays.stream(first.stripByteCounts()).sum() != first.planeBytes()) {
            throw new DataException(path + ": corrupt TIFF: page 1 holds " + java.util.Arrays.stream(first.stripByteCounts()).sum()
                    + " bytes, but " + first.width() + "x" + first.height() + " pixels of " + first.bitsPerSample() + " bits need "
                    + first.planeBytes());
        }
        int depth;
        if (contiguous) {
            depth = images;
            long sliceBytes = first.planeBytes();
            long need = first.stripOffsets()[0] + images * sliceBytes;
            long size = java.nio.file.Files.size(path);
            if (need > size) {
                long held = Math.max(0, (size - first.stripOffsets()[0]) / sliceBytes);
                throw new DataException(path + ": truncated TIFF: holds " + held + " of " + images + " slices in full (the pixel data "
                        + "needs " + need + " bytes, the file has " + size + ")");
            }
        } else {
            depth = pages.size();
            if (images > 1 && images != pages.size()) {
                throw new DataException(path + ": truncated or corrupt TIFF: the ImageJ description says " + images
                        + " images, the file has " + pages.size() + " pages");
            }
        }
        TiffChecks.checkOverlaps(path, layout.structure(), pages, contiguous, depth);
        StackInfo info;
        try {
            info = new StackInfo(first.width(), first.height(), depth, sample.pixelType(), ImageJDescription.calibration(path, first, desc));
        } catch (IllegalArgumentException e) {
            throw new DataException(path + ": " + e.getMessage());
        }
        return new TiffVolume(path, layout.order(), pages, contiguous, info, sample);
    }

    @Override
    public String toString() {
        TiffDirectory d = pages.get(0);
        return describeStorage() + ", rps " + d.rowsPerStrip() + ", predictor " + d.predictor() + ", format " + d.sampleFormat()
                + ", fill " + d.fillOrder() + ", offsets " + java.util.Arrays.toString(d.stripOffsets()) + ", counts "
                + java.util.Arrays.toString(d.stripByteCounts());
    }

    /** The storage of the file, for messages and tests: e.g. "BigTIFF, 3 pages, Deflate". */
    public String describeStorage() {
        TiffDirectory d = pages.get(0);
        return String.format(Locale.ROOT, "%s, %s, compression %d, %d bits x %d samples", contiguous ? "ImageJ contiguous" : "paged",
                order == ByteOrder.LITTLE_ENDIAN ? "little-endian" : "big-endian", d.compression(), d.bitsPerSample(),
                d.samplesPerPixel());
    }

    @Override
    public float[] slice(int z) throws IOException {
        if (z < 0 || z >= info().depth()) {
            throw new IndexOutOfBoundsException("slice " + z + " of " + info().depth());
        }
        TiffDirectory d = contiguous ? pages.get(0) : pages.get(z);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            int planes = d.planarConfig() == 2 ? d.samplesPerPixel() : 1;
            byte[][] plane = new byte[planes][];
            if (contiguous) {
                plane[0] = new byte[(int) d.planeBytes()];
                pixels.readFully(ch, plane[0], firstOffset + z * d.planeBytes(), "slice " + (z + 1));
            } else {
                for (int p = 0; p < planes; p++) {
                    plane[p] = pixels.readPlane(ch, d, p);
                }
            }
            return pixels.toFloat(d, plane, info().sliceSize());
        }
    }
}
