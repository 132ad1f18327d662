package poreseg.net;

import java.util.Locale;
import poreseg.util.CpuFeatures;
import poreseg.util.ParameterException;

/**
 * Arithmetic of inference. {@code FP32} is the reference; {@code BF16} runs the convolutions in
 * bfloat16 (8-bit mantissa) with fp32 input and output, through the architecture's TorchScript kernel;
 * {@code AUTO} is BF16 where the CPU computes bf16 natively (AVX512-BF16 or AMX) and the architecture
 * has a kernel, else FP32. The quality change of bf16 is measured in docs/net.md#speed. Training in
 * bf16 keeps fp32 master weights and validates in fp32 ({@link NetTrainer#precision}).
 */
public enum Precision {
    FP32, BF16, AUTO;

    /** fp32, bf16 or auto (any case). */
    public static Precision parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException("{precision} must be fp32, bf16 or auto, got '" + s + "'");
        }
    }

    /** FP32 or BF16: AUTO resolved for this CPU. */
    public Precision resolve() {
        if (this != AUTO) {
            return this;
        }
        return CpuFeatures.current().nativeBf16() ? BF16 : FP32;
    }

    /**
     * The arithmetic a network of this architecture runs in: {@link #resolve()}, but FP32 where BF16
     * would be asked of an architecture (or width) without an inference kernel.
     */
    public Precision resolveFor(Architecture arch) {
        Precision r = resolve();
        return r == BF16 && arch.type().inferenceKernel(arch.width(), arch.depth()) == null ? FP32 : r;
    }

    /** Lower-case name, as on the command line and in report.json. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
