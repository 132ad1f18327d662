package poreseg.io;

import static poreseg.io.TiffDirectory.NONE;
import static poreseg.io.TiffDirectory.imageJContiguous;
import static poreseg.io.TiffDirectory.typeSize;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import poreseg.io.TiffDirectory.Layout;
import poreseg.io.TiffDirectory.Region;

/** Parses the header and every IFD of a TIFF file for {@link TiffDirectory#read}, checking every offset and count against the file. */
final class TiffParser {
    private final Path path;
    private final FileChannel ch;
    private final long size;
    private ByteOrder order;
    private boolean big;
    private final List<Region> structure = new ArrayList<>();

    TiffParser(Path path, FileChannel ch) throws IOException {
        this.path = path;
        this.ch = ch;
        this.size = ch.size();
    }

    Layout parse() throws IOException {
        if (size < 8) {
            throw corrupt("file of " + size + " bytes is too short for a TIFF header");
        }
        ByteBuffer h = read(0, 8, "header");
        int b0 = h.get(0);
        int b1 = h.get(1);
        if (b0 == 'I' && b1 == 'I') {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (b0 == 'M' && b1 == 'M') {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            throw corrupt("bad byte-order mark in the header");
        }
        h.order(order);
        int magic = h.getShort(2) & 0xffff;
        long first;
        if (magic == 42) {
            big = false;
            first = h.getInt(4) & 0xffffffffL;
        } else if (magic == 43) {
            big = true;
            ByteBuffer b = read(0, 16, "BigTIFF header").order(order);
            if (b.getShort(4) != 8 || b.getShort(6) != 0) {
                throw corrupt("bad BigTIFF header (offset size " + b.getShort(4) + ")");
            }
            first = b.getLong(8);
        } else {
            throw corrupt("bad magic number " + magic + " in the header (expected 42 or 43)");
        }
        List<TiffDirectory> pages = new ArrayList<>();
        structure.add(new Region(0, big ? 16 : 8, "the header", false));
        Set<Long> seen = new HashSet<>();
        long next = first;
        if (next == 0) {
            throw corrupt("no image directory (first IFD offset is 0)");
        }
        while (next != 0) {
            int page = pages.size() + 1;
            if (next < (big ? 16 : 8) || next >= size || next < 0) {
                throw truncatedOrCorrupt(next, "directory of page " + page + " at byte " + Long.toUnsignedString(next));
            }
            if (!seen.add(next)) {
                throw corrupt("directory of page " + page + " loops back to byte " + next);
            }
            long[] nextOut = new long[1];
            TiffDirectory d = directory(page, next, nextOut);
            pages.add(d);
            next = nextOut[0];
            if (page == 1 && imageJContiguous(d)) {
                skimDirectories(next, seen);
                break; // ImageJ's stacks: the pixel data of all slices follows the first; ImageJ ignores further IFDs
            }
        }
        return new Layout(order, big, pages, structure);
    }

    /**
     * Notes where the further directories of an ImageJ stack lie (ImageJ ignores them, and so do we,
     * but the pixel data must not overlap them); stops quietly at the first one that does not parse.
     */
    private void skimDirectories(long next, Set<Long> seen) throws IOException {
        int countBytes = big ? 8 : 2;
        int entryBytes = big ? 20 : 12;
        int offsetBytes = big ? 8 : 4;
        for (int page = 2; next > 0 && next < size && seen.add(next) && page < 1_000_000; page++) {
            if (next + countBytes > size) {
                return;
            }
            ByteBuffer c = read(next, countBytes, "directory").order(order);
            long n = big ? c.getLong(0) : c.getShort(0) & 0xffff;
            long end = next + countBytes + n * entryBytes + offsetBytes;
            if (n <= 0 || n > 4096 || end > size) {
                return;
            }
            structure.add(new Region(next, end, "the directory of page " + page, false));
            ByteBuffer o = read(end - offsetBytes, offsetBytes, "directory").order(order);
            next = big ? o.getLong(0) : o.getInt(0) & 0xffffffffL;
        }
    }

    private TiffDirectory directory(int page, long at, long[] nextOut) throws IOException {
        int countBytes = big ? 8 : 2;
        int entryBytes = big ? 20 : 12;
        int offsetBytes = big ? 8 : 4;
        String where = "page " + page;
        ByteBuffer c = read(at, countBytes, "directory of " + where).order(order);
        long n = big ? c.getLong(0) : c.getShort(0) & 0xffff;
        if (n <= 0 || n > 4096) {
            throw corrupt(where + ": directory has " + Long.toUnsignedString(n) + " entries");
        }
        ByteBuffer d = read(at + countBytes, n * entryBytes + offsetBytes, "directory of " + where).order(order);
        Fields f = new Fields();
        for (int i = 0; i < n; i++) {
            int p = i * entryBytes;
            int tag = d.getShort(p) & 0xffff;
            int type = d.getShort(p + 2) & 0xffff;
            long count = big ? d.getLong(p + 4) : d.getInt(p + 4) & 0xffffffffL;
            int valueAt = p + (big ? 12 : 8);
            f.entry(where, tag, type, count, d, valueAt);
        }
        structure.add(new Region(at, at + countBytes + n * entryBytes + offsetBytes, "the directory of " + where, false));
        nextOut[0] = big ? d.getLong((int) (n * entryBytes)) : d.getInt((int) (n * entryBytes)) & 0xffffffffL;
        return f.build(page);
    }

    /** Collects the tags of one IFD. */
    private final class Fields {
        int width = -1;
        int height = -1;
        int bits = 1;
        int samples = 1;
        int format = 1;
        int compression = 1;
        int planar = 1;
        int predictor = 1;
        int fillOrder = 1;
        long rowsPerStrip = -1;
        long[] offsets;
        long[] counts;
        boolean tiled;
        String description;
        double xres = 0;
        double yres = 0;
        int resUnit = -1;

        void entry(String where, int tag, int type, long count, ByteBuffer d, int valueAt) throws IOException {
            int typeSize = typeSize(type);
            if (typeSize == 0) {
                throw corrupt(where + ": directory entry for tag " + tag + " has an unknown field type " + type);
            }
            if (count < 0 || count > size) {
                throw corrupt(where + ": tag " + tag + " has an impossible count " + Long.toUnsignedString(count));
            }
            switch (tag) {
                case 256 -> width = positiveInt(where, "image width", single(where, tag, type, count, d, valueAt));
                case 257 -> height = positiveInt(where, "image height", single(where, tag, type, count, d, valueAt));
                case 258 -> bits = (int) first(where, tag, type, count, d, valueAt);
                case 259 -> compression = (int) single(where, tag, type, count, d, valueAt);
                case 266 -> fillOrder = (int) single(where, tag, type, count, d, valueAt);
                case 270 -> description = ascii(where, type, count, d, valueAt);
                case 273 -> offsets = values(where, tag, type, count, d, valueAt);
                case 277 -> samples = (int) single(where, tag, type, count, d, valueAt);
                case 278 -> rowsPerStrip = single(where, tag, type, count, d, valueAt);
                case 279 -> counts = values(where, tag, type, count, d, valueAt);
                case 282 -> xres = rational(where, tag, type, count, d, valueAt);
                case 283 -> yres = rational(where, tag, type, count, d, valueAt);
                case 284 -> planar = (int) single(where, tag, type, count, d, valueAt);
                case 296 -> resUnit = (int) single(where, tag, type, count, d, valueAt);
                case 317 -> predictor = (int) single(where, tag, type, count, d, valueAt);
                case 322, 323, 324, 325 -> tiled = true;
                case 339 -> format = (int) first(where, tag, type, count, d, valueAt);
                default -> {
                    // other tags do not change the pixel values
                }
            }
        }

        TiffDirectory build(int page) {
            String where = "page " + page;
            if (width < 0 || height < 0) {
                throw corrupt(where + ": no image " + (width < 0 ? "width" : "height") + " tag");
            }
            if (tiled) {
                return new TiffDirectory(page, width, height, bits, samples, format, compression, planar, predictor, fillOrder,
                        height, new long[0], new long[0], true, description, xres, yres, resUnit);
            }
            if (offsets == null) {
                throw corrupt(where + ": no strip offsets tag");
            }
            int rps = rowsPerStrip <= 0 || rowsPerStrip > height ? height : (int) rowsPerStrip;
            int planes = planar == 2 ? samples : 1;
            long strips = (long) ((height + (long) rps - 1) / rps) * planes;
            if (offsets.length != strips) {
                throw corrupt(where + ": " + offsets.length + " strip offsets for " + strips + " strips");
            }
            if (counts == null) {
                if (compression != NONE || strips != 1) {
                    throw corrupt(where + ": no strip byte counts tag");
                }
                long rowBits = (long) width * (planar == 2 ? 1 : samples) * bits;
                counts = new long[] {(rowBits + 7) / 8 * height};
            }
            if (counts.length != strips) {
                throw corrupt(where + ": " + counts.length + " strip byte counts for " + strips + " strips");
            }
            for (int s = 0; s < strips; s++) {
                long end = offsets[s] + counts[s];
                if (offsets[s] < 0 || counts[s] < 0 || end > size || end < 0) {
                    throw new DataException(path + ": truncated TIFF: " + where + ", strip " + (s + 1) + " of " + strips
                            + " needs bytes " + Long.toUnsignedString(offsets[s]) + ".." + Long.toUnsignedString(end)
                            + ", but the file ends at " + size);
                }
            }
            return new TiffDirectory(page, width, height, bits, samples, format, compression, planar, predictor, fillOrder,
                    rps, offsets, counts, false, description, xres, yres, resUnit);
        }
    }

    private long single(String where, int tag, int type, long count, ByteBuffer d, int valueAt) throws IOException {
        if (count != 1) {
            throw corrupt(where + ": tag " + tag + " has " + count + " values, expected 1");
        }
        return first(where, tag, type, count, d, valueAt);
    }

    private long first(String where, int tag, int type, long count, ByteBuffer d, int valueAt) throws IOException {
        if (count < 1) {
            throw corrupt(where + ": tag " + tag + " has no value");
        }
        long[] v = values(where, tag, type, count, d, valueAt);
        for (long x : v) {
            if (x != v[0]) {
                throw corrupt(where + ": tag " + tag + " has different values per sample");
            }
        }
        return v[0];
    }

    private long[] values(String where, int tag, int type, long count, ByteBuffer d, int valueAt) throws IOException {
        if (type != 1 && type != 3 && type != 4 && type != 16 && type != 13 && type != 18) {
            throw corrupt(where + ": tag " + tag + " has field type " + type + ", expected an unsigned integer");
        }
        if (count == 0 || count > 10_000_000) {
            throw corrupt(where + ": tag " + tag + " has " + count + " values");
        }
        ByteBuffer b = data(where, tag, typeSize(type), count, d, valueAt);
        long[] out = new long[(int) count];
        for (int i = 0; i < count; i++) {
            out[i] = switch (type) {
                case 1 -> b.get() & 0xffL;
                case 3 -> b.getShort() & 0xffffL;
                case 4, 13 -> b.getInt() & 0xffffffffL;
                default -> b.getLong();
            };
        }
        return out;
    }

    private double rational(String where, int tag, int type, long count, ByteBuffer d, int valueAt) throws IOException {
        if (type != 5 || count < 1) {
            return 0; // not a rational: ignored, as ImageJ does
        }
        ByteBuffer b = data(where, tag, 8, 1, d, valueAt);
        long num = b.getInt() & 0xffffffffL;
        long den = b.getInt() & 0xffffffffL;
        return num == 0 || den == 0 ? 0 : (double) num / den;
    }

    private String ascii(String where, int type, long count, ByteBuffer d, int valueAt) throws IOException {
        if (type != 2 && type != 1 && type != 7) {
            return null;
        }
        if (count > 1 << 24) {
            throw corrupt(where + ": image description of " + count + " bytes");
        }
        ByteBuffer b = data(where, 270, 1, count, d, valueAt);
        byte[] s = new byte[(int) count];
        b.get(s);
        int n = 0;
        while (n < s.length && s[n] != 0) {
            n++;
        }
        return new String(s, 0, n, StandardCharsets.UTF_8);
    }

    /** The value bytes of an entry: inline when they fit, else at the offset it holds. */
    private ByteBuffer data(String where, int tag, int typeSize, long count, ByteBuffer d, int valueAt) throws IOException {
        long bytes = typeSize * count;
        int inline = big ? 8 : 4;
        if (bytes <= inline) {
            ByteBuffer b = d.duplicate().order(order);
            b.position(valueAt);
            return b.slice().order(order);
        }
        long off = big ? d.getLong(valueAt) : d.getInt(valueAt) & 0xffffffffL;
        if (off < 0 || off + bytes > size) {
            throw truncatedOrCorrupt(size, where + ": values of tag " + tag + " (" + bytes + " bytes at byte "
                    + Long.toUnsignedString(off) + ")");
        }
        structure.add(new Region(off, off + bytes, "the values of tag " + tag + " (" + where + ")", false));
        return read(off, bytes, where + ": values of tag " + tag).order(order);
    }

    private int positiveInt(String where, String what, long v) {
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw corrupt(where + ": " + what + " is " + v);
        }
        return (int) v;
    }

    private ByteBuffer read(long at, long n, String what) throws IOException {
        if (at < 0 || n < 0 || at + n > size) {
            throw new DataException(path + ": truncated TIFF: the " + what + " needs bytes " + Long.toUnsignedString(at) + ".."
                    + Long.toUnsignedString(at + n) + ", but the file ends at " + size);
        }
        ByteBuffer b = ByteBuffer.allocate((int) n);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new EOFException(path + ": truncated TIFF while reading the " + what);
            }
        }
        b.flip();
        return b;
    }

    private DataException truncatedOrCorrupt(long offset, String what) {
        if (offset >= size || offset < 0) {
            return new DataException(path + ": truncated or corrupt TIFF: the " + what + " lies beyond the end of the file ("
                    + size + " bytes)");
        }
        return corrupt(what + " is invalid");
    }

    private DataException corrupt(String what) {
        return new DataException(path + ": corrupt TIFF: " + what);
    }
}
