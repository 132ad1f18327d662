package poreseg.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;

/**
 * A network with its parameters, for inference: owns a native memory manager (close it). Forward
 * passes run with autograd off, through the architecture's TorchScript kernel where it has one
 * ({@link ScriptedKernel}: batch norm folded, channels-last, fp32 or bf16 per {@link #precision})
 * and layer by layer through the DJL block otherwise.
 */
public final class Network implements AutoCloseable {
    private final NDManager manager;
    private final Block block;
    private final ModelInfo info;
    private final ParameterStore store;
    private Precision precision = Precision.FP32;
    private boolean eager;
    private ScriptedKernel kernel;
    private boolean kernelTried;
    /** The int8 weights' largest magnitude ({@link Int8Calibration#weightLevels}; tests set it). */
    private int int8WeightLevels = Int8Calibration.weightLevels();

    Network(NDManager manager, Block block, ModelInfo info) {
        this.manager = manager;
        this.block = block;
        this.info = info;
        this.store = new ParameterStore(manager, false);
    }

    /** A fresh, randomly initialised network (for tests and benchmarks). */
    public static Network create(Architecture arch, long seed) {
        NDManager m = NetEngine.newManager();
        NetEngine.get().setRandomSeed((int) seed);
        Block b = arch.newInitializedBlock(m, new Shape(1, 1, arch.multiple(), arch.multiple()));
        ModelInfo info = new ModelInfo();
        info.architecture = arch.name();
        info.width = arch.width();
        info.depth = arch.depth();
        info.parameters = Architecture.trainableParameters(b);
        return new Network(m, b, info);
    }

    public ModelInfo info() {
        return info;
    }

    public Block block() {
        return block;
    }

    public NDManager manager() {
        return manager;
    }

    public Architecture architecture() {
        return info.arch();
    }

    /**
     * Sets the arithmetic of {@link #forward} (AUTO is resolved for this CPU here); BF16 on an
     * architecture without a kernel stays FP32 (see {@link #precision()}). Returns this network.
     */
    public synchronized Network precision(Precision p) {
        Precision r = p.resolveFor(architecture());
        if (r == Precision.INT8 && (kernel() == null || !kernel.hasInt8(manager) || !packInt8())) {
            r = Precision.AUTO.resolveFor(architecture()); // this libtorch cannot run it (or a GPU): as auto
        }
        precision = r == Precision.BF16 && kernel() == null ? Precision.FP32 : r; // the kernel may also fail to load
        return this;
    }

    /**
     * Calibrates and packs the int8 kernel once ({@link Int8Calibration}); false where this libtorch's
     * quantized engine cannot run it (e.g. a build without the x86 engine's operators), which then
     * leaves int8 to {@link Precision#AUTO}'s choice.
     */
    private boolean packInt8() {
        if (kernel.int8Packed()) {
            return true;
        }
        noGrad();
        try (NDArray max = Int8Calibration.ranges(this, kernel)) {
            kernel.packInt8(max, int8WeightLevels);
            try (NDManager sub = manager.newSubManager()) { // one pass: the operators run here, not only load
                // two images: the kernels' fp32 first convolution of one small image would take libtorch's native
                // path and print the NNPACK warning on CPUs it does not support (TiledPredictor.DUPLICATE_SINGLE_PIXELS)
                kernel.forwardInt8(sub.zeros(new Shape(2, 1, architecture().multiple(), architecture().multiple()))).close();
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The int8 weights' largest magnitude, 127 or 63, instead of this CPU's ({@link Int8Calibration#weightLevels}):
     * for tests of the other CPUs' arithmetic. Only before int8 is first asked for (the kernel is packed once).
     */
    synchronized Network int8WeightLevels(int levels) {
        if (kernel != null && kernel.int8Packed()) {
            throw new IllegalStateException("the int8 kernel is already packed");
        }
        int8WeightLevels = levels;
        return this;
    }

    /** The resolved arithmetic of {@link #forward}: FP32, BF16 or INT8. */
    public synchronized Precision precision() {
        return precision;
    }

    /**
     * Runs the DJL block layer by layer instead of the kernel (the reference path, fp32 only; for tests
     * and benchmarks). Returns this network.
     */
    public synchronized Network eager(boolean on) {
        eager = on;
        if (on) {
            precision = Precision.FP32;
        }
        return this;
    }

    /** True when {@link #forward} runs through the TorchScript kernel. */
    public synchronized boolean scripted() {
        return !eager && kernel() != null;
    }

    /** The kernel's name (e.g. unet_fused), or null when the network runs layer by layer. */
    synchronized String kernelName() {
        return scripted() ? kernel.name() : null;
    }

    private ScriptedKernel kernel() {
        if (!kernelTried) {
            kernelTried = true;
            kernel = ScriptedKernel.of(architecture(), block, manager);
        }
        return kernel;
    }

    /** Probabilities (N,1,H,W) from inputs (N,1,H,W); H and W multiples of 2^depth. Thread-safe. */
    public synchronized NDArray forward(NDArray x) {
        noGrad();
        if (!eager && kernel() != null) {
            if (precision == Precision.INT8) {
                return kernel.forwardInt8(x);
            }
            return kernel.forward(x, precision == Precision.BF16);
        }
        return block.forward(store, new NDList(x), false).singletonOrThrow();
    }

    /**
     * Probabilities as {@link #forward}, in the arithmetic that decisions about a whole stack are taken in
     * (scale selection, {@link Segmenter#chooseScale}): always fp32, whatever this network runs. Scale
     * selection compares porosities and pore widths against fixed limits, and the last digits that bf16
     * and int8 change tip a stack near a limit to another scale than fp32's (docs/net.md#speed: of the 49
     * zero-shot stacks, int8 tipped 1, by 0.013 F1, and bf16 2, by 0.04-0.05). Thread-safe.
     */
    public synchronized NDArray forwardForDecisions(NDArray x) {
        if (precision != Precision.FP32 && !eager && kernel() != null) {
            noGrad();
            return kernel.forward(x, false);
        }
        return forward(x);
    }

    /** Turns autograd off on the calling thread (PyTorch grad mode is per thread). */
    static void noGrad() {
        if (JniUtils.isGradMode()) {
            JniUtils.setGradMode(false);
        }
    }

    /** A tiled predictor over this network. */
    public TiledPredictor tiled(int tile, int overlap, int batch) {
        return new TiledPredictor(manager, this::forward, tile, overlap, batch, architecture().multiple());
    }

    /** A tiled predictor over {@link #forwardForDecisions}. */
    TiledPredictor tiledForDecisions(int tile, int overlap, int batch) {
        return new TiledPredictor(manager, this::forwardForDecisions, tile, overlap, batch, architecture().multiple());
    }

    @Override
    public synchronized void close() {
        if (kernel != null) {
            kernel.close();
        }
        manager.close();
    }
}
