package poreseg.net;

import ai.djl.nn.Block;

/** {@code unet}: U-Net with batch norm, {@code width} channels at the first level and {@code depth} poolings. */
final class UNet implements ArchitectureType {
    @Override
    public String name() {
        return "unet";
    }

    @Override
    public String summary() {
        return "U-Net with batch norm (width channels at the first level, depth poolings)";
    }

    @Override
    public int defaultWidth() {
        return Architecture.UNET_DEFAULT_WIDTH;
    }

    @Override
    public int defaultDepth() {
        return Architecture.UNET_DEFAULT_DEPTH;
    }

    /**
     * The kernels keep activations unpadded, so every level's channel count (width * 2^i) must fill
     * whole oneDNN blocks: the width must be a multiple of 16.
     */
    static boolean fitsKernels(int width) {
        return width % PaddedConv2d.BLOCK == 0;
    }

    @Override
    public String inferenceKernel(int width, int depth) {
        return fitsKernels(width) ? "unet" : null;
    }

    @Override
    public boolean hasTrainingKernel(int width, int depth) {
        return fitsKernels(width);
    }

    /** Trains through the TorchScript kernel (fp32 or bf16) where the width fits it. */
    @Override
    public void configureTraining(Block block, Precision precision) {
        ((KernelTrainable) block).training(true, precision);
    }

    @Override
    public Block newBlock(int width, int depth) {
        return new UNetBlock(width, depth);
    }
}
