package poreseg.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import poreseg.io.Calibration;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.TiffWriter;
import poreseg.io.Volume;
import poreseg.io.VolumeStats;
import poreseg.io.Volumes;

@Command(name = "io", mixinStandardHelpOptions = true,
        description = "Write a synthetic 16-bit stack to a TIFF and read it back slice by slice; prints MB/s (proves streaming: run with a small heap).")
final class BenchIoCommand implements Callable<Integer> {
    @Option(names = "--size", defaultValue = "2000", description = "Slice width and height (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--slices", defaultValue = "100", description = "Number of slices (default ${DEFAULT-VALUE}).")
    int slices;

    @Option(names = "--dir", description = "Folder for the temporary file (default: system temp).")
    Path dir;

    @Mixin SharedOptions.BenchJson output = new SharedOptions.BenchJson();

    @Override
    public Integer call() throws Exception {
        StackInfo info = new StackInfo(size, size, slices, PixelType.U16, new Calibration(9, 9, 15, "nm"));
        Path f = Files.createTempFile(dir == null ? Path.of(System.getProperty("java.io.tmpdir")) : dir, "poreseg-bench", ".tif");
        try {
            long t0 = System.nanoTime();
            TiffWriter.write(f, info, z -> {
                float[] s = new float[info.sliceSize()];
                for (int i = 0; i < s.length; i++) {
                    s[i] = (i * 31 + z * 17) & 0xffff;
                }
                return s;
            }, new ConsoleProgress("writing"));
            double write = (System.nanoTime() - t0) / 1e9;
            long bytes = Files.size(f);
            t0 = System.nanoTime();
            VolumeStats stats;
            try (Volume v = Volumes.open(f)) {
                stats = VolumeStats.of(v, new ConsoleProgress("reading"));
            }
            double read = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("shape", info.shape());
            m.put("bytes", bytes);
            m.put("voxels_read", stats.count());
            m.put("write_mb_s", bytes / 1e6 / write);
            m.put("read_mb_s", bytes / 1e6 / read);
            m.put("max_heap_mb", Runtime.getRuntime().maxMemory() / 1e6);
            if (output.json) {
                System.out.println(Json.write(m));
            } else {
                System.out.printf(Locale.ROOT, "%s uint16 (%.2f GB): write %.0f MB/s, read+stats %.0f MB/s, %d voxels, heap limit %.0f MB%n",
                        info.shape(), bytes / 1e9, bytes / 1e6 / write, bytes / 1e6 / read, stats.count(), Runtime.getRuntime().maxMemory() / 1e6);
            }
        } finally {
            Files.deleteIfExists(f);
        }
        return 0;
    }
}
