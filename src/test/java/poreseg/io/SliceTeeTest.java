package poreseg.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.util.ProgressListener;

class SliceTeeTest {
    @TempDir
    Path tmp;

    @Test
    void threeWritersGetEverySliceComputedOnce() throws Exception {
        int n = 40;
        AtomicIntegerArray computed = new AtomicIntegerArray(n);
        SliceTee tee = new SliceTee(3, z -> {
            computed.incrementAndGet(z);
            return new float[][] {{z, z}, {2 * z, 2 * z}, {-z, -z}};
        });
        StackInfo info = new StackInfo(2, 1, n, PixelType.F32, Calibration.NONE);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<?>> f = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int k = i;
            f.add(pool.submit(() -> {
                TiffWriter.write(tmp.resolve("p" + k + ".tif"), info, tee.part(k), ProgressListener.NONE);
                return null;
            }));
        }
        for (Future<?> x : f) {
            x.get();
        }
        pool.shutdown();
        for (int z = 0; z < n; z++) {
            assertEquals(1, computed.get(z), "slice " + z + " computed once");
        }
        try (Volume a = Volumes.open(tmp.resolve("p1.tif")); Volume b = Volumes.open(tmp.resolve("p2.tif"))) {
            assertArrayEquals(new float[] {14, 14}, a.slice(7));
            assertArrayEquals(new float[] {-7, -7}, b.slice(7));
        }
    }

    @Test
    void aComputeErrorReachesEveryConsumer() throws Exception {
        SliceTee tee = new SliceTee(2, z -> {
            if (z == 3) {
                throw new IOException("slice 3 is damaged");
            }
            return new float[][] {{z}, {z}};
        });
        for (int z = 0; z < 3; z++) {
            tee.part(0).slice(z);
            tee.part(1).slice(z);
        }
        assertEquals("slice 3 is damaged", assertThrows(IOException.class, () -> tee.part(0).slice(3)).getMessage());
        assertEquals("slice 3 is damaged", assertThrows(IOException.class, () -> tee.part(1).slice(3)).getMessage());
        tee.fail(new IOException("disk full"));
        assertTrue(assertThrows(IOException.class, () -> tee.part(0).slice(4)).getMessage().contains("disk full"));
        assertTrue(Files.notExists(tmp.resolve("none")));
    }
}
