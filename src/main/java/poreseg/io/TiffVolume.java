package poreseg.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
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
public final class TiffVolume implements Volume {
    private static final Map<Integer, String> COMPRESSION_NAMES = Map.ofEntries(
            Map.entry(2, "CCITT modified Huffman"), Map.entry(3, "CCITT Group 3 fax"), Map.entry(4, "CCITT Group 4 fax"),
            Map.entry(6, "old-style JPEG"), Map.entry(7, "JPEG"), Map.entry(34712, "JPEG 2000"), Map.entry(33003, "JPEG 2000"),
            Map.entry(33005, "JPEG 2000"), Map.entry(34892, "lossy JPEG"), Map.entry(34925, "LZMA"), Map.entry(50000, "Zstandard"),
            Map.entry(50001, "WebP"), Map.entry(50002, "JPEG XL"), Map.entry(32809, "ThunderScan"), Map.entry(32908, "Pixar"),
            Map.entry(34676, "SGI LogLuv"), Map.entry(34677, "SGI LogLuv"));

    private final Path path;
    private final ByteOrder order;
    private final List<TiffDirectory> pages;
    private final boolean contiguous;
    private final long firstOffset;
    private final StackInfo info;
    private final Sample sample;

    /** How samples are stored and turned into floats. */
    private enum Sample {
        BIT, U8, S8, U16, S16, U32, S32, F32, F64
    }

    private TiffVolume(Path path, ByteOrder order, List<TiffDirectory> pages, boolean contiguous, StackInfo info, Sample sample) {
        this.path = path;
        this.order = order;
        this.pages = pages;
        this.contiguous = contiguous;
        this.info = info;
        this.sample = sample;
        this.firstOffset = pages.get(0).tiled() ? 0 : pages.get(0).stripOffsets()[0];
    }

    public static TiffVolume open(Path path) throws IOException {
        TiffDirectory.Layout layout = TiffDirectory.read(path);
        List<TiffDirectory> pages = layout.pages();
        TiffDirectory first = pages.get(0);
        Sample sample = check(path, first);
        for (int i = 1; i < pages.size(); i++) {
            TiffDirectory p = pages.get(i);
            if (p.width() != first.width() || p.height() != first.height()) {
                throw new DataException(path + ": page " + (i + 1) + " is " + p.width() + "x" + p.height()
                        + ", page 1 is " + first.width() + "x" + first.height() + " (pages of different sizes)");
            }
            if (check(path, p) != sample || p.samplesPerPixel() != first.samplesPerPixel()) {
                throw new DataException(path + ": page " + (i + 1) + " has another pixel type than page 1");
            }
            if (p.compression() != first.compression() || p.predictor() != first.predictor()) {
                // legal, but no writer does it, and a damaged compression tag looks like this
                throw new DataException(path + ": page " + (i + 1) + " has compression " + p.compression() + " (predictor "
                        + p.predictor() + "), page 1 has " + first.compression() + " (predictor " + first.predictor() + ")");
            }
        }
        Map<String, String> desc = imageJDescription(first.description());
        if (desc != null && !first.description().chars().allMatch(ch -> ch < 0x80)) {
            // ImageJ writes its description in ASCII (other characters as \\u escapes)
            throw new DataException(path + ": corrupt TIFF: the ImageJ description holds non-ASCII bytes");
        }
        int images = desc == null ? 1 : intEntry(path, desc, "images");
        if (desc != null) {
            int channels = intEntry(path, desc, "channels");
            int slices = intEntry(path, desc, "slices");
            int frames = intEntry(path, desc, "frames");
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
        if (contiguous && !stripsContiguous(first)) {
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
        checkOverlaps(path, layout.structure(), pages, contiguous, depth);
        StackInfo info;
        try {
            info = new StackInfo(first.width(), first.height(), depth, pixelType(sample), calibration(path, first, desc));
        } catch (IllegalArgumentException e) {
            throw new DataException(path + ": " + e.getMessage());
        }
        return new TiffVolume(path, layout.order(), pages, contiguous, info, sample);
    }

    /** The sample layout of a page, or a message naming what is not supported. */
    private static Sample check(Path path, TiffDirectory d) {
        String p = "page " + d.page();
        if (d.tiled()) {
            throw new DataException(path + ": " + p + " is a tiled TIFF, which poreseg does not read; save it as an ordinary "
                    + "(striped) TIFF, e.g. with Fiji's File > Save As > Tiff");
        }
        int c = d.compression();
        if (c != TiffDirectory.NONE && c != TiffDirectory.LZW && c != TiffDirectory.DEFLATE && c != TiffDirectory.ADOBE_DEFLATE
                && c != TiffDirectory.PACKBITS) {
            String name = COMPRESSION_NAMES.get(c);
            throw new DataException(path + ": " + (name == null ? "unknown TIFF compression " + c : name
                    + "-compressed TIFF (compression " + c + ")") + " is not supported; save it uncompressed, LZW or Deflate "
                    + "(e.g. Fiji: File > Save As > Tiff)");
        }
        if (d.predictor() != 1 && d.predictor() != 2) {
            throw new DataException(path + ": " + p + ": TIFF predictor " + d.predictor()
                    + (d.predictor() == 3 ? " (floating point)" : "") + " is not supported; save it without a predictor");
        }
        if (d.fillOrder() != 1 && d.fillOrder() != 2) {
            throw new DataException(path + ": corrupt TIFF: " + p + " has fill order " + d.fillOrder());
        }
        if (d.planarConfig() != 1 && d.planarConfig() != 2) {
            throw new DataException(path + ": corrupt TIFF: " + p + " has planar configuration " + d.planarConfig());
        }
        int spp = d.samplesPerPixel();
        int bits = d.bitsPerSample();
        int fmt = d.sampleFormat();
        if (spp < 1 || spp > 8) {
            throw new DataException(path + ": corrupt TIFF: " + p + " has " + spp + " samples per pixel");
        }
        if (spp > 1 && bits != 8) {
            throw new DataException(path + ": " + p + " has " + spp + " samples of " + bits
                    + " bits per pixel (colour); poreseg needs greyscale (Fiji: Image > Type > 16-bit)");
        }
        if (fmt != 1 && fmt != 2 && fmt != 3 && fmt != 4) {
            throw new DataException(path + ": corrupt TIFF: " + p + " has sample format " + fmt);
        }
        Sample s = switch (bits) {
            case 1 -> fmt == 1 || fmt == 4 ? Sample.BIT : null;
            case 8 -> fmt == 1 || fmt == 4 ? Sample.U8 : fmt == 2 ? Sample.S8 : null;
            case 16 -> fmt == 1 || fmt == 4 ? Sample.U16 : fmt == 2 ? Sample.S16 : null;
            case 32 -> fmt == 3 ? Sample.F32 : fmt == 2 ? Sample.S32 : Sample.U32;
            case 64 -> fmt == 3 ? Sample.F64 : null;
            default -> null;
        };
        if (s == null) {
            String kind = fmt == 3 ? "float" : fmt == 2 ? "signed integer" : "unsigned integer";
            throw new DataException(path + ": " + p + " has " + bits + "-bit " + kind + " samples, which poreseg does not read "
                    + "(it reads 1-, 8-, 16- and 32-bit integers and 32- and 64-bit floats)");
        }
        if (d.predictor() == 2 && bits != 8 && bits != 16 && bits != 32) {
            throw new DataException(path + ": corrupt TIFF: " + p + " has a predictor on " + bits + "-bit samples");
        }
        return s;
    }

    /**
     * Pixel data must not overlap the header, a directory or other pixel data: a damaged strip offset
     * usually points into one of them, and would otherwise be read as valid pixels.
     */
    private static void checkOverlaps(Path path, List<TiffDirectory.Region> structure, List<TiffDirectory> pages,
            boolean contiguous, int depth) {
        List<TiffDirectory.Region> all = new java.util.ArrayList<>(structure);
        if (contiguous) {
            TiffDirectory d = pages.get(0);
            long start = d.stripOffsets()[0];
            all.add(new TiffDirectory.Region(start, start + depth * d.planeBytes(), "the pixel data", true));
        } else {
            for (TiffDirectory d : pages) {
                long[] off = d.stripOffsets();
                for (int s = 0; s < off.length; s++) {
                    long n = d.stripByteCounts()[s];
                    if (n > 0) {
                        all.add(new TiffDirectory.Region(off[s], off[s] + n, "page " + d.page() + ", strip " + (s + 1), true));
                    }
                }
            }
        }
        all.sort(java.util.Comparator.comparingLong(TiffDirectory.Region::start));
        // pixel data may overlap nothing; directories and tag values may share bytes (e.g. one resolution for all pages)
        TiffDirectory.Region pixels = null; // the pixel region reaching furthest so far
        TiffDirectory.Region other = null;
        for (TiffDirectory.Region b : all) {
            TiffDirectory.Region hit = null;
            if (pixels != null && b.start() < pixels.end()) {
                hit = pixels;
            } else if (b.pixels() && other != null && b.start() < other.end()) {
                hit = other;
            }
            if (hit != null) {
                throw new DataException(path + ": corrupt TIFF: " + (b.pixels() ? b.what() + " (from byte " + b.start() + ") overlaps "
                        + hit.what() : hit.what() + " overlaps " + b.what() + " (from byte " + b.start() + ")"));
            }
            if (b.pixels() && (pixels == null || b.end() > pixels.end())) {
                pixels = b;
            } else if (!b.pixels() && (other == null || b.end() > other.end())) {
                other = b;
            }
        }
    }

    private static PixelType pixelType(Sample s) {
        return switch (s) {
            case BIT, U8 -> PixelType.U8;
            case U16 -> PixelType.U16;
            default -> PixelType.F32;
        };
    }

    private static boolean stripsContiguous(TiffDirectory d) {
        long[] off = d.stripOffsets();
        for (int s = 1; s < off.length; s++) {
            if (off[s] != off[s - 1] + d.rowsInStrip(s - 1) * d.rowBytes()) {
                return false;
            }
        }
        return true;
    }

    /** The key=value lines of an ImageJ description, or null when the description is not ImageJ's. */
    static Map<String, String> imageJDescription(String description) {
        if (description == null || !description.startsWith("ImageJ")) {
            return null;
        }
        Map<String, String> m = new HashMap<>();
        for (String line : description.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return m;
    }

    private static int intEntry(Path path, Map<String, String> desc, String key) {
        String v = desc.get(key);
        if (v == null) {
            return 1;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new DataException(path + ": corrupt TIFF: the ImageJ description has " + key + "=" + v);
        }
    }

    private static Calibration calibration(Path path, TiffDirectory d, Map<String, String> desc) {
        double pw = d.xResolution() > 0 ? 1 / d.xResolution() : 1;
        double ph = d.yResolution() > 0 ? 1 / d.yResolution() : 1;
        double pd = 1;
        String unit = switch (d.resolutionUnit()) {
            case 2 -> "inch";
            case 3 -> "cm";
            default -> null;
        };
        if (desc != null) {
            String spacing = desc.get("spacing");
            if (spacing != null) {
                try {
                    double v = Double.parseDouble(spacing);
                    if (v != 0 && Double.isFinite(v)) {
                        pd = Math.abs(v); // ImageJ allows negative spacing for reversed stacks
                    }
                } catch (NumberFormatException e) {
                    throw new DataException(path + ": corrupt TIFF: the ImageJ description has spacing=" + spacing);
                }
            }
            if (desc.get("unit") != null) {
                unit = unescape(desc.get("unit"));
            }
        }
        try {
            return new Calibration(pw, ph, pd, unit);
        } catch (IllegalArgumentException e) {
            return Calibration.NONE;
        }
    }

    /** ImageJ writes non-ASCII units as Java escapes, e.g. {@code \u00B5m}. */
    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && i + 5 < s.length() && s.charAt(i + 1) == 'u') {
                try {
                    b.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                    i += 5;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape: keep the text
                }
            }
            b.append(ch);
        }
        return b.toString();
    }

    @Override
    public StackInfo info() {
        return info;
    }

    @Override
    public String source() {
        return path.toString();
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
        if (z < 0 || z >= info.depth()) {
            throw new IndexOutOfBoundsException("slice " + z + " of " + info.depth());
        }
        TiffDirectory d = contiguous ? pages.get(0) : pages.get(z);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            int planes = d.planarConfig() == 2 ? d.samplesPerPixel() : 1;
            byte[][] plane = new byte[planes][];
            if (contiguous) {
                plane[0] = new byte[(int) d.planeBytes()];
                readFully(ch, plane[0], firstOffset + z * d.planeBytes(), "slice " + (z + 1));
            } else {
                for (int p = 0; p < planes; p++) {
                    plane[p] = readPlane(ch, d, p);
                }
            }
            return toFloat(d, plane);
        }
    }

    private byte[] readPlane(FileChannel ch, TiffDirectory d, int p) throws IOException {
        long planeBytes = d.planeBytes();
        if (planeBytes > Integer.MAX_VALUE - 8) {
            throw new DataException(path + ": page " + d.page() + " is too large to read (" + planeBytes + " bytes)");
        }
        byte[] out = new byte[(int) planeBytes];
        int per = d.stripsPerPlane();
        long rowBytes = d.rowBytes();
        int pos = 0;
        for (int s = p * per; s < (p + 1) * per; s++) {
            int need = (int) (d.rowsInStrip(s) * rowBytes);
            int maxExtra = (int) ((d.rowsPerStrip() - d.rowsInStrip(s)) * rowBytes); // a last strip stored with all its rows
            long count = d.stripByteCounts()[s];
            String where = "page " + d.page() + ", strip " + (s + 1);
            if (d.compression() == TiffDirectory.NONE) {
                if (count != need && count != need + maxExtra) {
                    throw new DataException(path + ": corrupt TIFF: " + where + " holds " + count + " bytes, but "
                            + d.rowsInStrip(s) + " rows of " + d.width() + " pixels need " + need);
                }
                byte[] strip = new byte[need];
                readFully(ch, strip, d.stripOffsets()[s], where);
                if (d.fillOrder() == 2) {
                    TiffCodecs.reverseBits(strip);
                }
                System.arraycopy(strip, 0, out, pos, need);
            } else {
                if (count > Integer.MAX_VALUE - 8) {
                    throw new DataException(path + ": corrupt TIFF: " + where + " has " + count + " bytes");
                }
                byte[] in = new byte[(int) count];
                readFully(ch, in, d.stripOffsets()[s], where);
                if (d.fillOrder() == 2) {
                    TiffCodecs.reverseBits(in);
                }
                byte[] strip = new byte[need];
                try {
                    TiffCodecs.decode(d.compression(), in, strip, maxExtra);
                } catch (TiffCodecs.CorruptStripException e) {
                    throw new DataException(path + ": corrupt TIFF: " + where + ": " + e.getMessage());
                }
                System.arraycopy(strip, 0, out, pos, need);
            }
            pos += need;
        }
        if (d.predictor() == 2) {
            int spp = d.planarConfig() == 2 ? 1 : d.samplesPerPixel();
            TiffCodecs.undoHorizontalDifferencing(out, d.height(), d.width(), spp, d.bitsPerSample() / 8, order);
        }
        return out;
    }

    private void readFully(FileChannel ch, byte[] dst, long at, String where) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(dst);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new DataException(path + ": truncated TIFF: " + where + " needs bytes " + at + ".." + (at + dst.length)
                        + ", but the file ends at " + ch.size());
            }
        }
    }

    private float[] toFloat(TiffDirectory d, byte[][] plane) {
        int n = info.sliceSize();
        int w = d.width();
        float[] out = new float[n];
        byte[] b = plane[0];
        ByteBuffer bb = ByteBuffer.wrap(b).order(order);
        int spp = d.samplesPerPixel();
        switch (sample) {
            case BIT -> {
                int rowBytes = (w + 7) / 8;
                for (int y = 0; y < d.height(); y++) {
                    for (int x = 0; x < w; x++) {
                        out[y * w + x] = (b[y * rowBytes + (x >> 3)] & (0x80 >> (x & 7))) != 0 ? 255 : 0;
                    }
                }
            }
            case U8 -> {
                if (spp == 1) {
                    for (int i = 0; i < n; i++) {
                        out[i] = b[i] & 0xff;
                    }
                } else {
                    grey(plane, spp, d.planarConfig() == 2, out);
                }
            }
            case S8 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b[i];
                }
            }
            case U16 -> {
                var s = bb.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = s.get(i) & 0xffff;
                }
            }
            case S16 -> {
                var s = bb.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = s.get(i);
                }
            }
            case U32 -> {
                var s = bb.asIntBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = s.get(i) & 0xffffffffL;
                }
            }
            case S32 -> {
                var s = bb.asIntBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = s.get(i);
                }
            }
            case F32 -> bb.asFloatBuffer().get(out);
            case F64 -> {
                var s = bb.asDoubleBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = (float) s.get(i);
                }
            }
        }
        return out;
    }

    /** Grey stored as 8-bit RGB (or grey + alpha): the first sample, when all colour samples agree. */
    private void grey(byte[][] plane, int spp, boolean planar, float[] out) {
        int n = out.length;
        int colours = spp >= 3 ? 3 : 1;
        for (int i = 0; i < n; i++) {
            int r = planar ? plane[0][i] & 0xff : plane[0][i * spp] & 0xff;
            for (int c = 1; c < colours; c++) {
                int v = planar ? plane[c][i] & 0xff : plane[0][i * spp + c] & 0xff;
                if (v != r) {
                    throw new DataException(path + ": is an RGB colour image; poreseg needs greyscale (convert it in Fiji: "
                            + "Image > Type > 8-bit)");
                }
            }
            out[i] = r;
        }
    }
}
