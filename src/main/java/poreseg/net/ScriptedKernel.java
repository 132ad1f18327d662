package poreseg.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import poreseg.util.CpuFeatures;

/**
 * Inference through an architecture's TorchScript kernel (resources {@code poreseg/net/kernels/NAME.pt},
 * written by scripts/make-kernels.py): the forward pass as one TorchScript call instead of one JNI call
 * per layer, activations channels-last, batch norm folded into the convolutions, and optionally bf16
 * arithmetic inside the kernel (DJL cannot hold bf16 tensors; the kernel takes and returns fp32).
 *
 * <p>Folding: a convolution (weight W, no bias) followed by batch norm in eval mode (gamma, beta,
 * running mean mu, running variance v, epsilon 1e-5) equals one convolution with weight
 * {@code W * s} per output channel and bias {@code beta - mu s}, {@code s = gamma / sqrt(v + eps)}.
 * The last convolution (one output channel) is padded to 16 zero filters, which avoids the oneDNN
 * channel-block bug described in {@link PaddedConv2d}; the kernel returns channel 0. On CPUs the
 * {@code NAME_fused} variant runs each convolution + ReLU as one oneDNN call
 * ({@code mkldnn::_convolution_pointwise}; same results).
 */
final class ScriptedKernel implements AutoCloseable {
    /** DJL's BatchNorm default epsilon (the networks do not change it). */
    static final float BN_EPSILON = 1e-5f;
    private static final int BLOCK = PaddedConv2d.BLOCK;
    /** Pixels of one inference group where the kernels group (see {@link #groupPixels(boolean)}). */
    static final long GROUP_PIXELS = 1L << 18;

    private final PtSymbolBlock module;
    private final PtNDArray[] params;
    private final String name;
    private final boolean ownsModule;
    /** The int8 kernel and its calibration pass ({@code NAME_int8}, {@code NAME_actmax}), loaded on first use. */
    private PtSymbolBlock int8;
    private PtSymbolBlock actMax;
    private boolean int8Tried;
    private boolean int8Packed;

    private ScriptedKernel(PtSymbolBlock module, List<NDArray> params, String name, boolean ownsModule) {
        this.module = module;
        this.params = params.toArray(new PtNDArray[0]);
        this.name = name;
        this.ownsModule = ownsModule;
    }

    /**
     * The kernel of this network, or null when its architecture has none (or this width/depth is not
     * supported by it).
     */
    static ScriptedKernel of(Architecture arch, Block block, NDManager manager) {
        String name = arch.type().inferenceKernel(arch.width(), arch.depth());
        if (name == null || !(manager instanceof PtNDManager pm)) {
            return null;
        }
        List<NDArray> folded = fold(block, manager);
        // on CPUs the variant with conv+relu fused into one oneDNN call; libtorch builds without
        // oneDNN lack that operator and fail to compile it: then the plain kernel
        if (ai.djl.Device.Type.CPU.equals(manager.getDevice().getDeviceType())) {
            try {
                PtSymbolBlock m = load(pm, name + "_fused");
                if (m != null) {
                    return new ScriptedKernel(m, folded, name + "_fused", true);
                }
            } catch (RuntimeException e) {
                // fall through to the plain kernel
            }
        }
        PtSymbolBlock m = load(pm, name);
        return m == null ? null : new ScriptedKernel(m, folded, name, true);
    }

    /** The resource path of kernel NAME. */
    private static String resource(String name) {
        return "/poreseg/net/kernels/" + name + ".pt";
    }

    /** True when the jar holds kernel {@code name} (e.g. unet_int8). */
    static boolean exists(String name) {
        return ScriptedKernel.class.getResource(resource(name)) != null;
    }

    /** The kernel resource {@code poreseg/net/kernels/NAME.pt} loaded on {@code pm}, or null if the jar lacks it. */
    static PtSymbolBlock load(PtNDManager pm, String name) {
        try (InputStream in = ScriptedKernel.class.getResourceAsStream(resource(name))) {
            return in == null ? null : JniUtils.loadModule(pm, in, true, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kernel " + name, e);
        }
    }

    /** The kernel's resource name without the {@code _fused} of the CPU variant, e.g. unet. */
    private String baseName() {
        return name.endsWith("_fused") ? name.substring(0, name.length() - "_fused".length()) : name;
    }

    /**
     * True when the architecture has an int8 kernel ({@code NAME_int8.pt} and its calibration pass
     * {@code NAME_actmax.pt}) and this libtorch runs it (quantized operators on the CPU only).
     */
    synchronized boolean hasInt8(NDManager manager) {
        if (!int8Tried) {
            int8Tried = true;
            if (ownsModule && manager instanceof PtNDManager pm && ai.djl.Device.Type.CPU.equals(pm.getDevice().getDeviceType())) {
                try {
                    int8 = load(pm, baseName() + "_int8");
                    actMax = int8 == null ? null : load(pm, baseName() + "_actmax");
                } catch (RuntimeException e) {
                    int8 = null;
                    actMax = null;
                }
            }
        }
        return int8 != null && actMax != null;
    }

    /**
     * The largest relu output of each convolution in an fp32 pass of {@code x} (N,1,H,W) in the order the
     * int8 kernel quantizes them (its calibration); autograd must be off. Requires {@link #hasInt8}.
     */
    NDArray activationMax(NDArray x) {
        PtNDManager m = (PtNDManager) x.getManager();
        return call(actMax, m, IValue.from((PtNDArray) x), IValue.listFrom(params));
    }

    /**
     * Quantizes and packs this kernel's parameters into the int8 kernel, the activations on [0, max] with
     * the maxima {@code max} of {@link #activationMax} (headroom included), the weights on
     * &plusmn;{@code weightLevels} per output channel ({@link Int8Calibration#weightLevels}). Requires
     * {@link #hasInt8}.
     */
    synchronized void packInt8(NDArray max, int weightLevels) {
        IValue list = IValue.listFrom(params);
        IValue in = IValue.from((PtNDArray) max);
        IValue levels = IValue.from((long) weightLevels);
        try {
            ai.djl.pytorch.jni.IValueUtils.runMethod(int8, "pack", list, in, levels).close();
        } finally {
            list.close();
            in.close();
            levels.close();
        }
        int8Packed = true;
    }

    /** True once {@link #packInt8} has run. */
    synchronized boolean int8Packed() {
        return int8Packed;
    }

    /**
     * Probabilities (N,1,H,W) float32 in int8 arithmetic with the parameters of {@link #packInt8}; autograd
     * must be off.
     */
    NDArray forwardInt8(NDArray x) {
        PtNDManager m = (PtNDManager) x.getManager();
        // grouped as bf16 is (whole batches without AMX, where int8 was measured; groups on AMX, not measured)
        return call(int8, m, IValue.from((PtNDArray) x), IValue.from(groupPixels(true)));
    }

    /** Runs {@code kernel} on {@code args} (closed afterwards) and returns its tensor on {@code m}. */
    private static NDArray call(PtSymbolBlock kernel, PtNDManager m, IValue... args) {
        IValue res = null;
        try {
            // libtorch's graph optimizer (a thread-local switch; TrainingKernel turns it off) on, its default:
            // for these kernels it makes no measurable difference (docs/net.md#speed)
            JniUtils.setGraphExecutorOptimize(true);
            res = kernel.forward(args);
            return res.toTensor(m);
        } finally {
            for (IValue a : args) {
                a.close();
            }
            if (res != null) {
                res.close();
            }
        }
    }

    /** The kernel's resource name, e.g. unet_fused. */
    String name() {
        return name;
    }

    /**
     * Convolution weights and biases in order, batch norm folded in, the last convolution padded to a
     * whole channel block. Parameters come in block order: a 4-D weight, then its bias or a batch norm
     * (gamma, beta, runningMean, runningVar).
     */
    static List<NDArray> fold(Block block, NDManager manager) {
        PairList<String, Parameter> ps = block.getParameters();
        List<NDArray> out = new ArrayList<>();
        int i = 0;
        while (i < ps.size()) {
            NDArray w = array(ps, i, "weight", 4);
            i++;
            NDArray b;
            if (i < ps.size() && ps.get(i).getKey().endsWith("_bias")) {
                b = array(ps, i, "bias", 1);
                i++;
            } else if (i + 3 < ps.size() && ps.get(i).getKey().endsWith("_gamma")) {
                NDArray gamma = array(ps, i, "gamma", 1);
                NDArray beta = array(ps, i + 1, "beta", 1);
                NDArray mean = array(ps, i + 2, "runningMean", 1);
                NDArray var = array(ps, i + 3, "runningVar", 1);
                NDArray s = gamma.div(var.add(BN_EPSILON).sqrt());
                w = w.mul(s.reshape(-1, 1, 1, 1));
                b = beta.sub(mean.mul(s));
                i += 4;
            } else {
                b = manager.zeros(new Shape(w.getShape().get(0)));
            }
            out.add(w);
            out.add(b);
        }
        int last = out.size() - 2;
        NDArray w = out.get(last);
        Shape ws = w.getShape();
        long pad = (BLOCK - ws.get(0) % BLOCK) % BLOCK;
        if (pad > 0) {
            out.set(last, w.concat(manager.zeros(new Shape(pad, ws.get(1), ws.get(2), ws.get(3))), 0));
            out.set(last + 1, out.get(last + 1).concat(manager.zeros(new Shape(pad)), 0));
        }
        return out;
    }

    private static NDArray array(PairList<String, Parameter> ps, int i, String suffix, int dims) {
        Pair<String, Parameter> p = ps.get(i);
        NDArray a = p.getValue().getArray();
        if (!p.getKey().endsWith("_" + suffix) || a.getShape().dimension() != dims) {
            throw new IllegalStateException("cannot fold parameter " + p.getKey() + " " + a.getShape() + " (expected a " + dims + "-D " + suffix + ")");
        }
        return a;
    }

    /**
     * Probabilities (N,1,H,W) float32 of inputs (N,1,H,W) float32; autograd must be off. The kernel runs the
     * batch in groups of images of at most {@link #groupPixels(boolean)} pixels; each image's result is the
     * same either way.
     */
    NDArray forward(NDArray x, boolean bf16) {
        PtNDManager m = (PtNDManager) x.getManager();
        return call(module, m, IValue.from((PtNDArray) x), IValue.listFrom(params), IValue.from(bf16), IValue.from(groupPixels(bf16)));
    }

    /**
     * The pixels of one inference group of the kernels on this machine (0: the whole batch in one pass). With
     * bf16 on AMX the convolutions outrun memory, and a whole batch's activations (32 x 256^2 x 32 channels =
     * 134 MB for the paper net's first layer) go out to DRAM and back; in {@value #GROUP_PIXELS}-pixel groups
     * they stay in the caches: bf16 +10-20 % (Intel Xeon with AMX-BF16, libtorch 2.7.1, 2 threads, paper net,
     * batch 32 of 256^2), fp32 unchanged. On an AVX512-BF16 CPU without AMX the same groups cost bf16 4-8 %
     * and fp32 is no faster whole (docs/net.md#speed): there bf16 runs the batch whole. The system property
     * {@code poreseg.inferenceGroupPixels} overrides the choice (benchmarks).
     */
    static long groupPixels(boolean bf16) {
        String p = System.getProperty("poreseg.inferenceGroupPixels");
        if (p != null && !p.isBlank()) {
            return Long.parseLong(p.trim());
        }
        return bf16 && !CpuFeatures.current().has("amx_bf16") ? 0 : GROUP_PIXELS;
    }

    /**
     * This kernel with {@code block}'s current parameters folded again, the new arrays on {@code manager}
     * (training validates every epoch's weights without loading the module again). The result shares
     * this kernel's module: closing it leaves the module to this kernel.
     */
    ScriptedKernel refold(Block block, NDManager manager) {
        return new ScriptedKernel(module, fold(block, manager), name, false);
    }

    @Override
    public synchronized void close() {
        if (ownsModule) {
            module.close();
        }
        if (int8 != null) {
            int8.close();
        }
        if (actMax != null) {
            actMax.close();
        }
    }
}
