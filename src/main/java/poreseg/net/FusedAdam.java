package poreseg.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam in one libtorch call per step: {@code aten::_fused_adam_} over every trainable parameter, through
 * the TorchScript kernel {@code adam.pt} (scripts/make-kernels.py), in place of DJL's Adam, which runs
 * about 12 operators per parameter through JNI (8-9 % of a bf16 U-Net training step on 2 cores;
 * docs/net.md#speed). The update is DJL's: w -= lr sqrt(1 - b2^t) / (1 - b1^t) m / (sqrt(v) + eps), the
 * bias-corrected learning rate and an epsilon not divided by sqrt(1 - b2^t) (PyTorch's Adam divides it;
 * the kernel is given eps / sqrt(1 - b2^t) so that both agree). Moment estimates start at zero, as DJL's.
 * Gradients are zeroed after the step, as DJL's Adam does.
 */
final class FusedAdam {
    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;

    private final PtSymbolBlock kernel;
    private final NDManager manager;
    private final List<NDArray> params = new ArrayList<>();
    private final NDList moments = new NDList();
    private final Tracker lr;
    private final float eps;
    private int t;

    private FusedAdam(PtSymbolBlock kernel, NDManager manager, Block block, Tracker lr, float eps) {
        this.kernel = kernel;
        this.manager = manager;
        this.lr = lr;
        this.eps = eps;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                params.add(p.getValue().getArray());
            }
        }
        NDList means = new NDList();
        NDList variances = new NDList();
        for (NDArray p : params) {
            NDArray m = manager.zeros(p.getShape(), p.getDataType(), p.getDevice());
            m.setName("m[]");
            means.add(m);
            NDArray v = manager.zeros(p.getShape(), p.getDataType(), p.getDevice());
            v.setName("v[]");
            variances.add(v);
        }
        moments.addAll(means);
        moments.addAll(variances);
    }

    /**
     * Adam for {@code block}'s trainable parameters (initialised, with gradients attached), state on
     * {@code manager}; null where the engine is not PyTorch or the kernel does not load, and the caller
     * then steps with DJL's Adam.
     */
    static FusedAdam create(Block block, NDManager manager, Tracker lr, float eps) {
        if (!(manager instanceof PtNDManager pm)) {
            return null;
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient() && !(p.getValue().getArray() instanceof PtNDArray)) {
                return null;
            }
        }
        PtSymbolBlock k = ScriptedKernel.load(pm, "adam");
        return k == null ? null : new FusedAdam(k, manager, block, lr, eps);
    }

    /** The trainer's step: this Adam where it exists, else the trainer's own optimizer. */
    static void step(Trainer trainer, FusedAdam adam) {
        if (adam == null) {
            trainer.step();
        } else {
            adam.step();
        }
    }

    /** Steps taken so far. */
    int steps() {
        return t;
    }

    /** One Adam step on the gradients of the last backward pass; zeroes them. */
    void step() {
        t++;
        double c1 = 1.0 - Math.pow(BETA1, t);
        double c2 = 1.0 - Math.pow(BETA2, t);
        float rate = lr.getNewValue(t);
        if (!Float.isFinite(rate)) {
            throw new IllegalArgumentException("learning rate is " + rate);
        }
        try (NDManager sub = manager.newSubManager()) {
            NDList in = new NDList();
            for (NDArray p : params) {
                p.setName("p[]");
                in.add(p);
            }
            in.addAll(moments);
            // PyTorch's update adds eps to sqrt(v) / sqrt(1 - b2^t); given eps / sqrt(1 - b2^t) it is DJL's
            in.add(sub.create(new double[] {rate, BETA1, BETA2, eps / Math.sqrt(c2), t}));
            NDList out = kernel.forward(new ParameterStore(sub, false), in, false);
            out.close();
        }
        for (NDArray p : params) {
            JniUtils.zeroGrad((PtNDArray) p);
        }
    }
}
