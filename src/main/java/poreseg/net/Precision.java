package poreseg.net;

import java.util.Locale;
import poreseg.util.CpuFeatures;
import poreseg.util.ParameterException;

/**
 * Arithmetic of inference. {@code FP32} is the reference; {@code BF16} runs the convolutions in
 * bfloat16 (8-bit mantissa) with fp32 input and output, through the architecture's TorchScript kernel;
 * {@code AUTO} is BF16 where the CPU computes bf16 natively (AVX512-BF16 or AMX) and the architecture
 * has a kernel, else FP32. {@code INT8} (inference only, asked for by name) runs the networks'
 * convolutions in 8-bit integers: weights per output channel, activations on ranges calibrated once per
 * model ({@link Int8Calibration}). The quality change of bf16 and int8 is measured in docs/net.md#speed.
 * Training in bf16 keeps fp32 master weights and validates in fp32 ({@link NetTrainer#precision}).
 */
public enum Precision {
    FP32, BF16, INT8, AUTO;

    /** fp32, bf16, int8 or auto (any case). */
    public static Precision parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException("{precision} must be fp32, bf16, int8 or auto, got '" + s + "'");
        }
    }

    /** FP32, BF16 or INT8: AUTO resolved for this CPU (AUTO never picks INT8: it is asked for by name). */
    public Precision resolve() {
        if (this != AUTO) {
            return this;
        }
        return CpuFeatures.current().nativeBf16() ? BF16 : FP32;
    }

    /**
     * The arithmetic a network of this architecture runs in: {@link #resolve()}, but FP32 where BF16
     * would be asked of an architecture (or width) without an inference kernel, and as AUTO where INT8
     * would be asked of one without an int8 kernel (the U-Net and the paper network have one).
     */
    public Precision resolveFor(Architecture arch) {
        Precision r = resolve();
        String kernel = arch.type().inferenceKernel(arch.width(), arch.depth());
        if (r == INT8 && (kernel == null || !ScriptedKernel.exists(kernel + "_int8"))) {
            return AUTO.resolveFor(arch); // no int8 kernel for this architecture: as auto
        }
        return r == BF16 && kernel == null ? FP32 : r;
    }

    /** {@link #resolve()} for training, which has no int8 arithmetic: INT8 is refused. */
    public Precision forTraining() {
        if (this == INT8) {
            throw new ParameterException("{precision} int8 is for inference only (segment, analyze, calibrate, bench infer); training runs in fp32, bf16 or auto");
        }
        return resolve();
    }

    /**
     * The largest magnitude of INT8's weights on this CPU: 127 with AVX512-VNNI, else 63, so that the
     * 16-bit sums of CPUs without it cannot overflow ({@link Int8Calibration#weightLevels}).
     */
    public static int int8WeightLevels() {
        return Int8Calibration.weightLevels();
    }

    /** Lower-case name, as on the command line and in report.json. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
