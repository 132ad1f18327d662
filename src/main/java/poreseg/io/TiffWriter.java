package poreseg.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import poreseg.util.Parallel;
import poreseg.util.ProgressListener;

/**
 * Writes an uncompressed multi-page TIFF (8-bit, 16-bit unsigned or 32-bit float), streaming slice
 * by slice, with the calibration stored the ImageJ way so that Fiji opens it with the right voxel
 * size: XResolution/YResolution = 1/voxel size, and an ImageJ description with images, slices,
 * unit and spacing (z). Layout as ImageJ writes it: header, first IFD with description, all pixel
 * data contiguous, then one IFD per further page. A stack whose file would pass 4 GiB is written as
 * BigTIFF (64-bit offsets, as Fiji's Bio-Formats and tifffile write and read it), with the same
 * layout and ImageJ description.
 * The file is written to a temporary name and renamed, so a crash never leaves half a file.
 */
public final class TiffWriter {
    private static final int TAGS_FIRST = 14;
    private static final int TAGS_OTHER = 13;
    private static final long MAX_OFFSET = 0xFFFFFFFFL;

    /** Files larger than this are written as BigTIFF (tests lower it). */
    static long bigTiffAbove = MAX_OFFSET;

    private TiffWriter() {
    }

    public static void write(Path out, Volume volume) throws IOException {
        write(out, volume.info(), volume, ProgressListener.NONE);
    }

    /** Writes slices 0..depth-1 of {@code source}, computed on all cores, in the type of {@code info}. */
    public static void write(Path out, StackInfo info, SliceSource source, ProgressListener progress) throws IOException {
        OutputFiles.writeAtomically(out, tmp -> writeTo(tmp, info, z -> encode(source.slice(z), info, z), progress));
    }

    /**
     * Writes an 8-bit stack ({@code info}'s type must be {@link PixelType#U8}) from slices given as bytes
     * (e.g. a mask made as bytes: no float copy to round and clamp).
     */
    public static void writeBytes(Path out, StackInfo info, ByteSliceSource source, ProgressListener progress) throws IOException {
        if (info.type() != PixelType.U8) {
            throw new IllegalArgumentException("byte slices make an 8-bit stack, not " + info.type());
        }
        OutputFiles.writeAtomically(out, tmp -> writeTo(tmp, info, z -> {
            byte[] b = source.slice(z);
            if (b.length != info.sliceSize()) {
                throw new IllegalStateException("slice " + z + " has " + b.length + " values, expected " + info.sliceSize());
            }
            return le(ByteBuffer.wrap(b));
        }, progress));
    }

    private static void writeTo(Path file, StackInfo info, poreseg.util.IOIntFunction<ByteBuffer> encoded, ProgressListener progress)
            throws IOException {
        int n = info.depth();
        long sliceBytes = (long) info.sliceSize() * info.type().bytes();
        byte[] description = description(info);
        int descLen = description.length + (description.length & 1);
        long classicEnd = 8 + ifdSize(false, TAGS_FIRST) + descLen + 16 + n * sliceBytes + (n - 1) * ifdSize(false, TAGS_OTHER);
        boolean big = classicEnd > bigTiffAbove;
        long header = big ? 16 : 8;
        long descOffset = header + ifdSize(big, TAGS_FIRST);
        long rationalOffset = descOffset + descLen;
        long dataStart = rationalOffset + 16;
        long dataEnd = dataStart + n * sliceBytes;
        long ifdSize = ifdSize(big, TAGS_OTHER);

        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = le(ByteBuffer.allocate((int) dataStart));
            head.put((byte) 'I').put((byte) 'I');
            if (big) {
                head.putShort((short) 43).putShort((short) 8).putShort((short) 0).putLong(16);
            } else {
                head.putShort((short) 42).putInt(8);
            }
            long next = n > 1 ? dataEnd : 0;
            writeIfd(head, big, info, dataStart, sliceBytes, descOffset, description.length, rationalOffset, next);
            head.put(description);
            if ((description.length & 1) == 1) {
                head.put((byte) 0);
            }
            putRational(head, info.calibration().x());
            putRational(head, info.calibration().y());
            head.flip();
            writeFully(ch, head);

            Parallel.forEachOrdered(n, encoded, buf -> writeFully(ch, buf), progress);

            // further IFDs, in chunks so that a stack of many slices needs no large buffer
            int perChunk = (int) Math.max(1, (1 << 20) / ifdSize);
            for (int z0 = 1; z0 < n; z0 += perChunk) {
                int z1 = Math.min(n, z0 + perChunk);
                ByteBuffer ifds = le(ByteBuffer.allocate((int) ((z1 - z0) * ifdSize)));
                for (int z = z0; z < z1; z++) {
                    long nextIfd = z < n - 1 ? dataEnd + z * ifdSize : 0;
                    writeIfd(ifds, big, info, dataStart + z * sliceBytes, sliceBytes, -1, 0, rationalOffset, nextIfd);
                }
                ifds.flip();
                writeFully(ch, ifds);
            }
        }
    }

    private static long ifdSize(boolean big, int tags) {
        return big ? 8 + tags * 20L + 8 : 2 + tags * 12L + 4;
    }

    private static ByteBuffer encode(float[] s, StackInfo info, int z) {
        if (s.length != info.sliceSize()) {
            throw new IllegalStateException("slice " + z + " has " + s.length + " values, expected " + info.sliceSize());
        }
        PixelType t = info.type();
        if (t == PixelType.U8) { // masks: into an array, not a put per byte (a sixth of segment's Java time)
            byte[] a = new byte[s.length];
            for (int i = 0; i < s.length; i++) {
                a[i] = (byte) (int) t.clamp(s[i]);
            }
            return le(ByteBuffer.wrap(a));
        }
        ByteBuffer b = le(ByteBuffer.allocate(s.length * t.bytes()));
        switch (t) {
            case U16 -> {
                for (float v : s) {
                    b.putShort((short) (int) t.clamp(v));
                }
            }
            case F32 -> b.asFloatBuffer().put(s);
        }
        b.position(0);
        return b;
    }

    private static void writeIfd(ByteBuffer b, boolean big, StackInfo info, long stripOffset, long stripBytes, long descOffset,
            int descLength, long rationalOffset, long nextIfd) {
        boolean first = descOffset >= 0;
        int tags = first ? TAGS_FIRST : TAGS_OTHER;
        if (big) {
            b.putLong(tags);
        } else {
            b.putShort((short) tags);
        }
        int offsetType = big ? 16 : 4;
        entry(b, big, 254, 4, 1, 0);
        entry(b, big, 256, 4, 1, info.width());
        entry(b, big, 257, 4, 1, info.height());
        entry(b, big, 258, 3, 1, info.type().bits());
        entry(b, big, 259, 3, 1, 1);
        entry(b, big, 262, 3, 1, 1);
        if (first) {
            entry(b, big, 270, 2, descLength, descOffset);
        }
        entry(b, big, 273, offsetType, 1, stripOffset);
        entry(b, big, 277, 3, 1, 1);
        entry(b, big, 278, 4, 1, info.height());
        entry(b, big, 279, offsetType, 1, big ? stripBytes : Math.min(stripBytes, MAX_OFFSET));
        if (big) { // a rational fits in a BigTIFF entry: it must be stored there
            rationalEntry(b, 282, info.calibration().x());
            rationalEntry(b, 283, info.calibration().y());
        } else {
            entry(b, false, 282, 5, 1, rationalOffset);
            entry(b, false, 283, 5, 1, rationalOffset + 8);
        }
        entry(b, big, 339, 3, 1, info.type() == PixelType.F32 ? 3 : 1);
        if (big) {
            b.putLong(nextIfd);
        } else {
            b.putInt((int) nextIfd);
        }
    }

    /**
     * One IFD entry (classic TIFF, or BigTIFF with {@code big}): a SHORT (type 3) or LONG (type 4)
     * value of count 1 stored inline, otherwise {@code value} is the offset of the data.
     * For writers of other TIFF layouts (view.LabelTiff).
     */
    public static void entry(ByteBuffer b, boolean big, int tag, int type, long count, long value) {
        b.putShort((short) tag).putShort((short) type);
        if (big) {
            b.putLong(count);
            if (type == 3 && count == 1) {
                b.putShort((short) value).putShort((short) 0).putInt(0);
            } else if (type == 4 && count == 1) {
                b.putInt((int) value).putInt(0);
            } else {
                b.putLong(value);
            }
            return;
        }
        b.putInt((int) count);
        if (type == 3 && count == 1) {
            b.putShort((short) value).putShort((short) 0);
        } else {
            b.putInt((int) value);
        }
    }

    private static void rationalEntry(ByteBuffer b, int tag, double size) {
        b.putShort((short) tag).putShort((short) 5).putLong(1);
        putRational(b, size);
    }

    /** Resolution = 1 / voxel size as an exact rational 1e6 / round(size * 1e6) where it fits. */
    public static void putRational(ByteBuffer b, double size) {
        long num = 1_000_000L;
        long den = Math.round(size * num);
        while (den > MAX_OFFSET) {
            num /= 10;
            den = Math.round(size * num);
        }
        if (num == 0 || den == 0) {
            num = 1;
            den = Math.max(1, Math.round(size));
        }
        b.putInt((int) num).putInt((int) den);
    }

    private static byte[] description(StackInfo info) {
        StringBuilder s = new StringBuilder("ImageJ=1.54f\n");
        if (info.depth() > 1) {
            s.append("images=").append(info.depth()).append('\n');
            s.append("slices=").append(info.depth()).append('\n');
        }
        Calibration c = info.calibration();
        if (!c.unit().equals("pixel")) {
            s.append("unit=").append(c.imageJUnit()).append('\n');
        }
        s.append("spacing=").append(String.format(Locale.ROOT, "%s", c.z())).append('\n');
        s.append("loop=false\n");
        byte[] text = s.toString().getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[text.length + 1];
        System.arraycopy(text, 0, z, 0, text.length);
        return z;
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
