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
import poreseg.morpho.DistanceTransform;
import poreseg.morpho.LocalThickness;
import poreseg.morpho.MeasureResult;
import poreseg.morpho.PoreMeasures;
import poreseg.report.StlWriter;
import poreseg.report.SurfaceRenderer;
import poreseg.synth.SyntheticPores;
import poreseg.util.Parallel;
import poreseg.util.ProgressListener;

/** poreseg bench measure: voxels/s of each morphometry step on a synthetic pore volume. */
@Command(name = "measure", mixinStandardHelpOptions = true,
        description = "Voxels/s of each 'measure' step on a synthetic cubic pore mask (random balls, ~20 %% porosity).")
public final class BenchMeasureCommand implements Callable<Integer> {
    @Option(names = "--size", defaultValue = "192", description = "Edge of the cubic volume in voxels (default ${DEFAULT-VALUE}; the issue's benchmark is 512).")
    int size;

    @Option(names = "--skip-distances", description = "Skip EDT and local thickness (they need 4 bytes per voxel of heap).")
    boolean skipDistances;

    @Mixin SharedOptions.BenchJson output = new SharedOptions.BenchJson();

    @Override
    public Integer call() throws Exception {
        if (size < 8 || size > 2048) {
            throw new UsageException("--size must be 8..2048, got " + size);
        }
        // warm-up on a small volume so that the timings below measure compiled code
        SyntheticPores warm = new SyntheticPores(48, 0.2, 2);
        for (int i = 0; i < 3; i++) {
            PoreMeasures.measure(warm, null, Calibration.NONE, 255, PoreMeasures.Options.ALL, ProgressListener.NONE);
        }
        long t0 = System.nanoTime();
        SyntheticPores v = new SyntheticPores(size, 0.2, 1);
        double make = seconds(t0);
        double voxels = (double) size * size * size;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("size", size);
        out.put("threads", Parallel.threads());
        out.put("generate_s", make);
        Map<String, Double> rate = new LinkedHashMap<>();

        t0 = System.nanoTime();
        MeasureResult r = PoreMeasures.measure(v, null, Calibration.NONE, 255, new PoreMeasures.Options(false, false),
                ProgressListener.NONE);
        double base = seconds(t0);
        rate.put("porosity_surface_areas_profile", voxels / base);
        t0 = System.nanoTime();
        MeasureResult rc = PoreMeasures.measure(v, null, Calibration.NONE, 255, new PoreMeasures.Options(true, false),
                ProgressListener.NONE);
        double withConn = seconds(t0);
        rate.put("with_components_percolation", voxels / withConn);
        if (!skipDistances) {
            float[][] d = new float[size][];
            for (int z = 0; z < size; z++) {
                float[] s = v.slice(z);
                for (int i = 0; i < s.length; i++) {
                    s[i] = s[i] != 0 ? Float.POSITIVE_INFINITY : 0f;
                }
                d[z] = s;
            }
            t0 = System.nanoTime();
            double maxSq = DistanceTransform.squaredInPlace(d, size, size, Calibration.NONE, ProgressListener.NONE);
            rate.put("distance_transform", voxels / seconds(t0));
            t0 = System.nanoTime();
            LocalThickness.computeInPlace(d, size, size, Calibration.NONE, ProgressListener.NONE);
            rate.put("local_thickness", voxels / seconds(t0));
            out.put("max_pore_radius", Math.sqrt(maxSq));
        }
        Path tmp = Files.createTempFile("poreseg-bench", ".stl");
        try {
            t0 = System.nanoTime();
            long tris = StlWriter.write(tmp, v, null, Calibration.NONE, 255, ProgressListener.NONE);
            rate.put("stl_mesh", voxels / seconds(t0));
            out.put("stl_triangles", tris);
        } finally {
            Files.deleteIfExists(tmp);
        }
        t0 = System.nanoTime();
        SurfaceRenderer.threeViews(v, null, Calibration.NONE, 255, 512, ProgressListener.NONE);
        rate.put("render_3_views_512px", voxels / seconds(t0));
        out.put("porosity", r.porosity());
        out.put("components_6", rc.components6());
        out.put("voxels_per_second", rate);
        if (output.json) {
            System.out.println(Json.write(out));
        } else {
            System.out.printf(Locale.ROOT, "synthetic %d^3 pore mask, porosity %.4f, %d threads%n", size, r.porosity(), Parallel.threads());
            for (Map.Entry<String, Double> e : rate.entrySet()) {
                System.out.printf(Locale.ROOT, "  %-34s %8.1f Mvoxel/s%n", e.getKey(), e.getValue() / 1e6);
            }
        }
        return 0;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
