package poreseg.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuFeaturesTest {
    @Test
    void readsModelAndFlagsOfTheFirstProcessor(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("cpuinfo");
        Files.writeString(f, "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Platinum 8480+\n"
                + "flags\t\t: fpu sse2 avx2 fma avx512f avx512_bf16 amx_bf16 amx_tile\n\n"
                + "processor\t: 1\nflags\t\t: fpu\n");
        CpuFeatures c = CpuFeatures.read(f);
        assertEquals("Intel(R) Xeon(R) Platinum 8480+", c.model());
        assertTrue(c.nativeBf16());
        assertEquals(List.of("avx2", "fma", "avx512f", "avx512_bf16", "amx_bf16", "amx_tile"), c.vectorFeatures());
        assertTrue(c.describeLine().startsWith("Intel(R) Xeon(R) Platinum 8480+ (avx2, fma, avx512f, avx512_bf16, amx_bf16, amx_tile), "));
    }

    @Test
    void avx2OnlyHasNoNativeBf16AndAMissingFileHasNoFeatures(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("cpuinfo");
        Files.writeString(f, "model name : AMD EPYC 7B12\nflags : sse2 avx2 fma\n");
        assertFalse(CpuFeatures.read(f).nativeBf16());
        CpuFeatures none = CpuFeatures.read(dir.resolve("missing"));
        assertTrue(none.vectorFeatures().isEmpty());
        assertFalse(none.nativeBf16());
    }
}
