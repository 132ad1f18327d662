package poreseg.io;

import java.nio.ByteOrder;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import poreseg.util.ParameterException;

/**
 * Strict decoders for the TIFF strip compressions poreseg reads (LZW, Deflate, PackBits) and the
 * horizontal-differencing predictor. Each fills exactly {@code out.length} bytes or throws a
 * {@link CorruptStripException} saying what is wrong: data that ends early or does not decode is
 * never passed on as zeros.
 */
final class TiffCodecs {
    private TiffCodecs() {
    }

    /** A strip that cannot be decoded in full; the caller adds the file, page and strip. */
    static final class CorruptStripException extends Exception {
        CorruptStripException(String message) {
            super(message);
        }
    }

    /**
     * Decodes one strip into {@code out}. The data may decode to at most {@code maxExtra} bytes more
     * (a last strip stored with all its rows); more means the directory does not describe this data.
     */
    static void decode(int compression, byte[] in, byte[] out, int maxExtra) throws CorruptStripException {
        long extra = switch (compression) {
            case TiffDirectory.DEFLATE, TiffDirectory.ADOBE_DEFLATE -> inflate(in, out);
            case TiffDirectory.LZW -> lzw(in, out);
            case TiffDirectory.PACKBITS -> packBits(in, out);
            default -> throw new ParameterException("compression " + compression);
        };
        if (extra > maxExtra) {
            throw new CorruptStripException("the data decodes to " + (out.length + extra) + " bytes, but the strip holds "
                    + out.length + " (wrong image size, bit depth or compression in the directory)");
        }
    }

    /** Returns the number of bytes the data decodes to beyond {@code out}. */
    static long inflate(byte[] in, byte[] out) throws CorruptStripException {
        Inflater inf = new Inflater();
        try {
            inf.setInput(in);
            int n = 0;
            while (n < out.length) {
                int k = inf.inflate(out, n, out.length - n);
                n += k;
                if (k == 0 && n < out.length) {
                    if (inf.finished() || inf.needsInput()) {
                        throw new CorruptStripException("Deflate data ends early: " + n + " of " + out.length + " bytes");
                    }
                    if (inf.needsDictionary()) {
                        throw new CorruptStripException("Deflate data needs a preset dictionary");
                    }
                }
            }
            // all pixels are there; drive the stream to its end so that its checksum is checked
            byte[] rest = new byte[256];
            long extra = 0;
            while (!inf.finished()) {
                int k = inf.inflate(rest);
                extra += k;
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw new CorruptStripException("Deflate data ends before its checksum");
                }
            }
            return extra;
        } catch (DataFormatException e) {
            throw new CorruptStripException("corrupt Deflate data (" + e.getMessage() + ")");
        } finally {
            inf.end();
        }
    }

    static long packBits(byte[] in, byte[] out) throws CorruptStripException {
        int i = 0;
        int o = 0;
        while (o < out.length) {
            if (i >= in.length) {
                throw new CorruptStripException("PackBits data ends early: " + o + " of " + out.length + " bytes");
            }
            int n = in[i++];
            if (n >= 0) {
                int len = n + 1;
                if (i + len > in.length) {
                    throw new CorruptStripException("PackBits data ends early: " + o + " of " + out.length + " bytes");
                }
                if (o + len > out.length) {
                    throw new CorruptStripException("PackBits run overflows the strip");
                }
                System.arraycopy(in, i, out, o, len);
                i += len;
                o += len;
            } else if (n != -128) {
                int len = 1 - n;
                if (i >= in.length) {
                    throw new CorruptStripException("PackBits data ends early: " + o + " of " + out.length + " bytes");
                }
                if (o + len > out.length) {
                    throw new CorruptStripException("PackBits run overflows the strip");
                }
                byte b = in[i++];
                for (int k = 0; k < len; k++) {
                    out[o++] = b;
                }
            }
        }
        long extra = 0; // what the rest of the data would decode to
        while (i < in.length) {
            int n = in[i++];
            if (n >= 0) {
                extra += n + 1;
                i += n + 1;
            } else if (n != -128) {
                extra += 1 - n;
                i++;
            }
        }
        return extra;
    }

    /** TIFF LZW (MSB first, early change), as in the TIFF 6.0 specification. */
    static long lzw(byte[] in, byte[] out) throws CorruptStripException {
        final int clear = 256;
        final int eoi = 257;
        int[] prefix = new int[4096];
        byte[] suffix = new byte[4096];
        byte[] firstByte = new byte[4096];
        int[] length = new int[4096];
        for (int i = 0; i < 256; i++) {
            suffix[i] = (byte) i;
            firstByte[i] = (byte) i;
            length[i] = 1;
        }
        if (in.length >= 2 && in[0] == 0 && (in[1] & 1) == 1) {
            throw new CorruptStripException("old-style (pre-TIFF 6) LZW data is not supported");
        }
        int next = 258;
        int width = 9;
        int old = -1;
        long bitPos = 0;
        long bits = (long) in.length * 8;
        long o = 0; // bytes decoded so far, those past out.length only counted
        while (true) {
            if (bitPos + width > bits) {
                break; // end of the data without an end-of-information code
            }
            int code = readBits(in, bitPos, width);
            bitPos += width;
            if (code == eoi) {
                break;
            }
            if (code == clear) {
                next = 258;
                width = 9;
                old = -1;
                continue;
            }
            int entry;
            if (old == -1) {
                if (code > 255) {
                    throw new CorruptStripException("corrupt LZW data (code " + code + " after a clear code)");
                }
                entry = code;
            } else if (code < next) {
                entry = code;
                if (next < 4096) {
                    add(prefix, suffix, firstByte, length, next, old, firstByte[code]);
                    next++;
                }
            } else if (code == next && next < 4096) {
                add(prefix, suffix, firstByte, length, next, old, firstByte[old]);
                entry = next;
                next++;
            } else {
                throw new CorruptStripException("corrupt LZW data (code " + code + " not yet defined)");
            }
            int len = length[entry];
            int e = entry;
            for (int k = len - 1; k >= 0; k--) {
                long at = o + k;
                if (at < out.length) {
                    out[(int) at] = suffix[e];
                }
                e = prefix[e];
            }
            o += len;
            if (old != -1 && next + 1 >= (1 << width) && width < 12) {
                width++;
            }
            old = code;
        }
        if (o < out.length) {
            throw new CorruptStripException("LZW data ends early: " + o + " of " + out.length + " bytes");
        }
        return o - out.length;
    }

    private static void add(int[] prefix, byte[] suffix, byte[] firstByte, int[] length, int code, int old, byte last) {
        prefix[code] = old;
        suffix[code] = last;
        firstByte[code] = firstByte[old];
        length[code] = length[old] + 1;
    }

    private static int readBits(byte[] in, long bitPos, int width) {
        int byteIndex = (int) (bitPos >>> 3);
        int shift = (int) (bitPos & 7);
        int v = (in[byteIndex] & 0xff) << 16;
        if (byteIndex + 1 < in.length) {
            v |= (in[byteIndex + 1] & 0xff) << 8;
        }
        if (byteIndex + 2 < in.length) {
            v |= in[byteIndex + 2] & 0xff;
        }
        return (v >>> (24 - shift - width)) & ((1 << width) - 1);
    }

    /** Undoes horizontal differencing (predictor 2) in place on one plane of rows. */
    static void undoHorizontalDifferencing(byte[] b, int rows, int width, int samples, int bytesPerSample, ByteOrder order) {
        int rowBytes = width * samples * bytesPerSample;
        for (int r = 0; r < rows; r++) {
            int base = r * rowBytes;
            switch (bytesPerSample) {
                case 1 -> {
                    for (int i = samples; i < width * samples; i++) {
                        b[base + i] += b[base + i - samples];
                    }
                }
                case 2 -> {
                    for (int i = samples; i < width * samples; i++) {
                        int p = base + 2 * i;
                        int q = p - 2 * samples;
                        put16(b, p, get16(b, p, order) + get16(b, q, order), order);
                    }
                }
                default -> {
                    for (int i = samples; i < width * samples; i++) {
                        int p = base + 4 * i;
                        int q = p - 4 * samples;
                        put32(b, p, get32(b, p, order) + get32(b, q, order), order);
                    }
                }
            }
        }
    }

    private static int get16(byte[] b, int p, ByteOrder o) {
        return o == ByteOrder.LITTLE_ENDIAN ? (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 : (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
    }

    private static void put16(byte[] b, int p, int v, ByteOrder o) {
        if (o == ByteOrder.LITTLE_ENDIAN) {
            b[p] = (byte) v;
            b[p + 1] = (byte) (v >> 8);
        } else {
            b[p] = (byte) (v >> 8);
            b[p + 1] = (byte) v;
        }
    }

    private static int get32(byte[] b, int p, ByteOrder o) {
        return o == ByteOrder.LITTLE_ENDIAN ? get16(b, p, o) | get16(b, p + 2, o) << 16 : get16(b, p, o) << 16 | get16(b, p + 2, o);
    }

    private static void put32(byte[] b, int p, int v, ByteOrder o) {
        if (o == ByteOrder.LITTLE_ENDIAN) {
            put16(b, p, v, o);
            put16(b, p + 2, v >>> 16, o);
        } else {
            put16(b, p, v >>> 16, o);
            put16(b, p + 2, v, o);
        }
    }

    /** Reverses the bit order of every byte (FillOrder 2). */
    static void reverseBits(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (Integer.reverse(b[i] & 0xff) >>> 24);
        }
    }
}
