package poreseg.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

/**
 * The training-mode forward pass of a block through its TorchScript kernel ({@code NAME_train.pt},
 * scripts/make-kernels.py): one call instead of one JNI call per layer, channels-last, optionally bf16
 * convolutions on fp32 master weights. The block's own parameter arrays go in (in block order), so
 * autograd records through the kernel and gradients land on the parameters as with the layer-by-layer
 * forward; batch norm updates its running statistics in place (momentum 0.1, DJL's 0.9).
 */
final class TrainingKernel {
    private final PtSymbolBlock module;

    private TrainingKernel(PtSymbolBlock module) {
        this.module = module;
    }

    /**
     * The kernel resource {@code poreseg/net/kernels/NAME.pt} on the manager of {@code like} (it must
     * outlive every use: a parameter's), or null if absent.
     */
    static TrainingKernel load(String name, NDArray like) {
        if (!(like.getManager() instanceof PtNDManager pm)) {
            return null;
        }
        PtSymbolBlock m = ScriptedKernel.load(pm, name);
        return m == null ? null : new TrainingKernel(m);
    }

    /** Probabilities (N,1,H,W) float32 of {@code x} with {@code block}'s parameters from {@code ps}. */
    NDArray forward(Block block, ParameterStore ps, NDArray x, boolean training, boolean bf16) {
        NDList in = new NDList(x);
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = ps.getValue(p.getValue(), x.getDevice(), training);
            a.setName("p[]"); // DJL passes arrays named NAME[] to TorchScript as one List[Tensor]
            in.add(a);
        }
        in.add(x.getManager().create(new int[] {bf16 ? 1 : 0, training ? 1 : 0}));
        // without libtorch's graph optimizer (a thread-local switch) autograd records the kernel's operators
        // one by one instead of as TorchScript differentiable graphs, whose backward decomposes relu and
        // sigmoid into extra passes: paper net bf16 training 99 -> 145 images/s on an AMX Xeon, U-Net
        // unchanged (docs/net.md#speed)
        JniUtils.setGraphExecutorOptimize(false);
        return module.forward(ps, in, training).singletonOrThrow();
    }

    /**
     * A block's training-kernel switch: whether to use it, the precision, and the kernel itself,
     * loaded on first use (null after a failed load, so the block falls back to its layers).
     */
    static final class Slot {
        private final String name;
        private boolean use;
        private Precision precision = Precision.FP32;
        private TrainingKernel kernel;
        private boolean tried;

        Slot(String name) {
            this.name = name;
        }

        void configure(boolean kernel, Precision p) {
            use = kernel;
            precision = p.resolve();
        }

        /** True while training-mode passes run through the kernel ({@code fits}: the block's shape suits it). */
        boolean active(boolean fits) {
            return use && fits && (!tried || kernel != null);
        }

        /**
         * The kernel's probabilities of {@code x} with {@code block}'s parameters, or null when it is not
         * available; {@code like} is a parameter array (its manager lives as long as the block).
         */
        NDArray forward(Block block, ParameterStore ps, NDArray x, NDArray like) {
            if (!tried) {
                tried = true;
                kernel = load(name, like);
            }
            return kernel == null ? null : kernel.forward(block, ps, x, true, precision == Precision.BF16);
        }
    }
}
