package poreseg.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import poreseg.util.ParameterException;

/**
 * The TorchScript kernels (batch norm folded, channels-last) give the eager DJL network's
 * probabilities: fp32 to rounding, bf16 to its 8-bit mantissa; architectures or widths without a kernel
 * run eagerly and stay fp32.
 */
class ScriptedKernelTest {
    /** Gives every batch norm non-trivial statistics and affine parameters, as after training. */
    private static void randomizeBatchNorm(Network net, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (Pair<String, Parameter> p : net.block().getParameters()) {
            String k = p.getKey();
            NDArray a = p.getValue().getArray();
            int n = (int) a.size();
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                if (k.endsWith("_runningVar")) {
                    v[i] = (float) (0.05 + r.nextDouble() * 2);
                } else if (k.endsWith("_runningMean") || k.endsWith("_beta")) {
                    v[i] = (float) (r.nextDouble() - 0.5);
                } else if (k.endsWith("_gamma")) {
                    v[i] = (float) (0.5 + r.nextDouble());
                } else {
                    break;
                }
                if (i == n - 1) {
                    a.set(FloatBuffer.wrap(v));
                }
            }
        }
    }

    private static float[] run(Network net, float[] x, Shape shape) {
        try (NDManager sub = net.manager().newSubManager()) {
            return net.forward(sub.create(FloatBuffer.wrap(x), shape)).toFloatArray();
        }
    }

    private static float[] input(Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[(int) shape.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        return x;
    }

    private static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double meanDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m += Math.abs(a[i] - b[i]);
        }
        return m / a.length;
    }

    private static void check(Architecture arch, Shape shape) {
        try (Network net = Network.create(arch, 7)) {
            randomizeBatchNorm(net, 3);
            float[] x = input(shape, 11);
            float[] eager = run(net.eager(true), x, shape);
            net.eager(false).precision(Precision.FP32);
            assertTrue(net.scripted(), arch + " has a kernel");
            // this CPU build of libtorch has oneDNN: the fused conv+relu variant loads
            assertEquals(arch.name() + "_fused", net.kernelName());
            float[] fp32 = run(net, x, shape);
            assertTrue(maxDiff(eager, fp32) < 2e-5, arch + " fp32 kernel vs eager: " + maxDiff(eager, fp32));
            net.precision(Precision.BF16);
            assertEquals(Precision.BF16, net.precision());
            float[] bf16 = run(net, x, shape);
            // bf16 keeps 8 bits of mantissa: the worst of up to 2^18 output pixels of a random network moves
            // by a few hundredths (0.058 on an AMD EPYC with AVX512-BF16, in some runs only; under 0.05 on the
            // Intel Xeon with AMX), the mean about 0.01 on the paper network, whose random outputs sit near 0.5
            double d = maxDiff(eager, bf16);
            double mean = meanDiff(eager, bf16);
            assertTrue(d > 0 && d < 0.1 && mean < 0.03, arch + " bf16 kernel vs eager: max " + d + ", mean " + mean);
            double spread = 0;
            for (float p : eager) {
                spread = Math.max(spread, Math.abs(p - 0.5));
            }
            assertTrue(spread > 0.01, "the test network's output is not flat");
        }
    }

    @Test
    void paperKernelMatchesTheEagerNetwork() {
        check(Architecture.paper(), new Shape(2, 1, 64, 48));
    }

    @Test
    void unetKernelFoldsBatchNormAndMatchesTheEagerNetwork() {
        check(new Architecture("unet", 16, 3), new Shape(2, 1, 64, 64));
        check(new Architecture("unet", 32, 2), new Shape(1, 1, 32, 48));
    }

    @Test
    void kernelsRunLargeBatchesInGroupsWithTheSameResult() {
        // the kernels run a batch in groups of at most 2^18 pixels (ScriptedKernel.groupPixels: fp32, and bf16 on
        // AMX) or whole (bf16 without AMX): both forced here, 4 + 1 and 2 + 1 images in groups, against the eager
        // network and each other
        String key = "poreseg.inferenceGroupPixels";
        String before = System.getProperty(key);
        try {
            System.setProperty(key, Long.toString(ScriptedKernel.GROUP_PIXELS));
            check(Architecture.paper(), new Shape(5, 1, 256, 208));
            check(new Architecture("unet", 16, 3), new Shape(3, 1, 512, 256));
            System.setProperty(key, "0");
            check(Architecture.paper(), new Shape(5, 1, 256, 208));
            Shape shape = new Shape(3, 1, 512, 256);
            try (Network net = Network.create(new Architecture("unet", 16, 3), 7)) {
                randomizeBatchNorm(net, 3);
                net.precision(Precision.FP32);
                float[] x = input(shape, 11);
                float[] whole = run(net, x, shape);
                System.setProperty(key, Long.toString(ScriptedKernel.GROUP_PIXELS));
                float[] grouped = run(net, x, shape);
                assertTrue(maxDiff(whole, grouped) < 1e-5, "grouped vs whole batch: " + maxDiff(whole, grouped));
            }
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    @Test
    void widthsWithoutAKernelRunEagerlyInFp32() {
        try (Network net = Network.create(new Architecture("unet", 8, 2), 1)) {
            net.precision(Precision.BF16);
            assertFalse(net.scripted());
            assertEquals(Precision.FP32, net.precision());
            float[] p = run(net, input(new Shape(1, 1, 16, 16), 1), new Shape(1, 1, 16, 16));
            assertEquals(256, p.length);
        }
    }

    @Test
    void precisionParsesAndAutoResolvesToAConcreteOne() {
        assertEquals(Precision.BF16, Precision.parse(" BF16 "));
        assertEquals(Precision.FP32, Precision.FP32.resolve());
        assertTrue(Precision.AUTO.resolve() != Precision.AUTO);
        ParameterException e = assertThrows(ParameterException.class, () -> Precision.parse("fp16"));
        assertTrue(e.getMessage().contains("precision must be fp32, bf16, int8 or auto"), e.getMessage());
        assertEquals(Precision.INT8, Precision.parse("int8"));
        assertEquals(Precision.INT8, Precision.INT8.resolve()); // auto never picks int8, int8 stays int8
        assertTrue(Precision.AUTO.resolve() != Precision.INT8);
        // training has no int8 arithmetic
        ParameterException t = assertThrows(ParameterException.class, () -> Precision.INT8.forTraining());
        assertTrue(t.getMessage().contains("int8 is for inference only"), t.getMessage());
        assertEquals(Precision.FP32, Precision.FP32.forTraining());
        // both networks have int8 kernels; a width without any kernel runs int8 as auto would (fp32, eagerly)
        assertEquals(Precision.INT8, Precision.INT8.resolveFor(Architecture.paper()));
        assertEquals(Precision.INT8, Precision.INT8.resolveFor(new Architecture("unet", 16, 3)));
        assertEquals(Precision.FP32, Precision.INT8.resolveFor(new Architecture("unet", 8, 2)));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {127, 63})
    void int8KernelOfTheBundledModelAgreesWithFp32(int weightLevels) throws Exception {
        // the bundled model on two slices of a synthetic stack other than the calibration set (seed 3, the
        // held-out test of model.json), as segment feeds them: int8 against fp32 probabilities and masks; with
        // the weights of CPUs with VNNI (127) and without (63: Int8Calibration.weightLevels), whatever this one has
        int n = 2;
        int size = 256;
        poreseg.synth.SynthVolume synth = new poreseg.synth.SynthGenerator().generate(
                poreseg.synth.SynthParams.defaults().withSize(size).withSlices(n).withSeed(3));
        try (Network net = ModelStore.loadDefault()) {
            float[] x = Int8Calibration.networkInputs(Preprocessing.of(net.info()), synth.image());
            Shape shape = new Shape(n, 1, size, size);
            float[] fp32 = run(net.precision(Precision.FP32), x, shape);
            net.int8WeightLevels(weightLevels).precision(Precision.INT8);
            assertEquals(Precision.INT8, net.precision(), "this CPU build of libtorch runs the quantized kernel");
            float[] int8 = run(net, x, shape);
            float[] again = run(net, x, shape);
            assertEquals(0.0, maxDiff(int8, again), "int8 is deterministic");
            long differ = 0;
            long pores = 0;
            for (int i = 0; i < fp32.length; i++) {
                differ += (fp32[i] > 0.5f) != (int8[i] > 0.5f) ? 1 : 0;
                pores += fp32[i] > 0.5f ? 1 : 0;
            }
            // measured on an AMD EPYC (AVX512-VNNI): a few hundredths of a per cent of the pixels change side
            assertTrue(pores > 0.02 * fp32.length, "the stack has pores: " + pores);
            assertTrue(differ < 0.002 * fp32.length, weightLevels + ": int8 mask vs fp32: " + differ + " of " + fp32.length + " pixels differ");
            assertTrue(meanDiff(fp32, int8) < 0.01, "int8 vs fp32 mean probability change " + meanDiff(fp32, int8));
            // scale selection decides in fp32 (Segmenter.chooseScale): the fp32 values, bit for bit
            try (NDManager sub = net.manager().newSubManager()) {
                assertEquals(0.0, maxDiff(fp32, net.forwardForDecisions(sub.create(FloatBuffer.wrap(x), shape)).toFloatArray()));
            }
            if (weightLevels == 127) { // and so picks the scale an fp32 run picks, from the same porosities and widths, as bf16 does
                Segmenter.ScaleChoice atInt8 = Segmenter.of(net, 8).chooseScale(synth.image());
                Segmenter.ScaleChoice atBf16 = Segmenter.of(net.precision(Precision.BF16), 8).chooseScale(synth.image());
                Segmenter.ScaleChoice atFp32 = Segmenter.of(net.precision(Precision.FP32), 8).chooseScale(synth.image());
                for (Segmenter.ScaleChoice c : java.util.List.of(atInt8, atBf16)) {
                    assertEquals(atFp32.factor(), c.factor());
                    assertArrayEquals(atFp32.porosity(), c.porosity());
                    assertArrayEquals(atFp32.poreWidths(), c.poreWidths());
                }
            }
            // back to fp32: the same network still gives its fp32 values
            assertEquals(0.0, maxDiff(fp32, run(net.precision(Precision.FP32), x, shape)));
        }
    }

    @Test
    void int8KernelsRunOtherWidthsDepthsAndThePaperNetwork() {
        // a random U-Net of width 32, depth 2 (batch norm randomised): the kernel reads the depth from the
        // parameters; random weights give less separated outputs than a trained model, so only closeness
        int8CloseToFp32(new Architecture("unet", 32, 2), new Shape(2, 1, 64, 96), true);
        // the paper network (its decoder's sigmoids quantized too)
        int8CloseToFp32(Architecture.paper(), new Shape(3, 1, 64, 48), false);
    }

    private static void int8CloseToFp32(Architecture arch, Shape shape, boolean batchNorm) {
        for (int levels : new int[] {127, 63}) { // the weights of CPUs with and without VNNI
            try (Network net = Network.create(arch, 7)) {
                if (batchNorm) {
                    randomizeBatchNorm(net, 3);
                }
                float[] x = input(shape, 11);
                float[] fp32 = run(net.precision(Precision.FP32), x, shape);
                net.int8WeightLevels(levels).precision(Precision.INT8);
                assertEquals(Precision.INT8, net.precision(), arch.name());
                float[] int8 = run(net, x, shape);
                assertTrue(meanDiff(fp32, int8) < 0.05, arch + " weights on +-" + levels + ": int8 vs fp32 mean " + meanDiff(fp32, int8));
                assertThrows(IllegalStateException.class, () -> net.int8WeightLevels(127), "packed once");
            }
        }
    }
}
