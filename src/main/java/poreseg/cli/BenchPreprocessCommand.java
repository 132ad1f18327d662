package poreseg.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import poreseg.io.PixelType;
import poreseg.preprocess.Pipeline;
import poreseg.preprocess.SliceAligner;
import poreseg.util.Parallel;
import poreseg.util.ProgressListener;

@Command(name = "preprocess", mixinStandardHelpOptions = true,
        description = {"Megapixels/s of each preprocessing step: on one large 16-bit slice (one thread) and on a stack "
                + "streamed through all cores (Parallel.forEachOrdered, as 'poreseg preprocess' does).",
            "Synthetic data (bright particles with dark pores, noise, vertical stripes); nothing is read or written."})
final class BenchPreprocessCommand implements Callable<Integer> {
    @Option(names = "--size", defaultValue = "2048", paramLabel = "N", description = "Slice benchmark: N x N 16-bit slice (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--slices", defaultValue = "100", paramLabel = "N", description = "Stack benchmark: number of slices (default ${DEFAULT-VALUE}).")
    int slices;

    @Option(names = "--stack-size", defaultValue = "256", paramLabel = "N", description = "Stack benchmark: N x N slices (default ${DEFAULT-VALUE}; use 2048 for a full-size run).")
    int stackSize;

    @Option(names = "--steps", paramLabel = "S1,S2,...",
            defaultValue = "destripe,destripe-h,gaussian=2,stretch,stretch=1:99,equalize,equalize-skimage,clahe,invert,median=2",
            description = "Steps to time, each alone (default: ${DEFAULT-VALUE}); 'align' is always timed too.")
    String steps;

    @Option(names = "--repeats", defaultValue = "2", paramLabel = "N", description = "Timed repetitions on the slice after one warm-up (default ${DEFAULT-VALUE}); the best is reported.")
    int repeats;

    @Option(names = "--json", description = "Print results as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (size < 16 || stackSize < 16 || slices < 2 || repeats < 1) {
            throw new UsageException("--size and --stack-size must be >= 16, --slices >= 2, --repeats >= 1");
        }
        List<String> names = new ArrayList<>();
        List<Pipeline> pipes = new ArrayList<>();
        for (String s : steps.split(",")) {
            Pipeline p = Pipeline.parse(s.trim());
            names.add(p.spec());
            pipes.add(p);
        }
        float[] big = synth(size, size, 1, 0);
        float[] big2 = synth(size, size, 1, 1);
        // the stack cycles through a few distinct slices, so memory stays bounded at any stack size
        List<float[]> distinct = new ArrayList<>();
        for (int z = 0; z < Math.min(slices, 8); z++) {
            distinct.add(synth(stackSize, stackSize, 7, z));
        }
        java.util.function.IntFunction<float[]> stack = z -> distinct.get(z % distinct.size());
        double mpSlice = (double) size * size / 1e6;
        double mpStack = (double) stackSize * stackSize * slices / 1e6;
        List<Map<String, Object>> rows = new ArrayList<>();
        if (!json) {
            System.out.printf(Locale.ROOT, "slice: %dx%d 16-bit, 1 thread; stack: %d x %dx%d 16-bit, %d threads%n",
                    size, size, slices, stackSize, stackSize, Parallel.threads());
            System.out.printf(Locale.ROOT, "%-22s %14s %14s%n", "step", "slice MP/s", "stack MP/s");
        }
        for (int k = 0; k <= pipes.size(); k++) {
            boolean align = k == pipes.size();
            String name = align ? "align" : names.get(k);
            Pipeline p = align ? null : pipes.get(k);
            // slice, one thread
            double best = Double.MAX_VALUE;
            for (int r = 0; r <= repeats; r++) {
                long t = System.nanoTime();
                if (align) {
                    SliceAligner.estimate(big, big2, size, size);
                } else {
                    p.apply(big, size, size, PixelType.U16);
                }
                double s = (System.nanoTime() - t) / 1e9;
                if (r > 0) {
                    best = Math.min(best, s);
                }
            }
            // stack, all cores
            long t = System.nanoTime();
            if (align) {
                SliceAligner.estimateStack(z -> stack.apply(z), slices, stackSize, stackSize, ProgressListener.NONE);
            } else {
                Parallel.forEachOrdered(slices, z -> p.apply(stack.apply(z), stackSize, stackSize, PixelType.U16), r -> { }, ProgressListener.NONE);
            }
            double stackSec = (System.nanoTime() - t) / 1e9;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("step", name);
            row.put("slice_megapixels_per_second", mpSlice / best);
            row.put("slice_seconds", best);
            row.put("stack_megapixels_per_second", mpStack / stackSec);
            row.put("stack_seconds", stackSec);
            rows.add(row);
            if (!json) {
                System.out.printf(Locale.ROOT, "%-22s %14.1f %14.1f%n", name, mpSlice / best, mpStack / stackSec);
            }
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("slice_size", List.of(size, size));
            m.put("stack_shape", List.of(stackSize, stackSize, slices));
            m.put("threads", Parallel.threads());
            m.put("java", System.getProperty("java.version"));
            m.put("results", rows);
            System.out.println(Json.write(m));
        }
        return 0;
    }

    /** A 16-bit test slice: bright particle, dark pores, vertical stripes, noise; drifts by z px. */
    static float[] synth(int w, int h, long seed, int z) {
        Random r = new Random(seed);
        float[] img = new float[w * h];
        int pores = Math.max(1, w * h / 2000);
        double[][] p = new double[pores][];
        for (int k = 0; k < pores; k++) {
            p[k] = new double[] {r.nextDouble() * w, r.nextDouble() * h, 2 + 6 * r.nextDouble()};
        }
        double[] stripe = new double[w];
        for (int x = 0; x < w; x++) {
            stripe[x] = 1500 * r.nextGaussian();
        }
        Random noise = new Random(seed * 31 + z);
        double cx = w / 2.0 + z * 0.7;
        double cy = h / 2.0 - z * 0.3;
        double rad = 0.4 * Math.min(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = Math.hypot(x - cx, y - cy) < rad ? 40000 : 12000;
                img[y * w + x] = (float) (v + stripe[x] + 800 * noise.nextGaussian());
            }
        }
        for (double[] q : p) {
            int x0 = (int) Math.max(0, q[0] - q[2]);
            int x1 = (int) Math.min(w - 1, q[0] + q[2]);
            int y0 = (int) Math.max(0, q[1] - q[2]);
            int y1 = (int) Math.min(h - 1, q[1] + q[2]);
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    if (Math.hypot(x - q[0] - z * 0.7, y - q[1] + z * 0.3) < q[2]) {
                        img[y * w + x] = 5000;
                    }
                }
            }
        }
        for (int i = 0; i < img.length; i++) {
            img[i] = PixelType.U16.clamp(img[i]);
        }
        return img;
    }
}
