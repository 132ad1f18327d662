package poreseg.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads the pixels of one TIFF page or contiguous slice: its strips read in full (a short file is a
 * {@link DataException}), bit order, decompression ({@link TiffCodecs}) and the horizontal predictor
 * undone, then the samples converted to floats. Immutable: the file, its byte order and sample layout.
 */
record TiffPixels(Path path, ByteOrder order, TiffSample sample) {

    /** Plane p of page d (p is 0 unless the page stores its samples in separate planes). */
    byte[] readPlane(FileChannel ch, TiffDirectory d, int p) throws IOException {
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

    void readFully(FileChannel ch, byte[] dst, long at, String where) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(dst);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new DataException(path + ": truncated TIFF: " + where + " needs bytes " + at + ".." + (at + dst.length)
                        + ", but the file ends at " + ch.size());
            }
        }
    }

    /** The n pixels of a page's planes as floats. */
    float[] toFloat(TiffDirectory d, byte[][] plane, int n) {
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
