package poreseg.view;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.zip.Deflater;
import poreseg.io.Calibration;
import poreseg.io.OutputFiles;
import poreseg.io.TiffWriter;

/**
 * Writes an 8-bit label stack as a Deflate-compressed multi-page TIFF, one IFD and one strip per
 * page, atomically (temporary file, then rename). Sparse labels are mostly the unlabelled value, so
 * a 2048x2048x1000 label file is a few MB and saves in well under a second, where the uncompressed
 * layout of {@code poreseg.io.TiffWriter} would rewrite 4 GB on every autosave. The ImageJ
 * description carries the unit and z spacing but no {@code images=} entry, so ImageJ (and hence
 * {@code poreseg.io.Volumes}) reads every IFD instead of assuming contiguous data.
 */
public final class LabelTiff {
    private static final long MAX_OFFSET = 0xFFFFFFFFL;

    private LabelTiff() {
    }

    /** Writes {@code depth} pages of width*height bytes; {@code pages.apply(z)} may return the same array for many pages. */
    public static void write(Path out, int width, int height, int depth, Calibration cal, IntFunction<byte[]> pages) throws IOException {
        OutputFiles.writeAtomically(out, tmp -> writeTo(tmp, width, height, depth, cal, pages));
    }

    private static void writeTo(Path file, int width, int height, int depth, Calibration cal, IntFunction<byte[]> pages) throws IOException {
        byte[] desc = description(cal);
        long[] offsets = new long[depth];
        long[] counts = new long[depth];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long pos = writePages(ch, file, width, height, depth, pages, offsets, counts);
            pos += pos & 1;
            long descOffset = pos;
            long rational = descOffset + desc.length + (desc.length & 1);
            long firstIfd = rational + 16;
            int tagsFirst = 13;
            int tagsOther = 12;
            long ifdFirst = 2 + tagsFirst * 12L + 4;
            long ifdOther = 2 + tagsOther * 12L + 4;
            long end = firstIfd + ifdFirst + (depth - 1) * ifdOther;
            if (end > MAX_OFFSET || end - descOffset > Integer.MAX_VALUE) {
                throw new IOException(file + ": labels do not fit in a 4 GiB TIFF");
            }
            ByteBuffer tail = le(ByteBuffer.allocate((int) (end - descOffset)));
            tail.put(desc);
            if ((desc.length & 1) == 1) {
                tail.put((byte) 0);
            }
            putRational(tail, cal.x());
            putRational(tail, cal.y());
            long ifdPos = firstIfd;
            for (int z = 0; z < depth; z++) {
                boolean first = z == 0;
                long next = z == depth - 1 ? 0 : ifdPos + (first ? ifdFirst : ifdOther);
                tail.putShort((short) (first ? tagsFirst : tagsOther));
                entry(tail, 254, 4, 1, 0);
                entry(tail, 256, 4, 1, width);
                entry(tail, 257, 4, 1, height);
                entry(tail, 258, 3, 1, 8);
                entry(tail, 259, 3, 1, 8); // Adobe Deflate
                entry(tail, 262, 3, 1, 1); // black is zero
                if (first) {
                    entry(tail, 270, 2, desc.length, descOffset);
                }
                entry(tail, 273, 4, 1, offsets[z]);
                entry(tail, 277, 3, 1, 1);
                entry(tail, 278, 4, 1, height);
                entry(tail, 279, 4, 1, counts[z]);
                entry(tail, 282, 5, 1, rational);
                entry(tail, 283, 5, 1, rational + 8);
                tail.putInt((int) next);
                ifdPos = next;
            }
            tail.flip();
            ch.position(descOffset);
            writeFully(ch, tail);
            ByteBuffer head = le(ByteBuffer.allocate(8));
            head.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt((int) firstIfd);
            head.flip();
            ch.position(0);
            writeFully(ch, head);
        }
    }

    /** Writes the deflated pages from offset 8 on (a page equal to the one before is compressed once); returns the end. */
    private static long writePages(FileChannel ch, Path file, int width, int height, int depth, IntFunction<byte[]> pages, long[] offsets,
            long[] counts) throws IOException {
        long pos = 8;
        ch.position(pos);
        byte[] lastRaw = null;
        byte[] lastPacked = null;
        Deflater deflater = new Deflater(1);
        try {
            for (int z = 0; z < depth; z++) {
                byte[] raw = pages.apply(z);
                if (raw.length != width * height) {
                    throw new IllegalStateException("label page " + z + " has " + raw.length + " bytes, expected " + width * height);
                }
                byte[] packed = raw == lastRaw ? lastPacked : deflate(deflater, raw);
                lastRaw = raw;
                lastPacked = packed;
                offsets[z] = pos;
                counts[z] = packed.length;
                writeFully(ch, ByteBuffer.wrap(packed));
                pos += packed.length;
                if (pos > MAX_OFFSET) {
                    throw new IOException(file + ": labels do not fit in a 4 GiB TIFF");
                }
            }
        } finally {
            deflater.end();
        }
        return pos;
    }

    private static byte[] deflate(Deflater d, byte[] raw) {
        d.reset();
        d.setInput(raw);
        d.finish();
        byte[] buf = new byte[Math.max(1024, raw.length / 16)];
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (!d.finished()) {
            int n = d.deflate(buf);
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static byte[] description(Calibration c) {
        StringBuilder s = new StringBuilder("ImageJ=1.54f\n");
        if (!c.unit().equals("pixel")) {
            s.append("unit=").append(c.unit().equals("um") ? "micron" : c.unit()).append('\n');
        }
        s.append("spacing=").append(String.format(Locale.ROOT, "%s", c.z())).append('\n');
        byte[] text = s.toString().getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[text.length + 1];
        System.arraycopy(text, 0, z, 0, text.length);
        return z;
    }

    private static void entry(ByteBuffer b, int tag, int type, long count, long value) {
        TiffWriter.entry(b, false, tag, type, count, value);
    }

    private static void putRational(ByteBuffer b, double size) {
        TiffWriter.putRational(b, size);
    }

    private static ByteBuffer le(ByteBuffer b) {
        return b.order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
