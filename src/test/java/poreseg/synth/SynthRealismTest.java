package poreseg.synth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import poreseg.io.Volume;
import poreseg.io.Volumes;

/**
 * Compares synthetic slices with real FIB-SEM slices (EPFL set in ../shared/datasets; skipped when
 * absent): the noise-to-contrast ratio must be close to the real one, and the curtaining stripes
 * must be visible (they are deliberately stronger than in this clean real set).
 */
class SynthRealismTest {
    private static final Path REAL = Path.of("..", "shared", "datasets", "epfl-fibsem-mito", "train", "image");

    @Test
    void noiseLevelMatchesRealFibSem() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(REAL), "real data not available: " + REAL);
        List<Path> files;
        try (Stream<Path> s = Files.list(REAL)) {
            files = s.filter(p -> p.toString().endsWith(".png")).sorted().limit(2).toList();
        }
        Assumptions.assumeTrue(files.size() == 2);
        double real = 0;
        for (Path f : files) {
            try (Volume v = Volumes.open(f)) {
                real += relativeNoise(v.slice(0), v.info().width(), v.info().height()) / files.size();
            }
        }
        SynthVolume syn = new SynthGenerator().generate(SynthParams.defaults().withSize(256).withSlices(3));
        float[] img = syn.image().slice(1);
        double synthetic = relativeNoise(img, 256, 256);
        assertTrue(synthetic > real / 1.5 && synthetic < real * 1.5,
                "noise sigma / (p99 - p1): synthetic " + synthetic + " vs real " + real);
        assertTrue(SynthGeneratorTest.columnMeanVariance(img, 256) > 2 * rowMeanVariance(img, 256),
                "curtaining: column means vary more than row means");
    }

    /** Immerkaer's noise estimate over the 1st-99th percentile range. */
    static double relativeNoise(float[] a, int w, int h) {
        double sum = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int o = y * w + x;
                double c = a[o - w - 1] - 2 * a[o - w] + a[o - w + 1] - 2 * a[o - 1] + 4 * a[o] - 2 * a[o + 1]
                        + a[o + w - 1] - 2 * a[o + w] + a[o + w + 1];
                sum += Math.abs(c);
            }
        }
        double sigma = Math.sqrt(Math.PI / 2) * sum / ((double) (w - 2) * (h - 2)) / 6;
        float[] s = a.clone();
        Arrays.sort(s);
        return sigma / (s[(int) (0.99 * (s.length - 1))] - s[(int) (0.01 * (s.length - 1))]);
    }

    private static double rowMeanVariance(float[] img, int n) {
        float[] t = new float[img.length];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                t[x * n + y] = img[y * n + x];
            }
        }
        return SynthGeneratorTest.columnMeanVariance(t, n);
    }
}
