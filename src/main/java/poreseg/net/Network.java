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
 * passes run with autograd off.
 */
public final class Network implements AutoCloseable {
    private final NDManager manager;
    private final Block block;
    private final ModelInfo info;
    private final ParameterStore store;

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

    /** Probabilities (N,1,H,W) from inputs (N,1,H,W); H and W multiples of 2^depth. Thread-safe. */
    public synchronized NDArray forward(NDArray x) {
        noGrad();
        return block.forward(store, new NDList(x), false).singletonOrThrow();
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

    @Override
    public void close() {
        manager.close();
    }
}
