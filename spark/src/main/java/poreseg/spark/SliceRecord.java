package poreseg.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.BitSet;
import poreseg.net.Segmenter;

/**
 * What a segmentation task sends for one slice of a stack: the {@link Segmenter.Prediction} exactly
 * (probability, uncertainty, pore count and the pixel sets of the interval's ends), or the error that
 * kept the slice from being segmented ({@code z} = the slice, or -1 for the whole stack).
 */
final class SliceRecord implements Serializable {
    private static final long serialVersionUID = 1L;

    final int z;
    final int members;
    final float[] probability;
    final float[] uncertainty;
    final long pores;
    final long[] low;
    final long[] high;
    final String error;
    /** True for bad data (reported), false for an error that outlived Spark's retries. */
    final boolean dataError;
    /** Seconds the executor spent reading and segmenting the slice. */
    double seconds;

    private SliceRecord(int z, int members, float[] probability, float[] uncertainty, long pores, long[] low, long[] high, String error,
            boolean dataError) {
        this.z = z;
        this.members = members;
        this.probability = probability;
        this.uncertainty = uncertainty;
        this.pores = pores;
        this.low = low;
        this.high = high;
        this.error = error;
        this.dataError = dataError;
    }

    static SliceRecord of(int z, int members, Segmenter.Prediction p) {
        return new SliceRecord(z, members, p.probability(), p.uncertainty(), p.pores(), p.lowSet().toLongArray(), p.highSet().toLongArray(),
                null, false);
    }

    static SliceRecord error(int z, String message, boolean dataError) {
        return new SliceRecord(z, 0, null, null, 0, null, null, message, dataError);
    }

    boolean isError() {
        return error != null;
    }

    /** Bytes of one slice's record in a spill file of slices of {@code n} pixels. */
    static long recordBytes(int n) {
        return 8L * n + 8 + 2L * 8 * words(n);
    }

    private static int words(int n) {
        return (n + 63) / 64;
    }

    /** Writes this slice's prediction at its place in a spill file (fixed-size records in slice order). */
    void writeTo(FileChannel ch) throws IOException {
        int n = probability.length;
        int w = words(n);
        ByteBuffer b = ByteBuffer.allocate((int) recordBytes(n)).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(probability);
        b.position(4 * n);
        b.asFloatBuffer().put(uncertainty);
        b.position(8 * n);
        b.putLong(pores);
        long[] lw = new long[w];
        System.arraycopy(low, 0, lw, 0, low.length);
        long[] hw = new long[w];
        System.arraycopy(high, 0, hw, 0, high.length);
        b.asLongBuffer().put(lw).put(hw);
        b.position(0);
        long pos = z * recordBytes(n);
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }

    /** Reads slice {@code z}'s prediction back from a spill file. */
    static Segmenter.Prediction readFrom(FileChannel ch, int z, int n) throws IOException {
        int w = words(n);
        ByteBuffer b = ByteBuffer.allocate((int) recordBytes(n)).order(ByteOrder.LITTLE_ENDIAN);
        long pos = z * recordBytes(n);
        while (b.hasRemaining()) {
            int r = ch.read(b, pos + b.position());
            if (r < 0) {
                throw new IOException("spill file ends early at slice " + z);
            }
        }
        b.position(0);
        float[] p = new float[n];
        float[] u = new float[n];
        b.asFloatBuffer().get(p);
        b.position(4 * n);
        b.asFloatBuffer().get(u);
        b.position(8 * n);
        long pores = b.getLong();
        long[] lw = new long[w];
        long[] hw = new long[w];
        b.asLongBuffer().get(lw).get(hw);
        return new Segmenter.Prediction(p, u, pores, BitSet.valueOf(lw), BitSet.valueOf(hw));
    }
}
