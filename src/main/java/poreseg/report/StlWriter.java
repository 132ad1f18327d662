package poreseg.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import poreseg.io.Calibration;
import poreseg.io.OutputFiles;
import poreseg.io.Volume;
import poreseg.morpho.MarchingCubesTable;
import poreseg.morpho.PoreMeasures;
import poreseg.morpho.TriangleNormal;
import poreseg.util.Parallel;
import poreseg.util.ProgressListener;

/**
 * Writes the marching-cubes surface of the pore mask (the same mesh whose area is
 * {@code surface_area_marching_cubes}) as a binary STL, streamed slice pair by slice pair: memory is
 * two slices. Coordinates are physical (voxel centre of (x, y, z) at (x*dx, y*dy, z*dz)), normals
 * point out of the pore. The triangle count is patched into the header at the end; the file is
 * written atomically. STL has 50 bytes per triangle: a large porous volume makes a large file.
 */
public final class StlWriter {
    private StlWriter() {
    }

    /** Writes the surface and returns the number of triangles. */
    public static long write(Path out, Volume mask, Volume roi, Calibration c, double poreValue, ProgressListener progress)
            throws IOException {
        long[] count = new long[1];
        OutputFiles.writeAtomically(out, tmp -> count[0] = writeTo(tmp, mask, roi, c, (float) poreValue, progress));
        return count[0];
    }

    private static long writeTo(Path file, Volume mask, Volume roi, Calibration c, float pv, ProgressListener progress)
            throws IOException {
        int w = mask.info().width();
        int h = mask.info().height();
        int d = mask.info().depth();
        long[] count = new long[1];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = ByteBuffer.allocate(84).order(ByteOrder.LITTLE_ENDIAN);
            byte[] title = "poreseg marching-cubes pore surface (scikit-image Lewiner, level 0.5)".getBytes();
            head.put(title, 0, Math.min(80, title.length));
            head.position(84);
            head.flip();
            write(ch, head);
            byte[][] prev = new byte[1][];
            int[] z = {0};
            Parallel.forEachOrdered(d, k -> {
                float[] m = mask.slice(k);
                float[] r = roi == null ? null : roi.slice(k);
                return PoreMeasures.poreMask(m, r, pv);
            }, cur -> {
                if (prev[0] != null) {
                    count[0] += emit(ch, prev[0], cur, w, h, z[0] - 1, c);
                }
                prev[0] = cur;
                z[0]++;
            }, progress);
            ByteBuffer n = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            if (count[0] > 0xFFFFFFFFL) {
                throw new IOException(file + ": more than 2^32 triangles, too many for STL");
            }
            n.putInt((int) count[0]).flip();
            ch.position(80);
            write(ch, n);
        }
        return count[0];
    }

    /** Emits the triangles of the cubes between slices z and z+1. */
    private static long emit(FileChannel ch, byte[] a, byte[] b, int w, int h, int z, Calibration c) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(50 * 4096).order(ByteOrder.LITTLE_ENDIAN);
        long[] n = {0};
        float[] v = new float[9];
        MarchingCubesTable.<IOException>forEachSurfaceCube(a, b, w, h, (x, y, config) -> {
            int[] t = MarchingCubesTable.trianglesView(config);
            for (int k = 0; k < t.length; k += 9) {
                for (int j = 0; j < 3; j++) {
                    v[3 * j] = (float) ((x + t[k + 3 * j] * 0.5) * c.x());
                    v[3 * j + 1] = (float) ((y + t[k + 3 * j + 1] * 0.5) * c.y());
                    v[3 * j + 2] = (float) ((z + t[k + 3 * j + 2] * 0.5) * c.z());
                }
                if (buf.remaining() < 50) {
                    buf.flip();
                    write(ch, buf);
                    buf.clear();
                }
                putTriangle(buf, v);
                n[0]++;
            }
        });
        buf.flip();
        write(ch, buf);
        return n[0];
    }

    private static void putTriangle(ByteBuffer buf, float[] v) {
        double[] n = TriangleNormal.of(v);
        if (n == null) {
            n = new double[3]; // degenerate triangle: zero normal, as STL readers expect
        }
        buf.putFloat((float) n[0]).putFloat((float) n[1]).putFloat((float) n[2]);
        for (float f : v) {
            buf.putFloat(f);
        }
        buf.putShort((short) 0);
    }

    private static void write(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
