package poreseg.net;

/** A block whose training-mode forward pass can run through a TorchScript training kernel ({@link TrainingKernel}). */
interface KernelTrainable {
    /**
     * How training-mode forward passes run: through the kernel (fp32 or bf16 convolutions) or, with
     * {@code kernel} false, layer by layer in fp32.
     */
    KernelTrainable training(boolean kernel, Precision precision);

    /** True when training-mode forward passes run through the kernel. */
    boolean trainsThroughKernel();
}
