package poreseg.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The CPU model and its vector features (Linux /proc/cpuinfo), for benchmark output. */
final class CpuInfo {
    private CpuInfo() {
    }

    static String describe() {
        String model = System.getProperty("os.arch");
        List<String> features = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                } else if (line.startsWith("flags") && features.isEmpty()) {
                    String flags = " " + line.substring(line.indexOf(':') + 1).trim() + " ";
                    for (String f : new String[] {"avx2", "fma", "avx512f", "avx512_bf16", "amx_bf16", "amx_tile"}) {
                        if (flags.contains(" " + f + " ")) {
                            features.add(f);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the architecture name only
        }
        return model + (features.isEmpty() ? "" : " (" + String.join(", ", features) + ")") + ", " + Runtime.getRuntime().availableProcessors() + " cores";
    }
}
