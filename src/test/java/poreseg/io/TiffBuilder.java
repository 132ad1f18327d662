package poreseg.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.Deflater;

/**
 * Writes small TIFF files of every layout the reader handles, for tests: classic or BigTIFF, either
 * byte order, 1/8/16/32-bit (integer or float), uncompressed, LZW, Deflate or PackBits, with or without
 * the horizontal predictor, several strips per page, one IFD per page or ImageJ's contiguous stack.
 * The encoders follow libtiff; the reader's tests check them against ImageJ's decoder.
 */
final class TiffBuilder {
    ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    boolean bigTiff;
    int compression = 1;
    int predictor = 1;
    int rowsPerStrip = 0;
    int bits = 8;
    int sampleFormat = 1;
    int samples = 1;
    String description;
    boolean imageJContiguous;
    long[] resolution = {1, 1};

    /** Where the builder put things in the last file, for targeted damage. */
    final List<int[]> ifdRanges = new ArrayList<>();
    final List<int[]> stripRanges = new ArrayList<>();
    int headerEnd;

    TiffBuilder order(ByteOrder o) {
        order = o;
        return this;
    }

    TiffBuilder big(boolean b) {
        bigTiff = b;
        return this;
    }

    TiffBuilder compression(int c) {
        compression = c;
        return this;
    }

    TiffBuilder predictor(int p) {
        predictor = p;
        return this;
    }

    TiffBuilder rowsPerStrip(int r) {
        rowsPerStrip = r;
        return this;
    }

    TiffBuilder bits(int b, int format) {
        bits = b;
        sampleFormat = format;
        return this;
    }

    TiffBuilder samples(int s) {
        samples = s;
        return this;
    }

    TiffBuilder imageJ(String desc, boolean contiguous) {
        description = desc;
        imageJContiguous = contiguous;
        return this;
    }

    /** Raw sample bytes of one page (rows padded to whole bytes for 1-bit) in this file's byte order. */
    byte[] raw(int w, int h, float[] px) {
        if (bits == 1) {
            int rowBytes = (w + 7) / 8;
            byte[] b = new byte[rowBytes * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (px[y * w + x] != 0) {
                        b[y * rowBytes + x / 8] |= (byte) (0x80 >> (x % 8));
                    }
                }
            }
            return b;
        }
        ByteBuffer b = ByteBuffer.allocate(w * h * samples * bits / 8).order(order);
        for (float v : px) {
            for (int s = 0; s < samples; s++) {
                switch (bits) {
                    case 8 -> b.put((byte) (int) v);
                    case 16 -> b.putShort((short) (int) v);
                    case 32 -> {
                        if (sampleFormat == 3) {
                            b.putFloat(v);
                        } else {
                            b.putInt((int) v);
                        }
                    }
                    default -> b.putDouble(v);
                }
            }
        }
        return b.array();
    }

    byte[] build(int w, int h, List<float[]> pages) {
        ifdRanges.clear();
        stripRanges.clear();
        Out out = new Out();
        headerEnd = bigTiff ? 16 : 8;
        out.pos(headerEnd);
        int rps = rowsPerStrip <= 0 ? h : rowsPerStrip;
        int rowBytes = (w * samples * bits + 7) / 8;
        List<long[]> offsets = new ArrayList<>();
        List<long[]> counts = new ArrayList<>();
        for (float[] px : pages) {
            byte[] raw = raw(w, h, px);
            int strips = (h + rps - 1) / rps;
            long[] off = new long[strips];
            long[] cnt = new long[strips];
            for (int s = 0; s < strips; s++) {
                int rows = Math.min(rps, h - s * rps);
                byte[] strip = java.util.Arrays.copyOfRange(raw, s * rps * rowBytes, (s * rps + rows) * rowBytes);
                if (predictor == 2) {
                    difference(strip, rows, w);
                }
                byte[] enc = encode(strip);
                off[s] = out.size();
                cnt[s] = enc.length;
                stripRanges.add(new int[] {out.size(), out.size() + enc.length});
                out.bytes(enc);
                if ((out.size() & 1) == 1) {
                    out.bytes(new byte[1]);
                }
            }
            offsets.add(off);
            counts.add(cnt);
        }
        int ifds = imageJContiguous ? 1 : pages.size();
        long firstIfd = out.size();
        for (int p = 0; p < ifds; p++) {
            long at = out.size();
            int[] range = new int[2];
            range[0] = (int) at;
            Map<Integer, long[]> tags = new TreeMap<>();
            Map<Integer, Integer> types = new HashMap<>();
            tag(tags, types, 254, 4, 0);
            tag(tags, types, 256, 4, w);
            tag(tags, types, 257, 4, h);
            tags.put(258, samples == 1 ? new long[] {bits} : repeat(bits, samples));
            types.put(258, 3);
            tag(tags, types, 259, 3, compression);
            tag(tags, types, 262, 3, samples >= 3 ? 2 : 1);
            tags.put(273, offsets.get(p));
            types.put(273, bigTiff ? 16 : 4);
            tag(tags, types, 277, 3, samples);
            tag(tags, types, 278, 4, rps);
            tags.put(279, counts.get(p));
            types.put(279, bigTiff ? 16 : 4);
            tags.put(282, new long[] {resolution[0], 1});
            types.put(282, 5);
            tags.put(283, new long[] {resolution[1], 1});
            types.put(283, 5);
            if (predictor != 1) {
                tag(tags, types, 317, 3, predictor);
            }
            tags.put(339, samples == 1 ? new long[] {sampleFormat} : repeat(sampleFormat, samples));
            types.put(339, 3);
            byte[] desc = p == 0 && description != null ? (description + "\0").getBytes(StandardCharsets.US_ASCII) : null;
            range[1] = writeIfd(out, tags, types, desc, p == ifds - 1);
            ifdRanges.add(range);
        }
        byte[] file = out.toByteArray();
        ByteBuffer hb = ByteBuffer.wrap(file).order(order);
        hb.put(0, (byte) (order == ByteOrder.LITTLE_ENDIAN ? 'I' : 'M'));
        hb.put(1, (byte) (order == ByteOrder.LITTLE_ENDIAN ? 'I' : 'M'));
        if (bigTiff) {
            hb.putShort(2, (short) 43).putShort(4, (short) 8).putShort(6, (short) 0).putLong(8, firstIfd);
        } else {
            hb.putShort(2, (short) 42).putInt(4, (int) firstIfd);
        }
        return file;
    }

    private static long[] repeat(long v, int n) {
        long[] a = new long[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static void tag(Map<Integer, long[]> tags, Map<Integer, Integer> types, int tag, int type, long v) {
        tags.put(tag, new long[] {v});
        types.put(tag, type);
    }

    /** Writes an IFD at the end of {@code out} (values that do not fit after it); returns the end of its entries. */
    private int writeIfd(Out out, Map<Integer, long[]> tags, Map<Integer, Integer> types, byte[] desc, boolean last) {
        int n = tags.size() + (desc != null ? 1 : 0);
        int entry = bigTiff ? 20 : 12;
        int inline = bigTiff ? 8 : 4;
        long start = out.size();
        long extra = start + (bigTiff ? 8 : 2) + (long) n * entry + (bigTiff ? 8 : 4);
        ByteBuffer ifd = ByteBuffer.allocate((int) (extra - start)).order(order);
        ByteArrayOutputStream values = new ByteArrayOutputStream();
        if (bigTiff) {
            ifd.putLong(n);
        } else {
            ifd.putShort((short) n);
        }
        TreeMap<Integer, Object> all = new TreeMap<>(tags);
        if (desc != null) {
            all.put(270, desc);
        }
        for (var e : all.entrySet()) {
            int tag = e.getKey();
            byte[] data;
            int type;
            long count;
            if (e.getValue() instanceof byte[] d) {
                data = d;
                type = 2;
                count = d.length;
            } else {
                long[] v = (long[]) e.getValue();
                type = types.get(tag);
                int size = TiffDirectory.typeSize(type);
                count = type == 5 ? v.length / 2 : v.length;
                ByteBuffer b = ByteBuffer.allocate(v.length * (type == 5 ? 4 : size)).order(order);
                for (long x : v) {
                    switch (type) {
                        case 3 -> b.putShort((short) x);
                        case 4, 5 -> b.putInt((int) x);
                        default -> b.putLong(x);
                    }
                }
                data = b.array();
            }
            ifd.putShort((short) tag).putShort((short) type);
            if (bigTiff) {
                ifd.putLong(count);
            } else {
                ifd.putInt((int) count);
            }
            if (data.length <= inline) {
                byte[] pad = java.util.Arrays.copyOf(data, inline);
                ifd.put(pad);
            } else {
                long off = extra + values.size();
                if (bigTiff) {
                    ifd.putLong(off);
                } else {
                    ifd.putInt((int) off);
                }
                values.writeBytes(data);
                if ((values.size() & 1) == 1) {
                    values.write(0);
                }
            }
        }
        long next = last ? 0 : extra + values.size();
        if (bigTiff) {
            ifd.putLong(next);
        } else {
            ifd.putInt((int) next);
        }
        out.bytes(ifd.array());
        out.bytes(values.toByteArray());
        return (int) extra;
    }

    private void difference(byte[] b, int rows, int w) {
        int bps = bits / 8;
        int rowBytes = w * samples * bps;
        ByteBuffer bb = ByteBuffer.wrap(b).order(order);
        for (int r = 0; r < rows; r++) {
            for (int i = w * samples - 1; i >= samples; i--) {
                int p = r * rowBytes + i * bps;
                int q = p - samples * bps;
                switch (bps) {
                    case 1 -> b[p] = (byte) (b[p] - b[q]);
                    case 2 -> bb.putShort(p, (short) (bb.getShort(p) - bb.getShort(q)));
                    default -> bb.putInt(p, bb.getInt(p) - bb.getInt(q));
                }
            }
        }
    }

    private byte[] encode(byte[] raw) {
        return switch (compression) {
            case 1 -> raw;
            case 8, 32946 -> deflate(raw);
            case 5 -> lzw(raw);
            case 32773 -> packBits(raw);
            default -> raw; // e.g. JPEG (7): the reader must refuse it before decoding
        };
    }

    static byte[] deflate(byte[] raw) {
        Deflater d = new Deflater();
        d.setInput(raw);
        d.finish();
        byte[] buf = new byte[raw.length * 2 + 64];
        int n = d.deflate(buf);
        d.end();
        return java.util.Arrays.copyOf(buf, n);
    }

    static byte[] packBits(byte[] raw) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int i = 0;
        while (i < raw.length) {
            int run = 1;
            while (i + run < raw.length && run < 128 && raw[i + run] == raw[i]) {
                run++;
            }
            if (run >= 3) {
                o.write(1 - run);
                o.write(raw[i]);
                i += run;
            } else {
                int start = i;
                int len = 0;
                while (i < raw.length && len < 128) {
                    if (i + 2 < raw.length && raw[i] == raw[i + 1] && raw[i] == raw[i + 2]) {
                        break;
                    }
                    i++;
                    len++;
                }
                o.write(len - 1);
                o.write(raw, start, len);
            }
        }
        return o.toByteArray();
    }

    /** TIFF LZW as libtiff writes it (MSB first, early change, clear at 4094 entries). */
    static byte[] lzw(byte[] raw) {
        BitWriter out = new BitWriter();
        Map<Integer, Integer> dict = new HashMap<>();
        int width = 9;
        int next = 258;
        out.put(256, width);
        if (raw.length == 0) {
            out.put(257, width);
            return out.bytes();
        }
        int w = raw[0] & 0xff;
        for (int i = 1; i < raw.length; i++) {
            int c = raw[i] & 0xff;
            int key = (w << 8) | c;
            Integer code = dict.get(key);
            if (code != null) {
                w = code;
                continue;
            }
            out.put(w, width);
            dict.put(key, next++);
            w = c;
            if (next == 4094) {
                out.put(256, width);
                dict.clear();
                next = 258;
                width = 9;
            } else if (next > (1 << width) - 1) {
                width++;
            }
        }
        out.put(w, width);
        next++;
        if (next != 4094 && next > (1 << width) - 1) {
            width++;
        }
        out.put(257, width);
        return out.bytes();
    }

    private static final class BitWriter {
        private final ByteArrayOutputStream o = new ByteArrayOutputStream();
        private long acc;
        private int n;

        void put(int code, int width) {
            acc = (acc << width) | code;
            n += width;
            while (n >= 8) {
                o.write((int) (acc >>> (n - 8)) & 0xff);
                n -= 8;
            }
        }

        byte[] bytes() {
            if (n > 0) {
                o.write((int) (acc << (8 - n)) & 0xff);
                n = 0;
            }
            return o.toByteArray();
        }
    }

    /** A growable byte array with a settable write position at its end. */
    private static final class Out {
        private final ByteArrayOutputStream o = new ByteArrayOutputStream();

        void pos(int p) {
            while (o.size() < p) {
                o.write(0);
            }
        }

        int size() {
            return o.size();
        }

        void bytes(byte[] b) {
            o.writeBytes(b);
        }

        byte[] toByteArray() {
            return o.toByteArray();
        }
    }
}
