package poreseg.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import poreseg.io.ArrayVolume;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.synth.SynthParams;

/**
 * The activation ranges of a network's int8 kernel: the largest relu output of each convolution in an
 * fp32 pass over a fixed calibration set, times {@link #HEADROOM}. The set is the same for every run and
 * every stack: {@value #SLICES} slices of {@value #SIZE} x {@value #SIZE} of {@code poreseg synth} (its
 * defaults, seed {@value #SEED}) through the model's own preprocessing. So a model's int8 results depend
 * on the model and the slice only, as its fp32 ones do (a slice segmented alone, as poreseg-spark's
 * executors do, gets the values of a whole-stack run). Activations beyond a range saturate; the
 * headroom keeps that to inputs far from the calibration set.
 */
final class Int8Calibration {
    /** Calibration slices and their size. */
    static final int SLICES = 4;
    static final int SIZE = 256;
    static final long SEED = 20261207L;
    /** Factor on the calibration maxima (docs/net.md#speed: int8). */
    static final float HEADROOM = 1.25f;

    /**
     * The largest weight magnitude of the int8 kernels' weights on this CPU: 127 where it has AVX512-VNNI
     * (libtorch's x86 engine then runs oneDNN's VNNI kernels, whose 32-bit sums are exact), else 63. Without
     * VNNI (AVX2-only CPUs; every CPU where the features cannot be read) the engine runs fbgemm, which adds
     * two products of uint8 activations and int8 weights into 16 bits with saturation (vpmaddubsw): 2 x 255 x
     * 127 can overflow it, 2 x 255 x 64 cannot, whatever the activations. oneDNN halves its weights on such
     * CPUs for the same reason; PyTorch's own recipe halves the activations' range instead, which values
     * beyond the calibrated range could still overflow. Quality of both: docs/net.md#speed (int8).
     */
    static int weightLevels() {
        return poreseg.util.CpuFeatures.current().has("avx512_vnni") ? 127 : 63;
    }

    private Int8Calibration() {
    }

    /** The activation ranges of {@code net}'s int8 kernel, on {@code net}'s manager; autograd must be off. */
    static NDArray ranges(Network net, ScriptedKernel kernel) {
        float[] in = inputs(Preprocessing.of(net.info()));
        NDManager m = net.manager();
        try (NDManager sub = m.newSubManager()) {
            NDArray x = sub.create(in, new Shape(SLICES, 1, SIZE, SIZE));
            NDArray max = kernel.activationMax(x).mul(HEADROOM);
            max.attach(m);
            return max;
        }
    }

    /** The raw calibration stack, rendered once per process (in memory, 1 MB). */
    private static Volume stack;

    /** The calibration slices after {@code pre}, one after another. */
    static float[] inputs(Preprocessing pre) {
        return networkInputs(pre, stack());
    }

    /**
     * The raw calibration stack: every network's calibration (each member of a k-fold model, each model a
     * process loads) starts from it, so the synthetic slices are rendered once (about 0.3 s of CPU each time).
     */
    private static synchronized Volume stack() {
        if (stack == null) {
            Volume v = new poreseg.synth.SynthGenerator().generate(SynthParams.defaults().withSize(SIZE).withSlices(SLICES).withSeed(SEED)).image();
            List<float[]> slices = new ArrayList<>();
            try {
                for (int z = 0; z < SLICES; z++) {
                    slices.add(v.slice(z));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("int8 calibration: " + e.getMessage(), e);
            }
            stack = new ArrayVolume(v.info(), slices); // its slice() returns copies: the stack stays as rendered
        }
        return stack;
    }

    /** All slices of {@code v} after {@code pre} (as segment feeds the network), one after another. */
    static float[] networkInputs(Preprocessing pre, Volume v) {
        StackInfo info = v.info();
        int n = info.width() * info.height();
        float[] out = new float[info.depth() * n];
        try {
            for (int z = 0; z < info.depth(); z++) {
                System.arraycopy(pre.networkInput(v.slice(z), info.width(), info.height(), info.type()), 0, out, z * n, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("int8 calibration: " + e.getMessage(), e);
        }
        return out;
    }
}
