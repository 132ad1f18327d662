package poreseg.cli;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import poreseg.synth.SynthGenerator;
import poreseg.synth.SynthParams;
import poreseg.synth.SynthVolume;
import poreseg.util.Parallel;
import poreseg.util.ProgressListener;

/** {@code poreseg bench synth}: times each pass of the synthetic generator (nothing is written). */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Time the synthetic generator: calibration, truth numbers, truth mask and image passes.")
final class BenchSynthCommand implements Callable<Integer> {
    @Option(names = "--size", defaultValue = "256", description = "Slice size (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--slices", defaultValue = "64", description = "Slices (default: ${DEFAULT-VALUE}).")
    int slices;

    @Option(names = "--particle", description = "Particle mode.")
    boolean particle;

    @Mixin SharedOptions.BenchJson output = new SharedOptions.BenchJson();

    @Override
    public Integer call() throws Exception {
        SynthParams p = SynthParams.defaults().withSize(size).withSlices(slices).withParticle(particle);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shape", size + "x" + size + "x" + slices);
        m.put("threads", Parallel.threads());
        double[] t = clock();
        SynthVolume v = new SynthGenerator().generate(p);
        t = lap(m, "generate", t);
        v.truthStats();
        t = lap(m, "truth_numbers", t);
        Parallel.forEach(slices, z -> v.truth().slice(z), ProgressListener.NONE);
        t = lap(m, "truth_mask", t);
        Parallel.forEach(slices, z -> v.image().slice(z), ProgressListener.NONE);
        lap(m, "image", t);
        double voxels = (double) size * size * slices;
        m.put("megavoxels", voxels / 1e6);
        if (output.json) {
            System.out.println(Json.write(m));
        } else {
            System.out.printf(Locale.ROOT, "poreseg bench synth: %s, %d threads (CPU time is summed over threads)%n", m.get("shape"), Parallel.threads());
            for (String k : new String[] {"generate", "truth_numbers", "truth_mask", "image"}) {
                @SuppressWarnings("unchecked")
                Map<String, Double> e = (Map<String, Double>) m.get(k);
                System.out.printf(Locale.ROOT, "  %-14s wall %6.2f s   cpu %6.2f s   %6.2f Mvoxel/s%n", k, e.get("wall_s"), e.get("cpu_s"),
                        voxels / 1e6 / e.get("wall_s"));
            }
        }
        return 0;
    }

    private static double[] clock() {
        double cpu = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            cpu = os.getProcessCpuTime() / 1e9;
        }
        return new double[] {System.nanoTime() / 1e9, cpu};
    }

    private static double[] lap(Map<String, Object> m, String name, double[] start) {
        double[] now = clock();
        Map<String, Double> e = new LinkedHashMap<>();
        e.put("wall_s", now[0] - start[0]);
        e.put("cpu_s", now[1] - start[1]);
        m.put(name, e);
        return now;
    }
}
