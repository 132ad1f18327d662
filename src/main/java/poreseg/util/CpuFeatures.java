package poreseg.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The CPU model and its vector features, read at run time (Linux {@code /proc/cpuinfo}; elsewhere the
 * architecture name and no features). For benchmark output and for choosing the precision of
 * inference: bf16 pays only where the CPU computes it natively (AVX512-BF16 or AMX-BF16).
 */
public final class CpuFeatures {
    /** The features worth naming in benchmarks, in this order. */
    private static final String[] NAMED = {"avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16", "amx_tile"};
    private static volatile CpuFeatures current;

    private final String model;
    private final Set<String> flags;

    CpuFeatures(String model, Set<String> flags) {
        this.model = model;
        this.flags = Set.copyOf(flags);
    }

    /** This machine's CPU (read once). */
    public static CpuFeatures current() {
        CpuFeatures c = current;
        if (c == null) {
            c = read(Path.of("/proc/cpuinfo"));
            current = c;
        }
        return c;
    }

    /** Parses a cpuinfo file; a missing or unreadable file gives the architecture name and no features. */
    static CpuFeatures read(Path cpuinfo) {
        String model = System.getProperty("os.arch");
        Set<String> flags = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("model name") && line.contains(":")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                } else if ((line.startsWith("flags") || line.startsWith("Features")) && line.contains(":") && flags.isEmpty()) {
                    for (String f : line.substring(line.indexOf(':') + 1).trim().split("\\s+")) {
                        if (!f.isEmpty()) {
                            flags.add(f.toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the architecture name only
        }
        return new CpuFeatures(model, flags);
    }

    public String model() {
        return model;
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    /** True where the CPU has native bf16 arithmetic (AVX512-BF16 or AMX-BF16). */
    public boolean nativeBf16() {
        return has("avx512_bf16") || has("amx_bf16");
    }

    /** The named vector features present, e.g. [avx2, fma, avx512f, avx512_bf16]. */
    public List<String> vectorFeatures() {
        List<String> out = new ArrayList<>();
        for (String f : NAMED) {
            if (has(f)) {
                out.add(f);
            }
        }
        return out;
    }

    /** One line: model, named features, core count. */
    public String describeLine() {
        List<String> f = vectorFeatures();
        return model + (f.isEmpty() ? "" : " (" + String.join(", ", f) + ")") + ", " + Runtime.getRuntime().availableProcessors() + " cores";
    }

    /** {@link #describeLine()} of this machine. */
    public static String describe() {
        return current().describeLine();
    }
}
