package poreseg.net;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Throughput of training steps and forward passes on random data (images per second). */
public final class NetBenchmark {
    /** Untimed batches first: the first passes allocate memory and create oneDNN primitives. */
    static final int WARMUP = 2;

    /**
     * Result: images per second over {@code steps} timed batches, after two warm-up batches;
     * {@code precision} the arithmetic used (fp32 or bf16), {@code path} how the network ran: "scripted"
     * (TorchScript kernel) or "eager" (DJL layer by layer); {@code optimizer} for training "fused-adam"
     * ({@link FusedAdam}) or "adam" (DJL's), null for inference.
     */
    public record Result(String mode, Architecture arch, int batch, int size, int steps, double seconds, double imagesPerSecond,
            Precision precision, String path, String optimizer) {
    }

    private NetBenchmark() {
    }

    private static float[] random(int n, long seed, boolean binary) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = binary ? (r.nextDouble() < 0.2 ? 1f : 0f) : (float) r.nextDouble();
        }
        return a;
    }

    /**
     * Times Adam + BCE training steps (forward, backward, update) on batches of size x size patches, as
     * {@code train} runs them with this precision, or layer by layer in fp32 with {@code eager}.
     */
    public static Result train(Architecture arch, int batch, int size, int steps, Precision precision, boolean eager) {
        return train(arch, batch, size, steps, precision, eager, null);
    }

    /**
     * {@link #train(Architecture, int, int, int, Precision, boolean)}, with libtorch's profiler recording
     * the timed steps into {@code profile} (a Chrome trace, JSON; null: no profile). Profiling slows the
     * steps down: its throughput is not comparable.
     */
    public static Result train(Architecture arch, int batch, int size, int steps, Precision precision, boolean eager, Path profile) {
        Shape shape = new Shape(batch, 1, size, size);
        float[] x = random((int) shape.size(), 1, false);
        float[] y = random((int) shape.size(), 2, true);
        PoreLoss loss = new PoreLoss("bce");
        try (Model model = Model.newInstance("bench", NetEngine.device(), "PyTorch")) {
            Block block = arch.newUninitializedWeights();
            Precision asked = eager ? Precision.FP32 : precision.forTraining();
            if (!eager) {
                arch.type().configureTraining(block, asked);
            }
            model.setBlock(block);
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(loss).optOptimizer(Optimizer.adam().optEpsilon(NetTrainer.EPSILON).build());
            try (Trainer trainer = model.newTrainer(cfg)) {
                trainer.initialize(shape);
                // as 'train' steps: Adam fused into one call (DJL's Adam where the kernel is missing)
                FusedAdam adam = FusedAdam.create(block, trainer.getManager(), Tracker.fixed(1e-3f), NetTrainer.EPSILON);
                long t0 = 0;
                for (int s = -WARMUP; s < steps; s++) {
                    if (s == 0) {
                        startProfile(profile);
                        t0 = System.nanoTime();
                    }
                    try (NDManager sub = trainer.getManager().newSubManager()) {
                        NDArray xa = sub.create(FloatBuffer.wrap(x), shape);
                        NDArray ya = sub.create(FloatBuffer.wrap(y), shape);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray p = trainer.forward(new NDList(xa)).singletonOrThrow();
                            gc.backward(loss.evaluate(new NDList(ya), new NDList(p)));
                        }
                        FusedAdam.step(trainer, adam);
                    }
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                stopProfile(profile);
                boolean kernel = !eager && arch.type().hasTrainingKernel(arch.width(), arch.depth());
                return new Result("train", arch, batch, size, steps, secs, steps * (double) batch / secs, kernel ? asked : Precision.FP32,
                        kernel ? "scripted" : "eager", adam != null ? "fused-adam" : "adam");
            }
        }
    }

    /**
     * Times forward passes (autograd off) on batches of size x size images, exactly as {@code segment}
     * runs them: with the given precision, through the kernel unless {@code eager}.
     */
    public static Result infer(Architecture arch, int batch, int size, int steps, Precision precision, boolean eager) {
        return infer(arch, batch, size, steps, precision, eager, null);
    }

    /** {@link #infer(Architecture, int, int, int, Precision, boolean)} with a profile as for training. */
    public static Result infer(Architecture arch, int batch, int size, int steps, Precision precision, boolean eager, Path profile) {
        Shape shape = new Shape(batch, 1, size, size);
        float[] x = random((int) shape.size(), 1, false);
        try (Network net = Network.create(arch, 1)) {
            net.eager(eager).precision(eager ? Precision.FP32 : precision);
            long t0 = 0;
            for (int s = -WARMUP; s < steps; s++) {
                if (s == 0) {
                    startProfile(profile);
                    t0 = System.nanoTime();
                }
                try (NDManager sub = net.manager().newSubManager()) {
                    NDArray p = net.forward(sub.create(FloatBuffer.wrap(x), shape));
                    p.toFloatArray();
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            stopProfile(profile);
            return new Result("infer", arch, batch, size, steps, secs, steps * (double) batch / secs, net.precision(),
                    net.scripted() ? "scripted" : "eager", null);
        }
    }

    private static void startProfile(Path profile) {
        if (profile != null) {
            JniUtils.startProfile(false, true, false);
        }
    }

    /** Writes the profile (libtorch writes the file itself; the caller picks a fresh path). */
    private static void stopProfile(Path profile) {
        if (profile != null) {
            JniUtils.stopProfile(profile.toAbsolutePath().toString());
        }
    }
}
