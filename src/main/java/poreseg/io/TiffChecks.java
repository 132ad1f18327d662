package poreseg.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The checks of {@link TiffVolume#open} on a TIFF's directories before any pixel is read: the
 * supported sample layouts and compressions, and pixel data that overlaps nothing else. Each failure
 * is a {@link DataException} naming the file, the page and what is wrong.
 */
final class TiffChecks {
    private static final Map<Integer, String> COMPRESSION_NAMES = Map.ofEntries(
            Map.entry(2, "CCITT modified Huffman"), Map.entry(3, "CCITT Group 3 fax"), Map.entry(4, "CCITT Group 4 fax"),
            Map.entry(6, "old-style JPEG"), Map.entry(7, "JPEG"), Map.entry(34712, "JPEG 2000"), Map.entry(33003, "JPEG 2000"),
            Map.entry(33005, "JPEG 2000"), Map.entry(34892, "lossy JPEG"), Map.entry(34925, "LZMA"), Map.entry(50000, "Zstandard"),
            Map.entry(50001, "WebP"), Map.entry(50002, "JPEG XL"), Map.entry(32809, "ThunderScan"), Map.entry(32908, "Pixar"),
            Map.entry(34676, "SGI LogLuv"), Map.entry(34677, "SGI LogLuv"));

    private TiffChecks() {
    }

    /** The sample layout of a page, or a message naming what is not supported. */
    static TiffSample check(Path path, TiffDirectory d) {
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
        TiffSample s = switch (bits) {
            case 1 -> fmt == 1 || fmt == 4 ? TiffSample.BIT : null;
            case 8 -> fmt == 1 || fmt == 4 ? TiffSample.U8 : fmt == 2 ? TiffSample.S8 : null;
            case 16 -> fmt == 1 || fmt == 4 ? TiffSample.U16 : fmt == 2 ? TiffSample.S16 : null;
            case 32 -> fmt == 3 ? TiffSample.F32 : fmt == 2 ? TiffSample.S32 : TiffSample.U32;
            case 64 -> fmt == 3 ? TiffSample.F64 : null;
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
    static void checkOverlaps(Path path, List<TiffDirectory.Region> structure, List<TiffDirectory> pages,
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

    static boolean stripsContiguous(TiffDirectory d) {
        long[] off = d.stripOffsets();
        for (int s = 1; s < off.length; s++) {
            if (off[s] != off[s - 1] + d.rowsInStrip(s - 1) * d.rowBytes()) {
                return false;
            }
        }
        return true;
    }
}
