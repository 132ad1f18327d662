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
 * data contiguous, then one IFD per further page. Over 4 GiB only the first IFD is written (ImageJ's
 * convention for large stacks; Fiji and tifffile read it, some other readers see one page).
 * The file is written to a temporary name and renamed, so a crash never leaves half a file.
 */
public final class TiffWriter {
    private static final int TAGS_FIRST = 14;
    private static final int TAGS_OTHER = 13;
    private static final long MAX_OFFSET = 0xFFFFFFFFL;

    private TiffWriter() {
    }

    public static void write(Path out, Volume volume) throws IOException {
        write(out, volume.info(), volume, ProgressListener.NONE);
    }

    /** Writes slices 0..depth-1 of {@code source}, computed on all cores, in the type of {@code info}. */
    public static void write(Path out, StackInfo info, SliceSource source, ProgressListener progress) throws IOException {
        OutputFiles.writeAtomically(out, tmp -> writeTo(tmp, info, source, progress));
    }

    private static void writeTo(Path file, StackInfo info, SliceSource source, ProgressListener progress) throws IOException {
        int n = info.depth();
        long sliceBytes = (long) info.sliceSize() * info.type().bytes();
        byte[] description = description(info);
        int descLen = description.length + (description.length & 1);
        int ifd0Size = 2 + TAGS_FIRST * 12 + 4;
        long descOffset = 8 + ifd0Size;
        long rationalOffset = descOffset + descLen;
        long dataStart = rationalOffset + 16;
        long dataEnd = dataStart + n * sliceBytes;
        boolean allIfds = n > 1 && dataEnd + (long) (n - 1) * (2 + TAGS_OTHER * 12 + 4) <= MAX_OFFSET;
        long ifdSize = 2 + TAGS_OTHER * 12 + 4;

        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = le(ByteBuffer.allocate((int) dataStart));
            head.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
            long next = allIfds ? dataEnd : 0;
            writeIfd(head, info, dataStart, sliceBytes, descOffset, description.length, rationalOffset, next);
            head.put(description);
            if ((description.length & 1) == 1) {
                head.put((byte) 0);
            }
            putRational(head, info.calibration().x());
            putRational(head, info.calibration().y());
            head.flip();
            writeFully(ch, head);

            Parallel.forEachOrdered(n, z -> encode(source.slice(z), info, z), buf -> writeFully(ch, buf), progress);

            if (allIfds) {
                ByteBuffer ifds = le(ByteBuffer.allocate((int) ((n - 1) * ifdSize)));
                for (int z = 1; z < n; z++) {
                    long nextIfd = z < n - 1 ? dataEnd + z * ifdSize : 0;
                    writeIfd(ifds, info, dataStart + z * sliceBytes, sliceBytes, -1, 0, rationalOffset, nextIfd);
                }
                ifds.flip();
                writeFully(ch, ifds);
            }
        }
    }

    private static ByteBuffer encode(float[] s, StackInfo info, int z) {
        if (s.length != info.sliceSize()) {
            throw new IllegalStateException("slice " + z + " has " + s.length + " values, expected " + info.sliceSize());
        }
        PixelType t = info.type();
        ByteBuffer b = le(ByteBuffer.allocate(s.length * t.bytes()));
        switch (t) {
            case U8 -> {
                for (float v : s) {
                    b.put((byte) (int) t.clamp(v));
                }
            }
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

    private static void writeIfd(ByteBuffer b, StackInfo info, long stripOffset, long stripBytes, long descOffset, int descLength,
            long rationalOffset, long nextIfd) {
        boolean first = descOffset >= 0;
        b.putShort((short) (first ? TAGS_FIRST : TAGS_OTHER));
        entry(b, 254, 4, 1, 0);
        entry(b, 256, 4, 1, info.width());
        entry(b, 257, 4, 1, info.height());
        entry(b, 258, 3, 1, info.type().bits());
        entry(b, 259, 3, 1, 1);
        entry(b, 262, 3, 1, 1);
        if (first) {
            entry(b, 270, 2, descLength, descOffset);
        }
        entry(b, 273, 4, 1, stripOffset);
        entry(b, 277, 3, 1, 1);
        entry(b, 278, 4, 1, info.height());
        entry(b, 279, 4, 1, Math.min(stripBytes, MAX_OFFSET));
        entry(b, 282, 5, 1, rationalOffset);
        entry(b, 283, 5, 1, rationalOffset + 8);
        entry(b, 339, 3, 1, info.type() == PixelType.F32 ? 3 : 1);
        b.putInt((int) nextIfd);
    }

    private static void entry(ByteBuffer b, int tag, int type, long count, long value) {
        b.putShort((short) tag).putShort((short) type).putInt((int) count);
        if (type == 3 && count == 1) {
            b.putShort((short) value).putShort((short) 0);
        } else {
            b.putInt((int) value);
        }
    }

    /** Resolution = 1 / voxel size as an exact rational 1e6 / round(size * 1e6) where it fits. */
    private static void putRational(ByteBuffer b, double size) {
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
